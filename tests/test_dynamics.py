"""Distribution dynamics: hand-computed chains, giddy's own examples, spreg impacts."""

import numpy as np
import pandas as pd
import pytest

from cityresearch import dynamics
from cityresearch._errors import CityResearchDeprecationWarning, ValidationError


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
    P0 = next(iter(res.P.values())).to_numpy()
    expected = np.array(
        [
            [0.96341463, 0.0304878, 0.00609756, 0.0, 0.0],
            [0.06040268, 0.83221477, 0.10738255, 0.0, 0.0],
            [0.0, 0.14, 0.74, 0.12, 0.0],
            [0.0, 0.03571429, 0.32142857, 0.57142857, 0.07142857],
            [0.0, 0.0, 0.0, 0.16666667, 0.83333333],
        ]
    )
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
    p = pd.DataFrame(
        {
            "bps_code": list("abcd"),
            "year": 2000,
            "prov": ["x", "x", "y", "y"],
            "v": [1.0, 3.0, 10.0, 30.0],
        }
    )
    nat = dynamics.relative_income(p, "v")["rel_v"].tolist()
    assert nat == pytest.approx([1 / 11, 3 / 11, 10 / 11, 30 / 11])
    prov = dynamics.relative_income(p, "v", to="province", group="prov")["rel_v"].tolist()
    assert prov == pytest.approx([0.5, 1.5, 0.5, 1.5])
    with pytest.raises(ValidationError, match="bps_code b in 2000 = 0"):
        dynamics.relative_income(p.assign(v=[1.0, 0, 1, 1]), "v")


def test_rank_mobility_by_hand():
    p = pd.DataFrame(
        {"bps_code": list("abcdabcd"), "year": [1] * 4 + [2] * 4, "v": [1.0, 2, 3, 4, 2, 1, 3, 4]}
    )
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
    lag = spreg.ML_Lag(
        g.reshape(-1, 1), np.log(y0).reshape(-1, 1), w, method="full", spat_impacts="full"
    )
    adi, aii, ati = lag.sp_multipliers["full"]
    b = lag.betas[1, 0]
    assert res.loc["SAR", "direct"] == pytest.approx(b * adi, rel=1e-6)
    assert res.loc["SAR", "indirect"] == pytest.approx(b * aii, rel=1e-6)
    assert res.loc["SAR", "total"] == pytest.approx(b * ati, rel=1e-6)
    assert res.loc["SAR", "direct_lo"] < res.loc["SAR", "direct"] < res.loc["SAR", "direct_hi"]
    err = spreg.ML_Error(g.reshape(-1, 1), np.log(y0).reshape(-1, 1), w, method="full")
    assert res.loc["SEM", "spatial"] == pytest.approx(err.betas[2, 0])


# --- bad input: named errors that name the offender (issue 11) -----------------------------


def _panel(n=6, years=range(2000, 2006), seed=1):
    """n units u00.. x years, positive incomes that differ, provinces p0/p1."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        lvl, g = rng.uniform(5, 50), rng.normal(0.03, 0.01)
        for k, t in enumerate(years):
            rows.append((f"u{i:02d}", t, lvl * np.exp(g * k + rng.normal(0, 0.02)), f"p{i % 2}"))
    return pd.DataFrame(rows, columns=["bps_code", "year", "v", "prov"])


def _ring(ids):
    """Each unit's neighbours are the previous and the next one (a ring)."""
    import libpysal
    from libpysal.graph import Graph

    n = len(ids)
    neigh = {ids[i]: [ids[(i - 1) % n], ids[(i + 1) % n]] for i in range(n)}
    return Graph.from_W(libpysal.weights.W(neigh, silence_warnings=True))


P = _panel()
U0 = (P["bps_code"] == "u00") & (P["year"] == 2000)  # first row
U1 = (P["bps_code"] == "u01") & (P["year"] == 2001)


def _with(col, mask, value, frame=None):
    f = (P if frame is None else frame).copy()
    if isinstance(value, str):
        f[col] = f[col].astype(object)
    f.loc[mask, col] = value
    return f


def _many_ties():
    q = _panel(n=8)
    q["v"] = np.where(q["bps_code"] < "u07", 1.0, q["v"])
    return q


