"""Import tables downloaded from the BPS website and the World Bank DataBank.

A researcher who downloads a table by hand gets one of a few layouts. Each
is read into the same tidy long frame as :meth:`cityresearch.bps.BPSClient.table`
(columns :data:`TIDY_COLUMNS`), with regions placed in the toolkit's registry.

BPS website layouts (Indonesian and English)
--------------------------------------------
legacy "tabel dinamis" ``.xls``
    Really an HTML page: the region names and the values are two separate
    tables (``tableLeftBottom``, ``tableRightBottom``) aligned row by row,
    the header (title, years, sub-periods) a third; years often descend;
    province rows in capitals precede their kabupaten/kota.
new-site long ``.csv``
    ``;``-separated columns ``nama_variabel; nama_variabel_turunan;
    nama_tahun; nama_turunan_tahun; data_content; nama_item_vertical_variabel``,
    sometimes with spaces and a byte-order mark before the header.
wide ``.xlsx`` / ``.csv``
    A region column ("Provinsi/Kabupaten/Kota", "Provinsi", "Nama Wilayah",
    "Kota Inflasi", "Province", "Regency/Municipality") and one to three
    header rows (title, years, months or semesters), or one row of
    flattened headers ("Garis Kemiskinan - Maret (Rp)"); an ``INDONESIA``
    total row; notes below the table.

Cells may use Indonesian number formats (``1.234,56``), missing-value
markers (``-``, ``...``, ``NA``) and footnote marks (``*``, ``**``, ``***``:
angka sementara / sangat sementara, provisional / very provisional) on years,
values or region names. Text files may be UTF-8 (with a BOM), UTF-16 or
Windows-1252/Latin-1, separated by ``;``, ``,`` or tabs.

World Bank DataBank (INDO-DAPOER)
---------------------------------
Columns "Series Name", "Series Code", a region name and code column
("Provinces Name" / "Provinces Code"; kab/kota spelt "Blitar, Kab.",
"Blitar, Kota", provinces "Bali, Prop."), optionally "Level" (the province),
and one column per year "2000 [YR2000]"; ``..`` is missing; the
"Series - Metadata" sheet gives each series' unit.

Nothing is dropped silently: a row whose region matches nothing stays in the
frame with ``matched`` False and is listed in ``attrs["unplaced"]`` (with a
warning); every source row that is not data (titles, headers, notes, blank
rows) is listed in ``attrs["skipped"]`` with its reason, so
``attrs["rows_read"]`` = data rows + skipped rows.

This module does not read binary (BIFF) ``.xls`` files; open them in a
spreadsheet program and save as ``.xlsx``.
"""

from __future__ import annotations

import hashlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd

from cityresearch._databank import read_databank
from cityresearch._errors import ValidationError
from cityresearch._tidy import (
    TIDY_COLUMNS,
    attr_table,
    check_path,
    csv_rows,
    malformed,
    no_rows,
    parse_numbers,
    place_regions,
    read_text,
    split_mark,
    tidy_frame,
    warn_unplaced,
)
from cityresearch._tidy import cell_text as _s
from cityresearch._tidy import refuse_sheet as _refuse_sheet
from cityresearch._tidy import sheet_names as _sheet_names
from cityresearch._tidy import xlsx_rows as _xlsx_rows

__all__ = ["read_table", "read_bps_table", "read_worldbank", "TIDY_COLUMNS"]

_REGION_HEADER = re.compile(
    r"^(provinsi\s*/\s*kabupaten\s*/\s*kota|kabupaten\s*/\s*kota|provinsi|nama wilayah|wilayah|"
    r"kota inflasi|kota|kabupaten|province\s*/\s*regency\s*/\s*(city|municipality)|"
    r"regency\s*/\s*(city|municipality)|province|region|region name|city|inflation city)$",
    re.I,
)
_MONTHS = {
    "januari": 1,
    "februari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "desember": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "december": 12,
}
_PERIOD_WORDS = re.compile(
    r"^(tahunan|tahun|annual|year|semester\s*[12i]+|triwulan\s*[1-4iv]+|quarter\s*[1-4iv]+|"
    r"q[1-4])$",
    re.I,
)
_NOTE = re.compile(
    r"^((sumber|source|catatan|notes?|keterangan|data from|last updated|"
    r"footnotes?)\b|ket\.|\*)",
    re.I,
)
_LONG_COLUMNS = {
    "variable": ("nama_variabel", "variable_name", "variable", "var_name"),
    "derived_variable": (
        "nama_variabel_turunan",
        "derived_variable_name",
        "derived_variable",
        "turvar_name",
    ),
    "year": ("nama_tahun", "year_name", "tahun", "year"),
    "period": ("nama_turunan_tahun", "derived_period_name", "derived_year_name", "period"),
    "value": ("data_content", "datacontent", "nilai", "value"),
    "region": (
        "nama_item_vertical_variabel",
        "vertical_variable_item_name",
        "nama_item_vervar",
        "vervar_name",
        "wilayah",
        "region",
    ),
}


