"""The input contract shared by every analysis function.

Each public function states what it needs once, by calling these helpers at
its top; every failure is a :class:`~cityresearch._errors.ValidationError`
whose message starts with the function's name, names the offending column,
value or row, and says what to do.

Helpers
-------
as_frame
    The argument is a pandas DataFrame.
require_columns
    Columns are present and of the right kind (``"numeric"``, ``"integer"``,
    ``"any"``); text where numbers are expected is refused, not coerced.
unique_keys
    One row per key (region-year, unit-period ...).
handle_missing
    The ``missing="raise" | "drop"`` policy: raise naming the rows, or drop
    them with a :class:`~cityresearch._errors.DroppedRowsWarning` and return
    them so that the caller can attach them to its result
    (:func:`attach_dropped`).
align_by_key
    Combine Series by their index labels, never by position.
check_choice, check_number, check_positive, check_binary_treatment,
check_year_range, min_rows, min_groups
    Option values and degenerate inputs.

This module does not load data and does not change values: it checks, and at
most converts an ``object`` column holding only numbers to a numeric dtype.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd

from cityresearch._errors import DroppedRowsWarning, ValidationError, user_stacklevel

__all__ = [
    "as_frame",
    "require_columns",
    "unique_keys",
    "handle_missing",
    "attach_dropped",
    "describe_rows",
    "DroppedRows",
    "align_by_key",
    "check_choice",
    "check_number",
    "check_positive",
    "check_binary_treatment",
    "check_year_range",
    "min_rows",
    "min_groups",
    "MISSING_POLICIES",
]

#: Values of the ``missing=`` option every analysis function accepts.
MISSING_POLICIES = ("raise", "drop")
_KINDS = ("numeric", "integer", "any")
_SHOW = 5  # rows or values quoted in a message


def _msg(func: str | None, text: str) -> str:
    return f"{func}: {text}" if func else text


def _fmt(values: Iterable, limit: int = _SHOW) -> str:
    values = list(values)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values[:limit])
    return shown + (f" (and {len(values) - limit} more)" if len(values) > limit else "")


def as_frame(frame, *, name: str = "frame", func: str | None = None) -> pd.DataFrame:
    """Check that ``frame`` is a pandas DataFrame.

    Parameters
    ----------
    frame : object
        The argument to check.
    name : str
        The argument's name in the caller's signature (for the message).
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    DataFrame
        ``frame`` itself.

    Raises
    ------
    ValidationError
        ``frame`` is not a DataFrame.

    Examples
    --------
    >>> as_frame([1, 2], name="panel", func="cagr")
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: cagr: panel must be a pandas DataFrame, not list
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError(
            _msg(func, f"{name} must be a pandas DataFrame, not {type(frame).__name__}")
        )
    return frame


