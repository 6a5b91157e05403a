"""Regional economics on hand-computed examples and an independent reference."""

import numpy as np
import pandas as pd
import pytest

from cityresearch import economy
from cityresearch._errors import ValidationError


def test_shift_share_textbook_example():
    out = economy.shift_share(
        [500, 100, 200, 200],
        [1000, 100, 250, 280],
        national_growth_pct=[10, 20, 30, 40],
        national_total_growth_pct=29,
    )
    tot = out.loc["total"]
    assert tot["change"] == 630
    assert tot["national_share"] == pytest.approx(290)
    assert tot["industry_mix"] == pytest.approx(-80)
    assert tot["regional_shift"] == pytest.approx(420)
    parts = out[["national_share", "industry_mix", "regional_shift"]].sum(axis=1)
    assert np.allclose(parts, out["change"])
    with pytest.raises(ValidationError, match="different lengths"):
        economy.shift_share(
            [1, 2], [1, 2, 3], national_growth_pct=[10, 10], national_total_growth_pct=10
        )


def test_location_quotients():
    t = pd.DataFrame(
        {"region": ["A", "A", "B", "B"], "sector": ["agri", "ind"] * 2, "value": [30, 70, 10, 90]}
    )
    lq = economy.location_quotients(t)
    # A: agri share 0.3 vs national 40/200 = 0.2 -> 1.5; ind 0.7 / 0.8 = 0.875
    assert lq.loc["A", "agri"] == pytest.approx(1.5) and lq.loc["A", "ind"] == pytest.approx(0.875)
    assert lq.loc["B", "agri"] == pytest.approx(0.5)


def test_williamson_hand_computed():
    # y = 10, 20; pop 1, 3 -> ybar = 70/4 = 17.5; var = (7.5^2*1 + 2.5^2*3)/4 = 18.75
    assert economy.williamson([10, 20], pop=[1, 3]) == pytest.approx(np.sqrt(18.75) / 17.5)
    assert economy.williamson([5, 5, 5], pop=[1, 2, 3]) == 0
    with pytest.raises(ValidationError, match="positive"):
        economy.williamson([0, 5], pop=[1, 2])
    with pytest.raises(ValidationError, match="different lengths"):
        economy.williamson([1, 5], pop=[1, 2, 3])


def test_theil_decomposition_adds_up():
    grdp = np.array([10, 20, 30, 40, 100.0])
    pop = np.array([5, 5, 10, 10, 20.0])
    groups = ["a", "a", "b", "b", "b"]
    t = economy.theil(grdp, pop=pop, group=groups)
    assert t["within"] + t["between"] == pytest.approx(t["total"], abs=1e-15)
    # hand: s = [.05,.1,.15,.2,.5], n = [.1,.1,.2,.2,.4]
    s, n = grdp / 200, pop / 50
    assert t["total"] == pytest.approx(np.sum(s * np.log(s / n)))
    # between: group a has s=.15, n=.2; group b s=.85, n=.8
    assert t["between"] == pytest.approx(0.15 * np.log(0.15 / 0.2) + 0.85 * np.log(0.85 / 0.8))
    assert economy.theil([1, 2], pop=[1, 2])["total"] == pytest.approx(0)


def test_gini():
    assert economy.gini([1, 1, 1, 1]) == pytest.approx(0)
    # values 1,2,3,4: Gini = sum|xi-xj| / (2 n^2 mean) = 20 / (2*16*2.5) = 0.25
    assert economy.gini([1, 2, 3, 4]) == pytest.approx(0.25)
    # weights act as repetitions
    assert economy.gini([1, 2], [3, 1]) == pytest.approx(economy.gini([1, 1, 1, 2]))


def test_growth_contributions_add_up():
    panel = pd.DataFrame(
        {
            "bps_code": ["A", "B", "A", "B", "A", "B"],
            "year": [1, 1, 2, 2, 3, 3],
            "grdp_idr_bn": [100, 300, 110, 330, 99, 400],
        }
    )
    c = economy.growth_contributions(panel)
    for year, sub in c.groupby("year"):
        tot = panel.groupby("year")["grdp_idr_bn"].sum()
        assert sub["contribution_pp"].sum() == pytest.approx(100 * (tot[year] / tot[year - 1] - 1))
    a2 = c[(c["bps_code"] == "A") & (c["year"] == 2)].iloc[0]
    assert a2["contribution_pp"] == pytest.approx(2.5)  # share .25 * growth 10%


