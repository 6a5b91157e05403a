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
)

#: Columns of the tidy frame returned by :mod:`cityresearch.bps` and
#: :mod:`cityresearch.importers` (see :func:`tidy_frame`).
TIDY_COLUMNS = [
    "region", "level", "bps_code", "prov_bps_code", "kemendagri_code", "prov_kemendagri_code",
    "name", "matched", "year", "period", "variable", "derived_variable", "value", "unit",
    "flag", "provisional", "marker", "note_mark", "source_row",
]

class AttrTable(pd.DataFrame):
    """A report table kept in ``DataFrame.attrs`` (unplaced regions, skipped rows).

    It compares equal as a whole (``==`` gives one bool), so that pandas can
    carry ``attrs`` through ``merge``, ``concat`` and copies of the frame that
    holds it; otherwise it is an ordinary DataFrame.
    """

    @property
    def _constructor(self):
        return AttrTable

    def __eq__(self, other):  # noqa: D105
        return isinstance(other, pd.DataFrame) and pd.DataFrame.equals(self, other)

    def __ne__(self, other):  # noqa: D105
        return not self.__eq__(other)

    __hash__ = None


def attr_table(frame: pd.DataFrame) -> AttrTable:
    """Wrap a frame for ``attrs`` (see :class:`AttrTable`)."""
    return AttrTable(pd.DataFrame(frame).reset_index(drop=True))


#: Markers BPS and the World Bank print instead of a number.
MISSING_MARKERS = {"", "-", "\u2013", "\u2014", "...", "\u2026", "..", "na", "n/a", "nan",
                   "null", "none", "x"}

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


_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_COMMA_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def decimal_convention(strings, *, what: str = "values") -> str:
    """Decide whether a column of number strings uses a decimal comma or point.

    ``","`` (Indonesian: ``1.234,56``) when any value has a comma that is not
    an English thousands separator; ``"."`` when any value has a point that
    cannot be a thousands separator (``2.76``, ``1.5``) or a comma grouping
    (``1,234.5``); ``"."`` when no value has either. Values such as ``9.492``
    alone are ambiguous (9492 in Indonesian, 9.492 in English):
    :class:`ValidationError` asks for ``decimal=``.
    """
    has_comma = has_point = grouped_only = False
    for s in strings:
        if "," in s:
            if _COMMA_GROUPED.match(s):
                has_point = True
            else:
                has_comma = True
        elif "." in s:
            if _GROUPED.match(s):
                grouped_only = True
            else:
                has_point = True
    if has_comma and has_point:
        raise ValidationError(
            f"{what} mix decimal commas ('1,5') and decimal points ('1.5'); pass "
            "decimal=',' or decimal='.' to say which the file uses.")
    if has_comma:
        return ","
    if has_point or not grouped_only:
        return "."
    raise ValidationError(
        f"{what} such as '1.234' could be 1234 (Indonesian thousands point) or 1.234; "
        "pass decimal=',' (Indonesian) or decimal='.' (English) to say which.")


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
    markers, flags, texts = [""] * n, [""] * n, [None] * n
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
    for i, s in enumerate(texts):
        if s is None:
            continue
        t = s.replace(".", "").replace(",", ".") if dec == "," else s.replace(",", "")
        try:
            values[i] = float(t)
        except ValueError:
            bad.append(i)
    return values, markers, flags, bad


# ---------------------------------------------------------------- files

def check_path(path) -> Path:
    """Return ``path`` as a Path after checking it is a readable, non-empty file.

    Raises
    ------
    InputPathError
        Missing path or a folder.
    EmptyFileError
        A file of zero bytes.
    """
    if path is None or str(path).strip() == "":
        raise InputPathError("no file given: pass the path of the downloaded table")
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
    rows = [[c.strip() for c in r] for r in csv.reader([ln.strip() for ln in lines],
                                                        delimiter=sep)]
    return rows, sep, enc


# ---------------------------------------------------------------- regions