def describe_rows(
    frame: pd.DataFrame, mask, keys: Sequence[str] | None = None, limit: int = _SHOW
) -> str:
    """Name the rows of ``frame`` selected by ``mask`` for a message.

    Rows are named by their ``keys`` values where given ("bps_code 3505, year
    2019"), otherwise by their index label ("row 3").

    Parameters
    ----------
    frame : DataFrame
    mask : boolean array-like
        Rows to name.
    keys : sequence of str, optional
        Columns that identify a row.
    limit : int
        At most this many rows are named; the rest are counted.

    Returns
    -------
    str

    Examples
    --------
    >>> f = pd.DataFrame({"bps_code": ["3505", "3572"], "year": [2019, 2019]})
    >>> describe_rows(f, [False, True], ["bps_code", "year"])
    'row 1 (bps_code 3572, year 2019)'
    """
    sub = frame.loc[np.asarray(mask, dtype=bool)]
    keys = [k for k in (keys or []) if k in frame.columns]
    parts = []
    for label, row in sub.head(limit).iterrows():
        ident = ", ".join(f"{k} {row[k]}" for k in keys)
        parts.append(f"row {label}" + (f" ({ident})" if ident else ""))
    more = len(sub) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def require_columns(
    frame: pd.DataFrame,
    columns: Mapping[str, str] | Iterable[str],
    *,
    func: str | None = None,
    name: str = "frame",
) -> pd.DataFrame:
    """Check that ``frame`` has ``columns``, each of the stated kind.

    Parameters
    ----------
    frame : DataFrame
    columns : mapping or iterable of str
        ``{column: kind}`` with kind ``"numeric"`` (any real number),
        ``"integer"`` (whole numbers, e.g. years) or ``"any"``; a plain list
        means ``"any"`` for every column.
    func : str, optional
        The caller's name; prefixes the message.
    name : str
        The argument's name in the caller's signature.

    Returns
    -------
    DataFrame
        ``frame`` itself, or a copy in which ``object`` columns holding only
        numbers (e.g. Python floats with ``None``) are converted to float.

    Raises
    ------
    ValidationError
        A column is absent; a numeric column holds text, dates or booleans
        (the first offending row and value are named); a numeric or integer
        column holds an infinite value (the rows are named: inf is never an
        observation); an integer column holds fractions.

    Examples
    --------
    >>> f = pd.DataFrame({"year": [2019, 2020], "grdp_idr_bn": ["1,5", "2"]})
    >>> require_columns(f, {"year": "integer", "grdp_idr_bn": "numeric"},
    ...                 func="cagr")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: cagr: column 'grdp_idr_bn' must h...must become a point).
    """
    as_frame(frame, name=name, func=func)
    spec = dict(columns) if isinstance(columns, Mapping) else dict.fromkeys(columns, "any")
    for kind in spec.values():
        if kind not in _KINDS:
            raise ValueError(f"unknown column kind {kind!r}; use one of {_KINDS}")
    absent = [c for c in spec if c not in frame.columns]
    if absent:
        raise ValidationError(
            _msg(
                func,
                f"the data lack column{'s' if len(absent) > 1 else ''} "
                f"{absent}; they have {list(frame.columns)}",
            )
        )
    out = frame
    for col, kind in spec.items():
        if kind == "any":
            continue
        s = frame[col]
        if isinstance(s, pd.DataFrame):
            raise ValidationError(_msg(func, f"column {col!r} appears more than once"))
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            raise ValidationError(
                _msg(
                    func,
                    f"column {col!r} must hold numbers but has dtype {s.dtype}; convert it first",
                )
            )
        if not pd.api.types.is_numeric_dtype(s):
            is_text = s.map(lambda v: isinstance(v, (str, bytes, bool, pd.Timestamp)))
            if is_text.any():
                bad = s[is_text]
                shown = ", ".join(f"row {i} {v!r}" for i, v in bad.head(_SHOW).items())
                more = f" (and {len(bad) - _SHOW} more)" if len(bad) > _SHOW else ""
                raise ValidationError(
                    _msg(
                        func,
                        f"column {col!r} must hold numbers but holds text: {shown}{more}. "
                        "Convert it first (pd.to_numeric; a decimal comma must become a "
                        "point).",
                    )
                )
            try:
                conv = pd.to_numeric(s)
            except (TypeError, ValueError) as exc:
                raise ValidationError(
                    _msg(func, f"column {col!r} must hold numbers ({exc})")
                ) from None
            if out is frame:
                out = frame.copy()
            out[col] = conv
            s = conv
        ids = [c for c in ("bps_code", "unit") if c in frame.columns and c != col]
        _refuse_inf(
            frame,
            s,
            col,
            ids + [c for c, k in spec.items() if c != col and k != "numeric" and c not in ids],
            func,
        )
        if kind == "integer":
            frac = s.notna() & (s % 1 != 0)
            if frac.any():
                i = frac.idxmax()
                raise ValidationError(
                    _msg(func, f"column {col!r} must hold whole numbers; row {i} has {s[i]}")
                )
    return out


def unique_keys(frame: pd.DataFrame, keys: Sequence[str], *, func: str | None = None) -> None:
    """Check that no two rows share the same ``keys`` (e.g. region and year).

    Parameters
    ----------
    frame : DataFrame
    keys : sequence of str
        The columns that identify a row.
    func : str, optional
        The caller's name; prefixes the message.

    Raises
    ------
    ValidationError
        Duplicate keys, naming the first duplicated key values and their rows.

    Examples
    --------
    >>> f = pd.DataFrame({"bps_code": ["A", "A"], "year": [2000, 2000], "v": [1, 2]})
    >>> unique_keys(f, ["bps_code", "year"], func="cagr")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: cagr: 2 rows share a bps_code-yea...t) or aggregate first.
    """
    keys = list(keys)
    dup = frame.duplicated(keys, keep=False)
    if not dup.any():
        return
    sub = frame.loc[dup.to_numpy()]
    parts = []
    for key, grp in list(sub.groupby(keys, sort=False))[:3]:
        key = key if isinstance(key, tuple) else (key,)
        ident = ", ".join(f"{k} {v}" for k, v in zip(keys, key, strict=True))
        parts.append(f"{ident} at rows {_fmt(grp.index)}")
    label = "-".join(keys)
    raise ValidationError(
        _msg(
            func,
            f"{int(dup.sum())} rows share a {label} key: "
            f"{'; '.join(parts)}. Keep one row per {label} (check "
            "which figure is right) or aggregate first.",
        )
    )