def test_shares_and_top_k():
    panel = pd.DataFrame(
        {
            "bps_code": ["A", "B", "C"],
            "year": [1, 1, 1],
            "grdp_idr_bn": [1, 3, 6],
            "prov": ["p", "p", "q"],
        }
    )
    s = economy.grdp_shares(panel, group="prov").set_index("bps_code")
    assert s.loc["A", "share_prov_pct"] == 25 and s.loc["C", "share_national_pct"] == 60
    assert s.loc["C", "rank_national"] == 1
    assert economy.top_k_share([1, 3, 6], 2) == 90


def test_beta_convergence_recovers_known_coefficient():
    rng = np.random.default_rng(0)
    n, t = 400, 10
    ln_y0 = rng.normal(9, 0.5, n)
    growth = 2.0 - 1.5 * (ln_y0 - 9) + rng.normal(0, 0.01, n)  # percent per year
    yT = np.exp(ln_y0 + growth * t / 100)
    panel = pd.DataFrame(
        {
            "bps_code": np.tile([f"{i:04d}" for i in range(n)], 2),
            "year": np.repeat([2000, 2010], n),
            "grdp_pc_idr_k": np.concatenate([np.exp(ln_y0), yT]),
            "prov": np.tile(np.arange(n) % 8, 2),
        }
    )
    res, info = economy.beta_convergence(panel, 2000, 2010)
    assert info["beta"] == pytest.approx(-1.5, abs=0.01)
    b = -0.015
    assert info["speed_pct"] == pytest.approx(-100 * np.log(1 + b * t) / t, rel=0.01)
    assert info["half_life_years"] == pytest.approx(np.log(2) / (info["speed_pct"] / 100))
    _, cl = economy.beta_convergence(panel, 2000, 2010, cov="cluster", cluster="prov")
    assert cl["n_clusters"] == 8 and cl["beta"] == info["beta"]
    with pytest.raises(ValidationError, match="year 1990"):
        economy.beta_convergence(panel, 1990, 2010)
    bad = panel.copy()
    bad.loc[0, "grdp_pc_idr_k"] = 0
    with pytest.raises(ValidationError, match="positive"):
        economy.beta_convergence(bad, 2000, 2010)


def test_sigma_convergence():
    panel = pd.DataFrame({"year": [1, 1, 2, 2], "grdp_pc_idr_k": [1, np.e, 1, np.e**0.5]})
    s = economy.sigma_convergence(panel).set_index("year")
    assert s.loc[1, "sd_log"] == pytest.approx(np.std([0, 1], ddof=1))
    assert s.loc[2, "sd_log"] < s.loc[1, "sd_log"]


def test_period_contributions_add_up():
    panel = pd.DataFrame(
        {
            "bps_code": ["A", "B", "C"] * 2,
            "year": [1] * 3 + [5] * 3,
            "grdp_idr_bn": [100, 200, 100, 150, 220, 90],
            "g": ["x", "x", "y"] * 2,
        }
    )
    c = economy.period_contributions(panel, 1, 5, group="g").set_index("g")
    # aggregate 400 -> 460: +15%; x: 300 -> 370 contributes 70/400 = 17.5 pp; y -10/400 = -2.5
    assert c.loc["x", "contribution_pp"] == pytest.approx(17.5)
    assert c.loc["y", "contribution_pp"] == pytest.approx(-2.5)
    assert c["contribution_pp"].sum() == pytest.approx(15)
    assert c["share_of_change_pct"].sum() == pytest.approx(100)
    with pytest.raises(ValidationError, match="regions differ"):
        economy.period_contributions(panel.iloc[:-1], 1, 5)


def test_inequality_over_time_matches_single_calls():
    panel = pd.DataFrame(
        {
            "bps_code": ["A", "B", "C"] * 2,
            "year": [1] * 3 + [2] * 3,
            "grdp_idr_bn": [10, 20, 70, 10, 30, 70],
            "pop": [5, 5, 10, 5, 5, 10],
            "p": ["x", "x", "y"] * 2,
        }
    )
    ineq = economy.inequality_over_time(panel, group="p").set_index("year")
    sub = panel[panel["year"] == 2]
    assert ineq.loc[2, "williamson"] == pytest.approx(
        economy.williamson(sub["grdp_idr_bn"] / sub["pop"], pop=sub["pop"])
    )
    assert ineq.loc[2, "theil_within"] + ineq.loc[2, "theil_between"] == pytest.approx(
        ineq.loc[2, "theil"]
    )