BAD_DYNAMICS = {
    # relative_income
    "rel duplicate unit-year": (
        lambda: dynamics.relative_income(pd.concat([P, P[U0]]), "v"),
        r"bps_code u00, year 2000",
    ),
    "rel decimal comma": (lambda: dynamics.relative_income(_with("v", U1, "1,5"), "v"), r"'1,5'"),
    "rel NaN province": (
        lambda: dynamics.relative_income(
            _with("prov", U1, np.nan), "v", to="province", group="prov"
        ),
        r"missing value in 'prov'.*bps_code u01, year 2001",
    ),
    "rel to misspelt": (
        lambda: dynamics.relative_income(P, "v", to="Province", group="prov"),
        r"to must be one of .*got 'Province'",
    ),
    "rel empty": (lambda: dynamics.relative_income(P.iloc[:0], "v"), r"empty"),
    "rel inf": (
        lambda: dynamics.relative_income(_with("v", U1, np.inf), "v"),
        r"infinite value.*row \d+ \(bps_code u01, year 2001\)",
    ),
    "rel group absent": (
        lambda: dynamics.relative_income(P, "v", to="province", group="province"),
        r"\['province'\]",
    ),
    "rel zero": (
        lambda: dynamics.relative_income(_with("v", U0, 0.0), "v"),
        r"bps_code u00 in 2000 = 0",
    ),
    "rel NaN value": (
        lambda: dynamics.relative_income(_with("v", U1, np.nan), "v"),
        r"missing value in 'v': row \d+ \(bps_code u01, year 2001\)",
    ),
    "rel group without province": (
        lambda: dynamics.relative_income(P, "v", group="prov"),
        r"group='prov' is used only with to='province'",
    ),
    "rel not a frame": (
        lambda: dynamics.relative_income(P.to_dict(), "v"),
        r"panel must be a pandas DataFrame, not dict",
    ),
    # kernel_densities
    "kde constant": (
        lambda: dynamics.kernel_densities(P.assign(v=1.0), "v", [2000]),
        r"'v' is constant in 2000",
    ),
    "kde text": (
        lambda: dynamics.kernel_densities(P.assign(v=P["v"].astype(str)), "v", [2000]),
        r"column 'v' must hold numbers but holds text",
    ),
    "kde NaN": (
        lambda: dynamics.kernel_densities(_with("v", U0, np.nan), "v", [2000]),
        r"missing value in 'v': row 0 \(bps_code u00, year 2000\).*missing='drop'",
    ),
    "kde years scalar": (
        lambda: dynamics.kernel_densities(P, "v", 2000),
        r"years must be a list of years .*got 2000",
    ),
    "kde bw bogus": (
        lambda: dynamics.kernel_densities(P, "v", [2000], bw_method="bogus"),
        r"bw_method must be one of 'scott', 'silverman'; got 'bogus'",
    ),
    "kde bw negative": (
        lambda: dynamics.kernel_densities(P, "v", [2000], bw_method=-1),
        r"bw_method must be > 0; got -1",
    ),
    "kde year absent": (lambda: dynamics.kernel_densities(P, "v", [1990]), r"years 1990 not in"),
    "kde grid decreasing": (
        lambda: dynamics.kernel_densities(P, "v", [2000], grid=[3, 2, 1]),
        r"grid must be at least 2 finite, increasing points",
    ),
    "kde duplicate unit-year": (
        lambda: dynamics.kernel_densities(pd.concat([P, P[U0]]), "v", [2000], unit="bps_code"),
        r"bps_code u00, year 2000",
    ),
    "kde inf": (
        lambda: dynamics.kernel_densities(_with("v", U0, -np.inf), "v", [2000]),
        r"infinite value.*row 0 \(bps_code u00, year 2000\)",
    ),
    # markov_chain
    "markov k=0": (lambda: dynamics.markov_chain(P, "v", k=0), r"k must be >= 2; got 0"),
    "markov k=1": (lambda: dynamics.markov_chain(P, "v", k=1), r"k must be >= 2; got 1"),
    "markov k text": (lambda: dynamics.markov_chain(P, "v", k="5"), r"k must be a number; got '5'"),
    "markov k fraction": (
        lambda: dynamics.markov_chain(P, "v", k=2.5),
        r"k must be a whole number; got 2.5",
    ),
    "markov constant": (
        lambda: dynamics.markov_chain(P.assign(v=1.0), "v", k=3),
        r"'v' is constant \(every value is 1\)",
    ),
    "markov ties": (
        lambda: dynamics.markov_chain(_many_ties(), "v", k=3),
        r"'v' has too many tied values for k=3",
    ),
    "markov numeric text": (
        lambda: dynamics.markov_chain(P.assign(v=P["v"].astype(str)), "v"),
        r"column 'v' must hold numbers but holds text",
    ),
    "markov decimal comma": (
        lambda: dynamics.markov_chain(_with("v", U1, "1,5"), "v", k=3),
        r"'1,5'",
    ),
    "markov inf": (
        lambda: dynamics.markov_chain(_with("v", U1, np.inf), "v", k=3),
        r"infinite value.*row \d+ \(bps_code u01, year 2001\)",
    ),
    "markov cutoffs unsorted": (
        lambda: dynamics.markov_chain(P, "v", cutoffs=[30, 10]),
        r"cutoffs must increase strictly; got \[30.0, 10.0\]",
    ),
    "markov cutoffs text": (
        lambda: dynamics.markov_chain(P, "v", cutoffs="10,30"),
        r"cutoffs must be a list of numbers; got '10,30'",
    ),
    "markov cutoffs NaN": (
        lambda: dynamics.markov_chain(P, "v", cutoffs=[np.nan]),
        r"cutoffs must be one or more finite numbers",
    ),
    "markov years gap": (
        lambda: dynamics.markov_chain(P, "v", k=3, years=[2000, 2003, 2005]),
        r"years jump from 2000 to 2003",
    ),
    "markov years descending": (
        lambda: dynamics.markov_chain(P, "v", k=3, years=[2004, 2003, 2002]),
        r"years must increase; 2003 comes after 2004",
    ),
    "markov panel gap": (
        lambda: dynamics.markov_chain(P[P["year"] != 2002], "v", k=3),
        r"the panel's years jump from 2001 to 2003",
    ),
    "markov one year": (
        lambda: dynamics.markov_chain(P, "v", k=3, years=[2000]),
        r"at least 2 consecutive years.*got 2000",
    ),
    "markov year absent": (
        lambda: dynamics.markov_chain(P, "v", k=3, years=[2005, 2006]),
        r"year 2006 is not in the data \(years 2000-2005\)",
    ),
    "markov by absent": (
        lambda: dynamics.markov_chain(P, "v", k=3, unit="region"),
        r"\['region'\]",
    ),
    "markov unbalanced": (
        lambda: dynamics.markov_chain(P[~U1], "v", k=3),
        r"1 unit lacks 'v' in some year: u01 \(year 2001\)",
    ),
    "markov missing misspelt": (
        lambda: dynamics.markov_chain(P, "v", missing="Drop"),
        r"missing must be one of 'raise', 'drop'; got 'Drop'",
    ),
    # rank_mobility
    "rank start==end": (
        lambda: dynamics.rank_mobility(P, "v", 2003, 2003),
        r"end \(2003\) must be after start \(2003\)",
    ),
    "rank end<start": (
        lambda: dynamics.rank_mobility(P, "v", 2005, 2000),
        r"end \(2000\) must be after start \(2005\)",
    ),
    "rank k=0": (lambda: dynamics.rank_mobility(P, "v", 2000, 2005, k=0), r"k must be >= 2"),
    "rank k above units": (
        lambda: dynamics.rank_mobility(P, "v", 2000, 2005, k=7),
        r"k=7 quantile groups need at least 7 units; the panel has 6",
    ),
    "rank one unit": (
        lambda: dynamics.rank_mobility(P[P["bps_code"] == "u00"], "v", 2000, 2005),
        r"needs at least 3 units observed in 2000 and 2005; got 1",
    ),
    "rank constant": (
        lambda: dynamics.rank_mobility(P.assign(v=2.0), "v", 2000, 2005),
        r"'v' is constant in 2000",
    ),
    "rank year absent": (
        lambda: dynamics.rank_mobility(P, "v", 1990, 2005),
        r"year 1990 is not in the data",
    ),
    "rank unit missing in end": (
        lambda: dynamics.rank_mobility(
            _with("v", (P["bps_code"] == "u03") & (P["year"] == 2005), np.nan), "v", 2000, 2005
        ),
        r"u03 \(year 2005\)",
    ),
    # beta_convergence
    "beta text": (
        lambda: dynamics.beta_convergence(P.assign(v=P["v"].astype(str)), "v", 2000, 2005),
        r"column 'v' must hold numbers",
    ),
    "beta two units": (
        lambda: dynamics.beta_convergence(P[P["bps_code"].isin(["u00", "u01"])], "v", 2000, 2005),
        r"needs at least 3 units observed in 2000 and 2005 .*got 2",
    ),
    "beta zero": (
        lambda: dynamics.beta_convergence(_with("v", U0, 0.0), "v", 2000, 2005),
        r"bps_code u00 in 2000 = 0",
    ),
    "beta start text": (
        lambda: dynamics.beta_convergence(P, "v", "2000", 2005),
        r"start must be a number; got '2000'",
    ),
    "beta end before start": (
        lambda: dynamics.beta_convergence(P, "v", 2005, 2000),
        r"end \(2000\) must be after start \(2005\)",
    ),
    "beta n_boot=0": (
        lambda: dynamics.beta_convergence(
            P, "v", 2000, 2005, _ring([f"u{i:02d}" for i in range(6)]), n_boot=0
        ),
        r"n_boot must be >= 100; got 0",
    ),
    "beta seed negative": (
        lambda: dynamics.beta_convergence(P, "v", 2000, 2005, seed=-1),
        r"seed must be >= 0",
    ),
    "beta graph ids differ": (
        lambda: dynamics.beta_convergence(
            P[P["bps_code"] != "u03"], "v", 2000, 2005, _ring([f"u{i:02d}" for i in range(6)])
        ),
        r"weight ids have no data \('u03'\)",
    ),
    "beta constant start": (
        lambda: dynamics.beta_convergence(_with("v", P["year"] == 2000, 7.0), "v", 2000, 2005),
        r"'v' is constant in 2000",
    ),
    "beta graph not a graph": (
        lambda: dynamics.beta_convergence(P, "v", 2000, 2005, {"u00": []}),
        r"graph must be a libpysal.graph.Graph .*got dict",
    ),
    # spatial_markov
    "smarkov k=0": (
        lambda: dynamics.spatial_markov(P, "v", _ring([f"u{i:02d}" for i in range(6)]), k=0, m=3),
        r"k must be >= 2; got 0",
    ),
    "smarkov m=1": (
        lambda: dynamics.spatial_markov(P, "v", _ring([f"u{i:02d}" for i in range(6)]), k=3, m=1),
        r"m must be >= 2; got 1",
    ),
    "smarkov constant": (
        lambda: dynamics.spatial_markov(
            P.assign(v=1.0), "v", _ring([f"u{i:02d}" for i in range(6)]), k=3, m=3
        ),
        r"'v' is constant",
    ),
    "smarkov text": (
        lambda: dynamics.spatial_markov(
            P.assign(v=P["v"].astype(str)), "v", _ring([f"u{i:02d}" for i in range(6)]), k=3, m=3
        ),
        r"column 'v' must hold numbers",
    ),
    "smarkov extra unit": (
        lambda: dynamics.spatial_markov(P, "v", _ring([f"u{i:02d}" for i in range(5)]), k=3, m=3),
        r"1 units \(bps_code\) have no weights \('u05'\)",
    ),
    "smarkov years gap": (
        lambda: dynamics.spatial_markov(
            P, "v", _ring([f"u{i:02d}" for i in range(6)]), k=3, m=3, years=[2000, 2002]
        ),
        r"years jump from 2000 to 2002",
    ),
}


