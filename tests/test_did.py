"""Callaway-Sant'Anna ATT(g,t): R did 2.5.0 references, constructed data, bad input.

Reference files and the R calls that produced them (d2cml-ai/csdid, MIT):
``generate_reference.R`` (ref_attgt/ref_aggte/ref_pretest), ``generate_gaps_reference.R``
(ref_gaps on mpdta_extra), ``generate_sim_reference.R`` (ref_sim on tp*.csv, ``xformla = ~X``),
``generate_fixweights_reference.R`` (ref_fixweights on mpdta_tvw). Every case below
repeats the R call's options.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from cityresearch import _did_estimators as est
from cityresearch import data, did
from cityresearch._errors import (
    CityResearchDeprecationWarning,
    DroppedRowsWarning,
    ValidationError,
)

MP = dict(y="lemp", cohort="first.treat", time="year", unit="countyreal")
SIM = dict(y="Y", cohort="G", time="period", unit="id")
ATT_TOL = 1e-6  # absolute, ATT(g,t) and aggregated effects
SE_RTOL = 1e-6  # relative, standard errors

# scenario -> (input data set, columns, att_gt options) as in generate_reference.R
MAIN = {
    "mpdta_nev_dr": ("mpdta", MP, {}),
    "mpdta_nyt_dr": ("mpdta", MP, dict(control_group="notyettreated")),
    "mpdta_nev_reg_cov": ("mpdta", MP, dict(covariates="~lpop", est_method="reg")),
    "mpdta_nev_ipw": ("mpdta", MP, dict(est_method="ipw")),
    "sim_nev_dr": ("sim_data", SIM, dict(covariates="~X")),
}
# generate_gaps_reference.R, all est_method = "reg", never-treated
GAPS = {
    "rc": dict(panel_data=False),
    "universal": dict(base_period="universal"),
    "anticipation1": dict(anticipation=1),
    "weighted": dict(weights="wt"),
    "clustered": dict(cluster="clust"),
}
SIMS = [
    (ds, cg, em)
    for ds in ("tp2_const", "tp4_const", "tp4_dyn", "tp5_dyn", "tp8_dyn", "tp10_const")
    for cg in ("nevertreated", "notyettreated")
    for em in ("dr", "reg")
]


def _fit(name, cols, **opts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return did.att_gt(data.load_did_reference_data(name), **cols, **opts)


def _assert_attgt(res, ref, n_expected):
    m = res.attgt.merge(ref, on=["group", "t"], suffixes=("", "_r"), how="outer", indicator=True)
    assert (m["_merge"] == "both").all(), m[m["_merge"] != "both"]
    assert len(m) == n_expected
    assert np.abs(m["att"] - m["att_r"]).max() < ATT_TOL
    # R reports no SE (NA) where the ATT is 0 by construction (universal base period)
    assert (m["se"].isna() == m["se_r"].isna()).all()
    se = m.dropna(subset=["se_r"])
    assert (np.abs(se["se"] / se["se_r"] - 1) < SE_RTOL).all()


@pytest.fixture(scope="module")
def main_results():
    return {k: _fit(d, c, **o) for k, (d, c, o) in MAIN.items()}


@pytest.mark.data
@pytest.mark.parametrize("scenario", list(MAIN))
def test_attgt_reproduces_r_did(main_results, scenario):
    ref = data.load_did_reference("attgt")
    ref = ref[ref["scenario"] == scenario]
    _assert_attgt(main_results[scenario], ref, len(ref))


@pytest.mark.data
def test_mpdta_published_values(main_results):
    a = main_results["mpdta_nev_dr"].attgt.set_index(["group", "t"])["att"]
    assert a[(2004, 2004)] == pytest.approx(-0.0105032, abs=1e-7)
    assert a[(2006, 2006)] == pytest.approx(-0.0045946, abs=1e-7)
    assert a[(2006, 2007)] == pytest.approx(-0.0412245, abs=1e-7)


@pytest.mark.data
@pytest.mark.parametrize("scenario", list(MAIN))
@pytest.mark.parametrize("kind", ["simple", "group", "dynamic", "calendar"])
def test_aggregations_reproduce_r_did(main_results, scenario, kind):
    ref = data.load_did_reference("aggte")
    ref = ref[(ref["scenario"] == scenario) & (ref["type"] == kind)]
    agg = main_results[scenario].aggte(kind)
    assert agg.overall_att == pytest.approx(ref["overall_att"].iloc[0], abs=ATT_TOL)
    assert agg.overall_se == pytest.approx(ref["overall_se"].iloc[0], rel=SE_RTOL)
    rows = ref.dropna(subset=["egt"])
    assert len(agg.table) == len(rows)
    tab = agg.table.set_index(agg.table["egt"].astype(float))
    for r in rows.itertuples():
        assert tab.loc[r.egt, "att"] == pytest.approx(r.att_egt, abs=ATT_TOL)
        assert tab.loc[r.egt, "se"] == pytest.approx(r.se_egt, rel=SE_RTOL)
    # the backwards-compatible frame (egt ..., "overall")
    frame = main_results[scenario].aggregate(kind).set_index("egt")
    assert frame.loc["overall", "att"] == pytest.approx(agg.overall_att, abs=1e-15)


@pytest.mark.data
@pytest.mark.parametrize("scenario", list(MAIN))
def test_pretest_reproduces_r_did(main_results, scenario):
    ref = data.load_did_reference("pretest").set_index("scenario").loc[scenario]
    p = main_results[scenario].pretest
    assert p.statistic == pytest.approx(ref["W"], rel=1e-6)
    assert p.pvalue == pytest.approx(ref["Wpval"], abs=5e-6 + 1e-9)  # R rounds to 5 decimals


@pytest.mark.data
@pytest.mark.parametrize("scenario", list(GAPS))
def test_gaps_scenarios_reproduce_r_did(scenario):
    ref = data.load_did_reference("gaps")
    ref = ref[ref["scenario"] == scenario]
    res = _fit("mpdta_extra", MP, est_method="reg", **GAPS[scenario])
    _assert_attgt(res, ref, len(ref))


@pytest.mark.data
def test_universal_base_has_zero_at_base_and_anticipation_drops_2004():
    ref = data.load_did_reference("gaps")
    uni = _fit("mpdta_extra", MP, est_method="reg", base_period="universal").attgt
    base = uni[uni["t"] == uni["group"] - 1]
    assert (base["att"] == 0).all() and base["se"].isna().all() and len(base) == 3
    with pytest.warns(UserWarning, match="cohort 2004 has no pre-treatment period"):
        ant = did.att_gt(
            data.load_did_reference_data("mpdta_extra"), **MP, est_method="reg", anticipation=1
        )
    assert 2004 not in set(ant.attgt["group"])
    assert len(ant.attgt) == (ref["scenario"] == "anticipation1").sum() == 8


@pytest.mark.data
@pytest.mark.parametrize("dataset,control,method", SIMS)
def test_simulated_panels_reproduce_r_did(dataset, control, method):
    ref = data.load_did_reference("sim")
    ref = ref[(ref["dataset"] == dataset) & (ref["control"] == control) & (ref["est"] == method)]
    res = _fit(dataset, SIM, covariates=["X"], control_group=control, est_method=method)
    _assert_attgt(res, ref, len(ref))


@pytest.mark.data
@pytest.mark.parametrize("tag", ["none", "base_period", "first_period", "varying"])
def test_time_varying_weights_reproduce_r_did(tag):
    # "varying": each unit's base-period outcome weighted by its base-period weight,
    # its period-t outcome by its period-t weight (repeated cross-section estimator
    # on the stacked unit-periods); its ATT differs from every fixed choice
    ref = data.load_did_reference("fixweights")
    ref = ref[ref["fix_weights"] == tag]
    res = _fit(
        "mpdta_tvw", MP, est_method="reg", weights="wt", fix_weights=None if tag == "none" else tag
    )
    _assert_attgt(res, ref, 12)


# ---------------------------------------------------------------- influence functions
def _perturbation_check(fn, args, d, x, w):
    """n * w_i * d att / d w_i must equal the influence function.

    The estimate is a functional of the weighted empirical distribution; moving
    weight eps onto observation i moves it by eps * phi_i / sum(w) (Gateaux
    derivative), and the influence function is (w_i / mean(w)) * phi_i.
    """
    att, inf, _ = fn(*args, d, x, w)
    n, eps = len(d), 1e-6
    for i in range(0, n, max(1, n // 25)):
        wp, wm = w.copy(), w.copy()
        wp[i] += eps
        wm[i] -= eps
        deriv = (fn(*args, d, x, wp)[0] - fn(*args, d, x, wm)[0]) / (2 * eps)
        assert deriv * n * w[i] == pytest.approx(inf[i], rel=1e-4, abs=1e-6)
    assert abs(inf.mean()) < 1e-8
    return att


@pytest.mark.parametrize("method", ["reg", "ipw", "dr"])
@pytest.mark.parametrize("panel", [True, False])
def test_influence_function_is_the_derivative_of_the_estimate(method, panel):
    # checks every estimator, including the repeated cross-section IPW and DR
    # versions that the R references do not cover, with covariates and weights
    rng = np.random.default_rng(3)
    n = 400
    z = rng.normal(size=(n, 2))
    x = np.column_stack([np.ones(n), z])
    d = (rng.random(n) < 1 / (1 + np.exp(-(0.3 + z[:, 0])))).astype(float)
    w = rng.uniform(0.5, 2.0, n)
    if panel:
        dy = 1 + z @ [0.5, -0.3] + 0.7 * d + rng.normal(size=n)
        _perturbation_check(est.PANEL[method], (dy,), d, x, w)
    else:
        post = (rng.random(n) < 0.5).astype(float)
        y = (
            z @ [0.5, -0.3]
            + post * (1 + 0.4 * z[:, 1])
            + 0.7 * d * post
            + 0.2 * d
            + rng.normal(size=n)
        )
        _perturbation_check(est.RC[method], (y, post), d, x, w)


@pytest.mark.data
def test_repeated_cross_section_estimators_agree_without_covariates():
    # without covariates reg, ipw and dr are the same 2x2 DiD of means (and SEs)
    ex = data.load_did_reference_data("mpdta_extra")
    res = {m: _fit("mpdta_extra", MP, est_method=m, panel_data=False) for m in ("reg", "ipw", "dr")}
    ref = data.load_did_reference("gaps")
    _assert_attgt(res["dr"], ref[ref["scenario"] == "rc"], 12)
    _assert_attgt(res["ipw"], ref[ref["scenario"] == "rc"], 12)
    assert res["dr"].n == len(ex)


# ---------------------------------------------------------------- constructed data
def _constructed(seed=1, n=30, covariate_trend=0.0):
    """Unit effects, common trend; cohort 2003 gains +2 from 2003 on, cohort 2004
    gains +1 in 2004 and +3 in 2005; a covariate x shifts the trend by covariate_trend*x."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        g = [0, 2003, 2004][i % 3]
        alpha = rng.normal()
        x = rng.normal() + (1.0 if g else 0.0)  # treated units have larger x
        for t in range(2001, 2006):
            effect = 0.0
            if g == 2003 and t >= 2003:
                effect = 2.0
            if g == 2004 and t >= 2004:
                effect = 1.0 if t == 2004 else 3.0
            rows.append((i, t, g, x, alpha + 0.5 * t + covariate_trend * x * t + effect))
    return pd.DataFrame(rows, columns=["id", "year", "g", "x", "y"])