@pytest.mark.data
def test_aggregate_provinces_both_schemes():
    from cityresearch import data, panels

    panel = panels.attach_province(data.load_district_panel())
    p38 = economy.aggregate_provinces(panel)
    p34 = economy.aggregate_provinces(panel, scheme=2017)
    assert p38["prov_kemendagri_code"].nunique() == 38 and p34["prov_bps_code"].nunique() == 34
    y = p38[p38["year"] == 2019]
    assert y["grdp_idr_bn"].sum() == panel.loc[panel["year"] == 2019, "grdp_idr_bn"].sum()
    jatim = y.set_index("prov_kemendagri_code").loc["35"]
    assert jatim["n_kabkota"] == 38
    assert jatim["grdp_pc_idr_k"] == pytest.approx(jatim["grdp_idr_bn"] * 1e6 / jatim["pop"])
    # Papua (BPS 94) of 2017 is split over four 2025 provinces
    papua34 = p34[(p34["year"] == 2019) & (p34["prov_bps_code"] == "94")]["grdp_idr_bn"].item()
    papua38 = y[y["prov_kemendagri_code"].isin(["91", "93", "94", "95"])]["grdp_idr_bn"].sum()
    assert papua34 == pytest.approx(papua38)


# --- issue 14: analysis functions take frames and never load data ------------------------------


@pytest.fixture
def no_loading(monkeypatch):
    """Make every loader and registry look-up fail, so a call that loads anything fails."""
    from cityresearch import data, regions

    def refuse(*args, **kwargs):
        raise AssertionError("an analysis function tried to load data")

    for mod, names in (
        (data, ["load", "fetch", "load_boundaries", "load_district_panel"]),
        (regions, ["region_table", "province_table", "boundaries"]),
    ):
        for name in names:
            monkeypatch.setattr(mod, name, refuse)


def _tiny_panel():
    # two Jawa Timur regions and one of Papua Pegunungan (BPS 94 in the 34-province scheme)
    return pd.DataFrame(
        {
            "bps_code": ["3505", "3572", "9402"] * 2,
            "year": [2018] * 3 + [2019] * 3,
            "grdp_idr_bn": [30.0, 10.0, 60.0, 33.0, 11.0, 66.0],
            "pop": [100.0, 50.0, 200.0, 100.0, 50.0, 200.0],
            "prov_bps_code": ["35", "35", "94"] * 2,
            "province_34": ["Jawa Timur", "Jawa Timur", "Papua"] * 2,
            "prov_kemendagri_code": ["35", "35", "95"] * 2,
            "province": ["Jawa Timur", "Jawa Timur", "Papua Pegunungan"] * 2,
        }
    )


def test_analyses_do_not_load_data(no_loading):
    p = _tiny_panel()
    s = economy.grdp_shares(p).set_index(["bps_code", "year"])
    # 2018: Jawa Timur 30 + 10 = 40 -> 75 % and 25 %; national 100 -> 30 %, 10 %, 60 %
    assert s.loc[("3505", 2018), "share_prov_bps_code_pct"] == 75.0
    assert s.loc[("3572", 2018), "share_national_pct"] == 10.0
    assert s.loc[("9402", 2019), "rank_national"] == 1
    a = economy.aggregate_provinces(p).set_index(["prov_kemendagri_code", "year"])
    # Jawa Timur 2019: 33 + 11 = 44 IDR bn over 150 persons = 293,333.33 IDR k per person
    assert a.loc[("35", 2019), "grdp_idr_bn"] == 44.0 and a.loc[("35", 2019), "n_kabkota"] == 2
    assert a.loc[("35", 2019), "grdp_pc_idr_k"] == pytest.approx(44e6 / 150)
    assert a.loc[("95", 2018), "province"] == "Papua Pegunungan"
    a34 = economy.aggregate_provinces(p, scheme=2017).set_index(["prov_bps_code", "year"])
    assert a34.loc[("94", 2018), "province"] == "Papua" and a34.loc[("94", 2018), "pop"] == 200
    ineq = economy.inequality_over_time(p).set_index("year")
    # 2018, per capita 0.3, 0.2, 0.3 (pop 100, 50, 200): between provinces, s = .4/.6, n = 3/7, 4/7
    s_, n_ = np.array([0.4, 0.6]), np.array([150, 200]) / 350
    assert ineq.loc[2018, "theil_between"] == pytest.approx(np.sum(s_ * np.log(s_ / n_)))
    assert ineq.loc[2018, "n"] == 3


