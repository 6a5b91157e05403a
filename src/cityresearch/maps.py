"""Publication-quality maps of Indonesia's 514 kabupaten/kota and 38 provinces.

One call makes a correct, citable map: :func:`choropleth` (a numeric column,
classed with mapclassify or unclassed), :func:`categorical_map` (classes such
as cohort year, secondary-city class or LISA clusters),
:func:`small_multiples` (one map per year or group, one shared classification
and legend, two columns filling the figure) and :func:`region_map` (one region
highlighted in its province, used by the region profiles). Each returns a
:class:`Map` holding the matplotlib Figure and Axes, what was drawn per
region, where every element of the layout sits, and the report of unmatched
codes; ``save`` writes PNG, SVG or PDF with the fonts embedded.
:func:`notebook_setup` makes notebooks store figures as PNG at 150 dpi.

Projection
----------
Indonesia spans about 5,000 km east-west across the equator. Maps use a
Lambert azimuthal equal-area projection centred on the country
(``+proj=laea +lat_0=-2 +lon_0=118``), so the area of a region on the map is
proportional to its real area and the shape distortion at the edges (Aceh,
Papua) stays small. Distances in the scale bar are exact at the centre and
within about 2% across the country.

Geometry
--------
The source polygons were simplified one by one, so neighbours overlap and
leave slivers. The maps use one clean coverage of the 514 kab/kota (see
:mod:`cityresearch._maplayers`): overlaps and slivers are resolved once for
the whole coverage, national maps simplify the whole coverage at once
(shared edges stay shared), provinces are unions of their kab/kota, and each
boundary is drawn once: white between kab/kota, dark between provinces, grey
along the coast. Nine holes of 15-794 km2 in Papua that no kab/kota polygon of
the source covers are drawn as a stated class "No kab/kota boundary in
source" (see ``data/README.md``).

Making every region visible
---------------------------
At national scale most kota are a pixel or less. Regions smaller than
``min_size`` (inches on the figure, equivalent diameter) are drawn as a dot of
their class colour at their inner point, stated in the legend; national
kab/kota maps add an enlarged inset of Java (``inset="auto"``).

Classes and colours
-------------------
Zoomed maps classify the regions of the zoom area by default
(``classify="view"``; ``"national"`` keeps the national breaks). The default
scheme ``"auto"`` uses quantiles when the values are skewed (skewness above
1: a few mining regencies would otherwise take all the classes but one) and
Fisher-Jenks natural breaks otherwise; the legend states the scheme.
Default colours are colour-blind safe (ColorBrewer ``YlGnBu``, Okabe-Ito for
classes); diverging colour maps require ``midpoint=`` (e.g. 0 for growth),
which becomes a class break with the neutral colour on either side; each
side runs from a light tint next to the midpoint to the full colour at its
most extreme class, so a side with a single class (the regions that shrank,
on a growth map) is drawn in full colour.

Layout
------
Legend, scale bar, locator and labels are placed where they cover no land and
no other element (checked with the drawn polygons' bounding boxes); what does
not fit in the sea goes into a band below the map. The caption (source,
licence, projection) sits under the map. ``Map.boxes()`` returns every
element's bounding box in figure inches for tests.

Language
--------
``lang="en"`` or ``"id"`` sets the legend text, "no data", the number format
(12,345.6 vs 12.345,6) and the standard caption.

This module does not compute statistics: pass a frame with the values (from
:mod:`cityresearch.data` or the analysis modules) and a code column.
"""

from __future__ import annotations

import difflib
import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from cityresearch import _maplayers
from cityresearch._charts import (
    figure_png,
    line_chart,
    notebook_setup,
    value_axis,
    year_axis,
)
from cityresearch._deprecate import REMOVED_IN, renamed
from cityresearch._deprecate import _warn as _deprecation_warning
from cityresearch._errors import ValidationError, user_stacklevel
from cityresearch._mapstyle import (
    BACKGROUND_CLASSES,
    BACKGROUND_COLOR,
    CLASS_LABELS,
    CLASS_CONTEXT_COLOR,
    CLASS_CONTEXT_EDGE,
    CONTEXT_COLOR,
    GAP_COLOR,
    GAP_HATCH,
    LISA_COLORS,
    LISA_LABELS,
    NO_DATA_COLOR,
    NO_DATA_HATCH,
    OKABE_ITO,
    TEXT,
    check_cmap,
    class_label,
    format_number,
    is_money,
)
from cityresearch._mapstyle import DIVERGING as _DIVERGING
from cityresearch._mapstyle import check_lang as _check_lang

__all__ = [
    "CLASS_LABELS",
    "CRS",
    "NO_DATA_COLOR",
    "OKABE_ITO",
    "Map",
    "boundary_gaps",
    "categorical_map",
    "choropleth",
    "figure_png",
    "format_number",
    "line_chart",
    "notebook_setup",
    "region_map",
    "small_multiples",
    "value_axis",
    "year_axis",
]

#: The map projection: Lambert azimuthal equal-area centred on Indonesia.
CRS = _maplayers.CRS
SIMPLIFY_TOLERANCE_M = _maplayers.SIMPLIFY_TOLERANCE_M
SCHEMES = {
    "auto": None,
    "quantiles": "Quantiles",
    "fisher_jenks": "FisherJenks",
    "equal_interval": "EqualInterval",
    "natural_breaks": "NaturalBreaks",
    "user_defined": "UserDefined",
    "unclassed": None,
}
_LINE_STYLE = {"kabkota": ("white", 0.25), "provinsi": ("#333333", 0.55), "coast": ("#8c8c8c", 0.3)}
_DOT_SIZE = 9.0  # marker area in points^2 (about 3 points across)
_PAD_IN = 0.06  # padding around placed elements (inches)
#: The white box behind region labels (profile and zoom maps).
_LABEL_BOX = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#666666", "lw": 0.4, "alpha": 0.9}


# --------------------------------------------------------------------------- vocabulary

#: The code columns a map joins on (``unit=``).
CODE_COLUMNS = ("bps_code", "kemendagri_code", "prov_kemendagri_code", "prov_bps_code")
_F = TypeVar("_F", bound=Callable[..., Any])


def _close_columns(value: str, columns: list[str]) -> list[str]:
    """Code columns, then data columns, that ``value`` looks like a misspelling of."""
    pool = list(CODE_COLUMNS) + [c for c in columns if c not in CODE_COLUMNS]
    lowered = {c.lower(): c for c in reversed(pool)}
    v = value.lower()
    hits = [lowered[c] for c in difflib.get_close_matches(v, list(lowered), n=3, cutoff=0.6)]
    if not hits and any(w in v for w in _CODE_WORDS):
        # "kode", "kode_bps", "BPS": a code column meant, even if spelled far off
        hits = difflib.get_close_matches(v, CODE_COLUMNS, n=2, cutoff=0.0)
    return sorted(hits, key=lambda c: (c not in CODE_COLUMNS, pool.index(c)))


#: Words that show a ``unit=`` means a code column, however it is spelled.
_CODE_WORDS = ("code", "kode", "bps", "kemendagri")


def _unit_vocabulary(func: _F) -> _F:
    """Accept the 0.1 spelling of the code column and the legend unit for one release.

    In 0.1 ``on=`` named the code column and ``unit=`` the unit of the values
    (the legend title). Since 0.2 ``unit=`` names the code column, as everywhere
    in cityresearch, and ``value_unit=`` the unit of the values. A ``unit=``
    that is neither a code column nor a column of the data is the old legend
    unit, unless it looks like a misspelt column (``'bps_cod'``, ``'kode'``),
    which is refused; so is any ``unit=`` given together with ``on=``. Both old
    spellings warn, saying how they were read, and are passed on under the new
    names.
    """
    name = func.__name__
    codes = ", ".join(CODE_COLUMNS)

    @functools.wraps(func)
    def wrapper(data: Any, *args: Any, **kwargs: Any) -> Any:
        on = kwargs.pop("on", None)
        if kwargs.get("unit", "") is None:
            kwargs.pop("unit")  # unit=None: no code column named, nothing to reinterpret
        if "unit" in kwargs:
            unit = kwargs["unit"]
            columns = [str(c) for c in data.columns] if isinstance(data, pd.DataFrame) else []
            is_column = unit in CODE_COLUMNS or unit in columns
            if on is not None:
                if "value_unit" in kwargs or is_column:
                    raise ValidationError(
                        f"{name}() got on={on!r} and unit={unit!r}"
                        + (
                            f" and value_unit={kwargs['value_unit']!r}"
                            if "value_unit" in kwargs
                            else ""
                        )
                        + ": with on= (the 0.1 name of the code column) present, unit= is read "
                        "as the 0.1 legend unit, which "
                        + (
                            "clashes with value_unit="
                            if "value_unit" in kwargs
                            else f"cannot be the column {unit!r}"
                        )
                        + f". Drop on= and pass the code column as unit={on!r}"
                        + " and the unit of the values as value_unit=."
                    )
            elif is_column or not isinstance(unit, str):
                return func(data, *args, **kwargs)  # the 0.2 meaning; _join checks it
            else:
                close = _close_columns(unit, columns)
                if close:
                    raise ValidationError(
                        f"{name}(unit={unit!r}): unit= names the code column to join on, "
                        f"and {unit!r} is not a column of the data; did you mean "
                        f"{close[0]!r}? (code columns: {codes}). If {unit!r} is the unit "
                        f"of the values (the legend title), pass value_unit={unit!r}."
                    )
                if "value_unit" in kwargs:
                    raise ValidationError(
                        f"{name}() got unit={unit!r}, which is neither a code column "
                        f"({codes}) nor a column of the data, and value_unit=; pass the "
                        "unit of the values as value_unit= and the code column as unit="
                    )
            _deprecation_warning(
                f"{name}(unit={unit!r}) was read as the legend unit value_unit={unit!r} "
                "(the 0.1 meaning of unit=), which is deprecated and will be removed in "
                f"cityresearch {REMOVED_IN}; use {name}(value_unit={unit!r}). To name the "
                f"code column, use unit= with one of {codes}."
            )
            kwargs["value_unit"] = kwargs.pop("unit")
        if on is not None:
            _deprecation_warning(
                f"{name}(on=...) is deprecated and will be removed in cityresearch "
                f"{REMOVED_IN}; use {name}(unit=...)."
            )
            kwargs["unit"] = on
        return func(data, *args, **kwargs)

    wrapper.__deprecated_names__ = {"on": "unit", "unit": "value_unit"}  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


# --------------------------------------------------------------------------- result


