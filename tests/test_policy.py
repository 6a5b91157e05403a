"""Selection-aware statistics on small examples with known answers."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from cityresearch import panels, policy
from cityresearch._errors import (
    CityResearchDeprecationWarning,
    DroppedRegressorWarning,
    DroppedRowsWarning,
    SeparationError,
    SingularDesignError,
    ValidationError,
)


def _same(a: dict, b: dict) -> bool:
    """Equal results, the frames of dropped rows compared as frames."""
    return {k: x for k, x in a.items() if k != "dropped"} == {
        k: x for k, x in b.items() if k != "dropped"
    } and a["dropped"].equals(b["dropped"])


def test_balance_table_hand_computed():
    f = pd.DataFrame(
        {"t": [1, 1, 0, 0, 0], "x": [2.0, 4.0, 1.0, 2.0, 3.0], "c": ["a", "b", "a", "a", "b"]}
    )
    b = policy.balance_table(f, "t", ["x"], categorical=("c",)).set_index("covariate")
    # treated mean 3, var 2; control mean 2, var 1 -> d = 1 / sqrt(1.5)
    assert b.loc["x", "std_diff"] == pytest.approx(1 / np.sqrt(1.5))
    assert b.loc["c=a", "mean_treated"] == 0.5 and b.loc["c=a", "mean_control"] == pytest.approx(
        2 / 3
    )


@pytest.mark.data
def test_participation_frame():
    f = panels.participation_frame()
    assert len(f) == 514 and f["participant"].sum() == 98
    blitar = f.set_index("bps_code").loc["3505"]
    assert blitar["cohort_year"] == 2018 and blitar["grdp_pc_idr_k"] == 19128  # 2016
    with pytest.raises(ValidationError):
        panels.participation_frame(2018)


def test_correlation_against_scipy_and_permutation():
    rng = np.random.default_rng(0)
    x = rng.normal(size=60)
    y = 0.8 * x + rng.normal(scale=0.5, size=60)
    c = policy.correlation(x, y, n_boot=500, n_perm=500, seed=1)
    assert c["r"] == pytest.approx(stats.pearsonr(x, y)[0])
    assert c["ci_lo"] < c["r"] < c["ci_hi"] and c["p_perm"] == pytest.approx(1 / 501)
    s = policy.correlation(x, y, method="spearman", n_boot=200, n_perm=200)
    assert s["r"] == pytest.approx(stats.spearmanr(x, y)[0])
    d = (x > 0).astype(int)
    pb = policy.correlation(d, y, method="pointbiserial", n_boot=200, n_perm=200)
    assert pb["r"] == pytest.approx(stats.pointbiserialr(d, y)[0])
    noise = policy.correlation(x, rng.normal(size=60), n_boot=200, n_perm=999, seed=2)
    assert noise["p_perm"] > 0.05
    again = policy.correlation(x, y, n_boot=500, n_perm=500, seed=1)
    assert _same(again, c)  # seeded
    with pytest.raises(ValidationError, match="0/1"):
        policy.correlation(x, y, method="pointbiserial")


def test_ordered_logit_with_two_categories_is_logit():
    rng = np.random.default_rng(3)
    x = rng.normal(size=400)
    ybin = (0.5 + 1.2 * x + rng.logistic(size=400) > 0).astype(int)
    frame = pd.DataFrame({"x": x, "zone": np.where(ybin == 1, "hijau", "merah")})
    res = policy.ordered_logit(frame, "zone", ["x"], order=["merah", "hijau"])
    logit = sm.Logit(ybin, sm.add_constant(x)).fit(disp=False)
    assert res.params["x"] == pytest.approx(logit.params[1], rel=1e-4)
    assert res.params["merah/hijau"] == pytest.approx(-logit.params[0], rel=1e-4)
    with pytest.raises(ValidationError, match="not in the order"):
        policy.ordered_logit(frame.assign(zone="biru"), "zone", ["x"])


@pytest.fixture
def clustered():
    rng = np.random.default_rng(7)
    g = np.repeat(np.arange(30), 10)
    x = rng.normal(size=300)
    d = (rng.random(30)[g] > 0.5).astype(int)
    u = rng.normal(size=30)[g] + rng.normal(size=300)
    return pd.DataFrame(
        {"g": g, "x": x, "d": d, "y0": 1 + 2 * x + u, "y1": 1 + 2 * x + 1.5 * d + u}
    )


def test_adjusted_ols_and_wild_bootstrap(clustered):
    res, info = policy.adjusted_ols(clustered, "y1 ~ d + x", cluster="g")
    assert res.params["x"] == pytest.approx(2, abs=0.3) and info["n_clusters"] == 30
    assert info["few_clusters"]
    strong = policy.wild_cluster_bootstrap(clustered, "y1 ~ d + x", "d", "g", n_boot=499, seed=1)
    null = policy.wild_cluster_bootstrap(clustered, "y0 ~ d + x", "d", "g", n_boot=499, seed=1)
    assert strong["p_boot"] < 0.01 and null["p_boot"] > 0.05
    assert strong["t"] == pytest.approx(res.tvalues["d"])
    assert _same(
        null, policy.wild_cluster_bootstrap(clustered, "y0 ~ d + x", "d", "g", n_boot=499, seed=1)
    )
    with pytest.raises(ValidationError, match="not a coefficient"):
        policy.wild_cluster_bootstrap(clustered, "y0 ~ x", "d", "g")


def test_ipw_equals_exact_stratification():
    # one binary covariate: the saturated propensity model reproduces stratum shares,
    # and IPW-ATT equals the treated-weighted average of within-stratum differences
    f = pd.DataFrame(
        {
            "x": [0] * 6 + [1] * 6,
            "t": [1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1],
            "y": [5, 1, 2, 3, 2, 7, 10, 12, 11, 6, 8, 9.0],
        }
    )
    ps, _ = policy.propensity_scores(f, "t ~ x")
    assert ps[f["x"] == 0].round(10).unique().tolist() == [round(2 / 6, 10)]
    est = policy.ipw(f["y"], f["t"], ps, estimand="ATT")
    d0 = np.mean([5, 7]) - np.mean([1, 2, 3, 2])
    d1 = np.mean([10, 12, 11, 9]) - np.mean([6, 8])
    assert est["effect"] == pytest.approx((2 * d0 + 4 * d1) / 6)
    ate = policy.ipw(f["y"], f["t"], ps, estimand="ATE")
    assert ate["effect"] == pytest.approx((6 * d0 + 6 * d1) / 12)
    ov = policy.overlap(f["t"], ps).set_index("group")
    assert ov.loc["treated", "n"] == 6 and ov["outside_common_support"].sum() == 0
    with pytest.raises(ValidationError, match="between 0 and 1"):
        policy.ipw([1, 2], [1, 0], [1.0, 0.5])
    boot = policy.ipw_bootstrap(f, "y", "t ~ x", n_boot=200, seed=0)
    assert boot["effect"] == pytest.approx(est["effect"]) and boot["se_boot"] > 0
    assert boot["n_trimmed"] == 0 and 0 < boot["B_used"] <= 200
    # trimming at (0.4, 1): the x = 0 stratum (score 1/3) is dropped entirely, so x has no
    # variation among the kept units; the refitted score leaves it out (saying so) and is the
    # treated share 4/6, making IPW-ATT the plain difference in means of the x = 1 stratum
    with pytest.warns(DroppedRegressorWarning, match=r"\['x'\] have no variation"):
        trimmed = policy.ipw_bootstrap(f, "y", "t ~ x", n_boot=50, seed=0, trim=(0.4, 1.0))
    assert trimmed["n_trimmed"] == 6 and trimmed["effect"] == pytest.approx(d1)
    assert trimmed["dropped_regressors"] == ["x"]
    assert trimmed["mean_treated"] == pytest.approx(np.mean([10, 12, 11, 9]))


def test_propensity_scores_constant_regressor():
    f = pd.DataFrame({"t": [1, 1, 1, 0, 0, 1], "x": [1.0] * 6, "z": [0.3, 1, 2, 0.5, 1.5, 0.7]})
    with pytest.raises(SingularDesignError, match=r"without variation \{'x': 1.0\}"):
        policy.propensity_scores(f, "t ~ x + z")
    with pytest.warns(DroppedRegressorWarning, match="x"):
        ps, res = policy.propensity_scores(f, "t ~ x", drop_constant=True)
    assert ps.attrs["dropped_regressors"] == ["x"] and list(res.params.index) == ["Intercept"]
    assert ps.tolist() == pytest.approx([4 / 6] * 6)  # intercept-only logit: the treated share


def test_propensity_scores_named_failures():
    f = pd.DataFrame({"t": [1, 1, 1, 0, 0, 0, 1, 0], "x": [3.0, 4, 5, 0, 1, 2, 6, -1]})
    # x > 2.5 predicts t exactly: no finite maximum-likelihood estimate
    with pytest.raises(SeparationError, match="perfect"):
        policy.propensity_scores(f, "t ~ x")
    g = f.assign(t=[1, 0, 1, 0, 1, 0, 0, 1], x2=2 * f["x"] + 1)
    with pytest.raises(SingularDesignError, match=r"\['x2'\] are exact linear combinations"):
        policy.propensity_scores(g, "t ~ x + x2")
    # the same failure on the full sample of ipw_bootstrap is not hidden behind a generic message
    with pytest.raises(SeparationError):
        policy.ipw_bootstrap(f.assign(y=range(8)), "y", "t ~ x", n_boot=10)


def test_linalg_failure_is_named(monkeypatch):
    # some numpy/LAPACK builds raise "Singular matrix" inside statsmodels' Newton steps
    import statsmodels.discrete.discrete_model as dm

    def singular(self, *a, **k):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(dm.Logit, "fit", singular)
    f = pd.DataFrame({"t": [1, 0, 1, 0, 1, 0], "x": [1.0, 2, 3, 4, 5, 7]})
    with pytest.raises(SingularDesignError, match="Singular matrix"):
        policy.propensity_scores(f, "t ~ x")


# --- inference that does not overstate -------------------------------------------------------


def _cr1_t(X, y, g, j):
    """Cluster-robust (CR1) t of coefficient j, computed directly with numpy."""
    n, k = X.shape
    G = len(np.unique(g))
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    u = y - X @ beta
    meat = sum(np.outer(X[g == c].T @ u[g == c], X[g == c].T @ u[g == c]) for c in np.unique(g))
    V = G / (G - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    return beta[j] / np.sqrt(V[j, j]), beta


def _small(G, per=4, seed=0):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(G), per)
    x = rng.normal(size=G * per)
    d = np.tile([0, 1], G * per // 2)
    y = 0.5 * x + 0.8 * d + rng.normal(size=G)[g] + rng.normal(size=G * per)
    return pd.DataFrame({"g": g, "x": x, "d": d, "y": y})


def test_cluster_p_values_use_t_with_g_minus_1():
    f = _small(8, per=5, seed=3)
    res, info = policy.adjusted_ols(f, "y ~ d + x", cluster="g")
    X = np.column_stack([np.ones(len(f)), f["d"], f["x"]])
    t, _ = _cr1_t(X, f["y"].to_numpy(), f["g"].to_numpy(), 1)
    assert res.tvalues["d"] == pytest.approx(t, rel=1e-10)
    assert res.pvalues["d"] == pytest.approx(2 * stats.t.sf(abs(t), df=7), rel=1e-10)
    assert res.pvalues["d"] > 2 * stats.norm.sf(abs(t))  # the normal would overstate
    assert info["df"] == 7 and info["inference"] == "t(G-1)" and info["n_clusters"] == 8
    wild = policy.wild_cluster_bootstrap(f, "y ~ d + x", "d", "g")
    assert wild["p_analytic"] == pytest.approx(2 * stats.t.sf(abs(t), df=7), rel=1e-10)


def _brute_force_p(f, support, G):
    """Every weight vector, each sample refitted with statsmodels (an independent path)."""
    import itertools

    X = sm.add_constant(f[["d", "x"]].to_numpy())
    y, g = f["y"].to_numpy(), f["g"].to_numpy()
    t_obs = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g}).tvalues[1]
    r = sm.OLS(y, X[:, [0, 2]]).fit()
    ts = []
    for w in itertools.product(support, repeat=G):
        ys = r.fittedvalues + r.resid * np.asarray(w)[g]
        ts.append(sm.OLS(ys, X).fit(cov_type="cluster", cov_kwds={"groups": g}).tvalues[1])
    ts = np.abs(ts)
    return np.mean(ts >= abs(t_obs) - 1e-9), len(ts)


def test_wild_bootstrap_enumerates_rademacher_exactly():
    f = _small(5, seed=1)
    r = policy.wild_cluster_bootstrap(f, "y ~ d + x", "d", "g", weights="rademacher")
    p, n = _brute_force_p(f, [-1.0, 1.0], 5)
    assert r["enumerated"] and r["B"] == n == 32 and r["weights"] == "rademacher"
    assert r["p_boot"] == pytest.approx(p, abs=1e-12)
    assert "all 32 weight vectors enumerated" in r["method"]
    # the seed plays no role when every vector is used
    assert (
        r["p_boot"]
        == policy.wild_cluster_bootstrap(f, "y ~ d + x", "d", "g", weights="rademacher", seed=99)[
            "p_boot"
        ]
    )


def test_wild_bootstrap_webb_with_very_few_clusters():
    f = _small(3, per=6, seed=2)
    r = policy.wild_cluster_bootstrap(f, "y ~ d + x", "d", "g")  # auto: G = 3 <= 9 -> Webb
    p, n = _brute_force_p(f, policy.WEBB_WEIGHTS, 3)
    assert r["weights"] == "webb" and r["enumerated"] and r["B"] == n == 216
    assert r["p_boot"] == pytest.approx(p, abs=1e-12)
    assert np.mean(policy.WEBB_WEIGHTS) == 0 and np.mean(policy.WEBB_WEIGHTS**2) == pytest.approx(1)


@pytest.mark.parametrize(
    ("G", "weights", "enumerated", "B"),
    [
        (6, "webb", False, 999),  # 6^6 vectors: random draws of Webb weights
        (10, "rademacher", True, 1024),  # 2^10 <= 4096: all enumerated
        (12, "rademacher", True, 4096),
        (13, "rademacher", False, 999),  # 2^13 > 4096: random draws
    ],
)
def test_wild_bootstrap_auto_rule(G, weights, enumerated, B):
    r = policy.wild_cluster_bootstrap(_small(G, seed=G), "y ~ d + x", "d", "g")
    assert (r["weights"], r["enumerated"], r["B"], r["n_clusters"]) == (weights, enumerated, B, G)
    assert 0 < r["p_boot"] <= 1


def test_ordered_cutpoints_against_direct_likelihood():
    from scipy import optimize
    from scipy.special import expit

    rng = np.random.default_rng(11)
    x = rng.normal(size=300)
    z = np.digitize(0.9 * x + rng.logistic(size=300), [-0.5, 1.2])
    frame = pd.DataFrame({"x": x, "zone": np.array(["merah", "kuning", "hijau"])[z]})
    res = policy.ordered_logit(frame, "zone", ["x"])
    cuts = policy.ordered_cutpoints(res)

    def nll(th):
        b, c1, c2 = th
        cum = np.column_stack([np.zeros(300), expit(c1 - b * x), expit(c2 - b * x), np.ones(300)])
        return -np.sum(np.log(cum[np.arange(300), z + 1] - cum[np.arange(300), z]))

    mle = optimize.minimize(
        nll,
        [0.5, -0.5, 1.0],
        method="Nelder-Mead",
        options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 5000},
    ).x
    assert cuts["cut"].tolist() == ["merah|kuning", "kuning|hijau"]
    assert cuts["cutpoint"].to_numpy() == pytest.approx(mle[1:], abs=1e-3)
    assert res.params["x"] == pytest.approx(mle[0], abs=1e-3)
    assert cuts["cutpoint"].iloc[1] == pytest.approx(
        res.params["merah/kuning"] + np.exp(res.params["kuning/hijau"])
    )
    assert (cuts["se"] > 0).all()


# --- the input contract ----------------------------------------------------------------------

TREAT_CODES = [
    ([1, 2, 1, 2, 2, 1], r"found values 1, 2"),
    (["yes", "no", "yes", "no", "no", "yes"], r"found values 'no', 'yes'"),
    ([1, 0, np.nan, 0, 1, 0], r"found values 0(\.0)?, 1(\.0)?, missing"),
]


@pytest.mark.parametrize(("codes", "found"), TREAT_CODES)
def test_balance_table_refuses_treatment_codes(codes, found):
    f = pd.DataFrame({"t": codes, "x": [1.0, 2, 3, 4, 5, 6]})
    with pytest.raises(ValidationError, match=rf"balance_table: t must be 0/1.*{found}"):
        policy.balance_table(f, "t", ["x"])


@pytest.mark.parametrize(("codes", "found"), TREAT_CODES)
def test_ipw_refuses_treatment_codes(codes, found):
    with pytest.raises(ValidationError, match=rf"ipw: treat must be 0/1.*{found}"):
        policy.ipw([1.0, 2, 3, 4, 5, 6], codes, [0.5] * 6)
    with pytest.raises(ValidationError, match=rf"overlap: treat must be 0/1.*{found}"):
        policy.overlap(codes, [0.5] * 6)


@pytest.mark.parametrize(("codes", "found"), TREAT_CODES[:2])
def test_propensity_scores_refuse_treatment_codes(codes, found):
    f = pd.DataFrame({"t": codes, "x": [1.0, 2, 3, 4, 5, 6]})
    with pytest.raises(ValidationError, match=rf"propensity_scores: t must be 0/1.*{found}"):
        policy.propensity_scores(f, "t ~ x")


def test_treatment_with_one_group_and_boolean():
    f = pd.DataFrame({"t": [1] * 4, "x": [1.0, 2, 3, 4]})
    with pytest.raises(ValidationError, match=r"t: every unit is treated \(1\)"):
        policy.balance_table(f, "t", ["x"])
    g = pd.DataFrame({"t": [True, True, False, False, False], "x": [2.0, 4, 1, 2, 3]})
    b = policy.balance_table(g, "t", ["x"])
    assert b["std_diff"].item() == pytest.approx(1 / np.sqrt(1.5))  # as the 0/1 example


@pytest.fixture
def frame6():
    return pd.DataFrame(
        {
            "t": [1, 0, 1, 0, 1, 0, 1, 0],
            "x": [1.0, 2, 3, 4, 5, 6, 7, 9],
            "y": [2.0, 1, 4, 3, 7, 5, 8, 8],
            "g": list("aabbccdd"),
            "c": [3.0] * 8,
        }
    )


BAD_CALLS = [
    # (label, call, expected error type, message that names the value or column)
    (
        "balance constant",
        lambda f: policy.balance_table(f, "t", ["c"]),
        ValidationError,
        r"covariate 'c' has no variation",
    ),
    (
        "balance text",
        lambda f: policy.balance_table(f.assign(x=f["x"].astype(str)), "t", ["x"]),
        ValidationError,
        r"column 'x' must hold numbers but holds text",
    ),
    (
        "balance column",
        lambda f: policy.balance_table(f, "t", ["nope"]),
        ValidationError,
        r"lack column.*'nope'",
    ),
    (
        "corr confidence=95",
        lambda f: policy.correlation(f["x"], f["y"], confidence=95),
        ValidationError,
        r"confidence must be in \(0, 1\); got 95",
    ),
    (
        "corr method",
        lambda f: policy.correlation(f["x"], f["y"], method="kendal"),
        ValidationError,
        r"method must be one of .*got 'kendal'",
    ),
    (
        "corr n_boot=0",
        lambda f: policy.correlation(f["x"], f["y"], n_boot=0),
        ValidationError,
        r"n_boot must be >= 2; got 0",
    ),
    (
        "corr n_perm=0",
        lambda f: policy.correlation(f["x"], f["y"], n_perm=0),
        ValidationError,
        r"n_perm must be >= 1; got 0",
    ),
    (
        "corr constant",
        lambda f: policy.correlation(f["c"], f["y"]),
        ValidationError,
        r"x is constant \(3",
    ),
    (
        "corr missing",
        lambda f: policy.correlation(f["x"].where(f.index != 2), f["y"]),
        ValidationError,
        r"missing value in 'x': row 2",
    ),
    (
        "corr missing=bogus",
        lambda f: policy.correlation(f["x"], f["y"], missing="bogus"),
        ValidationError,
        r"missing must be one of 'raise', 'drop'; got 'bogus'",
    ),
    (
        "corr text",
        lambda f: policy.correlation(f["x"].astype(str), f["y"]),
        ValidationError,
        r"column 'x' must hold numbers but holds text: row 0 '1.0'",
    ),
    (
        "corr labels",
        lambda f: policy.correlation(f["x"], f["y"].set_axis(range(10, 18))),
        ValidationError,
        r"do not have the same index labels",
    ),
    (
        "ols one cluster",
        lambda f: policy.adjusted_ols(f.assign(g="a"), "y ~ x", cluster="g"),
        ValidationError,
        r"at least 2 distinct clusters in 'g'; got 1",
    ),
    (
        "ols cluster missing",
        lambda f: policy.adjusted_ols(f.assign(g=[None] + list("abbccdd")), "y ~ x", cluster="g"),
        ValidationError,
        r"missing value in 'g': row 0",
    ),
    (
        "ols regressor missing",
        lambda f: policy.adjusted_ols(f.assign(x=[np.nan] + [1.0] * 7), "y ~ x"),
        ValidationError,
        r"adjusted_ols: 1 row has a missing value in 'x': row 0",
    ),
    (
        "ols constant",
        lambda f: policy.adjusted_ols(f, "y ~ x + c", cluster="g"),
        SingularDesignError,
        r"without variation \['c'\]",
    ),
    (
        "ols collinear",
        lambda f: policy.adjusted_ols(f.assign(x2=2 * f["x"]), "y ~ x + x2"),
        SingularDesignError,
        r"linear combinations of the others \['x2'\]",
    ),
    (
        "ols cluster column",
        lambda f: policy.adjusted_ols(f, "y ~ x", cluster="prov"),
        ValidationError,
        r"lack column.*'prov'",
    ),
    (
        "wild n_boot=0",
        lambda f: policy.wild_cluster_bootstrap(f, "y ~ t + x", "t", "g", n_boot=0),
        ValidationError,
        r"n_boot must be >= 1; got 0",
    ),
    (
        "wild weights",
        lambda f: policy.wild_cluster_bootstrap(f, "y ~ t + x", "t", "g", weights="mammen"),
        ValidationError,
        r"weights must be one of .*got 'mammen'",
    ),
    (
        "wild one cluster",
        lambda f: policy.wild_cluster_bootstrap(f.assign(g=1), "y ~ t + x", "t", "g"),
        ValidationError,
        r"at least 2 distinct clusters",
    ),
    (
        "ologit one level",
        lambda f: policy.ordered_logit(f.assign(z="merah"), "z", ["x"]),
        ValidationError,
        r"at least 2 distinct levels of 'z'; got 1 \('merah'\)",
    ),
    (
        "ologit constant",
        lambda f: policy.ordered_logit(f.assign(z=["merah", "hijau"] * 4), "z", ["x", "c"]),
        SingularDesignError,
        r"regressor 'c' has no variation",
    ),
    (
        "ologit missing",
        lambda f: policy.ordered_logit(
            f.assign(z=[None] + ["merah", "hijau"] * 3 + ["kuning"]), "z", ["x"]
        ),
        ValidationError,
        r"missing value in 'z': row 0",
    ),
    (
        "ipw estimand",
        lambda f: policy.ipw(f["y"], f["t"], [0.5] * 8, estimand="att"),
        ValidationError,
        r"estimand must be one of 'ATT', 'ATE'; got 'att'",
    ),
    (
        "ipw score 1",
        lambda f: policy.ipw(f["y"], f["t"], pd.Series([0.5] * 7 + [1.0])),
        ValidationError,
        r"strictly between 0 and 1; 7 has 1",
    ),
    (
        "ipw lengths",
        lambda f: policy.ipw([1.0, 2], [1, 0, 1], [0.5, 0.5]),
        ValidationError,
        r"different lengths",
    ),
    (
        "boot n_boot=0",
        lambda f: policy.ipw_bootstrap(f, "y", "t ~ x", n_boot=0),
        ValidationError,
        r"n_boot must be >= 2; got 0",
    ),
    (
        "boot confidence",
        lambda f: policy.ipw_bootstrap(f, "y", "t ~ x", confidence=95),
        ValidationError,
        r"confidence must be in \(0, 1\); got 95",
    ),
    (
        "boot trim order",
        lambda f: policy.ipw_bootstrap(f, "y", "t ~ x", trim=(0.9, 0.1)),
        ValidationError,
        r"trim=\(0.9, 0.1\)",
    ),
    (
        "boot trim range",
        lambda f: policy.ipw_bootstrap(f, "y", "t ~ x", trim=(5, 95)),
        ValidationError,
        r"trim lower bound must be in \[0, 1\]; got 5",
    ),
    (
        "boot missing outcome",
        lambda f: policy.ipw_bootstrap(f.assign(y=[np.nan] + [1.0] * 7), "y", "t ~ x"),
        ValidationError,
        r"ipw_bootstrap: 1 row has a missing value in 'y': row 0",
    ),
    (
        "overlap trim",
        lambda f: policy.overlap(f["t"], [0.5] * 8, trim=0.05),
        ValidationError,
        r"trim must be a pair",
    ),
    (
        "ps duplicate index",
        lambda f: policy.propensity_scores(f.set_axis([0] * 8), "t ~ x"),
        ValidationError,
        r"duplicate labels",
    ),
    (
        "ols unknown variable",
        lambda f: policy.adjusted_ols(f, "y ~ nope"),
        ValidationError,
        r"formula 'y ~ nope' cannot be evaluated.*nope",
    ),
    (
        "ols text regressor",
        lambda f: policy.adjusted_ols(f.assign(x=f["x"].astype(str)), "y ~ x", cluster="g"),
        ValidationError,
        r"column 'x' holds text \(e.g. '1.0' in row 0\) but is used as a number",
    ),
    (
        "wild text outcome",
        lambda f: policy.wild_cluster_bootstrap(f.assign(y=["1,5"] * 8), "y ~ t", "t", "g"),
        ValidationError,
        r"column 'y' holds text \(e.g. '1,5' in row 0\)",
    ),
    (
        "balance empty",
        lambda f: policy.balance_table(f.iloc[:0], "t", ["x"]),
        ValidationError,
        r"balance_table: needs at least 4 units.*got 0",
    ),
    (
        "ipw empty",
        lambda f: policy.ipw([], [], []),
        ValidationError,
        r"ipw: needs at least 2 units; got 0",
    ),
    (
        "overlap empty",
        lambda f: policy.overlap([], []),
        ValidationError,
        r"overlap: needs at least 2 units; got 0",
    ),
    (
        "ols empty",
        lambda f: policy.adjusted_ols(f.iloc[:0], "y ~ x"),
        ValidationError,
        r"adjusted_ols: needs at least 2 complete rows; got 0",
    ),
    (
        "ps missing",
        lambda f: policy.propensity_scores(f.assign(x=[np.nan] + [1.0] * 7), "t ~ x"),
        ValidationError,
        r"propensity_scores: 1 row has a missing value in 'x': row 0",
    ),
    # --- issue 11 probe: infinite values name their row
    (
        "balance covariate inf",
        lambda f: policy.balance_table(f.assign(x=f["x"].where(f.index != 3, np.inf)), "t", ["x"]),
        ValidationError,
        r"balance_table: column 'x' holds 1 infinite value \(inf\) at row 3",
    ),
    (
        "corr inf",
        lambda f: policy.correlation(f["x"].where(f.index != 1, np.inf), f["y"]),
        ValidationError,
        r"correlation: column 'x' holds 1 infinite value \(inf\) at row 1",
    ),
    (
        "ipw inf outcome",
        lambda f: policy.ipw(f["y"].where(f.index != 4, np.inf), f["t"], [0.5] * 8),
        ValidationError,
        r"ipw: outcome has 1 infinite value \(position 4 = inf\)",
    ),
    (
        "ipw labelled inf outcome",
        lambda f: policy.ipw(
            f["y"].where(f.index != 4, -np.inf).set_axis(list("abcdefgh")),
            f["t"].set_axis(list("abcdefgh")),
            pd.Series([0.5] * 8, index=list("abcdefgh")),
        ),
        ValidationError,
        r"ipw: outcome has 1 infinite value \(e = -inf\)",
    ),
    (
        "ols inf outcome",
        lambda f: policy.adjusted_ols(f.assign(y=f["y"].where(f.index != 2, np.inf)), "y ~ x"),
        ValidationError,
        r"adjusted_ols: column 'y' holds 1 infinite value \(inf\) at row 2",
    ),
    (
        "ps inf regressor",
        lambda f: policy.propensity_scores(
            f.assign(x=f["x"].where(f.index != 5, -np.inf)), "t ~ x"
        ),
        ValidationError,
        r"propensity_scores: column 'x' holds 1 infinite value \(-inf\) at row 5",
    ),
    (
        "boot inf outcome",
        lambda f: policy.ipw_bootstrap(
            f.assign(y=f["y"].where(f.index != 6, np.inf)), "y", "t ~ x", n_boot=5
        ),
        ValidationError,
        r"ipw_bootstrap: column 'y' holds 1 infinite value \(inf\) at row 6",
    ),
    # --- a Series with labels beside a plain array: refused, never combined by position
    (
        "corr reversed Series + array",
        lambda f: policy.correlation(f["x"].iloc[::-1], f["y"].to_numpy()),
        ValidationError,
        (
            r"correlation: x is a Series indexed by labels \(7, 6, 5 \(and 5 more\)\) "
            r"but y is a plain ndarray without labels"
        ),
    ),
    (
        "corr array + labelled Series",
        lambda f: policy.correlation(f["x"].tolist(), f["y"].set_axis(list("abcdefgh"))),
        ValidationError,
        (
            r"y is a Series indexed by labels \('a', 'b', 'c' \(and 5 more\)\) but x is "
            r"a plain ndarray"
        ),
    ),
    (
        "ipw reversed Series + lists",
        lambda f: policy.ipw(f["y"].iloc[::-1], f["t"].tolist(), [0.5] * 8),
        ValidationError,
        (
            r"ipw: outcome is a Series indexed by labels \(7, 6, 5 \(and 5 more\)\) "
            r"but treat is a plain ndarray"
        ),
    ),
    (
        "overlap labelled ps + list",
        lambda f: policy.overlap(f["t"].tolist(), pd.Series([0.5] * 8, index=list("abcdefgh"))),
        ValidationError,
        r"overlap: ps is a Series indexed by labels",
    ),
    # --- scores that are not probabilities
    (
        "overlap ps 1.5",
        lambda f: policy.overlap(f["t"], pd.Series([0.5] * 7 + [1.5])),
        ValidationError,
        (
            r"overlap: propensity scores are probabilities and must lie in \[0, 1\]; "
            r"1 is outside \(7 = 1.5\)"
        ),
    ),
    (
        "overlap ps negative",
        lambda f: policy.overlap(f["t"], pd.Series([-0.2, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 3.0])),
        ValidationError,
        r"must lie in \[0, 1\]; 2 are outside \(0 = -0.2, 7 = 3\)",
    ),
    # --- messages that name the offender
    (
        "balance treat NaN row",
        lambda f: policy.balance_table(
            f.assign(t=f["t"].where(f.index != 3)).set_axis([f"r{i}" for i in range(8)]), "t", ["x"]
        ),
        ValidationError,
        (
            r"balance_table: t must be 0/1 or True/False; found values 0.0, 1.0, "
            r"missing\. Missing at row r3"
        ),
    ),
    (
        "balance categorical string",
        lambda f: policy.balance_table(f, "t", ["x"], categorical="g"),
        ValidationError,
        (
            r"balance_table: categorical must be a list or tuple of column names; got "
            r"the string 'g' \(write categorical=\['g'\]\)"
        ),
    ),
    (
        "balance covariates string",
        lambda f: policy.balance_table(f, "t", "x"),
        ValidationError,
        (
            r"balance_table: covariates must be a list or tuple of column names; got "
            r"the string 'x'"
        ),
    ),
    (
        "ols text regressor value",
        lambda f: policy.adjusted_ols(
            f.assign(x=f["x"].astype(object).where(f.index != 2, "1,2")), "y ~ x"
        ),
        ValidationError,
        r"adjusted_ols: column 'x' holds text \(e.g. '1,2' in row 2\)",
    ),
    (
        "cutpoints not a result",
        lambda f: policy.ordered_cutpoints("not a result"),
        ValidationError,
        (
            r"ordered_cutpoints: results must be the fitted result of ordered_logit\(\) "
            r"\(statsmodels OrderedResults\), not str"
        ),
    ),
]


@pytest.mark.parametrize(
    ("label", "call", "error", "message"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS]
)
def test_bad_input_is_named(frame6, label, call, error, message):
    with pytest.raises(error, match=message) as info:
        call(frame6)
    assert type(info.value) is error


def test_missing_drop_is_reported(frame6):
    f = frame6.assign(x=[np.nan, 2, 3, 4, 5, 6, 7, 9])
    with pytest.warns(DroppedRowsWarning, match="row 0"):
        res, info = policy.adjusted_ols(f, "y ~ x", cluster="g", missing="drop")
    assert info["n"] == 7 and info["dropped"].index.tolist() == [0]
    full = policy.adjusted_ols(f.iloc[1:], "y ~ x", cluster="g")[0]
    assert res.params["x"] == pytest.approx(full.params["x"])
    with pytest.warns(DroppedRowsWarning):
        c = policy.correlation(f["x"], f["y"], missing="drop", n_boot=20, n_perm=20)
    assert c["n"] == 7 and c["dropped"].index.tolist() == [0]
    assert c["r"] == pytest.approx(stats.pearsonr(f["x"][1:], f["y"][1:])[0])
    with pytest.warns(DroppedRowsWarning, match="x"):
        b = policy.balance_table(f, "t", ["x"])
    assert b["n_missing"].item() == 1


def test_correlation_aligns_series_by_label():
    x = pd.Series([1.0, 2, 3, 4, 5], index=list("abcde"))
    y = pd.Series([2.0, 4, 5, 4, 5], index=list("abcde"))
    shuffled = y.iloc[[4, 2, 0, 3, 1]]
    assert policy.correlation(x, shuffled, n_boot=10, n_perm=10)["r"] == pytest.approx(
        stats.pearsonr(x, y)[0]
    )


def _probe_frame(n=40, seed=2):
    """The reviewer's frame (issue 11 probe): treatment selected on x."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    t = (x + rng.normal(size=n) > 0).astype(int)
    y = 1 + x + 0.5 * t + rng.normal(size=n)
    return pd.DataFrame({"t": t, "x": x, "z": z, "y": y}, index=[f"r{i}" for i in range(n)])