def test_region_weights_does_not_load_data(no_loading):
    import geopandas as gpd
    from shapely.geometry import box

    cells = gpd.GeoDataFrame(
        {"bps_code": ["a", "b", "c"]},
        crs="EPSG:4326",
        geometry=[box(118 + i / 10, -2, 118.1 + i / 10, -1.9) for i in range(3)],
    )
    from cityresearch import spatial

    w = spatial.region_weights(cells)
    # a row of three squares: a-b, b-c
    assert w.islands == [] and sorted(w.graph.cardinalities.tolist()) == [1, 1, 2]
    with pytest.raises(ValidationError, match=r"panels\.region_boundaries\(\)"):
        spatial.region_weights()


PROVINCES_REQUIRED = [
    (
        "grdp_shares without provinces",
        lambda p: economy.grdp_shares(p.drop(columns="prov_bps_code")),
        r"grdp_shares: the panel has no column 'prov_bps_code' \(the group\); analysis functions "
        r"do not look regions up\. Attach the provinces first with "
        r"cityresearch\.panels\.attach_province\(panel\), or pass group=",
    ),
    (
        "inequality_over_time without the group",
        lambda p: economy.inequality_over_time(p, group="island_group"),
        r"inequality_over_time: the panel has no column 'island_group' \(the group\).*"
        r"panels\.attach_province\(panel\)",
    ),
    (
        "aggregate_provinces 2025 without the 2025 provinces",
        lambda p: economy.aggregate_provinces(p.drop(columns=["prov_kemendagri_code", "province"])),
        r"aggregate_provinces: the panel has no column 'prov_kemendagri_code', 'province' "
        r"\(the provinces of scheme 2025\).*Attach the provinces first with "
        r"cityresearch\.panels\.attach_province\(panel\)$",
    ),
    (
        "aggregate_provinces 2017 without province_34",
        lambda p: economy.aggregate_provinces(p.drop(columns="province_34"), scheme=2017),
        r"no column 'province_34' \(the provinces of scheme 2017\)",
    ),
    (
        "aggregate_provinces missing province",
        lambda p: economy.aggregate_provinces(p.assign(province=[None] + ["Jawa Timur"] * 5)),
        r"aggregate_provinces: 1 row has a missing value in 'province': row 0 "
        r"\(bps_code 3505, year 2018\)",
    ),
]


@pytest.mark.parametrize(
    "call, message", [b[1:] for b in PROVINCES_REQUIRED], ids=[b[0] for b in PROVINCES_REQUIRED]
)
def test_province_columns_are_required(no_loading, call, message):
    with pytest.raises(ValidationError, match=message) as info:
        call(_tiny_panel())
    assert type(info.value) is ValidationError


@pytest.mark.data
def test_aggregate_provinces_after_attach_province_matches_the_registry():
    from cityresearch import panels, regions

    p = pd.DataFrame(
        {"bps_code": ["3505", "3572", "9402"], "year": 2019, "grdp_idr_bn": 1.0, "pop": 2.0}
    )
    out = economy.aggregate_provinces(panels.attach_province(p))
    reg = regions.region_table().set_index("bps_code")
    assert sorted(out["prov_kemendagri_code"]) == sorted(
        set(reg.loc[["3505", "3572", "9402"], "prov_kemendagri_code"])
    )
    assert out.set_index("prov_kemendagri_code").loc["35", "n_kabkota"] == 2


# --- issue 17: one vocabulary; the old spellings work for one release --------------------------


def _two_years():
    return pd.DataFrame(
        {
            "bps_code": ["A", "B", "C"] * 2,
            "year": [1] * 3 + [2] * 3,
            "grdp_idr_bn": [100.0, 200.0, 100.0, 150.0, 220.0, 90.0],
            "grdp_pc_idr_k": [1.0, np.e, 2.0, 1.5, np.e, 2.0],
            "g": ["x", "x", "y"] * 2,
        }
    )