@dataclass
class Map:
    """A drawn map: the figure, what was drawn per region and where each element sits.

    Returned by :func:`choropleth`, :func:`categorical_map`,
    :func:`small_multiples` (one per panel) and :func:`region_map`.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    ax : matplotlib.axes.Axes
        The map's axes (data coordinates in metres of :data:`CRS`).
    drawn : pandas.DataFrame
        One row per region of the level: the code column (named as the
        ``unit`` joined on), ``value`` (the mapped value, in the data's unit),
        ``class`` (legend label), ``color`` (face colour, hex), ``has_data``,
        ``classified`` (False for context regions outside a zoom area) and
        ``dot`` (also drawn as a dot because too small to see).
    unmatched : list of str
        Codes in the input that match no region of the level (not drawn).
    legend_labels : list of str
        The legend entries in order.
    caption : str
        The line printed under the map: boundaries' source and licence,
        projection, regions with small islands outside the frame, data source.
    collection : matplotlib.collections.PathCollection, optional
        The region polygons.
    legend_title : str
        The legend title (unit of the values, price basis, classification scheme).
    empty_classes : list
        Classes of ``order`` with no region (left out of the legend).
    artists : dict
        Named layout elements (``legend``, ``scalebar``, ``caption``,
        ``title``, ``locator``, ``inset``, ``labels``) for inspection.

    See Also
    --------
    Map.boxes : Bounding boxes of the layout elements.
    Map.save : Write PNG, SVG or PDF.

    Examples
    --------
    >>> import pandas as pd
    >>> from cityresearch import maps
    >>> d = pd.DataFrame({"bps_code": ["3505", "3572"], "v": [1.0, 2.0]})
    >>> m = maps.choropleth(d, "v", zoom="Jawa Timur", k=2)  # doctest: +SKIP
    >>> m.drawn.loc[m.drawn["has_data"], ["bps_code", "value"]]  # doctest: +SKIP
        bps_code  value
    231     3505    1.0
    257     3572    2.0
    """

    fig: Any
    ax: Any
    drawn: pd.DataFrame
    unmatched: list = field(default_factory=list)
    legend_labels: list = field(default_factory=list)
    caption: str = ""
    collection: Any = None
    legend_title: str = ""
    empty_classes: list = field(default_factory=list)
    artists: dict = field(default_factory=dict)

    @property
    def n_no_data(self) -> int:
        """Number of regions drawn as "no data"."""
        d = self.drawn
        return int((~d["has_data"] & d.get("classified", True)).sum())

    def boxes(self) -> dict:
        """Bounding boxes of the layout elements, in figure inches.

        Returns
        -------
        dict
            Element name -> ``(x0, y0, x1, y1)``; labels as ``label:<text>``.
        """
        r = self.fig.canvas.get_renderer()
        dpi = self.fig.dpi
        out = {}
        for name, art in self.artists.items():
            items = art if isinstance(art, list) else [art]
            for k, a in enumerate(items):
                if a is None:
                    continue
                if name == "labels":  # the label's box, not its leader line
                    a.update_bbox_position_size(r)
                    bb = a.get_bbox_patch().get_window_extent(r)
                else:
                    bb = (
                        a.get_tightbbox(r)
                        if hasattr(a, "get_tightbbox")
                        else a.get_window_extent(r)
                    )
                key = name
                if isinstance(art, list):
                    key = f"label:{a.get_text()}" if name == "labels" else f"{name}:{k}"
                out[key] = (bb.x0 / dpi, bb.y0 / dpi, bb.x1 / dpi, bb.y1 / dpi)
        return out

    def save(self, path, *, dpi: int = 300) -> None:
        """Save as PNG, SVG or PDF (by the file's suffix), fonts embedded.

        PDF embeds TrueType fonts (Type 42), SVG stores the glyphs as paths,
        so the file looks the same on a machine without the fonts.

        Parameters
        ----------
        path : str or Path
            Ends in ``.png``, ``.svg`` or ``.pdf``.
        dpi : int
            Resolution of PNGs (and of raster parts of PDF/SVG).

        Raises
        ------
        ValidationError
            Another suffix.
        """
        import matplotlib as mpl

        suffix = str(path).rsplit(".", 1)[-1].lower()
        if suffix not in {"png", "svg", "pdf"}:
            raise ValidationError(f"save to .png, .svg or .pdf, not .{suffix}")
        with mpl.rc_context({"pdf.fonttype": 42, "ps.fonttype": 42, "svg.fonttype": "path"}):
            self.fig.savefig(path, dpi=dpi)


def boundary_gaps(*, simplified: bool = False):
    """Land inside the coverage that no kab/kota polygon of the source covers.

    Parameters
    ----------
    simplified : bool
        The holes of the national (simplified) layer or of the full detail.

    Returns
    -------
    geopandas.GeoDataFrame
        ``area_km2``, ``neighbours``, ``provinces``, ``geometry`` (map CRS),
        largest first.

    Raises
    ------
    DataUnavailableError, HashMismatchError
        The kab/kota boundaries cannot be loaded (as
        :func:`cityresearch.data.load_boundaries`).

    Examples
    --------
    >>> gaps = boundary_gaps()  # doctest: +SKIP
    >>> round(gaps["area_km2"].sum())  # doctest: +SKIP
    2155
    """
    return _maplayers.gaps(simplified).copy()


# --------------------------------------------------------------------------- input


def _join(
    frame: pd.DataFrame, column: str, level: str, unit: str | None, layer: Any
) -> tuple[str, pd.Series, list[str]]:
    from cityresearch import _validate

    _validate.as_frame(frame, name="data")
    if column not in frame.columns:
        raise ValidationError(
            f"column {column!r} is not in the data; columns are: "
            f"{', '.join(map(str, frame.columns))}"
        )
    if level == "kabkota":
        candidates = ["bps_code", "kemendagri_code"]
    else:
        candidates = ["prov_kemendagri_code", "prov_bps_code"]
    on = unit
    if on is None:
        on = next((c for c in candidates if c in frame.columns), None)
        if on is None:
            raise ValidationError(
                f"the data need a code column: one of {candidates}, or pass unit="
            )
    if on not in candidates:
        close = _close_columns(str(on), [])
        hint = f"; did you mean {close[0]!r}?" if close and close[0] in candidates else ""
        raise ValidationError(
            f"unit must be one of {candidates}, not {on!r}{hint} (unit= names the code "
            f"column of a {level} map)"
        )
    if on not in frame.columns:
        raise ValidationError(f"unit={on!r} is not a column of the data")
    if on == "prov_bps_code":
        raise ValidationError(
            "province maps draw the 38 provinces of 2025: join on 'prov_kemendagri_code' "
            "(BPS 34-province codes do not map one-to-one after the 2022 Papua split)"
        )
    if frame[on].isna().any():
        rows = list(frame.index[frame[on].isna()][:5])
        raise ValidationError(
            f"code column {on!r} is missing in rows {rows}; every row needs a region code"
        )
    codes = frame[on].astype(str)
    if codes.duplicated().any():
        dup = codes[codes.duplicated()].unique()[:5]
        raise ValidationError(
            f"codes appear more than once in {on!r}: {', '.join(dup)}; "
            "pass one row per region (e.g. filter one year)"
        )
    known = set(layer[on].astype(str))
    unmatched = sorted(set(codes) - known)
    if len(unmatched) == len(codes) and len(codes):
        raise ValidationError(
            f"no code in {on!r} matches a {level} region (e.g. {', '.join(unmatched[:5])}); "
            f"{level} codes look like {', '.join(sorted(known)[:3])}"
        )
    if len(codes) == 0:
        raise ValidationError("the data have no rows")
    if unmatched:
        warnings.warn(
            f"{len(unmatched)} codes match no {level} region and are not drawn: "
            f"{', '.join(unmatched[:10])}",
            stacklevel=user_stacklevel(),
        )
    values = pd.Series(frame[column].to_numpy(), index=codes)
    return on, layer[on].astype(str).map(values), unmatched


def _numeric(values: pd.Series, column: str, on: str, layer) -> np.ndarray:
    if not (
        pd.api.types.is_numeric_dtype(values) or values.isna().all()
    ) or pd.api.types.is_bool_dtype(values):
        bad = values[pd.to_numeric(values, errors="coerce").isna() & values.notna()]
        eg = ", ".join(
            f"{layer[on].iloc[i]}: {values.iloc[i]!r}"
            for i in list(np.flatnonzero(values.index.isin(bad.index)))[:3]
        )
        raise ValidationError(
            f"column {column!r} is not numeric (e.g. {eg}); convert it with "
            "pd.to_numeric, or use categorical_map for classes"
        )
    v = values.astype(float).to_numpy()
    inf = np.isinf(v)
    if inf.any():
        codes = ", ".join(layer[on].astype(str).to_numpy()[inf][:5])
        raise ValidationError(
            f"column {column!r} is infinite for {codes}; replace inf by NaN "
            "(drawn as no data) or a value"
        )
    return v


def _check_choice(name, value, options):
    from cityresearch import _validate

    _validate.check_choice(value, list(options), name)


def _check_k(k, n):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
        raise ValidationError(f"k must be an integer of at least 2, not {k!r}")
    if k > n:
        same = " (the values are constant: a map cannot separate them)" if n == 1 else ""
        raise ValidationError(
            f"k={k} classes need at least {k} distinct values; the data have {n}{same}: lower k"
        )


# --------------------------------------------------------------------------- classes


@dataclass
class _Classes:
    bins: np.ndarray | None  # upper bounds
    lo: float
    scheme: str  # the scheme used (after "auto")
    skewed: bool
    palette: list
    labels: list
    norm: object = None
    cmap: object = None


def _skewness(x):
    x = np.asarray(x, dtype=float)
    s = x.std()
    return 0.0 if s == 0 or len(x) < 3 else float(((x - x.mean()) ** 3).mean() / s**3)


def _classify(values, scheme, k, breaks, cmap_name, midpoint, lang, decimals) -> _Classes:
    import mapclassify
    from matplotlib.colors import Normalize, TwoSlopeNorm, to_hex

    _check_choice("scheme", scheme, list(SCHEMES))
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    cm = check_cmap(cmap_name)
    diverging = cmap_name.removesuffix("_r") in _DIVERGING
    if midpoint is not None:
        if isinstance(midpoint, bool) or not isinstance(midpoint, (int, float, np.number)):
            raise ValidationError(
                f"midpoint must be a number (e.g. 0 for growth), not {midpoint!r}"
            )
        if not diverging:
            raise ValidationError(
                f"midpoint= goes with a diverging cmap such as 'RdBu', not {cmap_name!r}"
            )
    elif diverging:
        raise ValidationError(
            f"the diverging cmap {cmap_name!r} needs midpoint= (the value "
            "drawn neutral, e.g. midpoint=0 for growth)"
        )
    if breaks is not None and scheme not in ("user_defined", "auto"):
        raise ValidationError("breaks= goes with scheme='user_defined'")
    if breaks is not None:
        scheme = "user_defined"
    skewed = bool(_skewness(values) > 1)
    if scheme == "auto":
        scheme = "quantiles" if skewed else "fisher_jenks"
    if scheme == "unclassed":
        lo, hi = float(values.min()), float(values.max())
        norm: Normalize
        if midpoint is not None:
            span = max(hi - midpoint, midpoint - lo, 1e-12)
            norm = TwoSlopeNorm(midpoint, midpoint - span, midpoint + span)
        else:
            norm = Normalize(lo, hi)
        return _Classes(None, lo, scheme, skewed, [], [], norm, cm)
    warnings.filterwarnings("ignore", message="Numba not installed")
    if scheme == "user_defined":
        if breaks is None or len(breaks) == 0:
            raise ValidationError("scheme='user_defined' needs breaks=[upper bounds]")
        b = np.asarray(breaks, dtype=float)
        if np.isnan(b).any():
            raise ValidationError(f"breaks contain NaN: {list(breaks)}")
        bad = np.flatnonzero(np.diff(b) <= 0)
        if len(bad):
            i = int(bad[0]) + 1
            raise ValidationError(
                f"breaks must increase: {breaks[i]} at position {i} is not above "
                f"{breaks[i - 1]}; sort them (upper bounds of the classes)"
            )
        if b[-1] < values.max():
            raise ValidationError(
                f"the last break ({format_number(b[-1], decimals=decimals)}) "
                f"is below the largest value "
                f"({format_number(values.max(), decimals=decimals)}); add a "
                "break at or above it"
            )
        bins = b
    else:
        _check_k(k, len(np.unique(values)))
        bins = np.asarray(getattr(mapclassify, str(SCHEMES[scheme]))(values, k=k).bins, dtype=float)
    lo = float(values.min())
    if midpoint is not None and lo < midpoint < bins[-1] and not np.isclose(bins, midpoint).any():
        bins = np.sort(np.append(bins, midpoint))
    # palette
    n = len(bins)
    if midpoint is None:
        palette = [to_hex(cm(x)) for x in np.linspace(0.15, 1.0, n)]
    else:
        below = int((bins <= midpoint + 1e-12).sum()) if lo < midpoint else 0
        above = n - below
        # each side runs from light (next to the midpoint) to the full colour
        # (its most extreme class), so a side with one class is as distinct as
        # the far end of the other side, not a pale tint
        down, up = _side_steps(below), _side_steps(above)
        palette = [to_hex(cm(0.5 - down[below - 1 - i])) for i in range(below)] + [
            to_hex(cm(0.5 + up[i])) for i in range(above)
        ]
    lows = [lo, *bins[:-1]]
    labels = [
        f"{_num(a, lang, decimals)} \u2013 {_num(b, lang, decimals)}"
        for a, b in zip(lows, bins, strict=True)
    ]
    return _Classes(bins, lo, scheme, skewed, palette, labels)