def test_ipw_bootstrap_failure_after_trimming_names_the_trim():
    from cityresearch._errors import EstimationError

    f = _probe_frame()
    with pytest.raises(
        EstimationError,
        match=r"after trimming to scores in \[0.45, 0.55\] "
        r"\(\d+ units trimmed, \d+ kept\).*Relax trim=",
    ):
        policy.ipw_bootstrap(f, "y", "t ~ x", n_boot=5, trim=(0.45, 0.55))


def test_treatment_codes_checked_before_alignment():
    # the treatment's codes are named even when the inputs cannot be aligned
    y = pd.Series([1.0, 2, 3, 4], index=list("abcd"))
    with pytest.raises(ValidationError, match=r"ipw: treat must be 0/1.*'no', 'yes'"):
        policy.ipw(y, np.array(["yes", "no", "yes", "no"]), np.array([0.5] * 4))


def test_arrays_beside_default_index_series_still_combine():
    # a default 0..n-1 index: label and position agree, the result is the all-array one
    x = [1.0, 2, 3, 4, 5]
    y = [2.0, 4, 5, 4, 5]
    a = policy.correlation(pd.Series(x), y, n_boot=10, n_perm=10)
    assert a["r"] == pytest.approx(stats.pearsonr(x, y)[0])
    r = policy.ipw(pd.Series([5.0, 7.0, 1.0, 3.0]), [1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])
    assert r["effect"] == 4.0