@pytest.mark.parametrize("case", list(BAD_DYNAMICS))
def test_dynamics_refuses_bad_input_naming_the_offender(case):
    call, message = BAD_DYNAMICS[case]
    with pytest.raises(ValidationError, match=message) as info:
        call()
    assert type(info.value) is ValidationError
    assert str(info.value).split(":")[0] in {
        "relative_income",
        "kernel_densities",
        "markov_chain",
        "rank_mobility",
        "beta_convergence",
        "spatial_markov",
    }


# --- missing="drop": left out, reported as a warning and on the result ------------------------


def test_relative_income_drop_reports_the_row_and_excludes_it_from_the_mean():
    from cityresearch._errors import DroppedRowsWarning

    p = pd.DataFrame({"bps_code": list("abc"), "year": 2000, "v": [1.0, 3.0, np.nan]})
    with pytest.warns(DroppedRowsWarning, match=r"bps_code c, year 2000"):
        out = dynamics.relative_income(p, "v", missing="drop")
    assert out["rel_v"].tolist() == pytest.approx([0.5, 1.5])  # mean of 1 and 3 is 2
    assert out.attrs["dropped"]["bps_code"].tolist() == ["c"]


def test_kernel_densities_drop_equals_the_density_of_the_other_values():
    from scipy.stats import gaussian_kde

    from cityresearch._errors import DroppedRowsWarning

    q = _with("v", U0, np.nan)
    grid = np.linspace(0, 60, 7)
    with pytest.warns(DroppedRowsWarning, match=r"bps_code u00, year 2000"):
        d = dynamics.kernel_densities(q, "v", [2000], grid=grid, missing="drop")
    rest = P.loc[(P["year"] == 2000) & ~U0, "v"].to_numpy()
    np.testing.assert_allclose(d["density"], gaussian_kde(rest)(grid))
    assert d.attrs["dropped"]["bps_code"].tolist() == ["u00"]