def _side_steps(n: int) -> np.ndarray:
    """Colour-map offsets from the centre of one side of a diverging palette,
    nearest the midpoint first: steps of 0.12 ending at 0.48 (the full colour),
    evenly from 0.12 to 0.48 when the side has more than four classes."""
    if n > 4:
        return np.linspace(0.12, 0.48, n)
    return 0.48 - 0.12 * np.arange(n)[::-1]


def _num(x, lang, decimals):
    """A class bound: thousands separators, a typographic minus, no "-0"."""
    s = format_number(x, lang=lang, decimals=decimals)
    if s.startswith("-") and s.strip("-0.,") == "":
        s = s[1:]
    return s.replace("-", "\u2212")


def _class_index(classes: _Classes, v: np.ndarray) -> np.ndarray:
    bins = classes.bins
    assert bins is not None, "an unclassed map has no class index"
    return np.searchsorted(bins, v, side="left").clip(0, len(bins) - 1)


def _legend_title(unit, price_basis, classes, lang, midpoint, decimals, scope):
    t = TEXT[lang]
    if is_money(unit) and not price_basis:
        raise ValidationError(
            f"value_unit={unit!r} is money: say the price basis, e.g. "
            "price_basis='constant 2010 prices' (or 'current prices')"
        )
    head = ", ".join(x for x in (unit, price_basis) if x)
    scheme = t["scheme"][classes.scheme]
    if classes.skewed and classes.scheme == "quantiles":
        scheme = t["skewed"]
    lines = [head, scheme[0].upper() + scheme[1:]]
    if scope:
        lines[-1] += f"; {t[scope]}"
    if midpoint is not None:
        lines.append(f"{t['diverge']} {format_number(midpoint, lang=lang, decimals=decimals)}")
    return "\n".join(x for x in lines if x)


# --------------------------------------------------------------------------- geometry helpers


def _paths(geoms):
    """matplotlib Paths of (multi)polygons, one compound path per region."""
    import shapely
    from matplotlib.path import Path

    geoms = np.asarray(geoms, dtype=object)
    out = [Path(np.zeros((1, 2)))] * len(geoms)
    ok = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    if not ok.any():
        return out
    polys, pidx = shapely.get_parts(geoms[ok], return_index=True)
    rings, ridx = shapely.get_rings(polys, return_index=True)
    coords, cidx = shapely.get_coordinates(rings, return_index=True)
    counts = np.bincount(cidx, minlength=len(rings))
    codes = np.full(len(coords), Path.LINETO, dtype=np.uint8)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    codes[starts] = Path.MOVETO
    codes[starts + counts - 1] = Path.CLOSEPOLY
    region_of_ring = np.flatnonzero(ok)[pidx[ridx]]
    region_of_coord = region_of_ring[cidx]
    bounds = np.searchsorted(region_of_coord, np.arange(len(geoms) + 1))
    for r in np.flatnonzero(ok):
        a, b = bounds[r], bounds[r + 1]
        if b > a:
            out[r] = Path(coords[a:b], codes[a:b])
    return out


_PATH_CACHE: dict = {}


def _layer_paths(layer):
    """Paths of a cached layer, computed once per layer object."""
    key = id(layer)
    hit = _PATH_CACHE.get(key)
    if hit is None or hit[0] is not layer:
        hit = (layer, _paths(layer.geometry.to_numpy()))
        _PATH_CACHE[key] = hit
    return hit[1]


def _lines_path(geom):
    """One compound Path (MOVETO/LINETO) of all lines of a (multi)line geometry."""
    import shapely
    from matplotlib.path import Path

    if geom is None or geom.is_empty:
        return None
    coords, idx = shapely.get_coordinates(shapely.get_parts(geom), return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=np.uint8)
    codes[np.r_[0, np.flatnonzero(np.diff(idx)) + 1]] = Path.MOVETO
    return Path(coords, codes)


def _extent_of(sel, pad_frac=0.05, min_size_m=0.0):
    minx, miny, maxx, maxy = sel.total_bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    w = max(maxx - minx, min_size_m)
    h = max(maxy - miny, min_size_m)
    pad = pad_frac * max(w, h)
    return (cx - w / 2 - pad, cy - h / 2 - pad, cx + w / 2 + pad, cy + h / 2 + pad)


def _zoom_mask(layer, zoom):
    from cityresearch import regions
    from cityresearch._errors import RegionNotFoundError

    if isinstance(zoom, str):
        try:
            return regions._province_filter(layer, zoom).to_numpy(), str(zoom)
        except RegionNotFoundError:
            pass
        try:
            row = regions.lookup(zoom)
        except RegionNotFoundError as err:
            guesses = _province_guesses(zoom, regions.province_table())
            if guesses is None:
                raise
            eg = "; did you mean " + " or ".join(guesses) + "?" if guesses else ""
            raise RegionNotFoundError(
                f"zoom={zoom!r} matches no province and no kabupaten/kota{eg} Provinces "
                "are named as in the registry (e.g. 'Jawa Tengah', not an abbreviation) or "
                "by code (e.g. '33'); see regions.province_table()."
            ) from err
        return (layer["bps_code"] == row["bps_code"]).to_numpy(), row["name"]
    if isinstance(zoom, (list, tuple, pd.Index, np.ndarray, pd.Series)):
        codes = [regions.lookup(str(z))["bps_code"] for z in zoom]
        return layer["bps_code"].isin(codes).to_numpy(), None
    raise ValidationError(f"zoom must be a province, a region or a list of regions, not {zoom!r}")


def _province_guesses(text: str, provinces: pd.DataFrame) -> list[str] | None:
    """Provinces a zoom text that matched nothing may mean, or None if it does
    not look like a province at all.

    A text looks like a province when it says so ("Prov. ..."), is close to a
    province name ("Jawa Tenga"), or is built like the usual abbreviations:
    the first letters of the first word and of the last ("Jateng", "Sulsel",
    "Kaltim", "Kepri") or the initials ("NTB", "DIY", "DKI"), at most 8 letters.
    """
    import re

    key = "".join(re.findall(r"[a-z]+", text.lower()))
    if not key:
        return None
    scored = []
    for code, name in zip(provinces["prov_kemendagri_code"], provinces["province"], strict=True):
        words = re.findall(r"[a-z]+", name.lower())
        compact = "".join(words)
        initials = "".join(w[0] for w in words)
        ratio = difflib.SequenceMatcher(None, key, compact).ratio()
        abbrev = (
            len(key) <= 8
            and (  # abbreviations are short
                (len(words) > 1 and key.startswith(words[0][:2]) and words[-1][:2] in key[2:])
                or (len(key) >= 2 and initials.startswith(key))
            )
        )
        if abbrev or ratio >= 0.75:
            scored.append((ratio, f"{name!r} ({code!r})"))
    if not scored and not re.search(r"prov", key):
        return None
    return [g for _, g in sorted(scored, reverse=True)[:2]]


# --------------------------------------------------------------------------- layout


class _Placer:
    """Finds places (in data coordinates) that cover no land and no other element."""

    def __init__(self, extent, scale, land_geoms):
        import shapely

        self.extent = extent
        self.scale = scale  # inches per metre
        self.land = [g for g in land_geoms if g is not None and not g.is_empty]
        self.tree = shapely.STRtree(self.land) if self.land else None
        self.taken = []

    def free(self, box) -> bool:
        import shapely

        b = shapely.box(*box)
        if any(b.intersects(shapely.box(*t)) for t in self.taken):
            return False
        if self.tree is None:
            return True
        return len(self.tree.query(b, predicate="intersects")) == 0

    def find(self, w_in, h_in, prefer=("ll", "ur", "ul", "lr")):
        """A free box of w x h inches inside the extent, or None."""
        x0, y0, x1, y1 = self.extent
        w, h = (w_in + 2 * _PAD_IN) / self.scale, (h_in + 2 * _PAD_IN) / self.scale
        if w > x1 - x0 or h > y1 - y0:
            return None
        corners = {"ll": (x0, y0), "lr": (x1 - w, y0), "ul": (x0, y1 - h), "ur": (x1 - w, y1 - h)}
        cands = [corners[p] for p in prefer]
        nx = ny = 24
        xs = np.linspace(x0, x1 - w, nx)
        ys = np.linspace(y0, y1 - h, ny)
        grid = [(x, y) for y in ys for x in xs]
        # nearer an edge first
        grid.sort(key=lambda p: min(p[0] - x0, x1 - w - p[0], p[1] - y0, y1 - h - p[1]))
        for x, y in cands + grid:
            box = (x, y, x + w, y + h)
            if self.free(box):
                self.taken.append(box)
                pad = _PAD_IN / self.scale
                return (x + pad, y + pad, x + w - pad, y + h - pad)
        return None


def _measure_legend(handles, labels, title, ncol=1):
    """Width and height (inches) of a legend with these entries.

    Text extents change with the resolution (glyph hinting: up to 8% between
    72 and 150 dpi), so the legend is measured at the screen (72), notebook
    (150) and print (300) resolutions and the largest size is taken."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    w = h = 0.0
    for dpi in (72, 150, 300):
        f = Figure(dpi=dpi)
        FigureCanvasAgg(f)
        leg = _make_legend(f, handles, labels, title, ncol=ncol)
        bb = leg.get_window_extent(f.canvas.get_renderer())
        w, h = max(w, bb.width / dpi), max(h, bb.height / dpi)
    return w, h


def _make_legend(fig, handles, labels, title, *, ncol=1, **kw):
    leg = fig.legend(
        handles,
        labels,
        title=title,
        fontsize=7,
        title_fontsize=7.5,
        frameon=False,
        ncol=ncol,
        borderaxespad=0,
        borderpad=0.2,
        handlelength=1.6,
        handleheight=1.1,
        alignment="left",
        **kw,
    )
    # the legend copies a handle's colours and hatch but not its hatch width
    for orig, drawn in zip(handles, leg.legend_handles, strict=True):
        if hasattr(orig, "get_hatch_linewidth") and hasattr(drawn, "set_hatch_linewidth"):
            drawn.set_hatch_linewidth(orig.get_hatch_linewidth())
    return leg


def _text_width_pt(text, fontsize):
    """Width of one line of text in points, measured with the font's metrics."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    w, _, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=fontsize), ismath=False
    )
    return w


