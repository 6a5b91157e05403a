"""Distribution dynamics: hand-computed chains, giddy's own examples, spreg impacts."""

import numpy as np
import pandas as pd
import pytest

from cityresearch import dynamics
from cityresearch._errors import ValidationError


def _long(wide: pd.DataFrame, name="v"):
    out = wide.rename_axis(index="bps_code", columns="year").stack().rename(name).reset_index()
    return out


# --- Markov chains by hand ----------------------------------------------------------------

def test_transition_matrix_of_hand_sequences():
    # classes with cut-offs 1.5 and 2.5: values 1 -> class 0, 2 -> 1, 3 -> 2
    seqs = {"a": [1, 1, 2, 3], "b": [2, 1, 1, 2], "c": [3, 3, 2, 2]}
    wide = pd.DataFrame(seqs, index=[2000, 2001, 2002, 2003]).T.astype(float)
    res = dynamics.markov_chain(_long(wide), "v", cutoffs=[1.5, 2.5])
    # transitions: a 0-0, 0-1, 1-2; b 1-0, 0-0, 0-1; c 2-2, 2-1, 1-1
    expected = np.array([[2, 2, 0], [1, 1, 1], [0, 1, 1]])
    np.testing.assert_array_equal(res.counts.to_numpy(), expected)
    np.testing.assert_allclose(res.P.to_numpy(), expected / expected.sum(axis=1, keepdims=True))
    assert res.initial.tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])
    assert res.final.tolist() == pytest.approx([0, 2 / 3, 1 / 3])
    # Shorrocks: (k - trace P) / (k - 1) = (3 - (1/2 + 1/3 + 1/2)) / 2
    assert res.mobility["shorrocks"] == pytest.approx((3 - (0.5 + 1 / 3 + 0.5)) / 2)
    P = res.P.to_numpy()
    assert res.ergodic.to_numpy() @ P == pytest.approx(res.ergodic.to_numpy())
    assert res.ergodic.sum() == pytest.approx(1)


def test_two_state_ergodic_distribution_formula():
    # a two-state chain with P = [[1-a, a], [b, 1-b]] settles at (b, a) / (a + b)
    rng = np.random.default_rng(0)
    a, b, n, T = 0.2, 0.4, 400, 30
    state = rng.integers(0, 2, n)
    rows = [state.copy()]
    for _ in range(T - 1):
        u = rng.random(n)
        state = np.where(state == 0, (u < a).astype(int), (u >= b).astype(int))
        rows.append(state.copy())
    wide = pd.DataFrame(np.array(rows).T.astype(float), columns=range(T))
    res = dynamics.markov_chain(_long(wide), "v", cutoffs=[0.5])
    p01, p10 = res.P.iloc[0, 1], res.P.iloc[1, 0]
    assert res.ergodic.tolist() == pytest.approx([p10 / (p01 + p10), p01 / (p01 + p10)])
    assert p01 == pytest.approx(a, abs=0.03) and p10 == pytest.approx(b, abs=0.03)


def test_quantile_classes_are_pooled_over_years():
    wide = pd.DataFrame(np.arange(20, dtype=float).reshape(4, 5))
    with pytest.warns(UserWarning, match="not unique"):  # nobody ever changes class
        res = dynamics.markov_chain(_long(wide), "v", k=4)
    assert res.ergodic.isna().all()
    np.testing.assert_allclose(res.cutoffs, np.quantile(np.arange(20), [0.25, 0.5, 0.75]))


def test_markov_refuses_unbalanced_panels_and_bad_cutoffs():
    p = pd.DataFrame({"bps_code": ["a", "a", "b"], "year": [1, 2, 1], "v": [1.0, 2, 3]})
    with pytest.raises(ValidationError, match=r"b \(year 2\)"):
        dynamics.markov_chain(p, "v")
    q = pd.DataFrame({"bps_code": list("aabb"), "year": [1, 2] * 2, "v": [1.0, 2, 3, 4]})
    with pytest.raises(ValidationError, match="increase"):
        dynamics.markov_chain(q, "v", cutoffs=[2, 1])


# --- spatial Markov against giddy's own example --------------------------------------------

def _usjoin():
    import libpysal
    from libpysal.graph import Graph

    f = libpysal.io.open(libpysal.examples.get_path("usjoin.csv"))
    names = f.by_col["Name"]
    pci = np.array([f.by_col[str(y)] for y in range(1929, 2010)]).T
    w = libpysal.io.open(libpysal.examples.get_path("states48.gal")).read()
    graph = Graph.from_W(w)
    wide = pd.DataFrame(pci / pci.mean(axis=0), index=w.id_order, columns=range(1929, 2010))
    return wide, graph, names


def test_spatial_markov_reproduces_giddy_documented_example():
    """giddy.markov.Spatial_Markov docstring: US state relative incomes 1929-2009,
    k = m = 5 pooled quantiles; P for the poorest lag class."""
    wide, graph, _ = _usjoin()
    res = dynamics.spatial_markov(_long(wide), "v", graph, k=5, m=5)
    P0 = list(res.P.values())[0].to_numpy()
    expected = np.array([
        [0.96341463, 0.0304878, 0.00609756, 0.0, 0.0],
        [0.06040268, 0.83221477, 0.10738255, 0.0, 0.0],
        [0.0, 0.14, 0.74, 0.12, 0.0],
        [0.0, 0.03571429, 0.32142857, 0.57142857, 0.07142857],
        [0.0, 0.0, 0.0, 0.16666667, 0.83333333]])
    np.testing.assert_allclose(P0, expected, atol=1e-8)
    assert res.P_global.iloc[0, 0] == pytest.approx(0.91461837, abs=1e-6)