def test_known_effect_on_constructed_panel():
    panel = _constructed()
    r = did.att_gt(panel, y="y", cohort="g", time="year", unit="id")
    a = r.attgt.set_index(["group", "t"])["att"]
    assert a[(2003, 2003)] == pytest.approx(2.0) and a[(2003, 2005)] == pytest.approx(2.0)
    assert a[(2004, 2004)] == pytest.approx(1.0) and a[(2004, 2005)] == pytest.approx(3.0)
    assert a[(2004, 2002)] == pytest.approx(0.0, abs=1e-12)  # parallel pre-trends
    dyn = r.aggregate("dynamic").set_index("egt")["att"]
    assert dyn[0] == pytest.approx(1.5) and dyn[1] == pytest.approx(2.5)


@pytest.mark.parametrize("method", ["reg", "ipw", "dr"])
def test_varying_weights_with_constant_weights_equal_the_panel_estimator(method):
    # fix_weights="varying" runs the repeated cross-section estimator on the stacked
    # unit-periods and folds its influence function back to units; with weights that
    # do not change over time this must give the panel estimator's ATT and SE exactly
    p = _constructed(seed=4, n=60, covariate_trend=0.1)
    rng = np.random.default_rng(5)
    p["y"] += rng.normal(size=len(p))
    p["w"] = p["id"].map(dict(enumerate(rng.uniform(0.5, 2.0, 60))))
    kw = dict(
        y="y", cohort="g", time="year", unit="id", covariates=["x"], weights="w", est_method=method
    )
    a = did.att_gt(p, **kw).attgt
    b = did.att_gt(p, fix_weights="varying", **kw).attgt
    assert np.abs(a["att"] - b["att"]).max() < 1e-10
    assert np.abs(b["se"] / a["se"] - 1).max() < 1e-9
    # with weights that change over time the two differ
    p["w"] = p["w"] * (1 + 0.3 * (p["year"] - 2001) * (p["id"] % 2))
    c = did.att_gt(p, fix_weights="varying", **kw).attgt
    d = did.att_gt(p, **kw).attgt
    assert np.abs(c["att"] - d["att"]).max() > 1e-3