def _wrap(text, width_in, fontsize):
    """Break ``text`` into lines no wider than ``width_in`` inches at ``fontsize`` points.

    Widths are measured with the font in use (not guessed from a character
    count), so a caption stays inside the figure whatever its letters; a word
    longer than a line (a URL) is broken inside. Lines are kept to 90% of the
    width: hinting makes small text up to 10% wider on screen (at 50 dpi) than
    the font's metrics say.
    """
    limit = 0.9 * width_in * 72
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}" if line else word
            if _text_width_pt(trial, fontsize) <= limit:
                line = trial
                continue
            if line:
                lines.append(line)
            while _text_width_pt(word, fontsize) > limit and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and _text_width_pt(word[:cut], fontsize) > limit:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return "\n".join(lines)


class _Figure:
    """Plans a figure: title on top, the map, a band below for what did not
    fit into the sea, the caption at the bottom. All sizes in inches."""

    def __init__(self, extent, width, max_height, title, subtitle, caption):
        self.extent = extent
        ew, eh = extent[2] - extent[0], extent[3] - extent[1]
        self.map_w = width - 0.2
        self.map_h = self.map_w * eh / ew
        if self.map_h > max_height:
            self.map_h = max_height
            self.map_w = self.map_h * ew / eh
        self.width = width
        self.scale = self.map_w / ew
        self.title = title
        self.subtitle = subtitle
        self.title_h = (0.3 if title else 0) + (
            0.2 * (subtitle or "").count("\n") + 0.2 if subtitle else 0
        )
        self.caption = _wrap(caption, width - 0.2, 6.5) if caption else ""
        self.caption_h = 0.12 * (self.caption.count("\n") + 1) + 0.12 if caption else 0.05
        self.band = []  # (name, w, h)

    def add_band(self, name, w, h):
        self.band.append((name, w, h))

    @property
    def band_h(self):
        return max((h for _, _, h in self.band), default=0) + (0.15 if self.band else 0)

    @property
    def height(self):
        return 0.1 + self.title_h + self.map_h + self.band_h + self.caption_h

    def make(self, plt):
        fig = plt.figure(figsize=(self.width, self.height))
        H = self.height
        left = (self.width - self.map_w) / 2
        bottom = self.caption_h + self.band_h
        ax = fig.add_axes([left / self.width, bottom / H, self.map_w / self.width, self.map_h / H])
        ax.set_xlim(self.extent[0], self.extent[2])
        ax.set_ylim(self.extent[1], self.extent[3])
        ax.set_axis_off()
        ax.set_aspect("equal", adjustable="datalim")
        self.fig, self.ax, self.left, self.bottom = fig, ax, left, bottom
        # band slots, left to right
        self.slots = {}
        x = 0.1
        for name, w, h in self.band:
            self.slots[name] = (x, self.caption_h + 0.05, w, h)
            x += w + 0.3
        return fig, ax

    def rect(self, name):
        x, y, w, h = self.slots[name]
        return [x / self.width, y / self.height, w / self.width, h / self.height]

    def data_to_fig(self, box):
        x0, y0, x1, y1 = box
        e = self.extent

        def fx(x):
            return (self.left + (x - e[0]) * self.scale) / self.width

        def fy(y):
            return (self.bottom + (y - e[1]) * self.scale) / self.height

        return fx(x0), fy(y0), fx(x1), fy(y1)

    def texts(self):
        fig = self.fig
        arts = {}
        top = 1 - 0.08 / self.height
        if self.title:
            arts["title"] = fig.text(
                0.1 / self.width,
                top,
                self.title,
                fontsize=12,
                fontweight="bold",
                ha="left",
                va="top",
            )
            top -= 0.3 / self.height
        if self.subtitle:
            arts["subtitle"] = fig.text(
                0.1 / self.width,
                top,
                self.subtitle,
                fontsize=9,
                ha="left",
                va="top",
                color="#333333",
            )
        if self.caption:
            arts["caption"] = fig.text(
                0.1 / self.width,
                0.06 / self.height,
                self.caption,
                fontsize=6.5,
                color="#444444",
                ha="left",
                va="bottom",
                linespacing=1.25,
            )
        return arts


def _scalebar_length(width_m):
    nice = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
    target = width_m / 1000 / 6
    return max([n for n in nice if n <= target] or [1])


def _draw_scalebar(ax, box, length_km, lang):
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    h = y1 - y0
    xs = [cx - length_km * 500, cx + length_km * 500]
    line = ax.plot(
        xs, [y0 + 0.25 * h] * 2, color="black", linewidth=2, zorder=6, solid_capstyle="butt"
    )[0]
    txt = ax.text(
        cx,
        y0 + 0.45 * h,
        f"{format_number(length_km, lang=lang)} {TEXT[lang]['km']}",
        ha="center",
        va="bottom",
        fontsize=7,
        zorder=6,
    )
    return [line, txt]


# --------------------------------------------------------------------------- drawing


def _caption(source: str | None, lang: str, outside: list[str] | None = None) -> str:
    from cityresearch import data

    b = data.sources(["boundaries"]).iloc[0]
    t = TEXT[lang]
    text = f"{t['boundaries']}: {b.citation.split(':')[0]} ({b.license}), {t['projection']}."
    if outside:
        text += f" {t['outside']}: {', '.join(outside)}."
    if source:
        # a source written as a whole caption sentence ("Data: ... 2019.") is
        # not prefixed and stopped a second time
        src = source.strip()
        if src.lower().startswith(f"{t['data'].lower()}:"):
            src = src[len(t["data"]) + 1 :].strip()
        text += f" {t['data']}: {src.rstrip(' .;,')}."
    return text


def _draw_polys(ax, geoms, colors, *, zorder=2, paths=None):
    from matplotlib.collections import PathCollection

    paths = _paths(geoms) if paths is None else paths
    coll = PathCollection(
        paths,
        facecolors=list(colors),
        edgecolors="none",
        linewidths=0,
        zorder=zorder,
        antialiased=True,
    )
    coll.set_transform(ax.transData)
    ax.add_collection(coll, autolim=False)
    return coll


def _draw_hatch(ax, geoms, style, *, zorder=2.5):
    from matplotlib.collections import PathCollection

    if not len(geoms):
        return None
    hatch, color, width = style
    coll = PathCollection(
        _paths(geoms), facecolors="none", edgecolors=color, hatch=hatch, linewidths=0, zorder=zorder
    )
    coll.set_hatch_linewidth(width)
    coll.set_transform(ax.transData)
    ax.add_collection(coll, autolim=False)
    return coll


def _draw_lines(ax, lines, box, *, kinds=("kabkota", "provinsi", "coast"), scale=1.0):
    from matplotlib.collections import PathCollection

    key = id(lines)
    for kind in kinds:
        ck = (key, kind)
        hit = _PATH_CACHE.get(ck)
        if hit is None or hit[0] is not lines:
            geom = lines.loc[lines["kind"] == kind, "geometry"]
            hit = (lines, _lines_path(geom.iloc[0]) if len(geom) else None)
            _PATH_CACHE[ck] = hit
        if hit[1] is None:
            continue
        color, lw = _LINE_STYLE[kind]
        coll = PathCollection(
            [hit[1]],
            facecolors="none",
            edgecolors=color,
            linewidths=lw * scale,
            capstyle="round",
            joinstyle="round",
            zorder={"kabkota": 3, "coast": 3.2, "provinsi": 3.5}[kind],
        )
        coll.set_transform(ax.transData)
        ax.add_collection(coll, autolim=False)


def _small(geoms, scale, min_size):
    """Regions whose equivalent diameter on the figure is below min_size inches."""
    import shapely

    d = 2 * np.sqrt(shapely.area(geoms) / np.pi) * scale
    return d < min_size


def _draw_dots(ax, pts, colors, *, zorder=4):
    if not len(pts):
        return None
    return ax.scatter(
        pts[:, 0],
        pts[:, 1],
        s=_DOT_SIZE,
        c=list(colors),
        edgecolors="#222222",
        linewidths=0.35,
        zorder=zorder,
    )


def _view(layer, box):
    import shapely

    b = shapely.box(*box)
    return layer.geometry.intersects(b).to_numpy()


def _render_map(
    ax, layer, lines, gaps, colors, has, box, scale, min_size, *, hatch_missing=True, line_scale=1.0
):
    """Polygons, missing-data hatching, gaps, boundary lines and dots; returns
    (collection, dots mask, land geoms in view)."""
    import shapely

    vis = _view(layer, box)
    geoms = layer.geometry.to_numpy()
    colors = np.asarray(colors, dtype=object)
    paths = _layer_paths(layer)
    coll = _draw_polys(
        ax, None, colors[vis], paths=[p for p, v in zip(paths, vis, strict=True) if v]
    )
    miss = vis & ~has
    if hatch_missing and miss.any():
        _draw_hatch(ax, geoms[miss], NO_DATA_HATCH)
    g_in = gaps[gaps.intersects(shapely.box(*box))]
    if len(g_in):
        _draw_polys(ax, g_in.geometry.to_numpy(), [GAP_COLOR] * len(g_in), zorder=2)
        _draw_hatch(ax, g_in.geometry.to_numpy(), GAP_HATCH)
    _draw_lines(ax, lines, box, scale=line_scale)
    dots = np.zeros(len(layer), dtype=bool)
    if min_size:
        dots[vis] = _small(geoms[vis], scale, min_size)
    if dots.any():
        pts = shapely.get_coordinates(shapely.point_on_surface(geoms[dots]))
        _draw_dots(ax, pts, colors[dots])
    land = list(geoms[vis]) + list(g_in.geometry)
    return coll, dots, land, len(g_in) > 0


def _gap_handle():
    from matplotlib.patches import Patch

    hatch, color, width = GAP_HATCH
    p = Patch(facecolor=GAP_COLOR, edgecolor=color, hatch=hatch, linewidth=0.3)
    p.set_hatch_linewidth(width)
    return p


def _no_data_handle():
    from matplotlib.patches import Patch

    hatch, color, width = NO_DATA_HATCH
    p = Patch(facecolor=NO_DATA_COLOR, edgecolor=color, hatch=hatch, linewidth=0)
    p.set_hatch_linewidth(width)
    return p


def _dot_handle():
    from matplotlib.lines import Line2D

    return Line2D(
        [],
        [],
        marker="o",
        linestyle="none",
        markersize=3.4,
        markerfacecolor="#bbbbbb",
        markeredgecolor="#222222",
        markeredgewidth=0.35,
    )


def _inset_group(layer, inset, level):
    if level != "kabkota":
        raise ValidationError("island-group insets are drawn on kab/kota maps (level='kabkota')")
    mask = (layer["island_group"] == inset).to_numpy()
    if not mask.any():
        groups = ", ".join(sorted(layer["island_group"].dropna().unique()))
        raise ValidationError(
            f"inset must be 'auto', 'locator', None or an island group ({groups}), not {inset!r}"
        )
    return mask


