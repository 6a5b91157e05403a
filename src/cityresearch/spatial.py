"""Spatial weights and spatial autocorrelation for Indonesian regions.

Built on libpysal (weights) and esda (Moran's I, LISA); this module adds what
an archipelago needs and what a careful analysis reports.

Contiguity in an archipelago
----------------------------
Queen contiguity (regions sharing any boundary point) leaves island regions
without neighbours: Kepulauan Seribu, Simeulue, Nias's regencies, many of
Maluku's and NTT's. Dropping them would bias every statistic, so each region
with no land neighbour is joined to its ``k`` nearest regions (distance
between representative points in the equal-area projection), symmetrically.
Because the source polygons were simplified one by one, true neighbours
can be separated by slivers or overlap slightly; contiguity is therefore
"fuzzy": polygons within ``tolerance`` metres of each other are neighbours.

Multiple testing
----------------
Local Moran's I tests every region; at alpha 0.05 about 26 of 514 regions
would be "significant" by chance. :func:`local_moran` applies the
Benjamini-Hochberg false discovery rate (default) or Bonferroni before
labelling clusters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError

__all__ = ["region_weights", "moran", "local_moran"]


def _esda():
    """Import esda quietly (its tqdm import warns about widgets in notebooks)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import esda
    return esda


def region_weights(gdf=None, *, tolerance: float = 500.0, island_k: int = 1,
                   index: str = "bps_code"):
    """Fuzzy queen contiguity of regions, islands joined to their nearest regions.

    Parameters
    ----------
    gdf : GeoDataFrame, optional
        Regions to weight (default: the 514 kab/kota). Projected to the
        equal-area map CRS before measuring.
    tolerance : float
        Metres: polygons closer than this are neighbours (slivers between
        separately simplified polygons).
    island_k : int
        Neighbours given to each region with no contiguous neighbour.
    index : str
        Column that becomes the weights' ids.

    Returns
    -------
    (libpysal.graph.Graph, list)
        Binary (not standardised) graph indexed by ``index``, and the ids that
        were islands (each now has ``island_k`` neighbours or more).
    """
    from libpysal.graph import Graph

    from cityresearch import data
    from cityresearch.maps import CRS

    if gdf is None:
        gdf = data.load_boundaries("kabkota")
    if index not in gdf.columns:
        raise ValidationError(f"index column {index!r} is not in the regions")
    g = gdf.to_crs(CRS).set_index(index)
    if not g.index.is_unique:
        raise ValidationError(f"{index} has duplicates")
    cont = Graph.build_fuzzy_contiguity(g.geometry, buffer=tolerance / 2)
    islands = list(cont.isolates)
    if not islands:
        return cont, []
    pts = g.geometry.representative_point()
    xy = np.column_stack([pts.x, pts.y])
    adj = cont.adjacency.reset_index()
    adj = adj[adj["focal"] != adj["neighbor"]] if len(adj) else adj
    edges = set(zip(adj["focal"], adj["neighbor"]))
    ids = list(g.index)
    pos = {c: i for i, c in enumerate(ids)}
    for c in islands:
        d = np.hypot(*(xy - xy[pos[c]]).T)
        d[pos[c]] = np.inf
        for j in np.argsort(d)[:island_k]:
            edges.add((c, ids[j]))
            edges.add((ids[j], c))
    focal, neighbor = zip(*sorted(edges, key=lambda e: (pos[e[0]], pos[e[1]])))
    graph = Graph.from_arrays(np.array(focal), np.array(neighbor), np.ones(len(focal)))
    return graph, islands


def _align(y, graph):
    y = pd.Series(y) if not isinstance(y, pd.Series) else y
    ids = list(graph.unique_ids)
    missing = sorted(set(ids) - set(y.index))
    extra = sorted(set(y.index) - set(ids))
    if missing or extra:
        raise ValidationError(
            f"values and weights do not cover the same regions: {len(missing)} regions of the "
            f"weights have no value (e.g. {missing[:5]}), {len(extra)} values have no region in "
            f"the weights (e.g. {extra[:5]}); subset the weights with graph.subgraph(ids)")
    v = y.reindex(ids).to_numpy(dtype=float)
    if np.isnan(v).any():
        raise ValidationError("values have missing entries; spatial statistics need all regions")
    return v, ids


def moran(y, graph, *, permutations: int = 999, seed: int = 12345):
    """Global Moran's I with permutation inference (row-standardised weights).

    ``y`` is a Series indexed like the graph's ids. Returns the esda.Moran
    object: ``I``, ``EI``, ``p_sim`` (pseudo p-value), ``z_sim``, ``p_norm``.
    """
    esda = _esda()
    v, _ = _align(y, graph)
    np.random.seed(seed)  # esda draws permutations from numpy's global generator
    return esda.Moran(v, graph.transform("r").to_W(), permutations=permutations)


def local_moran(y, graph, *, permutations: int = 999, seed: int = 12345, alpha: float = 0.05,
                correction: str = "fdr") -> pd.DataFrame:
    """Local Moran's I (LISA) with a multiple-testing correction.

    Returns one row per region: ``Is``, ``p_sim`` (folded permutation p-value),
    ``p_adj`` (Benjamini-Hochberg with ``correction="fdr"``, Bonferroni with
    ``"bonferroni"``, unadjusted with ``"none"``), ``quadrant`` (HH, LH, LL, HL)
    and ``cluster``: the quadrant where ``p_adj < alpha``, else ``"ns"``.
    """
    from statsmodels.stats.multitest import multipletests

    esda = _esda()

    if correction not in ("fdr", "bonferroni", "none"):
        raise ValidationError("correction must be 'fdr', 'bonferroni' or 'none'")
    v, ids = _align(y, graph)
    lisa = esda.Moran_Local(v, graph.transform("r").to_W(), permutations=permutations,
                            seed=seed)
    p = lisa.p_sim
    if correction == "none":
        p_adj = p
    else:
        p_adj = multipletests(p, method="fdr_bh" if correction == "fdr" else "bonferroni")[1]
    quad = pd.Series(lisa.q).map({1: "HH", 2: "LH", 3: "LL", 4: "HL"}).to_numpy()
    return pd.DataFrame({"id": ids, "Is": lisa.Is, "p_sim": p, "p_adj": p_adj,
                         "quadrant": quad,
                         "cluster": np.where(p_adj < alpha, quad, "ns")})
