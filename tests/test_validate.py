"""The shared input contract (cityresearch._validate) and its use by every public
function of growth, economy and service: bad input gets a named error whose
message names the offending column, value or row; nothing is lost silently."""

import numpy as np
import pandas as pd
import pytest

from cityresearch import _validate as v
from cityresearch._errors import DroppedRowsWarning, ValidationError

# ----------------------------------------------------------------------------
# the helpers themselves
# ----------------------------------------------------------------------------


def frame():
    return pd.DataFrame(
        {"bps_code": ["A", "A", "B"], "year": [2000, 2001, 2000], "v": [1.0, 2.0, 3.0]}
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: v.as_frame([1], name="panel", func="f"),
            "f: panel must be a pandas DataFrame, not list",
        ),
        (
            lambda: v.require_columns(frame(), {"w": "numeric"}, func="f"),
            r"f: the data lack column \['w'\]; they have \['bps_code', 'year', 'v'\]",
        ),
        (lambda: v.require_columns(frame(), ["w", "z"], func="f"), r"lack columns \['w', 'z'\]"),
        (
            lambda: v.require_columns(
                frame().assign(v=["1", "x", 3.0]), {"v": "numeric"}, func="f"
            ),
            r"f: column 'v' must hold numbers but holds text: row 0 '1', row 1 'x'",
        ),
        (
            lambda: v.require_columns(frame().assign(v=[True, False, True]), {"v": "numeric"}),
            r"column 'v' must hold numbers but has dtype bool",
        ),
        (
            lambda: v.require_columns(
                frame().assign(year=[2000, 2000.5, 2001]), {"year": "integer"}
            ),
            r"column 'year' must hold whole numbers; row 1 has 2000.5",
        ),
        (
            lambda: v.unique_keys(
                pd.concat([frame(), frame().iloc[[2]]]), ["bps_code", "year"], func="f"
            ),
            r"f: 2 rows share a bps_code-year key: bps_code B, year 2000 at rows 2, 2",
        ),
        (
            lambda: v.handle_missing(
                frame().assign(v=[1, np.nan, 3]), ["v"], keys=["bps_code", "year"], func="f"
            ),
            r"f: 1 row has a missing value in 'v': row 1 \(bps_code A, year 2001\)\. "
            r"Pass missing='drop'",
        ),
        (
            lambda: v.handle_missing(frame(), ["v"], missing="ignore", func="f"),
            r"f: missing must be one of 'raise', 'drop'; got 'ignore'",
        ),
        (
            lambda: v.align_by_key(
                pd.Series([1, 2], index=["A", "B"]),
                pd.Series([1, 2], index=["A", "C"]),
                names=["x", "w"],
            ),
            r"x and w do not have the same index labels "
            r"\(in x but not in w: 'B'; in w but not in x: 'C'\)",
        ),
        (
            lambda: v.align_by_key(pd.Series([1, 2], index=["A", "A"]), [1, 2], names=["x", "w"]),
            r"x has duplicate index labels 'A'",
        ),
        (
            lambda: v.align_by_key([1, 2], [1, 2, 3], names=["x", "w"]),
            r"inputs have different lengths: \[2, 3\] \(x, w\)",
        ),
        # a labelled (or reordered) Series beside a plain list: no key to match by
        (
            lambda: v.align_by_key(
                pd.Series([1, 2], index=["A", "B"]), [5, 6], names=["x", "w"], func="f"
            ),
            (
                r"f: x is a Series indexed by labels \('A', 'B'\) "
                r"but w is a plain list without labels.*"
                r"Pass w as a Series with the same index"
            ),
        ),
        (
            lambda: v.align_by_key(
                np.array([5, 6, 7]), pd.Series([1, 2, 3]).iloc[::-1], names=["x", "w"]
            ),
            r"w is a Series indexed by labels \(2, 1, 0\) but x is a plain ndarray",
        ),
        # infinite values are never observations
        (
            lambda: v.require_columns(
                frame().assign(v=[1.0, np.inf, 3.0]),
                {"bps_code": "any", "year": "integer", "v": "numeric"},
                func="f",
            ),
            r"f: column 'v' holds 1 infinite value \(inf\) at row 1 \(bps_code A, year 2001\)",
        ),
        (
            lambda: v.require_columns(
                frame().assign(v=pd.Series([1.0, -np.inf, None], dtype=object)), {"v": "numeric"}
            ),
            r"column 'v' holds 1 infinite value \(-inf\) at row 1",
        ),
        (
            lambda: v.require_columns(
                frame().assign(year=[2000, np.inf, 2001]), {"year": "integer"}
            ),
            r"column 'year' holds 1 infinite value \(inf\) at row 1",
        ),
        (
            lambda: v.check_positive(
                pd.Series([1.0, np.inf], index=["3505", "3572"]), "pop", func="f"
            ),
            r"f: pop has 1 infinite value \(3572 = inf\)",
        ),
        (
            lambda: v.check_finite([1.0, 2.0, -np.inf], "y", func="f"),
            r"f: y has 1 infinite value \(position 2 = -inf\)",
        ),
        (
            lambda: v.check_binary_treatment(pd.Series([1, 0, np.nan], index=["a", "b", "c"]), "t"),
            r"t must be 0/1 or True/False; found values 0.0, 1.0, missing\. Missing at row c: drop",
        ),
        (
            lambda: v.check_choice("bogus", ("a", "b"), "errors", func="f"),
            r"f: errors must be one of 'a', 'b'; got 'bogus'",
        ),
        (
            lambda: v.check_choice("2025", (2025, 2017), "scheme"),
            r"scheme must be one of 2025, 2017; got '2025'",
        ),
        (lambda: v.check_choice(True, (1, 2), "k"), r"k must be one of 1, 2; got True"),
        (
            lambda: v.check_number(95, "confidence", lo=0, hi=1, lo_open=True, hi_open=True),
            r"confidence must be in \(0, 1\); got 95",
        ),
        (lambda: v.check_number(0, "k", lo=1, integer=True), r"k must be >= 1; got 0"),
        (
            lambda: v.check_number(2.5, "k", lo=1, integer=True),
            r"k must be a whole number; got 2.5",
        ),
        (lambda: v.check_number("3", "k"), r"k must be a number; got '3'"),
        (lambda: v.check_number(np.nan, "k"), r"k must be finite; got nan"),
        (
            lambda: v.check_positive([1, np.nan, 2], "pop"),
            r"pop has 1 missing value \(at 'position 1'\)",
        ),
        (
            lambda: v.check_positive(pd.Series([1, -2.0], index=["3505", "3572"]), "pop"),
            r"pop must be positive .*1 value is zero or negative: 3572 = -2",
        ),
        (
            lambda: v.check_positive([1, -2.0, 0], "x", allow_zero=True),
            r"x must be non-negative .* 1 value is negative: position 1 = -2",
        ),
        (lambda: v.check_positive(["1", 2], "pop"), r"pop must hold numbers but holds '1'"),
        (
            lambda: v.check_binary_treatment(pd.Series([1, 2, 2]), "treated"),
            r"treated must be 0/1 or True/False; found values 1, 2",
        ),
        (
            lambda: v.check_binary_treatment(pd.Series(["yes", "no"]), "treated"),
            r"found values 'no', 'yes'",
        ),
        (
            lambda: v.check_binary_treatment(pd.Series([1, 0, np.nan]), "treated"),
            r"found values 0.0, 1.0, missing",
        ),
        (
            lambda: v.check_binary_treatment(pd.Series([1, 1]), "d"),
            r"d: every unit is treated \(1\)",
        ),
        (
            lambda: v.check_year_range(2010, 2010, func="f"),
            r"f: end \(2010\) must be after start \(2010\)",
        ),
        (
            lambda: v.check_year_range(1999, 2003, years=[2000, 2003]),
            r"year 1999 is not in the data \(years 2000-2003\)",
        ),
        (lambda: v.check_year_range(2000.5, 2003), r"start must be a whole number; got 2000.5"),
        (
            lambda: v.min_rows(frame().iloc[:0], 1, what="regions", func="f"),
            r"f: needs at least 1 regions; got 0",
        ),
        (
            lambda: v.min_groups(["a", "a", None], 2, what="clusters"),
            r"needs at least 2 distinct clusters; got 1 \('a'\)",
        ),
    ],
)
def test_helpers_refuse_with_named_message(call, message):
    with pytest.raises(ValidationError, match=message):
        call()


