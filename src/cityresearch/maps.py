"""Publication-quality maps of Indonesia's 514 kabupaten/kota and 38 provinces.

One call makes a correct, citable map: :func:`choropleth` (a numeric column,
classed with mapclassify or unclassed), :func:`categorical_map` (classes such
as cohort year, secondary-city class or LISA clusters) and
:func:`small_multiples` (one map per year or group, one shared classification
and legend). Each returns a :class:`Map` holding the matplotlib Figure and
Axes, what was drawn per region, and the report of unmatched codes; ``save``
writes PNG, SVG or PDF.

Projection
----------
Indonesia spans about 5,000 km east-west across the equator. National maps
use a Lambert azimuthal equal-area projection centred on the country
(``+proj=laea +lat_0=-2 +lon_0=118``), so the area of a region on the map is
proportional to its real area (required for honest choropleths) and the shape
distortion at the edges (Aceh, Papua) stays small. Distances in the scale bar
are exact at the centre and within about 2% across the country.

Geometry
--------
National maps draw simplified boundaries: a coverage simplification
(``shapely.coverage_simplify``, 1.5 km tolerance) that keeps shared borders
shared. Zoomed maps draw the full-detail boundaries.

Language
--------
``lang="en"`` or ``"id"`` sets the legend text, "no data", the number format
(12,345.6 vs 12.345,6) and the standard caption.

This module does not compute statistics: pass a frame with the values (from
:mod:`cityresearch.data` or the analysis modules) and a code column.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError

__all__ = ["Map", "choropleth", "categorical_map", "small_multiples", "format_number", "CRS"]

#: The map projection: Lambert azimuthal equal-area centred on Indonesia.
CRS = "+proj=laea +lat_0=-2 +lon_0=118 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
SIMPLIFY_TOLERANCE_M = 1500
NO_DATA_COLOR = "#d9d9d9"
LISA_COLORS = {"HH": "#d7191c", "LH": "#abd9e9", "LL": "#2c7bb6", "HL": "#fdae61",
               "ns": "#eeeeee"}

TEXT = {
    "en": {"no_data": "No data", "boundaries": "Boundaries", "data": "Data",
           "not_significant": "Not significant", "km": "km", "projection":
           "Lambert azimuthal equal-area"},
    "id": {"no_data": "Tidak ada data", "boundaries": "Batas wilayah", "data": "Data",
           "not_significant": "Tidak signifikan", "km": "km", "projection":
           "Lambert azimuthal equal-area"},
}
LISA_LABELS = {
    "en": {"HH": "High-High", "LL": "Low-Low", "LH": "Low-High", "HL": "High-Low",
           "ns": "Not significant"},
    "id": {"HH": "Tinggi-Tinggi", "LL": "Rendah-Rendah", "LH": "Rendah-Tinggi",
           "HL": "Tinggi-Rendah", "ns": "Tidak signifikan"},
}
SCHEMES = {"quantiles": "Quantiles", "fisher_jenks": "FisherJenks",
           "equal_interval": "EqualInterval", "natural_breaks": "NaturalBreaks",
           "user_defined": "UserDefined", "unclassed": None}


def format_number(x: float, *, lang: str = "en", decimals: int = 0) -> str:
    """Format a number with thousands separators in the chosen language.

    >>> format_number(12345.6, decimals=1)
    '12,345.6'
    >>> format_number(12345.6, lang="id", decimals=1)
    '12.345,6'
    """
    _check_lang(lang)
    s = f"{x:,.{decimals}f}"
    if lang == "id":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def _check_lang(lang):
    if lang not in TEXT:
        raise ValidationError(f"lang must be 'en' or 'id', not {lang!r}")


@dataclass
class Map:
    """A drawn map.

    Attributes
    ----------
    fig, ax : matplotlib Figure and Axes
    drawn : pandas.DataFrame
        One row per region drawn: code, value, class label, face colour (hex),
        ``has_data``.
    unmatched : list of str
        Codes in the input that match no region of the level (not drawn).
    legend_labels : list of str
        The legend entries in order (class bounds with units, "no data").
    caption : str
        The source and licence line printed under the map.
    """

    fig: object
    ax: object
    drawn: pd.DataFrame
    unmatched: list = field(default_factory=list)
    legend_labels: list = field(default_factory=list)
    caption: str = ""
    collection: object = None

    @property
    def n_no_data(self) -> int:
        return int((~self.drawn["has_data"]).sum())

    def save(self, path, *, dpi: int = 300) -> None:
        """Save as PNG, SVG or PDF (by the file's suffix)."""
        suffix = str(path).rsplit(".", 1)[-1].lower()
        if suffix not in {"png", "svg", "pdf"}:
            raise ValidationError(f"save to .png, .svg or .pdf, not .{suffix}")
        self.fig.savefig(path, dpi=dpi, bbox_inches="tight")


@lru_cache(maxsize=4)
def _layer(level: str, simplified: bool):
    """Projected boundaries (cached in memory; the simplified layer also on disk)."""
    from cityresearch import data
    from cityresearch.data._cache import cached_frame

    if level not in ("kabkota", "provinsi"):
        raise ValidationError(f"level must be 'kabkota' or 'provinsi', not {level!r}")
    if not simplified:
        return data.load_boundaries(level).to_crs(CRS)

    def build():
        import shapely

        if level == "provinsi":  # dissolve the simplified kab/kota: borders coincide
            kab = _layer("kabkota", True)
            gdf = data.load_boundaries("provinsi").to_crs(CRS)
            geoms = [shapely.union_all(kab.geometry[kab["prov_kemendagri_code"] == c].to_numpy())
                     for c in gdf["prov_kemendagri_code"]]
            return gdf.set_geometry(geoms, crs=CRS)
        gdf = data.load_boundaries(level).to_crs(CRS)
        geoms = shapely.coverage_simplify(gdf.geometry.to_numpy(), SIMPLIFY_TOLERANCE_M)
        gdf = gdf.set_geometry(shapely.make_valid(geoms, method="structure"), crs=CRS)
        return gdf

    # the layer holds registry columns: key it on the shapes' and the registry's keys
    from cityresearch import regions

    hashes = [data.cache_key("boundaries_kabkota"), data.cache_key("boundaries_provinsi"),
              regions.registry_key()]
    return cached_frame(f"maplayer-{level}-{SIMPLIFY_TOLERANCE_M}", hashes + ["m1"], build,
                        geo=True)


def _paths(geoms):
    """matplotlib Paths of (multi)polygons, one compound path per region."""
    import shapely
    from matplotlib.path import Path

    out = []
    for g in geoms:
        verts, codes = [], []
        for poly in shapely.get_parts(g):
            if poly.geom_type != "Polygon":
                continue
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)
                if len(xy) < 3:
                    continue
                verts.append(xy)
                c = np.full(len(xy), Path.LINETO, dtype=np.uint8)
                c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
                codes.append(c)
        if verts:
            out.append(Path(np.concatenate(verts), np.concatenate(codes)))
        else:
            out.append(Path(np.zeros((1, 2))))
    return out


