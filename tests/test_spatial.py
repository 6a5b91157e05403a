"""Spatial weights and autocorrelation, validated on libpysal's Columbus data,
on the real boundaries (distances measured independently with shapely) and on
small grids with hand-computed values."""

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
from libpysal.graph import Graph
from scipy.sparse.csgraph import connected_components
from shapely.geometry import box

from cityresearch import data, panels, spatial
from cityresearch._errors import ValidationError


def test_columbus_reference_value():
    # Anselin's Columbus crime data: queen, row-standardised: I = 0.500188557, E[I] = -1/48
    df = gpd.read_file(libpysal.examples.get_path("columbus.shp"))
    g = Graph.build_contiguity(df, rook=False)
    m = spatial.moran(df["CRIME"], g, n_perm=999, seed=1)
    assert m.I == pytest.approx(0.500188557, abs=1e-9)
    assert m.EI == pytest.approx(-0.0208333, abs=1e-7)
    assert m.p_sim == pytest.approx(0.001)
    local = spatial.local_moran(df["CRIME"], g, seed=1, n_perm=999)
    # esda scales local I by (n - 1): their mean is I * (n - 1) / n
    assert local["Is"].mean() == pytest.approx(m.I * 48 / 49, rel=1e-8)
    assert set(local["cluster"]) <= {"HH", "LL", "LH", "HL", "ns"}
    assert (local["p_adj"] >= local["p_sim"]).all()
    assert local.attrs["permutations"] == 999


def _moran_numpy(y: pd.Series, graph) -> float:
    """Moran's I with row-standardised weights, from the adjacency list directly."""
    ids = list(graph.unique_ids)
    pos = {c: i for i, c in enumerate(ids)}
    W = np.zeros((len(ids), len(ids)))
    adj = graph.adjacency.reset_index()
    for f, n_, w in zip(adj["focal"], adj["neighbor"], adj["weight"], strict=True):
        if f != n_:
            W[pos[f], pos[n_]] = w
    W = W / W.sum(axis=1, keepdims=True)
    z = y.reindex(ids).to_numpy() - y.mean()
    return len(z) / W.sum() * (z @ W @ z) / (z @ z)


@pytest.fixture(scope="module")
def weights():
    return spatial.region_weights(panels.region_boundaries())


@pytest.fixture(scope="module")
def boundaries():
    return data.load_boundaries("kabkota").set_index("bps_code")


@pytest.mark.data
@pytest.mark.slow
def test_archipelago_weights_keep_every_region(weights):
    g, islands = weights
    assert g.n == 514 and len(g.isolates) == 0
    assert "3101" in islands and len(islands) == 31  # Kepulauan Seribu has no land neighbour
    card = g.cardinalities
    assert (card[islands] >= 1).all()
    # Kota Blitar's only neighbour is Kabupaten Blitar
    assert list(g["3572"].index) == ["3505"]
    # symmetric
    adj = g.adjacency.reset_index()
    pairs = set(zip(adj["focal"], adj["neighbor"], strict=True))
    assert all((b, a) in pairs for a, b in pairs)


def _utm(lon: float) -> str:
    return f"EPSG:{32700 + int((lon + 180) // 6) + 1}"  # southern-hemisphere UTM zone


@pytest.mark.data
@pytest.mark.slow
def test_islands_link_to_the_nearest_polygon(weights, boundaries):
    links = weights.links.set_index("island")
    # the cases of the issue: Selayar -> Bulukumba, Natuna -> Sambas
    assert links.loc["7301", "neighbor"] == "7302" and links.loc["2103", "neighbor"] == "6101"
    assert links.loc["7301", "neighbor_name"] == "Kabupaten Bulukumba"
    # every island: its nearest region by a direct shapely distance in the island's own UTM zone
    for island, row in links.iterrows():
        lon = boundaries.loc[island].geometry.centroid.x
        proj = boundaries.geometry.to_crs(_utm(lon))
        d = proj.distance(proj.loc[island]).drop(island)
        assert row["neighbor"] == d.idxmin(), island
        assert row["distance_km"] == pytest.approx(d.min() / 1000, rel=0.03, abs=0.2), island
    assert links.loc["7301", "distance_km"] == pytest.approx(10.2, abs=0.5)
    assert links.loc["2103", "distance_km"] == pytest.approx(28.4, abs=1.0)


