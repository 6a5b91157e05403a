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
per-capita and own-revenue-share measures. The export is read by the
DataBank reader that :func:`cityresearch.importers.read_worldbank` uses for
researchers' own downloads (one reader for the layout); this spec only maps
its cells to the schema.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cityresearch._databank import read_databank
from cityresearch._errors import MalformedFileError
from cityresearch.data._spec import Column, Dataset

#: IDR billion per unit of the export's "Unit of measure".
_UNITS = {"IDR": 1e-9, "IDR Billion": 1.0}


def parse_databank_revenue(path: Path) -> pd.DataFrame:
    """Map the INDO-DAPOER revenue export to the dataset's schema (IDR billion).

    The export is read by the same DataBank reader as
    :func:`cityresearch.importers.read_worldbank` (``cityresearch._databank``);
    this function only keeps the cells with a value, converts each series'
    unit to IDR billion and names the columns. Region codes stay World Bank
    codes: BPS codes are attached by :func:`cityresearch.panels.fiscal_frame`.

    Parameters
    ----------
    path : pathlib.Path
        The verified local ``.xlsx`` file.

    Returns
    -------
    pandas.DataFrame
        Columns of the ``fiscal_revenue_kabkota_java`` schema, one row per
        region, series and year with a value, sorted by ``wb_code``,
        ``series_code``, ``year`` (missing cells are not rows: they are
        ``..`` in the export).

    Raises
    ------
    MalformedFileError
        Not a DataBank export, a value that is not a number, a series whose
        unit is neither IDR nor IDR Billion, a footnote mark on a value, or
        a region-series-year twice.

    Examples
    --------
    >>> from cityresearch import data
    >>> (path,) = data.fetch("Data/WBG/Revenue_IndoDapoer.xlsx")  # doctest: +SKIP
    >>> parse_databank_revenue(path)["unit_source"].unique().tolist()  # doctest: +SKIP
    ['IDR Billion', 'IDR']
    """
    table = read_databank(path)
    cells = table.cells
    flagged = cells[cells["flag"] != ""]
    if len(flagged):
        r = flagged.iloc[0]
        raise MalformedFileError(
            f"{path.name}, row {r['source_row']}: value {r['value']} for {r['year']} carries "
            f"the footnote mark {r['flag']!r}; this spec expects plain numbers"
        )
    cells = cells[cells["marker"] == ""]
    unknown = cells.loc[~cells["unit"].isin(list(_UNITS)), "series_code"].unique()
    if len(unknown):
        raise MalformedFileError(
            f"{path.name}: series {list(unknown)} have no known unit in "
            "the metadata sheet (expected IDR or IDR Billion)"
        )
    idx = cells["label_index"].to_numpy()
    provinces = pd.Series(table.provinces, dtype="str").to_numpy()
    out = pd.DataFrame(
        {
            "wb_code": cells["wb_code"].astype("str"),
            "region_source": pd.Series(table.labels, dtype="str").to_numpy()[idx],
            "province_source": provinces[idx],
            "series_code": cells["series_code"].astype("str"),
            "series": cells["variable"].astype("str"),
            "year": cells["year"].astype("int64"),
            "value_idr_bn": (cells["value"] * cells["unit"].map(_UNITS)).astype(float),
            "unit_source": cells["unit"].astype("str"),
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
        version=2,  # 2: read by the shared DataBank reader (same frame)
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