@pytest.mark.parametrize("method", ["reg", "dr"])
def test_covariates_remove_bias_of_covariate_specific_trends(method):
    # trends depend on x and treated units have larger x: unconditional DiD is
    # biased, the conditional (linear in x, exact here) estimators are not
    panel = _constructed(n=60, covariate_trend=0.3)
    unc = did.att_gt(panel, y="y", cohort="g", time="year", unit="id").attgt.set_index(
        ["group", "t"]
    )
    con = did.att_gt(
        panel, y="y", cohort="g", time="year", unit="id", covariates=["x"], est_method=method
    ).attgt.set_index(["group", "t"])
    assert abs(unc.loc[(2003, 2003), "att"] - 2.0) > 0.1
    assert con.loc[(2003, 2003), "att"] == pytest.approx(2.0, abs=1e-9)
    assert con.loc[(2004, 2005), "att"] == pytest.approx(3.0, abs=1e-9)
    assert con.loc[(2004, 2002), "att"] == pytest.approx(0.0, abs=1e-9)


def test_not_yet_treated_uses_later_cohorts():
    panel = _constructed()
    r = did.att_gt(panel, y="y", cohort="g", time="year", unit="id", control_group="notyettreated")
    a = r.attgt.set_index(["group", "t"])
    # 2003 at 2003: never treated (10) + cohort 2004 (10, not yet treated) are controls
    assert a.loc[(2003, 2003), "n_control"] == 20
    assert a.loc[(2003, 2004), "n_control"] == 10
    assert a.loc[(2003, 2003), "att"] == pytest.approx(2.0)


