"""Public-service quality per kabupaten/kota: the compiled Ombudsman figures and
a validated loader for a researcher's own, complete file.

Terms
-----
penilaian kepatuhan standar pelayanan publik
    The Ombudsman RI's assessment of local governments' compliance with public
    service standards, scored 0-100 with zones hijau (green, high), kuning
    (yellow) and merah (red). The method changed: 2015-2019 a sample survey
    (zones 0-50 / 51-80 / 81-100), no assessment in 2020, 2021 every pemda with
    e-service indicators, 2022-2024 a four-dimension method (input, process,
    output, complaints; categories A-E) that adds public perception, 2025 an
    "opini" on maladministration of a subset (not comparable). Scores are not
    comparable across these breaks; zones are the most stable variable.
SPBE index
    KemenPAN-RB's e-government index (1-5); almost no per-region figures are
    public.

The compiled table (dataset ``service_quality``, shipped in the package) holds every published
figure that could be found (news pages and Ombudsman regional offices, one row
per figure with its source URL, date and quote): it is *not* complete and its
coverage differs by province and year (:func:`coverage`). For analyses that
need complete data, obtain the official national tables and load them with
:func:`read_measures`; every analysis in :mod:`cityresearch.policy` runs
unchanged on them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from cityresearch import _validate as _v
from cityresearch._errors import (
    AmbiguousRegionError,
    DroppedRowsWarning,
    EmptyFileError,
    InputPathError,
    MalformedFileError,
    RegionNotFoundError,
    ValidationError,
    user_stacklevel,
)

__all__ = [
    "load_compiled",
    "coverage",
    "read_measures",
    "one_per_region",
    "RANGES",
    "ZONE_ORDER",
    "ZONE_BANDS",
]

#: Valid value range of known measures (inclusive).
RANGES = {"ombudsman_kepatuhan": (0.0, 100.0), "spbe_index": (0.0, 5.0)}
#: Zones from worst to best, for ordered models.
ZONE_ORDER = ["merah", "kuning", "hijau"]


def load_compiled(
    *, measure: str | None = "ombudsman_kepatuhan", matched_only: bool = True
) -> pd.DataFrame:
    """Return the compiled, sourced service-quality figures.

    Parameters
    ----------
    measure : str or None
        ``"ombudsman_kepatuhan"`` (default), ``"spbe_index"`` or None for both.
    matched_only : bool
        Drop the rows whose region could not be identified (one misspelt
        name); ``load_compiled(matched_only=False)`` lists them with their
        ``match_status``. A bare "Sorong" in a list that also names Kota
        Sorong is Kabupaten Sorong (``matched_by_elimination``).

    Returns
    -------
    DataFrame
        One row per published figure: ``year``, ``measure``, ``method``,
        ``bps_code``, ``name``, ``score`` (0-100 for Ombudsman; missing where
        the source gave only a zone), ``zone``, ``conflict`` (another source
        gives a different figure; both are kept), ``year_uncertain``,
        ``source_url``, ``source_date``, ``quote`` and the names as written.

    Raises
    ------
    DatasetNotFoundError, HashMismatchError
        The curated table is missing from the installation, or differs from
        its listed SHA-256.
    ValidationError
        An unknown ``measure`` (the known ones are listed), a ``matched_only``
        that is not True or False.

    Examples
    --------
    >>> compiled = load_compiled()
    >>> compiled["measure"].unique().tolist()
    ['ombudsman_kepatuhan']
    >>> bool(compiled["score"].dropna().between(0, 100).all())
    True
    >>> bool(compiled["match_status"].str.startswith("matched").all())
    True
    """
    from cityresearch import data

    _v.check_choice(matched_only, (True, False), "matched_only", func="load_compiled")
    if measure is not None and not isinstance(measure, str):
        raise ValidationError(f"load_compiled: measure must be a name or None, not {measure!r}")
    df = data.load("service_quality")  # shipped in the package, hash-verified
    if measure is not None:
        if measure not in set(df["measure"]):
            raise ValidationError(
                f"measure {measure!r} is not in the compiled table; it has "
                f"{sorted(df['measure'].unique())}"
            )
        df = df[df["measure"] == measure]
    if matched_only:
        df = df[df["match_status"].str.startswith("matched")]
    return df.reset_index(drop=True)


def _value_column(table, value, func):
    """The value column: ``value`` if given, else ``score`` (compiled table) or
    ``value`` (:func:`read_measures` output)."""
    _v.as_frame(table, name="table", func=func)
    if value is None:
        for cand in ("score", "value"):
            if cand in table.columns:
                return cand
        raise ValidationError(
            f"{func}: the table has neither a 'score' (compiled table) nor a "
            f"'value' column (read_measures); it has {list(table.columns)}. "
            "Pass value=<column>."
        )
    return value


def _one_measure(table, measure, func):
    """Rows of one measure: ``measure`` if given, else the table's only one."""
    if "measure" not in table.columns:
        if measure is not None:
            raise ValidationError(
                f"{func}: measure={measure!r} given but the table has no 'measure' column"
            )
        return table
    names = table["measure"].astype(str).str.strip().str.lower()
    have = sorted(set(names))
    if measure is None:
        if len(have) > 1:
            raise ValidationError(
                f"{func}: the table holds several measures {have}; pass "
                "measure=<name> (figures of different measures are not "
                "comparable)"
            )
        return table
    if str(measure).strip().lower() not in have:
        raise ValidationError(f"{func}: measure {measure!r} is not in the table; it has {have}")
    return table[names == str(measure).strip().lower()]