@pytest.mark.data
@pytest.mark.slow
def test_components_and_the_choice_of_link(weights):
    g = weights.graph
    ids = list(g.unique_ids)
    pos = {c: i for i, c in enumerate(ids)}
    adj = g.adjacency.reset_index()
    from scipy.sparse import coo_matrix

    m = coo_matrix(
        (np.ones(len(adj)), ([pos[a] for a in adj["focal"]], [pos[b] for b in adj["neighbor"]])),
        shape=(514, 514),
    )
    n, labels = connected_components(m, directed=False)
    assert weights.n_components == n == 24
    # same partition as scipy's
    assert pd.crosstab(weights.components.reindex(ids).to_numpy(), labels).gt(0).sum().eq(1).all()
    assert weights.component_table["n_regions"].sum() == 514
    assert weights.component_table["n_regions"].is_monotonic_decreasing
    old = spatial.region_weights(panels.region_boundaries(), link="centroid")
    assert old.links.set_index("island").loc["7301", "neighbor"] == "5319"  # Manggarai Timur
    assert old.n_components == 22
    p = data.load_district_panel()
    y = np.log(p[p["year"] == 2019].set_index("bps_code")["grdp_pc_idr_k"])
    for w, expected in ((weights, 0.461), (old, 0.486)):
        m = spatial.moran(y, w.graph, n_perm=9, seed=1)
        assert m.I == pytest.approx(_moran_numpy(y, w.graph), rel=1e-10)
        assert m.I == pytest.approx(expected, abs=5e-4)


@pytest.mark.data
@pytest.mark.slow
def test_moran_on_grdp_and_errors(weights):
    g, _ = weights
    p = data.load_district_panel()
    y = np.log(p[p["year"] == 2019].set_index("bps_code")["grdp_pc_idr_k"])
    m = spatial.moran(y, g, n_perm=99, seed=3)
    assert 0.3 < m.I < 0.7 and m.p_sim == pytest.approx(0.01)
    with pytest.raises(ValidationError, match="1 regions of the weights have no value"):
        spatial.moran(y.drop("3505"), g)
    a = spatial.local_moran(y, g, n_perm=99, seed=3)
    b = spatial.local_moran(y, g, n_perm=99, seed=3)
    pd.testing.assert_frame_equal(a, b)  # seeded: identical


@pytest.mark.data
@pytest.mark.slow
def test_lisa_count_is_stable_across_seeds(weights):
    p = data.load_district_panel()
    y = np.log(p[p["year"] == 2019].set_index("bps_code")["grdp_pc_idr_k"])
    few = spatial.local_moran_seeds(y, weights.graph, seeds=range(6), n_perm=999)
    many = spatial.local_moran_seeds(y, weights.graph, seeds=range(3))
    assert many.attrs["permutations"] == 99_999
    lo, hi = many.attrs["range"]
    assert hi - lo <= 1 < few.attrs["range"][1] - few.attrs["range"][0]
    assert (many["n_significant"] == many[["HH", "LL", "LH", "HL"]].sum(axis=1)).all()


@pytest.mark.data
@pytest.mark.slow
def test_two_neighbours_for_islands(boundaries):
    w = spatial.region_weights(panels.region_boundaries(), island_k=2)
    links = w.links
    assert (
        links.groupby("island")["rank"].apply(list)
        == pd.Series([[1, 2]] * 31, index=sorted(links["island"].unique()))
    ).all()
    first = links[links["rank"] == 1].set_index("island")["distance_km"]
    second = links[links["rank"] == 2].set_index("island")["distance_km"]
    assert (second >= first).all()
    assert (w.graph.cardinalities[w.islands] >= 2).all()