def test_never_treated_coded_missing_equals_zero():
    panel = _constructed()
    r0 = did.att_gt(panel, y="y", cohort="g", time="year", unit="id")
    r1 = did.att_gt(
        panel.assign(g=panel["g"].replace(0, np.nan)), y="y", cohort="g", time="year", unit="id"
    )
    pd.testing.assert_frame_equal(r0.attgt, r1.attgt)


def test_balance_e_and_event_window_by_hand():
    panel = _constructed(n=45)
    r = did.att_gt(panel, y="y", cohort="g", time="year", unit="id")
    a = r.attgt.set_index(["group", "t"])["att"]
    # balance_e=2: only cohorts observed 2 periods after treatment (2003: 2003..2005)
    dyn = r.aggte("dynamic", balance_e=2).table.set_index("egt")["att"]
    assert dyn[1] == pytest.approx(a[(2003, 2004)])
    assert dyn[2] == pytest.approx(a[(2003, 2005)])
    assert set(dyn.index) <= {-2, -1, 0, 1, 2} and -3 not in dyn.index
    win = r.aggte("dynamic", min_e=-1, max_e=1)
    assert list(win.table["egt"]) == [-1, 0, 1]
    # overall = mean of event times 0 and 1; event time 1 only has cohort 2003 (+2) and 2004 (+3)
    assert win.overall_att == pytest.approx(np.mean([(2 + 1) / 2, (2 + 3) / 2]))
    simple = r.aggte("simple", max_e=0).overall_att
    assert simple == pytest.approx((2 + 1) / 2)


def test_missing_calendar_period_keeps_post_effects_and_warns():
    panel = _constructed()
    gap = panel[panel["year"] != 2003]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = did.att_gt(gap, y="y", cohort="g", time="year", unit="id")
    messages = [str(w.message) for w in caught]
    assert any("periods [2003] are missing" in m for m in messages)
    assert any("cohorts [2003] start in a period with no data" in m for m in messages)
    a = r.attgt.set_index(["group", "t"])
    # cohort 2004 still has both post-treatment effects, compared with 2002
    assert a.loc[(2004, 2004), "att"] == pytest.approx(1.0)
    assert a.loc[(2004, 2005), "att"] == pytest.approx(3.0)
    assert a.loc[(2004, 2004), "base"] == 2002
    # cohort 2003 starts where there is no data: first effect at 2004
    assert a.loc[(2003, 2004), "att"] == pytest.approx(2.0)
    assert any("no data" in n for n in r.notes)


