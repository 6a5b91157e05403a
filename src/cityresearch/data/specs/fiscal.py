"""District revenue 2000-2015 of the 113 Java kab/kota: World Bank INDO-DAPOER (CC BY 4.0).

A World Bank DataBank export (``Revenue_IndoDapoer.xlsx``, sheets ``Data``
and ``Series - Metadata``) kept in panjialalam/4.-The-Impact-of-2006-
Yogyakarta-Earthquake (the repository has no licence; the INDO-DAPOER data
are CC BY 4.0). 15 series: general and special allocation grants (DAU, DAK
and five DAK sub-grants), own-source revenue (PAD), tax and natural-resource
revenue sharing (and three natural-resource parts), total revenue sharing and
total revenue, realisation values in current (nominal) rupiah.

The export's own layout: the column "Provinces Name" holds the kab/kota
("Blitar, Kab.", "Blitar, Kota") and "Level" the province ("Jawa Timur,
Prop."); codes are World Bank region codes (``ID.JI.BR``), not BPS codes.
Units differ by series (IDR for most, IDR billion for the DAK sub-grants, as
the series names and the metadata sheet say); all values are converted to
IDR billion (``value_idr_bn``), the source unit is kept in ``unit_source``.
``..`` is missing (about 40% of cells, mostly DAK sub-grants and years before
a region existed); zeros are kept as reported.

BPS codes are attached by :func:`cityresearch.panels.fiscal_frame`, which
matches the names with :func:`cityresearch.regions.match_regions` and adds
per-capita and own-revenue-share measures. This parser stays small on
purpose: a generic DataBank importer may replace it.
"""

from __future__ import annotations

import re

import pandas as pd

from cityresearch._errors import MalformedFileError
from cityresearch.data._spec import Column, Dataset

_UNITS = {"IDR": 1e-9, "IDR Billion": 1.0}


def parse_databank_revenue(path) -> pd.DataFrame:
    """Parse the INDO-DAPOER revenue export into a tidy long frame (IDR billion).

    Parameters
    ----------
    path : pathlib.Path
        The verified local ``.xlsx`` file.

    Returns
    -------
    pandas.DataFrame
        Columns of the ``fiscal_revenue_kabkota_java`` schema, one row per
        region, series and year with a value (missing cells dropped: they
        are ``..`` in the export).

    Raises
    ------
    MalformedFileError
        Missing sheets or columns, a unit not in the metadata, a value that
        is not a number, or a region-series-year twice.
    """
    try:
        sheets = pd.read_excel(path, sheet_name=["Data", "Series - Metadata"], dtype=str)
    except ValueError as exc:
        raise MalformedFileError(f"{path.name}: not a DataBank export ({exc})") from None
    data, meta = sheets["Data"], sheets["Series - Metadata"]
    need = ["Series Name", "Series Code", "Level", "Provinces Name", "Provinces Code"]
    missing = [c for c in need if c not in data.columns]
    if missing:
        raise MalformedFileError(f"{path.name}, sheet Data: columns {missing} missing")
    units = dict(zip(meta["Code"].str.strip(), meta["Unit of measure"].str.strip(), strict=True))
    year_cols = {
        c: int(m.group(1))
        for c in data.columns
        if (m := re.fullmatch(r"(\d{4}) \[YR\d{4}\]", str(c)))
    }
    data = data.dropna(subset=["Series Code"])
    long = data.melt(id_vars=need, value_vars=list(year_cols), var_name="col", value_name="raw")
    long["year"] = long["col"].map(year_cols).astype("int64")
    long["raw"] = long["raw"].str.strip()
    long = long[long["raw"].notna() & (long["raw"] != "..")]
    value = pd.to_numeric(long["raw"], errors="coerce")
    if value.isna().any():
        bad = long[value.isna()].iloc[0]
        raise MalformedFileError(
            f"{path.name}, sheet Data: {bad['raw']!r} for "
            f"{bad['Provinces Name']} / {bad['Series Code']} / {bad['year']} "
            "is not a number"
        )
    long["unit_source"] = long["Series Code"].str.strip().map(units)
    unknown = long.loc[~long["unit_source"].isin(list(_UNITS)), "Series Code"].unique()
    if len(unknown):
        raise MalformedFileError(
            f"{path.name}: series {list(unknown)} have no known unit in "
            "the metadata sheet (expected IDR or IDR Billion)"
        )
    long["value_idr_bn"] = value * long["unit_source"].map(_UNITS)
    out = pd.DataFrame(
        {
            "wb_code": long["Provinces Code"].str.strip(),
            "region_source": long["Provinces Name"].str.strip(),
            "province_source": long["Level"].str.strip(),
            "series_code": long["Series Code"].str.strip(),
            "series": long["Series Name"].str.strip(),
            "year": long["year"],
            "value_idr_bn": long["value_idr_bn"].astype(float),
            "unit_source": long["unit_source"],
        }
    )
    dup = out.duplicated(["wb_code", "series_code", "year"])
    if dup.any():
        r = out[dup].iloc[0]
        raise MalformedFileError(f"{path.name}: {r.wb_code} {r.series_code} {r.year} twice")
    return out.sort_values(["wb_code", "series_code", "year"], ignore_index=True)


def _parse(paths, deps):
    return parse_databank_revenue(paths[0])


DATASETS = [
    Dataset(
        name="fiscal_revenue_kabkota_java",
        title="District revenue 2000-2015 of the 113 Java kab/kota (INDO-DAPOER)",
        kind="fiscal_revenue_kabkota_java",
        files=("*/Revenue_IndoDapoer.xlsx",),
        parse=_parse,
        version=1,
        schema=(
            Column("wb_code", "str", "", "World Bank region code, e.g. ID.JI.BR"),
            Column("region_source", "str", "", "name as in the export, e.g. 'Blitar, Kab.'"),
            Column("province_source", "str", "", "e.g. 'Jawa Timur, Prop.'"),
            Column("series_code", "str", "", "DataBank series code, e.g. REV.OSRV.CR (PAD)"),
            Column("series", "str", "", "series name as in the export"),
            Column("year", "int", "year"),
            Column(
                "value_idr_bn",
                "float",
                "IDR billion, current prices",
                "realisation value, converted from the series' unit",
            ),
            Column("unit_source", "str", "", "unit in the export: IDR or IDR Billion"),
        ),
        coverage="113 kab/kota of Banten, DI Yogyakarta, Jawa Barat, Jawa Tengah, Jawa Timur "
        "(Java without DKI Jakarta) x 2000-2015, 15 series",
        caveats="current (nominal) prices; fiscal year 2000 had nine months and "
        "decentralisation began in 2001; Java only; World Bank codes and names, matched "
        "to BPS codes by name in cityresearch.panels.fiscal_frame; '..' (missing) cells "
        "are not rows; zeros kept as reported; a few implausible jumps (e.g. Pemalang "
        "2009 total revenue 6,299 IDR bn) are flagged by fiscal_frame",
    ),
]