# ------------------------------------------------------------------ result objects (0.2)


def _strata():
    """One binary covariate; scores 2/6 (x = 0) and 4/6 (x = 1), hand-computable IPW."""
    return pd.DataFrame(
        {
            "x": [0] * 6 + [1] * 6,
            "t": [1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1],
            "y": [5, 1, 2, 3, 2, 7, 10, 12, 11, 6, 8, 9.0],
        }
    )


def test_correlation_result_fields_tidy_and_summary():
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    y = np.array([2.0, 1, 4, 3, 6, 5, 8, 9])
    c = policy.correlation(x, y, n_boot=300, n_perm=300, seed=3)
    assert isinstance(c, policy.CorrelationResult)
    r = stats.pearsonr(x, y)[0]  # independent implementation
    assert c.r == c["r"] == pytest.approx(r)
    # the old dict keys are all still there, in the old order, then the new fields
    assert list(c)[:9] == [
        "method", "r", "ci_lo", "ci_hi", "p_perm", "n", "n_boot", "n_perm", "dropped",
    ]  # fmt: skip
    assert dict(c)["n"] == 8 and "se_boot" in c
    # the bootstrap draws, recomputed from the same generator
    rng = np.random.default_rng(3)
    idx = rng.integers(0, 8, size=(300, 8))
    boots = np.array([np.corrcoef(x[i], y[i])[0, 1] for i in idx])
    boots = boots[~np.isnan(boots)]
    assert c.se_boot == pytest.approx(boots.std(ddof=1))
    assert (c.ci_lo, c.ci_hi) == pytest.approx(tuple(np.quantile(boots, [0.025, 0.975])))
    t = c.tidy()
    assert t.shape[0] == 1
    row = t.iloc[0]
    assert (row["estimate"], row["conf_low"], row["conf_high"], row["p_value"]) == (
        c.r,
        c.ci_lo,
        c.ci_hi,
        c.p_perm,
    )
    assert (row["n_obs"], row["n_boot"], row["n_perm"], row["conf_level"]) == (8, 300, 300, 0.95)
    assert (row["term"], row["method"], row["n_dropped"]) == ("pearson r", "pearson", 0)
    assert "statistic" not in t  # a permutation p-value, no test statistic
    text = c.summary()
    assert text == repr(c)
    assert f"r = {r:.3f}" in text and "95% percentile bootstrap interval" in text
    assert "n = 8 pairs, 0 dropped" in text