def test_markov_drop_leaves_out_the_unit_and_lists_its_rows():
    from cityresearch._errors import DroppedRowsWarning

    with pytest.warns(DroppedRowsWarning, match=r"u01 \(year 2001\)"):
        res = dynamics.markov_chain(_with("v", U1, np.nan), "v", k=3, missing="drop")
    ref = dynamics.markov_chain(P[P["bps_code"] != "u01"], "v", k=3)
    pd.testing.assert_frame_equal(res.counts, ref.counts)
    assert res.counts.to_numpy().sum() == 5 * 5  # 5 units, 5 one-year steps
    assert sorted(res.dropped["year"]) == list(range(2000, 2006))  # all its rows, the NaN too
    assert set(res.dropped["bps_code"]) == {"u01"}


def test_rank_mobility_and_beta_drop_equal_the_panel_without_the_unit():
    from cityresearch._errors import DroppedRowsWarning

    q = _with("v", (P["bps_code"] == "u03") & (P["year"] == 2005), np.nan)
    rest = P[P["bps_code"] != "u03"]
    with pytest.warns(DroppedRowsWarning, match="u03"):
        r = dynamics.rank_mobility(q, "v", 2000, 2005, k=2, missing="drop")
    pd.testing.assert_series_equal(r, dynamics.rank_mobility(rest, "v", 2000, 2005, k=2))
    assert r["n_units"] == 5 and r.attrs["dropped"]["bps_code"].unique().tolist() == ["u03"]
    with pytest.warns(DroppedRowsWarning, match="u03"):
        b = dynamics.beta_convergence(q, "v", 2000, 2005, missing="drop")
    w = rest.pivot(index="bps_code", columns="year", values="v")
    slope = np.polyfit(np.log(w[2000]), 100 * np.log(w[2005] / w[2000]) / 5, 1)[0]
    assert b.loc["OLS", "beta"] == pytest.approx(slope)
    assert b.loc["OLS", "n"] == 5


