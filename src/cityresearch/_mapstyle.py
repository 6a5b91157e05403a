"""Colours, words and number formats of the maps (private).

Palettes are colour-blind safe: ColorBrewer sequential and diverging schemes
that ColorBrewer marks as safe for colour-vision deficiency, viridis-family
maps, and the Okabe-Ito qualitative palette (8 colours) for classes.
"""

from __future__ import annotations

import re
from typing import Any

from cityresearch._errors import ValidationError, user_stacklevel

NO_DATA_COLOR = "#d9d9d9"
#: Regions outside a zoomed choropleth's area: light grey, apart from every class colour.
CONTEXT_COLOR = "#f2f2f2"
#: Regions outside a zoomed categorical (LISA) map's area: white land with light
#: grey outlines, so they cannot be taken for the grey of "not significant"
#: (LISA ``ns``) or of "no data".
CLASS_CONTEXT_COLOR = "#ffffff"
CLASS_CONTEXT_EDGE = "#b0b0b0"
GAP_COLOR = "#ffffff"
#: Hatching (pattern, line colour, line width in points) of "no data" and of the
#: holes in the source's coverage: dark and wide enough to be seen at 150 dpi.
NO_DATA_HATCH = ("///", "#4d4d4d", 1.1)
GAP_HATCH = ("...", "#4d4d4d", 2.0)
LISA_COLORS = {"HH": "#d7191c", "LH": "#abd9e9", "LL": "#2c7bb6", "HL": "#fdae61", "ns": "#eeeeee"}
#: Okabe & Ito (2008) qualitative palette, safe for the common colour-vision deficiencies.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
#: Colour maps accepted without a warning (colour-blind safe).
SAFE_SEQUENTIAL = {
    "YlGnBu",
    "YlGn",
    "GnBu",
    "BuGn",
    "BuPu",
    "PuBu",
    "PuBuGn",
    "OrRd",
    "PuRd",
    "RdPu",
    "YlOrBr",
    "YlOrRd",
    "Blues",
    "Greens",
    "Greys",
    "Oranges",
    "Purples",
    "Reds",
    "viridis",
    "cividis",
    "plasma",
    "inferno",
    "magma",
}
SAFE_DIVERGING = {"RdBu", "RdYlBu", "PuOr", "BrBG", "PRGn", "PiYG", "RdGy"}
UNSAFE_DIVERGING = {"RdYlGn", "Spectral", "coolwarm", "bwr", "seismic"}
DIVERGING = SAFE_DIVERGING | UNSAFE_DIVERGING
#: Classes with more members than this need explicit colours (or fewer classes).
MAX_QUALITATIVE = len(OKABE_ITO)

TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "no_data": "No data",
        "boundaries": "Boundaries",
        "data": "Data",
        "not_significant": "Not significant",
        "km": "km",
        "projection": "Lambert azimuthal equal-area projection",
        "gap": "No kab/kota boundary in source",
        "points": "Region too small to see (dot)",
        "context": "Outside the area classified",
        "enlarged": "enlarged",
        "outside": "Small outlying islands outside the frame",
        "diverge": "colours diverge at",
        "national": "national classes",
        "shown": "classes of the regions shown",
        "skewed": "skewed values: quantiles separate the bulk",
        "scheme": {
            "quantiles": "quantiles (equal counts)",
            "fisher_jenks": "natural breaks (Fisher-Jenks)",
            "natural_breaks": "natural breaks (k-means)",
            "equal_interval": "equal intervals",
            "user_defined": "chosen breaks",
            "unclassed": "continuous",
        },
    },
    "id": {
        "no_data": "Tidak ada data",
        "boundaries": "Batas wilayah",
        "data": "Data",
        "not_significant": "Tidak signifikan",
        "km": "km",
        "projection": "proyeksi azimutal sama-luas Lambert",
        "gap": "Tanpa batas kab/kota di sumber",
        "points": "Wilayah terlalu kecil (titik)",
        "context": "Di luar wilayah yang diklasifikasi",
        "enlarged": "diperbesar",
        "outside": "Pulau kecil terluar di luar bingkai peta",
        "diverge": "warna netral di",
        "national": "kelas nasional",
        "shown": "kelas dari wilayah yang ditampilkan",
        "skewed": "nilai menceng: kuantil memisahkan sebagian besar wilayah",
        "scheme": {
            "quantiles": "kuantil (jumlah sama)",
            "fisher_jenks": "jeda alami (Fisher-Jenks)",
            "natural_breaks": "jeda alami (k-means)",
            "equal_interval": "interval sama",
            "user_defined": "batas kelas dipilih",
            "unclassed": "kontinu",
        },
    },
}
LISA_LABELS = {
    "en": {
        "HH": "High-High",
        "LL": "Low-Low",
        "LH": "Low-High",
        "HL": "High-Low",
        "ns": "Not significant",
    },
    "id": {
        "HH": "Tinggi-Tinggi",
        "LL": "Rendah-Rendah",
        "LH": "Rendah-Tinggi",
        "HL": "Tinggi-Rendah",
        "ns": "Tidak signifikan",
    },
}
#: Readable, bilingual labels of class identifiers used by cityresearch.
CLASS_LABELS = {
    "metro_core": {"en": "Metropolitan core", "id": "Inti metropolitan"},
    "secondary": {"en": "Secondary city", "id": "Kota sekunder"},
    "other_kota": {"en": "Other kota", "id": "Kota lainnya"},
    "kabupaten": {"en": "Kabupaten (regency)", "id": "Kabupaten"},
    "kota": {"en": "Kota (city)", "id": "Kota"},
    "not in programme": {"en": "Not in programme", "id": "Tidak ikut program"},
}
#: Classes drawn in light grey by default: the background a map's classes stand out from.
BACKGROUND_CLASSES = ("kabupaten", "not in programme")
BACKGROUND_COLOR = "#e6e6e6"
_IDENTIFIER = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
_MONEY = re.compile(r"\b(idr|rp|rupiah|usd|\$)", re.IGNORECASE)