def test_ipw_result_fields_tidy_and_summary():
    r = policy.ipw([5.0, 7.0, 1.0, 3.0], [1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])
    assert isinstance(r, policy.IPWResult)
    assert (r.effect, r["effect"], r.mean_treated, r.mean_control_weighted) == (4.0, 4.0, 6.0, 2.0)
    assert r.ess_control == 2.0 and (r.n_treated, r.n_control) == (2, 2)
    assert list(r) == [
        "estimand",
        "effect",
        "mean_treated",
        "mean_control_weighted",
        "ess_control",
        "n_treated",
        "n_control",
    ]
    t = r.tidy().iloc[0]
    assert t["estimate"] == 4.0 and t["term"] == "ATT" and t["n_obs"] == 4
    assert "std_error" not in t and np.isnan(t["conf_low"]) and np.isnan(t["conf_high"])
    assert "IPW ATT = 4" in r.summary() and "use ipw_bootstrap" in r.summary()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.effect = 5.0  # type: ignore[misc]


def test_ipw_bootstrap_result_fields_tidy_and_summary():
    f = _strata()
    boot = policy.ipw_bootstrap(f, "y", "t ~ x", n_boot=60, seed=4, confidence=0.9)
    assert isinstance(boot, policy.IPWBootstrapResult)
    d0 = np.mean([5, 7]) - np.mean([1, 2, 3, 2])
    d1 = np.mean([10, 12, 11, 9]) - np.mean([6, 8])
    assert boot.effect == pytest.approx((2 * d0 + 4 * d1) / 6)  # hand-computed ATT
    assert boot.n_boot == 60 and boot.n_boot_used == boot.B_used == boot["B_used"]
    assert boot.n_boot_skipped == boot.B_skipped
    assert set(policy.ipw(f["y"], f["t"], [0.5] * 12)) < set(boot)  # IPW's fields, then more
    t = boot.tidy()
    assert t.shape[0] == 1
    row = t.iloc[0]
    assert row["estimate"] == boot.effect and row["std_error"] == boot.se_boot
    assert (row["conf_low"], row["conf_high"], row["conf_level"]) == (boot.ci_lo, boot.ci_hi, 0.9)
    assert row["n_boot"] == 60 and row["n_boot_used"] == boot.B_used and row["n_trimmed"] == 0
    assert row["term"] == "ATT" and row["n_obs"] == boot.n_treated + boot.n_control == 12
    assert "90% percentile interval" in boot.summary()
    assert f"{boot.B_used:,} of 60 draws used" in boot.summary()