def test_good_input_carries_an_empty_dropped_record():
    assert dynamics.relative_income(P, "v").attrs["dropped"].empty
    assert dynamics.markov_chain(P, "v", k=3).dropped.empty


# --- 0.2 vocabulary and result objects (issue #17) ------------------------------------------


def _small():
    """Hand-checkable panel keyed by 'code': a: 0, 0, 1; b: 1, 0, 1."""
    return pd.DataFrame(
        {"code": list("aaabbb"), "year": [1, 2, 3] * 2, "v": [0.0, 0.0, 1.0, 1.0, 0.0, 1.0]}
    )


def _beta_panel():
    """Growth 3, 2, 2.5, 1, 0.5 %/year from incomes 1..16 (OLS slope -0.6 / ln 2)."""
    y0, g = np.array([1.0, 2, 4, 8, 16, 32]), np.array([3.0, 2, 2.5, 1, 0.5, 0.8])
    return pd.DataFrame(
        {"code": [f"u{i:02d}" for i in range(6)] * 2, "year": [2000] * 6 + [2010] * 6}
    ).assign(v=np.r_[y0, y0 * np.exp(g / 10)])


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    else:  # result objects: their tidy tables and (spatial) transition counts
        pd.testing.assert_frame_equal(a.tidy(), b.tidy())
        counts_a = a.counts if isinstance(a.counts, dict) else {"": a.counts}
        counts_b = b.counts if isinstance(b.counts, dict) else {"": b.counts}
        for k in counts_a:
            pd.testing.assert_frame_equal(counts_a[k], counts_b[k])