_BPS_OPTIONS = ("decimal", "sheet", "year", "variable", "unit", "level")
_WB_OPTIONS = ("sheet", "decimal")


def _refuse_options(func: str, given, allowed, *, path: Path | None = None) -> None:
    """Refuse keyword options a reader does not take, naming each (never ignore them)."""
    import difflib

    unknown = [k for k in given if k not in allowed]
    if not unknown:
        return
    k = unknown[0]
    if path is not None and k in _BPS_OPTIONS:  # read_table on a World Bank file
        raise ValidationError(
            f"{func}: {path.name} is a World Bank DataBank export; {k}= applies to BPS tables "
            f"only (read_worldbank takes {', '.join(o + '=' for o in allowed)}). Remove it."
        )
    close = difflib.get_close_matches(k, list(allowed), n=1)
    hint = f" (did you mean {close[0]}=?)" if close else ""
    raise ValidationError(
        f"{func}: unknown option {k}={given[k]!r}{hint}; the options are "
        f"{', '.join(o + '=' for o in allowed)}."
    )


def _file_info(path: Path) -> dict:
    return {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def read_table(path: str | os.PathLike, **kwargs: Any) -> pd.DataFrame:
    """Read any supported download: a World Bank DataBank export or a BPS table.

    Parameters
    ----------
    path : str or Path
        The downloaded file (``.xls`` HTML, ``.xlsx``, ``.csv``).
    **kwargs
        Options of :func:`read_bps_table` (``decimal``, ``sheet``, ``year``,
        ``variable``, ``unit``, ``level``) or, for a World Bank export, of
        :func:`read_worldbank` (``sheet``, ``decimal``).

    Returns
    -------
    pandas.DataFrame
        The tidy frame (see :func:`read_bps_table`).

    Raises
    ------
    InputPathError, EmptyFileError, MalformedFileError
    ValidationError
        Also for an unknown option (a misspelt ``levl=``) or a BPS-only option
        (``level=``, ``year=`` ...) given for a World Bank file: options are
        never ignored.

    Examples
    --------
    >>> t = read_table("Revenue_IndoDapoer.xlsx", levl="kabkota")  # doctest: +SKIP
    Traceback (most recent call last):
    ...
    ValidationError: read_table: unknown option levl='kabkota' (did you mean level=?); ...
    """
    _refuse_options("read_table", kwargs, _BPS_OPTIONS)
    p = check_path(path)
    grid = _grid_or_none(p, kwargs.get("sheet"))
    if grid is not None and any(
        "series code" in [str(c).strip().lower() for c in row] for row in grid[:5]
    ):
        _refuse_options("read_table", kwargs, _WB_OPTIONS, path=p)
        return read_worldbank(p, **kwargs)
    return read_bps_table(p, **kwargs)


# ------------------------------------------------------------------ reading grids


def _grid_or_none(path: Path, sheet=None):
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        if sheet is None:  # a World Bank workbook keeps its data on "Data"
            names = _sheet_names(path)
            sheet = "Data" if "Data" in names else None
        return _xlsx_rows(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return csv_rows(path)[0]
    return None


class _HTMLTables(HTMLParser):
    """Collect every <table> as rows of (text, colspan), keyed by id or position."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._stack: list[dict] = []
        self._cell: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            t = {"id": a.get("id"), "rows": []}
            self.tables.append(t)
            self._stack.append(t)
        elif tag == "tr" and self._stack:
            self._stack[-1]["rows"].append([])
        elif tag in ("td", "th") and self._stack:
            span = a.get("colspan") or "1"
            self._cell = {"text": "", "span": int(span) if span.isdigit() else 1}
        elif tag == "br" and self._cell is not None:
            self._cell["text"] += " "

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            self._stack.pop()
        elif tag in ("td", "th") and self._cell is not None and self._stack:
            rows = self._stack[-1]["rows"]
            if not rows:
                rows.append([])
            rows[-1].append((re.sub(r"\s+", " ", self._cell["text"]).strip(), self._cell["span"]))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def _expand(row) -> list[str]:
    out = []
    for text, span in row:
        out += [text] * span
    return out


def _html_grid(path: Path, text: str) -> tuple[list[list], int, str]:
    """Return (grid, n_header_rows, layout) of an HTML table download."""
    parser = _HTMLTables()
    parser.feed(text)
    byid = {t["id"]: t for t in parser.tables if t["id"]}
    if {"tableLeftBottom", "tableRightUp", "tableRightBottom"} <= set(byid):
        names = [_expand(r) for r in byid["tableLeftBottom"]["rows"] if r]
        head = [_expand(r) for r in byid["tableRightUp"]["rows"] if r]
        vals = [_expand(r) for r in byid["tableRightBottom"]["rows"] if r]
        corner = [_expand(r) for r in byid.get("tableLeftUp", {"rows": []})["rows"] if r]
        if len(names) != len(vals):
            raise malformed(
                path,
                f"the region-name table has {len(names)} rows but the value "
                f"table {len(vals)}; the download is incomplete",
            )
        if not names:
            raise no_rows(path, "the region and value tables are empty")
        width = max(len(r) for r in head + vals)
        region_head = corner[0][0] if corner and corner[0] else "Nama Wilayah"
        grid = []
        for i, h in enumerate(head):
            grid.append([region_head if i == 0 else ""] + h + [""] * (width - len(h)))
        for n, v in zip(names, vals, strict=True):
            grid.append([n[0] if n else ""] + v + [""] * (width - len(v)))
        return grid, len(head), "legacy tabel dinamis (HTML .xls, split name/value tables)"
    # one plain table: the largest
    tables = [t for t in parser.tables if t["rows"]]
    if not tables:
        raise malformed(path, "an HTML file without a table")
    t = max(tables, key=lambda t: len(t["rows"]))
    grid = [_expand(r) for r in t["rows"]]
    return grid, -1, "HTML table"


# ------------------------------------------------------------------ header analysis


def _describe_column(texts: list[str]) -> dict:
    """Year, period, variable, unit, flag from a value column's header texts."""
    out: dict[str, Any] = {"year": None, "period": None, "variable": None, "unit": None}
    out["flag"] = ""
    rest = []
    for t in texts:
        if not t:
            continue
        core, mark = split_mark(t)
        if re.fullmatch(r"(1[89]|20)\d\d", core):
            out["year"], out["flag"] = int(core), mark or out["flag"]
        elif core.lower() in _MONTHS or _PERIOD_WORDS.match(core):
            out["period"] = core
        else:
            rest.append(t)
    for t in rest:  # flattened "Variable - Period (unit)" headers
        units = re.findall(r"\(([^()]*)\)", t)
        base = re.sub(r"\s*\([^()]*\)", "", t).strip()
        if " - " in base:
            var, per = (x.strip() for x in base.rsplit(" - ", 1))
            core, mark = split_mark(per)
            if re.fullmatch(r"(1[89]|20)\d\d", core):
                out["year"], out["flag"] = int(core), mark or out["flag"]
            else:
                out["period"] = out["period"] or per
            base = var
        if units:
            out["unit"] = units[-1].strip()
        if base and (out["variable"] is None or len(base) > len(out["variable"])):
            out["variable"] = base
    return out


def _find_header(grid) -> int:
    for i, row in enumerate(grid[:30]):
        if row and _REGION_HEADER.match(_s(row[0]).replace("\n", " ")):
            return i
    return -1


def read_bps_table(
    path: str | os.PathLike,
    *,
    decimal: str = "auto",
    sheet: str | None = None,
    year: int | None = None,
    variable: str | None = None,
    unit: str | None = None,
    level: str | None = "auto",
    **kwargs: Any,
) -> pd.DataFrame:
    """Read a table downloaded from the BPS website into a tidy long frame.

    Parameters
    ----------
    path : str or Path
        A legacy ``.xls`` (HTML), a new-site ``.csv`` (long), or a wide
        ``.xlsx``/``.csv`` with a region column (see the module docstring).
    decimal : {"auto", ",", "."}
        Decimal separator of text numbers; ``"auto"`` decides from the whole
        file and refuses to guess when it cannot tell (``9.492`` alone).
    sheet : str, optional
        Worksheet of an ``.xlsx`` (default: the first); refused for other
        files.
    year : int, optional
        The year of a table whose header has none (e.g. "... Menurut
        Provinsi, 2017.csv"): default the single year in the file name.
    variable, unit : str, optional
        Override the variable label and unit found in the header.
    level : {"auto", "kabkota", "provinsi", None}
        What the rows are: ``"auto"`` decides from the region header
        ("Provinsi" = provinces; others mix provinces in capitals,
        kab/kota and "INDONESIA"); None forces the mixed reading.
    **kwargs
        Nothing else is accepted: any other keyword (e.g. a misspelt
        ``decmal=``) raises :class:`ValidationError` naming the option and
        the closest valid one, so an option is never silently ignored.

    Returns
    -------
    pandas.DataFrame
        :data:`TIDY_COLUMNS`: ``region`` (as written, marks removed),
        ``level``, ``bps_code`` (kab/kota, BPS 2017-2018), ``prov_bps_code``,
        ``kemendagri_code``, ``prov_kemendagri_code``, ``name``, ``matched``,
        ``year``, ``period`` ("Tahun", a month, "Maret"...), ``variable``,
        ``derived_variable``, ``value`` (in ``unit``; NaN where a marker
        stood), ``unit``, ``flag`` (``*``/``**``/``***`` on the value or its
        year), ``provisional``, ``marker`` (the missing-value marker),
        ``note_mark`` (a mark on the region name), ``source_row`` (1-based
        row in the file's table). ``attrs``: ``unplaced``, ``skipped``,
        ``rows_read``, ``layout``, ``source`` (file name and SHA-256).

    Raises
    ------
    InputPathError
        Missing path or a folder.
    EmptyFileError
        An empty file, or a header without data rows.
    MalformedFileError
        Not a known layout, or a value cell that is neither a number nor a
        marker (the message names row, column and value); two columns for the
        same year and period (named); two rows giving a figure for the same
        region, year and variable (the region and rows are named).
    ValidationError
        Ambiguous decimal separator, no year found, an unknown option, or
        ``sheet=`` for a file that is not a workbook.

    Examples
    --------
    A wide table with Indonesian decimal commas and a province row in
    capitals (placing regions needs the registry's data files, so these
    lines are not run as tests):

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p0.csv"
    >>> _ = path.write_text(
    ...     "Provinsi/Kabupaten/Kota;2016;2017\\nJAWA TIMUR;11,85;11,2\\n"
    ...     "Kab. Blitar;9,88;9,8\\nKota Blitar;7,18;7,44\\n"
    ... )
    >>> t = read_bps_table(path)  # doctest: +SKIP
    >>> t.loc[t["year"] == 2017, ["name", "level", "value"]].values.tolist()  # doctest: +SKIP
    [['Jawa Timur', 'provinsi', 11.2], ['Kabupaten Blitar', 'kabkota', 9.8], \
['Kota Blitar', 'kabkota', 7.44]]
    """
    _refuse_options("read_bps_table", kwargs, _BPS_OPTIONS)
    p = check_path(path)
    if level not in ("auto", "kabkota", "provinsi", None):
        raise ValidationError(f"level must be 'auto', 'kabkota', 'provinsi' or None, not {level!r}")
    suffix = p.suffix.lower()
    head = p.read_bytes()[:2048].lstrip().lower()
    header_rows = -1
    if suffix == ".xls" or head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise malformed(
                p,
                "a binary Excel 97 (.xls) workbook; open it in a spreadsheet "
                "program and save it as .xlsx, then read that file",
            )
        _refuse_sheet("read_bps_table", p, sheet)
        text, _ = read_text(p)
        if "<table" not in text.lower():
            raise malformed(p, "neither an HTML table (legacy BPS .xls) nor a workbook")
        grid, header_rows, layout = _html_grid(p, text)
    elif suffix in (".xlsx", ".xlsm"):
        grid, layout = _xlsx_rows(p, sheet), "wide .xlsx"
    elif suffix in (".csv", ".txt", ".tsv"):
        _refuse_sheet("read_bps_table", p, sheet)
        grid, sep, enc = csv_rows(p)
        layout = f"delimited text ({sep!r}, {enc})"
        cols = [c.strip().lower() for c in (next((r for r in grid if any(r)), []))]
        if _long_map(cols):
            return _read_long(p, grid, cols, decimal=decimal, layout=layout, level=level)
    else:
        raise malformed(p, f"unknown file type {suffix!r}: expected .xls, .xlsx or .csv")
    return _read_wide(
        p,
        grid,
        header_rows,
        layout,
        decimal=decimal,
        year=year,
        variable=variable,
        unit=unit,
        level=level,
    )


def _long_map(cols: list[str]) -> dict | None:
    found = {}
    for field, names in _LONG_COLUMNS.items():
        for n in names:
            if n in cols:
                found[field] = cols.index(n)
                break
    return found if {"value", "region", "year"} <= set(found) else None


def _read_long(p, grid, cols, *, decimal, layout, level):
    idx = _long_map(cols)
    start = next(i for i, r in enumerate(grid) if any(r))
    skipped = [(i + 1, " ".join(grid[i])[:80], "blank row") for i in range(start)]
    skipped.append((start + 1, ";".join(grid[start])[:80], "header"))
    rows = []
    for i in range(start + 1, len(grid)):
        r = grid[i]
        if not any(c.strip() for c in r):
            skipped.append((i + 1, "", "blank row"))
            continue
        if len(r) < len(cols):
            if _NOTE.match(r[0] or ""):
                skipped.append((i + 1, " ".join(r)[:80], "note"))
                continue
            raise malformed(p, f"row {i + 1} has {len(r)} fields, the header {len(cols)}: {r}")
        rows.append((i + 1, r))
    if not rows:
        raise no_rows(p, "only a header")
    get = lambda r, f: r[idx[f]] if f in idx else ""  # noqa: E731
    values, markers, flags, bad = parse_numbers(
        [get(r, "value") for _, r in rows], decimal=decimal, what=f"{p.name} data_content"
    )
    if bad:
        n, r = rows[bad[0]]
        raise malformed(
            p,
            f"row {n}: value {get(r, 'value')!r} is neither a number nor a "
            "missing marker (-, ..., NA)",
        )
    years, yflags = [], []
    for n, r in rows:
        core, mark = split_mark(get(r, "year"))
        if not re.fullmatch(r"(1[89]|20)\d\d", core):
            raise malformed(p, f"row {n}: year {get(r, 'year')!r} is not a year")
        years.append(int(core))
        yflags.append(mark)
    labels = [get(r, "region") for _, r in rows]
    provinces = _province_context(labels, None if level == "auto" else level)
    placed = place_regions(labels, level=None if level == "auto" else level, provinces=provinces)
    rec = pd.DataFrame(
        {
            "label_index": range(len(rows)),
            "year": years,
            "period": [get(r, "period") or None for _, r in rows],
            "variable": [get(r, "variable") or None for _, r in rows],
            "derived_variable": [get(r, "derived_variable") or None for _, r in rows],
            "value": values,
            "unit": None,
            "flag": [f or y for f, y in zip(flags, yflags, strict=True)],
            "marker": markers,
            "source_row": [n for n, _ in rows],
        }
    )
    return _finish(p, rec, placed, skipped, len(grid), "new-site long CSV, " + layout)


def _province_context(labels, level):
    """The province each label sits under (the last capitals province row above it)."""
    from cityresearch._tidy import match_province

    ctx, out = None, []
    for lab in labels:
        core, _ = split_mark(lab)
        if (
            level != "kabkota"
            and core
            and core.upper() == core
            and any(ch.isalpha() for ch in core)
        ):
            p = match_province(core)
            if p is not None:
                ctx = p["province"]  # by name: matches the 34- and the 38-province scheme
                out.append(None)
                continue
            if core.strip().upper() == "INDONESIA":
                ctx = None
        out.append(ctx)
    return out


def _read_wide(p, grid, header_rows, layout, *, decimal, year, variable, unit, level):
    if not grid or not any(any(_s(c) for c in r) for r in grid):
        raise no_rows(p, "no cells")
    h0 = _find_header(grid)
    if h0 < 0:
        raise malformed(
            p,
            "no region column found: expected a first-column header such as "
            "'Provinsi', 'Kabupaten/Kota', 'Provinsi/Kabupaten/Kota', 'Nama "
            "Wilayah', 'Province' or 'Regency/Municipality' in the first 30 rows",
        )
    width = max(len(r) for r in grid)
    grid = [list(r) + [""] * (width - len(r)) for r in grid]
    skipped = [
        (i + 1, " ".join(_s(c) for c in grid[i])[:80], "title above the table") for i in range(h0)
    ]
    # header block: the region-header row and the following rows with an empty first cell
    h1 = h0 + 1
    while h1 < len(grid) and not _s(grid[h1][0]) and any(_s(c) for c in grid[h1]):
        h1 += 1
    if header_rows > 0:
        h1 = h0 + header_rows
    head = [[_s(c) for c in grid[i]] for i in range(h0, h1)]
    for row in head:  # merged cells: carry a label to the right
        last = ""
        for j in range(1, width):
            if row[j]:
                last = row[j]
            elif j > 1:
                row[j] = last
    skipped += [
        (i + 1, " | ".join(_s(c) for c in grid[i] if _s(c))[:80], "header") for i in range(h0, h1)
    ]
    region_header = _s(grid[h0][0])
    cols = []
    for j in range(1, width):
        texts = [row[j] for row in head]
        if not any(texts):
            continue
        d = _describe_column(texts)
        cols.append((j, d))
    if not cols:
        raise malformed(p, f"no value columns next to {region_header!r}")
    file_year = None
    ys = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", p.stem)
    if len(set(ys)) == 1:
        file_year = int(ys[0])
    for j, d in cols:
        if d["year"] is None:
            d["year"] = year if year is not None else file_year
            if d["year"] is None:
                texts = " / ".join(t for t in (r[j] for r in head) if t)
                raise ValidationError(
                    f"{p.name}: column {j + 1} ({texts!r}) "
                    "has no year in its header or the file name; pass year="
                )
    seen = {}
    for j, d in cols:
        key = (d["year"], d["period"], d["variable"], d["unit"])
        if key in seen:
            j0 = seen[key]
            texts = " / ".join(t for t in (r[j] for r in head) if t)
            raise malformed(
                p,
                f"columns {j0 + 1} and {j + 1} both hold {texts!r} (year {d['year']}"
                + (f", {d['period']}" if d["period"] else "")
                + (f", {d['variable']}" if d["variable"] else "")
                + "): each year and period may appear once. Remove or relabel one of them "
                "in the file.",
            )
        seen[key] = j
    if level == "auto":
        rh = region_header.lower()
        level = (
            "provinsi"
            if re.fullmatch(r"provinsi|province", rh)
            else (
                "kabkota" if re.search(r"kota inflasi|inflation city|^kota$|^city$", rh) else None
            )
        )
    data_rows = []
    for i in range(h1, len(grid)):
        r = grid[i]
        label = _s(r[0])
        rest = [r[j] for j, _ in cols]
        if not label and not any(_s(c) for c in r):
            skipped.append((i + 1, "", "blank row"))
            continue
        if _NOTE.match(label) or (label and not any(_s(c) for c in rest) and len(label) > 40):
            skipped.append((i + 1, " ".join(_s(c) for c in r if _s(c))[:80], "note"))
            continue
        if not label:
            skipped.append(
                (i + 1, " ".join(_s(c) for c in r if _s(c))[:80], "values without a region label")
            )
            continue
        data_rows.append((i, label, rest))
    if not data_rows:
        raise no_rows(p, f"a header ({region_header!r}) but no rows below it")
    cells = [c for _, _, rest in data_rows for c in rest]
    texts = [c for c in cells if isinstance(c, str)]
    dec = decimal
    if decimal == "auto":
        from cityresearch._tidy import decimal_convention

        stripped = [split_mark(c)[0].replace(" ", "") for c in texts]
        stripped = [
            s
            for s in stripped
            if s.lower() not in {"", "-", "...", "..", "na", "n/a", "\u2013", "\u2014", "x"}
        ]
        dec = decimal_convention(stripped, what=f"{p.name} values")
    labels = [lab for _, lab, _ in data_rows]
    provinces = _province_context(labels, level)
    placed = place_regions(labels, level=level, provinces=provinces)
    recs = {
        k: []
        for k in (
            "label_index",
            "year",
            "period",
            "variable",
            "derived_variable",
            "value",
            "unit",
            "flag",
            "marker",
            "source_row",
        )
    }
    for k, (j, d) in enumerate(cols):
        column = [rest[k] for _, _, rest in data_rows]
        values, markers, flags, bad = parse_numbers(
            column, decimal=dec, what=f"{p.name} column {j + 1}"
        )
        if bad:
            i = data_rows[bad[0]][0]
            raise malformed(
                p,
                f"row {i + 1}, column {j + 1} ({d['variable'] or d['year']}): "
                f"value {column[bad[0]]!r} is neither a number nor a missing "
                "marker (-, ..., NA)",
            )
        n = len(data_rows)
        recs["label_index"] += list(range(n))
        recs["year"] += [d["year"]] * n
        recs["period"] += [d["period"] or "Tahun"] * n
        recs["variable"] += [variable or d["variable"]] * n
        recs["derived_variable"] += [None] * n
        recs["value"] += list(values)
        recs["unit"] += [unit or d["unit"]] * n
        recs["flag"] += [f or d["flag"] for f in flags]
        recs["marker"] += markers
        recs["source_row"] += [i + 1 for i, _, _ in data_rows]
    rec = pd.DataFrame(recs)
    return _finish(p, rec, placed, skipped, len(grid), layout)


_FIGURE_KEYS = [
    "level",
    "bps_code",
    "prov_kemendagri_code",
    "name",
    "year",
    "period",
    "variable",
    "derived_variable",
    "unit",
    "series_code",
]


def _refuse_duplicates(p: Path, out: pd.DataFrame) -> None:
    """Refuse two source rows that give a figure for the same region, year and variable.

    Only placed rows are compared (an unplaced label may name different
    regions under different provinces); the message names the region, its
    rows and one pair of conflicting figures.
    """
    keys = [k for k in _FIGURE_KEYS if k in out.columns]
    m = out[out["matched"]]
    dup = m.duplicated(keys, keep=False)
    if not dup.any():
        return
    d = m[dup]
    region = ["level", "bps_code", "prov_kemendagri_code", "name"]
    by_region = list(d.groupby(region, dropna=False, sort=False))
    parts = []
    for _, g in by_region[:3]:
        r = g.iloc[0]
        code = r["bps_code"] or r["prov_kemendagri_code"] or ""
        rows = ", ".join(
            f"{n} ({lab!r})"
            for n, lab in g.drop_duplicates("source_row")[["source_row", "region"]].values
        )
        _, first = next(iter(g.groupby(keys, dropna=False, sort=False)))
        f = first.iloc[0]
        when = f"{f['year']}" + (f" {f['period']}" if f["period"] not in (None, "Tahun") else "")
        var = f" {f['variable']}" if f["variable"] else ""
        vals = " and ".join("missing" if pd.isna(v) else f"{v:.12g}" for v in first["value"])
        parts.append(
            f"{r['name']}"
            + (f" (code {code})" if code else "")
            + f" on rows {rows}, e.g.{var} {when}: {vals}"
        )
    more = f"; and {len(by_region) - 3} more regions" if len(by_region) > 3 else ""
    raise malformed(
        p,
        f"{len(by_region)} region{'s' if len(by_region) > 1 else ''} appear"
        f"{'' if len(by_region) > 1 else 's'} on more than one row with figures for "
        f"the same year and variable: {'; '.join(parts)}{more}. Keep one row per "
        "region (check which figure is right) and delete the other from the file.",
    )


def _finish(p, rec, placed, skipped, rows_read, layout):
    out = tidy_frame(rec, placed)
    out = out.sort_values("source_row", kind="stable", ignore_index=True)  # columns in file order
    _refuse_duplicates(p, out)
    out.attrs["unplaced"] = attr_table(
        placed[~placed["matched"]].drop_duplicates(subset=["region"])
    )
    out.attrs["skipped"] = attr_table(
        pd.DataFrame(skipped, columns=["source_row", "text", "reason"])
    )
    out.attrs["rows_read"] = rows_read
    out.attrs["layout"] = layout
    out.attrs["source"] = _file_info(p)
    n_data = out["source_row"].nunique()
    if n_data + len(skipped) != rows_read:
        raise AssertionError(
            f"{p.name}: {n_data} data + {len(skipped)} skipped rows != {rows_read} rows read"
        )  # a bug, not bad input
    warn_unplaced(out, p.name, stacklevel=4)
    return out


# ------------------------------------------------------------------ World Bank


def read_worldbank(
    path: str | os.PathLike, *, sheet: str | None = None, decimal: str = ".", **kwargs: Any
) -> pd.DataFrame:
    """Read a World Bank DataBank export (e.g. INDO-DAPOER) into a tidy long frame.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` or ``.csv`` DataBank download.
    sheet : str, optional
        The data sheet of an ``.xlsx``. Default: ``"Data"`` (DataBank's name),
        or the first sheet when there is none of that name. A sheet given
        that the workbook lacks is refused (the sheets are listed); ``sheet=``
        for a text file is refused.
    decimal : {".", ",", "auto"}
        Decimal separator of text numbers (DataBank writes ``.``).
    **kwargs
        Nothing else is accepted: any other keyword raises
        :class:`ValidationError` naming it (options are never ignored).

    Returns
    -------
    pandas.DataFrame
        :data:`TIDY_COLUMNS` with ``variable`` = series name, ``unit`` from
        the "Series - Metadata" sheet when present (else the series name's
        "(in IDR ...)"), ``marker`` ``..`` where missing; plus ``series_code``
        and ``wb_code`` (the World Bank region code, e.g. ``ID.JI.BR``).
        ``attrs`` as :func:`read_bps_table`.

    Raises
    ------
    InputPathError, EmptyFileError
    MalformedFileError
        Not a DataBank layout, a value that is not a number, or two rows for
        the same region and series (named).
    ValidationError
        An unknown option (e.g. a misspelt ``decmal=``; options are never
        ignored), an absent sheet, ``sheet=`` for a text file, a ``decimal``
        other than ``"."``, ``","``, ``"auto"``.

    Examples
    --------
    A one-row DataBank text export (placing regions needs the registry's
    data files, so these lines are not run as tests):

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "wb.csv"
    >>> _ = path.write_text(
    ...     "Provinces Name;Provinces Code;Series Name;Series Code;2010 [YR2010];2011 [YR2011]\\n"
    ...     '"Blitar, Kota";ID.JI.BL;Total Revenue (in IDR);REV.TOTL.CR;512000000000;..\\n'
    ... )
    >>> t = read_worldbank(path)  # doctest: +SKIP
    >>> t[["name", "bps_code", "year", "value", "unit", "marker"]].values.tolist()  # doctest: +SKIP
    [['Kota Blitar', '3572', 2010, 512000000000.0, 'IDR', ''], \
['Kota Blitar', '3572', 2011, nan, 'IDR', '..']]
    """
    _refuse_options("read_worldbank", kwargs, _WB_OPTIONS)
    table = read_databank(path, sheet=sheet, decimal=decimal)
    p = Path(path).expanduser()
    from cityresearch._tidy import match_province

    prov_ctx = []
    for pv in table.provinces:
        m = match_province(pv) if pv else None
        prov_ctx.append(m["province"] if m is not None else None)
    placed = place_regions(table.labels, provinces=prov_ctx)
    cells = table.cells
    n = len(cells)
    recs = pd.DataFrame(
        {
            "label_index": cells["label_index"].to_numpy(),
            "year": cells["year"].to_numpy(),
            "period": ["Tahun"] * n,
            "variable": cells["variable"].to_numpy(),
            "derived_variable": [None] * n,
            "value": cells["value"].to_numpy(),
            "unit": cells["unit"].to_numpy(),
            "flag": cells["flag"].to_numpy(),
            "marker": cells["marker"].to_numpy(),
            "source_row": cells["source_row"].to_numpy(),
            "series_code": cells["series_code"].to_numpy(),
            "wb_code": cells["wb_code"].to_numpy(),
        }
    )
    return _finish(p, recs, placed, table.skipped, table.rows_read, table.layout)