def test_wild_bootstrap_result_fields_tidy_and_summary():
    f = _small(5, seed=5)
    r = policy.wild_cluster_bootstrap(f, "y ~ d + x", "d", "g", weights="rademacher")
    assert isinstance(r, policy.WildBootstrapResult)
    X = sm.add_constant(f[["d", "x"]].to_numpy(dtype=float))
    t_ref, beta = _cr1_t(X, f["y"].to_numpy(dtype=float), f["g"].to_numpy(), 1)
    assert r.t == r["t"] == pytest.approx(t_ref) and r.estimate == pytest.approx(beta[1])
    assert r.std_error == pytest.approx(beta[1] / t_ref)
    assert (r.p_boot, r.B) == pytest.approx(_brute_force_p(f, (-1.0, 1.0), 5))
    assert r.param == "d" and r.n_boot_used == r["B"] == 32
    row = r.tidy().iloc[0]
    assert (row["term"], row["estimate"], row["statistic"], row["p_value"]) == (
        "d",
        r.estimate,
        r.t,
        r.p_boot,
    )
    assert (row["p_value_t"], row["df"], row["n_clusters"]) == (r.p_analytic, 4, 5)
    assert np.isnan(row["conf_low"]) and np.isnan(row["conf_high"]) and row["n_dropped"] == 0
    assert "wild bootstrap p = " in r.summary() and "t(4) p = " in r.summary()