def test_cohort_after_last_period_counts_as_never_treated():
    panel = _constructed()
    late = panel.assign(g=panel["g"].replace(0, 2010))
    with pytest.warns(UserWarning, match="count as never treated"):
        r = did.att_gt(late, y="y", cohort="g", time="year", unit="id")
    pd.testing.assert_frame_equal(
        r.attgt, did.att_gt(panel, y="y", cohort="g", time="year", unit="id").attgt
    )


def test_first_period_cohort_dropped_and_reported():
    panel = _constructed()
    panel.loc[panel["id"] == 0, "g"] = 2001
    with pytest.warns(UserWarning, match="dropped 1 units"):
        r = did.att_gt(panel, y="y", cohort="g", time="year", unit="id")
    assert list(r.dropped["unit"]) == [0]
    assert r.n == 29


# ---------------------------------------------------------------- bootstrap
@pytest.mark.data
@pytest.mark.slow
def test_bootstrap_se_agree_with_analytic_within_monte_carlo_error(main_results):
    # IQR-based SE from B draws has relative sd about 1.17/sqrt(B): 1.8% at B=4000.
    # Every ratio within 4 sd (7.5%) and their mean within 2%.
    B = 4000
    base = main_results["mpdta_nev_reg_cov"]
    boot = base.bootstrap(B, seed=11)
    ratio = boot.attgt["se"] / base.attgt["se"]
    assert (np.abs(ratio - 1) < 0.075).all(), ratio
    assert abs(ratio.mean() - 1) < 0.02
    dyn_a, dyn_b = base.aggte("dynamic"), boot.aggte("dynamic")
    assert np.allclose(dyn_b.table["se"], dyn_a.table["se"], rtol=0.075)
    # uniform critical value between pointwise 1.96 and Bonferroni over 12 estimates
    assert 1.96 < boot.crit < 3.04
    assert 1.96 < dyn_b.crit < 3.0
    rad = base.bootstrap(B, multiplier="rademacher", seed=11)
    assert np.allclose(rad.attgt["se"], base.attgt["se"], rtol=0.075)


@pytest.mark.data
def test_bootstrap_is_seeded_and_clustered(main_results):
    base = main_results["mpdta_nev_dr"]
    a, b = base.bootstrap(199, seed=5), base.bootstrap(199, seed=5)
    pd.testing.assert_frame_equal(a.attgt, b.attgt)
    assert a.crit == b.crit
    assert not np.allclose(a.attgt["se"], base.bootstrap(199, seed=6).attgt["se"])
    t = a.tidy()
    assert (t["band_high"] - t["band_low"] > t["conf_high"] - t["conf_low"]).all()
    # clustered bootstrap draws one multiplier per cluster: SEs near the clustered analytic ones
    cl = _fit("mpdta_extra", MP, est_method="reg", cluster="clust")
    clb = cl.bootstrap(2000, seed=1)
    assert np.allclose(clb.attgt["se"], cl.attgt["se"], rtol=0.2)


def test_single_estimate_uniform_band_is_pointwise():
    rng = np.random.default_rng(0)
    rows = [
        (i, t, g, rng.normal() + (1.0 if g and t >= g else 0))
        for i, g in enumerate([0] * 200 + [2] * 200)
        for t in (1, 2)
    ]
    p = pd.DataFrame(rows, columns=["id", "t", "g", "y"])
    r = did.att_gt(p, y="y", cohort="g", time="t", unit="id", n_boot=4000, seed=2)
    assert len(r.attgt) == 1
    assert r.crit == pytest.approx(1.96, abs=0.1)


# ---------------------------------------------------------------- presentation
@pytest.mark.data
def test_tidy_summary_plot(main_results):
    import matplotlib

    matplotlib.use("Agg")
    r = main_results["mpdta_nev_reg_cov"].bootstrap(199, seed=1)
    t = r.tidy()
    assert list(t.columns[:6]) == [
        "term",
        "estimate",
        "std_error",
        "conf_low",
        "conf_high",
        "conf_level",
    ]
    assert list(t.columns[6:]) == ["cohort", "time", "event_time", "post", "band_low", "band_high"]
    assert (t["event_time"] == t["time"] - t["cohort"]).all()
    assert (t["cohort"].to_numpy() == r.attgt["group"].to_numpy()).all()
    first = r.attgt.iloc[0]
    assert t["term"].iloc[0] == f"ATT({first['group']},{first['t']})"
    assert (t["conf_level"] == 0.95).all()
    s = r.summary()
    assert "lpop" in s and "Wald = 6.861" in s and "bootstrap (199 mammen" in s
    ax = r.plot(scale=100)
    assert len(ax.collections) == 2  # pointwise and uniform
    agg = r.aggte("dynamic").tidy()
    assert agg["term"].iloc[-1] == "overall"