def _draw_locator(fig, rect, box, lang):
    """Indonesia in grey with the map's area marked (a box, or a dot when tiny)."""
    import shapely
    from matplotlib.patches import Rectangle

    prov = _maplayers.layer("provinsi", True)
    iax = fig.add_axes(rect)
    _draw_polys(iax, prov.geometry.to_numpy(), ["#c8c8c8"] * len(prov))
    x0, y0, x1, y1 = shapely.total_bounds(prov.geometry.to_numpy())
    iax.set_xlim(x0, x1)
    iax.set_ylim(y0, y1)
    iax.set_aspect("equal", adjustable="box", anchor="SW")
    w = box[2] - box[0]
    if w < 0.03 * (x1 - x0):
        iax.plot(
            [(box[0] + box[2]) / 2],
            [(box[1] + box[3]) / 2],
            marker="s",
            markersize=4,
            markerfacecolor="none",
            markeredgecolor="#d7301f",
            markeredgewidth=1.2,
        )
    else:
        iax.add_patch(
            Rectangle(
                (box[0], box[1]), w, box[3] - box[1], fill=False, edgecolor="#d7301f", linewidth=1
            )
        )
    iax.set_xticks([])
    iax.set_yticks([])
    for s in iax.spines.values():
        s.set_edgecolor("#999999")
        s.set_linewidth(0.5)
    return iax


def _plan_and_draw(
    *,
    layer,
    level,
    colors,
    has,
    classified,
    legend_entries,
    legend_title,
    zoom_box,
    inset,
    title,
    subtitle,
    caption,
    lang,
    scalebar,
    labels,
    width,
    max_height,
    min_size,
    ax=None,
    colorbar=None,
):
    """Lay out and draw a single map; returns (fig, ax, coll, dots, artists).

    ``colorbar``: (classes, decimals) of an unclassed map; the colour bar is
    drawn above the legend, in the same placed box."""
    import matplotlib.pyplot as plt
    import shapely

    simplified = zoom_box is None
    lines = _maplayers.lines(simplified) if level == "kabkota" else _prov_lines(simplified)
    gaps = _maplayers.gaps(simplified)
    if level == "provinsi":  # the holes belong to a province there
        gaps = gaps.iloc[0:0]
    if zoom_box is None:
        extent = _extent_of(_maplayers.layer("provinsi", True), pad_frac=0.01)
    else:
        extent = zoom_box
    if inset == "auto":
        inset = (
            "Jawa"
            if (zoom_box is None and level == "kabkota")
            else ("locator" if zoom_box is not None else None)
        )
    if ax is not None:  # drawing into a panel: no layout
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_axis_off()
        scale = ax.get_window_extent().width / ax.figure.dpi / (extent[2] - extent[0])
        coll, dots, _, _ = _render_map(
            ax, layer, lines, gaps, colors, has, extent, scale, min_size, line_scale=0.8
        )
        return ax.figure, ax, coll, dots, {}

    plan = _Figure(extent, width, max_height, title, subtitle, caption)
    geoms = layer.geometry.to_numpy()
    vis = _view(layer, extent)
    land = list(geoms[vis]) + list(gaps.geometry)
    placer = _Placer(extent, plan.scale, land)
    # what the legend will show
    handles, texts = [h for h, _ in legend_entries], [t for _, t in legend_entries]
    dots_any = bool(min_size) and _small(geoms[vis & classified], plan.scale, min_size).any()
    gaps_in = gaps[gaps.intersects(shapely.box(*extent))]
    if len(gaps_in):
        handles.append(_gap_handle())
        texts.append(TEXT[lang]["gap"])
    if dots_any:
        handles.append(_dot_handle())
        texts.append(TEXT[lang]["points"])
    lw, lh = (
        _measure_legend(handles, texts, None if colorbar else legend_title) if handles else (0, 0)
    )
    cb_h = 0.0
    if colorbar is not None:
        cb_h = 0.3 + 0.16 * (legend_title.count("\n") + 1)
        lw, lh = max(lw, 2.6), lh + cb_h + 0.05
    # the inset of an island group (always in the band) or a locator
    group_mask = None
    inset_size = None
    if inset not in (None, "locator"):
        group_mask = _inset_group(layer, inset, level)
        gb = _group_extent(layer[group_mask])
        gw = min(0.6 * plan.map_w, plan.map_w - lw - 0.5)
        inset_size = (gw, gw * (gb[3] - gb[1]) / (gb[2] - gb[0]))
        plan.add_band("inset", *inset_size)
    places = {}
    legend_ncol = 1
    if handles or colorbar is not None:
        places["legend"] = placer.find(lw, lh, prefer=("ll", "lr", "ur", "ul"))
        if places["legend"] is None:
            if (
                group_mask is None and len(handles) > 3 and colorbar is None
            ):  # alone in the band: lay it flat
                legend_ncol = 3
                lw, lh = _measure_legend(handles, texts, legend_title, ncol=legend_ncol)
            plan.add_band("legend", lw, lh)
    if inset == "locator":
        loc_w = min(2.0, 0.3 * plan.map_w)
        loc_h = loc_w * 0.4
        places["locator"] = placer.find(loc_w, loc_h, prefer=("ul", "ur", "lr", "ll"))
        if places["locator"] is None:
            plan.add_band("locator", loc_w, loc_h)
    if scalebar:
        length_km = _scalebar_length(extent[2] - extent[0])
        sb_w = max(length_km * 1000 * plan.scale, 0.35) + 0.1
        places["scalebar"] = placer.find(sb_w, 0.28, prefer=("lr", "ll", "ur", "ul"))
        if places["scalebar"] is None:
            plan.add_band("scalebar", sb_w, 0.28)

    fig, ax = plan.make(plt)
    coll, dots, _, _ = _render_map(
        ax, layer, lines, gaps, colors, has, extent, plan.scale, min_size
    )
    artists = plan.texts()
    if handles or colorbar is not None:
        if places["legend"] is not None:
            fx0, fy0, _, _ = plan.data_to_fig(places["legend"])
            anchor = (fx0, fy0)
        else:
            x, y, w, h = plan.slots["legend"]
            anchor = (x / plan.width, y / plan.height)
        if handles:
            artists["legend"] = _make_legend(
                fig,
                handles,
                texts,
                None if colorbar else legend_title,
                loc="lower left",
                bbox_to_anchor=anchor,
                bbox_transform=fig.transFigure,
                ncol=legend_ncol,
            )
        if colorbar is not None:
            classes, decimals = colorbar
            y0 = anchor[1] * plan.height + lh - cb_h + 0.12
            rect = [
                anchor[0] + 0.05 / plan.width,
                y0 / plan.height,
                2.4 / plan.width,
                0.12 / plan.height,
            ]
            artists["colorbar"] = _colorbar(fig, rect, classes, legend_title, lang, decimals)
    if scalebar:
        if places["scalebar"] is not None:
            artists["scalebar"] = _draw_scalebar(ax, places["scalebar"], length_km, lang)
        else:
            sax = fig.add_axes(plan.rect("scalebar"))
            sax.set_axis_off()
            x, y, w, h = plan.slots["scalebar"]
            sax.set_xlim(0, w / plan.scale)
            sax.set_ylim(0, h / plan.scale)
            artists["scalebar"] = _draw_scalebar(
                sax, (0, 0, w / plan.scale, h / plan.scale), length_km, lang
            )
    if inset == "locator":
        rect = (
            plan.rect("locator")
            if places["locator"] is None
            else _fig_rect(plan, places["locator"])
        )
        artists["locator"] = _draw_locator(fig, rect, extent, lang)
    if group_mask is not None:
        iax = fig.add_axes(plan.rect("inset"))
        iax.set_xlim(gb[0], gb[2])
        iax.set_ylim(gb[1], gb[3])
        iax.set_aspect("equal", adjustable="datalim")
        iscale = inset_size[0] / (gb[2] - gb[0])
        _render_map(
            iax,
            layer,
            _maplayers.lines(True),
            gaps,
            colors,
            has,
            gb,
            iscale,
            min_size,
            line_scale=1.0,
        )
        iax.set_xticks([])
        iax.set_yticks([])
        for s in iax.spines.values():
            s.set_edgecolor("#999999")
            s.set_linewidth(0.5)
        factor = iscale / plan.scale
        iax.set_title(
            f"{inset} ({TEXT[lang]['enlarged']} "
            f"\u00d7{format_number(factor, lang=lang, decimals=1)})",
            fontsize=7.5,
            loc="left",
            pad=2,
        )
        artists["inset"] = iax
    if labels:
        artists["labels"] = _place_labels(ax, layer, labels, placer, plan)
    return fig, ax, coll, dots, artists


def _group_extent(sel):
    """Extent of an island group's main land (parts of 50 km2 or more); small
    outlying islands stay on the main map (as dots where needed)."""
    import geopandas as gpd
    import shapely

    parts = shapely.get_parts(sel.geometry.to_numpy())
    big = parts[shapely.area(parts) >= 50e6]
    return _extent_of(gpd.GeoSeries(big if len(big) else parts), pad_frac=0.02)


def _fig_rect(plan, box):
    fx0, fy0, fx1, fy1 = plan.data_to_fig(box)
    return [fx0, fy0, fx1 - fx0, fy1 - fy0]


def _prov_lines(simplified):
    """Line layer for province maps: province borders and coast only."""
    return _maplayers.province_lines(simplified)


def _place_labels(ax, layer, labels, placer, plan):
    """Region names beside their region with a leader line, never over the
    labelled regions, other labels or the legend."""
    import shapely

    from cityresearch import regions

    fig = ax.figure
    r = fig.canvas.get_renderer()
    rows = [regions.lookup(str(lab)) for lab in labels]
    geoms = {
        row["bps_code"]: layer.loc[layer["bps_code"] == row["bps_code"], "geometry"].iloc[0]
        for row in rows
    }
    labelled = shapely.union_all(list(geoms.values()))
    out = []
    for row in rows:
        g = geoms[row["bps_code"]]
        pt = g.representative_point()
        txt = ax.text(
            0,
            0,
            row["name"],
            fontsize=7,
            ha="center",
            va="center",
            zorder=7,
            bbox=dict(_LABEL_BOX),
        )
        bb = txt.get_window_extent(r)
        w, h = (bb.width / fig.dpi + 0.1) / plan.scale, (bb.height / fig.dpi + 0.06) / plan.scale
        gx0, gy0, gx1, gy1 = g.bounds
        best = fallback = None
        for dist in (0.15, 0.35, 0.6, 0.9):
            d = dist / plan.scale
            for ang in np.deg2rad([90, 270, 45, 135, 315, 225, 0, 180]):
                cx = pt.x + np.cos(ang) * ((gx1 - gx0) / 2 + d + w / 2)
                cy = pt.y + np.sin(ang) * ((gy1 - gy0) / 2 + d + h / 2)
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                e = placer.extent
                if box[0] < e[0] or box[2] > e[2] or box[1] < e[1] or box[3] > e[3]:
                    continue
                b = shapely.box(*box)
                if b.intersects(labelled) or any(
                    b.intersects(shapely.box(*t)) for t in placer.taken
                ):
                    continue
                if placer.free(box):  # over the sea: take it
                    best = (cx, cy, box)
                    break
                if fallback is None:
                    fallback = (cx, cy, box)
            if best:
                break
        if best is None:  # the free (sea) spot nearest to the region, within an inch
            e = placer.extent
            xs = np.linspace(e[0] + w / 2, e[2] - w / 2, 30)
            ys = np.linspace(e[1] + h / 2, e[3] - h / 2, 30)
            near = 1.0 / plan.scale
            spots = sorted(
                ((x, y) for x in xs for y in ys),
                key=lambda p: (p[0] - pt.x) ** 2 + (p[1] - pt.y) ** 2,
            )
            for cx, cy in spots:
                if fallback is not None and np.hypot(cx - pt.x, cy - pt.y) > near + w / 2:
                    break
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if placer.free(box) and not shapely.box(*box).intersects(labelled):
                    best = (cx, cy, box)
                    break
        if best is None:
            best = fallback
        if best is None:  # fall back: above the region, clipped to the map
            best = (pt.x, min(gy1 + h, placer.extent[3] - h / 2), None)
        cx, cy, box = best
        if box is not None:
            placer.taken.append(box)
        txt.remove()
        a = ax.annotate(
            row["name"],
            (pt.x, pt.y),
            xytext=(cx, cy),
            textcoords="data",
            fontsize=7,
            ha="center",
            va="center",
            zorder=7,
            bbox=dict(_LABEL_BOX),
            arrowprops={
                "arrowstyle": "-",
                "color": "#333333",
                "lw": 0.6,
                "shrinkA": 0,
                "shrinkB": 1,
            },
        )
        out.append(a)
    return out


