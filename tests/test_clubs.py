"""Convergence clubs: hand-checkable panels, R reference results, the published count."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cityresearch import clubs
from cityresearch._errors import CityResearchDeprecationWarning, ValidationError


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
    trend.loc["drifter"] = (
        10 + 0.05 * t + 0.5 - 0.04 * t
    )  # falls from club 1 towards club 2 and beyond
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
    panel = pd.DataFrame(
        {
            "bps_code": ["a", "a", "a", "b", "b"],
            "year": [1, 2, 3, 1, 2],
            "grdp_pc_idr_k": [1.0, 2, 3, 1, 2],
        }
    )
    with pytest.raises(ValidationError, match=r"b \(year 3\)"):
        clubs.log_hp_trend(panel)


def test_non_positive_values_and_bad_settings_are_refused():
    panel = pd.DataFrame(
        {
            "bps_code": ["a"] * 3 + ["b"] * 3,
            "year": [1, 2, 3] * 2,
            "grdp_pc_idr_k": [1.0, 2, 3, 1, 0, 2],
        }
    )
    with pytest.raises(ValidationError, match="bps_code b in 2 = 0"):
        clubs.log_hp_trend(panel)
    trend, _ = _groups_panel([0.0])
    with pytest.raises(ValidationError, match="convention"):
        clubs.find_clubs(trend, convention="spss")
    with pytest.raises(ValidationError, match="merge"):
        clubs.find_clubs(trend, merge="ward")


# --- club-level comparisons by hand ----------------------------------------------------


def test_crosstab_counts_and_tests_by_hand():
    m = pd.DataFrame({"bps_code": list("abcdefgh"), "club": [1, 1, 1, 2, 2, 2, 2, np.nan]})
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


# --- bad input: named errors that name the offender (issue 11) -----------------------------


def _panel(n=6, years=range(2000, 2010), seed=1):
    """n units u00.. x years of positive, different incomes."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        lvl, g = rng.uniform(5, 50), rng.normal(0.03, 0.01)
        for k, t in enumerate(years):
            rows.append((f"u{i:02d}", t, lvl * np.exp(g * k + rng.normal(0, 0.02))))
    return pd.DataFrame(rows, columns=["bps_code", "year", "v"])


BP = _panel()
U1 = (BP["bps_code"] == "u01") & (BP["year"] == 2003)


def _bp_with(mask, value):
    f = BP.copy()
    if isinstance(value, str):
        f["v"] = f["v"].astype(object)
    f.loc[mask, "v"] = value
    return f


TR = clubs.log_hp_trend(BP, "v")


def _tr_with(unit, value):
    t = TR.copy()
    t.loc[unit, 2004] = value
    return t


MEM = pd.DataFrame({"bps_code": list("abcdefgh"), "club": [1, 1, 1, 2, 2, 2, np.nan, 1]})
GRP = pd.Series(list("xxxyyyyx"), index=list("abcdefgh"))

