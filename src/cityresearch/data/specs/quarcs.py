"""GRDP and population: quarcs-lab/data-indonesia-regional-zenodo (CC BY 4.0).

QuaRCS lab, *Indonesia Regional Dataset*, doi:10.5281/zenodo.4428102, from
BPS. Values are interpolated by the source for some years; 2018-2019 were
provisional in the BPS release used; population is BPS projection. The
source labels Karanganyar (3313) and Karangasem (5107) with each other's
code in most years; this is corrected on load (column ``corrected``; evidence
in :data:`cityresearch.data._parsers.SWAPPED_CODES`).
"""

from __future__ import annotations

from cityresearch.data._parsers import parse_quarcs_districts, parse_quarcs_provinces
from cityresearch.data._spec import Column, Dataset

_Z = "quarcs-lab/data-indonesia-regional-zenodo/"
_CAVEATS = ("some years interpolated by the source; the latest two years of a BPS release "
            "are provisional; population is BPS projection")


def _districts(paths, deps):  # noqa: ARG001
    return parse_quarcs_districts(paths[0])


def _provinces(paths, deps):  # noqa: ARG001
    return parse_quarcs_provinces(paths[0])


DATASETS = [
    Dataset(
        name="district_panel", title="District GRDP, population and GRDP per capita 2000-2019",
        kind="grdp", files=(_Z + "23ca2a4*/economic-data/GRDP_PerCapita_Indonesia_Districts.csv",),
        parse=_districts, version=1,
        schema=(Column("bps_code", "str", "", "BPS code (2017-2018)"),
                Column("year", "int", "year"),
                Column("grdp_idr_bn", "float", "IDR billion, constant 2010 prices", "GRDP"),
                Column("pop", "float", "persons", "population (BPS projection)"),
                Column("grdp_pc_idr_k", "float", "IDR thousand per person, constant 2010 prices",
                       "GRDP per capita"),
                Column("district_type", "str", "", "Regency / City / Capital City"),
                Column("corrected", "bool", "", "a known labelling error of the source was "
                       "corrected in this row (Karanganyar 3313 / Karangasem 5107)")),
        coverage="514 kab/kota x 2000-2019",
        caveats=_CAVEATS + "; Karanganyar/Karangasem codes swapped in the source, corrected",
    ),
    Dataset(
        name="province_grdp_per_capita", title="Province GRDP per capita 1983-2019",
        kind="grdp", files=(_Z + "23ca2a4*/economic-data/GRDP_PerCapita_Indonesia_Provinces.csv",),
        parse=_provinces, version=1,
        schema=(Column("prov_bps_code", "str", "", "BPS province code (34 provinces)"),
                Column("province_en", "str", "", "English name as in the source"),
                Column("year", "int", "year"),
                Column("grdp_pc_idr_k", "float", "IDR thousand per person, constant 2010 prices")),
        coverage="34 provinces x 1983-2019", caveats=_CAVEATS + "; early years back-cast",
    ),
    Dataset(
        name="grdp_until_2017_files", title="QuaRCS release until 2017",
        kind="grdp", files=(_Z + "c3ae42c*/economic-data-until-2017/*.csv",),
        coverage="514 districts and 34 provinces until 2017, with district type and coordinates",
        caveats=_CAVEATS,
    ),
]
