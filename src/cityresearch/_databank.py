"""Read the World Bank DataBank export layout (private; one reader for two callers).

A DataBank download (INDO-DAPOER and every other DataBank database) has the
columns "Series Name", "Series Code", a region name and code column
("Provinces Name" / "Provinces Code"), optionally "Level" (the province of a
kab/kota), and one column per year ("2000 [YR2000]"); ``..`` is missing; a
workbook's "Series - Metadata" sheet gives each series' unit of measure.

:func:`read_databank` reads that layout into value cells with the source's
own labels and nothing else. Its two callers add what they need:
:func:`cityresearch.importers.read_worldbank` (the public importer for a
researcher's own exports) places the region labels in the registry, and the
data spec ``fiscal_revenue_kabkota_java`` (:mod:`cityresearch.data.specs.fiscal`)
maps the cells to its schema. This module never matches regions or loads a
dataset, so the data layer can use it without depending on
:mod:`cityresearch.regions`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pandas as pd

from cityresearch._errors import ValidationError
from cityresearch._tidy import (
    cell_text,
    check_path,
    csv_rows,
    malformed,
    no_rows,
    parse_numbers,
    refuse_sheet,
    sheet_names,
    xlsx_rows,
)

#: Columns of :attr:`DataBankTable.cells`, in order.
CELL_COLUMNS = [
    "label_index",
    "year",
    "variable",
    "value",
    "unit",
    "flag",
    "marker",
    "source_row",
    "series_code",
    "wb_code",
]

_YEAR = re.compile(r"((?:19|20)\d\d)(?: \[YR\d{4}\])?")


@dataclass(frozen=True)
class DataBankTable:
    """The cells of a DataBank export, with the source's labels.

    Attributes
    ----------
    cells : pandas.DataFrame
        One row per series, region and year column (missing cells included,
        ``value`` NaN and ``marker`` ``".."``), year-major in file order:
        ``label_index`` (position in :attr:`labels`), ``year``, ``variable``
        (series name), ``value`` (float, in ``unit``), ``unit`` (from the
        metadata sheet, else the series name's "(in ...)"; None when
        neither says), ``flag`` (footnote mark), ``marker``, ``source_row``
        (1-based row in the sheet), ``series_code``, ``wb_code`` (region
        code, None without a code column).
    labels : list of str
        The region label of each data row ("Blitar, Kab.").
    provinces : list of str or None
        The "Level" cell of each data row ("Jawa Timur, Prop."), None
        without a "Level" column.
    skipped : list of tuple
        ``(source_row, text, reason)`` for every row that is not data.
    rows_read : int
        Rows in the sheet (data + skipped).
    layout : str
        "World Bank DataBank .xlsx" or "World Bank DataBank text (sep, encoding)".
    """

    cells: pd.DataFrame
    labels: list[str]
    provinces: list[str | None]
    skipped: list[tuple[int, str, str]]
    rows_read: int
    layout: str


def read_databank(
    path: str | os.PathLike, *, sheet: str | None = None, decimal: str = "."
) -> DataBankTable:
    """Read a World Bank DataBank export (``.xlsx`` or text) into cells.

    Parameters
    ----------
    path : str or pathlib.Path
        The download.
    sheet : str, optional
        Data sheet of a workbook: default ``"Data"``, else the first sheet.
    decimal : {".", ",", "auto"}
        Decimal separator of numbers written as text.

    Returns
    -------
    DataBankTable

    Raises
    ------
    InputPathError, EmptyFileError
        No such file, a folder, an empty file or a header without data rows.
    MalformedFileError
        Not a DataBank layout, or a cell that is neither a number nor ``..``
        (row and column named).
    ValidationError
        A sheet the workbook lacks, ``sheet=`` for a text file, or an
        unknown ``decimal``.
    """
    p = check_path(path)
    if decimal not in ("auto", ",", "."):
        raise ValidationError(f"decimal must be 'auto', ',' or '.', not {decimal!r}")
    units: dict[str, str | None] = {}
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        names = sheet_names(p)
        if sheet is not None and sheet not in names:
            raise ValidationError(
                f"read_worldbank: {p.name} has no sheet {sheet!r}; it has "
                f"{names}. Pass one of them as sheet=."
            )
        if sheet is None:
            sheet = "Data" if "Data" in names else names[0]
        grid = xlsx_rows(p, sheet)
        meta_sheet = next(
            (s for s in names if "metadata" in s.lower() and "series" in s.lower()), None
        )
        if meta_sheet:
            meta = xlsx_rows(p, meta_sheet)
            mh = [cell_text(c).lower() for c in meta[0]] if meta else []
            if "code" in mh and "unit of measure" in mh:
                for r in meta[1:]:
                    code = cell_text(r[mh.index("code")])
                    units[code] = cell_text(r[mh.index("unit of measure")]) or None
        layout = "World Bank DataBank .xlsx"
    else:
        refuse_sheet("read_worldbank", p, sheet)
        grid, sep, enc = csv_rows(p)
        layout = f"World Bank DataBank text ({sep!r}, {enc})"
    start = next((i for i, r in enumerate(grid) if any(cell_text(c) for c in r)), None)
    if start is None:
        raise no_rows(p, "no cells")
    header = [cell_text(c) for c in grid[start]]
    low = [h.lower() for h in header]
    if "series code" not in low or "series name" not in low:
        raise malformed(p, "no 'Series Name' and 'Series Code' columns: not a DataBank export")
    year_cols = [(j, int(m.group(1))) for j, h in enumerate(header) if (m := _YEAR.fullmatch(h))]
    if not year_cols:
        raise malformed(p, "no year columns such as '2000 [YR2000]'")
    name_col = next(
        (j for j, h in enumerate(low) if h.endswith(" name") and h != "series name"), None
    )
    code_col = next(
        (j for j, h in enumerate(low) if h.endswith(" code") and h != "series code"), None
    )
    level_col = low.index("level") if "level" in low else None
    if name_col is None:
        raise malformed(p, "no region name column (e.g. 'Provinces Name')")
    sn, sc = low.index("series name"), low.index("series code")
    skipped = [(i + 1, "", "blank row") for i in range(start)]
    skipped.append((start + 1, " | ".join(header)[:80], "header"))
    rows = []
    for i in range(start + 1, len(grid)):
        r = list(grid[i]) + [""] * (len(header) - len(grid[i]))
        if not any(cell_text(c) for c in r):
            skipped.append((i + 1, "", "blank row"))
            continue
        if not cell_text(r[name_col]) or not cell_text(r[sc]):
            skipped.append((i + 1, " ".join(cell_text(c) for c in r if cell_text(c))[:80], "note"))
            continue
        rows.append((i, r))
    if not rows:
        raise no_rows(p, "only a header")
    labels = [cell_text(r[name_col]) for _, r in rows]
    provinces = [cell_text(r[level_col]) if level_col is not None else None for _, r in rows]
    series = [cell_text(r[sn]) for _, r in rows]
    codes = [cell_text(r[sc]) for _, r in rows]
    row_units = [units.get(c) or _unit_from_name(s) for s, c in zip(series, codes, strict=True)]
    regions = [cell_text(r[code_col]) if code_col is not None else None for _, r in rows]
    source_rows = [i + 1 for i, _ in rows]
    recs: dict[str, list] = {k: [] for k in CELL_COLUMNS}
    n = len(rows)
    for j, y in year_cols:
        column = [r[j] for _, r in rows]
        values, markers, flags, bad = parse_numbers(
            column, decimal=decimal, what=f"{p.name} column {header[j]!r}"
        )
        if bad:
            i = rows[bad[0]][0]
            raise malformed(
                p,
                f"row {i + 1}, column {header[j]!r}: value {column[bad[0]]!r} is "
                "neither a number nor '..'",
            )
        recs["label_index"] += list(range(n))
        recs["year"] += [y] * n
        recs["variable"] += series
        recs["value"] += list(values)
        recs["unit"] += row_units
        recs["flag"] += flags
        recs["marker"] += markers
        recs["source_row"] += source_rows
        recs["series_code"] += codes
        recs["wb_code"] += regions
    return DataBankTable(
        cells=pd.DataFrame(recs, columns=CELL_COLUMNS),
        labels=labels,
        provinces=provinces,
        skipped=skipped,
        rows_read=len(grid),
        layout=layout,
    )


def _unit_from_name(name: str) -> str | None:
    m = re.search(r"\(in ([^()]+)\)", name)
    return m.group(1).strip() if m else None
