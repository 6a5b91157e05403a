"""Region registry: the 514 kabupaten/kota and 38 provinces of Indonesia.

Terms
-----
kabupaten / kota
    Regency / city: the second-level regions, 416 + 98 = 514 of them.
BPS code (``bps_code``)
    The statistics bureau's 4-digit code as of 2017-2018 (e.g. ``"3505"``).
    The GRDP data are keyed by it. Province part: ``prov_bps_code`` (34 provinces).
Kemendagri code (``kemendagri_code``)
    The Ministry of Home Affairs code ``"NN.NN"`` per Kepmendagri
    300.2.2-2430/2025 (38 provinces, after the 2022 Papua split). The
    boundaries are keyed by it. ``kemendagri_2017_code`` is the 2017 code.
    BPS and Kemendagri codes differ for many regions (Aceh Barat: BPS 1107,
    Kemendagri 11.05), and in Papua the province numbers even cross (BPS 94 is
    Papua, Kemendagri 94 is Papua Tengah since 2022).
pemekaran
    The splitting of a region. The 2022 split of Papua and Papua Barat into
    six provinces moved regencies to new provinces and codes (Mimika: BPS
    9412, Kemendagri 2017 91.09, Kemendagri 2025 94.04); no kab/kota was split.

The registry is built from the BPS-Kemendagri crosswalk (englandrc/
IndonesiaCrosswalk) and the names in the boundary files (cahyadsn/
wilayah_boundaries), both fetched and verified by :mod:`cityresearch.data`.
Dependencies point one way: this module reads datasets from
:mod:`cityresearch.data` and joins them (:func:`boundaries` joins the shapes to
the registry, in memory, so a registry change is never served stale from a
cache); the data layer never imports this module except in its compatibility
alias ``data.load_boundaries``.
Codes 2017 and 2025 are the same outside Papua (checked by name); in Papua they
are matched by name within the old province. Regions that cannot be matched are
kept with missing codes and listed by :func:`unmatched_regions`, never dropped.

This module does not handle districts (kecamatan) or villages (desa), nor BPS
codes issued after 2018 for the new Papua provinces (not in the sources).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pandas as pd

from cityresearch import _codes
from cityresearch._errors import (
    AmbiguousRegionError,
    RegionNotFoundError,
    ValidationError,
    user_stacklevel,
)

__all__ = [
    "region_table",
    "province_table",
    "unmatched_regions",
    "match_regions",
    "lookup",
    "convert_codes",
    "normalise_name",
    "boundaries",
    "registry_key",
]

ISLAND_GROUPS = _codes.ISLAND_GROUPS
_ISLAND_OF = _codes.ISLAND_OF
_PAPUA_2025 = _codes.PAPUA_SPLIT_2022

CODE_SYSTEMS = ("bps", "kemendagri", "kemendagri_2017")

_PREFIXES = [
    (r"kabupaten administrasi|kab\s*adm|kab administrasi", "kabupaten"),
    (r"pemerintah kabupaten|pemda kabupaten|pemda kab|pemkab|kabupaten|kab", "kabupaten"),
    (r"pemerintah kota|pemda kota|pemkot|pemko|kota administrasi|kota adm|kota", "kota"),
]
_SUFFIXES = [(r"regency|kabupaten|kab", "kabupaten"), (r"city|municipality|kota", "kota")]
_WORDS = {
    "kep": "kepulauan",
    "kepl": "kepulauan",
    "dan": "",
    "and": "",
    "adm": "",
    "di": "daerahistimewa",
    "dki": "daerahkhususibukota",
    "sic": "",
}

#: Short forms and variant spellings common in Indonesian news and reports
#: (key -> the registry's short name). Spacing, hyphens, "Kep."/"Kepulauan"
#: and "dan" are handled by :func:`normalise_name` and need no entry.
ALIASES = {
    "abdya": "Aceh Barat Daya",
    "bireun": "Bireuen",
    "gayoluwes": "Gayo Lues",
    "mentawai": "Kepulauan Mentawai",
    "padangsidempuan": "Padangsidimpuan",
    "pangkep": "Pangkajene dan Kepulauan",
    "sidrap": "Sidenreng Rappang",
    "selayar": "Kepulauan Selayar",
    "hst": "Hulu Sungai Tengah",
    "hss": "Hulu Sungai Selatan",
    "hsu": "Hulu Sungai Utara",
    "oku": "Ogan Komering Ulu",
    "oki": "Ogan Komering Ilir",
    "butur": "Buton Utara",
    "halsel": "Halmahera Selatan",
    "halut": "Halmahera Utara",
    "halbar": "Halmahera Barat",
    "halteng": "Halmahera Tengah",
    "haltim": "Halmahera Timur",
    "sula": "Kepulauan Sula",
    "morotai": "Pulau Morotai",
    "taliabu": "Pulau Taliabu",
    "tts": "Timor Tengah Selatan",
    "ttu": "Timor Tengah Utara",
}


def _key(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "".join(_WORDS.get(w, w) for w in words)


def normalise_name(name: str) -> tuple[str | None, str]:
    """Split a region name into (type hint, matching key).

    The type hint is ``"kabupaten"``, ``"kota"`` or None; the key is the name
    lower-cased with prefixes (Kabupaten, Kab., Pemkab, Kota, Kota Adm., Pemkot)
    and English suffixes (Regency, City) removed, "Kep." expanded, the word
    "dan" dropped and everything but letters and digits removed.

    Parameters
    ----------
    name : str
        A region name as written in a table or text ("Kab. Blitar",
        "Blitar Regency", "KOTA BLITAR").

    Returns
    -------
    tuple of (str or None, str)
        The type hint (``"kabupaten"``, ``"kota"`` or None when the name
        carries no prefix or suffix) and the matching key.

    Examples
    --------
    >>> normalise_name("Kab. Blitar")
    ('kabupaten', 'blitar')
    >>> normalise_name("Toli-Toli")
    (None, 'tolitoli')
    >>> normalise_name("Pangkajene dan Kepulauan") == normalise_name("Pangkajene Kepulauan")
    True
    """
    s = re.sub(r"\[[^\]]*\]", " ", str(name).lower())  # editorial marks such as [sic]
    s = re.sub(r"^pemda\s+(?=kab|kota)", "", s.strip())
    s = re.sub(r"[._,\-/()']+", " ", s).strip()
    s = re.sub(r"\s+", " ", s)
    for pattern, kind in _PREFIXES:
        m = re.match(rf"^(?:{pattern})\s+(.+)$", s)
        if m:
            return kind, _key(m.group(1))
    for pattern, kind in _SUFFIXES:
        m = re.match(rf"^(.+?)\s+(?:{pattern})$", s)
        if m:
            return kind, _key(m.group(1))
    return None, _key(s)


def _strip_type(name: str) -> str:
    return re.sub(r"^(Kabupaten Administrasi|Kota Administrasi|Kabupaten|Kota)\s+", "", name)


@lru_cache(maxsize=1)
def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    from cityresearch import data

    cw = data.load("code_crosswalk")
    kab = data.load("boundary_names_kabkota")
    prov = data.load("boundary_names_provinsi").rename(
        columns={"kode": "prov_kemendagri_code", "nama": "province"}
    )[["prov_kemendagri_code", "province"]]
    kab = kab.rename(columns={"kode": "kemendagri_code", "nama": "name"})
    kab["type"] = kab["name"].str.startswith("Kota").map({True: "kota", False: "kabupaten"})
    kab["key"] = [normalise_name(_strip_type(n))[1] for n in kab["name"]]
    cw["key"] = [normalise_name(n)[1] for n in cw["nama_bps"]]
    cw["type"] = cw["bps_code"].map(_codes.bps_type)

    # 1. outside Papua the 2017 and 2025 Kemendagri codes are the same region
    pairs = {}
    for row in cw.itertuples():
        p = row.kemendagri_2017_code[:2]
        if p in _PAPUA_2025:
            cands = kab[
                kab["kemendagri_code"].str[:2].isin(_PAPUA_2025[p])
                & (kab["key"] == row.key)
                & (kab["type"] == row.type)
            ]
            if len(cands) == 1:
                pairs[row.bps_code] = cands["kemendagri_code"].iloc[0]
        elif row.kemendagri_2017_code in set(kab["kemendagri_code"]):
            pairs[row.bps_code] = row.kemendagri_2017_code
    cw["kemendagri_code"] = cw["bps_code"].map(pairs)
    table = cw.merge(
        kab[["kemendagri_code", "name", "type", "lat", "lng"]],
        on="kemendagri_code",
        how="outer",
        suffixes=("_bps", ""),
    )
    table["type"] = table["type"].fillna(table["type_bps"])
    table["name"] = table["name"].fillna(table["nama_dagri"])
    table["name_short"] = table["name"].map(_strip_type)
    table["prov_bps_code"] = table["bps_code"].str[:2]
    table["prov_kemendagri_code"] = table["kemendagri_code"].str[:2]
    table = table.merge(prov, on="prov_kemendagri_code", how="left")
    prov34 = prov.rename(columns={"prov_kemendagri_code": "k", "province": "province_34"})
    table = table.merge(
        prov34, left_on=table["kemendagri_2017_code"].str[:2], right_on="k", how="left"
    ).drop(columns=["k", "key_0"], errors="ignore")
    table["island_group"] = table["prov_kemendagri_code"].map(_ISLAND_OF)
    table["old_names"] = table["nama_bps"]
    cols = [
        "bps_code",
        "kemendagri_code",
        "kemendagri_2017_code",
        "name",
        "name_short",
        "type",
        "prov_kemendagri_code",
        "province",
        "prov_bps_code",
        "province_34",
        "island_group",
        "lat",
        "lng",
        "old_names",
    ]
    table = table[cols].sort_values(["kemendagri_code", "bps_code"], ignore_index=True)

    provinces = prov.copy()
    counts = table.groupby("prov_kemendagri_code").size()
    provinces["n_kabkota"] = provinces["prov_kemendagri_code"].map(counts).fillna(0).astype(int)
    parent = table.groupby("prov_kemendagri_code")["prov_bps_code"].first()
    provinces["prov_bps_2017_code"] = provinces["prov_kemendagri_code"].map(parent)
    provinces["split_2022"] = provinces["prov_kemendagri_code"].isin(_codes.PROVINCES_NEW_2022)
    provinces["island_group"] = provinces["prov_kemendagri_code"].map(_ISLAND_OF)
    return table, provinces.sort_values("prov_kemendagri_code", ignore_index=True)


def region_table() -> pd.DataFrame:
    """Return the 514 kabupaten/kota with their codes, names and provinces.

    Returns
    -------
    pandas.DataFrame
        One row per region: ``bps_code`` (BPS 2017-2018), ``kemendagri_code``
        (2025), ``kemendagri_2017_code``, ``name`` (e.g. "Kabupaten Blitar"),
        ``name_short`` ("Blitar"), ``type`` ("kabupaten" or "kota"),
        ``prov_kemendagri_code`` and ``province`` (38-province scheme),
        ``prov_bps_code`` and ``province_34`` (34-province scheme, before the
        2022 split), ``island_group``, ``lat``/``lng`` (label point, degrees)
        and ``old_names`` (the BPS name, which may be a former name).

    Raises
    ------
    DataUnavailableError, HashMismatchError
        The code or boundary files cannot be fetched and verified (see
        :func:`cityresearch.data.load`).

    Examples
    --------
    >>> from cityresearch import regions
    >>> t = regions.region_table().set_index("bps_code")  # doctest: +SKIP
    >>> t.loc["3505", ["name", "kemendagri_code", "province"]].tolist()  # doctest: +SKIP
    ['Kabupaten Blitar', '35.05', 'Jawa Timur']
    """
    return _tables()[0].copy()


def province_table() -> pd.DataFrame:
    """Return the 38 provinces of the 2025 scheme with their codes.

    Returns
    -------
    pandas.DataFrame
        One row per province, sorted by code: ``prov_kemendagri_code``
        (``NN``), ``province`` (name), ``n_kabkota`` (number of kab/kota),
        ``prov_bps_2017_code`` (BPS code of the province they belonged to in
        2017, 34-province scheme), ``split_2022`` (created by the 2022 Papua
        split) and ``island_group``.

    Raises
    ------
    DataUnavailableError, HashMismatchError
        As :func:`region_table`.

    Examples
    --------
    >>> from cityresearch import regions
    >>> p = regions.province_table()  # doctest: +SKIP
    >>> len(p), int(p["n_kabkota"].sum()), int(p["split_2022"].sum())  # doctest: +SKIP
    (38, 514, 4)
    """
    return _tables()[1].copy()


def unmatched_regions() -> pd.DataFrame:
    """Return the regions present in one source but not matched across codes and boundaries.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`region_table` with a missing ``bps_code`` or
        ``kemendagri_code``; empty when the crosswalk and the boundary files
        agree (as they do for the pinned files).

    Raises
    ------
    DataUnavailableError, HashMismatchError
        As :func:`region_table`.

    Examples
    --------
    >>> from cityresearch import regions
    >>> len(regions.unmatched_regions())  # doctest: +SKIP
    0
    """
    t = _tables()[0]
    return t[t["bps_code"].isna() | t["kemendagri_code"].isna()].copy()


@lru_cache(maxsize=1)
def _index() -> dict[str, list[int]]:
    table = _tables()[0]
    index: dict[str, set[int]] = {}
    for i, row in table.iterrows():
        for name in (row["name_short"], row["old_names"]):
            if isinstance(name, str):  # already without Kabupaten/Kota: keep "Lima Puluh Kota"
                index.setdefault(_key(name), set()).add(i)
    for alias, target in ALIASES.items():
        index.setdefault(alias, set()).update(index.get(_key(target), set()))
    return {k: sorted(v) for k, v in index.items()}


def _province_filter(table: pd.DataFrame, province) -> pd.Series:
    p = str(province).strip()
    if re.fullmatch(r"\d{2}", p):
        return (table["prov_kemendagri_code"] == p) | (table["prov_bps_code"] == p)
    key = _key(p)
    bps = _codes.PROVINCE_EN.get(p.upper())
    mask = (table["province"].map(_key) == key) | (table["province_34"].map(_key) == key)
    if bps:
        mask |= table["prov_bps_code"] == bps
    if not mask.any():
        raise RegionNotFoundError(
            f"province {province!r} is not one of the 38 provinces; use a name such as "
            "'Jawa Timur' or a code such as '35' (see province_table())."
        )
    return mask


def _describe(rows: pd.DataFrame) -> str:
    return " or ".join(
        f"{r.name} (BPS {r.bps_code}, Kemendagri {r.kemendagri_code}, {r.province})"
        for r in rows.itertuples()
    )


def match_regions(
    names: Iterable[str] | str,
    *,
    province: str | None = None,
    type: str | None = None,  # noqa: A002 (the field's word)
    bare: str | None = None,
) -> pd.DataFrame:
    """Match region names or codes as researchers meet them to the registry.

    Accepts BPS codes ("3505"), Kemendagri codes ("35.05") and names in the
    spellings of BPS tables and news: "Kab. Blitar", "KABUPATEN BLITAR",
    "Blitar Regency", "Kota Adm. Jakarta Selatan", "Tolitoli"/"Toli-Toli",
    "Pangkajene Kepulauan"/"Pangkajene dan Kepulauan", former names
    ("Toba Samosir", "Mamuju Utara").

    Parameters
    ----------
    names : str or iterable of str
        The names or codes to match.
    province : str, optional
        Restrict candidates to a province (name in either scheme, English
        name, or code).
    type : {"kabupaten", "kota"}, optional
        Restrict candidates to a type. A prefix in a name ("Kota ...")
        restricts that name too.
    bare : {"kabupaten", "kota"}, optional
        How to read a name without a prefix that fits both a kabupaten and a
        kota ("Magelang"). BPS "Dalam Angka" tables write the kabupaten bare
        and the kota as "Kota Magelang": pass ``bare="kabupaten"`` for them.
        Default: such a name is ambiguous (an error).

    Returns
    -------
    pandas.DataFrame
        One row per input in input order: ``input``, ``matched`` (bool),
        ``bps_code``, ``kemendagri_code``, ``name``, ``type``, ``province``.
        Unmatched inputs keep a row with missing codes, and a warning lists
        them; nothing is dropped.

    Raises
    ------
    AmbiguousRegionError
        When names fit more than one region, e.g. bare "Blitar"
        (Kabupaten Blitar 3505 and Kota Blitar 3572). The message lists
        every such name with its candidates and what to do: write the prefix
        ("Kab. Blitar", "Kota Blitar"), pass ``bare=``, ``province=`` or a
        code. ``candidates`` holds the codes of the first such name.
    ValidationError
        A ``type`` or ``bare`` other than "kabupaten" or "kota".

    Examples
    --------
    >>> from cityresearch import regions
    >>> m = regions.match_regions(["Kab. Blitar", "Kota Blitar"])  # doctest: +SKIP
    >>> m[["input", "bps_code", "name"]].values.tolist()  # doctest: +SKIP
    [['Kab. Blitar', '3505', 'Kabupaten Blitar'], ['Kota Blitar', '3572', 'Kota Blitar']]
    """
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if type is not None and type not in ("kabupaten", "kota"):
        raise ValidationError(f"type must be 'kabupaten' or 'kota', not {type!r}")
    if bare is not None and bare not in ("kabupaten", "kota"):
        raise ValidationError(f"bare must be 'kabupaten' or 'kota', not {bare!r}")
    table = _tables()[0]
    allowed = pd.Series(True, index=table.index)
    if province is not None:
        allowed &= _province_filter(table, province)
    if type is not None:
        allowed &= table["type"] == type
    index = _index()
    out = []
    ambiguous = []
    for raw in names:
        s = "" if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw).strip()
        hint = None
        if re.fullmatch(r"\d{4}", s):
            hits = table.index[table["bps_code"] == s]
        elif re.fullmatch(r"\d{2}\.\d{2}", s):
            hits = table.index[table["kemendagri_code"] == s]
        else:
            hint, key = normalise_name(s)
            hits = pd.Index(index.get(key, []))
            inner = re.search(r"\(([^)]*)\)", s)
            if inner and not len(hits):  # "Pemkab Halsel (Halmahera Selatan)", "Tegal (kota)"
                outer_hint, outer_key = normalise_name(re.sub(r"\([^)]*\)", " ", s))
                in_hint, in_key = normalise_name(inner.group(1))
                if in_key in ("kota", "kabupaten", ""):
                    hint, hits = in_key or outer_hint, pd.Index(index.get(outer_key, []))
                else:
                    hint = outer_hint or in_hint
                    hits = pd.Index(index.get(outer_key, []) or index.get(in_key, []))
            if hint is not None:
                typed = [h for h in hits if table.at[h, "type"] == hint]
                if not typed:  # "Kota Baru" is Kabupaten Kotabaru: try the whole name
                    typed = index.get(_key(s), [])
                hits = pd.Index(typed)
        hits = [h for h in hits if allowed[h]]
        if len(hits) > 1 and bare is not None and hint is None:
            of_type = [h for h in hits if table.at[h, "type"] == bare]
            if len(of_type) == 1 and len({table.at[h, "type"] for h in hits}) == 2:
                hits = of_type
        if len(hits) > 1:
            ambiguous.append((raw, table.loc[hits]))
            out.append((raw, False, None, None, None, None, None))
            continue
        if hits:
            r = table.loc[hits[0]]
            out.append((raw, True, r.bps_code, r.kemendagri_code, r["name"], r.type, r.province))
        else:
            out.append((raw, False, None, None, None, None, None))
    if ambiguous:
        listed = "; ".join(f"{raw!r}: {_describe(c)}" for raw, c in ambiguous[:10])
        more = f"; and {len(ambiguous) - 10} more" if len(ambiguous) > 10 else ""
        raise AmbiguousRegionError(
            f"{len(ambiguous)} name{'s fit' if len(ambiguous) > 1 else ' fits'} more than "
            f"one region: {listed}{more}. Write the prefix ('Kab. ...' or 'Kota ...'); pass "
            "bare='kabupaten' when bare names are kabupaten (as in BPS tables that write "
            "'Kota ...' for the kota), type= when all names are of one type, or province= "
            "or a code.",
            candidates=list(ambiguous[0][1]["bps_code"]),
        )
    result = pd.DataFrame(
        out, columns=["input", "matched", "bps_code", "kemendagri_code", "name", "type", "province"]
    )
    missing = result.loc[~result["matched"], "input"].tolist()
    if missing:
        shown = ", ".join(repr(m) for m in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        warnings.warn(
            f"{len(missing)} of {len(result)} names matched no region: {shown}{more}. "
            "They are kept with matched=False.",
            stacklevel=user_stacklevel(),
        )
    return result


def lookup(region: str, *, province: str | None = None, type: str | None = None) -> pd.Series:  # noqa: A002
    """Return the registry row of one region given by code or unambiguous name.

    Parameters
    ----------
    region : str
        A BPS code ("3505"), Kemendagri code ("35.05") or name in any
        spelling :func:`match_regions` accepts ("Kab. Blitar").
    province : str, optional
        Restrict candidates to a province (name, English name or code).
    type : {"kabupaten", "kota"}, optional
        Restrict candidates to a type ("Blitar" alone is ambiguous).

    Returns
    -------
    pandas.Series
        The region's row of :func:`region_table`.

    Raises
    ------
    RegionNotFoundError
        When nothing matches.
    AmbiguousRegionError
        When more than one region matches (the message names them and says
        to pass ``type=`` or a code).

    Examples
    --------
    >>> from cityresearch import regions
    >>> regions.lookup("Toli-Toli")[["bps_code", "name"]].tolist()  # doctest: +SKIP
    ['7206', 'Kabupaten Toli-Toli']
    >>> regions.lookup("Blitar", type="kota")["bps_code"]  # doctest: +SKIP
    '3572'
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = match_regions([region], province=province, type=type)
    if not m.at[0, "matched"]:
        raise RegionNotFoundError(
            f"no kabupaten/kota matches {region!r}; check the spelling or pass a BPS "
            "code (e.g. '3505') or Kemendagri code (e.g. '35.05')."
        )
    table = _tables()[0]
    return table[table["bps_code"] == m.at[0, "bps_code"]].iloc[0].copy()