# --- small grids and bad input (no data files) ----------------------------------------------


def _cells(n=4, gap=None):
    """n unit squares of 0.1 degree in a row near 118 E (an optional gap before the last)."""
    xs = [118 + i / 10 for i in range(n)]
    if gap:
        xs[-1] += gap
    return gpd.GeoDataFrame(
        {"id": [chr(97 + i) for i in range(n)], "name": [f"R{i}" for i in range(n)]},
        crs="EPSG:4326",
        geometry=[box(x, -2, x + 0.1, -1.9) for x in xs],
    )


def test_small_grid_links_and_moran_by_hand():
    cells = _cells(4, gap=0.3)  # d is 0.3 degrees east of c: an island
    w = spatial.region_weights(cells, unit="id")
    assert w.islands == ["d"] and w.links["neighbor"].tolist() == ["c"]
    proj = cells.to_crs(_utm(118)).set_index("id").geometry
    assert w.links["distance_km"].item() == pytest.approx(
        proj["d"].distance(proj["c"]) / 1000, rel=0.01
    )
    assert w.n_components == 1 and w.links["neighbor_name"].item() == "R2"
    y = pd.Series([1.0, 2, 3, 4], index=list("abcd"))
    # path a-b-c-d, row-standardised: I = (4/4) * 2 / 5
    assert spatial.moran(y, w.graph, n_perm=9).I == pytest.approx(0.4)
    assert spatial.moran(y, w, n_perm=9).I == pytest.approx(0.4)  # RegionWeights: its graph


def test_components_of_two_separate_groups():
    far = pd.concat(
        [_cells(2), _cells(2).assign(id=["x", "y"], geometry=lambda d: d.geometry.translate(0, 3))],
        ignore_index=True,
    )
    far = gpd.GeoDataFrame(far, crs="EPSG:4326")
    w = spatial.region_weights(far, unit="id")
    assert w.islands == [] and w.n_components == 2
    assert w.components.to_dict() == {"a": 0, "b": 0, "x": 1, "y": 1}


GRID_Y = pd.Series([1.0, 2, 3, 4], index=list("abcd"))


def _isolated_graph():
    return Graph.from_arrays(
        np.array(["a", "b", "c", "d"]),
        np.array(["b", "a", "c", "d"]),
        np.array([1.0, 1.0, 0.0, 0.0]),
    )


