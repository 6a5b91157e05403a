"""Selection-aware statistics on small examples with known answers."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from cityresearch import policy
from cityresearch._errors import (
    DroppedRegressorWarning,
    SeparationError,
    SingularDesignError,
    ValidationError,
)


def _same(a: dict, b: dict) -> bool:
    """Equal results, the frames of dropped rows compared as frames."""
    return ({k: x for k, x in a.items() if k != "dropped"}
            == {k: x for k, x in b.items() if k != "dropped"}
            and a["dropped"].equals(b["dropped"]))


def test_balance_table_hand_computed():
    f = pd.DataFrame({"t": [1, 1, 0, 0, 0], "x": [2.0, 4.0, 1.0, 2.0, 3.0],
                      "c": ["a", "b", "a", "a", "b"]})
    b = policy.balance_table(f, "t", ["x"], categorical=("c",)).set_index("covariate")
    # treated mean 3, var 2; control mean 2, var 1 -> d = 1 / sqrt(1.5)
    assert b.loc["x", "std_diff"] == pytest.approx(1 / np.sqrt(1.5))
    assert b.loc["c=a", "mean_treated"] == 0.5 and b.loc["c=a", "mean_control"] == pytest.approx(2 / 3)


def test_participation_frame():
    f = policy.participation_frame()
    assert len(f) == 514 and f["participant"].sum() == 98
    blitar = f.set_index("bps_code").loc["3505"]
    assert blitar["cohort_year"] == 2018 and blitar["grdp_pc_idr_k"] == 19128  # 2016
    with pytest.raises(ValidationError):
        policy.participation_frame(2018)


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
    return pd.DataFrame({"g": g, "x": x, "d": d, "y0": 1 + 2 * x + u, "y1": 1 + 2 * x + 1.5 * d + u})


def test_adjusted_ols_and_wild_bootstrap(clustered):
    res, info = policy.adjusted_ols(clustered, "y1 ~ d + x", cluster="g")
    assert res.params["x"] == pytest.approx(2, abs=0.3) and info["n_clusters"] == 30
    assert info["few_clusters"]
    strong = policy.wild_cluster_bootstrap(clustered, "y1 ~ d + x", "d", "g", B=499, seed=1)
    null = policy.wild_cluster_bootstrap(clustered, "y0 ~ d + x", "d", "g", B=499, seed=1)
    assert strong["p_boot"] < 0.01 and null["p_boot"] > 0.05
    assert strong["t"] == pytest.approx(res.tvalues["d"])
    assert _same(null, policy.wild_cluster_bootstrap(clustered, "y0 ~ d + x", "d", "g", B=499,
                                                     seed=1))
    with pytest.raises(ValidationError, match="not a coefficient"):
        policy.wild_cluster_bootstrap(clustered, "y0 ~ x", "d", "g")


def test_ipw_equals_exact_stratification():
    # one binary covariate: the saturated propensity model reproduces stratum shares,
    # and IPW-ATT equals the treated-weighted average of within-stratum differences
    f = pd.DataFrame({
        "x": [0] * 6 + [1] * 6,
        "t": [1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1],
        "y": [5, 1, 2, 3, 2, 7, 10, 12, 11, 6, 8, 9.0],
    })
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
    boot = policy.ipw_bootstrap(f, "y", "t ~ x", B=200, seed=0)
    assert boot["effect"] == pytest.approx(est["effect"]) and boot["se_boot"] > 0
    assert boot["n_trimmed"] == 0 and 0 < boot["B_used"] <= 200
    # trimming at (0.4, 1): the x = 0 stratum (score 1/3) is dropped entirely, so x has no
    # variation among the kept units; the refitted score leaves it out (saying so) and is the
    # treated share 4/6, making IPW-ATT the plain difference in means of the x = 1 stratum
    with pytest.warns(DroppedRegressorWarning, match=r"\['x'\] have no variation"):
        trimmed = policy.ipw_bootstrap(f, "y", "t ~ x", B=50, seed=0, trim=(0.4, 1.0))
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
        policy.ipw_bootstrap(f.assign(y=range(8)), "y", "t ~ x", B=10)


def test_linalg_failure_is_named(monkeypatch):
    # some numpy/LAPACK builds raise "Singular matrix" inside statsmodels' Newton steps
    import statsmodels.discrete.discrete_model as dm

    def singular(self, *a, **k):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(dm.Logit, "fit", singular)
    f = pd.DataFrame({"t": [1, 0, 1, 0, 1, 0], "x": [1.0, 2, 3, 4, 5, 7]})
    with pytest.raises(SingularDesignError, match="Singular matrix"):
        policy.propensity_scores(f, "t ~ x")
