"""The shared input contract (cityresearch._validate) and its use by every public
function of growth, economy and service: bad input gets a named error whose
message names the offending column, value or row; nothing is lost silently."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from cityresearch import _validate as v
from cityresearch._errors import DroppedRowsWarning, ValidationError

# ----------------------------------------------------------------------------
# the helpers themselves
# ----------------------------------------------------------------------------


def frame():
    return pd.DataFrame({"bps_code": ["A", "A", "B"], "year": [2000, 2001, 2000],
                         "v": [1.0, 2.0, 3.0]})


@pytest.mark.parametrize("call, message", [
    (lambda: v.as_frame([1], name="panel", func="f"), "f: panel must be a pandas DataFrame, not list"),
    (lambda: v.require_columns(frame(), {"w": "numeric"}, func="f"),
     r"f: the data lack column \['w'\]; they have \['bps_code', 'year', 'v'\]"),
    (lambda: v.require_columns(frame(), ["w", "z"], func="f"), r"lack columns \['w', 'z'\]"),
    (lambda: v.require_columns(frame().assign(v=["1", "x", 3.0]), {"v": "numeric"}, func="f"),
     r"f: column 'v' must hold numbers but holds text: row 0 '1', row 1 'x'"),
    (lambda: v.require_columns(frame().assign(v=[True, False, True]), {"v": "numeric"}),
     r"column 'v' must hold numbers but has dtype bool"),
    (lambda: v.require_columns(frame().assign(year=[2000, 2000.5, 2001]), {"year": "integer"}),
     r"column 'year' must hold whole numbers; row 1 has 2000.5"),
    (lambda: v.unique_keys(pd.concat([frame(), frame().iloc[[2]]]), ["bps_code", "year"],
                           func="f"),
     r"f: 2 rows share a bps_code-year key: bps_code B, year 2000 at rows 2, 2"),
    (lambda: v.handle_missing(frame().assign(v=[1, np.nan, 3]), ["v"], keys=["bps_code", "year"],
                              func="f"),
     r"f: 1 row has a missing value in 'v': row 1 \(bps_code A, year 2001\)\. Pass missing='drop'"),
    (lambda: v.handle_missing(frame(), ["v"], missing="ignore", func="f"),
     r"f: missing must be one of 'raise', 'drop'; got 'ignore'"),
    (lambda: v.align_by_key(pd.Series([1, 2], index=["A", "B"]),
                            pd.Series([1, 2], index=["A", "C"]), names=["x", "w"]),
     r"x and w do not have the same index labels \(in x but not in w: 'B'; in w but not in x: 'C'\)"),
    (lambda: v.align_by_key(pd.Series([1, 2], index=["A", "A"]), [1, 2], names=["x", "w"]),
     r"x has duplicate index labels 'A'"),
    (lambda: v.align_by_key([1, 2], [1, 2, 3], names=["x", "w"]),
     r"inputs have different lengths: \[2, 3\] \(x, w\)"),
    (lambda: v.check_choice("bogus", ("a", "b"), "errors", func="f"),
     r"f: errors must be one of 'a', 'b'; got 'bogus'"),
    (lambda: v.check_choice("2025", (2025, 2017), "scheme"), r"scheme must be one of 2025, 2017; got '2025'"),
    (lambda: v.check_choice(True, (1, 2), "k"), r"k must be one of 1, 2; got True"),
    (lambda: v.check_number(95, "confidence", lo=0, hi=1, lo_open=True, hi_open=True),
     r"confidence must be in \(0, 1\); got 95"),
    (lambda: v.check_number(0, "k", lo=1, integer=True), r"k must be >= 1; got 0"),
    (lambda: v.check_number(2.5, "k", lo=1, integer=True), r"k must be a whole number; got 2.5"),
    (lambda: v.check_number("3", "k"), r"k must be a number; got '3'"),
    (lambda: v.check_number(np.nan, "k"), r"k must be finite; got nan"),
    (lambda: v.check_positive([1, np.nan, 2], "pop"), r"pop has 1 missing value \(at 'position 1'\)"),
    (lambda: v.check_positive(pd.Series([1, -2.0], index=["3505", "3572"]), "pop"),
     r"pop must be positive .*1 value is zero or negative: 3572 = -2"),
    (lambda: v.check_positive([1, -2.0, 0], "x", allow_zero=True),
     r"x must be non-negative .* 1 value is negative: position 1 = -2"),
    (lambda: v.check_positive(["1", 2], "pop"), r"pop must hold numbers but holds '1'"),
    (lambda: v.check_binary_treatment(pd.Series([1, 2, 2]), "treated"),
     r"treated must be 0/1 or True/False; found values 1, 2"),
    (lambda: v.check_binary_treatment(pd.Series(["yes", "no"]), "treated"),
     r"found values 'no', 'yes'"),
    (lambda: v.check_binary_treatment(pd.Series([1, 0, np.nan]), "treated"),
     r"found values 0.0, 1.0, missing"),
    (lambda: v.check_binary_treatment(pd.Series([1, 1]), "d"), r"d: every unit is treated \(1\)"),
    (lambda: v.check_year_range(2010, 2010, func="f"), r"f: end \(2010\) must be after start \(2010\)"),
    (lambda: v.check_year_range(1999, 2003, years=[2000, 2003]),
     r"year 1999 is not in the data \(years 2000-2003\)"),
    (lambda: v.check_year_range(2000.5, 2003), r"start must be a whole number; got 2000.5"),
    (lambda: v.min_rows(frame().iloc[:0], 1, what="regions", func="f"),
     r"f: needs at least 1 regions; got 0"),
    (lambda: v.min_groups(["a", "a", None], 2, what="clusters"),
     r"needs at least 2 distinct clusters; got 1 \('a'\)"),
])
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
    a, b = v.align_by_key(pd.Series([10.0, 20.0], index=["A", "B"]),
                          pd.Series([3.0, 1.0], index=["B", "A"]), names=["x", "y"])
    assert b.tolist() == [1.0, 3.0] and a.index.tolist() == ["A", "B"]
    a, b = v.align_by_key(pd.Series([1, 2], index=["A", "B"]), [5, 6], names=["x", "y"])
    assert b.to_dict() == {"A": 5, "B": 6}
    assert v.check_choice(2025, (2025, 2017), "scheme") == 2025
    assert v.check_number(3.0, "k", lo=1, integer=True) == 3
    assert v.check_binary_treatment(pd.Series([True, False])).tolist() == [1, 0]
    assert v.check_binary_treatment([1.0, 0.0]).tolist() == [1, 0]
    assert v.check_year_range(2000, 2003, years=[2000, 2001, 2003]) == (2000, 2003)
    assert v.min_groups(["a", "b", "b"], 2) == 2
    r = v.attach_dropped(pd.DataFrame({"x": [1]}), dropped)
    assert r.attrs["dropped"].index.tolist() == [1]