BAD = [
    ("moran constant", lambda w: spatial.moran(GRID_Y * 0 + 2, w), r"y is constant \(2"),
    (
        "moran n_perm=0",
        lambda w: spatial.moran(GRID_Y, w, n_perm=0),
        r"n_perm must be >= 1; got 0",
    ),
    ("moran array", lambda w: spatial.moran(GRID_Y.to_numpy(), w), r"y must be a pandas Series"),
    (
        "moran duplicate ids",
        lambda w: spatial.moran(pd.concat([GRID_Y, GRID_Y.iloc[:1]]), w),
        r"duplicate ids \['a'\]",
    ),
    (
        "moran text",
        lambda w: spatial.moran(GRID_Y.astype(str), w),
        r"column 'y' must hold numbers but holds text: row a '1.0'",
    ),
    (
        "moran missing",
        lambda w: spatial.moran(GRID_Y.where(GRID_Y != 3), w),
        r"values are missing for 1 regions \(\['c'\]\)",
    ),
    (
        "moran isolates",
        lambda w: spatial.moran(GRID_Y, _isolated_graph()),
        r"2 regions have no neighbour.*\['c', 'd'\]",
    ),
    ("lisa constant", lambda w: spatial.local_moran(GRID_Y * 0, w), r"y is constant"),
    (
        "lisa alpha=5",
        lambda w: spatial.local_moran(GRID_Y, w, alpha=5),
        r"alpha must be in \(0, 1\); got 5",
    ),
    (
        "lisa correction",
        lambda w: spatial.local_moran(GRID_Y, w, correction="holm"),
        r"correction must be one of 'fdr', 'bonferroni', 'none'; got 'holm'",
    ),
    (
        "lisa n_perm=0",
        lambda w: spatial.local_moran(GRID_Y, w, n_perm=0),
        r"n_perm must be >= 1; got 0",
    ),
    (
        "lisa seeds empty",
        lambda w: spatial.local_moran_seeds(GRID_Y, w, seeds=[]),
        r"seeds is empty",
    ),
    (
        "weights k=0",
        lambda w: spatial.region_weights(_cells(), unit="id", island_k=0),
        r"island_k must be >= 1; got 0",
    ),
    (
        "weights k too large",
        lambda w: spatial.region_weights(_cells(), unit="id", island_k=4),
        r"island_k=4 must be below the number of regions \(4\)",
    ),
    (
        "weights tolerance",
        lambda w: spatial.region_weights(_cells(), unit="id", tolerance=-5),
        r"tolerance must be > 0; got -5",
    ),
    (
        "weights link",
        lambda w: spatial.region_weights(_cells(), unit="id", link="nearest"),
        r"link must be one of 'polygon', 'centroid'; got 'nearest'",
    ),
    (
        "weights no crs",
        lambda w: spatial.region_weights(_cells().set_crs(None, allow_override=True), unit="id"),
        r"gdf has no CRS",
    ),
    (
        "weights empty",
        lambda w: spatial.region_weights(_cells().iloc[:0], unit="id"),
        r"at least 2 regions; got 0",
    ),
    (
        "weights one region",
        lambda w: spatial.region_weights(_cells().iloc[:1], unit="id"),
        r"at least 2 regions; got 1",
    ),
    (
        "weights duplicate ids",
        lambda w: spatial.region_weights(_cells().assign(id="a"), unit="id"),
        r"4 rows share a id key: id a",
    ),
    (
        "weights missing id",
        lambda w: spatial.region_weights(_cells().assign(id=[None, "b", "c", "d"]), unit="id"),
        r"missing value in 'id': row 0",
    ),
    (
        "weights index column",
        lambda w: spatial.region_weights(_cells(), unit="bps_code"),
        r"lack column.*'bps_code'",
    ),
    (
        "weights frame",
        lambda w: spatial.region_weights(pd.DataFrame({"id": [1, 2]}), unit="id"),
        r"gdf must be a GeoDataFrame of the regions. polygons, not DataFrame; "
        r".*region_boundaries\(\)",
    ),
    (
        "weights no frame (issue 14: nothing is loaded)",
        lambda w: spatial.region_weights(),
        r"region_weights: pass the regions' boundaries as a GeoDataFrame; this function does "
        r"not load data\. For the 514 kab/kota: "
        r"region_weights\(cityresearch\.panels\.region_boundaries\(\)\)",
    ),
    (
        "weights None",
        lambda w: spatial.region_weights(None, island_k=2),
        r"pass the regions' boundaries",
    ),
    # issue 11 probe: infinite values and a graph that is not a Graph
    (
        "moran inf",
        lambda w: spatial.moran(GRID_Y.where(GRID_Y != 3, np.inf), w),
        r"moran: column 'y' holds 1 infinite value \(inf\) at row c",
    ),
    (
        "lisa -inf",
        lambda w: spatial.local_moran(GRID_Y.where(GRID_Y != 1, -np.inf), w, n_perm=9),
        r"local_moran: column 'y' holds 1 infinite value \(-inf\) at row a",
    ),
    (
        "moran graph dict",
        lambda w: spatial.moran(GRID_Y, {"a": ["b"]}, n_perm=9),
        r"moran: graph must be a libpysal.graph.Graph, e.g. region_weights\(.*\).graph, not dict",
    ),
    (
        "lisa graph frame",
        lambda w: spatial.local_moran(GRID_Y, pd.DataFrame(), n_perm=9),
        r"local_moran: graph must be a libpysal.graph.Graph.*not DataFrame",
    ),
]