_PROV_EN = {  # English names in BPS English tables -> Kemendagri (38) province code
    "northsumatera": "12", "northsumatra": "12", "westsumatera": "13", "westsumatra": "13",
    "southsumatera": "16", "southsumatra": "16", "bangkabelitungislands": "19",
    "riauislands": "21", "jakarta": "31", "dkijakarta": "31", "westjava": "32",
    "centraljava": "33", "yogyakarta": "34", "diyogyakarta": "34",
    "specialregionofyogyakarta": "34", "eastjava": "35", "westnusatenggara": "52",
    "eastnusatenggara": "53", "westkalimantan": "61", "centralkalimantan": "62",
    "southkalimantan": "63", "eastkalimantan": "64", "northkalimantan": "65",
    "northsulawesi": "71", "centralsulawesi": "72", "southsulawesi": "73",
    "southeastsulawesi": "74", "westsulawesi": "76", "northmaluku": "82", "westpapua": "92",
    "southpapua": "93", "centralpapua": "94", "highlandpapua": "95", "mountainpapua": "95",
    "southwestpapua": "96",
}
#: Names in BPS tables that the registry does not know: (type, key) -> (name, note).
_BPS_SPELLINGS = {
    ("kabupaten", "pontianak"): ("Kabupaten Mempawah", "Kabupaten Pontianak was renamed "
                                 "Kabupaten Mempawah in 2014 (PP 58/2014); BPS tables keep the old name"),
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
                note = "; ".join(x for x in (note, f"matched outside the province {province!r} "
                                             "it is listed under") if x)
    except AmbiguousRegionError:
        return None, ""
    return hit, note


def place_regions(labels, *, level: str | None = None, provinces=None,
                  bare_is_kabupaten: bool | None = None) -> pd.DataFrame:
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
    for label, prov in zip(labels, provinces):
        k = (label, prov)
        if k not in cache:
            cache[k] = _place_one(label, level, prov, bare_is_kabupaten)
        rows.append(cache[k])
    return pd.DataFrame(rows, columns=[
        "region", "note_mark", "level", "bps_code", "prov_bps_code", "kemendagri_code",
        "prov_kemendagri_code", "name", "matched", "match_note"])


def _province_row(p: pd.Series, region, mark, note=""):
    bps = None if p["split_2022"] else p["prov_bps_2017_code"]
    if p["prov_kemendagri_code"] in ("91", "92"):
        note = (note + "; " if note else "") + (
            "province split in 2022: before 2022 this name is the undivided province")
    return (region, mark, "provinsi", None, bps, None, p["prov_kemendagri_code"],
            p["province"], True, note)


def _place_one(label, level, prov, bare_is_kabupaten=False):
    region, mark = split_mark(label)
    none = (region, mark, None, None, None, None, None, None, False, "")
    if not region:
        return none[:-1] + ("empty region label",)
    code = re.sub(r"\s+", "", region)
    if re.fullmatch(r"\d{4}", code):
        if code in ("9999", "0000"):
            return (region, mark, "nasional", None, None, None, None, "Indonesia", True,
                    "code 9999/0000: the total of the table's domain" if code == "9999" else "")
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
        return none[:-1] + ("no kabupaten/kota of this name" +
                            (f" in {prov_ctx}" if prov_ctx else ""),)
    from cityresearch import regions

    row = regions.region_table()
    r = row[row["bps_code"] == hit["bps_code"]].iloc[0] if hit["bps_code"] is not None else None
    prov_bps = r["prov_bps_code"] if r is not None else None
    prov_kem = r["prov_kemendagri_code"] if r is not None else None
    return (region, mark, "kabkota", hit["bps_code"], prov_bps, hit["kemendagri_code"], prov_kem,
            hit["name"], True, note)


def tidy_frame(records: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """Combine value records with their placed regions into :data:`TIDY_COLUMNS`.

    ``records`` has one row per value and a column ``label_index`` pointing at
    the row of ``placed`` for its region; unmatched regions stay in the frame
    (``matched`` False) and are listed in ``attrs["unplaced"]`` and a warning.
    """
    p = placed.reset_index(drop=True)
    idx = records["label_index"].to_numpy()
    out = pd.DataFrame({
        "region": p["region"].to_numpy()[idx],
        "level": p["level"].to_numpy()[idx],
        "bps_code": p["bps_code"].to_numpy()[idx],
        "prov_bps_code": p["prov_bps_code"].to_numpy()[idx],
        "kemendagri_code": p["kemendagri_code"].to_numpy()[idx],
        "prov_kemendagri_code": p["prov_kemendagri_code"].to_numpy()[idx],
        "name": p["name"].to_numpy()[idx],
        "matched": p["matched"].to_numpy(dtype=bool)[idx],
    })
    for c in ("year", "period", "variable", "derived_variable", "value", "unit", "flag",
              "marker", "source_row"):
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
        f" and {len(labels) - 10} more" if len(labels) > 10 else "")
    n = int((~frame["matched"]).sum())
    warnings.warn(
        f"{what}: {len(labels)} region labels matched no region in the registry ({shown}); "
        f"their {n} rows are kept with matched=False and listed in .attrs['unplaced'].",
        stacklevel=stacklevel,
    )


def no_rows(path: Path, detail: str) -> EmptyFileError:
    """The named error for a file with a header but no data rows."""
    return EmptyFileError(f"{path.name} has no data rows ({detail}); "
                          "download the table again with at least one region and year.")


def malformed(path: Path, detail: str) -> MalformedFileError:
    """The named error for a file not in a known layout."""
    return MalformedFileError(f"{path.name}: {detail}")