def test_helpers_accept_good_input():
    f = frame()
    assert v.require_columns(f, {"v": "numeric", "year": "integer"}) is f  # unchanged, no copy
    obj = f.assign(v=pd.Series([1.0, None, 3.0], dtype=object))
    conv = v.require_columns(obj, {"v": "numeric"})
    assert conv["v"].dtype == float and np.isnan(conv["v"][1]) and obj["v"].dtype == object
    v.unique_keys(f, ["bps_code", "year"])
    kept, dropped = v.handle_missing(f, ["v"])
    assert kept is f and dropped.empty
    with pytest.warns(DroppedRowsWarning, match=r"dropped 1 row has a missing value in 'v': row 1"):
        kept, dropped = v.handle_missing(f.assign(v=[1, np.nan, 3]), ["v"], missing="drop")
    assert kept.index.tolist() == [0, 2] and dropped.index.tolist() == [1]
    a, b = v.align_by_key(
        pd.Series([10.0, 20.0], index=["A", "B"]),
        pd.Series([3.0, 1.0], index=["B", "A"]),
        names=["x", "y"],
    )
    assert b.tolist() == [1.0, 3.0] and a.index.tolist() == ["A", "B"]
    # an array beside a Series is matched by position only when the Series' labels are 0..n-1
    a, b = v.align_by_key(pd.Series([1, 2]), [5, 6], names=["x", "y"])
    assert b.to_dict() == {0: 5, 1: 6}
    assert v.check_finite([1.0, np.nan, 2.0], "y")[[0, 2]].tolist() == [1.0, 2.0]
    assert v.check_choice(2025, (2025, 2017), "scheme") == 2025
    assert v.check_number(3.0, "k", lo=1, integer=True) == 3
    assert v.check_binary_treatment(pd.Series([True, False])).tolist() == [1, 0]
    assert v.check_binary_treatment([1.0, 0.0]).tolist() == [1, 0]
    assert v.check_year_range(2000, 2003, years=[2000, 2001, 2003]) == (2000, 2003)
    assert v.min_groups(["a", "b", "b"], 2) == 2
    r = v.attach_dropped(pd.DataFrame({"x": [1]}), dropped)
    assert r.attrs["dropped"].index.tolist() == [1]


# ----------------------------------------------------------------------------
# growth and economy: bad input is refused, naming the column, value or row
# ----------------------------------------------------------------------------

from cityresearch import economy, growth, panels  # noqa: E402
from cityresearch._errors import (  # noqa: E402
    AmbiguousRegionError,
    EmptyFileError,
    InputPathError,
    MalformedFileError,
    RegionNotFoundError,
)


def panel(changes=None):
    """Three regions, 2000-2002, hand-sized values; ``changes`` as {(row, col): value}."""
    p = pd.DataFrame(
        {
            "bps_code": ["A", "A", "A", "B", "B", "B", "C", "C", "C"],
            "year": [2000, 2001, 2002] * 3,
            "v": [100.0, 110.0, 121.0, 50.0, 55.0, 60.0, 10.0, 12.0, 15.0],
            "pop": [10.0, 11.0, 12.0, 5.0, 5.0, 5.0, 2.0, 2.0, 2.0],
            "grdp_idr_bn": [100.0, 110.0, 121.0, 50.0, 55.0, 60.0, 10.0, 12.0, 15.0],
            "grdp_pc_idr_k": [10.0, 10.0, 10.1, 10.0, 11.0, 12.0, 5.0, 6.0, 7.5],
            "g": ["x", "x", "x", "x", "x", "x", "y", "y", "y"],
        }
    )
    for (row, col), val in (changes or {}).items():
        if isinstance(val, str) and col != "g":
            p[col] = p[col].astype(object)
        elif isinstance(val, float) and p[col].dtype.kind == "i":
            p[col] = p[col].astype(float)
        p.loc[row, col] = val
    return p


def dup():
    return pd.concat([panel(), panel().iloc[[4]].assign(v=5.0)], ignore_index=True)


def provinces(frame):
    """The 2025 province columns that aggregate_provinces reads (panels.attach_province)."""
    return frame.assign(prov_kemendagri_code="35", province="Jawa Timur")


def regions_frame(changes=None):
    f = pd.DataFrame(
        {
            "bps_code": ["3578", "3572", "9999"],
            "name": ["Kota Surabaya", "Kota Blitar", "Kab X"],
            "type": ["kota", "kota", "kabupaten"],
            "pop": [2.9e6, 1.4e5, 5e5],
            "density_per_km2": [8000.0, 4000.0, 200.0],
        }
    )
    for (row, col), val in (changes or {}).items():
        if isinstance(val, str) and col in ("pop", "density_per_km2"):
            f[col] = f[col].astype(object)
        f.loc[row, col] = val
    return f


def classes():
    return pd.DataFrame({"bps_code": ["A", "B", "C"], "class": ["s", "k", "k"]})


def lq_table(changes=None):
    t = pd.DataFrame(
        {
            "region": ["A", "A", "B", "B"],
            "sector": ["agri", "ind"] * 2,
            "value": [30.0, 70.0, 10.0, 90.0],
        }
    )
    for (row, col), val in (changes or {}).items():
        if isinstance(val, str):
            t[col] = t[col].astype(object)
        t.loc[row, col] = val
    return t


def one_cluster_panel():
    p = panel()
    p = p[p["year"].isin([2000, 2002])].copy()
    p["cl"] = "one"
    p = pd.concat(
        [p, p.assign(bps_code=p["bps_code"] + "2", grdp_pc_idr_k=p["grdp_pc_idr_k"] * 1.3)]
    )
    return p