def _join(frame: pd.DataFrame, column: str, level: str, on: str | None, layer):
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError("data must be a pandas DataFrame with a code column")
    if column not in frame.columns:
        raise ValidationError(
            f"column {column!r} is not in the data; columns are: {', '.join(map(str, frame.columns))}"
        )
    if level == "kabkota":
        candidates = ["bps_code", "kemendagri_code"]
    else:
        candidates = ["prov_kemendagri_code", "prov_bps_code"]
    if on is None:
        on = next((c for c in candidates if c in frame.columns), None)
        if on is None:
            raise ValidationError(f"the data need a code column: one of {candidates}, or pass on=")
    if on not in candidates:
        raise ValidationError(f"on must be one of {candidates}, not {on!r}")
    if on == "prov_bps_code":
        raise ValidationError(
            "province maps draw the 38 provinces of 2025: join on 'prov_kemendagri_code' "
            "(BPS 34-province codes do not map one-to-one after the 2022 Papua split)")
    codes = frame[on].astype(str)
    if codes.duplicated().any():
        dup = codes[codes.duplicated()].unique()[:5]
        raise ValidationError(f"codes appear more than once in {on!r}: {', '.join(dup)}; "
                              "pass one row per region (e.g. filter one year)")
    known = set(layer[on].astype(str))
    unmatched = sorted(set(codes) - known)
    if len(unmatched) == len(codes) and len(codes):
        raise ValidationError(
            f"no code in {on!r} matches a {level} region (e.g. {', '.join(unmatched[:5])}); "
            f"{level} codes look like {', '.join(sorted(known)[:3])}")
    if unmatched:
        warnings.warn(f"{len(unmatched)} codes match no {level} region and are not drawn: "
                      f"{', '.join(unmatched[:10])}", stacklevel=3)
    values = pd.Series(frame[column].to_numpy(), index=codes)
    return on, layer[on].astype(str).map(values), unmatched