RENAMED = [
    (
        "growth_contributions by",
        lambda p: economy.growth_contributions(p, by="bps_code"),
        lambda p: economy.growth_contributions(p, unit="bps_code"),
        r"growth_contributions\(by=\.\.\.\) is deprecated .*"
        r"use growth_contributions\(unit=\.\.\.\)",
    ),
    (
        "growth_contributions within",
        lambda p: economy.growth_contributions(p, within="g"),
        lambda p: economy.growth_contributions(p, group="g"),
        r"use growth_contributions\(group=\.\.\.\)",
    ),
    (
        "sigma_convergence by",
        lambda p: economy.sigma_convergence(p, by="bps_code"),
        lambda p: economy.sigma_convergence(p, unit="bps_code"),
        r"use sigma_convergence\(unit=\.\.\.\)",
    ),
    (
        "period_contributions by",
        lambda p: economy.period_contributions(p, 1, 2, by="g"),
        lambda p: economy.period_contributions(p, 1, 2, group="g"),
        r"use period_contributions\(group=\.\.\.\)",
    ),
]


@pytest.mark.parametrize("old, new, message", [r[1:] for r in RENAMED], ids=[r[0] for r in RENAMED])
def test_renamed_keywords_warn_and_give_the_same_frame(old, new, message):
    from cityresearch._errors import CityResearchDeprecationWarning

    p = _two_years()
    with pytest.warns(CityResearchDeprecationWarning, match=message):
        got = old(p)
    pd.testing.assert_frame_equal(got, new(p))


def test_period_contributions_group_hand_computed():
    c = economy.period_contributions(_two_years(), 1, 2, group="g").set_index("g")
    # 400 -> 460; x: 300 -> 370 = 17.5 pp, y: 100 -> 90 = -2.5 pp
    assert c["contribution_pp"].to_dict() == pytest.approx({"x": 17.5, "y": -2.5})


def test_williamson_and_theil_positional_options_warn_and_agree():
    from cityresearch._errors import CityResearchDeprecationWarning

    with pytest.warns(CityResearchDeprecationWarning, match=r"pass pop=\.\.\. by name"):
        old = economy.williamson([10, 20], [1, 3])
    assert old == economy.williamson([10, 20], pop=[1, 3]) == pytest.approx(np.sqrt(18.75) / 17.5)
    grdp, pop, grp = [10.0, 20, 30, 40, 100], [5.0, 5, 10, 10, 20], list("aabbb")
    with pytest.warns(CityResearchDeprecationWarning, match=r"pass pop=\.\.\., group=\.\.\."):
        t_old = economy.theil(grdp, pop, grp)
    with pytest.warns(CityResearchDeprecationWarning, match=r"use theil\(group=\.\.\.\)"):
        t_kw = economy.theil(grdp, pop=pop, groups=grp)
    t_new = economy.theil(grdp, pop=pop, group=grp)
    for t in (t_old, t_kw):
        assert dict(t).keys() == dict(t_new).keys() == {"total", "within", "between", "by_group"}
        assert (t.total, t.within, t.between) == (t_new.total, t_new.within, t_new.between)
        pd.testing.assert_frame_equal(t["by_group"], t_new.by_group)


def test_theil_result_reads_like_the_old_dict_and_has_tidy_and_summary():
    t = economy.theil([1, 3, 2, 2], pop=[1, 1, 1, 1], group=["a", "a", "b", "b"])
    # s = 1/8, 3/8, 1/4, 1/4 against n = 1/4: T = 1/8 ln(1/2) + 3/8 ln(3/2)
    total = 0.125 * np.log(0.5) + 0.375 * np.log(1.5)
    assert t.total == pytest.approx(total) and t["total"] == t.total
    assert t.between == pytest.approx(0) and t.within == pytest.approx(total)
    tidy = t.tidy().set_index("term")
    assert tidy.loc["Theil within", "share_of_total_pct"] == pytest.approx(100)
    assert tidy.loc["Theil total", "estimate"] == pytest.approx(total)
    assert list(tidy.index) == ["Theil total", "Theil within", "Theil between"]
    assert tidy[["conf_low", "conf_high"]].isna().all().all()
    assert t.summary() == (
        f"Theil T = {total:.4f}: within 2 groups {total:.4f} (100.0%), between 0.0000 (0.0%)"
    )
    assert repr(t) == t.summary()
    plain = economy.theil([1, 3], pop=[1, 1])
    assert dict(plain) == {"total": pytest.approx(0.25 * np.log(0.5) + 0.75 * np.log(1.5))}
    assert "within" not in plain and plain.tidy()["term"].tolist() == ["Theil total"]


