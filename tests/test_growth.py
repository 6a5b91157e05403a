"""Growth measures and secondary-city classification on hand-computed examples."""

import numpy as np
import pandas as pd
import pytest

from cityresearch import growth
from cityresearch._errors import (
    CityResearchDeprecationWarning,
    DroppedRowsWarning,
    ValidationError,
)


@pytest.fixture
def toy():
    return pd.DataFrame(
        {
            "bps_code": ["A"] * 4 + ["B"] * 3,
            "year": [2000, 2001, 2002, 2003, 2000, 2002, 2003],  # B lacks 2001
            "v": [100.0, 110.0, 121.0, 133.1, 50.0, 60.0, 66.0],
        }
    )


def test_growth_percent_and_log(toy):
    with pytest.warns(UserWarning, match="B 2002"):
        g = growth.growth_rates(toy, "v")
    a = g[g["bps_code"] == "A"]["growth_pct"].round(10).tolist()
    assert np.isnan(a[0]) and a[1:] == [10.0, 10.0, 10.0]
    b = g[g["bps_code"] == "B"].set_index("year")["growth_pct"]
    assert np.isnan(b[2002]) and b[2003] == pytest.approx(10.0)  # never across the gap
    with pytest.warns(UserWarning):
        lg = growth.growth_rates(toy, "v", kind="log")
    assert lg["growth_log_pct"].iloc[1] == pytest.approx(100 * np.log(1.1))


def test_cagr_and_index(toy):
    c = growth.cagr(toy, "v", 2000, 2003)
    assert c["A"] == pytest.approx(10.0)
    assert c["B"] == pytest.approx(100 * ((66 / 50) ** (1 / 3) - 1))  # 9.6987...
    idx = growth.index_to_base(toy, "v", 2000)
    assert idx.tolist()[:2] == [100.0, 110.0] and idx.iloc[-1] == pytest.approx(132.0)
    with pytest.raises(ValidationError, match="year 1999 is not in the data"):
        growth.cagr(toy, "v", 1999, 2003)
    with pytest.raises(ValidationError, match="after start"):
        growth.cagr(toy, "v", 2003, 2000)


def test_classification_known_answers():
    frame = pd.DataFrame(
        {
            "bps_code": ["3578", "3572", "9999", "8888", "7777", "6666"],
            "name": [
                "Kota Surabaya",
                "Kota Blitar",
                "Kota Kecil",
                "Kota Besar",
                "Kab Padat",
                "Kab Desa",
            ],
            "type": ["kota", "kota", "kota", "kota", "kabupaten", "kabupaten"],
            "pop": [2_900_000, 140_000, 60_000, 1_500_000, 900_000, 500_000],
            "density_per_km2": [8000, 4000, 3000, 9000, 1500, 200],
        }
    )
    band = growth.classify_secondary_cities(frame).set_index("bps_code")["class"]
    assert band.to_dict() == {
        "3578": "metro_core",
        "3572": "secondary",
        "9999": "other_kota",
        "8888": "other_kota",
        "7777": "kabupaten",
        "6666": "kabupaten",
    }
    allk = growth.classify_secondary_cities(frame, definition="kota_all").set_index("bps_code")
    assert (allk["class"] == "secondary").sum() == 3
    urb = growth.classify_secondary_cities(frame, definition="kota_plus_urban_kabupaten")
    assert urb.set_index("bps_code").loc["7777", "class"] == "secondary"
    wide = growth.classify_secondary_cities(frame, lower=50_000, upper=2_000_000)
    assert (wide["class"] == "secondary").sum() == 3
    with pytest.raises(ValidationError, match="unknown definition 'asean'"):
        growth.classify_secondary_cities(frame, definition="asean")
    with pytest.raises(ValidationError, match="density_per_km2"):
        growth.classify_secondary_cities(
            frame.drop(columns="density_per_km2"), definition="kota_plus_urban_kabupaten"
        )


def test_rank_size_recovers_exact_power_law():
    ranks = np.arange(1, 201)
    sizes = 1e7 * (ranks - 0.5) ** (-1 / 1.3)  # ln(rank - 1/2) = a - 1.3 ln(size)
    fit = growth.rank_size(sizes)
    assert fit["slope"] == pytest.approx(1.3, abs=1e-10)
    assert fit["se_gi"] == pytest.approx(1.3 * np.sqrt(2 / 200))
    assert fit["r2"] == pytest.approx(1.0)
    with pytest.raises(ValidationError):
        growth.rank_size([1, 2])


def test_primacy():
    assert growth.primacy_index([10, 5, 2, 2, 1]) == 2.0
    assert growth.primacy_index([10, 5, 2, 2, 1], k=3) == pytest.approx(10 / 9)


def test_group_summary_ci():
    f = pd.DataFrame({"class": ["a"] * 5 + ["b"] * 2, "g": [1, 2, 3, 4, 5, 10, np.nan]})
    with pytest.raises(ValidationError, match=r"'b' \(1 value\)"):  # no interval for b
        growth.group_summary(f, "g")
    with pytest.warns(UserWarning, match=r"'b' \(1 value\); their statistics are missing"):
        s = growth.group_summary(f, "g", small_groups="report").set_index("class")
    assert s.loc["a", "mean"] == 3 and s.loc["a", "median"] == 3
    # t(0.975, 4) = 2.776445; se = sqrt(2.5/5)
    assert s.loc["a", "mean_hi"] == pytest.approx(3 + 2.776445105 * np.sqrt(0.5), rel=1e-6)
    assert s.loc["b", "n"] == 1 and s.loc["b", "n_missing"] == 1