# --------------------------------------------------------------------------- public maps


def _prepare(
    level: str, zoom: Any, classify: str, aspect: float | None = None
) -> tuple[Any, tuple[float, float, float, float] | None, np.ndarray, str | None, list[str]]:
    """Layer, zoom extent, zoom mask, zoom name and the regions with land
    outside the extent (small outlying islands, see :func:`_zoom_extent`)."""
    _check_choice("classify", classify, ["view", "national"])
    if zoom is None:
        layer = _maplayers.layer(level, True)
        return layer, None, np.ones(len(layer), dtype=bool), None, []
    layer = _maplayers.layer(level, False)
    if level == "provinsi":
        from cityresearch import regions

        prov = (
            regions._province_filter(
                layer.assign(
                    prov_bps_code=layer["prov_bps_2017_code"], province_34=layer["province"]
                ),
                zoom,
            )
            if isinstance(zoom, str)
            else None
        )
        if prov is None:
            raise ValidationError("province maps zoom to one province given by name or code")
        mask = prov.to_numpy()
        name = str(zoom)
    else:
        mask, name = _zoom_mask(layer, zoom)
    box, outside = _zoom_extent(layer[mask], aspect)
    return layer, box, mask, name, outside


#: Parts (islands) smaller than this (km2) may lie outside a zoomed map's frame.
OUTLYING_KM2 = 50.0


def _zoom_extent(
    sel: Any, aspect: float | None
) -> tuple[tuple[float, float, float, float], list[str]]:
    """The frame of a zoomed map and the names of regions with land outside it.

    The frame holds every part of 50 km2 or more of the selected regions, and
    all parts of a region that has no such part (a region made of small
    islands, such as Kepulauan Seribu); small outlying islands of larger
    regions (Masalembu of Sumenep, 150 km north of Madura) would otherwise
    stretch the frame over empty sea. It is at least 40 km across (a small
    region is drawn as a shape) and, given ``aspect`` (width / height of the
    map area), widened to that aspect so that a tall region fills the figure.
    """
    import geopandas as gpd
    import shapely

    geoms = sel.geometry.to_numpy()
    parts, idx = shapely.get_parts(geoms, return_index=True)
    big = shapely.area(parts) >= OUTLYING_KM2 * 1e6
    has_big = np.bincount(idx[big], minlength=len(geoms)) > 0
    keep = big | ~has_big[idx]
    x0, y0, x1, y1 = _extent_of(gpd.GeoSeries(parts[keep]), pad_frac=0.04, min_size_m=40_000)
    if aspect is not None and (x1 - x0) < aspect * (y1 - y0):
        cx, half = (x0 + x1) / 2, aspect * (y1 - y0) / 2
        x0, x1 = cx - half, cx + half
    frame = shapely.box(x0, y0, x1, y1)
    out = ~shapely.within(parts[~keep], frame)
    outside = sorted(set(sel["name"].to_numpy()[idx[~keep][out]]))
    return (x0, y0, x1, y1), outside