def coverage(
    table: pd.DataFrame,
    *,
    value: str | None = None,
    measure: str | None = None,
    missing: str = "raise",
) -> pd.DataFrame:
    """Coverage of a service-quality table by province and year.

    Provinces are those in force in the assessment year: the 34 of the
    2017 scheme up to 2022 (the Papua split took effect in late 2022 and the
    2022 assessments were reported by the old provinces), the 38 from 2023.

    Parameters
    ----------
    table : DataFrame
        :func:`load_compiled` or :func:`read_measures` output: ``bps_code``,
        ``year``, the value column and optionally ``zone`` and ``measure``.
    value : str, optional
        The value column; default ``score`` (compiled) or ``value`` (read_measures).
    measure : str, optional
        Needed when the table holds several measures.
    missing : {"raise", "drop"}
        A row without a region code in the registry raises (default) or is
        left out (warning, ``attrs["dropped"]``).

    Returns
    -------
    DataFrame
        ``province``, ``year``, ``n_kabkota`` (regions in the province),
        ``n_score`` and ``n_zone`` (regions with a value / with a zone),
        ``share_score`` and ``complete_score`` (every kab/kota of the province
        has a value that year).

    Raises
    ------
    ValidationError
        Missing columns, several measures without ``measure=``, rows whose
        region is unknown (with ``missing="raise"``).

    Examples
    --------
    >>> t = pd.DataFrame({"bps_code": ["3505"], "year": [2023], "value": [80.0]})
    >>> coverage(t)[["province", "n_kabkota", "n_score"]].values.tolist()
    [['Jawa Timur', 38, 1]]
    """
    from cityresearch import regions

    func = "coverage"
    value = _value_column(table, value, func)
    table = _v.require_columns(
        table, {"bps_code": "any", "year": "integer", value: "numeric"}, func=func, name="table"
    )
    table = _one_measure(table, measure, func)
    _v.min_rows(table, 1, func=func)
    reg = regions.region_table()[["bps_code", "province", "province_34"]]
    known = table["bps_code"].isin(reg["bps_code"])
    t = table.assign(_unknown=np.where(known, 0.0, np.nan))
    t, dropped = _v.handle_missing(
        t, ["year", "_unknown"], missing=missing, keys=["bps_code", "year"], func=func
    )
    t = t.drop(columns="_unknown").merge(reg, on="bps_code", how="left")
    zone = t["zone"] if "zone" in t.columns else pd.Series(np.nan, index=t.index)
    t = t.assign(_zone=zone.replace("", np.nan))
    t["prov"] = np.where(t["year"] <= 2022, t["province_34"], t["province"])
    rows = []
    for (prov, year), sub in t.groupby(["prov", "year"]):
        col = "province_34" if year <= 2022 else "province"
        n_prov = int((reg[col] == prov).sum())
        rows.append(
            {
                "province": prov,
                "year": year,
                "n_kabkota": n_prov,
                "n_score": sub.loc[sub[value].notna(), "bps_code"].nunique(),
                "n_zone": sub.loc[sub["_zone"].notna(), "bps_code"].nunique(),
            }
        )
    out = pd.DataFrame(rows)
    out["share_score"] = out["n_score"] / out["n_kabkota"]
    out["complete_score"] = out["n_score"] == out["n_kabkota"]
    return _v.attach_dropped(out, dropped.drop(columns="_unknown"))