def handle_missing(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    missing: str = "raise",
    keys: Sequence[str] | None = None,
    func: str | None = None,
    stacklevel: int = 3,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply a function's ``missing=`` policy to the rows with a missing value.

    Parameters
    ----------
    frame : DataFrame
    columns : sequence of str
        Columns in which a missing value (NaN, None, NA) makes a row unusable.
    missing : {"raise", "drop"}
        ``"raise"`` (the default of every function): a named error listing the
        rows. ``"drop"``: the rows are left out, a
        :class:`~cityresearch._errors.DroppedRowsWarning` names them, and they
        are returned so that the caller attaches them to its result.
    keys : sequence of str, optional
        Columns that identify a row in the messages (e.g. ``["bps_code", "year"]``).
    func : str, optional
        The caller's name; prefixes the message.
    stacklevel : int
        Passed to :func:`warnings.warn` (3 points at the caller's caller).

    Returns
    -------
    (DataFrame, DataFrame)
        The rows kept and the rows dropped (empty when nothing is missing).

    Raises
    ------
    ValidationError
        ``missing="raise"`` and a value is missing, or an unknown policy.

    Examples
    --------
    >>> f = pd.DataFrame({"bps_code": ["A", "B"], "v": [1.0, None]})
    >>> handle_missing(f, ["v"], keys=["bps_code"], func="cagr")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: cagr: 1 row has a missing value i...fill them explicitly.
    """
    check_choice(missing, MISSING_POLICIES, "missing", func=func)
    cols = list(columns)
    isna = frame[cols].isna()
    bad = isna.any(axis=1).to_numpy()
    if not bad.any():
        return frame, frame.iloc[0:0]
    where = [c for c in cols if isna[c].any()]
    n = int(bad.sum())
    text = (
        f"{n} row{'s' if n > 1 else ''} {'have' if n > 1 else 'has'} a missing value in "
        f"{_fmt(where)}: {describe_rows(frame, bad, keys)}"
    )
    if missing == "raise":
        raise ValidationError(
            _msg(
                func,
                text + ". Pass missing='drop' to leave such rows out "
                "(they are reported), or fill them explicitly.",
            )
        )
    warnings.warn(
        _msg(func, f"dropped {text} (listed in the result's 'dropped')"),
        DroppedRowsWarning,
        stacklevel=user_stacklevel(),
    )
    return frame.loc[~bad], frame.loc[bad]


class DroppedRows(pd.DataFrame):
    """The rows a computation left out, as attached to its result.

    A DataFrame in every respect except comparison: ``a == b`` is a single
    ``bool`` (``a.equals(b)``). pandas compares the ``attrs`` of frames that
    it merges or concatenates, which fails for plain DataFrames; with this
    class, results carrying their dropped rows can be merged freely.
    Operations on it (selection, ``reset_index`` ...) return plain DataFrames.
    """

    @property
    def _constructor(self):
        return pd.DataFrame

    def __deepcopy__(self, memo=None) -> DroppedRows:
        # pandas deep-copies attrs into every derived frame: keep the class there
        return DroppedRows(pd.DataFrame.copy(self, deep=True))

    def __eq__(self, other) -> bool:
        return isinstance(other, pd.DataFrame) and pd.DataFrame.equals(self, other)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]


def attach_dropped(result, dropped: pd.DataFrame, *, key: str = "dropped"):
    """Attach the rows a computation left out to its result.

    Frames and Series get ``result.attrs[key]``; dicts get ``result[key]``.

    Parameters
    ----------
    result : DataFrame, Series or dict
    dropped : DataFrame
        The rows left out (possibly empty: an empty frame says nothing was
        dropped); stored as a :class:`DroppedRows`.
    key : str

    Returns
    -------
    The same ``result``.

    Examples
    --------
    >>> r = attach_dropped({"total": 1.0}, pd.DataFrame({"bps_code": ["B"]}))
    >>> r["dropped"]["bps_code"].tolist()
    ['B']
    """
    dropped = DroppedRows(dropped)
    if isinstance(result, dict):
        result[key] = dropped
    else:
        result.attrs[key] = dropped
    return result


def align_by_key(*values, names: Sequence[str], func: str | None = None) -> list[pd.Series]:
    """Combine several Series by their index labels, never by position.

    Parameters
    ----------
    *values : Series or array-like
        When every value is a Series, they are matched by index label: each
        label must be unique and present in all of them; the result follows
        the first one's order. Plain arrays or lists (which carry no key) are
        matched by position and must have the same length. An array beside a
        Series is accepted only when the Series has the default index
        0, 1, ..., n-1 (so that label and position agree); beside a Series
        with other labels (region codes, a reordered index) it is refused,
        since a position cannot be matched to a label.
    names : sequence of str
        The arguments' names (for the messages).
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    list of Series
        One per input, all with the same index.

    Raises
    ------
    ValidationError
        Duplicate labels, labels present in some inputs only (named),
        different lengths, or a plain array beside a labelled Series.

    Examples
    --------
    >>> pc = pd.Series([10.0, 20.0], index=["A", "B"])
    >>> pop = pd.Series([3.0, 1.0], index=["B", "A"])
    >>> [s.tolist() for s in align_by_key(pc, pop, names=["grdp_pc", "pop"])]
    [[10.0, 20.0], [1.0, 3.0]]
    """
    names = list(names)
    if len(names) != len(values):
        raise ValueError("give one name per value")
    series = [v for v in values if isinstance(v, pd.Series)]
    for v, n in zip(values, names, strict=True):
        if isinstance(v, pd.Series) and v.index.has_duplicates:
            dup = v.index[v.index.duplicated()].unique()
            raise ValidationError(
                _msg(
                    func,
                    f"{n} has duplicate index labels {_fmt(dup)}; one value per region is needed",
                )
            )
    _refuse_unlabelled_mix(values, names, func)
    if series:
        ref = series[0].index
        for v, n in zip(values, names, strict=True):
            if isinstance(v, pd.Series):
                only_ref = ref.difference(v.index)
                only_v = v.index.difference(ref)
                if len(only_ref) or len(only_v):
                    first = names[[isinstance(x, pd.Series) for x in values].index(True)]
                    parts = []
                    if len(only_ref):
                        parts.append(f"in {first} but not in {n}: {_fmt(only_ref)}")
                    if len(only_v):
                        parts.append(f"in {n} but not in {first}: {_fmt(only_v)}")
                    raise ValidationError(
                        _msg(
                            func,
                            f"{first} and {n} do not have the same "
                            f"index labels ({'; '.join(parts)}); "
                            "values are matched by label",
                        )
                    )
    arrays = [v for v in values if not isinstance(v, pd.Series)]
    lengths = {len(np.atleast_1d(np.asarray(v, dtype=object))) for v in arrays}
    if series:
        lengths.add(len(series[0]))
    if len(lengths) > 1:
        raise ValidationError(
            _msg(func, f"inputs have different lengths: {sorted(lengths)} ({', '.join(names)})")
        )
    index = series[0].index if series else pd.RangeIndex(lengths.pop() if lengths else 0)
    out = []
    for v in values:
        if isinstance(v, pd.Series):
            out.append(v.reindex(index))
        else:
            out.append(pd.Series(np.asarray(v), index=index))
    return out


def check_choice(value, allowed: Sequence, name: str, *, func: str | None = None):
    """Check that an option has one of its allowed values (no silent default).

    Strings match strings only and numbers numbers only (``"2025"`` is not
    ``2025``; ``True`` is not ``1``).

    Parameters
    ----------
    value : object
    allowed : sequence
    name : str
        The option's name.
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    The value.

    Raises
    ------
    ValidationError
        Naming the option, the value given and the allowed ones.

    Examples
    --------
    >>> check_choice("bogus", ("percent", "log"), "kind", func="growth_rates")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: growth_rates: kind must be one of...t', 'log'; got 'bogus'
    """

    def same(a, b):
        if isinstance(a, str) != isinstance(b, str) or isinstance(a, bool) != isinstance(b, bool):
            return False
        try:
            return bool(a == b)
        except (TypeError, ValueError):
            return False

    if not any(same(value, a) for a in allowed):
        raise ValidationError(
            _msg(func, f"{name} must be one of {_fmt(allowed, 20)}; got {value!r}")
        )
    return value


def check_number(
    value,
    name: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
    integer: bool = False,
    hint: str = "",
    func: str | None = None,
):
    """Check a numeric option (``k``, ``B``, ``permutations``, ``confidence`` ...).

    Parameters
    ----------
    value : object
    name : str
        The option's name.
    lo, hi : float, optional
        Bounds; inclusive unless ``lo_open`` / ``hi_open``.
    integer : bool
        Require a whole number (``3.0`` is accepted and returned as ``3``).
    hint : str
        Appended to the message (e.g. "a probability: 0.95, not 95").
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    int or float

    Raises
    ------
    ValidationError
        Not a number, not whole, or out of bounds.

    Examples
    --------
    >>> check_number(95, "confidence", lo=0, hi=1, lo_open=True, hi_open=True,
    ...              hint="a probability such as 0.95", func="group_summary")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: group_summary: confidence must be...bability such as 0.95)
    """
    extra = f" ({hint})" if hint else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise ValidationError(_msg(func, f"{name} must be a number; got {value!r}{extra}"))
    if not np.isfinite(value):
        raise ValidationError(_msg(func, f"{name} must be finite; got {value!r}{extra}"))
    if integer:
        if cast(float, value) % 1 != 0:  # np.number: typed loosely
            raise ValidationError(_msg(func, f"{name} must be a whole number; got {value!r}"))
        value = int(value)
    too_low = lo is not None and (value <= lo if lo_open else value < lo)
    too_high = hi is not None and (value >= hi if hi_open else value > hi)
    if too_low or too_high:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        if lo is not None and hi is None:
            rng = f"{'>' if lo_open else '>='} {lo:g}"
        elif hi is not None and lo is None:
            rng = f"{'<' if hi_open else '<='} {hi:g}"
        else:
            rng = f"in {left}{lo_s}, {hi_s}{right}"
        raise ValidationError(_msg(func, f"{name} must be {rng}; got {value!r}{extra}"))
    return value


def check_positive(
    values, name: str, *, allow_zero: bool = False, func: str | None = None
) -> np.ndarray:
    """Check that values are present and positive (logs or ratios are taken).

    Parameters
    ----------
    values : array-like or Series
        A Series' index labels name the offending entries (positions for a
        default 0..n-1 index and for arrays).
    name : str
        What the values are (a column or argument name).
    allow_zero : bool
        Accept zeros (non-negative instead of positive).
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    ndarray of float

    Raises
    ------
    ValidationError
        Text, missing or infinite values or values not positive, naming the
        first ones.

    Examples
    --------
    >>> check_positive(pd.Series([1.0, 0.0], index=["3505", "3572"]), "pop",
    ...                func="williamson")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: williamson: pop must be positive...o or negative: 3572 = 0
    """
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object))
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        txt = s[s.map(lambda v: isinstance(v, (str, bytes, bool)))]
        if len(txt):
            raise ValidationError(
                _msg(func, f"{name} must hold numbers but holds {_fmt(txt.tolist())}")
            )
        try:
            s = pd.to_numeric(s)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_msg(func, f"{name} must hold numbers ({exc})")) from None
    x = s.to_numpy(dtype=float)
    default = isinstance(s.index, pd.RangeIndex) and s.index.start == 0 and s.index.step == 1
    labels = [f"position {i}" for i in range(len(s))] if default else s.index
    nan = np.isnan(x)
    if nan.any():
        where = [lab for lab, b in zip(labels, nan, strict=True) if b]
        raise ValidationError(
            _msg(
                func,
                f"{name} has {int(nan.sum())} missing value"
                f"{'s' if nan.sum() > 1 else ''} (at {_fmt(where)}); "
                "drop or fill them explicitly first",
            )
        )
    inf = np.isinf(x)
    if inf.any():
        where = [f"{lab} = {v:g}" for lab, v, b in zip(labels, x, inf, strict=True) if b]
        raise ValidationError(
            _msg(
                func,
                f"{name} has {int(inf.sum())} infinite value"
                f"{'s' if inf.sum() > 1 else ''} ({_join(where)}); an "
                "infinite value is not an observation (often a "
                "division by zero upstream): correct it or drop it",
            )
        )
    bad = (x < 0) if allow_zero else (x <= 0)
    if bad.any():
        parts = [f"{lab} = {v:g}" for lab, v, b in zip(labels, x, bad, strict=True) if b]
        word = "non-negative" if allow_zero else "positive"
        what = "negative" if allow_zero else "zero or negative"
        n = len(parts)
        shown = ", ".join(parts[:_SHOW]) + (f" (and {n - _SHOW} more)" if n > _SHOW else "")
        raise ValidationError(
            _msg(
                func,
                f"{name} must be {word} (logs or ratios are taken); "
                f"{n} value{'s are' if n > 1 else ' is'} {what}: {shown}",
            )
        )
    return x


def check_binary_treatment(
    values, name: str = "treatment", *, require_both: bool = True, func: str | None = None
) -> pd.Series:
    """Check a treatment indicator: 0/1 or boolean, nothing else.

    Parameters
    ----------
    values : Series or array-like
    name : str
        The column or argument name.
    require_both : bool
        Require at least one treated and one untreated unit.
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    Series of int (0 or 1), same index.

    Raises
    ------
    ValidationError
        Other codes (1/2, "yes"/"no", missing values), listing the values
        found; or only one of the two groups present.

    Examples
    --------
    >>> check_binary_treatment(pd.Series([1, 2, 2]), "treated",
    ...                        func="balance_table")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: balance_table: treated must be 0/...g. treated == 2 -> 1).
    """
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object))
    found = pd.unique(s.astype(object).where(s.notna(), None))

    def ok(v):
        return isinstance(v, (bool, np.bool_)) or (
            isinstance(v, (int, float, np.number)) and v in (0, 1)
        )

    if not all(ok(v) for v in found):
        shown = _fmt(sorted(found, key=lambda v: (v is None, str(v))), 10)
        shown = shown.replace("None", "missing")
        codes = [v for v in found if v is not None and not ok(v)]
        hint = f" Recode it (e.g. {name} == 2 -> 1)." if codes else ""
        if s.isna().any():
            default = s.index.equals(pd.RangeIndex(len(s)))
            where = (
                [f"position {i}" for i in np.flatnonzero(s.isna().to_numpy())]
                if default
                else [f"row {lab}" for lab in s.index[s.isna().to_numpy()]]
            )
            hint += (
                f" Missing at {_join(where)}: drop those units or fill the treatment explicitly."
            )
        raise ValidationError(
            _msg(func, f"{name} must be 0/1 or True/False; found values {shown}.{hint}")
        )
    out = s.astype(float).astype(int)
    if require_both:
        levels = set(out.unique())
        if levels != {0, 1}:
            only = "treated (1)" if levels == {1} else "untreated (0)"
            raise ValidationError(
                _msg(
                    func,
                    f"{name}: every unit is {only}; a comparison "
                    "needs both treated and untreated units",
                )
            )
    return out


def check_year_range(
    start, end, *, years: Iterable | None = None, func: str | None = None
) -> tuple[int, int]:
    """Check a period: whole-number years, ``start`` before ``end``, both in the data.

    Parameters
    ----------
    start, end : int
    years : iterable, optional
        The years present in the data.
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    (int, int)

    Raises
    ------
    ValidationError

    Examples
    --------
    >>> check_year_range(2019, 2010, func="cagr")
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: cagr: end (2010) must be after start (2019)
    """
    start = check_number(start, "start", integer=True, func=func)
    end = check_number(end, "end", integer=True, func=func)
    if end <= start:
        raise ValidationError(_msg(func, f"end ({end}) must be after start ({start})"))
    if years is not None:
        have = sorted({int(y) for y in pd.Series(list(years)).dropna()})
        for y in (start, end):
            if y not in have:
                span = f"years {have[0]}-{have[-1]}" if have else "no years"
                raise ValidationError(_msg(func, f"year {y} is not in the data ({span})"))
    return start, end


def min_rows(frame: pd.DataFrame, n: int, *, what: str = "rows", func: str | None = None) -> None:
    """Check that ``frame`` has at least ``n`` rows.

    Parameters
    ----------
    frame : DataFrame or Series
    n : int
    what : str
        What a row is ("regions", "observations").
    func : str, optional
        The caller's name; prefixes the message.

    Raises
    ------
    ValidationError

    Examples
    --------
    >>> min_rows(pd.DataFrame({"a": []}), 2, what="regions",
    ...          func="williamson")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: williamson: needs at least 2 regi...or filtered too far?)
    """
    if len(frame) < n:
        raise ValidationError(
            _msg(
                func,
                f"needs at least {n} {what}; got {len(frame)} (is the "
                "input empty or filtered too far?)",
            )
        )


def min_groups(values, n: int, *, what: str = "groups", func: str | None = None) -> int:
    """Check that ``values`` has at least ``n`` distinct non-missing values.

    Parameters
    ----------
    values : array-like or Series
        Group labels (clusters, outcome levels, regions).
    n : int
    what : str
        What a group is ("clusters", "outcome levels").
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    int
        The number of distinct values.

    Raises
    ------
    ValidationError

    Examples
    --------
    >>> min_groups(["a", "a"], 2, what="clusters", func="ols")
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: ols: needs at least 2 distinct clusters; got 1 ('a')
    """
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    levels = s.dropna().unique()
    if len(levels) < n:
        raise ValidationError(
            _msg(
                func,
                f"needs at least {n} distinct {what}; got "
                f"{len(levels)}" + (f" ({_fmt(levels)})" if len(levels) else ""),
            )
        )
    return len(levels)


# --- finite values and unlabelled inputs (fixcore) -----------------------------------------


def _join(parts, limit: int = _SHOW) -> str:
    """Join already formatted parts, counting those beyond ``limit``."""
    parts = list(parts)
    more = f" (and {len(parts) - limit} more)" if len(parts) > limit else ""
    return ", ".join(parts[:limit]) + more


def _refuse_inf(
    frame: pd.DataFrame, s: pd.Series, col: str, keys: Sequence[str], func: str | None
) -> None:
    """Raise when the numeric Series ``s`` (column ``col`` of ``frame``) holds +-inf."""
    x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    inf = np.isinf(x)
    if not inf.any():
        return
    n = int(inf.sum())
    keys = [k for k in keys if k in frame.columns][:2]
    rows = []
    for pos in np.flatnonzero(inf)[:_SHOW]:  # by column, so that integer keys stay integers
        ident = ", ".join(f"{k} {frame[k].iloc[pos]}" for k in keys)
        rows.append(f"row {frame.index[pos]}" + (f" ({ident})" if ident else ""))
    where = "; ".join(rows) + (f"; and {n - _SHOW} more" if n > _SHOW else "")
    raise ValidationError(
        _msg(
            func,
            f"column {col!r} holds {n} infinite value"
            f"{'s' if n > 1 else ''} ({_fmt(sorted(set(x[inf])))}) at "
            f"{where}; an infinite "
            "value is not an observation (often a division by zero "
            "upstream): correct it, or set it to NaN so that the "
            "missing-value policy applies",
        )
    )


def check_finite(values, name: str, *, func: str | None = None) -> np.ndarray:
    """Check that numeric values are finite (no +-inf); missing values pass.

    Parameters
    ----------
    values : array-like or Series
        Numbers; a Series' index labels name the offending entries (positions
        for a default 0..n-1 index and for arrays).
    name : str
        What the values are (a column or argument name).
    func : str, optional
        The caller's name; prefixes the message.

    Returns
    -------
    ndarray of float

    Raises
    ------
    ValidationError
        Text, or infinite values (the first ones named).

    Examples
    --------
    >>> check_finite(pd.Series([1.0, np.inf], index=["3505", "3572"]), "y",
    ...              func="ipw")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: ipw: y has 1 infinite value (3572...correct it or drop it
    """
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object))
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        txt = s[s.map(lambda v: isinstance(v, (str, bytes, bool)))]
        if len(txt):
            raise ValidationError(
                _msg(func, f"{name} must hold numbers but holds {_fmt(txt.tolist())}")
            )
        s = pd.to_numeric(s, errors="coerce")
    x = s.to_numpy(dtype=float, na_value=np.nan)
    inf = np.isinf(x)
    if inf.any():
        default = s.index.equals(pd.RangeIndex(len(s)))
        labels = [f"position {i}" for i in range(len(s))] if default else s.index
        where = [f"{lab} = {v:g}" for lab, v, b in zip(labels, x, inf, strict=True) if b]
        raise ValidationError(
            _msg(
                func,
                f"{name} has {int(inf.sum())} infinite value"
                f"{'s' if inf.sum() > 1 else ''} ({_join(where)}); an "
                "infinite value is not an observation (often a "
                "division by zero upstream): correct it or drop it",
            )
        )
    return x


def _refuse_unlabelled_mix(values, names, func: str | None) -> None:
    """A plain array beside a Series with labels other than 0..n-1 cannot be matched by key."""
    labelled = [
        (n, v)
        for v, n in zip(values, names, strict=True)
        if isinstance(v, pd.Series) and not v.index.equals(pd.RangeIndex(len(v)))
    ]
    plain = [(n, v) for v, n in zip(values, names, strict=True) if not isinstance(v, pd.Series)]
    if not labelled or not plain:
        return
    sname, s = labelled[0]
    aname, a = plain[0]
    raise ValidationError(
        _msg(
            func,
            f"{sname} is a Series indexed by labels ({_fmt(s.index, 3)}) but {aname} is a "
            f"plain {type(a).__name__} without labels, so they could only be combined by "
            "position, which pairs the wrong values whenever the orders differ. Pass "
            f"{aname} as a Series with the same index (pd.Series({aname}, "
            f"index={sname}.index) if you know it is in the same order), or pass every "
            "input as a plain array in one order",
        )
    )


__all__ += ["check_finite"]


# ----------------------------------------------------------------------------------------------
# Added for the panel functions of dynamics and clubs (finite values, balanced wide panels).


def check_finite_columns(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    keys: Sequence[str] | None = None,
    func: str | None = None,
) -> None:
    """Check that numeric ``columns`` hold no infinite values (missing values pass).

    Parameters
    ----------
    frame : DataFrame
    columns : sequence of str
        Numeric columns (checked with :func:`require_columns` first).
    keys : sequence of str, optional
        Columns that identify a row in the message (e.g. ``["bps_code", "year"]``).
    func : str, optional
        The caller's name; prefixes the message.

    Raises
    ------
    ValidationError
        An infinite value, naming its column and rows.

    Examples
    --------
    >>> f = pd.DataFrame({"bps_code": ["A", "B"], "year": [2000, 2000], "v": [1.0, np.inf]})
    >>> check_finite_columns(f, ["v"], keys=["bps_code", "year"],
    ...                      func="markov_chain")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: markov_chain: column 'v' holds 1...ng-value policy applies
    """
    for col in columns:
        _refuse_inf(frame, frame[col], col, list(keys or []), func)  # the message check_finite uses


def balanced_wide(
    panel: pd.DataFrame,
    by: str,
    column: str,
    years: Sequence | None = None,
    *,
    missing: str = "raise",
    why: str = "every unit is needed in every year",
    func: str | None = None,
    stacklevel: int = 3,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pivot a long panel to units x years, every unit observed in every year.

    ``panel`` must already satisfy the contract of its caller (columns and
    kinds, one row per ``by``-year: :func:`require_columns`,
    :func:`unique_keys`). A unit lacking ``column`` in one of the years
    (a missing value or no row at all) is refused or, with
    ``missing="drop"``, left out with a :class:`DroppedRowsWarning`.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``by``, ``year`` and ``column``.
    by : str
        Unit column (becomes the index).
    column : str
        Value column.
    years : sequence of int, optional
        Years to keep, in this order (each must be in the panel); default
        all years of the panel, sorted.
    missing : {"raise", "drop"}
        What to do with units lacking a value in one of the years.
    why : str
        Why a balanced panel is needed (ends the error message).
    func : str, optional
        The caller's name; prefixes the messages.
    stacklevel : int
        Passed to :func:`warnings.warn`.

    Returns
    -------
    (DataFrame, DataFrame)
        The units x years frame and the rows of ``panel`` (in those years)
        of the units left out (empty when none).

    Raises
    ------
    ValidationError
        A year not in the panel; a unit lacking a value with
        ``missing="raise"`` (naming units and years); no unit left.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["a", "a", "b"], "year": [1, 2, 1], "v": [1.0, 2, 3]})
    >>> balanced_wide(p, "bps_code", "v", func="markov_chain")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: markov_chain: 1 unit lacks 'v' in...needed in every year.
    """
    check_choice(missing, MISSING_POLICIES, "missing", func=func)
    have = sorted(pd.unique(panel["year"]))
    if years is None:
        years = have
    else:
        absent = [y for y in years if y not in set(have)]
        if absent:
            span = f"years {have[0]}-{have[-1]}" if have else "no years"
            raise ValidationError(
                _msg(
                    func,
                    f"year{'s' if len(absent) > 1 else ''} "
                    f"{_fmt(absent)} {'are' if len(absent) > 1 else 'is'}"
                    f" not in the data ({span})",
                )
            )
    years = list(years)
    sub = panel[panel["year"].isin(years)]
    wide = sub.pivot(index=by, columns="year", values=column).reindex(columns=years)
    gaps = wide.isna()
    bad = gaps.any(axis=1)
    dropped = panel.iloc[0:0]
    if bad.any():
        units = wide.index[bad]
        parts = []
        for u in units[:_SHOW]:
            ys = [y for y in years if gaps.at[u, y]]
            parts.append(f"{u} (year{'s' if len(ys) > 1 else ''} {_fmt(ys, 3)})")
        n = int(bad.sum())
        more = f"; and {n - _SHOW} more" if n > _SHOW else ""
        text = (
            f"{n} unit{'s' if n > 1 else ''} {'lack' if n > 1 else 'lacks'} {column!r} in "
            f"some year: {'; '.join(parts)}{more}"
        )
        if missing == "raise":
            raise ValidationError(
                _msg(
                    func,
                    f"{text}. Pass missing='drop' to leave such units "
                    "out (they are reported), or subset the panel "
                    f"explicitly; {why}.",
                )
            )
        warnings.warn(
            _msg(func, f"dropped {text} (their rows are listed in the result's 'dropped')"),
            DroppedRowsWarning,
            stacklevel=user_stacklevel(),
        )
        dropped = sub[sub[by].isin(units)]
        wide = wide.loc[~bad]
    if wide.empty:
        raise ValidationError(
            _msg(func, f"no unit has {column!r} in every year of {_fmt(years)}; {why}")
        )
    wide.columns.name = "year"
    return wide, dropped


__all__ += ["check_finite_columns", "balanced_wide"]


def column_names(func: str | None = None, **options: object) -> None:
    """Check that options naming a column (``unit=``, ``value=``, ``group=`` ...) are strings.

    Parameters
    ----------
    func : str, optional
        The caller's name; prefixes the message.
    **options
        Each option's name and the value given for it.

    Raises
    ------
    ValidationError
        An option is not a string (a list, None, a number); the option and the
        value given are named.

    Examples
    --------
    >>> column_names(func="growth_rates", unit=["bps_code"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cityresearch._errors.ValidationError: growth_rates: unit must be one column name (a str...
    """
    for option, value in options.items():
        if not isinstance(value, str):
            raise ValidationError(
                _msg(
                    func,
                    f"{option} must be one column name (a str such as 'bps_code'), "
                    f"not {type(value).__name__} {value!r}",
                )
            )