BAD = [
    # growth_rates
    (
        "growth_rates kind",
        lambda: growth.growth_rates(panel(), "v", kind="bogus"),
        ValidationError,
        r"growth_rates: kind must be one of 'percent', 'log'; got 'bogus'",
    ),
    (
        "growth_rates column",
        lambda: growth.growth_rates(panel(), "w"),
        ValidationError,
        r"growth_rates: the data lack column \['w'\]",
    ),
    (
        "growth_rates text",
        lambda: growth.growth_rates(panel({(1, "v"): "1,1"}), "v"),
        ValidationError,
        r"column 'v' must hold numbers but holds text: row 1 '1,1'",
    ),
    (
        "growth_rates duplicate",
        lambda: growth.growth_rates(dup(), "v"),
        ValidationError,
        r"2 rows share a bps_code-year key: bps_code B, year 2001 at rows 4, 9",
    ),
    (
        "growth_rates NaN",
        lambda: growth.growth_rates(panel({(1, "v"): np.nan}), "v"),
        ValidationError,
        r"1 row has a missing value in 'v': row 1 \(bps_code A, year 2001\)",
    ),
    (
        "growth_rates missing policy",
        lambda: growth.growth_rates(panel(), "v", missing="skip"),
        ValidationError,
        r"missing must be one of 'raise', 'drop'; got 'skip'",
    ),
    (
        "growth_rates empty",
        lambda: growth.growth_rates(panel().iloc[:0], "v"),
        ValidationError,
        r"growth_rates: needs at least 1 rows; got 0",
    ),
    (
        "growth_rates log of zero",
        lambda: growth.growth_rates(panel({(4, "v"): 0.0}), "v", kind="log"),
        ValidationError,
        r"v must be positive .*: \('B', 2001\) = 0",
    ),
    (
        "growth_rates zero base",
        lambda: growth.growth_rates(panel({(4, "v"): 0.0}), "v"),
        ValidationError,
        r"growth from a zero v is undefined: row 4 \(bps_code B, year 2001\)",
    ),
    (
        "growth_rates fractional year",
        lambda: growth.growth_rates(panel({(1, "year"): 2000.5}), "v"),
        ValidationError,
        r"column 'year' must hold whole numbers; row 1 has 2000.5",
    ),
    (
        "growth_rates not a frame",
        lambda: growth.growth_rates([1, 2], "v"),
        ValidationError,
        r"panel must be a pandas DataFrame, not list",
    ),
    (
        "growth_rates missing key",
        lambda: growth.growth_rates(panel({(2, "bps_code"): None}), "v"),
        ValidationError,
        r"missing value in 'bps_code': row 2",
    ),
    # cagr
    (
        "cagr duplicate",
        lambda: growth.cagr(dup(), "v", 2000, 2002),
        ValidationError,
        r"cagr: 2 rows share a bps_code-year key: bps_code B, year 2001",
    ),
    (
        "cagr end before start",
        lambda: growth.cagr(panel(), "v", 2002, 2000),
        ValidationError,
        r"cagr: end \(2000\) must be after start \(2002\)",
    ),
    (
        "cagr start equals end",
        lambda: growth.cagr(panel(), "v", 2001, 2001),
        ValidationError,
        r"end \(2001\) must be after start \(2001\)",
    ),
    (
        "cagr year absent",
        lambda: growth.cagr(panel(), "v", 1999, 2002),
        ValidationError,
        r"cagr: year 1999 is not in the data \(years 2000-2002\)",
    ),
    (
        "cagr NaN endpoint",
        lambda: growth.cagr(panel({(5, "v"): np.nan}), "v", 2000, 2002),
        ValidationError,
        r"1 bps_code without both endpoints: B \(v missing in 2002\)",
    ),
    (
        "cagr absent endpoint row",
        lambda: growth.cagr(panel().drop(index=[6]), "v", 2000, 2002),
        ValidationError,
        r"C \(v missing in 2000\)",
    ),
    (
        "cagr zero endpoint",
        lambda: growth.cagr(panel({(0, "v"): 0.0}), "v", 2000, 2002),
        ValidationError,
        r"v at the endpoints must be positive .*A 2000 = 0",
    ),
    (
        "cagr negative endpoint",
        lambda: growth.cagr(panel({(8, "v"): -3.0}), "v", 2000, 2002),
        ValidationError,
        r"C 2002 = -3",
    ),
    (
        "cagr missing policy",
        lambda: growth.cagr(panel(), "v", 2000, 2002, missing="ignore"),
        ValidationError,
        r"cagr: missing must be one of 'raise', 'drop'; got 'ignore'",
    ),
    (
        "cagr fractional start",
        lambda: growth.cagr(panel(), "v", 2000.5, 2002),
        ValidationError,
        r"cagr: start must be a whole number; got 2000.5",
    ),
    (
        "cagr text value",
        lambda: growth.cagr(panel({(2, "v"): "n/a"}), "v", 2000, 2002),
        ValidationError,
        r"column 'v' must hold numbers but holds text: row 2 'n/a'",
    ),
    # index_to_base
    (
        "index_to_base year",
        lambda: growth.index_to_base(panel(), "v", 1999),
        ValidationError,
        r"index_to_base: year 1999 is not in the data",
    ),
    (
        "index_to_base group without base",
        lambda: growth.index_to_base(panel().drop(index=[6]), "v", 2000),
        ValidationError,
        r"1 bps_code have no v in 2000: 'C'",
    ),
    (
        "index_to_base zero base",
        lambda: growth.index_to_base(panel({(3, "v"): 0.0}), "v", 2000),
        ValidationError,
        r"v in 2000 must be positive .*B = 0",
    ),
    (
        "index_to_base NaN",
        lambda: growth.index_to_base(panel({(7, "v"): np.nan}), "v", 2000),
        ValidationError,
        r"missing value in 'v': row 7 \(bps_code C, year 2001\)",
    ),
    # classify_secondary_cities
    (
        "classify definition",
        lambda: growth.classify_secondary_cities(regions_frame(), definition="asean"),
        ValidationError,
        r"unknown definition 'asean'; choose one of kota_band",
    ),
    (
        "classify band",
        lambda: growth.classify_secondary_cities(regions_frame(), lower=2e6),
        ValidationError,
        r"lower \(2000000.0\) must be below upper \(1000000\)",
    ),
    (
        "classify type coding",
        lambda: growth.classify_secondary_cities(regions_frame({(1, "type"): "Kota"})),
        ValidationError,
        r"column 'type' must be 'kabupaten' or 'kota'; found 'Kota'",
    ),
    (
        "classify NaN pop",
        lambda: growth.classify_secondary_cities(regions_frame({(1, "pop"): np.nan})),
        ValidationError,
        r"1 row has a missing value in 'pop': row 1 \(bps_code 3572, name Kota Blitar\)",
    ),
    (
        "classify duplicate",
        lambda: growth.classify_secondary_cities(regions_frame({(2, "bps_code"): "3572"})),
        ValidationError,
        r"2 rows share a bps_code key: bps_code 3572 at rows 1, 2",
    ),
    (
        "classify text pop",
        lambda: growth.classify_secondary_cities(regions_frame({(0, "pop"): "2.900.000"})),
        ValidationError,
        r"column 'pop' must hold numbers but holds text: row 0 '2.900.000'",
    ),
    (
        "classify lower text",
        lambda: growth.classify_secondary_cities(regions_frame(), lower="100000"),
        ValidationError,
        r"lower must be a number; got '100000'",
    ),
    (
        "classify cores",
        lambda: growth.classify_secondary_cities(regions_frame(), metro_cores=["3578"]),
        ValidationError,
        r"metro_cores must be a dict .*not list",
    ),
    (
        "classify density NaN",
        lambda: growth.classify_secondary_cities(
            regions_frame({(2, "density_per_km2"): np.nan}), definition="kota_plus_urban_kabupaten"
        ),
        ValidationError,
        r"missing value in 'density_per_km2': row 2 \(bps_code 9999",
    ),
    # rank_size, primacy_index
    (
        "rank_size too few",
        lambda: growth.rank_size([3, 2]),
        ValidationError,
        r"rank_size: needs at least 3 positive sizes; got 2",
    ),
    (
        "rank_size NaN",
        lambda: growth.rank_size([3, np.nan, 2, 1]),
        ValidationError,
        r"sizes has 1 missing value \(at 'position 1'\)",
    ),
    (
        "rank_size negative",
        lambda: growth.rank_size(pd.Series([5, 3, -1], index=["a", "b", "c"])),
        ValidationError,
        r"sizes must be positive .*c = -1",
    ),
    (
        "rank_size constant",
        lambda: growth.rank_size([7, 7, 7, 7]),
        ValidationError,
        r"all 4 sizes are equal \(7\)",
    ),
    (
        "rank_size shift",
        lambda: growth.rank_size([5, 3, 1], shift=1),
        ValidationError,
        r"shift must be in \[0, 1\); got 1",
    ),
    (
        "primacy k=0",
        lambda: growth.primacy_index([10, 5, 2], k=0),
        ValidationError,
        r"primacy_index: k must be >= 1; got 0",
    ),
    (
        "primacy fractional k",
        lambda: growth.primacy_index([10, 5, 2], k=1.5),
        ValidationError,
        r"k must be a whole number; got 1.5",
    ),
    (
        "primacy too few",
        lambda: growth.primacy_index([10, 5], k=3),
        ValidationError,
        r"with k=3 needs at least 4 sizes; got 2",
    ),
    ("primacy zero", lambda: growth.primacy_index([10, 0, 2]), ValidationError, r"position 1 = 0"),
    # group_summary
    (
        "group_summary confidence",
        lambda: growth.group_summary(panel(), "v", group="g", confidence=95),
        ValidationError,
        r"confidence must be in \(0, 1\); got 95 \(a probability such as 0.95\)",
    ),
    (
        "group_summary NaN group",
        lambda: growth.group_summary(panel({(2, "g"): np.nan}), "v", group="g"),
        ValidationError,
        r"group_summary: 1 row has a missing value in 'g': row 2",
    ),
    (
        "group_summary text",
        lambda: growth.group_summary(panel({(0, "v"): "tinggi"}), "v", group="g"),
        ValidationError,
        r"column 'v' must hold numbers but holds text: row 0 'tinggi'",
    ),
    (
        "group_summary empty",
        lambda: growth.group_summary(panel().iloc[:0], "v", group="g"),
        ValidationError,
        r"group_summary: needs at least 1 rows; got 0",
    ),
    # national_shares
    (
        "national_shares unclassified",
        lambda: growth.national_shares(panel(), classes().iloc[:2]),
        ValidationError,
        r"1 regions have no class: C",
    ),
    (
        "national_shares NaN class",
        lambda: growth.national_shares(panel(), classes().assign(**{"class": ["s", None, "k"]})),
        ValidationError,
        r"1 regions have a missing class: B",
    ),
    (
        "national_shares duplicate rows",
        lambda: growth.national_shares(dup(), classes()),
        ValidationError,
        r"national_shares: 2 rows share a bps_code-year key: bps_code B, year 2001",
    ),
    (
        "national_shares duplicate classes",
        lambda: growth.national_shares(panel(), pd.concat([classes(), classes().iloc[[0]]])),
        ValidationError,
        r"2 rows share a bps_code key: bps_code A",
    ),
    (
        "national_shares NaN value",
        lambda: growth.national_shares(panel({(4, "pop"): np.nan}), classes()),
        ValidationError,
        r"missing value in 'pop': row 4 \(bps_code B, year 2001\)",
    ),
    (
        "national_shares negative",
        lambda: growth.national_shares(panel({(4, "pop"): -5.0}), classes()),
        ValidationError,
        r"pop must be non-negative .*4 = -5",
    ),
    # economy
    (
        "attach_province numeric codes",
        lambda: panels.attach_province(pd.DataFrame({"bps_code": [3505, 3572]})),
        ValidationError,
        r"column 'bps_code' holds numbers .*'3505'",
    ),
    (
        "attach_province clash",
        lambda: panels.attach_province(pd.DataFrame({"bps_code": ["3505"], "name": ["Blitar"]})),
        ValidationError,
        r"the frame already has \['name'\]",
    ),
    (
        "grdp_shares NaN group",
        lambda: economy.grdp_shares(panel({(3, "g"): None}), value="v", group="g"),
        ValidationError,
        r"grdp_shares: 1 row has a missing value in 'g': row 3 \(bps_code B",
    ),
    (
        "grdp_shares duplicate",
        lambda: economy.grdp_shares(dup(), value="v", group="g"),
        ValidationError,
        r"2 rows share a bps_code-year key",
    ),
    (
        "grdp_shares negative",
        lambda: economy.grdp_shares(panel({(0, "v"): -1.0}), value="v", group="g"),
        ValidationError,
        r"v must be non-negative .*0 = -1",
    ),
    (
        "growth_contributions unbalanced",
        lambda: economy.growth_contributions(panel().drop(index=[4])),
        ValidationError,
        r"regions differ between 2000 and 2001 \(only in 2000: 'B'; only in 2001: \)",
    ),
    (
        "growth_contributions NaN",
        lambda: economy.growth_contributions(panel({(7, "grdp_idr_bn"): np.nan})),
        ValidationError,
        r"missing value in 'grdp_idr_bn': row 7 \(bps_code C, year 2001\)",
    ),
    (
        "growth_contributions zero",
        lambda: economy.growth_contributions(panel({(7, "grdp_idr_bn"): 0.0})),
        ValidationError,
        r"grdp_idr_bn must be positive .*7 = 0",
    ),
    (
        "top_k_share k=0",
        lambda: economy.top_k_share([1, 3, 6], 0),
        ValidationError,
        r"top_k_share: k must be in \[1, 3\]; got 0",
    ),
    (
        "top_k_share NaN",
        lambda: economy.top_k_share([1, np.nan, 6], 1),
        ValidationError,
        r"values has 1 missing value \(at 'position 1'\)",
    ),
    (
        "williamson one region",
        lambda: economy.williamson([10.0], pop=[1.0]),
        ValidationError,
        r"williamson: needs at least 2 regions; got 1",
    ),
    (
        "williamson misaligned",
        lambda: economy.williamson(
            pd.Series([10.0, 20.0], index=["A", "C"]), pop=pd.Series([1.0, 3.0], index=["A", "B"])
        ),
        ValidationError,
        r"grdp_pc and pop do not have the same index labels \(in grdp_pc but not in "
        r"pop: 'C'; in pop but not in grdp_pc: 'B'\)",
    ),
    (
        "williamson duplicate labels",
        lambda: economy.williamson(
            pd.Series([10.0, 20.0], index=["A", "A"]), pop=pd.Series([1.0, 3.0], index=["A", "B"])
        ),
        ValidationError,
        r"grdp_pc has duplicate index labels 'A'",
    ),
    (
        "williamson NaN pop",
        lambda: economy.williamson(
            pd.Series([10.0, 20.0], index=["A", "B"]),
            pop=pd.Series([1.0, np.nan], index=["A", "B"]),
        ),
        ValidationError,
        r"pop has 1 missing value \(at 'B'\)",
    ),
    (
        "williamson lengths",
        lambda: economy.williamson([1, 5], pop=[1, 2, 3]),
        ValidationError,
        r"inputs have different lengths: \[2, 3\] \(grdp_pc, pop\)",
    ),
    (
        "theil NaN group",
        lambda: economy.theil([1.0, 2, 3], pop=[1.0, 1, 1], group=["a", None, "b"]),
        ValidationError,
        r"theil: 1 row has a missing value in 'group': row 1",
    ),
    (
        "theil zero",
        lambda: economy.theil([1.0, 0, 3], pop=[1.0, 1, 1]),
        ValidationError,
        r"grdp must be positive .*position 1 = 0",
    ),
    (
        "theil missing policy",
        lambda: economy.theil([1.0, 2], pop=[1.0, 1], group=["a", "b"], missing="keep"),
        ValidationError,
        r"theil: missing must be one of 'raise', 'drop'; got 'keep'",
    ),
    (
        "gini one value",
        lambda: economy.gini([4.0]),
        ValidationError,
        r"gini: needs at least 2 regions; got 1",
    ),
    (
        "gini zero weight",
        lambda: economy.gini([1.0, 2.0], [1.0, 0.0]),
        ValidationError,
        r"weights must be positive .*position 1 = 0",
    ),
    (
        "beta cov",
        lambda: economy.beta_convergence(panel(), 2000, 2002, cov="robust"),
        ValidationError,
        r"cov must be one of 'HC1', 'cluster', 'nonrobust'; got 'robust'",
    ),
    (
        "beta one cluster",
        lambda: economy.beta_convergence(
            one_cluster_panel(), 2000, 2002, cov="cluster", cluster="cl"
        ),
        ValidationError,
        r"needs at least 2 distinct clusters in 'cl'; got 1 \('one'\)",
    ),
    (
        "beta constant income",
        lambda: economy.beta_convergence(panel().assign(grdp_pc_idr_k=7.0), 2000, 2002),
        ValidationError,
        r"grdp_pc_idr_k in 2000 is the same for every region",
    ),
    (
        "beta end before start",
        lambda: economy.beta_convergence(panel(), 2002, 2000),
        ValidationError,
        r"end \(2000\) must be after start \(2002\)",
    ),
    (
        "beta absent end",
        lambda: economy.beta_convergence(panel().drop(index=[8]), 2000, 2002),
        ValidationError,
        r"missing value in 'grdp_pc_idr_k in 2002': row 2 \(bps_code C\)",
    ),
    (
        "beta too few regions",
        lambda: economy.beta_convergence(panel(), 2000, 2002, controls=["pop"]),
        ValidationError,
        r"3 regions for 3 parameters",
    ),
    (
        "beta duplicate",
        lambda: economy.beta_convergence(dup(), 2000, 2002),
        ValidationError,
        r"2 rows share a bps_code-year key: bps_code B, year 2001",
    ),
    (
        "sigma NaN",
        lambda: economy.sigma_convergence(panel({(4, "grdp_pc_idr_k"): np.nan})),
        ValidationError,
        r"missing value in 'grdp_pc_idr_k': row 4 \(bps_code B, year 2001\)",
    ),
    (
        "sigma one region",
        lambda: economy.sigma_convergence(panel().iloc[[0, 1, 4]]),
        ValidationError,
        r"year 2000 has fewer than 2 regions",
    ),
    (
        "sigma duplicate",
        lambda: economy.sigma_convergence(dup()),
        ValidationError,
        r"sigma_convergence: 2 rows share a bps_code-year key",
    ),
    (
        "sigma zero",
        lambda: economy.sigma_convergence(panel({(2, "grdp_pc_idr_k"): 0.0})),
        ValidationError,
        r"grdp_pc_idr_k must be positive .*2 = 0",
    ),
    (
        "lq missing cell",
        lambda: economy.location_quotients(lq_table().drop(index=[3])),
        ValidationError,
        r"1 missing cells \('B x ind'\); fill zeros explicitly",
    ),
    (
        "lq negative",
        lambda: economy.location_quotients(lq_table({(1, "value"): -7.0})),
        ValidationError,
        r"value must be non-negative .*1 = -7",
    ),
    (
        "lq zero region",
        lambda: economy.location_quotients(lq_table({(2, "value"): 0.0, (3, "value"): 0.0})),
        ValidationError,
        r"region 'B' has a total of zero",
    ),
    (
        "lq duplicate",
        lambda: economy.location_quotients(pd.concat([lq_table(), lq_table().iloc[[0]]])),
        ValidationError,
        r"2 rows share a region-sector key: region A, sector agri",
    ),
    (
        "lq NaN",
        lambda: economy.location_quotients(lq_table({(2, "value"): np.nan})),
        ValidationError,
        r"missing value in 'value': row 2 \(region B, sector agri\)",
    ),
    (
        "shift_share misaligned",
        lambda: economy.shift_share(
            pd.Series([1.0, 2.0], index=["agri", "ind"]),
            pd.Series([1.0, 2.0], index=["agri", "jasa"]),
            national_growth_pct=pd.Series([10.0, 10.0], index=["agri", "ind"]),
            national_total_growth_pct=10,
        ),
        ValidationError,
        r"base and final do not have the same index labels \(in base but not in "
        r"final: 'ind'; in final but not in base: 'jasa'\)",
    ),
    (
        "shift_share total growth text",
        lambda: economy.shift_share(
            [1, 2], [1, 2], national_growth_pct=[10, 10], national_total_growth_pct="29"
        ),
        ValidationError,
        r"national_total_growth_pct must be a number; got '29'",
    ),
    (
        "shift_share zero base",
        lambda: economy.shift_share(
            [0, 2], [1, 2], national_growth_pct=[10, 10], national_total_growth_pct=10
        ),
        ValidationError,
        r"base must be positive .*position 0 = 0",
    ),
    (
        "shift_share NaN growth",
        lambda: economy.shift_share(
            [1, 2], [1, 2], national_growth_pct=[10, np.nan], national_total_growth_pct=10
        ),
        ValidationError,
        r"national_growth_pct has missing or non-numeric values at 1",
    ),
    (
        "period_contributions duplicate",
        lambda: economy.period_contributions(
            pd.concat([panel(), panel().iloc[[5]]], ignore_index=True), 2000, 2002, group="g"
        ),
        ValidationError,
        r"2 rows share a bps_code-year key: bps_code B, year 2002",
    ),
    (
        "period_contributions NaN group",
        lambda: economy.period_contributions(panel({(8, "g"): None}), 2000, 2002, group="g"),
        ValidationError,
        r"missing value in 'g': row 8 \(bps_code C, year 2002\)",
    ),
    (
        "period_contributions years",
        lambda: economy.period_contributions(panel(), 2002, 2002),
        ValidationError,
        r"end \(2002\) must be after start \(2002\)",
    ),
    (
        "period_contributions regions differ",
        lambda: economy.period_contributions(panel().drop(index=[8]), 2000, 2002),
        ValidationError,
        r"regions differ between 2000 and 2002 \(only in 2000: 'C'",
    ),
    (
        "inequality NaN pop",
        lambda: economy.inequality_over_time(panel({(3, "pop"): np.nan}), group="g"),
        ValidationError,
        r"missing value in 'pop': row 3 \(bps_code B, year 2000\)",
    ),
    (
        "inequality duplicate",
        lambda: economy.inequality_over_time(dup(), group="g"),
        ValidationError,
        r"inequality_over_time: 2 rows share a bps_code-year key",
    ),
    (
        "aggregate scheme",
        lambda: economy.aggregate_provinces(panel(), scheme=2020),
        ValidationError,
        r"scheme must be one of 2025, 2017; got 2020",
    ),
    (
        "aggregate scheme text",
        lambda: economy.aggregate_provinces(panel(), scheme="2025"),
        ValidationError,
        r"scheme must be one of 2025, 2017; got '2025'",
    ),
    (
        "aggregate NaN GRDP",
        lambda: economy.aggregate_provinces(provinces(panel({(4, "grdp_idr_bn"): np.nan}))),
        ValidationError,
        r"aggregate_provinces: 1 row has a missing value in 'grdp_idr_bn': row 4 "
        r"\(bps_code B, year 2001\)",
    ),
    (
        "aggregate duplicate",
        lambda: economy.aggregate_provinces(provinces(dup())),
        ValidationError,
        r"2 rows share a bps_code-year key",
    ),
    # --- infinite values: never an observation, the row is named (issue 11 probe)
    (
        "growth_rates inf",
        lambda: growth.growth_rates(panel({(4, "v"): np.inf}), "v"),
        ValidationError,
        (
            r"growth_rates: column 'v' holds 1 infinite value \(inf\) at row 4 "
            r"\(bps_code B, year 2001\)"
        ),
    ),
    (
        "cagr inf endpoint",
        lambda: growth.cagr(panel({(5, "v"): np.inf}), "v", 2000, 2002),
        ValidationError,
        (
            r"cagr: column 'v' holds 1 infinite value \(inf\) at row 5 "
            r"\(bps_code B, year 2002\)"
        ),
    ),
    (
        "cagr -inf start",
        lambda: growth.cagr(panel({(3, "v"): -np.inf}), "v", 2000, 2002),
        ValidationError,
        (
            r"cagr: column 'v' holds 1 infinite value \(-inf\) at row 3 "
            r"\(bps_code B, year 2000\)"
        ),
    ),
    (
        "group_summary inf",
        lambda: growth.group_summary(panel({(0, "v"): np.inf}), "v", group="g"),
        ValidationError,
        (
            r"group_summary: column 'v' holds 1 infinite value \(inf\) at row 0 "
            r"\(bps_code A, g x\)"
        ),
    ),
    (
        "rank_size inf",
        lambda: growth.rank_size([5.0, 3, np.inf, 1]),
        ValidationError,
        r"rank_size: sizes has 1 infinite value \(position 2 = inf\)",
    ),
    (
        "primacy inf",
        lambda: growth.primacy_index(pd.Series([5.0, np.inf], index=["3578", "3171"])),
        ValidationError,
        r"primacy_index: sizes has 1 infinite value \(3171 = inf\)",
    ),
    (
        "williamson inf",
        lambda: economy.williamson(
            pd.Series([10.0, np.inf], index=list("AB")), pop=pd.Series([1.0, 3.0], index=list("AB"))
        ),
        ValidationError,
        r"williamson: grdp_pc has 1 infinite value \(B = inf\)",
    ),
    (
        "gini inf",
        lambda: economy.gini([1.0, np.inf, 3.0]),
        ValidationError,
        r"gini: values has 1 infinite value \(position 1 = inf\)",
    ),
    (
        "gini inf weight",
        lambda: economy.gini([1.0, 2.0], [1.0, np.inf]),
        ValidationError,
        r"gini: weights has 1 infinite value \(position 1 = inf\)",
    ),
    (
        "theil inf pop",
        lambda: economy.theil([1.0, 2.0], pop=[np.inf, 1.0]),
        ValidationError,
        r"theil: pop has 1 infinite value \(position 0 = inf\)",
    ),
    (
        "shift_share inf growth",
        lambda: economy.shift_share(
            [1.0, 2.0], [2.0, 2.0], national_growth_pct=[10, np.inf], national_total_growth_pct=20
        ),
        ValidationError,
        r"shift_share: national_growth_pct has 1 infinite value \(position 1 = inf\)",
    ),
    (
        "inequality inf pop",
        lambda: economy.inequality_over_time(panel({(7, "pop"): np.inf}), group="g"),
        ValidationError,
        (
            r"inequality_over_time: column 'pop' holds 1 infinite value \(inf\) at "
            r"row 7 \(bps_code C, year 2001\)"
        ),
    ),
    (
        "lq inf",
        lambda: economy.location_quotients(
            pd.DataFrame(
                {
                    "region": ["A", "A", "B", "B"],
                    "sector": ["agri", "ind"] * 2,
                    "value": [30, np.inf, 10, 90],
                }
            )
        ),
        ValidationError,
        (
            r"location_quotients: column 'value' holds 1 infinite value \(inf\) at "
            r"row 1 \(region A, sector ind\)"
        ),
    ),
    # --- a Series with region labels beside a plain list: no key to match by
    (
        "williamson Series + list",
        lambda: economy.williamson(
            pd.Series([20.0, 10.0, 30.0], index=list("BAC")), pop=[1.0, 3.0, 6.0]
        ),
        ValidationError,
        (
            r"williamson: grdp_pc is a Series indexed by labels \('B', 'A', 'C'\) but "
            r"pop is a plain list without labels.*Pass pop as a Series"
        ),
    ),
    (
        "gini Series + list",
        lambda: economy.gini(pd.Series([2.0, 1.0], index=list("BA")), [1.0, 3.0]),
        ValidationError,
        (
            r"gini: values is a Series indexed by labels \('B', 'A'\) but weights is "
            r"a plain list"
        ),
    ),
    (
        "shift_share Series + lists",
        lambda: economy.shift_share(
            pd.Series([20.0, 10.0], index=["ind", "agri"]),
            [12.0, 30.0],
            national_growth_pct=[10, 30],
            national_total_growth_pct=20,
        ),
        ValidationError,
        (
            r"shift_share: base is a Series indexed by labels \('ind', 'agri'\) but "
            r"final is a plain list"
        ),
    ),
    # --- degenerate groups
    (
        "lq one region",
        lambda: economy.location_quotients(
            pd.DataFrame({"region": ["A", "A"], "sector": ["agri", "ind"], "value": [30.0, 70.0]})
        ),
        ValidationError,
        (
            r"location_quotients: the table has only one region \('A'\).*quotient "
            r"would be 1 by construction"
        ),
    ),
    (
        "lq one sector",
        lambda: economy.location_quotients(
            pd.DataFrame({"region": ["A", "B"], "sector": ["agri", "agri"], "value": [30.0, 70.0]})
        ),
        ValidationError,
        r"location_quotients: the table has only one sector \('agri'\)",
    ),
    (
        "grdp_shares zero group total",
        lambda: economy.grdp_shares(
            panel().assign(v=lambda d: np.where(d.g == "y", 0.0, d.v)), value="v", group="g"
        ),
        ValidationError,
        (
            r"grdp_shares: 3 g-years have a total v of zero \(year 2000, g y; year "
            r"2001, g y; year 2002, g y\)"
        ),
    ),
    (
        "grdp_shares zero national total",
        lambda: economy.grdp_shares(
            panel().assign(v=lambda d: np.where(d.year == 2001, 0.0, d.v)), value="v", group="g"
        ),
        ValidationError,
        (
            r"grdp_shares: 2 g-years have a total v of zero \(year 2001, g x; year "
            r"2001, g y\)"
        ),
    ),
    (
        "group_summary singleton group",
        lambda: growth.group_summary(panel().iloc[[0, 1, 2, 3, 6]], "v", group="g"),
        ValidationError,
        (
            r"group_summary: 1 group of 'g' has fewer than 2 values of 'v': 'y' "
            r"\(1 value\); a mean or median interval needs at least 2.*"
            r"small_groups='report'"
        ),
    ),
    (
        "group_summary all-missing group",
        lambda: growth.group_summary(
            panel({(6, "v"): np.nan, (7, "v"): np.nan, (8, "v"): np.nan}), "v", group="g"
        ),
        ValidationError,
        r"1 group of 'g' has fewer than 2 values of 'v': 'y' \(0 values\)",
    ),
    (
        "group_summary small_groups bogus",
        lambda: growth.group_summary(panel(), "v", group="g", small_groups="drop"),
        ValidationError,
        r"small_groups must be one of 'raise', 'report'; got 'drop'",
    ),
    (
        "index_to_base base_year text",
        lambda: growth.index_to_base(panel(), "v", "2000"),
        ValidationError,
        r"index_to_base: base_year must be a number; got '2000'",
    ),
]