#: Score bands in which each zone of a measure is plausible (inclusive). A zone
#: whose score lies outside its band contradicts it and is flagged by
#: :func:`read_measures`. For ``ombudsman_kepatuhan`` the bands join those of
#: the successive methods (2015-2019: merah 0-50, kuning 51-80, hijau 81-100;
#: 2022-2024: hijau from about 78, merah below about 55), as observed in the
#: compiled table; only clear contradictions are flagged.
ZONE_BANDS = {
    "ombudsman_kepatuhan": {"merah": (0.0, 55.0), "kuning": (50.5, 81.0), "hijau": (78.0, 100.0)}
}
_SEPARATORS = (",", ";", "\t", "|")


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """Text of a CSV file and the encoding used (UTF-8 with or without BOM,
    UTF-16 with BOM or plainly interleaved zeros, else Windows-1252/Latin-1)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    head = raw[:2000]
    if head and head.count(b"\x00") > len(head) // 4:  # UTF-16 without BOM
        enc = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        try:
            return raw.decode(enc), enc.upper()
        except UnicodeDecodeError:
            raise MalformedFileError(
                f"{name}: looks like UTF-16 but cannot be decoded; save it as CSV UTF-8 or .xlsx"
            ) from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            return raw.decode("latin-1"), "Latin-1"


def _filled(x) -> bool:
    return not (
        x is None
        or (isinstance(x, float) and np.isnan(x))
        or (isinstance(x, str) and not x.strip())
    )


def _check_sheet(path: Path, sheet) -> None:
    """An absent sheet is refused with the workbook's sheets listed."""
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        names = list(wb.sheetnames)
        wb.close()
    except Exception:  # noqa: BLE001 (an unreadable workbook is reported by the reader)
        return
    if isinstance(sheet, bool) or not isinstance(sheet, (str, int)):
        raise ValidationError(
            f"read_measures: sheet must be a sheet name or position, not "
            f"{sheet!r}; {path.name} has {names}"
        )
    if (isinstance(sheet, str) and sheet not in names) or (
        isinstance(sheet, int) and not -len(names) <= sheet < len(names)
    ):
        raise ValidationError(
            f"read_measures: {path.name} has no sheet {sheet!r}; it has "
            f"{names}. Pass one of them as sheet=."
        )


class _SlowPath(Exception):
    """The fast CSV reader cannot give exact line numbers or field counts."""


def _csv_grid(text: str, sep: str, name: str) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Cells of a delimited text as a frame with positional columns (text, "" where
    empty), the line of each row, and the number of fields of the first row.

    pandas' C reader does the common case; the csv module takes over when a
    line has more fields than the first (pandas would refuse it without
    saying which fields) or a quoted cell holds a line break (the frame's row
    would then not be the file's line)."""
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
        )
        if '"' in text and any(
            grid[c].str.contains("[\r\n]", regex=True).any() for c in grid.columns
        ):
            raise _SlowPath
        return grid, np.arange(1, len(grid) + 1), grid.shape[1]
    except pd.errors.EmptyDataError:
        raise EmptyFileError(f"{name} has no header row") from None
    except (pd.errors.ParserError, _SlowPath):
        pass
    reader = csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True)
    rows, lines, before = [], [], 0
    try:
        for rec in reader:
            rows.append(rec)
            lines.append(before + 1)  # the line the record starts on
            before = reader.line_num
    except csv.Error as exc:
        raise MalformedFileError(
            f"{name}, line {reader.line_num}: not a readable table ({exc})"
        ) from None
    width = max(len(r) for r in rows)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    first = next((len(r) for r in rows if any(c.strip() for c in r)), width)
    return grid, np.asarray(lines), first