@pytest.mark.parametrize(("label", "call", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_named(label, call, message):
    w = spatial.region_weights(_cells(), unit="id").graph
    with pytest.raises(ValidationError, match=message) as info:
        call(w)
    assert type(info.value) is ValidationError


# --- issue 17: one vocabulary (unit=, n_perm=) and a result object for Moran's I ---------------


def test_old_keywords_warn_and_give_the_same_result():
    from cityresearch._errors import CityResearchDeprecationWarning

    cells = _cells(4, gap=0.3)
    with pytest.warns(CityResearchDeprecationWarning, match=r"use region_weights\(unit=\.\.\.\)"):
        old_w = spatial.region_weights(cells, index="id")
    new_w = spatial.region_weights(cells, unit="id")
    assert old_w.islands == new_w.islands == ["d"]
    pd.testing.assert_frame_equal(old_w.links, new_w.links)
    g = new_w.graph
    with pytest.warns(CityResearchDeprecationWarning, match=r"use moran\(n_perm=\.\.\.\)"):
        m_old = spatial.moran(GRID_Y, g, permutations=19, seed=4)
    m_new = spatial.moran(GRID_Y, g, n_perm=19, seed=4)
    assert dict(m_old) == dict(m_new) and m_new.I == pytest.approx(0.4)
    with pytest.warns(CityResearchDeprecationWarning, match=r"use local_moran\(n_perm=\.\.\.\)"):
        l_old = spatial.local_moran(GRID_Y, g, permutations=19, seed=4)
    l_new = spatial.local_moran(GRID_Y, g, n_perm=19, seed=4)
    pd.testing.assert_frame_equal(l_old, l_new)
    assert l_new.attrs["n_perm"] == l_new.attrs["permutations"] == 19
    with pytest.warns(
        CityResearchDeprecationWarning, match=r"use local_moran_seeds\(n_perm=\.\.\.\)"
    ):
        s_old = spatial.local_moran_seeds(GRID_Y, g, seeds=[1, 2], permutations=19)
    pd.testing.assert_frame_equal(
        s_old, spatial.local_moran_seeds(GRID_Y, g, seeds=[1, 2], n_perm=19)
    )


def test_moran_result_tidy_summary_and_mapping():
    g = spatial.region_weights(_cells(), unit="id").graph
    m = spatial.moran(GRID_Y, g, n_perm=99, seed=1)
    # path a-b-c-d, row-standardised: I = 2/5; E[I] = -1/(n-1) = -1/3
    assert m.I == pytest.approx(0.4) and m.EI == pytest.approx(-1 / 3)
    assert m["I"] == m.I and m.n == 4 and m.n_perm == 99 and m.seed == 1
    assert sorted(m) == ["EI", "I", "n", "n_perm", "p_norm", "p_sim", "seed", "z_sim"]
    assert m.p_sim == pytest.approx(m.esda.p_sim) and len(m.esda.sim) == 99
    assert m.p_sim >= 1 / 100
    row = m.tidy().iloc[0]
    assert row["term"] == "Moran's I" and row["estimate"] == pytest.approx(0.4)
    assert row["expected"] == pytest.approx(-1 / 3) and row["n_obs"] == 4
    assert (row["statistic"], row["p_value"], row["p_value_norm"]) == (m.z_sim, m.p_sim, m.p_norm)
    assert np.isnan(row["conf_low"]) and np.isnan(row["conf_high"])
    assert m.summary().startswith("Moran's I = 0.4000 (E[I] = -0.3333), pseudo p = ")
    assert m.summary().endswith("with 99 permutations (seed 1); 4 regions")


def test_region_weights_summary_and_tidy():
    w = spatial.region_weights(_cells(4, gap=0.3), unit="id")
    assert w.tidy()["neighbor"].tolist() == ["c"]
    d = w.links["distance_km"].item()
    assert w.summary() == (
        "RegionWeights: 4 regions, 1 without a land neighbour linked to their 1 nearest "
        f"(polygon distance); longest link {d:.1f} km; 1 connected components"
    )