@_unit_vocabulary
def choropleth(
    data: pd.DataFrame,
    column: str,
    *,
    level: str = "kabkota",
    unit: str | None = None,
    scheme: str = "auto",
    k: int = 5,
    breaks: list[float] | None = None,
    cmap: str = "YlGnBu",
    midpoint: float | None = None,
    value_unit: str = "",
    price_basis: str | None = None,
    decimals: int = 0,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    province_outlines: bool = True,
    zoom=None,
    classify: str = "view",
    labels: list[str] | None = None,
    inset="auto",
    scalebar: bool = True,
    min_size: float = 0.05,
    figsize: tuple[float, float] = (11, 6),
    ax=None,
) -> Map:
    """Draw a choropleth of a numeric column.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per region with a code column (``bps_code`` or
        ``kemendagri_code`` for kab/kota, ``prov_kemendagri_code`` for
        provinces) and the value column.
    column : str
        The numeric column to map.
    level : {"kabkota", "provinsi"}
        Kab/kota (514 regions) or the 38 provinces of 2025.
    unit : str, optional
        The code column (the region identifier): ``"bps_code"`` or
        ``"kemendagri_code"`` for kab/kota, ``"prov_kemendagri_code"`` for
        provinces. Detected when omitted. (Before 0.2: ``on=``.)
    scheme : {"auto", "quantiles", "fisher_jenks", "equal_interval", \
"natural_breaks", "user_defined", "unclassed"}
        mapclassify classification, stated in the legend. ``"auto"``:
        quantiles when the values are skewed (skewness > 1), Fisher-Jenks
        otherwise. ``"unclassed"`` draws a continuous colour bar.
    k : int
        Number of classes (at least 2).
    breaks : list of float, optional
        Upper bounds of the classes, increasing, the last at or above the
        largest value; implies ``scheme="user_defined"``.
    cmap : str
        A matplotlib colour map; the default is colour-blind safe. Diverging
        maps (``"RdBu"``, ``"PuOr"`` ...) need ``midpoint``.
    midpoint : float, optional
        The value drawn neutral by a diverging colour map (0 for growth); it
        becomes a class break. Each side runs from a light tint next to it to
        the full colour at its most extreme class.
    value_unit : str
        Unit of the values, the head of the legend title (e.g. "IDR thousand
        per person", "% per year"). (Before 0.2: ``unit=``.)
    price_basis : str, optional
        Required when ``value_unit`` is money ("constant 2010 prices").
    decimals : int
        Decimals of the class bounds.
    lang : {"en", "id"}
        Language of legend, "no data", number format and caption.
    title : str, optional
        Title above the map.
    subtitle : str, optional
        Second line under the title.
    source : str, optional
        The data's citation and licence for the caption (the boundaries'
        citation and the projection are always added).
    province_outlines : bool
        Kept for compatibility; province borders are always drawn.
    zoom : str or list of str, optional
        A province (name or code), a region, or a list of regions; drawn at
        full detail. Regions outside it are drawn in light grey as context.
        Islands under 50 km2 of regions that have larger land may fall
        outside the frame; the caption names those regions.
    classify : {"view", "national"}
        With ``zoom``: classify only the regions of the zoom area (default)
        or all regions (national breaks).
    labels : list of str, optional
        Regions (codes or unambiguous names) to label, beside the region with
        a leader line.
    inset : {"auto", "locator", None} or str
        ``"auto"``: an enlarged Java for national kab/kota maps, a locator of
        Indonesia for zoomed maps. An island group name ("Jawa", "Sulawesi")
        enlarges that group.
    scalebar : bool
        Draw a scale bar (km, exact at the projection's centre).
    min_size : float
        Regions whose equivalent diameter on the figure is below this many
        inches are also drawn as a dot (0 turns dots off).
    figsize : tuple of float
        Width of the figure and largest height of the map (inches); the
        height follows the map's shape, and a zoomed frame is widened to this
        shape.
    ax : matplotlib.axes.Axes, optional
        Draw into an existing Axes (no legend, caption or layout).

    Returns
    -------
    Map
        The figure, the per-region table ``drawn`` (value, class, colour),
        legend entries, caption and layout elements.

    Raises
    ------
    ValidationError
        Unknown column, level, scheme, cmap or option; non-numeric or infinite
        values; duplicate codes; codes that match nothing; unsorted breaks;
        a diverging cmap without midpoint; money without price basis; a
        ``unit`` that is not a code column, or that looks like a misspelt
        column (``'bps_cod'``, ``'kode'``: "did you mean 'bps_code'?"); ``on=``
        together with ``unit=`` and ``value_unit=``.
    RegionNotFoundError, AmbiguousRegionError
        A ``zoom`` or ``labels`` region that cannot be identified.

    Warns
    -----
    UserWarning
        Codes that match no region (listed in ``Map.unmatched``); a colour map
        that is not colour-blind safe.
    CityResearchDeprecationWarning
        ``on=`` or ``unit=`` with the unit of the values (the 0.1 spellings).

    References
    ----------
    Fisher, W. D. (1958). On grouping for maximum homogeneity. *Journal of the
    American Statistical Association*, 53(284), 789-798.

    Jenks, G. F. (1967). The data model concept in statistical mapping.
    *International Yearbook of Cartography*, 7, 186-190.

    Harrower, M., & Brewer, C. A. (2003). ColorBrewer.org: an online tool for
    selecting colour schemes for maps. *The Cartographic Journal*, 40(1), 27-37.

    Snyder, J. P. (1987). *Map Projections: A Working Manual*. U.S. Geological
    Survey Professional Paper 1395 (Lambert azimuthal equal-area, pp. 182-190).

    Examples
    --------
    A map needs the boundary files (``cityresearch.data``):

    >>> import pandas as pd
    >>> from cityresearch import maps
    >>> d = pd.DataFrame({"bps_code": ["3505", "3572", "3573", "3578"],
    ...                   "grdp_growth_pct": [-1.5, 4.0, 5.2, 6.1]})
    >>> m = maps.choropleth(d, "grdp_growth_pct", zoom="Jawa Timur",  # doctest: +SKIP
    ...                     breaks=[0, 5, 7], cmap="RdBu", midpoint=0,
    ...                     value_unit="% per year")
    >>> m.legend_labels  # doctest: +SKIP
    ['−2 – 0', '0 – 5', '5 – 7', 'No data', 'Outside the area classified']
    >>> m.save("growth.pdf")  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt  # noqa: F401
    from matplotlib.patches import Patch

    _check_lang(lang)
    _check_choice("level", level, ["kabkota", "provinsi"])
    _check_choice("scheme", scheme, list(SCHEMES))
    if inset not in ("auto", "locator", None) and not isinstance(inset, str):
        raise ValidationError(
            f"inset must be 'auto', 'locator', None or an island group, not {inset!r}"
        )
    aspect = None if ax is not None else (figsize[0] - 0.2) / figsize[1]
    layer, box, zmask, _, outside = _prepare(level, zoom, classify, aspect)
    on, values, unmatched = _join(data, column, level, unit, layer)
    v = _numeric(values, column, on, layer)
    has = ~np.isnan(v)
    if not has.any():
        raise ValidationError(f"column {column!r} has no values for any {level} region")
    classified = zmask if (zoom is not None and classify == "view") else np.ones(len(v), bool)
    use = has & classified
    if not use.any():
        raise ValidationError(f"column {column!r} has no values in the zoom area {zoom!r}")
    classes = _classify(v[use], scheme, k, breaks, cmap, midpoint, lang, decimals)
    scope = None if zoom is None else ("shown" if classify == "view" else "national")
    legend_title = _legend_title(value_unit, price_basis, classes, lang, midpoint, decimals, scope)
    colors, class_col, entries = _colour_values(v, has, classified, classes)
    t = TEXT[lang]
    legend_entries = [(Patch(facecolor=c, edgecolor="none"), lab) for c, lab in entries]
    if (~has & classified).any():
        legend_entries.append((_no_data_handle(), t["no_data"]))
    if zoom is not None and classify == "view" and (~classified).any():
        legend_entries.append(
            (Patch(facecolor=CONTEXT_COLOR, edgecolor="#cccccc", linewidth=0.3), t["context"])
        )
    has_draw = has | ~classified
    if ax is not None:
        fig, ax_, coll, dots, artists = _plan_and_draw(
            layer=layer,
            level=level,
            colors=colors,
            has=has_draw,
            classified=classified,
            legend_entries=[],
            legend_title="",
            zoom_box=box,
            inset=None,
            title=None,
            subtitle=None,
            caption="",
            lang=lang,
            scalebar=False,
            labels=None,
            width=figsize[0],
            max_height=figsize[1],
            min_size=min_size,
            ax=ax,
        )
        caption = _caption(source, lang)
    else:
        caption = _caption(source, lang, outside)
        fig, ax_, coll, dots, artists = _plan_and_draw(
            layer=layer,
            level=level,
            colors=colors,
            has=has_draw,
            classified=classified,
            legend_entries=legend_entries,
            legend_title=legend_title,
            zoom_box=box,
            inset=inset,
            title=title,
            subtitle=subtitle,
            caption=caption,
            lang=lang,
            scalebar=scalebar,
            labels=labels,
            width=figsize[0],
            max_height=figsize[1],
            min_size=min_size,
            colorbar=None if classes.bins is not None else (classes, decimals),
        )
    drawn = pd.DataFrame(
        {
            on: layer[on].astype(str).to_numpy(),
            "value": v,
            "class": class_col,
            "color": colors,
            "has_data": has,
            "classified": classified,
            "dot": dots,
        }
    )
    return Map(
        fig,
        ax_,
        drawn,
        unmatched,
        [lab for _, lab in legend_entries] if classes.bins is not None else [],
        caption,
        coll,
        legend_title,
        [],
        artists,
    )


def _colour_values(v, has, classified, classes):
    from matplotlib.colors import to_hex

    colors = np.full(len(v), NO_DATA_COLOR, dtype=object)
    colors[~classified] = CONTEXT_COLOR
    class_col = np.full(len(v), None, dtype=object)
    use = has & classified
    if classes.bins is None:
        colors[use] = [to_hex(classes.cmap(classes.norm(x))) for x in v[use]]
        return list(colors), class_col, []
    idx = _class_index(classes, v[use])
    colors[use] = [classes.palette[i] for i in idx]
    class_col[use] = [classes.labels[i] for i in idx]
    return list(colors), class_col, list(zip(classes.palette, classes.labels, strict=True))


def _colorbar(fig, rect, classes, title, lang, decimals):
    import matplotlib.pyplot as plt

    sm = plt.cm.ScalarMappable(norm=classes.norm, cmap=classes.cmap)
    cax = fig.add_axes(rect)
    cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
    cb.ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: _num(x, lang, decimals)))
    cb.ax.tick_params(labelsize=6.5, length=2, pad=1)
    cb.outline.set_linewidth(0.4)
    cb.ax.set_title(title, fontsize=7.5, loc="left", pad=3)
    return cax


@renamed(on="unit")
def categorical_map(
    data: pd.DataFrame,
    column: str,
    *,
    level: str = "kabkota",
    unit: str | None = None,
    colors: dict | None = None,
    order: list | None = None,
    class_labels: dict | None = None,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    legend_title: str | None = None,
    province_outlines: bool = True,
    zoom=None,
    labels: list[str] | None = None,
    inset="auto",
    scalebar: bool = True,
    min_size: float = 0.05,
    counts: bool = True,
    figsize: tuple[float, float] = (11, 6),
    ax=None,
) -> Map:
    """Draw classes (cohort year, secondary-city class, LISA cluster ...).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per region with a code column and the class column.
    column : str
        The class column; missing values are drawn as "no data".
    level : {"kabkota", "provinsi"}
        Kab/kota (514 regions) or the 38 provinces of 2025.
    unit : str, optional
        The code column, as in :func:`choropleth` (before 0.2: ``on=``).
    colors : dict, optional
        Class -> colour. Default: LISA colours for ``"HH"``, ``"LL"``,
        ``"HL"``, ``"LH"``, ``"ns"``; otherwise the Okabe-Ito palette
        (colour-blind safe, 8 colours), with light grey for the background
        classes ``"kabupaten"`` and ``"not in programme"``.
    order : list, optional
        Legend order; classes in ``order`` with no region are left out of the
        legend and listed in ``Map.empty_classes``. A zoomed map lists and
        counts the classes of the regions in view.
    class_labels : dict, optional
        Class -> label (a string, or ``{"en": ..., "id": ...}``). Known
        identifiers of cityresearch (``metro_core``, ``other_kota`` ...) get
        readable labels in both languages; other identifiers are refused.
    lang : {"en", "id"}
        Language of legend, "no data", counts and caption.
    title : str, optional
        Title above the map.
    subtitle : str, optional
        Second line under the title.
    source : str, optional
        The data's citation and licence for the caption.
    legend_title : str, optional
        Title of the legend (what the classes are).
    province_outlines : bool
        Kept for compatibility; province borders are always drawn.
    zoom : str or list of str, optional
        As in :func:`choropleth`.
    labels : list of str, optional
        Regions to label, as in :func:`choropleth`.
    inset : {"auto", "locator", None} or str
        As in :func:`choropleth`.
    scalebar : bool
        Draw a scale bar.
    min_size : float
        Regions smaller than this (inches, equivalent diameter) are also drawn
        as a dot.
    counts : bool
        Add the number of regions to each legend entry.
    figsize : tuple of float
        Width of the figure and largest height of the map (inches).
    ax : matplotlib.axes.Axes, optional
        Draw into an existing Axes (no legend, caption or layout).

    Returns
    -------
    Map
        The figure, the per-region table ``drawn`` (class label, colour),
        legend entries (with counts), empty classes and caption.

    Raises
    ------
    ValidationError
        More classes than the default palette can show without ``colors``,
        a class without colour, a class that is a bare identifier, a class
        missing from ``order``, plus the errors of :func:`choropleth`.

    Warns
    -----
    CityResearchDeprecationWarning
        ``on=`` (the 0.1 spelling of ``unit=``).

    References
    ----------
    Okabe, M., & Ito, K. (2008). *Color Universal Design (CUD): How to make
    figures and presentations that are friendly to colorblind people*.
    https://jfly.uni-koeln.de/color/

    Anselin, L. (1995). Local indicators of spatial association - LISA.
    *Geographical Analysis*, 27(2), 93-115.

    Examples
    --------
    >>> import pandas as pd
    >>> from cityresearch import maps
    >>> d = pd.DataFrame({"bps_code": ["3505", "3572", "3573", "3578"],
    ...                   "cohort": ["2018", "2018", "2017", "2017"]})
    >>> m = maps.categorical_map(d, "cohort", zoom="Jawa Timur")  # doctest: +SKIP
    >>> m.legend_labels[:2]  # doctest: +SKIP
    ['2017 (2)', '2018 (2)']
    """
    from matplotlib.patches import Patch

    _check_lang(lang)
    _check_choice("level", level, ["kabkota", "provinsi"])
    aspect = None if ax is not None else (figsize[0] - 0.2) / figsize[1]
    layer, box, zmask, _, outside = _prepare(level, zoom, "view", aspect)
    on, values, unmatched = _join(data, column, level, unit, layer)
    has = values.notna().to_numpy()
    # a zoomed map: regions outside the zoom area without a class are context, not "no data"
    context = ~has & ~zmask if zoom is not None else np.zeros(len(has), dtype=bool)
    present = list(pd.unique(values[has]))
    lisa = bool(present) and set(present) <= set(LISA_COLORS)
    if order is None:
        known = [c for c in dict.fromkeys([*CLASS_LABELS, *BACKGROUND_CLASSES]) if c in present]
        order = (
            [c for c in ["HH", "LL", "LH", "HL", "ns"] if c in present]
            if lisa
            else known + sorted((c for c in present if c not in known), key=str)
        )
    else:
        extra = [c for c in present if c not in order]
        if extra:
            raise ValidationError(
                f"classes {extra[:5]} are in the data but not in order=; add them"
            )
    empty = [c for c in order if c not in present]
    order = [c for c in order if c in present]
    if colors is None:
        if lisa:
            colors = dict(LISA_COLORS)
        else:
            if len([c for c in order if c not in BACKGROUND_CLASSES]) > len(OKABE_ITO):
                raise ValidationError(
                    f"{len(order)} classes in {column!r} cannot be told apart by colour (the "
                    f"colour-blind-safe palette has {len(OKABE_ITO)}); pass colors= for each "
                    "class, group the classes, or use choropleth for a numeric column"
                )
            fore = [c for c in order if c not in BACKGROUND_CLASSES]
            colors = {c: OKABE_ITO[i] for i, c in enumerate(fore)}
            colors.update({c: BACKGROUND_COLOR for c in order if c in BACKGROUND_CLASSES})
    missing = [c for c in order if c not in colors]
    if missing:
        raise ValidationError(f"no colour for classes {missing}; add them to colors=")
    names = {
        c: (LISA_LABELS[lang][c] if lisa else class_label(c, lang, class_labels)) for c in order
    }
    face = [
        colors[x] if h else (CLASS_CONTEXT_COLOR if c else NO_DATA_COLOR)
        for x, h, c in zip(values, has, context, strict=True)
    ]
    # a zoomed map lists (and counts) the classes of the regions in view
    shown = _view(layer, box) if box is not None else np.ones(len(values), dtype=bool)
    n = pd.Series(values[has & shown]).value_counts()
    legend_entries = [
        (
            Patch(facecolor=colors[c], edgecolor="#999999", linewidth=0.3),
            f"{names[c]} ({format_number(n[c], lang=lang)})" if counts else names[c],
        )
        for c in order
        if n.get(c, 0) > 0
    ]
    if (~has & ~context & shown).any():
        legend_entries.append(
            (
                _no_data_handle(),
                TEXT[lang]["no_data"]
                + (
                    f" ({format_number(int((~has & ~context & shown).sum()), lang=lang)})"
                    if counts
                    else ""
                ),
            )
        )
    if (context & shown).any():
        legend_entries.append(
            (
                Patch(facecolor=CLASS_CONTEXT_COLOR, edgecolor=CLASS_CONTEXT_EDGE, linewidth=0.6),
                TEXT[lang]["context"],
            )
        )
    caption = _caption(source, lang, outside)
    fig, ax_, coll, dots, artists = _plan_and_draw(
        layer=layer,
        level=level,
        colors=face,
        has=has | context,
        classified=~context,
        legend_entries=legend_entries if ax is None else [],
        legend_title=legend_title,
        zoom_box=box,
        inset=inset if ax is None else None,
        title=title,
        subtitle=subtitle,
        caption=caption if ax is None else "",
        lang=lang,
        scalebar=scalebar and ax is None,
        labels=labels,
        width=figsize[0],
        max_height=figsize[1],
        min_size=min_size,
        ax=ax,
    )
    if (context & shown).any():  # outline the white context regions (over the white kab/kota lines)
        from matplotlib.collections import PathCollection

        outline = PathCollection(
            _paths(layer.geometry.to_numpy()[context & shown]),
            facecolors="none",
            edgecolors=CLASS_CONTEXT_EDGE,
            linewidths=0.3,
            zorder=3.1,
        )
        outline.set_transform(ax_.transData)
        ax_.add_collection(outline, autolim=False)
    drawn = pd.DataFrame(
        {
            on: layer[on].astype(str).to_numpy(),
            "value": values.to_numpy(),
            "class": [names.get(x, x) if h else None for x, h in zip(values, has, strict=True)],
            "color": face,
            "has_data": has,
            "classified": True,
            "dot": dots,
        }
    )
    return Map(
        fig,
        ax_,
        drawn,
        unmatched,
        [lab for _, lab in legend_entries],
        caption,
        coll,
        legend_title or "",
        empty,
        artists,
    )


def region_map(
    region: str,
    *,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    figsize: tuple[float, float] = (8, 6),
) -> Map:
    """One region highlighted among the regions of its province, with a locator.

    A region that would be small on its province's scale (most kota) is drawn
    at a scale where it is a visible shape: the map shows its neighbourhood
    (at least 40 km across) instead of the whole province.

    The frame is widened to the figure's shape, so a region stretched
    north-south (Kepulauan Seribu) is shown with the coast around it rather
    than as a thin strip.

    Parameters
    ----------
    region : str
        BPS code, Kemendagri code or unambiguous name.
    lang : {"en", "id"}
        Language of the legend and caption.
    title : str, optional
        Default: the region's name.
    subtitle : str, optional
        Default: its province (2025 provinces).
    figsize : tuple of float
        Width and largest map height (inches).

    Returns
    -------
    Map
        ``drawn["class"]`` is "this region", "other regions of the province"
        or "other provinces" (in ``lang``).

    Raises
    ------
    RegionNotFoundError, AmbiguousRegionError
        From :func:`cityresearch.regions.lookup`.

    Examples
    --------
    >>> from cityresearch import maps
    >>> m = maps.region_map("Kota Blitar", lang="id")  # doctest: +SKIP
    >>> m.drawn.set_index("bps_code").loc["3572", "class"]  # doctest: +SKIP
    'daerah ini'
    """
    from cityresearch import regions

    _check_lang(lang)
    row = regions.lookup(region)
    table = regions.region_table()
    label = {
        "en": ("this region", "other regions of the province", "other provinces"),
        "id": ("daerah ini", "daerah lain di provinsi", "provinsi lain"),
    }[lang]
    frame = table[["bps_code"]].copy()
    same = table["prov_kemendagri_code"] == row["prov_kemendagri_code"]
    frame["where"] = np.where(
        frame["bps_code"] == row["bps_code"], label[0], np.where(same, label[1], label[2])
    )
    layer = _maplayers.layer("kabkota", False)
    geom = layer.loc[layer["bps_code"] == row["bps_code"], "geometry"].iloc[0]
    prov = layer[layer["prov_kemendagri_code"] == row["prov_kemendagri_code"]]
    px0, py0, px1, py1 = prov.total_bounds
    gx0, gy0, gx1, gy1 = geom.bounds
    small = max(gx1 - gx0, gy1 - gy0) < 0.12 * max(px1 - px0, py1 - py0)
    zoom = row["bps_code"] if small else row["province"]
    m = categorical_map(
        frame,
        "where",
        colors={label[0]: "#d7301f", label[1]: "#fdd49e", label[2]: "#e6e6e6"},
        order=list(label),
        zoom=zoom if not small else [row["bps_code"]],
        labels=[row["bps_code"]],
        inset="locator",
        lang=lang,
        title=title or row["name"],
        subtitle=subtitle or row["province"],
        figsize=figsize,
        counts=False,
        min_size=0,
    )
    # an outline in the highlight colour keeps small islands of the region visible
    from matplotlib.collections import PathCollection

    outline = PathCollection(
        _paths([geom]), facecolors="none", edgecolors="#d7301f", linewidths=1.2, zorder=3.6
    )
    outline.set_transform(m.ax.transData)
    m.ax.add_collection(outline, autolim=False)
    return m


@renamed(by="time")
@_unit_vocabulary
def small_multiples(
    data: pd.DataFrame,
    column: str,
    *,
    time: str = "year",
    level: str = "kabkota",
    unit: str | None = None,
    scheme: str = "auto",
    k: int = 5,
    breaks: list[float] | None = None,
    cmap: str = "YlGnBu",
    midpoint: float | None = None,
    value_unit: str = "",
    price_basis: str | None = None,
    decimals: int = 0,
    lang: str = "en",
    title: str | None = None,
    source: str | None = None,
    ncols: int = 2,
    min_size: float = 0.04,
    figsize: tuple[float, float] | None = None,
) -> list[Map]:
    """One map per value of ``time`` (year, or a group) with one shared classification.

    The classes are computed on all panels' values together, so one colour
    means the same range in every panel; one legend below the panels. The
    panels fill the figure in ``ncols`` columns (each at least a third of
    the width with the default two).

    Parameters
    ----------
    data : pandas.DataFrame
        Long frame: code column, ``time`` column and the value column.
    column : str
        The numeric column to map.
    time : str
        The panel column, one map per value in order of appearance (before
        0.2: ``by=``).
    level : {"kabkota", "provinsi"}
        Kab/kota (514 regions) or the 38 provinces of 2025.
    unit : str, optional
        The code column, as in :func:`choropleth` (before 0.2: ``on=``).
    scheme, k, breaks, cmap, midpoint, value_unit, price_basis, decimals, lang, title, source
        As in :func:`choropleth` (``value_unit`` was ``unit=`` before 0.2);
        ``"unclassed"`` is refused.
    ncols : int
        Columns of panels (1-3).
    min_size : float
        Regions smaller than this (inches, equivalent diameter) are also drawn
        as a dot.
    figsize : tuple of float, optional
        Width (default 11 inches); the height follows from the panels.

    Returns
    -------
    list of Map
        One per panel; all share ``fig``, the legend and the caption.

    Raises
    ------
    ValidationError
        Unknown ``time`` or value column, non-numeric or infinite values,
        missing ``time`` values, ``"unclassed"``, an ncols outside 1-3, plus
        the errors of :func:`choropleth`.

    Warns
    -----
    CityResearchDeprecationWarning
        ``by=``, ``on=`` or ``unit=`` with the unit of the values (0.1 spellings).

    Examples
    --------
    >>> import pandas as pd
    >>> from cityresearch import maps
    >>> d = pd.DataFrame({"bps_code": ["3505", "3572"] * 2, "year": [2000, 2000, 2019, 2019],
    ...                   "grdp_pc_idr_k": [5000.0, 9000.0, 11000.0, 21000.0]})
    >>> ms = maps.small_multiples(d, "grdp_pc_idr_k", time="year", k=2,  # doctest: +SKIP
    ...                           value_unit="IDR thousand per person",
    ...                           price_basis="constant 2010 prices")
    >>> [m.ax.get_title(loc="left") for m in ms]  # doctest: +SKIP
    ['2000', '2019']
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    _check_lang(lang)
    from cityresearch import _validate

    _validate.as_frame(data, name="data", func="small_multiples")
    if time not in data.columns:
        raise ValidationError(f"time={time!r} is not a column of the data")
    if column not in data.columns:
        raise ValidationError(f"column {column!r} is not in the data")
    if not pd.api.types.is_numeric_dtype(data[column]):
        raise ValidationError(f"column {column!r} is not numeric")
    if ncols not in (1, 2, 3):
        raise ValidationError(
            f"ncols must be 1, 2 or 3 (panels of at least a third of the width), not {ncols!r}"
        )
    if scheme == "unclassed":
        raise ValidationError("small_multiples needs a classification scheme, not 'unclassed'")
    groups = list(pd.unique(data[time].dropna()))
    if data[time].isna().any():
        raise ValidationError(f"column {time!r} is missing in {int(data[time].isna().sum())} rows")
    pooled = data[column].astype(float).to_numpy()
    if np.isinf(pooled).any():
        raise ValidationError(f"column {column!r} has infinite values")
    classes = _classify(pooled, scheme, k, breaks, cmap, midpoint, lang, decimals)
    legend_title = _legend_title(value_unit, price_basis, classes, lang, midpoint, decimals, None)
    layer = _maplayers.layer(level, True)
    extent = _extent_of(_maplayers.layer("provinsi", True), pad_frac=0.01)
    width = (figsize or (11, 0))[0]
    nrows = int(np.ceil(len(groups) / ncols))
    gap = 0.1
    panel_w = (width - 0.2 - gap * (ncols - 1)) / ncols
    panel_h = panel_w * (extent[3] - extent[1]) / (extent[2] - extent[0])
    head = 0.4 if title else 0.1
    t_h = 0.22  # panel title
    handles = [Patch(facecolor=c, edgecolor="none") for c in classes.palette]
    texts = list(classes.labels)
    caption = _caption(source, lang)
    cap = _wrap(caption, width - 0.2, 6.5)
    cap_h = 0.12 * (cap.count("\n") + 1) + 0.12
    ncol_leg = len(handles) + 3
    leg_h = 0.75
    H = head + nrows * (panel_h + t_h) + leg_h + cap_h
    fig = plt.figure(figsize=(width, H))
    maps_out = []
    for i, g in enumerate(groups):
        r, c = divmod(i, ncols)
        x = 0.1 + c * (panel_w + gap)
        y = H - head - (r + 1) * (panel_h + t_h)
        a = fig.add_axes((x / width, y / H, panel_w / width, panel_h / H))
        sub = data[data[time] == g]
        on_, values, unmatched = _join(sub, column, level, unit, layer)
        v = _numeric(values, column, on_, layer)
        has = ~np.isnan(v)
        colors, class_col, _ = _colour_values(v, has, np.ones(len(v), bool), classes)
        _, _, coll, dots, _ = _plan_and_draw(
            layer=layer,
            level=level,
            colors=colors,
            has=has,
            classified=np.ones(len(v), bool),
            legend_entries=[],
            legend_title="",
            zoom_box=None,
            inset=None,
            title=None,
            subtitle=None,
            caption="",
            lang=lang,
            scalebar=False,
            labels=None,
            width=width,
            max_height=10,
            min_size=min_size,
            ax=a,
        )
        a.set_title(str(g), loc="left", fontsize=10, pad=2)
        drawn = pd.DataFrame(
            {
                on_: layer[on_].astype(str).to_numpy(),
                "value": v,
                "class": class_col,
                "color": colors,
                "has_data": has,
                "classified": True,
                "dot": dots,
            }
        )
        maps_out.append(Map(fig, a, drawn, unmatched, [], caption, coll, legend_title))
    if any(m.n_no_data for m in maps_out):
        handles.append(_no_data_handle())
        texts.append(TEXT[lang]["no_data"])
    if any(m.drawn["dot"].any() for m in maps_out):
        handles.append(_dot_handle())
        texts.append(TEXT[lang]["points"])
    gaps = _maplayers.gaps(True)
    if len(gaps):
        handles.append(_gap_handle())
        texts.append(TEXT[lang]["gap"])
    ncol_leg = min(len(handles), 4)
    leg = _make_legend(
        fig,
        handles,
        texts,
        legend_title,
        ncol=ncol_leg,
        loc="lower left",
        bbox_to_anchor=(0.1 / width, (cap_h + 0.05) / H),
        bbox_transform=fig.transFigure,
    )
    artists = {"legend": leg}
    if title:
        artists["title"] = fig.text(
            0.1 / width, 1 - 0.08 / H, title, fontsize=12, fontweight="bold", ha="left", va="top"
        )
    artists["caption"] = fig.text(
        0.1 / width,
        0.06 / H,
        cap,
        fontsize=6.5,
        color="#444444",
        ha="left",
        va="bottom",
        linespacing=1.25,
    )
    for m in maps_out:
        m.legend_labels, m.artists = texts, artists
    return maps_out