@pytest.mark.parametrize("call, error, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_named_error(call, error, message):
    with pytest.raises(error, match=message) as info:
        call()
    assert type(info.value) is error


# ----------------------------------------------------------------------------
# nothing lost silently: missing="drop" reports, totals stay honest, keys align
# ----------------------------------------------------------------------------


def test_cagr_duplicates_refused_where_row_order_used_to_decide():
    # the same region twice in the end year: 5.35 % or -65.88 % depending on row order before
    p = pd.DataFrame(
        {"bps_code": ["A", "A", "A"], "year": [2000, 2010, 2010], "v": [100.0, 168.4, 2.2]}
    )
    for order in ([0, 1, 2], [0, 2, 1]):
        with pytest.raises(ValidationError, match=r"bps_code A, year 2010 at rows"):
            growth.cagr(p.iloc[order], "v", 2000, 2010)


def test_cagr_drop_reports_region_and_keeps_the_others():
    p = panel({(5, "v"): np.nan})
    with pytest.warns(
        DroppedRowsWarning,
        match=r"dropped 1 bps_code without both endpoints: "
        r"B \(v missing in 2002\)",
    ):
        c = growth.cagr(p, "v", 2000, 2002, missing="drop")
    assert c.index.tolist() == ["A", "C"]
    assert c["A"] == pytest.approx(10.0) and c["C"] == pytest.approx(100 * (1.5**0.5 - 1))
    assert c.attrs["dropped"].to_dict("list") == {
        "bps_code": ["B"],
        "reason": ["v missing in 2002"],
    }


def test_growth_rates_drop_leaves_a_reported_gap():
    p = panel({(1, "v"): np.nan})
    with pytest.warns(UserWarning) as rec:
        g = growth.growth_rates(p, "v", missing="drop")
    kinds = {type(w.message) for w in rec}
    assert DroppedRowsWarning in kinds  # the dropped row ...
    assert any("A 2002" in str(w.message) for w in rec)  # ... and the gap it leaves
    a = g[g["bps_code"] == "A"].set_index("year")["growth_pct"]
    assert 2001 not in a.index and np.isnan(a[2002])  # never across the gap
    assert g.attrs["dropped"].index.tolist() == [1]


def test_group_summary_nan_group_is_reported_not_vanished():
    f = pd.DataFrame({"class": ["a", "a", None, "b", "b"], "g": [1.0, 3.0, 100.0, 2.0, 4.0]})
    with pytest.warns(DroppedRowsWarning, match=r"missing value in 'class': row 2"):
        s = growth.group_summary(f, "g", missing="drop").set_index("class")
    assert s["n"].to_dict() == {"a": 2, "b": 2}
    assert s.attrs["dropped"]["g"].tolist() == [100.0]


def test_national_shares_drop_is_reported_with_the_row():
    p = panel({(4, "grdp_idr_bn"): np.nan})
    with pytest.warns(DroppedRowsWarning, match=r"row 4 \(bps_code B, year 2001\)"):
        s = growth.national_shares(p, classes(), missing="drop").set_index(["year", "class"])
    # 2001: class s = A (110), class k = C (12) only: B left out and said so
    assert s.loc[(2001, "s"), "grdp_idr_bn_share_pct"] == pytest.approx(100 * 110 / 122)
    assert s.attrs["dropped"][["bps_code", "year"]].values.tolist() == [["B", 2001]]


def test_theil_drop_keeps_the_decomposition_exact():
    grdp = pd.Series([10.0, 20, 30, 40, 100], index=list("abcde"))
    pop = pd.Series([5.0, 5, 10, 10, 20], index=list("abcde"))
    groups = pd.Series(["x", "x", None, "y", "y"], index=list("abcde"))
    with pytest.warns(DroppedRowsWarning, match=r"row c"):
        t = economy.theil(grdp, pop=pop, group=groups, missing="drop")
    kept = economy.theil(grdp.drop("c"), pop=pop.drop("c"), group=groups.drop("c"))
    assert t["total"] == pytest.approx(kept["total"])
    assert t["within"] + t["between"] == pytest.approx(t["total"], abs=1e-15)
    assert t["dropped"].index.tolist() == ["c"]


def test_williamson_and_shift_share_align_by_key_not_position():
    pc = pd.Series([10.0, 20.0], index=["A", "B"])
    pop = pd.Series([3.0, 1.0], index=["B", "A"])  # reordered: A has 1, B has 3
    assert economy.williamson(pc, pop=pop) == pytest.approx(np.sqrt(18.75) / 17.5)
    base = pd.Series([500.0, 100, 200, 200], index=["a", "b", "c", "d"])
    final = pd.Series([280.0, 250, 100, 1000], index=["d", "c", "b", "a"])
    g = pd.Series([40.0, 30, 20, 10], index=["d", "c", "b", "a"])
    tot = economy.shift_share(base, final, national_growth_pct=g, national_total_growth_pct=29).loc[
        "total"
    ]
    assert tot[["change", "national_share", "industry_mix", "regional_shift"]].round(
        6
    ).tolist() == [630.0, 290.0, -80.0, 420.0]


def test_inequality_over_time_drop_counts_regions_used():
    p = panel({(4, "pop"): np.nan})
    with pytest.warns(DroppedRowsWarning):
        ineq = economy.inequality_over_time(p, group="g", missing="drop").set_index("year")
    assert ineq["n"].to_dict() == {2000: 3, 2001: 2, 2002: 3}
    sub = p[(p["year"] == 2001) & p["pop"].notna()].set_index("bps_code")
    assert ineq.loc[2001, "williamson"] == pytest.approx(
        economy.williamson(sub["grdp_idr_bn"] / sub["pop"], pop=sub["pop"])
    )


def test_period_contributions_drop_removes_region_from_both_years():
    p = panel({(8, "g"): None})
    with pytest.warns(DroppedRowsWarning):
        c = economy.period_contributions(p, 2000, 2002, group="g", missing="drop").set_index("g")
    # C left out of both years: x = A + B, 150 -> 181
    assert c.loc["x", "contribution_pp"] == pytest.approx(100 * 31 / 150)
    assert sorted(c.attrs["dropped"]["year"]) == [2000, 2002]


def test_beta_convergence_drop_lists_regions():
    p = pd.concat(
        [
            panel(),
            panel().assign(
                bps_code=lambda d: d["bps_code"] + "2",
                grdp_pc_idr_k=lambda d: d["grdp_pc_idr_k"] * 1.7,
            ),
        ],
        ignore_index=True,
    )
    p.loc[(p["bps_code"] == "C2") & (p["year"] == 2002), "grdp_pc_idr_k"] = np.nan
    with pytest.warns(DroppedRowsWarning, match=r"bps_code C2"):
        _, info = economy.beta_convergence(p, 2000, 2002, missing="drop")
    assert info["n"] == 5 and info["dropped"]["bps_code"].tolist() == ["C2"]


def test_dropped_rows_survive_merges():
    c = growth.cagr(panel(), "v", 2000, 2002).rename("c").reset_index()
    k = growth.classify_secondary_cities(regions_frame())
    merged = c.merge(k.assign(bps_code=["A", "B", "C"])[["bps_code", "class"]], on="bps_code")
    assert len(merged) == 3  # pandas compares attrs on merge: DroppedRows keeps that working


@pytest.mark.data
def test_jawa_timur_total_with_a_missing_value():
    from cityresearch import data

    from cityresearch import panels

    p = panels.attach_province(data.load_district_panel())
    p = p[p["year"] == 2019].copy()
    full = economy.aggregate_provinces(p).set_index("prov_kemendagri_code").loc["35"]
    p.loc[p["bps_code"] == "3578", "grdp_idr_bn"] = np.nan  # Kota Surabaya
    with pytest.raises(ValidationError, match=r"row \d+ \(bps_code 3578, year 2019\)"):
        economy.aggregate_provinces(p)
    with pytest.warns(DroppedRowsWarning, match=r"bps_code 3578"):
        out = economy.aggregate_provinces(p, missing="drop")
    jatim = out.set_index("prov_kemendagri_code").loc["35"]
    assert full["n_kabkota"] == 38 and jatim["n_kabkota"] == 37  # the count says it
    surabaya = data.load_district_panel().query("year == 2019 and bps_code == '3578'")
    assert jatim["grdp_idr_bn"] == pytest.approx(
        full["grdp_idr_bn"] - surabaya["grdp_idr_bn"].item()
    )
    assert out.attrs["dropped"]["bps_code"].tolist() == ["3578"]


@pytest.mark.data
def test_attach_province_unknown_code_named():
    with pytest.raises(ValidationError, match=r"1 codes not in the region registry: '9999'"):
        panels.attach_province(pd.DataFrame({"bps_code": ["3505", "9999"]}))


# ----------------------------------------------------------------------------
# service: the researcher's own file
# ----------------------------------------------------------------------------

from cityresearch import service  # noqa: E402

HEAD = "region,year,measure,value\n"


def _file(tmp_path, content, name="m.csv"):
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


FILE_BAD = [
    ("missing path", lambda d: d / "nope.csv", InputPathError, r"nope.csv: no such file"),
    ("folder", lambda d: d, InputPathError, r"is a folder, not a file"),
    ("not a path", lambda d: 42, InputPathError, r"path must be a file path .*not int"),
    ("empty file", lambda d: _file(d, b""), EmptyFileError, r"m.csv is empty \(0 bytes"),
    ("blank file", lambda d: _file(d, "\n\n  \n"), EmptyFileError, r"m.csv is empty"),
    (
        "header only",
        lambda d: _file(d, HEAD),
        EmptyFileError,
        r"m.csv has a header \(\['region', 'year', 'measure', 'value'\]\) but no data rows",
    ),
    (
        "old xls",
        lambda d: _file(d, b"\xd0\xcf\x11\xe0", "m.xls"),
        MalformedFileError,
        r"m.xls: the old Excel .xls format is not read; save the sheet as .xlsx",
    ),
    (
        "broken xlsx",
        lambda d: _file(d, "region,year\n", "m.xlsx"),
        MalformedFileError,
        r"m.xlsx: not a readable .xlsx file",
    ),
    (
        "implausible year",
        lambda d: _file(d, HEAD + "3505,2023,m,1\n3505,20233,m,1\n"),
        ValidationError,
        r"m.csv, line 3: year 20233 is outside the plausible years 1990-",
    ),
    (
        "ancient year",
        lambda d: _file(d, HEAD + "3505,1899,m,1\n"),
        ValidationError,
        r"line 2: year 1899 is outside the plausible years",
    ),
    (
        "fractional year",
        lambda d: _file(d, HEAD + "3505,2023.5,m,1\n"),
        MalformedFileError,
        r"line 2: year '2023.5' is not a whole number",
    ),
    (
        "empty year",
        lambda d: _file(d, HEAD + "3505,,m,1\n"),
        MalformedFileError,
        r"line 2: year '' is not a number",
    ),
    (
        "mixed decimals",
        lambda d: _file(d, "region;year;measure;value\n3505;2023;m;78,5\n3572;2023;m;80.25\n"),
        MalformedFileError,
        r"line 3: value '80.25' uses a decimal point while other cells use a "
        r"decimal comma",
    ),
    (
        "text value",
        lambda d: _file(d, "region;year;measure;value\n3505;2023;m;tinggi\n"),
        MalformedFileError,
        r"line 2: value 'tinggi' is not a number",
    ),
    (
        "empty measure",
        lambda d: _file(d, HEAD + "3505,2023,,1\n"),
        MalformedFileError,
        r"line 2: the measure is empty",
    ),
    (
        "no value no zone",
        lambda d: _file(d, HEAD + "3505,2023,m,\n"),
        MalformedFileError,
        r"line 2: neither a value nor a zone",
    ),
    (
        "missing column, any case",
        lambda d: _file(d, "Region,Year,Value\n3505,2023,1\n"),
        MalformedFileError,
        r"line 1: missing columns \['measure'\]; the header has "
        r"\['region', 'year', 'value'\]",
    ),
    (
        "unknown zone",
        lambda d: _file(d, "region,year,measure,value,zone\n3505,2021,m,1,Biru\n"),
        ValidationError,
        r"line 2: zone 'biru' is not one of \['merah', 'kuning', 'hijau'\]",
    ),
]


@pytest.mark.parametrize(
    "make, error, message", [b[1:] for b in FILE_BAD], ids=[b[0] for b in FILE_BAD]
)
def test_read_measures_refuses_bad_files(tmp_path, make, error, message):
    with pytest.raises(error, match=message) as info:
        service.read_measures(make(tmp_path))
    assert type(info.value) is error


FILE_BAD_DATA = [
    (
        "range, measure in capitals",
        "Region,Year,Measure,Value\n3505,2023,Ombudsman_Kepatuhan,101\n",
        {},
        ValidationError,
        r"line 2: ombudsman_kepatuhan value 101 is outside \[0.0, 100.0\]",
    ),
    (
        "user range, key in capitals",
        HEAD + "3505,2023,SPBE,5.5\n",
        {"ranges": {"Spbe": (1, 5)}},
        ValidationError,
        r"line 2: spbe value 5.5 is outside \[1, 5\]",
    ),
    (
        "duplicate after case folding",
        HEAD + "3505,2023,M,1\nKabupaten Blitar,2023,m,2\n",
        {},
        ValidationError,
        r"duplicate region-year-measure rows \(line 2: Kabupaten Blitar 2023 m; "
        r"line 3: Kabupaten Blitar 2023 m\)",
    ),
    (
        "unknown regions, repeated",
        HEAD + "Atlantis,2023,m,1\nAtlantis,2024,m,1\n3505,2023,m,2\n",
        {},
        RegionNotFoundError,
        r"1 regions match no kabupaten/kota: line 2: 'Atlantis' \(2 lines in all\)",
    ),
    (
        "ambiguous, lines named",
        HEAD + "3505,2023,m,1\nBLITAR,2023,m,2\nBlitar,2024,m,3\n",
        {},
        AmbiguousRegionError,
        r"m.csv, line 3, 4 \('BLITAR'\): 1 name fits more than one region: 'blitar': "
        r".*Kota Blitar.*Write the prefix",
    ),
]


@pytest.mark.data
@pytest.mark.parametrize(
    "text, kwargs, error, message",
    [b[1:] for b in FILE_BAD_DATA],
    ids=[b[0] for b in FILE_BAD_DATA],
)
def test_read_measures_refuses_bad_content(tmp_path, text, kwargs, error, message):
    with pytest.raises(error, match=message) as info:
        service.read_measures(_file(tmp_path, text), **kwargs)
    assert type(info.value) is error


def _scores():
    return pd.DataFrame(
        {"bps_code": ["1", "2"], "year": [2022, 2022], "score": [50.0, 60.0], "measure": ["a", "b"]}
    )


SERVICE_BAD = [
    (
        "one_per_region conflicts",
        lambda: service.one_per_region(_scores(), measure="a", conflicts="mean"),
        ValidationError,
        r"one_per_region: conflicts must be one of 'drop', 'latest'; got 'mean'",
    ),
    (
        "one_per_region several measures",
        lambda: service.one_per_region(_scores()),
        ValidationError,
        r"the table holds several measures \['a', 'b'\]; pass measure=<name>",
    ),
    (
        "one_per_region unknown measure",
        lambda: service.one_per_region(_scores(), measure="c"),
        ValidationError,
        r"measure 'c' is not in the table; it has \['a', 'b'\]",
    ),
    (
        "one_per_region method column",
        lambda: service.one_per_region(_scores(), measure="a", method="m"),
        ValidationError,
        r"one_per_region: the data lack column \['method'\]",
    ),
    (
        "one_per_region no value column",
        lambda: service.one_per_region(_scores().drop(columns="score")),
        ValidationError,
        r"the table has neither a 'score' .*nor a 'value' column",
    ),
    (
        "one_per_region text score",
        lambda: service.one_per_region(_scores().assign(score=["50", "x"]), measure="a"),
        ValidationError,
        r"column 'score' must hold numbers but holds text: row 0 '50'",
    ),
    (
        "one_per_region year",
        lambda: service.one_per_region(_scores(), measure="a", year="2022"),
        ValidationError,
        r"year must be a number; got '2022'",
    ),
    (
        "one_per_region no rows",
        lambda: service.one_per_region(_scores(), measure="a", year=1999),
        ValidationError,
        r"no rows for year=1999, method=None",
    ),
    (
        "load_compiled measure",
        lambda: service.load_compiled(measure="Ombudsman"),
        ValidationError,
        r"measure 'Ombudsman' is not in the compiled table; it has "
        r"\['ombudsman_kepatuhan', 'spbe_index'\]",
    ),
    (
        "load_compiled matched_only",
        lambda: service.load_compiled(matched_only="yes"),
        ValidationError,
        r"matched_only must be one of True, False; got 'yes'",
    ),
    (
        "coverage several measures",
        lambda: service.coverage(_scores()),
        ValidationError,
        r"coverage: the table holds several measures",
    ),
    (
        "coverage missing year",
        lambda: service.coverage(_scores().drop(columns="year")),
        ValidationError,
        r"coverage: the data lack column \['year'\]",
    ),
]


@pytest.mark.parametrize(
    "call, error, message", [b[1:] for b in SERVICE_BAD], ids=[b[0] for b in SERVICE_BAD]
)
def test_service_tables_refuse_bad_input(call, error, message):
    with pytest.raises(error, match=message) as info:
        call()
    assert type(info.value) is error


@pytest.mark.data
def test_coverage_names_unknown_regions():
    t = pd.DataFrame({"bps_code": ["3505", "0000"], "year": [2023, 2023], "value": [1.0, 2.0]})
    with pytest.raises(ValidationError, match=r"row 1 \(bps_code 0000, year 2023\)"):
        service.coverage(t)
    with pytest.warns(DroppedRowsWarning, match="bps_code 0000"):
        cov = service.coverage(t, missing="drop")
    assert cov["n_score"].tolist() == [1] and cov.attrs["dropped"]["bps_code"].tolist() == ["0000"]


def test_array_beside_default_index_series_matches_by_position():
    # a Series with the default 0..n-1 index: label and position agree, so a list is accepted
    pc = pd.Series([10.0, 20.0])
    assert economy.williamson(pc, pop=[1.0, 3.0]) == pytest.approx(np.sqrt(18.75) / 17.5)
    out = economy.shift_share(
        pd.Series([500.0, 100, 200, 200]),
        [1000, 100, 250, 280],
        national_growth_pct=[10, 20, 30, 40],
        national_total_growth_pct=29,
    )
    assert out.loc["total", ["change", "national_share", "industry_mix", "regional_shift"]].round(
        6
    ).tolist() == [630.0, 290.0, -80.0, 420.0]


def test_group_summary_small_groups_report_keeps_row_and_says_so():
    f = pd.DataFrame({"class": ["a"] * 3 + ["b"], "g": [1.0, 2.0, 3.0, 10.0]})
    with pytest.warns(
        UserWarning,
        match=r"1 group of 'class' has fewer than 2 values of 'g': "
        r"'b' \(1 value\); their statistics are missing",
    ):
        s = growth.group_summary(f, "g", small_groups="report")
    s = s.set_index("class")
    assert s.attrs["small_groups"] == ["b"]
    assert s.loc["b", "n"] == 1 and np.isnan(s.loc["b", "mean"]) and np.isnan(s.loc["b", "mean_lo"])
    assert s.loc["a", "mean"] == 2.0 and s.loc["a", "median"] == 2.0
    assert growth.group_summary(f.iloc[:3], "g").attrs["small_groups"] == []


def test_grdp_shares_zero_value_in_a_nonzero_group_is_fine():
    p = panel().assign(v=lambda d: np.where(d.bps_code == "B", 0.0, d.v))
    s = economy.grdp_shares(p, value="v", group="g").set_index(["bps_code", "year"])
    assert s.loc[("A", 2000), "share_g_pct"] == 100.0
    assert s.loc[("A", 2000), "share_national_pct"] == pytest.approx(100 * 100 / 110)
    assert s.loc[("B", 2000), "share_national_pct"] == 0.0


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda p: __import__("cityresearch").growth.growth_rates(p, "v", unit=["bps_code"]),
            r"growth_rates: unit must be one column name \(a str such as 'bps_code'\), "
            r"not list \['bps_code'\]",
        ),
        (
            lambda p: __import__("cityresearch").growth.growth_rates(p, "v", unit=None),
            r"growth_rates: unit must be one column name .*not NoneType None",
        ),
        (
            lambda p: __import__("cityresearch").economy.growth_contributions(
                p, value="v", group=["g"]
            ),
            r"growth_contributions: group must be one column name .*not list \['g'\]",
        ),
        (
            lambda p: __import__("cityresearch").economy.growth_contributions(p, value=["v"]),
            r"growth_contributions: value must be one column name .*not list \['v'\]",
        ),
    ],
)
def test_column_options_must_be_one_name(call, message):
    import cityresearch.economy  # noqa: F401
    import cityresearch.growth  # noqa: F401

    p = pd.DataFrame({"bps_code": ["a", "a"], "year": [2000, 2001], "v": [1.0, 2.0], "g": "x"})
    with pytest.raises(ValidationError, match=message):
        call(p)