def _read_table(path: Path, sheet) -> tuple[pd.DataFrame, str, str, pd.Series, int]:
    """Read a CSV/TSV or .xlsx file as text cells (Excel numbers stay numbers).

    Blank rows are skipped; a row with more fields than the header is refused
    (a decimal comma in a ``,``-separated file splits a number in two), and
    so are repeated column names and cells under a column without a name.
    Returns (frame with lower-case column names, separator, row word, the file
    line or sheet row of each frame row, the header's line or row)."""
    if not path.exists():
        raise InputPathError(
            f"{path}: no such file; check the path (relative paths start at {Path.cwd()})"
        )
    if path.is_dir():
        raise InputPathError(
            f"{path} is a folder, not a file; pass the path of the CSV or .xlsx file inside it"
        )
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise MalformedFileError(
            f"{path.name}: the old Excel .xls format is not read; save the "
            "sheet as .xlsx or as CSV UTF-8"
        )
    if suffix in (".xlsx", ".xlsm"):
        if path.stat().st_size == 0:
            raise EmptyFileError(f"{path.name} is empty (0 bytes)")
        _check_sheet(path, sheet)
        try:
            grid = pd.read_excel(
                path, sheet_name=sheet, dtype=object, engine="openpyxl", header=None
            )
        except ImportError:
            raise MalformedFileError(
                f"{path.name}: reading .xlsx needs openpyxl "
                "(pip install openpyxl), or save the sheet as CSV"
            ) from None
        except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
            raise MalformedFileError(f"{path.name}: not a readable .xlsx file ({exc})") from None
        grid = grid.astype(object).where(grid.notna(), "")
        grid = grid.apply(lambda c: c.map(lambda x: x.strip() if isinstance(x, str) else x))
        grid.columns = range(grid.shape[1])
        lines = np.arange(1, len(grid) + 1)  # sheet rows (pandas keeps blank rows here)
        sep, row_word, header_len = "xlsx", "row", grid.shape[1]
        if grid.empty:
            raise EmptyFileError(f"{path.name}: sheet {sheet!r} is empty")
    else:
        raw = path.read_bytes()
        if not raw.strip():
            raise EmptyFileError(f"{path.name} is empty (0 bytes or only blank space)")
        text, _ = _decode(raw, path.name)
        del raw
        text = text.lstrip("\ufeff")
        first = next((ln for ln in text.splitlines() if ln.strip()), "")
        counts = {s: first.count(s) for s in _SEPARATORS}
        sep = max(counts, key=lambda s: counts[s]) if max(counts.values()) else ","
        grid, lines, header_len = _csv_grid(text, sep, path.name)
        row_word = "line"
    if sep == "xlsx":
        empty = grid.apply(lambda c: c.map(lambda x: isinstance(x, str) and not x))
    else:  # text cells; skipinitialspace has emptied the cells of spaces only
        empty = grid.eq("")
    keep = ~empty.all(axis=1).to_numpy()
    grid, lines, empty = grid[keep], lines[keep], empty[keep]
    if grid.empty:
        raise EmptyFileError(f"{path.name} has no header row")
    header_line = int(lines[0])
    header = [str(x).strip().lower() for x in grid.iloc[0, :header_len]]
    body, lines, empty = grid.iloc[1:], lines[1:], empty.iloc[1:]
    extra = ~empty.iloc[:, header_len:].all(axis=1).to_numpy()
    if extra.any():
        k = int(np.argmax(extra))
        fields = body.iloc[k].tolist()
        while fields and not str(fields[-1]).strip():
            fields.pop()
        hint = (
            " A decimal comma in a ','-separated file splits the number in two: quote "
            "it (\"78,5\"), write 78.5, or save the file with ';' separators."
            if sep == ","
            else ""
        )
        raise MalformedFileError(
            f"{path.name}, {row_word} {lines[k]}: {len(fields)} fields but the header "
            f"({row_word} {header_line}) has {header_len}: {fields}.{hint}"
        )
    for j, c in enumerate(header):
        if c and header.index(c) != j:
            raise MalformedFileError(
                f"{path.name}, {row_word} {header_line}: column {c!r} "
                f"appears twice (columns {header.index(c) + 1} and "
                f"{j + 1}); keep one of them"
            )
        if not c and not empty.iloc[:, j].all():
            k = int(np.argmax(~empty.iloc[:, j].to_numpy()))
            raise MalformedFileError(
                f"{path.name}, {row_word} {lines[k]}: {body.iat[k, j]!r} stands in column "
                f"{j + 1}, which has no name in the header ({row_word} {header_line}); name "
                "the column or delete the cell"
            )
    named = [j for j, c in enumerate(header) if c]
    df = body.iloc[:, named].reset_index(drop=True)
    df.columns = [header[j] for j in named]
    if df.empty:
        raise EmptyFileError(f"{path.name} has a header ({list(df.columns)}) but no data rows")
    return df, sep, row_word, pd.Series(lines, index=df.index), header_line


def _numbers(
    col: pd.Series, what: str, where, decimal: str = "auto", text_only: bool = False
) -> pd.Series:
    """Parse a column of text (and Excel numbers) to float.

    The decimal separator is decided for the whole column by
    :func:`cityresearch._tidy.decimal_convention` (shared with the
    importers): a decimal comma when some cell can only be one ("78,5",
    "1.234,5"), a decimal point when some cell can only be one ("78.5"); a
    column whose only separators could be either ("78.500", "1,234") is
    refused, asking for ``decimal=``; a column mixing the two is refused (the
    line is named). Each distinct text is parsed once.
    """
    from cityresearch._tidy import decimal_convention, number_style, to_float

    out = np.full(len(col), np.nan)
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return col.astype(float)  # an Excel column of numbers only
    if col.dtype == object and not text_only:  # Excel: numbers stay numbers, text parsed
        is_num = col.map(
            lambda x: isinstance(x, (int, float, np.number)) and not isinstance(x, bool)
        ).to_numpy()
        out[is_num] = col[is_num].astype(float).to_numpy()
        text = col.where(~is_num, "").map(lambda x: "" if not _filled(x) else str(x))
    else:
        text = col
    codes, uniq = pd.factorize(text)
    u = pd.Series(np.asarray(uniq, dtype=object)).str.replace("\u00a0", "", regex=False)
    u = u.str.strip()

    def row_of(k):  # the first row holding distinct text k
        return col.index[int(np.argmax(codes == k))]

    styles = u.map(number_style)
    dec = decimal
    if decimal == "auto":
        commas = np.flatnonzero((styles == ",").to_numpy())
        points = np.flatnonzero((styles == ".").to_numpy())
        if len(commas) and len(points):
            i, j = row_of(points[0]), row_of(commas[0])
            raise MalformedFileError(
                f"{where(i)}: {what} {col[i]!r} uses a decimal point while other cells use a "
                f"decimal comma ({where(j)}: {col[j]!r}); use one convention in the whole "
                "column, or pass decimal=',' or decimal='.' and correct the cells that differ"
            )
        has_sep = np.flatnonzero((styles != "").to_numpy())
        dec = decimal_convention(
            u.iloc[has_sep].tolist(), what=what, where=lambda k: where(row_of(has_sep[k]))
        )
    parsed = np.array(
        [np.nan if x == "" else (np.nan if (v := to_float(x, dec)) is None else v) for x in u],
        dtype=float,
    )
    bad_u = np.flatnonzero(np.isnan(parsed) & (u != "").to_numpy())
    if len(bad_u):
        rows = np.flatnonzero(np.isin(codes, bad_u))  # ascending: rows[0] is the first
        i = col.index[rows[0]]
        k = codes[rows[0]]
        if decimal != "auto" and styles[k] in (",", ".", "comma?", "point?"):
            raise MalformedFileError(
                f"{where(i)}: {what} {col[i]!r} is not a number written "
                f"with decimal={decimal!r}; correct the cell or the "
                "decimal= option"
            )
        raise MalformedFileError(f"{where(i)}: {what} {col[i]!r} is not a number")
    has = codes >= 0
    vals = np.where(has, parsed[np.where(has, codes, 0)], np.nan)
    fill = np.isnan(out)
    out[fill] = vals[fill]
    return pd.Series(out, index=col.index)