BAD_CLUBS = {
    # log_hp_trend
    "hp decimal comma": (lambda: clubs.log_hp_trend(_bp_with(U1, "1,5"), "v"), r"'1,5'"),
    "hp lamb text": (
        lambda: clubs.log_hp_trend(BP, "v", lamb="400"),
        r"lamb must be a number; got '400'",
    ),
    "hp lamb zero": (lambda: clubs.log_hp_trend(BP, "v", lamb=0), r"lamb must be > 0; got 0"),
    "hp start after end": (
        lambda: clubs.log_hp_trend(BP, "v", start=2008, end=2002),
        r"start \(2008\) is after end \(2002\)",
    ),
    "hp inf": (
        lambda: clubs.log_hp_trend(_bp_with(U1, np.inf), "v"),
        r"infinite value.*row \d+ \(bps_code u01, year 2003\)",
    ),
    "hp empty": (lambda: clubs.log_hp_trend(BP.iloc[:0], "v"), r"got 0 \(is the input empty"),
    "hp duplicate": (
        lambda: clubs.log_hp_trend(pd.concat([BP, BP.iloc[[0]]]), "v"),
        r"bps_code u00, year 2000",
    ),
    "hp years outside data": (
        lambda: clubs.log_hp_trend(BP, "v", start=2020),
        (
            r"no rows between start=2020 and end=None; the data have years "
            r"2000-2009"
        ),
    ),
    "hp two years": (
        lambda: clubs.log_hp_trend(BP, "v", start=2008),
        r"at least 3 years; the panel has 2 \(2008, 2009\)",
    ),
    "hp NaN": (
        lambda: clubs.log_hp_trend(_bp_with(U1, np.nan), "v"),
        r"1 unit lacks 'v' in some year: u01 \(year 2003\)",
    ),
    "hp zero": (lambda: clubs.log_hp_trend(_bp_with(U1, 0.0), "v"), r"bps_code u01 in 2003 = 0"),
    "hp start text": (
        lambda: clubs.log_hp_trend(BP, "v", start="2002"),
        r"start must be a number; got '2002'",
    ),
    "hp missing misspelt": (
        lambda: clubs.log_hp_trend(BP, "v", missing="skip"),
        r"missing must be one of 'raise', 'drop'; got 'skip'",
    ),
    # log_t_test
    "logt constant trend": (lambda: clubs.log_t_test(TR * 0 + 1), r"constant across units in 2000"),
    "logt convention case": (
        lambda: clubs.log_t_test(TR, convention="Stata"),
        r"convention must be one of 'r', 'stata'; got 'Stata'",
    ),
    "logt time_trim 0": (
        lambda: clubs.log_t_test(TR, time_trim=0),
        r"time_trim must be in \(0, 1\); got 0",
    ),
    "logt time_trim text": (
        lambda: clubs.log_t_test(TR, time_trim="0.3"),
        r"time_trim must be a number; got '0.3'",
    ),
    "logt hac lower case": (
        lambda: clubs.log_t_test(TR, hac="fqsb"),
        r"hac must be one of 'FQSB', 'AQSB'; got 'fqsb'",
    ),
    "logt one unit": (
        lambda: clubs.log_t_test(TR.iloc[:1]),
        r"needs at least 2 units \(rows of trend\) for a log t test; got 1",
    ),
    "logt NaN": (
        lambda: clubs.log_t_test(_tr_with("u02", np.nan)),
        r"missing values for units 'u02'",
    ),
    "logt inf": (
        lambda: clubs.log_t_test(_tr_with("u03", np.inf)),
        r"infinite values for units 'u03'",
    ),
    "logt duplicate unit": (
        lambda: clubs.log_t_test(pd.concat([TR, TR.iloc[[2]]])),
        r"lists units 'u02' more than once",
    ),
    "logt array": (
        lambda: clubs.log_t_test(TR.to_numpy()),
        r"trend must be a pandas DataFrame, not ndarray",
    ),
    # find_clubs
    "clubs cstar text": (
        lambda: clubs.find_clubs(TR, cstar="0"),
        r"cstar must be a number; got '0'",
    ),
    "clubs long panel": (
        lambda: clubs.find_clubs(BP),
        r"column 'bps_code' does not: was a long panel passed\? .*log_hp_trend",
    ),
    "clubs cstar_method case": (
        lambda: clubs.find_clubs(TR, cstar_method="Fixed"),
        r"cstar_method must be one of 'fixed', 'incremental'; got 'Fixed'",
    ),
    "clubs merge case": (lambda: clubs.find_clubs(TR, merge="ps"), r"merge must be one of .*'ps'"),
    "clubs merge_divergent text": (
        lambda: clubs.find_clubs(TR, merge_divergent="yes"),
        r"merge_divergent must be one of True, False; got 'yes'",
    ),
    "clubs lamb negative": (lambda: clubs.find_clubs(TR, lamb=-1), r"lamb must be > 0; got -1"),
    # province_concentration
    "conc n_perm 0": (
        lambda: clubs.province_concentration(MEM, GRP, n_perm=0),
        r"n_perm must be >= 1; got 0",
    ),
    "conc n_perm text": (
        lambda: clubs.province_concentration(MEM, GRP, n_perm="99"),
        r"n_perm must be a number; got '99'",
    ),
    "conc groups duplicate": (
        lambda: clubs.province_concentration(MEM, pd.concat([GRP, GRP.iloc[[0]]])),
        r"group lists units 'a' more than once",
    ),
    "conc membership duplicate": (
        lambda: clubs.province_concentration(
            pd.concat([MEM, MEM.iloc[[0]]], ignore_index=True), GRP, n_perm=9
        ),
        r"2 rows share a bps_code key: bps_code a at rows 0, 8",
    ),
    "conc no club column": (
        lambda: clubs.province_concentration(MEM.rename(columns={"club": "klub"}), GRP, n_perm=9),
        r"membership lacks column 'club'; it has \['bps_code', 'klub'\]",
    ),
    "conc groups dict": (
        lambda: clubs.province_concentration(MEM, GRP.to_dict(), n_perm=9),
        r"group must be a pandas Series indexed by unit id, not dict",
    ),
    "conc unit without group": (
        lambda: clubs.province_concentration(MEM, GRP.drop("h"), n_perm=9),
        r"1 units have no group: 'h'",
    ),
    "conc all divergent": (
        lambda: clubs.province_concentration(MEM.assign(club=np.nan), GRP, n_perm=9),
        r"at least 1 clustered \(non-divergent\) units; got 0",
    ),
    # club_crosstab
    "xtab membership duplicate": (
        lambda: clubs.club_crosstab(pd.concat([MEM, MEM.iloc[[0]]], ignore_index=True), GRP),
        r"bps_code a at rows 0, 8",
    ),
    "xtab labels duplicate": (
        lambda: clubs.club_crosstab(MEM, pd.concat([GRP, GRP.iloc[[0]]])),
        r"labels lists units 'a' more than once",
    ),
    "xtab club text": (
        lambda: clubs.club_crosstab(MEM.assign(club=MEM["club"].astype(str)), GRP),
        r"column 'club' must hold numbers but holds text",
    ),
    "xtab club zero": (
        lambda: clubs.club_crosstab(MEM.assign(club=[0, 1, 1, 2, 2, 2, 1, 1]), GRP),
        r"clubs are numbered from 1; row 0 \(bps_code a, club 0\)",
    ),
    "xtab unit without label": (
        lambda: clubs.club_crosstab(MEM, GRP.drop("g"), name="island"),
        r"1 units have no island: 'g'",
    ),
    # club_sensitivity
    "sens lambdas empty": (
        lambda: clubs.club_sensitivity(BP, "v", lambdas=()),
        r"lambdas is empty",
    ),
    "sens conventions bare string": (
        lambda: clubs.club_sensitivity(BP, "v", conventions="stata"),
        r"conventions must be a list or tuple",
    ),
    "sens convention unknown": (
        lambda: clubs.club_sensitivity(BP, "v", conventions=("spss",)),
        r"convention must be one of 'r', 'stata'; got 'spss'",
    ),
    "sens hac unknown": (
        lambda: clubs.club_sensitivity(BP, "v", hacs=("x",)),
        r"each of hacs must be one of 'FQSB', 'AQSB'; got 'x'",
    ),
    "sens lambda negative": (
        lambda: clubs.club_sensitivity(BP, "v", lambdas=(400, -1)),
        r"each of lambdas must be > 0; got -1",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CLUBS))
