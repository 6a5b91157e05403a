"""GRDP and population: quarcs-lab/data-indonesia-regional-zenodo (CC BY 4.0).

QuaRCS lab, *Indonesia Regional Dataset*, doi:10.5281/zenodo.4428102, from
BPS. Values are interpolated by the source for some years; 2018-2019 were
provisional in the BPS release used; population is BPS projection. The
source labels Karanganyar (3313) and Karangasem (5107) with each other's
code in most years; this is corrected on load (column ``corrected``; evidence
in :data:`cityresearch.data._parsers.SWAPPED_CODES`).
"""

from __future__ import annotations

import pandas as pd

from cityresearch._errors import MalformedFileError
from cityresearch.data._parsers import parse_quarcs_districts, parse_quarcs_provinces
from cityresearch.data._spec import Column, Dataset

_Z = "quarcs-lab/data-indonesia-regional-zenodo/"
_CAVEATS = (
    "some years interpolated by the source; the latest two years of a BPS release "
    "are provisional; population is BPS projection"
)


def _districts(paths, deps):
    return parse_quarcs_districts(paths[0])


def _provinces(paths, deps):
    return parse_quarcs_provinces(paths[0])


def parse_districts_2017(path) -> pd.DataFrame:
    """Parse GRDP_PerCapita_Indonesia_Districts_until_2017.csv into a long panel.

    As in the 2000-2019 file, the row named Karanganyar (Central Java) carries
    code 5107 and the row named Karangasem (Bali) carries 3313; name, province
    and every value belong to the named regency (with the codes exchanged back,
    both series match ``district_panel`` within 0.1%), so the codes are
    exchanged on load and ``corrected`` is True for those two districts.

    Parameters
    ----------
    path : pathlib.Path
        The verified local file.

    Returns
    -------
    pandas.DataFrame
        Columns of the ``district_panel_2017`` schema.

    Raises
    ------
    MalformedFileError
        A code that is not four digits, a duplicated code, or a missing column.
    """
    raw = pd.read_csv(path, dtype={"KDJ": str})
    need = ["District_name", "Province", "Region", "KDJ", "Regency_City"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise MalformedFileError(f"{path.name}: columns {missing} are missing")
    code = raw["KDJ"].str.strip()
    bad = raw.loc[~code.str.fullmatch(r"\d{4}"), "KDJ"]
    if len(bad):
        raise MalformedFileError(
            f"{path.name}: KDJ {bad.iloc[0]!r} (line {bad.index[0] + 2}) is not a BPS code"
        )
    if code.duplicated().any():
        raise MalformedFileError(f"{path.name}: code {code[code.duplicated()].iloc[0]} twice")
    name = raw["District_name"].str.strip()
    prov = raw["Province"].str.strip()
    fix = {("Karanganyar", "Central Java"): "3313", ("Karangasem", "Bali"): "5107"}
    corrected = pd.Series(False, index=raw.index)
    for (n, p), c in fix.items():
        hit = (name == n) & (prov == p)
        if hit.sum() == 1 and code[hit].iloc[0] != c:
            code[hit] = c
            corrected |= hit
    raw["bps_code"], raw["corrected"] = code, corrected
    rows = []
    for y in range(2000, 2018):
        renames = {f"POP{y}": "pop", f"RGDP{y}": "grdp_idr_bn", f"RGDPPC{y}": "grdp_pc_idr_k"}
        absent = [c for c in renames if c not in raw.columns]
        if absent:
            raise MalformedFileError(f"{path.name}: columns {absent} are missing")
        part = raw[["bps_code", *renames]].rename(columns=renames)
        part.insert(1, "year", y)
        rows.append(part)
    long = pd.concat(rows, ignore_index=True)
    meta = raw.set_index("bps_code")
    long["district_type"] = long["bps_code"].map(meta["Regency_City"].str.strip())
    long["province_en"] = long["bps_code"].map(prov.set_axis(meta.index))
    long["region"] = long["bps_code"].map(meta["Region"].str.strip())
    long["name"] = long["bps_code"].map(name.set_axis(meta.index))
    long["corrected"] = long["bps_code"].map(meta["corrected"]).astype(bool)
    cols = [
        "bps_code",
        "year",
        "grdp_idr_bn",
        "pop",
        "grdp_pc_idr_k",
        "district_type",
        "province_en",
        "region",
        "name",
        "corrected",
    ]
    return long[cols].sort_values(["bps_code", "year"], ignore_index=True)


def _districts_2017(paths, deps):
    return parse_districts_2017(paths[0])


DATASETS = [
    Dataset(
        name="district_panel",
        title="District GRDP, population and GRDP per capita 2000-2019",
        kind="grdp",
        files=(_Z + "23ca2a4*/economic-data/GRDP_PerCapita_Indonesia_Districts.csv",),
        parse=_districts,
        version=1,
        schema=(
            Column("bps_code", "str", "", "BPS code (2017-2018)"),
            Column("year", "int", "year"),
            Column("grdp_idr_bn", "float", "IDR billion, constant 2010 prices", "GRDP"),
            Column("pop", "float", "persons", "population (BPS projection)"),
            Column(
                "grdp_pc_idr_k",
                "float",
                "IDR thousand per person, constant 2010 prices",
                "GRDP per capita",
            ),
            Column("district_type", "str", "", "Regency / City / Capital City"),
            Column(
                "corrected",
                "bool",
                "",
                "a known labelling error of the source was "
                "corrected in this row (Karanganyar 3313 / Karangasem 5107)",
            ),
        ),
        coverage="514 kab/kota x 2000-2019",
        caveats=_CAVEATS + "; Karanganyar/Karangasem codes swapped in the source, corrected",
    ),
    Dataset(
        name="province_grdp_per_capita",
        title="Province GRDP per capita 1983-2019",
        kind="grdp",
        files=(_Z + "23ca2a4*/economic-data/GRDP_PerCapita_Indonesia_Provinces.csv",),
        parse=_provinces,
        version=1,
        schema=(
            Column("prov_bps_code", "str", "", "BPS province code (34 provinces)"),
            Column("province_en", "str", "", "English name as in the source"),
            Column("year", "int", "year"),
            Column("grdp_pc_idr_k", "float", "IDR thousand per person, constant 2010 prices"),
        ),
        coverage="34 provinces x 1983-2019",
        caveats=_CAVEATS + "; early years back-cast",
    ),
    Dataset(
        name="district_panel_2017",
        title="District GRDP, population and GRDP per capita 2000-2017 (release until 2017)",
        kind="grdp",
        files=(
            _Z
            + "c3ae42c*/economic-data-until-2017/GRDP_PerCapita_Indonesia_Districts_until_2017.csv",
        ),
        parse=_districts_2017,
        version=1,
        schema=(
            Column("bps_code", "str", "", "BPS code (2017-2018)"),
            Column("year", "int", "year"),
            Column("grdp_idr_bn", "float", "IDR billion, constant 2010 prices", "GRDP"),
            Column("pop", "float", "persons", "population (BPS projection)"),
            Column(
                "grdp_pc_idr_k",
                "float",
                "IDR thousand per person, constant 2010 prices",
                "GRDP per capita",
            ),
            Column("district_type", "str", "", "Regency / City / Capital City"),
            Column("province_en", "str", "", "the source's English province name"),
            Column("region", "str", "", "the source's seven island regions"),
            Column("name", "str", "", "the source's district name"),
            Column(
                "corrected",
                "bool",
                "",
                "the source's exchanged codes of Karanganyar and Karangasem were exchanged back",
            ),
        ),
        coverage="514 kab/kota x 2000-2017: the file behind Aginta, Gunawan and Mendez (2021), "
        "doi:10.1080/13547860.2020.1868107; use it to reproduce published results",
        caveats=_CAVEATS + "; 2016-2017 provisional in the release used; Karanganyar/Karangasem "
        "codes exchanged in the source, exchanged back",
    ),
    Dataset(
        name="grdp_until_2017_files",
        title="QuaRCS province release until 2017 (files)",
        kind="grdp",
        files=(
            _Z
            + "c3ae42c*/economic-data-until-2017/GRDP_PerCapita_Indonesia_Provinces_until_2017.csv",
        ),
        coverage="34 provinces until 2017",
        caveats=_CAVEATS,
    ),
]