def convert_codes(
    codes: Iterable[str] | str,
    *,
    source: str = "bps",
    target: str = "kemendagri",
    errors: str = "raise",
) -> pd.Series:
    """Convert region codes between systems.

    Parameters
    ----------
    codes : str or iterable of str
        Codes in the ``source`` system.
    source, target : {"bps", "kemendagri", "kemendagri_2017"}
        BPS 2017-2018, Kemendagri 2025 (after the Papua split) or Kemendagri 2017.
    errors : {"raise", "coerce"}
        Unknown codes raise :class:`RegionNotFoundError` (default) or become
        missing values with a warning.

    Returns
    -------
    pandas.Series
        Target codes, indexed by the input codes.

    Raises
    ------
    ValidationError
        An unknown code system.
    RegionNotFoundError
        Codes not in the registry, with ``errors="raise"``.

    Examples
    --------
    Mimika across the 2022 split (Papua Tengah):

    >>> from cityresearch import regions
    >>> regions.convert_codes("9412").tolist()  # doctest: +SKIP
    ['94.04']
    >>> regions.convert_codes("91.09", source="kemendagri_2017").tolist()  # doctest: +SKIP
    ['94.04']
    """
    for s in (source, target):
        if s not in CODE_SYSTEMS:
            raise ValidationError(f"code system {s!r} is not one of {CODE_SYSTEMS}")
    if isinstance(codes, str):
        codes = [codes]
    codes = [str(c) for c in codes]
    table = _tables()[0]
    col = {
        "bps": "bps_code",
        "kemendagri": "kemendagri_code",
        "kemendagri_2017": "kemendagri_2017_code",
    }
    mapping = table.dropna(subset=[col[source]]).set_index(col[source])[col[target]]
    unknown = [c for c in codes if c not in mapping.index]
    if unknown:
        msg = f"{len(unknown)} {source} codes are not in the registry: {', '.join(unknown[:10])}"
        if errors == "raise":
            raise RegionNotFoundError(msg + "; pass errors='coerce' to get missing values.")
        warnings.warn(msg + "; they are returned as missing values.", stacklevel=user_stacklevel())
    return pd.Series(
        [mapping.get(c) for c in codes], index=pd.Index(codes, name=source), name=target
    )