def test_national_shares_add_to_100():
    panel = pd.DataFrame(
        {
            "bps_code": ["A", "B", "A", "B"],
            "year": [1, 1, 2, 2],
            "pop": [1, 3, 2, 2],
            "grdp_idr_bn": [10, 30, 10, 10],
        }
    )
    classes = pd.DataFrame({"bps_code": ["A", "B"], "class": ["x", "y"]})
    s = growth.national_shares(panel, classes).set_index(["year", "class"])
    assert s.loc[(1, "x"), "pop_share_pct"] == 25 and s.loc[(2, "y"), "grdp_idr_bn_share_pct"] == 50
    with pytest.raises(ValidationError, match="no class: B"):
        growth.national_shares(panel, classes.iloc[:1])


# ------------------------------------------------------------------ unit= (0.2), by= deprecated


@pytest.fixture
def prov():
    """A panel keyed by a province column (not bps_code): unit= must be used."""
    return pd.DataFrame(
        {
            "prov": ["P", "P", "P", "Q", "Q", "Q"],
            "year": [2000, 2001, 2002, 2000, 2001, 2002],
            "v": [100.0, 120.0, 144.0, 10.0, 11.0, 12.1],
        }
    )


def test_unit_keyword_hand_computed(prov):
    g = growth.growth_rates(prov, "v", unit="prov")
    assert list(g.columns) == ["prov", "year", "v", "growth_pct"]
    assert g["growth_pct"].round(10).tolist()[1:3] == [20.0, 20.0]
    assert g["growth_pct"].round(10).tolist()[4:] == [10.0, 10.0]
    c = growth.cagr(prov, "v", 2000, 2002, unit="prov")
    assert c.index.name == "prov" and c.round(10).to_dict() == {"P": 20.0, "Q": 10.0}
    idx = growth.index_to_base(prov, "v", 2001, unit="prov")
    # P: 100/120, 120/120, 144/120; Q: 10/11, 11/11, 12.1/11 (times 100)
    assert idx.tolist() == pytest.approx([250 / 3, 100.0, 120.0, 1000 / 11, 100.0, 110.0])


@pytest.mark.parametrize(
    "call",
    [
        lambda f, **k: growth.growth_rates(f, "v", **k),
        lambda f, **k: growth.cagr(f, "v", 2000, 2002, **k),
        lambda f, **k: growth.index_to_base(f, "v", 2000, **k),
    ],
    ids=["growth_rates", "cagr", "index_to_base"],
)
def test_old_by_keyword_warns_and_matches(prov, call):
    new = call(prov, unit="prov")
    with pytest.warns(CityResearchDeprecationWarning, match=r"\(by=\.\.\.\) is deprecated.*unit="):
        old = call(prov, by="prov")
    if isinstance(new, pd.Series):
        pd.testing.assert_series_equal(old, new)
    else:
        pd.testing.assert_frame_equal(old, new)
    with pytest.raises(ValidationError, match="pass only unit="):
        call(prov, by="prov", unit="prov")


def test_rank_size_result_against_numpy_fit():
    sizes = np.array([9.0e6, 3.1e6, 2.6e6, 2.4e6, 1.6e6, 1.5e6, 1.2e6, 0.9e6, 0.6e6, 0.4e6])
    fit = growth.rank_size(sizes)
    assert isinstance(fit, growth.RankSizeResult)
    # independent least squares: ln(rank - 1/2) on ln(size)
    slope, intercept = np.polyfit(np.log(sizes), np.log(np.arange(1, 11) - 0.5), 1)
    assert fit.slope == fit["slope"] == pytest.approx(-slope)
    assert fit.intercept == pytest.approx(intercept)
    assert fit.se_gi == pytest.approx(-slope * np.sqrt(2 / 10))
    assert list(fit)[:6] == ["slope", "se_gi", "se_ols", "intercept", "n", "r2"]
    row = fit.tidy().iloc[0]
    assert row["term"] == "Zipf exponent" and np.isnan(row["conf_low"])
    assert (row["estimate"], row["std_error"], row["n_obs"], row["rank_shift"]) == (
        fit.slope,
        fit.se_gi,
        10,
        0.5,
    )
    assert f"b = {-slope:.3f}" in fit.summary() and "n = 10 cities" in fit.summary()


def test_warnings_point_at_the_callers_line(toy):
    """Past the @renamed wrapper: the warning names this file."""
    gap = toy  # B lacks 2001
    with pytest.warns(UserWarning, match="B 2002") as record:
        growth.growth_rates(gap, "v")
    assert {w.filename for w in record} == {__file__}
    nan = toy.assign(v=toy["v"].where(toy.index != 1))
    with pytest.warns(DroppedRowsWarning) as record:
        growth.index_to_base(nan, "v", 2000, missing="drop")
    assert {w.filename for w in record} == {__file__}
    with pytest.warns(DroppedRowsWarning) as record:
        growth.cagr(toy, "v", 2000, 2001, missing="drop")  # B has no 2001
    assert {w.filename for w in record} == {__file__}


def test_national_shares_take_the_region_key_by_name():
    p = pd.DataFrame({"bps_code": ["A", "B"], "year": [1, 1], "pop": [1, 3], "grdp_idr_bn": [2, 2]})
    c = pd.DataFrame({"bps_code": ["A", "B"], "class": ["x", "y"]})
    a = growth.national_shares(p, c)
    b = growth.national_shares(
        p.rename(columns={"bps_code": "kode"}), c.rename(columns={"bps_code": "kode"}), unit="kode"
    )
    pd.testing.assert_frame_equal(a, b)
    # population share of class y: 3 / (1 + 3)
    assert a.set_index("class").loc["y", "pop_share_pct"] == 75