def _caption(source: str | None, lang: str) -> str:
    from cityresearch import data

    b = data.sources(["boundaries"]).iloc[0]
    t = TEXT[lang]
    text = f"{t['boundaries']}: {b.citation.split(':')[0]} ({b.license})."
    if source:
        text += f" {t['data']}: {source}."
    return text


def _frame(ax, layer_prov, province_outlines, title, subtitle, caption, fig, scalebar, lang):
    if province_outlines and layer_prov is not None:
        layer_prov.boundary.plot(ax=ax, color="#333333", linewidth=0.5, zorder=3)
    ax.set_axis_off()
    ax.set_aspect("equal")
    if title:
        ax.set_title(title + (f"\n{subtitle}" if subtitle else ""), loc="left", fontsize=12)
    if caption:
        ax.text(0.0, -0.02, caption, transform=ax.transAxes, fontsize=6.5, color="#444444",
                ha="left", va="top")
    if scalebar:
        _scalebar(ax, lang)


def _scalebar(ax, lang):
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width_km = (x1 - x0) / 1000
    nice = [10, 20, 25, 50, 100, 200, 250, 500, 1000]
    length = max(n for n in nice if n <= width_km / 5) if width_km / 5 >= 10 else 5
    sx, sy = x1 - 0.03 * (x1 - x0) - length * 1000, y0 + 0.04 * (y1 - y0)
    ax.plot([sx, sx + length * 1000], [sy, sy], color="black", linewidth=2, zorder=5)
    ax.text(sx + length * 500, sy + 0.012 * (y1 - y0),
            f"{format_number(length, lang=lang)} {TEXT[lang]['km']}", ha="center",
            va="bottom", fontsize=7, zorder=5)


def _extent(layer, zoom):
    from cityresearch import regions

    if zoom is None:
        return None, None
    if isinstance(zoom, str):
        try:
            mask = regions._province_filter(layer, zoom)
        except Exception:  # noqa: BLE001 - not a province: one region
            code = regions.lookup(zoom)["bps_code"]
            mask = layer["bps_code"] == code
    else:
        codes = [regions.lookup(z)["bps_code"] for z in zoom]
        mask = layer["bps_code"].isin(codes)
    sel = layer[mask]
    minx, miny, maxx, maxy = sel.total_bounds
    pad = 0.05 * max(maxx - minx, maxy - miny)
    return (minx - pad, miny - pad, maxx + pad, maxy + pad), sel


def _draw(values_color, layer, ax, edgecolor="white", linewidth=0.15, hatch_missing=True):
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import PathPatch

    colors, has = values_color
    patches = [PathPatch(p) for p in _paths(layer.geometry.to_numpy())]
    coll = PatchCollection(patches, facecolors=colors, edgecolors=edgecolor,
                           linewidths=linewidth, zorder=2)
    ax.add_collection(coll)
    if hatch_missing and (~has).any():
        miss = [PathPatch(p) for p, h in zip(_paths(layer.geometry.to_numpy()), has) if not h]
        ax.add_collection(PatchCollection(miss, facecolor="none", edgecolor="#9a9a9a",
                                          hatch="////", linewidth=0, zorder=2.5))
    ax.autoscale_view()
    return coll