def test_clubs_refuse_bad_input_naming_the_offender(case):
    call, message = BAD_CLUBS[case]
    with pytest.raises(ValidationError, match=message) as info:
        call()
    assert type(info.value) is ValidationError
    assert str(info.value).split(":")[0] in {
        "log_hp_trend",
        "log_t_test",
        "find_clubs",
        "province_concentration",
        "club_crosstab",
        "club_sensitivity",
    }


def test_log_hp_trend_drop_leaves_out_the_unit_and_reports_it():
    from cityresearch._errors import DroppedRowsWarning

    with pytest.warns(DroppedRowsWarning, match=r"u01 \(year 2003\)"):
        trend = clubs.log_hp_trend(_bp_with(U1, np.nan), "v", missing="drop")
    ref = clubs.log_hp_trend(BP[BP["bps_code"] != "u01"], "v")
    pd.testing.assert_frame_equal(trend, ref)
    assert trend.attrs["dropped"]["bps_code"].unique().tolist() == ["u01"]
    assert len(trend.attrs["dropped"]) == 10  # every row of u01, the missing one too
    assert clubs.log_hp_trend(BP, "v").attrs["dropped"].empty


def test_province_concentration_counts_each_unit_once():
    # a: x club 1, b: x club 1, c: x club 2, d: y club 2 -> x's modal club holds 2, y's 1: 3 / 4
    m = pd.DataFrame({"bps_code": list("abcd"), "club": [1, 1, 2, 2]})
    g = pd.Series(list("xxxy"), index=list("abcd"))
    assert clubs.province_concentration(m, g, n_perm=19)["observed"] == pytest.approx(3 / 4)
    with pytest.raises(ValidationError, match="bps_code c"):
        clubs.province_concentration(
            pd.concat([m, m.iloc[[2, 2]]], ignore_index=True), g, n_perm=19
        )


# --- 0.2 vocabulary and result objects (issue #17) ------------------------------------------