TEXTBOOK = ([500, 100, 200, 200], [1000, 100, 250, 280])


def test_shift_share_percent_and_the_old_fraction_spelling_agree():
    from cityresearch._errors import CityResearchDeprecationWarning

    new = economy.shift_share(
        *TEXTBOOK, national_growth_pct=[10, 20, 30, 40], national_total_growth_pct=29
    )
    with pytest.warns(
        CityResearchDeprecationWarning,
        match=r"shift_share\(national_growth, national_total_growth\) as fractions .* use "
        r"shift_share\(base, final, national_growth_pct=\.\.\., national_total_growth_pct=\.\.\.\)",
    ):
        positional = economy.shift_share(*TEXTBOOK, [0.10, 0.20, 0.30, 0.40], 0.29)
    with pytest.warns(CityResearchDeprecationWarning, match="national_growth_pct"):
        keywords = economy.shift_share(
            *TEXTBOOK, national_growth=[0.10, 0.20, 0.30, 0.40], national_total_growth=0.29
        )
    pd.testing.assert_frame_equal(positional, new, check_exact=True)
    pd.testing.assert_frame_equal(keywords, new, check_exact=True)
    # e0 * G of the first sector: 500 * 0.29
    assert new.loc[0, "national_share"] == pytest.approx(145)


def test_shift_share_refuses_both_spellings_and_rates_below_minus_100():
    with pytest.raises(
        ValidationError, match=r"got old rates .*and new ones .*national_growth_pct"
    ):
        economy.shift_share(*TEXTBOOK, national_growth=[0.1] * 4, national_growth_pct=[10] * 4)
    # mixing: an old fraction with the new total in percent (was a bare TypeError)
    with pytest.raises(ValidationError, match=r"national_total_growth_pct: percent\); pass only"):
        economy.shift_share(*TEXTBOOK, [0.1] * 4, national_total_growth_pct=29)
    with pytest.raises(ValidationError, match=r"national_total_growth_pct must be >= -100"):
        economy.shift_share(*TEXTBOOK, national_growth_pct=[10] * 4, national_total_growth_pct=-150)


def test_shift_share_refuses_a_sector_shrinking_by_more_than_all_of_it():
    with pytest.raises(ValidationError, match=r"national_growth_pct is below -100 .* at 2$"):
        economy.shift_share(
            *TEXTBOOK, national_growth_pct=[10, 20, -150, 40], national_total_growth_pct=29
        )
    with pytest.raises(ValidationError, match=r"national_growth is below -1 \(a fraction"):
        with pytest.warns(Warning):
            economy.shift_share(*TEXTBOOK, [0.1, 0.2, -1.5, 0.4], 0.29)


def test_shift_share_warns_when_the_rates_look_like_the_other_unit():
    from cityresearch._errors import CityResearchWarning

    # percent keywords given fractions: every rate within [-1, 1]
    with pytest.warns(CityResearchWarning, match=r"every rate lies between -1 and 1"):
        out = economy.shift_share(
            *TEXTBOOK, national_growth_pct=[0.1, 0.2, 0.3, 0.4], national_total_growth_pct=0.29
        )
    assert out.loc[0, "national_share"] == pytest.approx(500 * 0.0029)
    # the old (fraction) spelling given percent: 100x growth
    with pytest.warns(CityResearchWarning, match=r"a rate above 1 in absolute value"):
        with pytest.warns(CityResearchWarning, match="deprecated"):
            economy.shift_share(*TEXTBOOK, [10, 20, 30, 40], 29)
    # plausible percent: no unit warning
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        economy.shift_share(
            *TEXTBOOK, national_growth_pct=[10, 20, 30, 40], national_total_growth_pct=29
        )


