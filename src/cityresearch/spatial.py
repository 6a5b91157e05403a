"""Spatial weights and spatial autocorrelation for Indonesian regions.

Built on libpysal (weights) and esda (Moran's I, LISA); this module adds what
an archipelago needs and what a careful analysis reports.

Contiguity in an archipelago
----------------------------
Queen contiguity (regions sharing any boundary point) leaves island regions
without neighbours: Kepulauan Seribu, Simeulue, Kepulauan Selayar, Natuna,
many of Maluku's and NTT's (31 of the 514). Dropping them would bias every
statistic, so each region with no land neighbour is joined to its
``island_k`` nearest regions by the distance between the polygons (the
shortest sea crossing, in the equal-area projection), symmetrically.
Kepulauan Selayar is thus linked to Bulukumba (about 10 km), not to
Manggarai Timur, whose representative point happens to be closer. Because the
source polygons were simplified one by one, true neighbours can be separated
by slivers or overlap slightly; contiguity is therefore "fuzzy": polygons
within ``tolerance`` metres of each other are neighbours.

The graph of an archipelago is not connected: Sumatra, Java, Kalimantan,
Sulawesi, Papua and the island chains form separate components even after
islands are linked. :func:`region_weights` reports the links it added and the
components; spatial lags never cross between components.

Multiple testing
----------------
Local Moran's I tests every region; at alpha 0.05 about 26 of 514 regions
would be "significant" by chance. :func:`local_moran` applies the
Benjamini-Hochberg false discovery rate (default) or Bonferroni before
labelling clusters. A permutation p-value cannot be smaller than
1 / (n_perm + 1), and BH compares the smallest p-values with
alpha / 514: with 999 permutations the number of significant regions
changes from seed to seed (24 to 32 on log GRDP per capita). The default is
therefore 99,999 permutations, and :func:`local_moran_seeds` reports the
range of the count across seeds.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cityresearch import _validate as v
from cityresearch._deprecate import renamed
from cityresearch._errors import ValidationError
from cityresearch._results import Result

__all__ = [
    "MoranResult",
    "RegionWeights",
    "local_moran",
    "local_moran_seeds",
    "moran",
    "region_weights",
]

#: Default permutations of :func:`local_moran`: enough for a stable FDR count on 514 regions.
LISA_PERMUTATIONS = 99_999


def _esda():
    """Import esda quietly (its tqdm import warns about widgets in notebooks)."""
    from cityresearch._imports import quiet_import

    return quiet_import("esda")


@dataclass
class RegionWeights:
    """Result of :func:`region_weights`; unpacks as ``graph, islands``.

    It keeps the tuple unpacking of version 0.1 (``graph, islands =
    region_weights(gdf)``), so it is not a mapping like the other results;
    it has their ``tidy()`` (the links added) and ``summary()`` (text).

    Parameters
    ----------
    graph : libpysal.graph.Graph
        Binary, symmetric graph indexed by the regions' ids.
    islands : list
        Ids of the regions that had no contiguous neighbour.
    links : DataFrame
        One row per link added: ``island``, ``neighbor`` (ids), ``rank`` (1 =
        nearest), ``distance_km`` (polygon-to-polygon, or between
        representative points with ``link="centroid"``, in the equal-area
        projection), and ``island_name`` / ``neighbor_name`` when the regions
        have a ``name`` column.
    components : Series
        Component label of every id (0 = the largest component).
    n_components : int
        Number of connected components of the graph.
    link : str
        ``"polygon"`` or ``"centroid"``.
    island_k : int
        Neighbours given to each island.
    component_table : DataFrame
        One row per component: ``component``, ``n_regions`` and ``examples``
        (two members).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"id": ["a", "b"]}, crs="EPSG:4326",
    ...     geometry=[box(118.0, -2, 118.1, -1.9), box(118.1, -2, 118.2, -1.9)])
    >>> graph, islands = region_weights(cells, unit="id")
    >>> islands, graph.n
    ([], 2)
    """

    graph: Any
    islands: list
    links: pd.DataFrame
    components: pd.Series
    n_components: int
    link: str
    island_k: int
    component_table: pd.DataFrame = field(default=None, repr=False)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.graph, self.islands))

    def __getitem__(self, i: int) -> Any:
        return (self.graph, self.islands)[i]

    def __len__(self) -> int:
        return 2

    def tidy(self) -> pd.DataFrame:
        """The links added to regions without a land neighbour, one row per link.

        A table of the graph, not of estimates, so it does not follow the
        ``term``/``estimate`` schema of the statistical results
        (:mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            :attr:`links` (``island``, ``neighbor``, ``rank``, ``distance_km``).
        """
        return self.links.copy()

    def summary(self) -> str:
        """The graph in one paragraph: regions, islands linked, components.

        Returns
        -------
        str
            Counts of regions, islands and components, and the longest link.
        """
        longest = (
            f"; longest link {self.links['distance_km'].max():.1f} km" if len(self.links) else ""
        )
        return (
            f"RegionWeights: {self.graph.n} regions, {len(self.islands)} without a land "
            f"neighbour linked to their {self.island_k} nearest ({self.link} distance)"
            f"{longest}; {self.n_components} connected components"
        )


def _nearest_polygons(geoms, i: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` polygons nearest to polygon ``i`` (exact distances, in CRS units).

    Bounding-box distances bound polygon distances from below, so candidates
    are measured in order of their box distance until no unmeasured one can
    be nearer than the k-th found.
    """
    import shapely

    b = shapely.bounds(geoms)
    dx = np.maximum(0, np.maximum(b[:, 0] - b[i, 2], b[i, 0] - b[:, 2]))
    dy = np.maximum(0, np.maximum(b[:, 1] - b[i, 3], b[i, 1] - b[:, 3]))
    lower = np.hypot(dx, dy)
    lower[i] = np.inf
    order = np.argsort(lower, kind="stable")
    exact = np.full(len(geoms), np.inf)
    done = 0
    while done < len(order) - 1:
        chunk = order[done : done + 16]
        chunk = chunk[np.isfinite(lower[chunk])]
        if len(chunk) == 0:
            break
        exact[chunk] = shapely.distance(geoms[i], geoms[chunk])
        done += 16
        kth = np.sort(exact)[min(k, len(exact)) - 1]
        if done >= len(order) or kth <= lower[order[min(done, len(order) - 1)]]:
            break
    nearest = np.argsort(exact, kind="stable")[:k]
    return nearest, exact[nearest]


@renamed(index="unit")
def region_weights(
    gdf: Any = None,
    *,
    tolerance: float = 500.0,
    island_k: int = 1,
    link: str = "polygon",
    unit: str = "bps_code",
) -> RegionWeights:
    """Fuzzy queen contiguity of regions, islands joined to their nearest regions.

    Parameters
    ----------
    gdf : GeoDataFrame
        Regions to weight, with a CRS (required: the function loads nothing;
        for the 514 kab/kota pass :func:`cityresearch.panels.region_boundaries`).
        Projected to the equal-area map CRS (``maps.CRS``) before measuring.
    tolerance : float
        Metres (> 0): polygons closer than this are neighbours (slivers between
        separately simplified polygons).
    island_k : int
        Neighbours given to each region with no contiguous neighbour (>= 1).
    link : {"polygon", "centroid"}
        How "nearest" is measured for islands: shortest distance between the
        polygons (default), or between representative points (the behaviour
        before version 0.2, kept to show how results move with the choice).
    unit : str
        Column that becomes the weights' ids (unique); formerly ``index=``,
        which still works for one release.

    Returns
    -------
    RegionWeights
        Unpacks as ``graph, islands`` (binary, not standardised graph; ids
        that were islands). Also ``.links`` (each added link with its
        distance in km), ``.components`` and ``.n_components`` (connected
        components of the final graph) and ``.component_table`` (size and
        two example members of each component).

    Raises
    ------
    ValidationError
        No ``gdf`` (None), not a GeoDataFrame, no CRS, fewer than 2 regions, missing or duplicate
        ``unit``, empty geometries, ``island_k`` < 1 or not below the number
        of regions, ``tolerance`` <= 0, unknown ``link``.

    Notes
    -----
    Contiguity is libpysal's fuzzy contiguity
    (``libpysal.graph.Graph.build_fuzzy_contiguity`` with a buffer of
    ``tolerance / 2`` around each polygon): two regions are neighbours when
    their buffered polygons intersect, i.e. when they are closer than
    ``tolerance``, which includes every queen (shared point) neighbour. The
    isolates of that graph (islands) are then linked, symmetrically, to their
    ``island_k`` nearest regions; this island rule is this package's own,
    not libpysal's (libpysal would leave them as isolates).

    References
    ----------
    Rey, S. J. and Anselin, L. (2007). PySAL: a Python library of spatial
    analytical methods. *The Review of Regional Studies* 37(1), 5-27.

    libpysal documentation, ``libpysal.graph.Graph.build_fuzzy_contiguity``
    (https://pysal.org/libpysal/).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"id": ["a", "b", "c"]}, crs="EPSG:4326", geometry=[
    ...     box(118.0, -2, 118.1, -1.9), box(118.1, -2, 118.2, -1.9), box(118.5, -2, 118.6, -1.9)])
    >>> w = region_weights(cells, unit="id")  # c lies 0.3 degrees (33 km) east of b
    >>> w.islands, w.links[["island", "neighbor", "distance_km"]].values.tolist()
    (['c'], [['c', 'b', 33.375]])
    >>> w.n_components
    1
    """
    import geopandas as gpd
    from libpysal.graph import Graph

    from cityresearch._maplayers import CRS  # the maps' equal-area projection

    func = "region_weights"
    index = unit
    v.check_choice(link, ("polygon", "centroid"), "link", func=func)
    tolerance = v.check_number(tolerance, "tolerance", lo=0, lo_open=True, hint="metres", func=func)
    island_k = v.check_number(
        island_k,
        "island_k",
        lo=1,
        integer=True,
        hint="0 would leave islands without neighbours",
        func=func,
    )
    if gdf is None:
        raise ValidationError(
            f"{func}: pass the regions' boundaries as a GeoDataFrame; this function "
            "does not load data. For the 514 kab/kota: "
            "region_weights(cityresearch.panels.region_boundaries()) or "
            "region_weights(cityresearch.data.load_boundaries('kabkota'))"
        )
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise ValidationError(
            f"{func}: gdf must be a GeoDataFrame of the regions' polygons, not "
            f"{type(gdf).__name__}; for the 514 kab/kota pass "
            "cityresearch.panels.region_boundaries() (select rows of it for a province)"
        )
    if gdf.crs is None:
        raise ValidationError(f"{func}: gdf has no CRS; set it (gdf.set_crs('EPSG:4326'))")
    v.require_columns(gdf, [index], func=func, name="gdf")
    v.min_rows(gdf, 2, what="regions", func=func)
    if island_k >= len(gdf):
        raise ValidationError(
            f"{func}: island_k={island_k} must be below the number of regions ({len(gdf)})"
        )
    v.handle_missing(gdf, [index], keys=[index], func=func)
    v.unique_keys(gdf, [index], func=func)
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        raise ValidationError(
            f"{func}: regions without geometry: {gdf.loc[empty, index].tolist()[:5]}"
        )
    g = gdf.to_crs(CRS).set_index(index)
    cont = Graph.build_fuzzy_contiguity(g.geometry, buffer=tolerance / 2)
    islands = list(cont.isolates)
    ids = list(g.index)
    pos = {c: i for i, c in enumerate(ids)}
    adj = cont.adjacency.reset_index()
    adj = adj[adj["focal"] != adj["neighbor"]] if len(adj) else adj
    edges = set(zip(adj["focal"], adj["neighbor"], strict=True))
    geoms = g.geometry.to_numpy()
    if link == "centroid":
        pts = g.geometry.representative_point()
        xy = np.column_stack([pts.x, pts.y])
    names = g["name"] if "name" in g.columns else None
    rows = []
    for c in islands:
        i = pos[c]
        if link == "polygon":
            near, dist = _nearest_polygons(geoms, i, island_k)
        else:
            d = np.hypot(*(xy - xy[i]).T)
            d[i] = np.inf
            near = np.argsort(d, kind="stable")[:island_k]
            dist = d[near]
        for rank, (j, dd) in enumerate(zip(near, dist, strict=True), start=1):
            edges.add((c, ids[j]))
            edges.add((ids[j], c))
            row = {
                "island": c,
                "neighbor": ids[j],
                "rank": rank,
                "distance_km": round(float(dd) / 1000, 3),
            }
            if names is not None:
                row.update(island_name=names.iloc[i], neighbor_name=names.iloc[j])
            rows.append(row)
    if islands:
        focal, neighbor = zip(*sorted(edges, key=lambda e: (pos[e[0]], pos[e[1]])), strict=True)
        graph = Graph.from_arrays(np.array(focal), np.array(neighbor), np.ones(len(focal)))
    else:
        graph = cont
    labels = pd.Series(np.asarray(graph.component_labels), index=list(graph.unique_ids))
    # relabel: 0 = the largest component, then by size and first appearance
    sizes = labels.value_counts(sort=False)
    first = {lab: k for k, lab in enumerate(pd.unique(labels))}
    ranking = sorted(sizes.index, key=lambda lab: (-sizes[lab], first[lab]))
    labels = labels.map({lab: k for k, lab in enumerate(ranking)}).reindex(ids).rename("component")
    table = (
        labels.groupby(labels)
        .agg(
            n_regions="size",
            examples=lambda s: ", ".join(
                (
                    names.loc[s.index[:2]]
                    if names is not None
                    else pd.Series(s.index[:2].astype(str))
                ).tolist()
            ),
        )
        .reset_index()
    )
    links = pd.DataFrame(
        rows,
        columns=["island", "neighbor", "rank", "distance_km"]
        + (["island_name", "neighbor_name"] if names is not None else []),
    )
    return RegionWeights(
        graph=graph,
        islands=islands,
        links=links,
        components=labels,
        n_components=int(labels.nunique()),
        link=link,
        island_k=island_k,
        component_table=table,
    )


def _graph(graph, func):
    """The weights as a libpysal Graph (a :class:`RegionWeights` gives its ``graph``)."""
    from libpysal.graph import Graph

    if isinstance(graph, RegionWeights):
        graph = graph.graph
    if not isinstance(graph, Graph):
        raise ValidationError(
            f"{func}: graph must be a libpysal.graph.Graph, e.g. "
            f"region_weights(gdf, unit='bps_code').graph, not "
            f"{type(graph).__name__}; build a Graph from a neighbour dict with "
            "libpysal.graph.Graph.from_dicts(neighbors)"
        )
    return graph


def _align(y, graph, func):
    if not isinstance(y, pd.Series):
        raise ValidationError(
            f"{func}: y must be a pandas Series indexed by the weights' ids "
            f"(e.g. bps_code), not {type(y).__name__}"
        )
    if y.index.has_duplicates:
        dup = y.index[y.index.duplicated()].unique().tolist()
        raise ValidationError(f"{func}: y has duplicate ids {dup[:5]}; one value per region")
    ids = list(graph.unique_ids)
    missing = sorted(set(ids) - set(y.index))
    extra = sorted(set(y.index) - set(ids))
    if missing or extra:
        raise ValidationError(
            f"values and weights do not cover the same regions: {len(missing)} regions of the "
            f"weights have no value (e.g. {missing[:5]}), {len(extra)} values have no region in "
            f"the weights (e.g. {extra[:5]}); subset the weights with graph.subgraph(ids)"
        )
    yy = v.require_columns(pd.DataFrame({"y": y.reindex(ids)}), {"y": "numeric"}, func=func)["y"]
    vals = yy.to_numpy(dtype=float)
    if np.isnan(vals).any():
        where = [i for i, b in zip(ids, np.isnan(vals), strict=True) if b]
        raise ValidationError(
            f"{func}: values are missing for {len(where)} regions "
            f"({where[:5]}); spatial statistics need all regions: fill them "
            "or subset the weights with graph.subgraph(ids)"
        )
    if np.ptp(vals) == 0:
        raise ValidationError(
            f"{func}: y is constant ({vals[0]:g} in all {len(vals)} regions); "
            "spatial autocorrelation is undefined"
        )
    iso = list(graph.isolates)
    if iso:
        raise ValidationError(
            f"{func}: {len(iso)} regions have no neighbour in the weights "
            f"(e.g. {iso[:5]}); use region_weights(gdf), which links islands"
        )
    return vals, ids


def _n_perm(n_perm: Any, func: str) -> int:
    return v.check_number(
        n_perm,
        "n_perm",
        lo=1,
        integer=True,
        hint="permutation inference needs at least 1 (99 or more in practice)",
        func=func,
    )


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class MoranResult(Result):
    """Result of :func:`moran`: global Moran's I with its permutation inference.

    Keeps the attributes read from the ``esda.Moran`` object that :func:`moran`
    returned in version 0.1 (``I``, ``EI``, ``p_sim``, ``z_sim``,
    ``p_norm``); the esda object itself is ``esda`` (e.g. ``.sim``, the
    permuted values).

    Parameters
    ----------
    I : float
        Moran's I (row-standardised weights).
    EI : float
        Its expectation under no autocorrelation, ``-1 / (n - 1)``.
    p_sim : float
        Pseudo p-value from the permutations (one-sided, in the direction of
        the observed I), at least ``1 / (n_perm + 1)``.
    z_sim : float
        I standardised by the permutations' mean and standard deviation.
    p_norm : float
        p-value under the normality assumption (no permutations).
    n : int
        Regions.
    n_perm : int
        Permutations.
    seed : int
        Seed of the permutations.
    esda : esda.Moran
        The full esda object.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"id": list("abcd")}, crs="EPSG:4326",
    ...     geometry=[box(118 + i / 10, -2, 118.1 + i / 10, -1.9) for i in range(4)])
    >>> w = region_weights(cells, unit="id")
    >>> res = moran(pd.Series([1.0, 2, 3, 4], index=list("abcd")), w, n_perm=9)
    >>> res.tidy()[["term", "estimate", "expected", "n_obs", "n_perm"]].round(4).values.tolist()
    [["Moran's I", 0.4, -0.3333, 4, 9]]
    """

    I: float  # noqa: E741 - the statistic's name
    EI: float
    p_sim: float
    z_sim: float
    p_norm: float
    n: int
    n_perm: int
    seed: int
    esda: Any = dataclasses.field(default=None)

    def _names(self) -> list[str]:
        return [n for n in super()._names() if n != "esda"]

    def tidy(self) -> pd.DataFrame:
        """One row: the statistic and its inference (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"Moran's I"``), ``estimate`` (I, unitless),
            ``statistic`` (``z_sim``: I standardised by the permutations),
            ``p_value`` (``p_sim``: one-sided pseudo p-value from the
            permutations), ``conf_low``, ``conf_high`` (always missing: no
            interval is computed), ``p_value_norm`` (``p_norm``: under the
            normality assumption), ``expected`` (E[I] = -1 / (n - 1)),
            ``n_obs`` (regions), ``n_perm``.
        """
        return pd.DataFrame(
            {
                "term": ["Moran's I"],
                "estimate": [float(self.I)],
                "statistic": [float(self.z_sim)],
                "p_value": [float(self.p_sim)],
                "conf_low": [np.nan],
                "conf_high": [np.nan],
                "p_value_norm": [float(self.p_norm)],
                "expected": [float(self.EI)],
                "n_obs": [self.n],
                "n_perm": [self.n_perm],
            }
        )

    def summary(self) -> str:
        """The statistic as a sentence.

        Returns
        -------
        str
            I, E[I], pseudo p-value and the numbers of regions and permutations.
        """
        return (
            f"Moran's I = {self.I:.4f} (E[I] = {self.EI:.4f}), pseudo p = {self.p_sim:.4f} "
            f"with {self.n_perm:,} permutations (seed {self.seed}); {self.n} regions"
        )


@renamed(permutations="n_perm")
def moran(y: pd.Series, graph: Any, *, n_perm: int = 999, seed: int = 12345) -> MoranResult:
    """Global Moran's I with permutation inference (row-standardised weights).

    ``I = (n / S0) (z' W z) / (z' z)`` with ``z`` the deviations from the mean
    and ``W`` the row-standardised weights (``S0 = n``), computed by esda.

    Parameters
    ----------
    y : Series
        Numeric values indexed like the graph's ids (all regions, no missing).
    graph : libpysal.graph.Graph or RegionWeights
        Weights without isolates, e.g. from :func:`region_weights`.
    n_perm : int
        Permutations, at least 1 (formerly ``permutations=``, which still
        works for one release); the pseudo p-value cannot go below
        1 / (n_perm + 1).
    seed : int
        Seed of numpy's global generator, which esda draws from.

    Returns
    -------
    MoranResult
        ``I``, ``EI``, ``p_sim`` (pseudo p-value), ``z_sim``, ``p_norm``,
        ``n``, ``n_perm``, ``seed`` and the ``esda.Moran`` object as ``esda``.

    Raises
    ------
    ValidationError
        ``y`` not a Series, ids that do not match, missing, infinite or text
        values (named), a constant ``y``, ``graph`` not a libpysal Graph (a
        :class:`RegionWeights` is accepted for its ``graph``), isolates in the
        graph, ``n_perm`` < 1.

    References
    ----------
    Moran, P. A. P. (1950). Notes on continuous stochastic phenomena.
    Biometrika, 37(1/2), 17-23.

    Cliff, A. D., & Ord, J. K. (1981). Spatial Processes: Models and
    Applications. London: Pion.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"id": list("abcd")}, crs="EPSG:4326",
    ...     geometry=[box(118 + i / 10, -2, 118.1 + i / 10, -1.9) for i in range(4)])
    >>> w, _ = region_weights(cells, unit="id")
    >>> float(moran(pd.Series([1.0, 2, 3, 4], index=list("abcd")), w, n_perm=9).I)  # 2/5
    0.4
    """
    esda = _esda()
    n_perm = _n_perm(n_perm, "moran")
    graph = _graph(graph, "moran")
    vals, _ = _align(y, graph, "moran")
    np.random.seed(seed)  # esda draws permutations from numpy's global generator
    m = esda.Moran(vals, graph.transform("r").to_W(), permutations=n_perm)
    return MoranResult(
        I=float(m.I),
        EI=float(m.EI),
        p_sim=float(m.p_sim),
        z_sim=float(m.z_sim),
        p_norm=float(m.p_norm),
        n=len(vals),
        n_perm=n_perm,
        seed=seed,
        esda=m,
    )


@renamed(permutations="n_perm")
def local_moran(
    y: pd.Series,
    graph: Any,
    *,
    n_perm: int = LISA_PERMUTATIONS,
    seed: int = 12345,
    alpha: float = 0.05,
    correction: str = "fdr",
) -> pd.DataFrame:
    """Local Moran's I (LISA) with a multiple-testing correction.

    Parameters
    ----------
    y : Series
        As in :func:`moran`.
    graph : libpysal.graph.Graph or RegionWeights
        As in :func:`moran`.
    n_perm : int
        Conditional permutations per region (default 99,999, so that the
        count of significant regions after the correction does not depend on
        the seed; see :func:`local_moran_seeds`). Formerly ``permutations=``,
        which still works for one release.
    seed : int
        Seed of esda's permutations.
    alpha : float
        Significance level after the correction, in (0, 1).
    correction : {"fdr", "bonferroni", "none"}
        Benjamini-Hochberg, Bonferroni or none.

    Returns
    -------
    DataFrame
        One row per region: ``id``, ``Is``, ``p_sim`` (folded permutation
        p-value: the share of conditional permutations at least as extreme in
        the direction of the observed ``Is``, as in GeoDa), ``p_adj``,
        ``quadrant`` (HH, LH, LL, HL) and ``cluster``: the quadrant where
        ``p_adj < alpha``, else ``"ns"``. ``attrs`` hold ``n_perm`` (also
        as ``permutations``, its former name, for one release), ``seed``,
        ``alpha``, ``correction``.

    Raises
    ------
    ValidationError
        As :func:`moran`, plus unknown ``correction`` or ``alpha`` outside (0, 1).

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association - LISA.
    Geographical Analysis, 27(2), 93-115.

    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery
    rate: a practical and powerful approach to multiple testing. Journal of
    the Royal Statistical Society, Series B, 57(1), 289-300.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"id": list("abcd")}, crs="EPSG:4326",
    ...     geometry=[box(118 + i / 10, -2, 118.1 + i / 10, -1.9) for i in range(4)])
    >>> w, _ = region_weights(cells, unit="id")
    >>> y = pd.Series([1.0, 2, 3, 4], index=list("abcd"))
    >>> local_moran(y, w, n_perm=99)["quadrant"].tolist()
    ['LL', 'LL', 'HH', 'HH']
    """
    from statsmodels.stats.multitest import multipletests

    esda = _esda()
    func = "local_moran"
    v.check_choice(correction, ("fdr", "bonferroni", "none"), "correction", func=func)
    alpha = v.check_number(
        alpha,
        "alpha",
        lo=0,
        hi=1,
        lo_open=True,
        hi_open=True,
        hint="a probability such as 0.05",
        func=func,
    )
    n_perm = _n_perm(n_perm, func)
    graph = _graph(graph, func)
    vals, ids = _align(y, graph, func)
    with warnings.catch_warnings():
        # esda announces a future change of its default alternative; this function keeps
        # the folded (directed) p-value of GeoDa and esda 2.x, documented above
        warnings.filterwarnings(
            "ignore", message="The alternative hypothesis", category=DeprecationWarning
        )
        lisa = esda.Moran_Local(vals, graph.transform("r").to_W(), permutations=n_perm, seed=seed)
    p = lisa.p_sim
    if correction == "none":
        p_adj = p
    else:
        p_adj = multipletests(p, method="fdr_bh" if correction == "fdr" else "bonferroni")[1]
    quad = pd.Series(lisa.q).map({1: "HH", 2: "LH", 3: "LL", 4: "HL"}).to_numpy()
    out = pd.DataFrame(
        {
            "id": ids,
            "Is": lisa.Is,
            "p_sim": p,
            "p_adj": p_adj,
            "quadrant": quad,
            "cluster": np.where(p_adj < alpha, quad, "ns"),
        }
    )
    out.attrs.update(
        n_perm=n_perm, permutations=n_perm, seed=seed, alpha=alpha, correction=correction
    )
    return out


@renamed(permutations="n_perm")
def local_moran_seeds(
    y: pd.Series,
    graph: Any,
    *,
    seeds: Iterable[int] = range(5),
    n_perm: int = LISA_PERMUTATIONS,
    alpha: float = 0.05,
    correction: str = "fdr",
) -> pd.DataFrame:
    """How much the LISA result depends on the permutation seed.

    Runs :func:`local_moran` once per seed and counts the significant regions
    and each cluster type.

    Parameters
    ----------
    y : Series
        As in :func:`local_moran`.
    graph : libpysal.graph.Graph or RegionWeights
        As in :func:`local_moran`.
    seeds : iterable of int
        At least one seed.
    n_perm : int
        As in :func:`local_moran` (formerly ``permutations=``).
    alpha : float
        As in :func:`local_moran`.
    correction : {"fdr", "bonferroni", "none"}
        As in :func:`local_moran`.

    Returns
    -------
    DataFrame
        One row per seed: ``seed``, ``n_significant`` and the counts ``HH``,
        ``LL``, ``LH``, ``HL``. ``attrs["range"]`` is ``(min, max)`` of
        ``n_significant``, ``attrs["unstable_regions"]`` the ids significant
        under some seeds but not all, and ``attrs["n_perm"]`` (also as
        ``permutations`` for one release).

    Raises
    ------
    ValidationError
        No seeds, or as :func:`local_moran`.

    References
    ----------
    Anselin, L. (1995). Local indicators of spatial association - LISA.
    *Geographical Analysis* 27(2), 93-115.
    doi:10.1111/j.1538-4632.1995.tb00338.x

    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery
    rate: a practical and powerful approach to multiple testing. *Journal of
    the Royal Statistical Society B* 57(1), 289-300.
    doi:10.1111/j.2517-6161.1995.tb02031.x

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"id": list("abcd")}, crs="EPSG:4326",
    ...     geometry=[box(118 + i / 10, -2, 118.1 + i / 10, -1.9) for i in range(4)])
    >>> w, _ = region_weights(cells, unit="id")
    >>> y = pd.Series([1.0, 2, 3, 4], index=list("abcd"))
    >>> local_moran_seeds(y, w, seeds=[1, 2], n_perm=99).attrs["range"]
    (0, 0)
    """
    seeds = list(seeds)
    if not seeds:
        raise ValidationError("local_moran_seeds: seeds is empty; give at least one seed")
    rows, sig = [], []
    for s in seeds:
        lisa = local_moran(y, graph, n_perm=n_perm, seed=s, alpha=alpha, correction=correction)
        counts = lisa["cluster"].value_counts()
        rows.append(
            {
                "seed": s,
                "n_significant": int((lisa["cluster"] != "ns").sum()),
                **{q: int(counts.get(q, 0)) for q in ("HH", "LL", "LH", "HL")},
            }
        )
        sig.append(set(lisa.loc[lisa["cluster"] != "ns", "id"]))
    out = pd.DataFrame(rows)
    out.attrs["range"] = (int(out["n_significant"].min()), int(out["n_significant"].max()))
    out.attrs["unstable_regions"] = sorted(set.union(*sig) - set.intersection(*sig))
    out.attrs.update(n_perm=n_perm, permutations=n_perm, alpha=alpha, correction=correction)
    return out