def test_by_keyword_is_deprecated_for_unit():
    """log_hp_trend(by=) and club_sensitivity(by=) warn, name unit=, and return exactly
    what the new spelling returns; a straight line in logs is its own HP trend."""
    p = pd.DataFrame(
        {"code": ["a"] * 4 + ["b"] * 4, "year": [1, 2, 3, 4] * 2, "y": np.exp([1.0, 2, 3, 4] * 2)}
    )
    new = clubs.log_hp_trend(p, "y", unit="code")
    with pytest.warns(CityResearchDeprecationWarning, match=r"log_hp_trend\(unit=\.\.\.\)") as rec:
        old = clubs.log_hp_trend(p, "y", by="code")
    assert rec[0].filename == __file__
    pd.testing.assert_frame_equal(old, new)
    assert new.index.name == "code"
    np.testing.assert_allclose(new.to_numpy(), [[1.0, 2, 3, 4]] * 2, atol=1e-9)
    with pytest.raises(ValidationError, match=r"got both by= .* pass only unit="):
        clubs.log_hp_trend(p, "y", by="code", unit="code")
    panel = BP.rename(columns={"bps_code": "code"})
    kw = dict(lambdas=(400,), conventions=("stata",), hacs=("FQSB",), merges=("PS",))
    grid_new = clubs.club_sensitivity(panel, "v", unit="code", **kw)
    with pytest.warns(CityResearchDeprecationWarning, match=r"club_sensitivity\(unit=\.\.\.\)"):
        grid_old = clubs.club_sensitivity(panel, "v", by="code", **kw)
    pd.testing.assert_frame_equal(grid_old, grid_new)
    # same trend, same grid row as find_clubs by hand
    res = clubs.find_clubs(clubs.log_hp_trend(BP, "v"), convention="stata", hac="FQSB")
    assert grid_new.loc[0, "n_clubs"] == res.n_clubs
    assert grid_new.loc[0, "whole_panel_t"] == pytest.approx(res.whole_panel.t)


def test_groups_keyword_is_deprecated_for_group():
    m = pd.DataFrame({"bps_code": list("abcdef"), "club": [1, 1, 2, 2, 2, 1]})
    g = pd.Series(list("xxxyyy"), index=list("abcdef"))
    new = clubs.province_concentration(m, group=g, n_perm=99)
    with pytest.warns(CityResearchDeprecationWarning, match=r"province_concentration\(group="):
        old = clubs.province_concentration(m, groups=g, n_perm=99)
    pd.testing.assert_series_equal(old, new)
    assert new["observed"] == pytest.approx(4 / 6)  # x: 1,1,2 -> 2; y: 2,2,1 -> 2


def test_club_result_tidy_frame_summary_text():
    """tidy() is the frame summary() returned before 0.2; summary() is text (and the repr)."""
    trend, _ = _groups_panel([1.0, 0.0])
    t = np.arange(1, 31)
    trend.loc["drifter"] = 10 + 0.05 * t + 0.5 - 0.04 * t
    res = clubs.find_clubs(trend)
    tidy = res.tidy()
    assert tidy["term"].tolist() == ["club 1", "club 2", "divergent"]
    assert tidy["club"].tolist() == [1, 2, "divergent"]
    assert tidy["n_obs"].tolist() == [3, 3, 1]
    # the clubs' own log t tests: estimate = beta, statistic = t = beta / se, p = Phi(t)
    assert tidy["estimate"].tolist()[:2] == res.clubs["beta"].tolist()
    assert tidy["statistic"].tolist()[:2] == res.clubs["t"].tolist()
    assert np.allclose(tidy["std_error"][:2], res.clubs["beta"] / res.clubs["t"])
    assert tidy.loc[2, ["estimate", "std_error", "statistic", "p_value"]].isna().all()
    assert tidy[["conf_low", "conf_high"]].isna().all().all()
    text = res.summary()
    assert isinstance(text, str) and repr(res) == text
    assert text.startswith("Phillips-Sul convergence clubs: 2 clubs")
    assert "1 divergent of 7 units" in text and "convention=stata" in text
    # dict-style access keeps working (Result is a Mapping)
    assert res["clubs"] is res.clubs and "membership" in res
    wp = res.whole_panel
    assert isinstance(wp, clubs.LogTResult) and wp["t"] == wp.t
    row = wp.tidy().iloc[0]
    assert row["estimate"] == wp.beta and row["std_error"] == wp.se
    assert row["statistic"] == pytest.approx(wp.beta / wp.se) and bool(row["converges"]) is False
    assert row["term"] == "log t beta" and row["n_obs"] == 7
    assert row["p_value"] == pytest.approx(0.5 * math.erfc(-wp.t / math.sqrt(2)))
    assert "does not converge" in wp.summary() and repr(wp) == wp.summary()


def test_log_t_p_value_is_the_left_tail_normal_probability():
    """p_value = Phi(t): t = -1.65 (the 5% critical value) gives 0.0495, t = 0 gives 1/2."""
    at_crit = clubs.LogTResult(
        beta=-0.165, se=0.1, t=-1.65, converges=False, n_units=5, n_periods=9
    )
    assert at_crit.tidy()["p_value"].item() == pytest.approx(0.04947, abs=1e-5)
    zero = clubs.LogTResult(beta=0.0, se=0.1, t=0.0, converges=True, n_units=5, n_periods=9)
    assert zero.tidy()["p_value"].item() == 0.5
