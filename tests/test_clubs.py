"""Convergence clubs: hand-checkable panels, R reference results, the published count."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cityresearch import clubs
from cityresearch._errors import ValidationError


def _groups_panel(levels, spread=(0.3, 0.0, -0.3), T=30, seed=0):
    """Units approaching one of several parallel paths 10 + 0.05 t + level."""
    t = np.arange(1, T + 1)
    rng = np.random.default_rng(seed)
    rows, truth = {}, {}
    for g, lvl in enumerate(levels, start=1):
        for j, d in enumerate(spread):
            uid = f"g{g}u{j}"
            rows[uid] = 10 + 0.05 * t + lvl + d / t + rng.normal(0, 1e-4, T)
            truth[uid] = g
    frame = pd.DataFrame(rows).T
    frame.columns = range(2000, 2000 + T)
    frame.index.name = "bps_code"
    return frame, pd.Series(truth)


# --- log t test by hand -----------------------------------------------------------------

def test_log_t_slope_equals_hand_regression():
    rng = np.random.default_rng(1)
    x = pd.DataFrame(10 + rng.normal(0, 0.1, (4, 12)).cumsum(axis=1))
    h = x / x.mean(axis=0)
    H = ((h - 1) ** 2).mean(axis=0).to_numpy()
    # r = 0.3 of T = 12 is 3.6 -> 4 periods dropped; regression on t = 5..12
    t = np.arange(5, 13)
    y = np.log(H[0] / H[t - 1]) - 2 * np.log(np.log(t))
    slope = np.polyfit(np.log(t), y, 1)[0]
    res = clubs.log_t_test(x, convention="stata")
    assert res.n_periods == 8
    assert res.beta == pytest.approx(slope, rel=1e-10)
    assert res.t == pytest.approx(res.beta / res.se)


def test_time_trim_rounding_differs_between_conventions():
    # 35 periods x 0.3 = 10.5: Stata rounds half up (drops 11), R half to even (drops 10)
    x = pd.DataFrame(np.random.default_rng(2).normal(10, 1, (3, 35)))
    assert clubs.log_t_test(x, convention="stata").n_periods == 24
    assert clubs.log_t_test(x, convention="r", time_trim=0.3).n_periods == 25


def test_hp_trend_matches_statsmodels():
    from statsmodels.tsa.filters.hp_filter import hpfilter

    rng = np.random.default_rng(3)
    y = np.exp(np.linspace(8, 9, 18) + rng.normal(0, 0.05, 18))
    panel = pd.DataFrame({"bps_code": "1101", "year": range(2000, 2018), "v": y})
    for lamb in (400, 100, 6.25):
        ours = clubs.log_hp_trend(panel, "v", lamb=lamb).iloc[0].to_numpy()
        _, trend = hpfilter(np.log(y), lamb=lamb)
        np.testing.assert_allclose(ours, trend, rtol=1e-10)


# --- constructed panels with known clubs ------------------------------------------------

@pytest.mark.parametrize("convention", ["stata", "r"])
def test_three_known_clubs_are_found(convention):
    trend, truth = _groups_panel([2.0, 1.0, 0.0])
    res = clubs.find_clubs(trend, convention=convention, merge="PS")
    assert not res.whole_panel.converges
    assert res.n_clubs == 3 and res.n_divergent == 0
    got = res.membership.set_index("bps_code")["club"]
    assert (got == truth.reindex(got.index)).all()
    assert res.clubs["n_units"].tolist() == [3, 3, 3]
    assert res.clubs["converges"].all()


def test_one_converging_panel_is_one_club():
    trend, _ = _groups_panel([0.0], spread=(0.5, 0.2, 0.0, -0.2, -0.5))
    res = clubs.find_clubs(trend)
    assert res.whole_panel.converges
    assert res.n_clubs == 1 and res.clubs["n_units"].iloc[0] == 5


def test_a_unit_drifting_away_is_divergent():
    trend, _ = _groups_panel([1.0, 0.0])
    t = np.arange(1, 31)
    trend.loc["drifter"] = 10 + 0.05 * t + 0.5 - 0.04 * t  # falls from club 1 towards club 2 and beyond
    res = clubs.find_clubs(trend)
    m = res.membership.set_index("bps_code")
    assert bool(m.loc["drifter", "divergent"])
    assert res.n_clubs == 2 and res.n_divergent == 1


def test_transition_paths_average_to_one():
    trend, _ = _groups_panel([1.0, 0.0])
    res = clubs.find_clubs(trend)
    tp = res.transition_paths()
    assert tp.groupby("year")["h"].mean().to_numpy() == pytest.approx(1.0)
    paths = res.club_paths()
    assert (paths.loc[1] > paths.loc[2]).all()


# --- the R package's published example --------------------------------------------------

def _filtered_gdp():
    import convergence_clubs

    path = Path(convergence_clubs.__file__).parent / "data" / "filtered_gdp.csv"
    return pd.read_csv(path, index_col=0)


def test_r_convergenceclubs_reference_result():
    """R ConvergenceClubs on its filteredGDP data (152 countries, 1970-2003), HACmethod
    AQSB, time_trim 1/3, cstar 0: 5 clubs of 84, 18, 26, 14, 7 and 3 divergent;
    PS merging gives 84, 18, 40, 7; vLT gives 84, 18, 26, 21 (R output published at
    rpubs, rstudio-pubs-static 405412, and in the package vignette)."""
    data = _filtered_gdp()
    # R's fixed c* leaves club 1 failing its own test (t < -1.65); we say so
    with pytest.warns(UserWarning, match=r"clubs \[1\] do not pass"):
        init = clubs.find_clubs(data, convention="r", hac="AQSB", merge=None)
    assert init.clubs["n_units"].tolist() == [84, 18, 26, 14, 7]
    assert init.n_divergent == 3
    with pytest.warns(UserWarning):
        ps = clubs.find_clubs(data, convention="r", hac="AQSB", merge="PS")
    assert ps.clubs["n_units"].tolist() == [84, 18, 40, 7]
    assert ps.clubs["merged_from"].tolist() == ["1", "2", "3,4", "5"]
    with pytest.warns(UserWarning):
        vlt = clubs.find_clubs(data, convention="r", hac="AQSB", merge="vLT")
    assert vlt.clubs["n_units"].tolist() == [84, 18, 26, 21]


# --- errors ------------------------------------------------------------------------------

def test_unbalanced_panel_is_refused_with_the_units_named():
    panel = pd.DataFrame({"bps_code": ["a", "a", "a", "b", "b"], "year": [1, 2, 3, 1, 2],
                          "grdp_pc_idr_k": [1.0, 2, 3, 1, 2]})
    with pytest.raises(ValidationError, match=r"b \(year 3\)"):
        clubs.log_hp_trend(panel)


def test_non_positive_values_and_bad_settings_are_refused():
    panel = pd.DataFrame({"bps_code": ["a"] * 3 + ["b"] * 3, "year": [1, 2, 3] * 2,
                          "grdp_pc_idr_k": [1.0, 2, 3, 1, 0, 2]})
    with pytest.raises(ValidationError, match="bps_code b in 2 = 0"):
        clubs.log_hp_trend(panel)
    trend, _ = _groups_panel([0.0])
    with pytest.raises(ValidationError, match="convention"):
        clubs.find_clubs(trend, convention="spss")
    with pytest.raises(ValidationError, match="merge"):
        clubs.find_clubs(trend, merge="ward")


# --- club-level comparisons by hand ----------------------------------------------------

def test_crosstab_counts_and_tests_by_hand():
    m = pd.DataFrame({"bps_code": list("abcdefgh"),
                      "club": [1, 1, 1, 2, 2, 2, 2, np.nan]})
    flag = pd.Series(["yes", "yes", "no", "no", "no", "no", "yes", "no"], index=list("abcdefgh"))
    tab, tests = clubs.club_crosstab(m, flag, name="participant")
    assert tab.loc["yes"].tolist() == [2, 1, 0, 3]
    assert tab.loc["no"].tolist() == [1, 3, 1, 5]
    assert tab.loc["total", "total"] == 8
    assert tests["mean_club"] == {"no": pytest.approx(7 / 4), "yes": pytest.approx(4 / 3)}
    with pytest.raises(ValidationError, match="no participant"):
        clubs.club_crosstab(m, flag.drop("a"), name="participant")


def test_province_concentration_by_hand():
    m = pd.DataFrame({"bps_code": list("abcdef"), "club": [1, 1, 2, 2, 2, 1]})
    g = pd.Series(list("xxxyyy"), index=list("abcdef"))
    res = clubs.province_concentration(m, g, n_perm=199)
    assert res["observed"] == pytest.approx(4 / 6)  # x: 1,1,2 -> 2; y: 2,2,1 -> 2
    assert 0 < res["p_value"] <= 1


# --- the published Indonesian result ---------------------------------------------------

@pytest.mark.data
def test_load_district_panel_2017():
    from cityresearch import data

    p = data.load_district_panel_2017()
    assert p["bps_code"].nunique() == 514 and (p["year"].min(), p["year"].max()) == (2000, 2017)
    fixed = p[p["corrected"]].drop_duplicates("bps_code").set_index("bps_code")["name"]
    assert fixed.to_dict() == {"3313": "Karanganyar", "5107": "Karangasem"}
    q = data.load_district_panel()
    both = p.merge(q, on=["bps_code", "year"], suffixes=("", "_19"))
    assert len(both) == 514 * 18
    assert (both["grdp_pc_idr_k"] / both["grdp_pc_idr_k_19"] - 1).abs().max() < 1e-3


@pytest.mark.data
def test_published_five_clubs_for_514_districts_2000_2017():
    """Aginta, Gunawan and Mendez (2021): five convergence clubs; the top club is
    dominated by big cities and resource-rich regencies; districts of a province
    tend to share a club."""
    from cityresearch import data

    panel = data.load_district_panel_2017()
    s = clubs.PUBLISHED_SETTINGS
    trend = clubs.log_hp_trend(panel, lamb=s["lamb"])
    res = clubs.find_clubs(trend, convention=s["convention"], merge=s["merge"], lamb=s["lamb"])
    assert res.n_clubs == 5
    assert res.clubs["n_units"].sum() + res.n_divergent == 514
    assert res.n_divergent <= 5
    assert res.clubs["converges"].all()
    assert not res.whole_panel.converges
    # clubs are ordered from the richest down
    assert res.clubs["mean_last"].is_monotonic_decreasing
    top = set(res.membership.loc[res.membership["club"] == 1, "bps_code"])
    assert {"3173", "3578", "6474", "9412"} <= top  # Jakarta Pusat, Surabaya, Bontang, Mimika
    prov = panel.drop_duplicates("bps_code").set_index("bps_code")["province_en"]
    conc = clubs.province_concentration(res.membership, prov, n_perm=199)
    assert conc["observed"] > conc["expected"] and conc["p_value"] < 0.01