# ------------------------------------------------------------------ deprecated B= (0.2)


def test_ipw_bootstrap_old_B_keyword_warns_and_matches():
    f = _strata()
    new = policy.ipw_bootstrap(f, "y", "t ~ x", n_boot=40, seed=2)
    with pytest.warns(CityResearchDeprecationWarning, match=r"ipw_bootstrap\(n_boot=\.\.\.\)"):
        old = policy.ipw_bootstrap(f, "y", "t ~ x", B=40, seed=2)
    assert _same(old, new) and old.B_used == new.B_used and old.n_boot == 40
    with pytest.raises(ValidationError, match="pass only n_boot="):
        policy.ipw_bootstrap(f, "y", "t ~ x", B=40, n_boot=40)


def test_wild_cluster_bootstrap_old_B_keyword_warns_and_matches():
    f = _small(12, seed=1)  # 2^12 Rademacher vectors > 999: random draws, so B matters
    new = policy.wild_cluster_bootstrap(
        f, "y ~ d + x", "d", "g", n_boot=99, seed=7, max_enumeration=0
    )
    with pytest.warns(CityResearchDeprecationWarning, match=r"wild_cluster_bootstrap\(n_boot="):
        old = policy.wild_cluster_bootstrap(
            f, "y ~ d + x", "d", "g", B=99, seed=7, max_enumeration=0
        )
    assert _same(old, new) and old.B == new.B == 99


def test_drop_warnings_point_at_the_callers_line(frame6):
    """The warning names the caller's file, not the @renamed wrapper or a helper."""
    f = frame6.assign(x=[np.nan, 2, 3, 4, 5, 6, 7, 9])
    calls = {
        "adjusted_ols": lambda: policy.adjusted_ols(f, "y ~ x", cluster="g", missing="drop"),
        "wild_cluster_bootstrap": lambda: policy.wild_cluster_bootstrap(
            f, "y ~ x", "x", "g", missing="drop"
        ),
        "ipw_bootstrap": lambda: policy.ipw_bootstrap(
            f, "y", "t ~ x", n_boot=5, seed=0, missing="drop"
        ),
    }
    for name, call in calls.items():
        with pytest.warns(DroppedRowsWarning) as record:
            call()
        files = {w.filename for w in record if issubclass(w.category, DroppedRowsWarning)}
        assert files == {__file__}, name