def _prepare(level, zoom, labels_level="kabkota"):
    simplified = zoom is None
    layer = _layer(level, simplified).reset_index(drop=True)
    prov = _layer("provinsi", simplified) if level == "kabkota" else None
    return layer, prov


def _legend(ax, handles, labels, title, lang, loc="lower left"):
    ax.legend(handles, labels, title=title, loc=loc, fontsize=7, title_fontsize=8,
              frameon=False, bbox_to_anchor=(1.0, 0.0) if loc == "lower left" else None)


def _labels(ax, layer, labels):
    from cityresearch import regions

    for i, lab in enumerate(labels or []):
        row = regions.lookup(lab)
        geom = layer.loc[layer["bps_code"] == row["bps_code"], "geometry"]
        if geom.empty:
            continue
        pt = geom.iloc[0].representative_point()
        ax.annotate(row["name"], (pt.x, pt.y), fontsize=7, ha="center", zorder=6,
                    xytext=(0, 8 if i % 2 == 0 else -14), textcoords="offset points",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})


def _inset(ax, layer, colors, extent, inset):
    """A locator inset (Indonesia with the zoom box, top left) or an island
    group enlarged with the map's own colours (top right, over the Pacific)."""
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.collections import PatchCollection

    base = _layer("provinsi", True)
    if inset in (True, "locator"):
        iax = ax.inset_axes([0.0, 0.72, 0.3, 0.28])
        base.plot(ax=iax, color="#cccccc", linewidth=0)
        if extent is not None:
            iax.add_patch(Rectangle((extent[0], extent[1]), extent[2] - extent[0],
                                    extent[3] - extent[1], fill=False, edgecolor="red",
                                    linewidth=1))
    else:
        mask = (layer["island_group"] == inset).to_numpy()
        if not mask.any():
            groups = ", ".join(sorted(layer["island_group"].dropna().unique()))
            raise ValidationError(f"inset must be 'locator' or an island group ({groups}), "
                                  f"not {inset!r}")
        iax = ax.inset_axes([0.64, 0.75, 0.36, 0.25])
        sub = layer[mask]
        patches = [PathPatch(p) for p in _paths(sub.geometry.to_numpy())]
        iax.add_collection(PatchCollection(patches, facecolors=list(np.asarray(colors, dtype=object)[mask]),
                                           edgecolors="white", linewidths=0.1))
        base[base["island_group"] == inset].boundary.plot(ax=iax, color="#333333", linewidth=0.4)
        iax.autoscale_view()
        iax.set_title(inset, fontsize=7, loc="left")
        iax.set_xticks([])
        iax.set_yticks([])
        iax.set_xlabel("")
        iax.set_ylabel("")
        for spine in iax.spines.values():
            spine.set_edgecolor("#999999")
        iax.set_aspect("equal")
        return iax
    iax.set_axis_off()
    iax.set_aspect("equal")
    return iax


def _no_data_handle():
    from matplotlib.patches import Patch

    return Patch(facecolor=NO_DATA_COLOR, edgecolor="#9a9a9a", hatch="////")


def _finish(ax, layer, prov, colors, *, zoom, source, lang, title, subtitle, province_outlines,
            scalebar, labels, inset, caption_on=True) -> str:
    """Zoom, frame (outlines, title, caption, scale bar), labels and inset; returns the caption."""
    extent, _ = _extent(layer, zoom)
    if extent is not None:
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
    caption = _caption(source, lang)
    _frame(ax, prov, province_outlines, title, subtitle, caption if caption_on else "",
           ax.figure, scalebar, lang)
    _labels(ax, layer, labels)
    if inset is not None:
        _inset(ax, layer, colors, extent, inset)
    return caption