def read_measures(
    path: str | Path,
    *,
    ranges: dict | None = None,
    allow_mixed_methods: bool = False,
    years: tuple[int, int] | None = None,
    sheet: str | int = 0,
    decimal: str = "auto",
) -> pd.DataFrame:
    """Read and validate a researcher's own service-quality file.

    Reads CSV (``,`` ``;`` tab or ``|`` separated, as Excel writes them in
    any locale; UTF-8 with or without BOM, UTF-16, Windows-1252/Latin-1) and
    ``.xlsx`` sheets directly. Numbers may use a decimal comma and thousands
    dots ("78,5", "1.234,5") or a decimal point and thousands commas ("78.5",
    "1,234.5"). With ``decimal="auto"`` the convention is read from the
    column: a value that can only be written in one convention decides it;
    a column whose only separators could be either ("78.500" and "81.250":
    78500 or 78.5?; "1,234": 1234 or 1.234?) is refused, asking for
    ``decimal=``; a column mixing the two conventions is refused. A line with
    more fields than the header (an unquoted "78,5" in a ``,``-separated
    file) is refused, not shifted. Blank lines are skipped; ``line`` counts
    them. Column names are case-insensitive.

    Schema (header row):

    ========== ======== ==========================================================
    column     required meaning
    ========== ======== ==========================================================
    region     yes      BPS code ("3505"), Kemendagri code ("35.05") or an
                        unambiguous name ("Kabupaten Blitar")
    year       yes      assessment year (integer)
    measure    yes      name of the measure, e.g. ``ombudsman_kepatuhan``;
                        case-insensitive, returned in lower case
    value      yes*     the score (* may be empty where ``zone`` is given)
    zone       no       hijau / kuning / merah
    method     no       assessment method; one method per measure unless
                        ``allow_mixed_methods``
    source     no       where the figure comes from
    ========== ======== ==========================================================

    Each distinct region name is matched once, so large files are fast.

    Parameters
    ----------
    path : str or Path
        The file (``.csv``, ``.txt``, ``.tsv``, ``.xlsx``).
    ranges : dict, optional
        measure -> (min, max) with min <= max; defaults to :data:`RANGES` for
        known measures. Measure names are matched case-insensitively.
    allow_mixed_methods : bool
        Accept more than one ``method`` within a measure (scores across a
        method break are not comparable; analyse them per method).
    years : (int, int), optional
        Plausible assessment years (first, last), inclusive; default 1990 to
        this year.
    sheet : str or int
        Sheet of an ``.xlsx`` file (default the first).
    decimal : {"auto", ",", "."}
        Decimal separator of numbers written as text: ``","`` (Indonesian:
        "1.234,5"), ``"."`` (English: "1,234.5") or ``"auto"`` (decided per
        column; ambiguous columns are refused). Excel number cells are read
        as numbers either way.

    Returns
    -------
    DataFrame
        The file's columns with ``measure`` in lower case, ``value`` as float,
        ``year`` as integer, plus ``bps_code``, ``kemendagri_code``, ``name``,
        ``line`` (line of the file, or row of the sheet) and
        ``zone_score_conflict`` (True where the zone contradicts the score,
        see :data:`ZONE_BANDS`; a warning lists them).

    Raises
    ------
    InputPathError
        The path does not exist or is a folder.
    EmptyFileError
        An empty or header-only file (a :class:`MalformedFileError`).
    MalformedFileError
        An unreadable file, missing or repeated columns, a line with more
        fields than the header, a year or value that is not a number or mixes
        decimal conventions (file and line named).
    RegionNotFoundError, AmbiguousRegionError
        Regions that match nothing (all listed with their lines) or more than one.
    ValidationError
        Implausible years, duplicate region-year-measure rows, values out of
        range, unknown zones, mixed methods; numbers whose decimal separator
        cannot be told ("78.500", "1,234" alone: pass ``decimal=``); bad
        options (reversed ``years`` or ``ranges``, an unknown ``decimal``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
    >>> _ = p.write_text("region;year;measure;value\\nKota Blitar;2023;Ombudsman_Kepatuhan;78,5\\n")
    >>> read_measures(p)[["bps_code", "measure", "value"]].values.tolist()
    [['3572', 'ombudsman_kepatuhan', 78.5]]
    """
    import datetime
    import warnings

    from cityresearch import regions

    func = "read_measures"
    if not isinstance(path, (str, Path)):
        raise InputPathError(
            f"{func}: path must be a file path (str or Path), not {type(path).__name__}"
        )
    _v.check_choice(allow_mixed_methods, (True, False), "allow_mixed_methods", func=func)
    _v.check_choice(decimal, ("auto", ",", "."), "decimal", func=func)
    lo_year, hi_year = (
        _pair(years, "years", func, integer=True)
        if years is not None
        else (1990, datetime.date.today().year)
    )
    if ranges is not None and not isinstance(ranges, dict):
        raise ValidationError(
            f"{func}: ranges must be a dict measure -> (min, max), not {type(ranges).__name__}"
        )
    limits = {}
    for k, v in (ranges or {}).items():
        limits[str(k).strip().lower()] = _pair(v, f"ranges[{k!r}]", func)
    path = Path(path)
    df, sep, row_word, line, header_line = _read_table(path, sheet)
    required = ["region", "year", "measure", "value"]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise MalformedFileError(
            f"{path.name}, {row_word} {header_line}: missing columns "
            f"{missing}; the header has {list(df.columns)}"
        )

    def where(i):
        return f"{path.name}, {row_word} {line[i]}"

    for col in ("region", "measure", "zone", "method", "source"):
        if col in df.columns:
            if not pd.api.types.is_string_dtype(df[col]) or df[col].dtype == object:
                df[col] = df[col].map(lambda x: "" if x is None else str(x))
            df[col] = df[col].str.strip()
    yr = _numbers(df["year"], "year", where, text_only=sep != "xlsx")
    bad = yr.isna() | (yr % 1 != 0)
    if bad.any():
        i = bad.idxmax()
        raise MalformedFileError(
            f"{where(i)}: year {df.at[i, 'year']!r} is not a number"
            if pd.isna(yr[i])
            else f"{where(i)}: year {df.at[i, 'year']!r} is not a whole number"
        )
    implausible = ~yr.between(lo_year, hi_year)
    if implausible.any():
        i = implausible.idxmax()
        raise ValidationError(
            f"{where(i)}: year {int(yr[i])} is outside the plausible years "
            f"{lo_year}-{hi_year}; correct it (or pass years=(first, last))"
        )
    df["year"] = yr.astype("Int64")
    df["value"] = _numbers(df["value"], "value", where, decimal=decimal, text_only=sep != "xlsx")
    df["measure"] = df["measure"].str.lower()
    no_measure = df["measure"].eq("")
    if no_measure.any():
        raise MalformedFileError(f"{where(no_measure.idxmax())}: the measure is empty")
    if "zone" not in df.columns:
        df["zone"] = ""
    df["zone"] = df["zone"].str.lower()
    no_value = df["value"].isna() & df["zone"].eq("")
    if no_value.any():
        raise MalformedFileError(f"{where(no_value.idxmax())}: neither a value nor a zone")
    bad_zone = ~df["zone"].isin(["", *ZONE_ORDER])
    if bad_zone.any():
        i = bad_zone.idxmax()
        raise ValidationError(f"{where(i)}: zone {df.at[i, 'zone']!r} is not one of {ZONE_ORDER}")
    # match each distinct name once (matching ignores case and repeated spaces)
    raw_pos, raw_names = pd.factorize(df["region"])
    keys = pd.Series(raw_names, dtype=object).str.lower().str.split().str.join(" ")
    key_pos, names = pd.factorize(keys)
    pos = key_pos[raw_pos]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = regions.match_regions(list(names))
    except AmbiguousRegionError as exc:
        culprit = next((k for k, n in enumerate(names) if repr(n) in str(exc)), None)
        rows = np.flatnonzero(pos == culprit) if culprit is not None else np.array([], dtype=int)
        at = (
            (f"{row_word} {_v._fmt(line.iloc[rows].tolist())} ({df['region'].iloc[rows[0]]!r}): ")
            if len(rows)
            else ""
        )
        raise AmbiguousRegionError(f"{path.name}, {at}{exc}", exc.candidates) from None
    matched = m["matched"].to_numpy()[pos]
    if not matched.all():
        unmatched = df.index[~matched]
        first = df.loc[unmatched].groupby("region", sort=False).head(1).index
        bad = [f"{row_word} {line[i]}: {df.at[i, 'region']!r}" for i in first]
        n_lines = len(unmatched)
        raise RegionNotFoundError(
            f"{path.name}: {len(bad)} regions match no kabupaten/kota: {'; '.join(bad[:10])}"
            + (f" ({n_lines} {row_word}s in all)" if n_lines > len(bad) else "")
            + ". Use BPS codes or the names in cityresearch.regions.region_table()."
        )
    for col in ("bps_code", "kemendagri_code", "name"):
        df[col] = m[col].take(pos).set_axis(df.index)
    df["line"] = line.to_numpy()
    dup = df.duplicated(["bps_code", "year", "measure"], keep=False)
    if dup.any():
        rows = df[dup].sort_values(["bps_code", "year", "measure", "line"]).head(4)
        shown = "; ".join(
            f"{row_word} {r['line']}: {r['name']} {r['year']} {r['measure']}"
            for _, r in rows.iterrows()
        )
        raise ValidationError(
            f"{path.name}: duplicate region-year-measure rows ({shown}); "
            "keep one figure per region, year and measure"
        )
    limits = {**RANGES, **limits}
    df["zone_score_conflict"] = False
    for measure, sub in df.groupby("measure"):
        if measure in limits:
            lo, hi = limits[measure]
            out = sub["value"].notna() & ~sub["value"].between(lo, hi)
            if out.any():
                i = out.idxmax()
                raise ValidationError(
                    f"{where(i)}: {measure} value {sub.at[i, 'value']:g} is outside [{lo}, {hi}]"
                )
        if "method" in df.columns and not allow_mixed_methods:
            methods = sorted(set(sub["method"]) - {""})
            if len(methods) > 1:
                raise ValidationError(
                    f"{path.name}: measure {measure!r} mixes methods {methods}; scores across a "
                    "method change are not comparable. Split the measure per method, or pass "
                    "allow_mixed_methods=True and analyse per method."
                )
        bands = ZONE_BANDS.get(measure)
        if bands:
            lo_b = sub["zone"].map({z: b[0] for z, b in bands.items()})
            hi_b = sub["zone"].map({z: b[1] for z, b in bands.items()})
            clash = sub["value"].notna() & lo_b.notna() & ~sub["value"].between(lo_b, hi_b)
            df.loc[clash[clash].index, "zone_score_conflict"] = True
    clash = df["zone_score_conflict"]
    if clash.any():
        shown = "; ".join(
            f"{row_word} {r['line']}: {r['name']} {r['year']} value {r['value']:g} zone {r['zone']}"
            for _, r in df[clash].head(5).iterrows()
        )
        warnings.warn(
            f"{path.name}: {int(clash.sum())} rows have a zone that contradicts the "
            f"score ({shown}); they are flagged in 'zone_score_conflict'. Check them "
            "against the source.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    return df.reset_index(drop=True)


def _pair(value, name: str, func: str, *, integer: bool = False) -> tuple:
    """An option (low, high) of two numbers with low <= high."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValidationError(f"{func}: {name} must be a pair (low, high), not {value!r}")
    lo, hi = (_v.check_number(x, name, integer=integer, func=func) for x in value)
    if lo > hi:
        raise ValidationError(
            f"{func}: {name} = {tuple(value)!r} is reversed: the first "
            f"number is the lowest allowed, the second the highest; pass "
            f"({hi}, {lo})"
        )
    return lo, hi


def one_per_region(
    table: pd.DataFrame,
    *,
    year: int | None = None,
    method: str | None = None,
    value: str | None = None,
    measure: str | None = None,
    conflicts: str = "drop",
) -> pd.DataFrame:
    """One figure per region for an analysis, choosing openly.

    Keeps the rows of ``year`` (and/or of ``method``) with a value. Several
    rows giving the *same* figure for a region and year (the same published
    figure reported by several sources) are one figure: one row is kept with
    all sources (``n_sources``, ``sources``). *Different* figures for a region
    and year are a conflict between sources: the region is dropped (it has no
    single figure), with a warning, and listed. A region whose only figure is
    marked as disputed in the table (its ``conflict`` column: another source
    gives a different figure, recorded in the notes) is kept and flagged.

    Parameters
    ----------
    table : DataFrame
        :func:`load_compiled` or :func:`read_measures` output: ``bps_code``,
        ``year``, the value column; ``name``, ``method``, ``source_url`` /
        ``source``, ``conflict`` and ``notes`` are used where present.
    year : int, optional
        Assessment year.
    method : str, optional
        Assessment method (needs a ``method`` column).
    value : str, optional
        The value column; default ``score`` (compiled) or ``value`` (read_measures).
    measure : str, optional
        Needed when the table holds several measures.
    conflicts : {"drop", "latest"}
        What to do with a region that has figures for several years in the
        selection: drop it (default) or keep its latest year. Different
        figures for the same year are always a conflict (dropped, listed).

    Returns
    -------
    DataFrame
        One row per region: the table's columns (first non-missing value of
        each across identical figures), ``n_sources``, ``sources`` (" | "
        joined) and ``conflict`` (True where the sources disagree).
        ``attrs["dropped"]``: regions dropped (``bps_code``, ``name``,
        ``years``, ``values``, ``reason``). ``attrs["conflicts"]``: every
        region-year whose sources disagree, kept or dropped (``bps_code``,
        ``name``, ``year``, ``values``, ``notes``, ``kept``).

    Raises
    ------
    ValidationError
        Missing columns, no rows for the selection, several measures without
        ``measure=``, an unknown ``conflicts``.

    Examples
    --------
    >>> t = pd.DataFrame({"bps_code": ["1", "1", "2", "2"], "year": [2022] * 4,
    ...                   "score": [84.15, 84.15, 50.0, 60.0],
    ...                   "source_url": ["a", "b", "c", "d"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     out = one_per_region(t, year=2022)
    >>> out[["bps_code", "score", "n_sources", "sources"]].values.tolist()
    [['1', 84.15, 2, 'a | b']]
    >>> out.attrs["dropped"][["bps_code", "reason"]].values.tolist()
    [['2', 'conflicting figures in 2022: 50, 60']]
    """
    import warnings

    func = "one_per_region"
    _v.check_choice(conflicts, ("drop", "latest"), "conflicts", func=func)
    value = _value_column(table, value, func)
    table = _v.require_columns(
        table, {"bps_code": "any", "year": "integer", value: "numeric"}, func=func, name="table"
    )
    if method is not None:
        _v.require_columns(table, ["method"], func=func, name="table")
    if year is not None:
        year = _v.check_number(year, "year", integer=True, func=func)
    t = _one_measure(table, measure, func)
    if year is not None:
        t = t[t["year"] == year]
    if method is not None:
        t = t[t["method"] == method]
    if t.empty:
        raise ValidationError(f"{func}: no rows for year={year}, method={method}")
    _v.handle_missing(t, ["bps_code"], keys=["year"], func=func)
    t = t[t[value].notna()].copy()
    src_col = next((c for c in ("source_url", "source") if c in t.columns), None)
    name_col = "name" if "name" in t.columns else None
    flagged_col = "conflict" if "conflict" in t.columns else None
    if conflicts == "latest":
        latest = t.groupby("bps_code")["year"].transform("max")
        t = t[t["year"] == latest]
    t["_order"] = np.arange(len(t))
    dropped, conflict_rows, keep = [], [], []
    for (code, yr), sub in t.groupby(["bps_code", "year"], sort=False):
        vals = sorted(set(sub[value].tolist()))
        nm = sub[name_col].iloc[0] if name_col else code
        flagged = bool(sub[flagged_col].fillna(False).astype(bool).any()) if flagged_col else False
        notes = "; ".join(sorted(set(sub["notes"].dropna().astype(str)))) if "notes" in sub else ""
        if len(vals) > 1:
            shown = ", ".join(f"{x:g}" for x in vals)
            dropped.append(
                {
                    "bps_code": code,
                    "name": nm,
                    "years": [int(yr)],
                    "values": vals,
                    "reason": f"conflicting figures in {int(yr)}: {shown}",
                }
            )
            conflict_rows.append(
                {
                    "bps_code": code,
                    "name": nm,
                    "year": int(yr),
                    "values": vals,
                    "notes": notes,
                    "kept": False,
                }
            )
            continue
        row = sub.iloc[[0]].copy()
        first = sub.drop(columns="_order").bfill().iloc[[0]]  # first non-missing per column
        for c in first.columns:
            row[c] = first[c].to_numpy()
        row["n_sources"] = len(sub)
        row["sources"] = (
            " | ".join(dict.fromkeys(sub[src_col].dropna().astype(str))) if src_col else ""
        )
        row["conflict"] = flagged
        if flagged:
            conflict_rows.append(
                {
                    "bps_code": code,
                    "name": nm,
                    "year": int(yr),
                    "values": vals,
                    "notes": notes,
                    "kept": True,
                }
            )
        keep.append(row)
    out = pd.concat(keep) if keep else t.iloc[0:0].assign(n_sources=0, sources="", conflict=False)
    years_per = out.groupby("bps_code")["year"].transform("size")
    for code, sub in out[years_per > 1].groupby("bps_code", sort=False):
        nm = sub[name_col].iloc[0] if name_col else code
        dropped.append(
            {
                "bps_code": code,
                "name": nm,
                "years": sub["year"].astype(int).tolist(),
                "values": sub[value].tolist(),
                "reason": "figures for several years; pass year= or conflicts='latest'",
            }
        )
    out = out[years_per == 1].sort_values("_order").drop(columns="_order").reset_index(drop=True)
    out["n_sources"] = out["n_sources"].astype(int)
    out["conflict"] = out["conflict"].astype(bool)
    dropped = pd.DataFrame(dropped, columns=["bps_code", "name", "years", "values", "reason"])
    if len(dropped):
        shown = "; ".join(f"{r['name']} ({r['reason']})" for _, r in dropped.head(5).iterrows())
        more = f"; and {len(dropped) - 5} more" if len(dropped) > 5 else ""
        warnings.warn(
            f"{func}: dropped {len(dropped)} regions without a single figure: "
            f"{shown}{more} (listed in attrs['dropped'])",
            DroppedRowsWarning,
            stacklevel=user_stacklevel(),
        )
    _v.attach_dropped(out, dropped)
    _v.attach_dropped(
        out,
        pd.DataFrame(
            conflict_rows, columns=["bps_code", "name", "year", "values", "notes", "kept"]
        ),
        key="conflicts",
    )
    return out