# ---------------------------------------------------------------- bad input
def _base():
    return _constructed()


BAD = [
    (
        "group code Inf",
        lambda p: p.assign(g=p["g"].replace(0, np.inf)),
        {},
        r"'g'.*\[inf\].*0 or missing",
    ),
    ("group code 9999", lambda p: p.assign(g=p["g"].replace(0, 9999)), {}, r"'g'.*9999"),
    ("group code -1", lambda p: p.assign(g=p["g"].replace(0, -1)), {}, r"'g'.*-1"),
    (
        "cohort changes in unit",
        lambda p: p.assign(g=np.where((p["id"] == 1) & (p["year"] == 2005), 2004, p["g"])),
        {},
        r"'g' changes within id 1",
    ),
    (
        "string outcome",
        lambda p: p.assign(y=p["y"].astype(object).where(p.index != 3, "n/a")),
        {},
        r"column 'y' must hold numbers.*row 3 'n/a'",
    ),
    (
        "missing outcome",
        lambda p: p.assign(y=p["y"].where(p.index != 7)),
        {},
        r"missing value in 'y': row 7",
    ),
    (
        "infinite outcome",
        lambda p: p.assign(y=p["y"].where(p.index != 7, np.inf)),
        {},
        r"column 'y' holds 1 infinite value \(inf\) at row 7 \(year 2003, id 1\)",
    ),
    (
        "duplicate unit-period",
        lambda p: pd.concat([p, p.iloc[[0]]]),
        {},
        r"2 rows share a id-year key: id 0, year 2001",
    ),
    ("unbalanced", lambda p: p.drop(index=4), {}, r"unbalanced.*\[0\].*panel_data=False"),
    ("no never-treated", lambda p: p[p["g"] > 0], {}, r"no never-treated"),
    (
        "no never-treated nyt",
        lambda p: p[p["g"] > 0],
        {"control_group": "notyettreated"},
        r"no never-treated",
    ),
    ("missing column", lambda p: p, {"y": "z"}, r"lack column \['z'\]"),
    ("missing covariate column", lambda p: p, {"covariates": ["pop"]}, r"lack column \['pop'\]"),
    (
        "time-varying covariate",
        lambda p: p.assign(x=p["x"] + p["year"]),
        {"covariates": ["x"]},
        r"'x' changes within id 0",
    ),
    ("formula term", lambda p: p, {"covariates": "~ log(x)"}, r"\['log\(x\)'\].*columns first"),
    (
        "collinear covariates",
        lambda p: p.assign(x2=2 * p["x"]),
        {"covariates": ["x", "x2"]},
        r"collinear",
    ),
    ("bad est_method", lambda p: p, {"est_method": "DR"}, r"est_method.*'DR'"),
    ("bad control_group", lambda p: p, {"control_group": "never"}, r"control_group.*'never'"),
    ("bad base_period", lambda p: p, {"base_period": "fixed"}, r"base_period.*'fixed'"),
    ("bad anticipation", lambda p: p, {"anticipation": -1}, r"anticipation.*-1"),
    ("bad n_boot", lambda p: p, {"n_boot": 0}, r"n_boot.*0"),
    ("bad multiplier", lambda p: p, {"n_boot": 9, "multiplier": "normal"}, r"multiplier.*'normal'"),
    ("bad alpha", lambda p: p, {"alpha": 95}, r"alpha.*95"),
    ("bad missing", lambda p: p, {"missing": "ignore"}, r"missing must be.*'ignore'"),
    (
        "negative weights",
        lambda p: p.assign(w=np.where(p["id"] == 2, -1.0, 1.0)),
        {"weights": "w"},
        r"weights column 'w' has negative",
    ),
    ("empty", lambda p: p.iloc[:0], {}, r"empty"),
    ("one period", lambda p: p[p["year"] == 2003], {}, r"at least two"),
    ("unknown argument", lambda p: p, {"xformla": "~x"}, r"unknown arguments \['xformla'\]"),
    (
        "string group",
        lambda p: p.assign(g=p["g"].map({0: "never", 2003: "2003", 2004: "2004"})),
        {},
        r"column 'g' must hold numbers.*'never'",
    ),
    ("group code 99999", lambda p: p.assign(g=p["g"].replace(0, 99999)), {}, r"'g'.*99999"),
    (
        "fractional group",
        lambda p: p.assign(g=p["g"].replace(2003, 2003.5)),
        {},
        r"whole periods.*2003.5",
    ),
    (
        "datetime time",
        lambda p: p.assign(year=pd.to_datetime(p["year"].astype(str))),
        {},
        r"column 'year' must hold numbers but has dtype datetime64",
    ),
    (
        "fractional time",
        lambda p: p.assign(year=p["year"] + 0.5),
        {},
        r"column 'year' must hold whole numbers; row 0 has 2001.5",
    ),
    ("bad fix_weights", lambda p: p, {"fix_weights": "last_period"}, r"fix_weights.*'last_period'"),
    # issue 11 probe: the message lists the values found and says what g must hold
    (
        "treatment dummy as group",
        lambda p: p.assign(g=(p["g"] > 0).astype(int)),
        {},
        (
            r"no treated cohort in column 'g'.*its values are 0, 1 and the periods of 'year' run "
            r"2001-2005.*looks like a treatment dummy or a cohort number.*FIRST TREATMENT PERIOD"
        ),
    ),
    (
        "cohorts numbered 1/2",
        lambda p: p.assign(g=p["g"].map({0: 0, 2003: 1, 2004: 2})),
        {},
        (
            r"its values are 0, 1, 2 and the periods of 'year' run 2001-2005.*'g' looks like a "
            r"treatment dummy"
        ),
    ),
    (
        "weights all zero",
        lambda p: p.assign(w=0.0),
        {"weights": "w"},
        r"weights column 'w' is zero in all 150 rows",
    ),
    (
        "one cluster",
        lambda p: p.assign(cl="one"),
        {"cluster": "cl", "n_boot": 20, "seed": 1},
        (
            r"att_gt: cluster column 'cl' has a single value \('one'\) for every unit; clustered "
            r"standard errors need at least 2 clusters"
        ),
    ),
    (
        "one cluster analytic",
        lambda p: p.assign(cl=7),
        {"cluster": "cl"},
        r"cluster column 'cl' has a single value \(7\)",
    ),
]