def choropleth(
    data: pd.DataFrame,
    column: str,
    *,
    level: str = "kabkota",
    on: str | None = None,
    scheme: str = "quantiles",
    k: int = 5,
    breaks: list[float] | None = None,
    cmap: str = "YlGnBu",
    unit: str = "",
    decimals: int = 0,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    province_outlines: bool = True,
    zoom=None,
    labels: list[str] | None = None,
    inset=None,
    scalebar: bool = True,
    figsize: tuple[float, float] = (11, 4.6),
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
    on : str, optional
        The code column (detected when omitted).
    scheme : {"quantiles", "fisher_jenks", "equal_interval", "natural_breaks", "user_defined", "unclassed"}
        mapclassify classification; ``"user_defined"`` takes ``breaks`` (upper
        bounds); ``"unclassed"`` draws a continuous colour bar.
    k : int
        Number of classes.
    unit, decimals : str, int
        Unit shown in the legend title and the class bounds' decimals.
    lang : {"en", "id"}
        Language of legend, "no data", number format and caption.
    title, subtitle, source : str
        Title lines; ``source`` is the data citation and licence for the
        caption (the boundaries' citation is always added).
    province_outlines : bool
        Draw province borders over kab/kota maps.
    zoom : str or list of str, optional
        A province (name or code) or a list of regions to zoom to; all other
        regions stay drawn for context, at full detail.
    labels : list of str, optional
        Regions (codes or unambiguous names) to label.
    inset : {"locator", island group name}, optional
        A locator map of Indonesia with the zoom box, or an enlarged island
        group (e.g. ``"Jawa"``).
    scalebar : bool
    figsize : tuple
    ax : matplotlib Axes, optional
        Draw into an existing Axes (used by :func:`small_multiples`).

    Returns
    -------
    Map

    Raises
    ------
    ValidationError
        Unknown column or level, non-numeric column, duplicate codes, or codes
        that match nothing (the message lists a few).
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.patches import Patch

    _check_lang(lang)
    if scheme not in SCHEMES:
        raise ValidationError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    layer, prov = _prepare(level, zoom)
    on, values, unmatched = _join(data, column, level, on, layer)
    if not pd.api.types.is_numeric_dtype(data[column]):
        raise ValidationError(f"column {column!r} is not numeric; use categorical_map for classes")
    v = values.astype(float).to_numpy()
    has = ~np.isnan(v)
    if not has.any():
        raise ValidationError(f"column {column!r} has no values for any {level} region")
    return _render(layer, prov, v, has, on, unmatched, scheme=scheme, k=k, breaks=breaks,
                   cmap=cmap, unit=unit, decimals=decimals, lang=lang, title=title,
                   subtitle=subtitle, source=source, province_outlines=province_outlines,
                   zoom=zoom, labels=labels, inset=inset, scalebar=scalebar, figsize=figsize,
                   ax=ax, plt=plt, colormaps=colormaps, Patch=Patch)


def _classify(v, has, scheme, k, breaks):
    import mapclassify

    if scheme == "unclassed":
        return None
    warnings.filterwarnings("ignore", message="Numba not installed")
    if scheme == "user_defined":
        if not breaks:
            raise ValidationError("scheme='user_defined' needs breaks=[upper bounds]")
        return mapclassify.UserDefined(v[has], bins=list(breaks))
    if breaks is not None:
        raise ValidationError("breaks= goes with scheme='user_defined'")
    return getattr(mapclassify, SCHEMES[scheme])(v[has], k=k)


def _class_labels(classifier, lang, decimals, lo):
    bins = classifier.bins
    lows = [lo, *bins[:-1]]
    return [f"{format_number(a, lang=lang, decimals=decimals)} – "
            f"{format_number(b, lang=lang, decimals=decimals)}" for a, b in zip(lows, bins)]


def _render(layer, prov, v, has, on, unmatched, *, scheme, k, breaks, cmap, unit, decimals,
            lang, title, subtitle, source, province_outlines, zoom, labels, inset, scalebar,
            figsize, ax, plt, colormaps, Patch, classifier=None, legend=True):
    from matplotlib.colors import Normalize, to_hex

    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    fig = ax.figure
    cm = colormaps[cmap]
    classes = np.full(len(v), "", dtype=object)
    if classifier is None:
        classifier = _classify(v, has, scheme, k, breaks)
    if classifier is None:
        norm = Normalize(np.nanmin(v), np.nanmax(v))
        colors = [to_hex(cm(norm(x))) if h else NO_DATA_COLOR for x, h in zip(v, has)]
        labels_legend = []
    else:
        bins = np.asarray(classifier.bins)
        idx = np.searchsorted(bins, v[has], side="left").clip(0, len(bins) - 1)
        palette = [to_hex(cm(x)) for x in np.linspace(0.15, 1.0, len(bins))]
        colors = np.full(len(v), NO_DATA_COLOR, dtype=object)
        colors[has] = [palette[i] for i in idx]
        lo = np.nanmin(v) if scheme == "user_defined" else classifier.y.min()
        labels_legend = _class_labels(classifier, lang, decimals, lo)
        classes[has] = [labels_legend[i] for i in idx]
        colors = list(colors)
    coll = _draw((colors, has), layer, ax)
    t = TEXT[lang]
    if legend:
        if classifier is None:
            sm = plt.cm.ScalarMappable(norm=norm, cmap=cm)
            cb = fig.colorbar(sm, ax=ax, shrink=0.6, pad=0.01)
            cb.set_label(unit)
            cb.ax.yaxis.set_major_formatter(
                plt.FuncFormatter(lambda x, _: format_number(x, lang=lang, decimals=decimals)))
            handles = []
        else:
            handles = [Patch(facecolor=c, edgecolor="none") for c in palette]
        if (~has).any():
            handles.append(_no_data_handle())
            labels_legend = [*labels_legend, t["no_data"]]
        if handles:
            _legend(ax, handles, labels_legend, unit or None, lang)
    caption = _finish(ax, layer, prov, colors, zoom=zoom, source=source, lang=lang, title=title,
                      subtitle=subtitle, province_outlines=province_outlines, scalebar=scalebar,
                      labels=labels, inset=inset, caption_on=legend)
    drawn = pd.DataFrame({on: layer[on].astype(str).to_numpy(), "value": v, "class": classes,
                          "color": colors, "has_data": has})
    return Map(fig, ax, drawn, unmatched, labels_legend, caption, coll)


def categorical_map(
    data: pd.DataFrame,
    column: str,
    *,
    level: str = "kabkota",
    on: str | None = None,
    colors: dict | None = None,
    order: list | None = None,
    lang: str = "en",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    legend_title: str | None = None,
    province_outlines: bool = True,
    zoom=None,
    labels: list[str] | None = None,
    inset=None,
    scalebar: bool = True,
    figsize: tuple[float, float] = (11, 4.6),
    ax=None,
) -> Map:
    """Draw classes (cohort year, secondary-city class, LISA cluster ...).

    Values ``"HH"``, ``"LL"``, ``"HL"``, ``"LH"`` and ``"ns"`` get the
    conventional LISA colours (red, blue, light red, light blue, grey) and
    labels ("High-High" ..., "Not significant"). Other classes get a
    qualitative palette (tab10) unless ``colors`` maps class -> colour.
    Regions without a class are drawn as "no data". Parameters as in
    :func:`choropleth`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex
    from matplotlib.patches import Patch

    _check_lang(lang)
    layer, prov = _prepare(level, zoom)
    on, values, unmatched = _join(data, column, level, on, layer)
    has = values.notna().to_numpy()
    present = list(pd.unique(values[has]))
    if order is None:
        order = sorted(present, key=str)
    lisa = set(present) <= set(LISA_COLORS)
    if lisa:
        order = [c for c in ["HH", "LL", "LH", "HL", "ns"] if c in present]
    if colors is None:
        colors = dict(LISA_COLORS) if lisa else {
            c: to_hex(plt.get_cmap("tab10")(i % 10)) for i, c in enumerate(order)}
    missing = [c for c in present if c not in colors]
    if missing:
        raise ValidationError(f"no colour for classes {missing}; add them to colors=")
    face = [colors[x] if h else NO_DATA_COLOR for x, h in zip(values, has)]
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    fig = ax.figure
    coll = _draw((face, has), layer, ax)
    names = LISA_LABELS[lang] if lisa else {}
    handles = [Patch(facecolor=colors[c], edgecolor="none") for c in order]
    legend_labels = [names.get(c, str(c)) for c in order]
    if (~has).any():
        handles.append(_no_data_handle())
        legend_labels.append(TEXT[lang]["no_data"])
    _legend(ax, handles, legend_labels, legend_title, lang)
    caption = _finish(ax, layer, prov, face, zoom=zoom, source=source, lang=lang, title=title,
                      subtitle=subtitle, province_outlines=province_outlines, scalebar=scalebar,
                      labels=labels, inset=inset)
    drawn = pd.DataFrame({on: layer[on].astype(str).to_numpy(), "value": values.to_numpy(),
                          "class": [names.get(x, x) if h else None for x, h in zip(values, has)],
                          "color": face, "has_data": has})
    return Map(fig, ax, drawn, unmatched, legend_labels, caption, coll)


def small_multiples(
    data: pd.DataFrame,
    column: str,
    *,
    by: str = "year",
    level: str = "kabkota",
    on: str | None = None,
    scheme: str = "quantiles",
    k: int = 5,
    breaks: list[float] | None = None,
    cmap: str = "YlGnBu",
    unit: str = "",
    decimals: int = 0,
    lang: str = "en",
    title: str | None = None,
    source: str | None = None,
    ncols: int = 2,
    figsize: tuple[float, float] | None = None,
) -> list[Map]:
    """One map per value of ``by`` (year, group), with one classification
    computed on all panels' values together and one legend.

    Returns the list of :class:`Map`, one per panel (all share ``fig``).
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.patches import Patch

    _check_lang(lang)
    if by not in data.columns:
        raise ValidationError(f"by={by!r} is not a column of the data")
    if column not in data.columns:
        raise ValidationError(f"column {column!r} is not in the data")
    if not pd.api.types.is_numeric_dtype(data[column]):
        raise ValidationError(f"column {column!r} is not numeric")
    groups = list(pd.unique(data[by]))
    pooled = data[column].astype(float).to_numpy()
    ok = ~np.isnan(pooled)
    classifier = _classify(pooled, ok, scheme, k, breaks)
    if classifier is None:
        raise ValidationError("small_multiples needs a classification scheme, not 'unclassed'")
    nrows = int(np.ceil(len(groups) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (6 * ncols, 3.2 * nrows))
    axes = np.atleast_1d(axes).ravel()
    layer, prov = _prepare(level, None)
    maps = []
    for a, g in zip(axes, groups):
        sub = data[data[by] == g]
        on_, values, unmatched = _join(sub, column, level, on, layer)
        v = values.astype(float).to_numpy()
        m = _render(layer, prov, v, ~np.isnan(v), on_, unmatched, scheme=scheme, k=k,
                    breaks=breaks, cmap=cmap, unit=unit, decimals=decimals, lang=lang,
                    title=str(g), subtitle=None, source=source, province_outlines=True,
                    zoom=None, labels=None, inset=None, scalebar=False, figsize=None, ax=a,
                    plt=plt, colormaps=colormaps, Patch=Patch, classifier=classifier,
                    legend=False)
        maps.append(m)
    for a in axes[len(groups):]:
        a.set_axis_off()
    palette_labels = _class_labels(classifier, lang, decimals, np.nanmin(pooled))
    from matplotlib.colors import to_hex

    cm = colormaps[cmap]
    palette = [to_hex(cm(x)) for x in np.linspace(0.15, 1.0, len(classifier.bins))]
    handles = [Patch(facecolor=c) for c in palette]
    if any(m.n_no_data for m in maps):
        handles.append(_no_data_handle())
        palette_labels.append(TEXT[lang]["no_data"])
    fig.legend(handles, palette_labels, title=unit or None, loc="lower right", fontsize=7,
               frameon=False)
    caption = _caption(source, lang)
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    fig.text(0.01, 0.005, caption, fontsize=6.5, color="#444444")
    for m in maps:
        m.legend_labels, m.caption = palette_labels, caption
    return maps
