"""Shared pieces of the BPS WebAPI client and the table importers (private).

- the tidy long frame both return (:data:`TIDY_COLUMNS`);
- Indonesian number formats, missing-value markers and footnote marks;
- reading a text file in whatever encoding an Indonesian spreadsheet produced;
- placing region labels (codes or names as BPS and the World Bank write them)
  in the region registry, each distinct label once.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from cityresearch._errors import (
    AmbiguousRegionError,
    EmptyFileError,
    InputPathError,
    MalformedFileError,
    RegionNotFoundError,
    ValidationError,
    user_stacklevel,
)
from cityresearch._validate import DroppedRows

#: Columns of the tidy frame returned by :mod:`cityresearch.bps` and
#: :mod:`cityresearch.importers` (see :func:`tidy_frame`).
TIDY_COLUMNS = [
    "region",
    "level",
    "bps_code",
    "prov_bps_code",
    "kemendagri_code",
    "prov_kemendagri_code",
    "name",
    "matched",
    "year",
    "period",
    "variable",
    "derived_variable",
    "value",
    "unit",
    "flag",
    "provisional",
    "marker",
    "note_mark",
    "source_row",
]


class AttrTable(DroppedRows):
    """A report table kept in ``DataFrame.attrs`` (unplaced regions, skipped rows).

    It compares equal as a whole (``==`` gives one bool, as
    :class:`~cityresearch._validate.DroppedRows`), so that pandas can carry
    ``attrs`` through ``merge``, ``concat`` and copies of the frame that holds
    it; unlike ``DroppedRows``, selections from it stay report tables.
    """

    @property
    def _constructor(self):
        return AttrTable

    def __deepcopy__(self, memo=None) -> AttrTable:
        return AttrTable(pd.DataFrame.copy(self, deep=True))


def attr_table(frame: pd.DataFrame) -> AttrTable:
    """Wrap a frame for ``attrs`` (see :class:`AttrTable`)."""
    return AttrTable(pd.DataFrame(frame).reset_index(drop=True))


#: Markers BPS and the World Bank print instead of a number.
MISSING_MARKERS = {
    "",
    "-",
    "\u2013",
    "\u2014",
    "...",
    "\u2026",
    "..",
    "na",
    "n/a",
    "nan",
    "null",
    "none",
    "x",
}

#: Footnote marks on figures: BPS's angka sementara / sangat sementara /
#: sangat sangat sementara (provisional, very provisional, very very provisional).
FLAG_MEANING = {"*": "provisional", "**": "very provisional", "***": "very very provisional"}

_MARK = re.compile(r"^(.*?)\s*(\*{1,3})\s*\)?\s*$", re.S)


def split_mark(text) -> tuple[str, str]:
    """Split a trailing footnote mark off a cell: ``"2020*"`` -> ``("2020", "*")``.

    Examples
    --------
    >>> split_mark("Nduga *")
    ('Nduga', '*')
    >>> split_mark("12,5**)")
    ('12,5', '**')
    >>> split_mark("Simeulue")
    ('Simeulue', '')
    """
    s = "" if text is None else str(text).replace("\xa0", " ").strip()
    m = _MARK.match(s)
    if m and m.group(1):
        return m.group(1).strip(), m.group(2)
    return s, ""


_NUMBER_TEXT = re.compile(r"^[+-]?(\d[\d.,]*|[.,]\d+)([eE][+-]?\d+)?$")
_AMBIGUOUS = {
    "comma?": re.compile(r"^[1-9]\d{0,2},\d{3}$"),  # 1,234: 1234 or 1.234
    "point?": re.compile(r"^[1-9]\d{0,2}\.\d{3}$"),
}  # 1.234: 1234 or 1.234
_POINT_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.234.567 (Indonesian thousands)
_COMMA_GROUPS = re.compile(r"^\d{1,3}(,\d{3})+$")  # 1,234,567 (English thousands)


def number_style(text) -> str:
    """Which decimal separator a number written as text implies.

    Parameters
    ----------
    text : str
        One cell, footnote marks and spaces already removed.

    Returns
    -------
    str
        ``","`` (a decimal comma: ``78,5``, ``1.234,5``, ``1.234.567``),
        ``"."`` (a decimal point: ``2.76``, ``1,234.5``, ``1,234,567``),
        ``"comma?"`` (``1,234``: 1234 in English, 1.234 in Indonesian),
        ``"point?"`` (``1.234``: 1.234 in English, 1234 in Indonesian) or
        ``""`` (no separator, or not a number at all).

    Examples
    --------
    >>> [number_style(s) for s in ("78,5", "1.234,5", "1,234.5", "1.234", "0.500", "12", "x")]
    [',', ',', '.', 'point?', '.', '', '']
    """
    s = str(text).strip()
    if not _NUMBER_TEXT.match(s):
        return ""
    s = s.lstrip("+-")
    has_c, has_p = "," in s, "." in s
    if has_c and has_p:  # the last separator is the decimal one
        return "," if s.rfind(",") > s.rfind(".") else "."
    if has_c:
        if _AMBIGUOUS["comma?"].match(s):
            return "comma?"
        return "." if _COMMA_GROUPS.match(s) and s.count(",") > 1 else ","
    if has_p:
        if _AMBIGUOUS["point?"].match(s):
            return "point?"
        return "," if _POINT_GROUPS.match(s) and s.count(".") > 1 else "."
    return ""


def decimal_convention(strings, *, what: str = "values", where=None) -> str:
    """Decide whether a column of number strings uses a decimal comma or point.

    Shared by every reader of text numbers (:mod:`cityresearch.importers`,
    :func:`cityresearch.service.read_measures`). ``","`` (Indonesian:
    ``1.234,56``) when some value can only be written with a decimal comma;
    ``"."`` when some value can only be written with a decimal point (``2.76``,
    ``1,234.5``); ``"."`` when no value has a separator. When every separator
    could be either -- ``1.234`` or ``1,234`` alone, 1234 in one convention
    and 1.234 in the other -- it refuses to guess.

    Parameters
    ----------
    strings : sequence of str
        The cells (markers and footnote marks removed).
    what : str
        Named in the message (e.g. ``"w.csv values"``).
    where : callable, optional
        ``where(i)`` names the place of ``strings[i]`` (e.g. "m.csv, line 3");
        the message then starts with it.

    Returns
    -------
    str
        ``","`` or ``"."``.

    Raises
    ------
    ValidationError
        Decimal commas and decimal points mixed, or only ambiguous values;
        the message quotes the value and asks for ``decimal=``.

    Examples
    --------
    >>> decimal_convention(["78,5", "1.234"])
    ','
    >>> decimal_convention(["78.500", "81.250"], what="value")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: value '78.500' could be 78500 ... or 78.5 ...
    """
    strings = [str(s) for s in strings]
    styles = [number_style(s) for s in strings]

    def first(style):
        return next((i for i, x in enumerate(styles) if x == style), None)

    def at(i):
        return f" ({where(i)})" if where is not None else ""

    c, p = first(","), first(".")
    if c is not None and p is not None:
        raise ValidationError(
            f"{what} mix decimal commas ({strings[c]!r}{at(c)}) and decimal points "
            f"({strings[p]!r}{at(p)}); pass decimal=',' or decimal='.' to say which the file "
            "uses, and correct the cells that do not follow it."
        )
    if c is not None:
        return ","
    if p is not None:
        return "."
    amb = [i for i, x in enumerate(styles) if x in ("comma?", "point?")]
    if not amb:
        return "."
    i = amb[0]
    s = strings[i]
    whole = s.lstrip("+-").replace(",", "").replace(".", "")
    sign = "-" if s.startswith("-") else ""
    as_decimal = f"{float(s.replace(',', '.')):g}"
    if styles[i] == "point?":
        options = (
            f"{sign}{int(whole)} (Indonesian thousands point) or {as_decimal} (English "
            "decimal point)"
        )
    else:
        options = (
            f"{sign}{int(whole)} (English thousands comma) or {as_decimal} (Indonesian "
            "decimal comma)"
        )
    prefix = f"{where(i)}: " if where is not None else ""
    raise ValidationError(
        f"{prefix}{what} {s!r} could be {options}; pass decimal=',' (Indonesian: 1.234,5) or "
        "decimal='.' (English: 1,234.5) to say which."
    )


def to_float(s: str, decimal: str) -> float | None:
    """Convert one number text under a decimal convention; None if it does not fit.

    With ``decimal=","`` points may only group thousands (``1.234.567,5``);
    with ``"."`` commas may only group thousands (``1,234,567.5``): ``2.5``
    read with a decimal comma is refused, not taken as 25.

    Examples
    --------
    >>> to_float("1.234,5", ","), to_float("2.5", ","), to_float("1,234.5", ".")
    (1234.5, None, 1234.5)
    """
    sep, group = (",", ".") if decimal == "," else (".", ",")
    body = s.lstrip("+-")
    whole = body.split(sep)[0]
    if group in whole:
        groups = _POINT_GROUPS if group == "." else _COMMA_GROUPS
        if not groups.match(whole):
            return None
    if group in body[len(whole) :]:
        return None
    try:
        v = float(s.replace(group, "").replace(sep, "."))
    except ValueError:
        return None
    return v if np.isfinite(v) else None  # "inf", "1e999": not a figure


def parse_numbers(cells, *, decimal: str = "auto", what: str = "values"):
    """Parse number cells as BPS and the World Bank write them.

    Parameters
    ----------
    cells : sequence
        Strings (or numbers, taken as they are).
    decimal : {"auto", ",", "."}
        Decimal separator; ``"auto"`` decides by :func:`decimal_convention`.
    what : str
        Named in error messages (e.g. ``"column '2016'"``).

    Returns
    -------
    values : numpy.ndarray of float
        NaN where a missing marker (``-``, ``...``, ``..``, ``NA``) stood.
    markers : list of str
        The missing marker as written, else ``""``.
    flags : list of str
        Footnote marks (``*``, ``**``, ``***``) after the number, else ``""``.
    bad : list of int
        Positions of cells that are neither numbers nor markers.
    """
    if decimal not in ("auto", ",", "."):
        raise ValidationError(f"decimal must be 'auto', ',' or '.', not {decimal!r}")
    n = len(cells)
    values = np.full(n, np.nan)
    markers, flags = [""] * n, [""] * n
    texts: list[str | None] = [None] * n
    for i, c in enumerate(cells):
        if isinstance(c, (int, float, np.integer, np.floating)) and not isinstance(c, bool):
            if not (isinstance(c, float) and np.isnan(c)):
                values[i] = float(c)
            continue
        s, mark = split_mark(c)
        flags[i] = mark
        s = s.replace(" ", "").replace("\u202f", "")
        if s.lower() in MISSING_MARKERS:
            markers[i] = s
            continue
        texts[i] = s
    strings = [t for t in texts if t is not None]
    dec = decimal_convention(strings, what=what) if decimal == "auto" else decimal
    bad = []
    for i, text in enumerate(texts):
        if text is None:
            continue
        v = to_float(text, dec)
        if v is None:
            bad.append(i)
        else:
            values[i] = v
    return values, markers, flags, bad


# ---------------------------------------------------------------- files


def cell_text(v: object) -> str:
    """Return a cell as stripped text (``None`` -> ``""``, ``2010.0`` -> ``"2010"``)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def sheet_names(path: Path) -> list[str]:
    """Return the sheet names of an ``.xlsx`` workbook.

    Raises
    ------
    MalformedFileError
        The file cannot be opened as a workbook.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception as e:  # noqa: BLE001 (openpyxl raises many types for a bad file)
        raise malformed(
            path,
            f"cannot be opened as an Excel .xlsx workbook ({type(e).__name__}: "
            f"{e}); download it again or save it from a spreadsheet program as "
            ".xlsx",
        ) from None
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def refuse_sheet(func: str, path: Path, sheet: object) -> None:
    """Raise :class:`ValidationError` when ``sheet=`` is given for a text file."""
    if sheet is not None:
        raise ValidationError(
            f"{func}: sheet={sheet!r} applies to .xlsx workbooks only; "
            f"{path.name} is a {path.suffix or 'text'} file with one table. "
            "Remove sheet=."
        )


def xlsx_rows(path: Path, sheet: str | None = None) -> list[list]:
    """Return the cells of one sheet (default the first) as rows; text stripped, blanks ``""``.

    Raises
    ------
    MalformedFileError
        The file cannot be opened as a workbook.
    ValidationError
        The workbook has no sheet ``sheet``.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 (openpyxl raises many types for a bad file)
        raise MalformedFileError(
            f"{path.name} cannot be opened as an Excel .xlsx workbook ({type(e).__name__}: "
            f"{e}); download it again or save it from a spreadsheet program as .xlsx"
        ) from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise ValidationError(f"{path.name} has no sheet {sheet!r}; it has {wb.sheetnames}")
        rows = []
        for r in ws.iter_rows(values_only=True):
            rows.append(["" if v is None else (v.strip() if isinstance(v, str) else v) for v in r])
        return rows
    finally:
        wb.close()


