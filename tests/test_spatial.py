"""Spatial weights and autocorrelation, validated on libpysal's Columbus data."""

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
from libpysal.graph import Graph

from cityresearch import data, spatial
from cityresearch._errors import ValidationError


def test_columbus_reference_value():
    # Anselin's Columbus crime data: queen, row-standardised: I = 0.500188557, E[I] = -1/48
    df = gpd.read_file(libpysal.examples.get_path("columbus.shp"))
    g = Graph.build_contiguity(df, rook=False)
    m = spatial.moran(df["CRIME"], g, permutations=999, seed=1)
    assert m.I == pytest.approx(0.500188557, abs=1e-9)
    assert m.EI == pytest.approx(-0.0208333, abs=1e-7)
    assert m.p_sim == pytest.approx(0.001)
    local = spatial.local_moran(df["CRIME"], g, seed=1)
    # esda scales local I by (n - 1): their mean is I * (n - 1) / n
    assert local["Is"].mean() == pytest.approx(m.I * 48 / 49, rel=1e-8)
    assert set(local["cluster"]) <= {"HH", "LL", "LH", "HL", "ns"}
    assert (local["p_adj"] >= local["p_sim"]).all()


@pytest.fixture(scope="module")
def weights():
    return spatial.region_weights()


@pytest.mark.data
def test_archipelago_weights_keep_every_region(weights):
    g, islands = weights
    assert g.n == 514 and len(g.isolates) == 0
    assert "3101" in islands  # Kepulauan Seribu has no land neighbour
    card = g.cardinalities
    assert (card[islands] >= 1).all()
    # Kota Blitar's only neighbour is Kabupaten Blitar
    assert list(g["3572"].index) == ["3505"]
    # symmetric
    adj = g.adjacency.reset_index()
    pairs = set(zip(adj["focal"], adj["neighbor"]))
    assert all((b, a) in pairs for a, b in pairs)


@pytest.mark.data
def test_moran_on_grdp_and_errors(weights):
    g, _ = weights
    p = data.load_district_panel()
    y = np.log(p[p["year"] == 2019].set_index("bps_code")["grdp_pc_idr_k"])
    m = spatial.moran(y, g, permutations=99, seed=3)
    assert 0.3 < m.I < 0.7 and m.p_sim == pytest.approx(0.01)
    with pytest.raises(ValidationError, match="1 regions of the weights have no value"):
        spatial.moran(y.drop("3505"), g)
    with pytest.raises(ValidationError, match="correction"):
        spatial.local_moran(y, g, correction="holm")
    a = spatial.local_moran(y, g, permutations=99, seed=3)
    b = spatial.local_moran(y, g, permutations=99, seed=3)
    pd.testing.assert_frame_equal(a, b)  # seeded: identical