def check_lang(lang):
    if lang not in TEXT:
        raise ValidationError(f"lang must be 'en' or 'id', not {lang!r}")


def format_number(x: float, *, lang: str = "en", decimals: int = 0) -> str:
    """Format a number with thousands separators in the chosen language.

    Parameters
    ----------
    x : float
        The number.
    lang : {"en", "id"}
        English (``12,345.6``) or Indonesian (``12.345,6``) separators.
    decimals : int
        Digits after the decimal mark.

    Returns
    -------
    str
        The number with the language's thousands separator and decimal mark.

    Raises
    ------
    ValidationError
        Unknown ``lang``; ``decimals`` not a whole number of at least 0; ``x``
        not a number (text, None) or infinite. A missing value (NaN) is
        written "n/a" (English) or "t.a." (*tidak ada*), never "nan".

    Examples
    --------
    >>> format_number(12345.6, decimals=1)
    '12,345.6'
    >>> format_number(12345.6, lang="id", decimals=1)
    '12.345,6'
    >>> format_number(float("nan"), lang="id")
    't.a.'
    """
    import math
    import numbers

    check_lang(lang)
    if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or decimals < 0:
        raise ValidationError(
            f"format_number: decimals must be a whole number of at least 0, not {decimals!r}"
        )
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValidationError(
            f"format_number: {x!r} is not a number ({type(x).__name__}); "
            "convert it first (e.g. float(...) or pandas.to_numeric)"
        )
    if math.isnan(x):
        return "t.a." if lang == "id" else "n/a"
    if math.isinf(x):
        raise ValidationError(
            f"format_number: {x!r} is infinite; an infinite value is not an "
            "observation (often a division by zero upstream)"
        )
    s = f"{x:,.{decimals}f}"
    if lang == "id":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def class_label(value, lang: str, overrides: dict | None) -> str:
    """The legend text of a class value, refusing bare identifiers."""
    if overrides and value in overrides:
        lab = overrides[value]
        return lab[lang] if isinstance(lab, dict) else str(lab)
    if isinstance(value, str) and value in CLASS_LABELS:
        return CLASS_LABELS[value][lang]
    if isinstance(value, str) and _IDENTIFIER.match(value):
        raise ValidationError(
            f"class {value!r} is an identifier, not a label a reader understands; pass "
            f"class_labels={{{value!r}: {{'en': '...', 'id': '...'}}}}"
        )
    return str(value)


def is_money(unit: str) -> bool:
    return bool(unit) and bool(_MONEY.search(unit))


def check_cmap(cmap: str):
    import warnings

    from matplotlib import colormaps

    if cmap not in colormaps:
        raise ValidationError(
            f"cmap {cmap!r} is not a matplotlib colour map; use e.g. "
            "'YlGnBu' (sequential) or 'RdBu' (diverging, with midpoint=)"
        )
    base = cmap.removesuffix("_r")
    if base in UNSAFE_DIVERGING or base in {"jet", "rainbow", "hsv", "gist_rainbow", "turbo"}:
        warnings.warn(
            f"cmap {cmap!r} is not colour-blind safe; 'RdBu', 'PuOr' or 'BrBG' "
            "(diverging) or 'YlGnBu', 'viridis' (sequential) are",
            stacklevel=user_stacklevel(),
        )
    return colormaps[cmap]