RING6 = None


def _ring6():
    global RING6
    if RING6 is None:
        RING6 = _ring([f"u{i:02d}" for i in range(6)])
    return RING6


SHIMS = {
    "relative_income by": (
        lambda: dynamics.relative_income(_small().assign(v=lambda d: d["v"] + 1), "v", by="code"),
        lambda: dynamics.relative_income(_small().assign(v=lambda d: d["v"] + 1), "v", unit="code"),
        ["relative_income(unit=...)"],
    ),
    "kernel_densities column, by": (
        lambda: dynamics.kernel_densities(_small(), column="v", years=[1], by="code"),
        lambda: dynamics.kernel_densities(_small(), value="v", years=[1], unit="code"),
        ["kernel_densities(value=...)", "kernel_densities(unit=...)"],
    ),
    "markov_chain column, by": (
        lambda: dynamics.markov_chain(_small(), column="v", cutoffs=[0.5], by="code"),
        lambda: dynamics.markov_chain(_small(), value="v", cutoffs=[0.5], unit="code"),
        ["markov_chain(value=...)", "markov_chain(unit=...)"],
    ),
    "rank_mobility column, by": (
        lambda: dynamics.rank_mobility(_beta_panel(), column="v", start=2000, end=2010, by="code"),
        lambda: dynamics.rank_mobility(_beta_panel(), value="v", start=2000, end=2010, unit="code"),
        ["rank_mobility(value=...)", "rank_mobility(unit=...)"],
    ),
    "spatial_markov column, by": (
        lambda: dynamics.spatial_markov(
            P.rename(columns={"bps_code": "code"}), column="v", graph=_ring6(), k=2, m=2, by="code"
        ),
        lambda: dynamics.spatial_markov(
            P.rename(columns={"bps_code": "code"}), value="v", graph=_ring6(), k=2, m=2, unit="code"
        ),
        ["spatial_markov(value=...)", "spatial_markov(unit=...)"],
    ),
    "beta_convergence by, draws": (
        lambda: dynamics.beta_convergence(
            _beta_panel(), "v", 2000, 2010, _ring6(), by="code", draws=200
        ),
        lambda: dynamics.beta_convergence(
            _beta_panel(), "v", 2000, 2010, _ring6(), unit="code", n_boot=200
        ),
        ["beta_convergence(unit=...)", "beta_convergence(n_boot=...)"],
    ),
}


@pytest.mark.parametrize("case", list(SHIMS))
def test_old_keywords_warn_and_give_the_same_result(case):
    old_call, new_call, names = SHIMS[case]
    with pytest.warns(CityResearchDeprecationWarning) as rec:
        old = old_call()
    messages = [str(w.message) for w in rec if w.category is CityResearchDeprecationWarning]
    for name in names:
        assert any(name in m for m in messages), (name, messages)
    assert all(w.filename == __file__ for w in rec)  # the warning points at the caller
    _same(old, new_call())