def test_beta_convergence_clustered_inference_uses_t_with_g_minus_1_df():
    """Clustered p-value and interval: Student's t with G - 1 df (G = 4 provinces here)."""
    from scipy import stats

    rng = np.random.default_rng(7)
    n = 24
    y0 = np.exp(rng.normal(3, 0.5, n))
    y1 = y0 * np.exp(rng.normal(0.2, 0.1, n) - 0.05 * np.log(y0))
    panel = pd.DataFrame(
        {
            "bps_code": np.repeat([f"{i:04d}" for i in range(n)], 2),
            "year": np.tile([2010, 2019], n),
            "grdp_pc_idr_k": np.column_stack([y0, y1]).ravel(),
            "prov": np.repeat(np.arange(n) % 4, 2).astype(str),
        }
    )
    res, info = economy.beta_convergence(panel, 2010, 2019, cov="cluster", cluster="prov")
    g = info["n_clusters"]
    assert g == 4
    t = info["beta"] / info["se"]
    assert info["p"] == pytest.approx(2 * stats.t.sf(abs(t), g - 1), rel=1e-12)
    q = stats.t.ppf(0.975, g - 1)
    assert info["conf_low"] == pytest.approx(info["beta"] - q * info["se"], rel=1e-12)
    assert info["conf_high"] == pytest.approx(info["beta"] + q * info["se"], rel=1e-12)
    # without clusters: the normal interval
    _, hc1 = economy.beta_convergence(panel.drop(columns="prov"), 2010, 2019)
    z = stats.norm.ppf(0.975)
    assert hc1["conf_low"] == pytest.approx(hc1["beta"] - z * hc1["se"], rel=1e-12)


def test_economy_functions_take_the_region_key_by_name():
    """unit= names the region key; renaming the column gives the same numbers."""
    p = pd.DataFrame(
        {
            "bps_code": ["3505", "3572", "3505", "3572", "9401", "9401"],
            "year": [2010, 2010, 2019, 2019, 2010, 2019],
            "grdp_idr_bn": [10.0, 30.0, 16.0, 45.0, 20.0, 30.0],
            "pop": [1.0, 1.0, 1.0, 1.0, 2.0, 2.0],
            "prov_bps_code": ["35", "35", "35", "35", "94", "94"],
            "prov_kemendagri_code": ["35", "35", "35", "35", "95", "95"],
            "province": ["Jawa Timur"] * 4 + ["Papua Pegunungan"] * 2,
        }
    )
    p["grdp_pc_idr_k"] = 1e6 * p["grdp_idr_bn"] / p["pop"] / 1e3
    q = p.rename(columns={"bps_code": "kode"})
    a, b = economy.grdp_shares(p), economy.grdp_shares(q, unit="kode")
    pd.testing.assert_frame_equal(a, b.rename(columns={"kode": "bps_code"}))
    # Kota Blitar's share of Jawa Timur in 2010: 30 / (10 + 30)
    assert a.set_index(["bps_code", "year"]).loc[("3572", 2010), "share_prov_bps_code_pct"] == 75
    pd.testing.assert_frame_equal(
        economy.inequality_over_time(p), economy.inequality_over_time(q, unit="kode")
    )
    pd.testing.assert_frame_equal(
        economy.aggregate_provinces(p), economy.aggregate_provinces(q, unit="kode")
    )
    _, i1 = economy.beta_convergence(p, 2010, 2019)
    _, i2 = economy.beta_convergence(q, 2010, 2019, unit="kode")
    assert i1["beta"] == pytest.approx(i2["beta"], rel=1e-12) and i1["n"] == i2["n"] == 3
    with pytest.raises(ValidationError, match=r"unit must be one column name .*not list"):
        economy.grdp_shares(q, unit=["kode"])


def test_location_quotients_old_region_keyword_warns_and_agrees():
    from cityresearch import CityResearchDeprecationWarning

    t = pd.DataFrame(
        {
            "r": ["A", "A", "B", "B"],
            "sector": ["agri", "ind"] * 2,
            "value": [30.0, 70.0, 10.0, 90.0],
        }
    )
    new = economy.location_quotients(t, unit="r")
    with pytest.warns(
        CityResearchDeprecationWarning, match=r"use location_quotients\(unit=\.\.\.\)"
    ):
        old = economy.location_quotients(t, region="r")
    pd.testing.assert_frame_equal(new, old)
    # A's agriculture share 0.30 against the table's 40/200 = 0.20
    assert new.loc["A", "agri"] == pytest.approx(1.5)