def check_path(path) -> Path:
    """Return ``path`` as a Path after checking it is a readable, non-empty file.

    Raises
    ------
    InputPathError
        No path, not a path (a number, a list ...), a missing path or a folder.
    EmptyFileError
        A file of zero bytes.
    """
    if path is None or (isinstance(path, str) and path.strip() == ""):
        raise InputPathError("no file given: pass the path of the downloaded table")
    if not isinstance(path, (str, os.PathLike)):
        raise InputPathError(
            f"the path must be a file path (str or pathlib.Path), not "
            f"{type(path).__name__} ({path!r})"
        )
    p = Path(path).expanduser()
    if not p.exists():
        raise InputPathError(f"{p} does not exist; check the path (and the file extension).")
    if p.is_dir():
        raise InputPathError(f"{p} is a folder; pass the path of one downloaded file inside it.")
    if p.stat().st_size == 0:
        raise EmptyFileError(f"{p.name} is empty (0 bytes); download the table again.")
    return p


def read_text(path: Path) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without a BOM, even a BOM after
    leading spaces), UTF-16 with a BOM, else Windows-1252/Latin-1.

    Returns the text without any BOM and the encoding used.
    """
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = raw.decode("utf-16"), "utf-16"
    elif raw[:4096].count(b"\x00") > len(raw[:4096]) // 4:  # UTF-16 without BOM
        enc = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
        text = raw.decode(enc)
    else:
        try:
            text, enc = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            enc = "cp1252" if _cp1252_ok(raw) else "latin-1"
            text = raw.decode(enc)
    # a BOM may sit after leading spaces ("   \ufeffnama_variabel;...")
    text = text.replace("\ufeff", "")
    return text, enc


def _cp1252_ok(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def csv_rows(path: Path, *, sep: str | None = None) -> tuple[list[list[str]], str, str]:
    """Read a delimited text file into rows of stripped cells.

    The separator is ``;`` (Excel in an Indonesian locale), ``,`` or tab,
    whichever splits the first non-empty line into most fields outside quotes,
    unless ``sep`` is given. Returns (rows, separator, encoding).
    """
    text, enc = read_text(path)
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    if sep is None:
        counts = {}
        for cand in (";", ",", "\t"):
            counts[cand] = len(next(csv.reader([first.strip()], delimiter=cand)))
        sep = max(counts, key=lambda k: (counts[k], k == ";"))
    elif sep not in (";", ",", "\t", "|"):
        raise ValidationError(f"sep must be ';', ',', tab or '|', not {sep!r}")
    rows = [[c.strip() for c in r] for r in csv.reader([ln.strip() for ln in lines], delimiter=sep)]
    return rows, sep, enc


# ---------------------------------------------------------------- regions

_PROV_EN = {  # English names in BPS English tables -> Kemendagri (38) province code
    "northsumatera": "12",
    "northsumatra": "12",
    "westsumatera": "13",
    "westsumatra": "13",
    "southsumatera": "16",
    "southsumatra": "16",
    "bangkabelitungislands": "19",
    "riauislands": "21",
    "jakarta": "31",
    "dkijakarta": "31",
    "westjava": "32",
    "centraljava": "33",
    "yogyakarta": "34",
    "diyogyakarta": "34",
    "specialregionofyogyakarta": "34",
    "eastjava": "35",
    "westnusatenggara": "52",
    "eastnusatenggara": "53",
    "westkalimantan": "61",
    "centralkalimantan": "62",
    "southkalimantan": "63",
    "eastkalimantan": "64",
    "northkalimantan": "65",
    "northsulawesi": "71",
    "centralsulawesi": "72",
    "southsulawesi": "73",
    "southeastsulawesi": "74",
    "westsulawesi": "76",
    "northmaluku": "82",
    "westpapua": "92",
    "southpapua": "93",
    "centralpapua": "94",
    "highlandpapua": "95",
    "mountainpapua": "95",
    "southwestpapua": "96",
}
#: Names in BPS tables that the registry does not know: (type, key) -> (name, note).
_BPS_SPELLINGS = {
    ("kabupaten", "pontianak"): (
        "Kabupaten Mempawah",
        "Kabupaten Pontianak was renamed "
        "Kabupaten Mempawah in 2014 (PP 58/2014); BPS tables keep the old name",
    ),
    ("kota", "makasar"): ("Kota Makassar", "BPS spelling 'Makasar' of Kota Makassar"),
}
_NATIONAL = {"indonesia", "nasional", "national", "total", "jumlah", "totalindonesia"}


def _pkey(name: str) -> str:
    from cityresearch.regions import normalise_name

    s = re.sub(r",?\s*\b(prop|prov|provinsi|province)\b\.?\s*$", "", str(name), flags=re.I)
    s = re.sub(r"^\s*(provinsi|prov\.?|province of)\s+", "", s, flags=re.I)
    return normalise_name(s)[1]


@lru_cache(maxsize=1)
def _provinces() -> dict[str, pd.Series]:
    from cityresearch import regions

    table = regions.province_table()
    out = {}
    for _, row in table.iterrows():
        out[_pkey(row["province"])] = row
    for key, code in _PROV_EN.items():
        out.setdefault(key, table[table["prov_kemendagri_code"] == code].iloc[0])
    return out


def match_province(name) -> pd.Series | None:
    """Return the province_table row a province name denotes, or None.

    Accepts "Jawa Timur", "JAWA TIMUR", "Jawa Timur, Prop.", "Prov. Jawa Timur",
    "DKI Jakarta", "DI Yogyakarta", "Kep. Riau" and the English names of BPS's
    English tables ("East Java", "Bangka Belitung Islands").
    """
    return _provinces().get(_pkey(name))


def _kab_match(label: str, province: str | None, bare_is_kabupaten: bool = False):
    """Match one kab/kota label; returns (registry match row or None, note)."""
    from cityresearch.regions import match_regions, normalise_name

    typ = "kabupaten" if bare_is_kabupaten and normalise_name(label)[0] is None else None

    def attempt(prov):
        note = ""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                m = match_regions([label], province=prov, type=typ)
            except RegionNotFoundError:  # unknown province context
                return None, ""
            except AmbiguousRegionError:
                if normalise_name(label)[0] is not None:
                    return None, ""
                # BPS writes cities as "Kota X": a bare name is the kabupaten
                m = match_regions([label], province=prov, type="kabupaten")
                note = "bare name taken as the kabupaten (BPS writes cities as 'Kota ...')"
        return (m.iloc[0], note) if m.at[0, "matched"] else (None, "")

    try:
        hit, note = attempt(province)
        if hit is None and province is not None:
            hit, note = attempt(None)
            if hit is not None:
                note = "; ".join(
                    x
                    for x in (note, f"matched outside the province {province!r} it is listed under")
                    if x
                )
    except AmbiguousRegionError:
        return None, ""
    return hit, note


def place_regions(
    labels, *, level: str | None = None, provinces=None, bare_is_kabupaten: bool | None = None
) -> pd.DataFrame:
    """Place region labels in the registry, each distinct label once.

    Parameters
    ----------
    labels : sequence of str
        Names as written (footnote marks such as ``"Nduga *"`` are split off)
        or BPS codes (``"3505"`` kab/kota, ``"3500"`` province, ``"9999"`` or
        ``"0000"`` Indonesia).
    level : {"kabkota", "provinsi", None}
        What the rows are. None: a table mixing the three levels, where BPS
        prints province rows in capitals ("JAWA TIMUR") before their
        kab/kota and the total as "INDONESIA".
    provinces : sequence, optional
        Province context per label (a name or code), e.g. from the preceding
        capitals row; restricts kab/kota matching (tried without it if nothing
        matches, with a note).
    bare_is_kabupaten : bool, optional
        Whether a name without "Kota"/"Kabupaten" can only be a kabupaten.
        Default: True when some label starts with "Kota " (BPS's way of
        writing cities), so that "Pontianak" in such a table is never taken
        for Kota Pontianak (it is the former name of Kabupaten Mempawah).

    Returns
    -------
    pandas.DataFrame
        One row per label, in order: ``region`` (label without mark),
        ``note_mark``, ``level`` ("kabkota", "provinsi", "nasional" or None),
        ``bps_code`` (kab/kota, BPS 2017-2018), ``prov_bps_code``,
        ``kemendagri_code``, ``prov_kemendagri_code``, ``name``, ``matched``,
        ``match_note``.
    """
    if level not in (None, "kabkota", "provinsi"):
        raise ValidationError(f"level must be 'kabkota', 'provinsi' or None, not {level!r}")
    labels = list(labels)
    provinces = [None] * len(labels) if provinces is None else list(provinces)
    if bare_is_kabupaten is None:
        bare_is_kabupaten = any(re.match(r"\s*kota\s", str(x), re.I) for x in labels)
    cache: dict = {}
    rows = []
    for label, prov in zip(labels, provinces, strict=True):
        k = (label, prov)
        if k not in cache:
            cache[k] = _place_one(label, level, prov, bare_is_kabupaten)
        rows.append(cache[k])
    return pd.DataFrame(
        rows,
        columns=[
            "region",
            "note_mark",
            "level",
            "bps_code",
            "prov_bps_code",
            "kemendagri_code",
            "prov_kemendagri_code",
            "name",
            "matched",
            "match_note",
        ],
    )


def _province_row(p: pd.Series, region, mark, note=""):
    bps = None if p["split_2022"] else p["prov_bps_2017_code"]
    if p["prov_kemendagri_code"] in ("91", "92"):
        note = (note + "; " if note else "") + (
            "province split in 2022: before 2022 this name is the undivided province"
        )
    return (
        region,
        mark,
        "provinsi",
        None,
        bps,
        None,
        p["prov_kemendagri_code"],
        p["province"],
        True,
        note,
    )


def _place_one(label, level, prov, bare_is_kabupaten=False):
    region, mark = split_mark(label)
    none = (region, mark, None, None, None, None, None, None, False, "")
    if not region:
        return none[:-1] + ("empty region label",)
    code = re.sub(r"\s+", "", region)
    if re.fullmatch(r"\d{4}", code):
        if code in ("9999", "0000"):
            return (
                region,
                mark,
                "nasional",
                None,
                None,
                None,
                None,
                "Indonesia",
                True,
                "code 9999/0000: the total of the table's domain" if code == "9999" else "",
            )
        if code.endswith("00"):
            from cityresearch import regions

            t = regions.province_table()
            hit = t[(t["prov_bps_2017_code"] == code[:2]) & ~t["split_2022"]]
            if len(hit):
                return _province_row(hit.iloc[0], region, mark)
            return none[:-1] + (f"province code {code} is not a BPS 2017 province code",)
    key = _pkey(region)
    if key in _NATIONAL:
        return (region, mark, "nasional", None, None, None, None, "Indonesia", True, "")
    p = match_province(region)
    if level == "provinsi":
        if p is not None:
            return _province_row(p, region, mark)
        return none[:-1] + ("not a province name",)
    if p is not None and level is None:
        caps = region.upper() == region and any(ch.isalpha() for ch in region)
        if caps or re.search(r"\b(prop|prov|provinsi|province)\b", region, re.I):
            return _province_row(p, region, mark)
    prov_ctx = prov
    if prov is not None and not isinstance(prov, str):
        prov_ctx = str(prov)
    hit, note = _kab_match(re.sub(r"\s+", " ", region), prov_ctx, bare_is_kabupaten)
    if hit is None:
        from cityresearch.regions import normalise_name

        hint, key = normalise_name(region)
        known = _BPS_SPELLINGS.get((hint or "kabupaten", key))
        if known is not None:
            hit, _ = _kab_match(known[0], None)
            note = known[1]
    if hit is None:
        if p is not None:  # a province written in title case, or a province-wide city index
            return _province_row(p, region, mark)
        return none[:-1] + (
            "no kabupaten/kota of this name" + (f" in {prov_ctx}" if prov_ctx else ""),
        )
    from cityresearch import regions

    row = regions.region_table()
    r = row[row["bps_code"] == hit["bps_code"]].iloc[0] if hit["bps_code"] is not None else None
    prov_bps = r["prov_bps_code"] if r is not None else None
    prov_kem = r["prov_kemendagri_code"] if r is not None else None
    return (
        region,
        mark,
        "kabkota",
        hit["bps_code"],
        prov_bps,
        hit["kemendagri_code"],
        prov_kem,
        hit["name"],
        True,
        note,
    )


def tidy_frame(records: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """Combine value records with their placed regions into :data:`TIDY_COLUMNS`.

    ``records`` has one row per value and a column ``label_index`` pointing at
    the row of ``placed`` for its region; unmatched regions stay in the frame
    (``matched`` False) and are listed in ``attrs["unplaced"]`` and a warning.
    """
    p = placed.reset_index(drop=True)
    idx = records["label_index"].to_numpy()
    out = pd.DataFrame(
        {
            "region": p["region"].to_numpy()[idx],
            "level": p["level"].to_numpy()[idx],
            "bps_code": p["bps_code"].to_numpy()[idx],
            "prov_bps_code": p["prov_bps_code"].to_numpy()[idx],
            "kemendagri_code": p["kemendagri_code"].to_numpy()[idx],
            "prov_kemendagri_code": p["prov_kemendagri_code"].to_numpy()[idx],
            "name": p["name"].to_numpy()[idx],
            "matched": p["matched"].to_numpy(dtype=bool)[idx],
        }
    )
    for c in (
        "year",
        "period",
        "variable",
        "derived_variable",
        "value",
        "unit",
        "flag",
        "marker",
        "source_row",
    ):
        out[c] = records[c].to_numpy() if c in records else None
    out["note_mark"] = p["note_mark"].to_numpy()[idx]
    out["flag"] = out["flag"].fillna("")
    out["marker"] = out["marker"].fillna("")
    out["provisional"] = out["flag"].ne("")
    out["year"] = pd.array(out["year"], dtype="Int64")
    out["value"] = pd.to_numeric(out["value"], errors="raise").astype(float)
    extra = [c for c in records.columns if c not in TIDY_COLUMNS and c != "label_index"]
    for c in extra:
        out[c] = records[c].to_numpy()
    out = out[TIDY_COLUMNS + extra]
    unplaced = p[~p["matched"]].copy()
    out.attrs["unplaced"] = attr_table(unplaced)
    notes = p[p["matched"] & p["match_note"].ne("")]
    out.attrs["match_notes"] = attr_table(notes)
    return out


def warn_unplaced(frame: pd.DataFrame, what: str, stacklevel: int = 3) -> None:
    """Warn once about the region labels of ``frame.attrs["unplaced"]``."""
    un = frame.attrs.get("unplaced")
    if un is None or un.empty:
        return
    labels = list(dict.fromkeys(un["region"].astype(str)))
    shown = ", ".join(repr(x) for x in labels[:10]) + (
        f" and {len(labels) - 10} more" if len(labels) > 10 else ""
    )
    n = int((~frame["matched"]).sum())
    warnings.warn(
        f"{what}: {len(labels)} region labels matched no region in the registry ({shown}); "
        f"their {n} rows are kept with matched=False and listed in .attrs['unplaced'].",
        stacklevel=user_stacklevel(),
    )


def no_rows(path: Path, detail: str) -> EmptyFileError:
    """The named error for a file with a header but no data rows."""
    return EmptyFileError(
        f"{path.name} has no data rows ({detail}); "
        "download the table again with at least one region and year."
    )


def malformed(path: Path, detail: str) -> MalformedFileError:
    """The named error for a file not in a known layout."""
    return MalformedFileError(f"{path.name}: {detail}")