def test_new_keywords_hand_values():
    """The new spellings on hand-checked cases (transition counts, OLS slope, ranks)."""
    small = _small().assign(v=lambda d: d["v"] + 1)  # 1, 1, 2 and 2, 1, 2
    rel = dynamics.relative_income(small, "v", unit="code")
    # year means: 1.5, 1, 2
    assert rel["rel_v"].tolist() == pytest.approx([1 / 1.5, 1, 1, 2 / 1.5, 1, 1])
    mc = dynamics.markov_chain(_small(), value="v", cutoffs=[0.5], unit="code")
    assert mc.counts.to_numpy().tolist() == [[1, 2], [1, 0]]
    beta = dynamics.beta_convergence(_beta_panel(), value="v", start=2000, end=2010, unit="code")
    x = np.log([1.0, 2, 4, 8, 16, 32])
    g = np.array([3.0, 2, 2.5, 1, 0.5, 0.8])
    assert beta.loc["OLS", "beta"] == pytest.approx(np.polyfit(x, g, 1)[0])
    rm = dynamics.rank_mobility(_beta_panel(), value="v", start=2000, end=2010, unit="code", k=2)
    assert rm["kendall_tau"] == pytest.approx(1.0)  # ten-year growth never re-orders them
    assert rm["n_units"] == 6


def test_markov_result_tidy_and_summary():
    seqs = {"a": [1, 1, 2, 3], "b": [2, 1, 1, 2], "c": [3, 3, 2, 2]}
    wide = pd.DataFrame(seqs, index=[2000, 2001, 2002, 2003]).T.astype(float)
    res = dynamics.markov_chain(_long(wide), "v", cutoffs=[1.5, 2.5])
    t = res.tidy()
    # transitions (see test_transition_matrix_of_hand_sequences): from 0: 4, from 1: 3, from 2: 2
    assert t["n_from"].tolist() == [4, 3, 2]
    assert t["estimate"].tolist() == pytest.approx([2 / 4, 1 / 3, 1 / 2])  # p of staying
    assert t["term"].tolist() == t["class"].tolist() == ["<=1.50", "1.50-2.50", ">2.50"]
    assert t["upper_bound"].tolist() == [1.5, 2.5, np.inf]  # the top class has no bound
    assert t[["conf_low", "conf_high"]].isna().all().all()
    assert t["initial_share"].tolist() == pytest.approx([1 / 3] * 3)
    assert t["final_share"].tolist() == pytest.approx([0, 2 / 3, 1 / 3])
    text = res.summary()
    assert isinstance(text, str) and repr(res) == text
    assert text.startswith("Markov chain of 3 classes: 3 units, 2000-2003 (9 transitions)")
    assert f"shorrocks {(3 - (0.5 + 1 / 3 + 0.5)) / 2:.4f}" in text
    assert res["P"] is res.P and "ergodic" in res  # dict-style access (Result is a Mapping)


def test_spatial_markov_result_tidy_and_summary():
    wide, graph, _ = _usjoin()
    res = dynamics.spatial_markov(_long(wide), "v", graph, k=5, m=5)
    t = res.tidy()
    assert len(t) == 25 and t["lag_class"].nunique() == 5
    first = t.iloc[0]
    # the poorest lag class of giddy's documented example: P[0, 0] = 0.96341463
    assert first["estimate"] == pytest.approx(0.96341463, abs=1e-8)
    assert first["term"] == f"{first['class']} | {first['lag_class']}"
    assert first["n_from"] == next(iter(res.counts.values())).iloc[0].sum()
    text = res.summary()
    assert isinstance(text, str) and repr(res) == text
    assert f"LR = {res.tests['LR']:.3f}" in text and "5 classes x 5 classes" in text


def test_spatial_markov_reducible_lag_chain_warns_and_reports_missing_ergodic():
    """Nobody changes class (identity transition counts): the steady state is not unique.
    Before 0.2 this crashed with a bare pandas ValueError; now the rows are missing, with a
    warning naming the lag classes, as markov_chain does."""
    with pytest.warns(
        UserWarning, match=r"spatial_markov: the chains of lag classes .* not unique"
    ):
        res = dynamics.spatial_markov(P, "v", _ring6(), k=2, m=2)
    for c in res.counts.values():  # hand check: no unit ever leaves its class
        assert c.to_numpy()[0, 1] == 0 and c.to_numpy()[1, 0] == 0
    assert res.ergodic.isna().all().all()
    assert res.tidy()["ergodic_share"].isna().all()