#: Version of the registry's construction (the matching in ``_tables``); part of
#: :func:`registry_key`. Bump it when the registry's rows or columns change.
REGISTRY_VERSION = 1


def registry_key() -> str:
    """Return a key that changes whenever the region registry may change.

    Derived from :data:`REGISTRY_VERSION` and the cache keys of the datasets the
    registry is built from. Include it in the key of anything cached that
    holds registry columns (for example map layers).

    Returns
    -------
    str
        16 hex digits.

    Raises
    ------
    DatasetNotFoundError
        A source dataset is missing from the specs (a packaging error).

    Examples
    --------
    >>> from cityresearch import regions
    >>> key = regions.registry_key()
    >>> len(key), key == regions.registry_key()
    (16, True)
    """
    from cityresearch import data
    from cityresearch.data._cache import derive_key

    return derive_key(
        {
            "registry": REGISTRY_VERSION,
            "inputs": {
                d: data.cache_key(d)
                for d in ("code_crosswalk", "boundary_names_kabkota", "boundary_names_provinsi")
            },
        }
    )


def boundaries(level: str = "kabkota") -> Any:  # geopandas.GeoDataFrame
    """Return the boundaries of the 514 kab/kota or 38 provinces joined to the registry.

    The shapes come from the datasets ``boundaries_kabkota`` and
    ``boundaries_provinsi`` of :mod:`cityresearch.data` (parsed, repaired and
    cached by their files' hashes); the registry columns are joined here, in
    memory, on every call.

    Parameters
    ----------
    level : {"kabkota", "provinsi"}

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 (lon/lat degrees). ``"kabkota"``: the columns of
        :func:`region_table` plus ``geometry`` (MultiPolygon). ``"provinsi"``:
        the columns of :func:`province_table`, ``shipped_iou`` (overlap of the
        source's own province polygon with the union of its kab/kota) and
        ``geometry`` (that union).

    Raises
    ------
    ValidationError
        Unknown level.

    Examples
    --------
    >>> kab = boundaries("kabkota")  # doctest: +SKIP
    >>> kab.set_index("bps_code").loc["3505", "kemendagri_code"]  # doctest: +SKIP
    '35.05'
    """
    import geopandas as gpd

    from cityresearch import data

    if level == "kabkota":
        geo = data.load("boundaries_kabkota")[["kode", "geometry"]].rename(
            columns={"kode": "kemendagri_code"}
        )
        out = region_table().merge(geo, on="kemendagri_code", how="left")
    elif level == "provinsi":
        geo = data.load("boundaries_provinsi")[["kode", "shipped_iou", "geometry"]].rename(
            columns={"kode": "prov_kemendagri_code"}
        )
        out = province_table().merge(geo, on="prov_kemendagri_code", how="left")
    else:
        raise ValidationError(f"level must be 'kabkota' or 'provinsi', not {level!r}")
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