@pytest.mark.parametrize("case,edit,opts,message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_named_error(case, edit, opts, message):
    kw = dict(y="y", cohort="g", time="year", unit="id") | opts
    with pytest.raises(ValidationError, match=message):
        did.att_gt(edit(_base()), **kw)


def test_missing_drop_reports_units():
    p = _base()
    p.loc[7, "y"] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = did.att_gt(p, y="y", cohort="g", time="year", unit="id", missing="drop")
    msgs = [str(w.message) for w in caught if issubclass(w.category, DroppedRowsWarning)]
    assert any("row 7" in m for m in msgs) and any("other 4 rows of the 1 unit" in m for m in msgs)
    assert list(r.dropped["unit"]) == [p.loc[7, "id"]]
    assert r.n == 29


def test_aggregation_bad_options():
    r = did.att_gt(_base(), y="y", cohort="g", time="year", unit="id")
    with pytest.raises(ValidationError, match="kind must be"):
        r.aggte("event")
    with pytest.raises(ValidationError, match="balance_e applies"):
        r.aggte("group", balance_e=1)
    with pytest.raises(ValidationError, match="no event time left"):
        r.aggte("dynamic", min_e=5)


def test_difference_of_two_overall_effects():
    # doubling the outcome doubles the effect and its influence function, so
    # (fit - doubled fit) = -effect with the effect's own standard error
    p = _constructed(n=60)
    p["y"] = p["y"] + np.random.default_rng(4).normal(size=len(p))
    a = did.att_gt(p, y="y", cohort="g", time="year", unit="id").aggte("simple")
    b = did.att_gt(p.assign(y=2 * p["y"]), y="y", cohort="g", time="year", unit="id").aggte(
        "simple"
    )
    diff, se = a.difference(b)
    assert diff == pytest.approx(-a.overall_att)
    assert se == pytest.approx(a.overall_se)
    c = did.att_gt(p[p["id"] != 0], y="y", cohort="g", time="year", unit="id").aggte("simple")
    with pytest.raises(ValidationError, match="different units"):
        a.difference(c)


def test_year_month_periods_are_not_mistaken_for_codes():
    # periods coded yyyymm (201701 ...) are valid cohorts, not "9999"-style codes
    p = _constructed()
    p = p.assign(year=p["year"] * 100 + 1, g=np.where(p["g"] > 0, p["g"] * 100 + 1, 0))
    r = did.att_gt(p, y="y", cohort="g", time="year", unit="id")
    assert set(r.attgt["group"]) == {200301, 200401}


# ---------------------------------------------------------------- 0.2 vocabulary (issue #17)
def test_group_keyword_is_deprecated_for_cohort():
    """att_gt(group=) still works for one release: it warns, naming cohort=, and returns
    exactly what att_gt(cohort=) returns (hand-checked effects +2, +1, +3)."""
    panel = _constructed()
    new = did.att_gt(panel, y="y", cohort="g", time="year", unit="id")
    with pytest.warns(CityResearchDeprecationWarning, match=r"att_gt\(cohort=\.\.\.\)") as rec:
        old = did.att_gt(panel, y="y", group="g", time="year", unit="id")
    assert "att_gt(group=...) is deprecated" in str(rec[0].message)
    assert rec[0].filename == __file__  # the warning points at the caller's line
    pd.testing.assert_frame_equal(old.attgt, new.attgt)
    a = old.attgt.set_index(["group", "t"])["att"]
    assert a[(2003, 2003)] == pytest.approx(2.0) and a[(2004, 2005)] == pytest.approx(3.0)
    # the old name also passes through att_gt's **kwargs next to other options
    with pytest.warns(CityResearchDeprecationWarning):
        rc = did.att_gt(panel, y="y", group="g", time="year", unit="id", panel_data=False)
    assert rc.panel is False and rc.n == len(panel)
    # an unknown keyword still gets the named error, with or without the old name
    with pytest.warns(CityResearchDeprecationWarning):
        with pytest.raises(ValidationError, match=r"unknown arguments \['xformla'\]"):
            did.att_gt(panel, y="y", group="g", time="year", unit="id", xformla="~x")
    with pytest.raises(ValidationError, match=r"got both group= .* pass only cohort="):
        did.att_gt(panel, y="y", group="g", cohort="g", time="year", unit="id")


def test_warnings_point_at_the_caller():
    """The deprecation shim adds a frame; att_gt's own warnings still name the caller's line."""
    p = _base()
    p.loc[7, "y"] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        did.att_gt(p, y="y", cohort="g", time="year", unit="id", missing="drop")
    assert caught and all(w.filename == __file__ for w in caught), [
        (w.filename, str(w.message)) for w in caught
    ]


def test_result_summary_is_text_and_repr():
    """tidy() -> frame, summary() -> str (also the repr), for ATTResult and Aggregation."""
    r = did.att_gt(_constructed(), y="y", cohort="g", time="year", unit="id")
    assert isinstance(r.tidy(), pd.DataFrame) and isinstance(r.summary(), str)
    assert repr(r) == r.summary()
    agg = r.aggte("dynamic")
    s = agg.summary()
    assert isinstance(s, str) and repr(agg) == s
    # overall effect of the dynamic aggregation: mean of event times 0 (1.5) and 1 (2.5)
    assert agg.overall_att == pytest.approx(2.0)
    assert "Aggregated ATT (dynamic" in s and "overall: 2.0000" in s
    tidy = agg.tidy()
    assert tidy["term"].tolist()[-1] == "overall"
    assert tidy.set_index("term").loc["ATT(0)", "estimate"] == pytest.approx(1.5)
    assert tidy["term"].tolist()[:-1] == [f"ATT({e})" for e in agg.table["egt"]]
    assert tidy["event_time"].tolist()[:-1] == [-2, -1, 0, 1, 2]
    assert pd.isna(tidy["event_time"].iloc[-1]) and (tidy["conf_level"] == 0.95).all()
    # the pointwise interval: estimate -/+ z(0.975) SE, with SE = 0.111803 at event time 0
    e0 = tidy.set_index("term").loc["ATT(0)"]
    assert e0["conf_low"] == pytest.approx(1.5 - 1.959964 * e0["std_error"])
    assert list(r.aggte("group").tidy()["cohort"][:2]) == [2003, 2004]
    assert r.aggte("simple").tidy()["term"].tolist() == ["overall"]