def test_spatial_markov_equals_hand_count_with_shuffled_rows():
    """An independent count: class of each unit and of its neighbours' mean,
    transitions tallied by the lag class at the start of the year. The panel's
    row order differs from the weights' order on purpose."""
    wide, graph, _ = _usjoin()
    wide = wide.iloc[:, :12]
    res = dynamics.spatial_markov(_long(wide.sample(frac=1, random_state=1)), "v", graph, k=3, m=3)
    ids = list(graph.unique_ids)
    y = wide.loc[ids].to_numpy()
    W = graph.transform("r").sparse.toarray()
    lag = W @ y
    cy = np.searchsorted(np.quantile(y, [1 / 3, 2 / 3]), y, side="left")
    cl = np.searchsorted(np.quantile(lag, [1 / 3, 2 / 3]), lag, side="left")
    counts = np.zeros((3, 3, 3), int)
    for t in range(y.shape[1] - 1):
        for i in range(y.shape[0]):
            counts[cl[i, t], cy[i, t], cy[i, t + 1]] += 1
    got = np.stack([c.to_numpy() for c in res.counts.values()])
    np.testing.assert_array_equal(got, counts)


def test_spatial_markov_refuses_mismatched_units():
    wide, graph, _ = _usjoin()
    with pytest.raises(ValidationError, match="different units"):
        dynamics.spatial_markov(_long(wide.iloc[1:]), "v", graph)


# --- relative income, densities, ranks ----------------------------------------------------

def test_relative_income_national_and_province():
    p = pd.DataFrame({"bps_code": list("abcd"), "year": 2000, "prov": ["x", "x", "y", "y"],
                      "v": [1.0, 3.0, 10.0, 30.0]})
    nat = dynamics.relative_income(p, "v")["rel_v"].tolist()
    assert nat == pytest.approx([1 / 11, 3 / 11, 10 / 11, 30 / 11])
    prov = dynamics.relative_income(p, "v", to="province", group="prov")["rel_v"].tolist()
    assert prov == pytest.approx([0.5, 1.5, 0.5, 1.5])
    with pytest.raises(ValidationError, match="bps_code b in 2000 = 0"):
        dynamics.relative_income(p.assign(v=[1.0, 0, 1, 1]), "v")


def test_rank_mobility_by_hand():
    p = pd.DataFrame({"bps_code": list("abcdabcd"), "year": [1] * 4 + [2] * 4,
                      "v": [1.0, 2, 3, 4, 2, 1, 3, 4]})
    r = dynamics.rank_mobility(p, "v", 1, 2, k=2)
    # one discordant pair of 6: tau = (5 - 1) / 6
    assert r["kendall_tau"] == pytest.approx(4 / 6)
    assert r["mean_abs_rank_change"] == pytest.approx(0.5)
    assert r["share_changed_group"] == 0.0


def test_kernel_density_integrates_to_one():
    rng = np.random.default_rng(4)
    p = pd.DataFrame({"year": np.repeat([1, 2], 200), "v": rng.normal(0, 1, 400)})
    d = dynamics.kernel_densities(p, "v", [1, 2], grid=np.linspace(-8, 8, 1601))
    for _, g in d.groupby("year"):
        assert np.trapezoid(g["density"], g["x"]) == pytest.approx(1, abs=1e-3)


# --- beta convergence: OLS by hand, SAR impacts against spreg ----------------------------

def test_beta_convergence_ols_and_sar_impacts_match_spreg():
    import spreg

    wide, graph, _ = _usjoin()
    panel = _long(wide * 1000, "pci")
    res = dynamics.beta_convergence(panel, "pci", 1929, 2009, graph)
    ids = list(graph.unique_ids)
    y0, y1 = wide.loc[ids, 1929].to_numpy() * 1000, wide.loc[ids, 2009].to_numpy() * 1000
    g = 100 * np.log(y1 / y0) / 80
    slope = np.polyfit(np.log(y0), g, 1)[0]
    assert res.loc["OLS", "beta"] == pytest.approx(slope)
    assert res.loc["OLS", "beta"] < 0
    assert res.loc["OLS", "speed_pct"] == pytest.approx(-np.log(1 + slope * 80 / 100) / 80 * 100)
    w = graph.transform("r").to_W()
    lag = spreg.ML_Lag(g.reshape(-1, 1), np.log(y0).reshape(-1, 1), w, method="full",
                       spat_impacts="full")
    adi, aii, ati = lag.sp_multipliers["full"]
    b = lag.betas[1, 0]
    assert res.loc["SAR", "direct"] == pytest.approx(b * adi, rel=1e-6)
    assert res.loc["SAR", "indirect"] == pytest.approx(b * aii, rel=1e-6)
    assert res.loc["SAR", "total"] == pytest.approx(b * ati, rel=1e-6)
    assert res.loc["SAR", "direct_lo"] < res.loc["SAR", "direct"] < res.loc["SAR", "direct_hi"]
    err = spreg.ML_Error(g.reshape(-1, 1), np.log(y0).reshape(-1, 1), w, method="full")
    assert res.loc["SEM", "spatial"] == pytest.approx(err.betas[2, 0])
