"""Distribution dynamics and spatial beta-convergence of regional income.

Terms
-----
relative income
    GRDP per capita divided by the unweighted mean of the year's cross
    section (``to="national"``: 1 = the average district) or of the
    district's province (``to="province"``). Unweighted, as in the
    distribution-dynamics literature (Quah 1993; Rey 2001): every district
    counts once, whatever its population.
Markov transition matrix
    Districts are put in ``k`` income classes each year; ``P[i, j]`` is the
    share of district-years in class ``i`` that are in class ``j`` a year
    later (Quah 1993). By default the classes are quantiles of the *pooled*
    relative incomes of all years, so they are fixed over time and the
    class shares can change. The *ergodic* (steady-state) distribution is
    where the chain would settle if ``P`` held forever.
mobility indices
    Shorrocks (1978) trace index ``(k - trace P) / (k - 1)`` (0 = no
    mobility), the determinant index ``1 - |det P|``, the second-eigenvalue
    index ``1 - |lambda_2|`` and Bartholomew's two indices, as computed by
    PySAL ``giddy.mobility``.
spatial Markov
    Rey (2001): one transition matrix per class of the *spatial lag* (the
    neighbours' mean relative income, row-standardised archipelago weights
    of :func:`cityresearch.spatial.region_weights`). If the matrices differ
    (Q and likelihood-ratio tests of homogeneity), a district's prospects
    depend on its neighbours.
rank mobility
    Kendall's tau between the ranks of two years (1 = no re-ranking) and the
    share of districts changing quintile.
beta-convergence
    ``growth_i = a + b ln y_i0 + e_i`` (average annual log growth, percent);
    ``b < 0`` is convergence, the speed is ``-ln(1 + b T / 100) / T`` per
    year. The spatial lag (SAR) and spatial error (SEM) versions are
    estimated by maximum likelihood with PySAL ``spreg``; in the SAR model
    the effect of initial income is split into the direct effect (own
    district, averaged) and the indirect effect (spill-over through
    neighbours) following LeSage and Pace (2009).

Transition matrices, ergodic distributions, spatial Markov and the tests come
from PySAL ``giddy``; this module prepares the frames, aligns districts with
the weights, and returns tidy tables. It does not choose the classes for you:
``k`` and ``cutoffs`` are arguments and are reported on every result.

Input contract: every function takes a long panel with one row per unit
(``unit``) and ``year``; text, infinite values, duplicate unit-years, years out
of order, degenerate options (``k < 2``) and constant variables are refused
with a :class:`~cityresearch._errors.ValidationError` naming the column, unit
or year. Missing values raise by default; ``missing="drop"`` leaves the rows
(or, for the balanced-panel methods, the units) out with a
:class:`~cityresearch._errors.DroppedRowsWarning` and lists them on the
result (``attrs["dropped"]`` or ``.dropped``).
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cityresearch import _validate as _v
from cityresearch._deprecate import renamed
from cityresearch._errors import ValidationError, user_stacklevel
from cityresearch._results import Result

__all__ = [
    "MarkovResult",
    "SpatialMarkovResult",
    "beta_convergence",
    "kernel_densities",
    "markov_chain",
    "rank_mobility",
    "relative_income",
    "spatial_markov",
]


def _giddy(module):
    import importlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(f"giddy.{module}")


def _prepare(panel, by, column, func, *, extra=(), name="panel"):
    """The contract of a long unit-year panel: a frame with ``by``, whole-number
    ``year`` and numeric ``column``; keys present and unique; no infinite
    value. Returns the panel (numbers held as ``object`` converted)."""
    _v.as_frame(panel, name=name, func=func)
    panel = _v.require_columns(
        panel,
        {by: "any", "year": "integer", column: "numeric", **dict.fromkeys(extra, "any")},
        func=func,
        name=name,
    )
    _v.min_rows(panel, 1, what="rows", func=func)
    _v.handle_missing(panel, [by, "year"], keys=[by, "year"], func=func)  # keys: never dropped
    _v.unique_keys(panel, [by, "year"], func=func)
    _v.check_finite_columns(panel, [column], keys=[by, "year"], func=func)
    return panel


def _years_arg(years, func, *, consecutive=False):
    """``years`` as a list of whole numbers (no scalar, no duplicates); with
    ``consecutive``, increasing one year at a time."""
    if years is None:
        return None
    if isinstance(years, (str, bytes)) or not np.iterable(years):
        raise ValidationError(
            f"{func}: years must be a list of years such as [2000, 2010]; got {years!r}"
        )
    years = [_v.check_number(y, "each of years", integer=True, func=func) for y in years]
    if not years:
        raise ValidationError(f"{func}: years is empty; pass the years to use, e.g. [2000, 2010]")
    dup = sorted({y for y in years if years.count(y) > 1})
    if dup:
        raise ValidationError(f"{func}: years lists {_v._fmt(dup)} more than once")
    if consecutive:
        _consecutive(years, func, given=True)
    return years


def _consecutive(years, func, *, given):
    """Transitions are counted one year apart: the years must run 1, 2, 3 ..."""
    what = "years" if given else "the panel's years"
    for a, b in itertools.pairwise(years):
        if b <= a:
            raise ValidationError(
                f"{func}: {what} must increase; {b} comes after {a}. "
                "Pass them in calendar order, e.g. "
                f"years={sorted(years)}"
            )
        if b - a != 1:
            raise ValidationError(
                f"{func}: {what} jump from {a} to {b}; transitions are counted one year "
                "apart, so the years must be consecutive. Pass consecutive years (e.g. "
                f"years=list(range({years[0]}, {years[-1] + 1}))) or a panel without gaps"
            )
    if len(years) < 2:
        raise ValidationError(
            f"{func}: needs at least 2 consecutive years to count transitions; got {_v._fmt(years)}"
        )


def _wide(
    panel,
    column,
    by,
    years,
    *,
    func,
    missing="raise",
    why="transition counts need every unit in every year",
):
    """Units x years of ``column`` (after :func:`_prepare`), balanced."""
    return _v.balanced_wide(
        panel, by, column, years, missing=missing, why=why, func=func, stacklevel=5
    )


def _no_constant(values, column, func, where=""):
    v = np.asarray(values, dtype=float).ravel()
    if v.size and np.all(v == v[0]):
        raise ValidationError(
            f"{func}: {column!r} is constant{where} (every value is "
            f"{v[0]:g}); classes, ranks and densities need variation"
        )


@renamed(by="unit")
def relative_income(
    panel: pd.DataFrame,
    value: str = "grdp_pc_idr_k",
    *,
    to: str = "national",
    group: str | None = None,
    unit: str = "bps_code",
    missing: str = "raise",
) -> pd.DataFrame:
    """Add relative income: ``value`` over the year's unweighted mean.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``unit``, ``year``, ``value`` (and ``group``); one
        row per unit and year.
    value : str
        Income column (e.g. GRDP per capita, IDR thousand).
    to : {"national", "province"}
        Mean of all units of the year, or of the unit's ``group``.
    group : str, optional
        Column holding the province (needed with ``to="province"``, refused
        otherwise).
    unit : str
        Unit column (``by=`` before release 0.2; accepted until 0.3 with a
        deprecation warning).
    missing : {"raise", "drop"}
        Rows with a missing ``value`` (or ``group``): a named error, or left
        out of the result and of the means, with a
        :class:`~cityresearch._errors.DroppedRowsWarning` and the rows in
        ``result.attrs["dropped"]``.

    Returns
    -------
    DataFrame
        A copy of ``panel`` with ``rel_<value>`` (ratio, 1 = the mean);
        ``attrs["dropped"]`` holds the rows left out (empty if none).

    Raises
    ------
    ValidationError
        Missing columns, text in ``value``, duplicate unit-years, a missing,
        infinite or non-positive value (the rows are named), an empty panel,
        ``to`` unknown.

    References
    ----------
    Relative income (income over the same year's cross-section average) is
    the normalisation of Quah's distribution dynamics; ``to="province"`` is
    this package's regional variant:

    Quah, D. (1993). Empirical cross-section dynamics in economic growth.
    *European Economic Review* 37(2-3), 426-434.
    doi:10.1016/0014-2921(93)90031-5

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["a", "b"], "year": [2000, 2000], "v": [1.0, 3.0]})
    >>> relative_income(p, "v")["rel_v"].tolist()
    [0.5, 1.5]
    """
    func = "relative_income"
    _v.check_choice(to, ("national", "province"), "to", func=func)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    if to == "province" and group is None:
        raise ValidationError(f"{func}: to='province' needs group=<the province column>")
    if to == "national" and group is not None:
        raise ValidationError(
            f"{func}: group={group!r} is used only with to='province'; "
            "pass to='province' or leave group out"
        )
    extra = [group] if to == "province" and group is not None else []
    panel = _prepare(panel, unit, value, func, extra=extra)
    keys = ["year", *extra]
    panel, dropped = _v.handle_missing(
        panel, [value, *extra], missing=missing, keys=[unit, "year"], func=func, stacklevel=4
    )
    _v.min_rows(panel, 1, what="rows with a value", func=func)
    _v.check_positive(
        pd.Series(
            panel[value].to_numpy(),
            index=[f"{unit} {u} in {y}" for u, y in zip(panel[unit], panel["year"], strict=True)],
        ),
        value,
        func=func,
    )
    out = panel.copy()
    out[f"rel_{value}"] = out[value] / out.groupby(keys)[value].transform("mean")
    return _v.attach_dropped(out, dropped)


@renamed(by="unit", column="value")
def kernel_densities(
    panel: pd.DataFrame,
    value: str,
    years,
    *,
    grid=None,
    bw_method="scott",
    unit: str | None = None,
    missing: str = "raise",
) -> pd.DataFrame:
    """Gaussian kernel density of ``value`` in each of ``years``.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``year`` and ``value``.
    value : str
        Column to smooth, e.g. ``"rel_grdp_pc_idr_k"`` (ratio to the mean);
        take logs first for skewed incomes. Called ``column=`` before release
        0.3 (accepted until 0.3 with a deprecation warning).
    years : sequence of int
        A list even for one year (``[2000]``).
    grid : array, optional
        Evaluation points, increasing (default: 256 points over the pooled
        range, padded by 10%).
    bw_method : {"scott", "silverman"}, positive float or callable
        Passed to :class:`scipy.stats.gaussian_kde` (Scott's rule default).
    unit : str, optional
        Unit column; when given, one row per unit and year is required and
        rows are named by it in messages (``by=`` before release 0.2).
    missing : {"raise", "drop"}
        Rows of ``years`` with a missing ``value``: a named error, or left
        out with a :class:`~cityresearch._errors.DroppedRowsWarning` and
        listed in ``result.attrs["dropped"]``.

    Returns
    -------
    DataFrame
        ``year``, ``x`` (in the units of ``value``), ``density`` (per unit
        of x; integrates to 1 over x);
        ``attrs["dropped"]`` holds the rows left out (empty if none).

    Raises
    ------
    ValidationError
        Text or infinite values, a year absent from the panel or with fewer
        than 2 values, a constant year, a bad ``bw_method`` or ``grid``.

    Notes
    -----
    The bandwidth is ``h = f * s`` with ``s`` the sample standard deviation
    of the year's values and ``f`` scipy's factor: ``n ** (-1/5)`` for
    ``"scott"`` (Scott 1992) and ``(3 n / 4) ** (-1/5)``, about
    ``1.06 n ** (-1/5)``, for ``"silverman"`` (the normal-reference rule,
    Silverman 1986; not his robust rule with ``min(s, IQR / 1.34)``).
    A number is used as ``f`` itself.

    References
    ----------
    Scott, D. W. (1992). *Multivariate Density Estimation: Theory, Practice,
    and Visualization*. New York: Wiley.

    Silverman, B. W. (1986). *Density Estimation for Statistics and Data
    Analysis*. London: Chapman and Hall.

    Examples
    --------
    >>> p = pd.DataFrame({"year": [1] * 50, "v": np.linspace(-1, 1, 50)})
    >>> d = kernel_densities(p, "v", [1], grid=np.linspace(-4, 4, 801))
    >>> round(float(np.trapezoid(d["density"], d["x"])), 3)
    1.0
    """
    from scipy.stats import gaussian_kde

    func = "kernel_densities"
    _v.as_frame(panel, name="panel", func=func)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    years = _years_arg(years, func)
    if isinstance(bw_method, str):
        _v.check_choice(bw_method, ("scott", "silverman"), "bw_method", func=func)
    elif not callable(bw_method):
        _v.check_number(
            bw_method,
            "bw_method",
            lo=0,
            lo_open=True,
            hint="'scott', 'silverman', a positive number or a callable",
            func=func,
        )
    cols = {"year": "integer", value: "numeric"}
    if unit is not None:
        cols[unit] = "any"
    panel = _v.require_columns(panel, cols, func=func, name="panel")
    keys = [c for c in (unit or "bps_code", "year") if c in panel.columns]
    _v.handle_missing(panel, ["year"], keys=keys, func=func)
    if unit is not None:
        _v.handle_missing(panel, [unit], keys=keys, func=func)
        _v.unique_keys(panel, [unit, "year"], func=func)
    have = set(panel["year"].unique())
    absent = [y for y in years if y not in have]
    if absent:
        yrs = sorted(have)
        span = f"years {yrs[0]}-{yrs[-1]}" if yrs else "no years"
        raise ValidationError(f"{func}: years {_v._fmt(absent)} not in the data ({span})")
    sub = panel[panel["year"].isin(years)]
    _v.check_finite_columns(sub, [value], keys=keys, func=func)
    sub, dropped = _v.handle_missing(
        sub, [value], missing=missing, keys=keys, func=func, stacklevel=4
    )
    if grid is None:
        lo, hi = sub[value].min(), sub[value].max()
        pad = 0.1 * (hi - lo)
        grid = np.linspace(lo - pad, hi + pad, 256)
    else:
        try:
            grid = np.asarray(grid, dtype=float)
        except (TypeError, ValueError):
            raise ValidationError(
                f"{func}: grid must be numbers, e.g. np.linspace(-2, 2, 201)"
            ) from None
        if (
            grid.ndim != 1
            or len(grid) < 2
            or not np.all(np.isfinite(grid))
            or np.any(np.diff(grid) <= 0)
        ):
            raise ValidationError(
                f"{func}: grid must be at least 2 finite, increasing points, "
                "e.g. np.linspace(-2, 2, 201)"
            )
    rows = []
    for y in years:
        v = sub.loc[sub["year"] == y, value].to_numpy(dtype=float)
        if len(v) < 2:
            raise ValidationError(
                f"{func}: year {y} has {len(v)} value(s) of {value!r}; a density needs at least 2"
            )
        _no_constant(v, value, func, f" in {y}")
        rows.append(
            pd.DataFrame(
                {"year": y, "x": grid, "density": gaussian_kde(v, bw_method=bw_method)(grid)}
            )
        )
    return _v.attach_dropped(pd.concat(rows, ignore_index=True), dropped)


def _classes(values: np.ndarray, k: int, cutoffs, column="the variable", func="markov_chain"):
    """Class 0..k-1 of each value: quantiles of the pooled values, or cut-offs
    (upper bounds, inclusive), as mapclassify and giddy classify."""
    pooled = values.ravel()
    if cutoffs is None:
        _no_constant(pooled, column, func)
        cutoffs = np.quantile(pooled, np.arange(1, k) / k)
        if np.any(np.diff(cutoffs) <= 0):
            raise ValidationError(
                f"{func}: {column!r} has too many tied values for k={k} quantile classes (the "
                f"cut-offs would be {np.round(cutoffs, 6).tolist()}, not increasing); use fewer "
                "classes or pass cutoffs"
            )
    else:
        if isinstance(cutoffs, (str, bytes)) or not np.iterable(cutoffs):
            raise ValidationError(f"{func}: cutoffs must be a list of numbers; got {cutoffs!r}")
        try:
            cutoffs = np.asarray(cutoffs, dtype=float)
        except (TypeError, ValueError):
            raise ValidationError(
                f"{func}: cutoffs must be numbers; got {list(cutoffs)!r}"
            ) from None
        if cutoffs.ndim != 1 or len(cutoffs) == 0 or not np.all(np.isfinite(cutoffs)):
            raise ValidationError(
                f"{func}: cutoffs must be one or more finite numbers; got {cutoffs.tolist()}"
            )
        if np.any(np.diff(cutoffs) <= 0):
            raise ValidationError(f"{func}: cutoffs must increase strictly; got {cutoffs.tolist()}")
    return np.searchsorted(cutoffs, values, side="left"), cutoffs


def _labels(cutoffs):
    c = [f"{x:.2f}" for x in cutoffs]
    return [f"<={c[0]}"] + [f"{a}-{b}" for a, b in itertools.pairwise(c)] + [f">{c[-1]}"]


@dataclass(frozen=True, repr=False, eq=False)
class MarkovResult(Result):
    """Discrete Markov chain of income classes, made by :func:`markov_chain`.

    Attribute and dict-style access (``res.P``, ``res["P"]``); ``tidy()``
    returns one row per class, ``summary()`` the text a reader sees (also the
    ``repr``). Class labels are the class bounds in the units of the
    classified variable.

    Parameters
    ----------
    counts : DataFrame
        Transitions from class (rows) to class (columns), one year apart.
    P : DataFrame
        Transition probabilities (rows sum to 1).
    ergodic : Series
        Steady-state class shares (missing, with a warning, when the chain
        is reducible and the steady state is not unique).
    initial, final : Series
        Class shares in the first and last year.
    mobility : Series
        ``shorrocks`` (trace), ``determinant``, ``eigenvalue``,
        ``bartholomew_1``, ``bartholomew_2`` (giddy.mobility).
    cutoffs : ndarray
        Upper bounds of classes 1..k-1 (units of the classified column).
    classes : DataFrame
        Units x years class index (0 = lowest).
    dropped : DataFrame
        Rows of the units left out with ``missing="drop"`` (empty if none).

    See Also
    --------
    markov_chain : Makes it.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": list("aaabbb"), "year": [1, 2, 3] * 2,
    ...                   "v": [0.0, 0.0, 1.0, 1.0, 0.0, 1.0]})
    >>> res = markov_chain(p, "v", cutoffs=[0.5])
    >>> t = res.tidy()
    >>> t["class"].tolist(), t["n_from"].tolist()
    (['<=0.50', '>0.50'], [3, 1])
    >>> t["estimate"].round(4).tolist(), t["ergodic_share"].round(4).tolist()
    ([0.3333, 0.0], [0.6, 0.4])
    >>> t["upper_bound"].tolist()
    [0.5, inf]
    """

    counts: pd.DataFrame
    P: pd.DataFrame
    ergodic: pd.Series
    initial: pd.Series
    final: pd.Series
    mobility: pd.Series
    cutoffs: np.ndarray
    classes: pd.DataFrame
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def tidy(self) -> pd.DataFrame:
        """Return one row per class (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (the class label), ``estimate`` (estimated probability
            of staying in the class one year, 0-1: the diagonal of ``P``),
            ``conf_low``, ``conf_high`` (always missing: no interval is
            computed), ``class`` (the label again), ``upper_bound``
            (inclusive, units of the classified column; ``inf`` for the top
            class, which has none), ``n_from`` (transitions out of the
            class, the estimate's denominator), ``initial_share``,
            ``final_share`` (first and last year), ``ergodic_share`` (steady
            state); shares are fractions of units (0-1).
        """
        labels = list(self.P.index)
        return pd.DataFrame(
            {
                "term": labels,
                "estimate": np.diag(self.P.to_numpy()),
                "conf_low": np.nan,
                "conf_high": np.nan,
                "class": labels,
                "upper_bound": list(np.asarray(self.cutoffs, dtype=float)) + [np.inf],
                "n_from": self.counts.sum(axis=1).to_numpy(),
                "initial_share": self.initial.to_numpy(),
                "final_share": self.final.to_numpy(),
                "ergodic_share": self.ergodic.to_numpy(),
            }
        )

    def summary(self) -> str:
        """Return the chain as text.

        Returns
        -------
        str
            Number of classes, units and years, the mobility indices, the
            transition matrix and the table of :meth:`tidy`.
        """
        years = list(self.classes.columns)
        lines = [
            f"Markov chain of {len(self.P)} classes: {len(self.classes)} units, "
            f"{years[0]}-{years[-1]} ({int(self.counts.to_numpy().sum())} transitions)",
            "  mobility: " + ", ".join(f"{k} {v:.4f}" for k, v in self.mobility.items()),
            "transition probabilities (rows: class in t, columns: class in t + 1):",
            self.P.to_string(float_format=lambda v: f"{v:.3f}"),
            self.tidy().to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="-"),
        ]
        if len(self.dropped):
            lines.append(f"dropped: {len(self.dropped)} rows (see .dropped)")
        return "\n".join(lines)


def _mobility(p):
    mob = _giddy("mobility")
    measures = {
        "shorrocks": "P",
        "determinant": "D",
        "eigenvalue": "L2",
        "bartholomew_1": "B1",
        "bartholomew_2": "B2",
    }
    out = {}
    for name, m in measures.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ini = np.full(p.shape[0], 1 / p.shape[0]) if m.startswith("B") else None
            out[name] = float(mob.markov_mobility(p, measure=m, ini=ini))
    return pd.Series(out)


@renamed(by="unit", column="value")
def markov_chain(
    panel: pd.DataFrame,
    value: str,
    *,
    k: int = 5,
    cutoffs=None,
    unit: str = "bps_code",
    years=None,
    missing: str = "raise",
) -> MarkovResult:
    """Markov transition matrix, ergodic distribution and mobility indices.

    Parameters
    ----------
    panel : DataFrame
        Long, balanced panel with ``unit``, ``year`` and ``value``; one row
        per unit and year.
    value : str
        Classified variable, e.g. relative GRDP per capita (ratio to the
        mean). Called ``column=`` before release 0.2 (accepted until 0.3 with
        a deprecation warning).
    k : int
        Number of classes (quantiles of the pooled values), at least 2; not
        used when ``cutoffs`` is given.
    cutoffs : sequence of float, optional
        Upper bounds of the lowest classes (inclusive), strictly increasing;
        ``len(cutoffs) + 1`` classes.
    unit : str
        Unit column (``by=`` before release 0.2).
    years : sequence of int, optional
        Consecutive years to use, in increasing order (default: all years of
        the panel, which must then be consecutive).
    missing : {"raise", "drop"}
        Units lacking ``value`` in one of the years: a named error, or left
        out with a :class:`~cityresearch._errors.DroppedRowsWarning` and
        their rows in ``MarkovResult.dropped``.

    Returns
    -------
    MarkovResult
        Transition ``counts`` and probabilities ``P``, ``ergodic``,
        ``initial`` and ``final`` class shares, ``mobility`` indices,
        ``cutoffs``, ``classes`` (units x years), ``dropped``; ``tidy()``
        gives one row per class, ``summary()`` the text.

    Raises
    ------
    ValidationError
        Text, infinite or duplicate values, an unbalanced panel, years absent,
        not increasing or not consecutive, ``k`` below 2, a constant
        variable, non-increasing cut-offs, or a class that is never left (its
        row of P would be undefined).

    References
    ----------
    .. [1] Quah, D. (1993). Empirical cross-section dynamics in economic
       growth. *European Economic Review* 37(2-3), 426-434.
    .. [2] Shorrocks, A. F. (1978). The measurement of mobility.
       *Econometrica* 46(5), 1013-1024.
    .. [3] Bartholomew, D. J. (1973). *Stochastic Models for Social
       Processes*, 2nd ed. Wiley (the two Bartholomew indices).

    The chain and the indices are computed with PySAL ``giddy``
    (``giddy.markov.Markov``, ``giddy.mobility.markov_mobility``).

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": list("aaabbb"), "year": [1, 2, 3] * 2,
    ...                   "v": [0.0, 0.0, 1.0, 1.0, 0.0, 1.0]})
    >>> markov_chain(p, "v", cutoffs=[0.5]).counts.to_numpy().tolist()
    [[1, 2], [1, 0]]
    """
    func = "markov_chain"
    _v.as_frame(panel, name="panel", func=func)
    k = _v.check_number(k, "k", lo=2, integer=True, hint="the number of classes", func=func)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    years = _years_arg(years, func, consecutive=True)
    panel = _prepare(panel, unit, value, func)
    if years is None:
        _consecutive(sorted(panel["year"].unique().tolist()), func, given=False)
    wide, dropped = _wide(panel, value, unit, years, func=func, missing=missing)
    cls, cutoffs = _classes(wide.to_numpy(dtype=float), k, cutoffs, value, func)
    k = len(cutoffs) + 1
    labels = _labels(cutoffs)
    markov = _giddy("markov")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = markov.Markov(cls, classes=np.arange(k), fill_empty_classes=True, summary=False)
    counts = np.asarray(m.transitions, dtype=int)
    empty = np.where(counts.sum(axis=1) == 0)[0]
    if len(empty):
        raise ValidationError(
            f"{func}: classes {_v._fmt([labels[i] for i in empty])} of "
            f"{value!r} have no transitions out (no unit is in them before "
            "the last year); use fewer classes (k) or other cutoffs"
        )
    P = pd.DataFrame(np.asarray(m.p, dtype=float), index=labels, columns=labels)
    ss = np.asarray(m.steady_state, dtype=float)
    if ss.size != k:
        warnings.warn(
            f"{func}: the chain has {ss.size // k} separate ergodic sets (some "
            "classes are never reached from others), so the ergodic distribution is "
            "not unique; MarkovResult.ergodic is missing",
            stacklevel=user_stacklevel(),
        )
        ss = np.full(k, np.nan)
    ss = ss.ravel()

    def share(c: np.ndarray) -> pd.Series:
        return pd.Series(np.bincount(c, minlength=k) / len(c), index=labels)

    return MarkovResult(
        counts=pd.DataFrame(counts, index=labels, columns=labels),
        P=P,
        ergodic=pd.Series(ss, index=labels),
        initial=share(cls[:, 0]),
        final=share(cls[:, -1]),
        mobility=_mobility(P.to_numpy()),
        cutoffs=cutoffs,
        classes=pd.DataFrame(cls, index=wide.index, columns=wide.columns),
        dropped=_v.DroppedRows(dropped),
    )


@dataclass(frozen=True, repr=False, eq=False)
class SpatialMarkovResult(Result):
    """Spatial Markov chain (Rey 2001), made by :func:`spatial_markov`.

    Attribute and dict-style access (``res.tests``, ``res["tests"]``);
    ``tidy()`` returns one row per lag class and class, ``summary()`` the
    text a reader sees (also the ``repr``).

    Parameters
    ----------
    P : dict
        Lag class label -> transition probabilities (DataFrame); lag class 0
        holds districts whose neighbours are poorest.
    counts : dict
        Lag class label -> transition counts (DataFrame).
    P_global : DataFrame
        The a-spatial transition matrix on the same classes.
    ergodic : DataFrame
        Steady state (columns: classes) for each lag class (rows).
    tests : Series
        ``Q``, ``Q_p``, ``LR``, ``LR_p`` (homogeneity of the lag-class
        matrices; small p = neighbours matter), ``dof``.
    cutoffs : ndarray
        Class bounds of the variable (upper bounds of classes 1..k-1).
    lag_cutoffs : ndarray
        Class bounds of its spatial lag (upper bounds of classes 1..m-1).
    dropped : DataFrame
        Rows of the units left out with ``missing="drop"`` (empty if none).

    See Also
    --------
    spatial_markov : Makes it.

    References
    ----------
    .. [1] Rey, S. J. (2001). Spatial empirics for economic growth and
       convergence. *Geographical Analysis* 33(3), 195-214.

    Examples
    --------
    >>> labels = ["low", "high"]
    >>> P = pd.DataFrame([[0.5, 0.5], [0.25, 0.75]], index=labels, columns=labels)
    >>> counts = pd.DataFrame([[2, 2], [1, 3]], index=labels, columns=labels)
    >>> res = SpatialMarkovResult(
    ...     P={"lag low": P}, counts={"lag low": counts}, P_global=P,
    ...     ergodic=pd.DataFrame([[1 / 3, 2 / 3]], index=["lag low"], columns=labels),
    ...     tests=pd.Series({"Q": 0.0, "Q_p": 1.0, "LR": 0.0, "LR_p": 1.0, "dof": 2}),
    ...     cutoffs=np.array([0.5]), lag_cutoffs=np.array([]))
    >>> t = res.tidy()
    >>> t["term"].tolist(), t["n_from"].tolist(), t["estimate"].tolist()
    (['low | lag low', 'high | lag low'], [4, 4], [0.5, 0.75])
    """

    P: dict[str, pd.DataFrame]
    counts: dict[str, pd.DataFrame]
    P_global: pd.DataFrame
    ergodic: pd.DataFrame
    tests: pd.Series
    cutoffs: np.ndarray
    lag_cutoffs: np.ndarray
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def tidy(self) -> pd.DataFrame:
        """Return one row per lag class and class (the schema of
        :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"<class> | <lag class>"``), ``estimate`` (estimated
            probability of staying in the class one year within the lag
            class, 0-1), ``conf_low``, ``conf_high`` (always missing: no
            interval is computed), ``lag_class`` (class of the neighbours'
            mean), ``class``, ``n_from`` (transitions out of the class within
            the lag class, the estimate's denominator), ``ergodic_share``
            (steady-state share, 0-1, if that lag class's chain held forever).
        """
        rows = []
        for lag, P in self.P.items():
            n_from = self.counts[lag].sum(axis=1)
            for i, cls in enumerate(P.index):
                rows.append(
                    {
                        "term": f"{cls} | {lag}",
                        "estimate": float(P.iloc[i, i]),
                        "conf_low": np.nan,
                        "conf_high": np.nan,
                        "lag_class": lag,
                        "class": cls,
                        "n_from": int(n_from.iloc[i]),
                        "ergodic_share": float(self.ergodic.loc[lag, cls]),
                    }
                )
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """Return the chain and its homogeneity tests as text.

        Returns
        -------
        str
            Numbers of classes, the Q and likelihood-ratio tests that the
            lag-class matrices are equal (small p: the neighbours matter),
            and the table of :meth:`tidy`.
        """
        t = self.tests
        lines = [
            f"Spatial Markov chain (Rey 2001): {len(self.P_global)} classes x "
            f"{len(self.P)} classes of the spatial lag",
            f"  homogeneity: Q = {t['Q']:.3f} (p = {t['Q_p']:.4f}), LR = {t['LR']:.3f} "
            f"(p = {t['LR_p']:.4f}), dof = {int(t['dof'])}",
            self.tidy().to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep="-"),
        ]
        if len(self.dropped):
            lines.append(f"dropped: {len(self.dropped)} rows (see .dropped)")
        return "\n".join(lines)


def _check_graph(graph, func):
    if not (hasattr(graph, "unique_ids") and hasattr(graph, "transform")):
        raise ValidationError(
            f"{func}: graph must be a libpysal.graph.Graph (e.g. "
            "cityresearch.spatial.region_weights(cityresearch.panels.region_boundaries())"
            ".graph); got "
            f"{type(graph).__name__}"
        )
    return list(graph.unique_ids)


def _match_graph(wide, graph, by, func):
    """Rows of ``wide`` in the order of the graph's ids; both must cover the same units."""
    ids = _check_graph(graph, func)
    have = set(wide.index)
    no_data = [i for i in ids if i not in have]
    no_w = sorted(have - set(ids), key=str)
    if no_data or no_w:
        parts = []
        if no_data:
            parts.append(f"{len(no_data)} weight ids have no data ({_v._fmt(no_data)})")
        if no_w:
            parts.append(f"{len(no_w)} units ({by}) have no weights ({_v._fmt(no_w)})")
        raise ValidationError(
            f"{func}: panel and weights cover different units: "
            f"{'; '.join(parts)}. Subset the weights with "
            "graph.subgraph(ids) or the panel so that both cover the same units"
        )
    return wide.loc[ids]


@renamed(by="unit", column="value")
def spatial_markov(
    panel: pd.DataFrame,
    value: str,
    graph,
    *,
    k: int = 5,
    m: int = 5,
    unit: str = "bps_code",
    years=None,
    missing: str = "raise",
) -> SpatialMarkovResult:
    """Spatial Markov chain conditioned on the neighbours' class (giddy).

    Parameters
    ----------
    panel : DataFrame
        Long, balanced panel with ``unit``, ``year``, ``value``; one row per
        unit and year.
    value : str
        Classified variable, e.g. relative GRDP per capita (ratio to the
        mean). Called ``column=`` before release 0.2 (accepted until 0.3 with
        a deprecation warning).
    graph : libpysal.graph.Graph
        Weights indexed by the same ids as ``unit`` (e.g. the archipelago
        weights of :func:`cityresearch.spatial.region_weights`); they are
        row-standardised here.
    k, m : int
        Classes (at least 2) of the variable and of its spatial lag:
        quantiles of the pooled values (giddy's ``fixed=True``).
    unit : str
        Unit column (``by=`` before release 0.2).
    years : sequence of int, optional
        Consecutive years, increasing (default: all years of the panel, which
        must then be consecutive).
    missing : {"raise", "drop"}
        Units lacking ``value`` in one of the years: a named error, or left
        out (reported, rows in ``dropped``); the weights must then be
        subset to the remaining units.

    Returns
    -------
    SpatialMarkovResult
        One transition matrix ``P`` (and ``counts``) per class of the
        spatial lag, ``P_global``, ``ergodic`` shares per lag class, the
        homogeneity ``tests``, ``cutoffs``, ``lag_cutoffs``, ``dropped``;
        ``tidy()`` gives one row per lag class and class, ``summary()`` the
        text.

    Raises
    ------
    ValidationError
        Units of the panel and of the weights differ (named), an unbalanced
        panel, text or infinite values, years not consecutive, ``k`` or
        ``m`` below 2, a constant variable or too many ties for the classes.

    References
    ----------
    .. [1] Rey, S. J. (2001). Spatial empirics for economic growth and
       convergence. *Geographical Analysis* 33(3), 195-214.

    The chain and the tests are computed with PySAL ``giddy``
    (``giddy.markov.Spatial_Markov`` with ``fixed=True``).

    Examples
    --------
    >>> res = spatial_markov(panel, "rel_grdp_pc_idr_k", graph)  # doctest: +SKIP
    >>> res.tests["LR_p"] < 0.05  # doctest: +SKIP
    """
    func = "spatial_markov"
    _v.as_frame(panel, name="panel", func=func)
    k = _v.check_number(k, "k", lo=2, integer=True, hint="classes of the variable", func=func)
    m = _v.check_number(m, "m", lo=2, integer=True, hint="classes of the spatial lag", func=func)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    _check_graph(graph, func)
    years = _years_arg(years, func, consecutive=True)
    panel = _prepare(panel, unit, value, func)
    if years is None:
        _consecutive(sorted(panel["year"].unique().tolist()), func, given=False)
    wide, dropped = _wide(panel, value, unit, years, func=func, missing=missing)
    y = _match_graph(wide, graph, unit, func).to_numpy(dtype=float)
    _no_constant(y, value, func)
    w = graph.transform("r").to_W()
    markov = _giddy("markov")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sm = markov.Spatial_Markov(y, w, k=k, m=m, fixed=True, fill_empty_classes=True)
    for what, got, asked, arg in (
        ("the variable", sm.k, k, "k"),
        ("the spatial lag", sm.m, m, "m"),
    ):
        if got != asked:
            raise ValidationError(
                f"{func}: {what} of {value!r} has too many tied values for "
                f"{arg}={asked} quantile classes (only {got} distinct); use "
                f"a smaller {arg}"
            )
    labels = _labels(np.asarray(sm.cutoffs))
    lag_labels = [f"lag {s}" for s in _labels(np.asarray(sm.lag_cutoffs))]
    P = {
        lab: pd.DataFrame(np.asarray(sm.P[i], dtype=float), index=labels, columns=labels)
        for i, lab in enumerate(lag_labels)
    }
    counts = {
        lab: pd.DataFrame(np.asarray(sm.T[i], dtype=int), index=labels, columns=labels)
        for i, lab in enumerate(lag_labels)
    }
    steady = [np.asarray(s, dtype=float).ravel() for s in sm.S]
    reducible = [lab for lab, s in zip(lag_labels, steady, strict=True) if s.size != len(labels)]
    if reducible:
        warnings.warn(
            f"{func}: the chains of lag classes {_v._fmt(reducible)} have more than one "
            "ergodic set (some classes are never reached from others), so their ergodic "
            "distribution is not unique; those rows of SpatialMarkovResult.ergodic are missing",
            stacklevel=user_stacklevel(),
        )
    S = np.vstack([s if s.size == len(labels) else np.full(len(labels), np.nan) for s in steady])
    tests = pd.Series(
        {
            "Q": float(sm.Q),
            "Q_p": float(sm.Q_p_value),
            "LR": float(sm.LR),
            "LR_p": float(sm.LR_p_value),
            "dof": int(sm.dof_hom),
        }
    )
    return SpatialMarkovResult(
        P=P,
        counts=counts,
        P_global=pd.DataFrame(np.asarray(sm.p, dtype=float), index=labels, columns=labels),
        ergodic=pd.DataFrame(S, index=lag_labels, columns=labels),
        tests=tests,
        cutoffs=np.asarray(sm.cutoffs),
        lag_cutoffs=np.asarray(sm.lag_cutoffs),
        dropped=_v.DroppedRows(dropped),
    )


def _two_years(panel, by, column, start, end, func, missing):
    _v.as_frame(panel, name="panel", func=func)
    start, end = _v.check_year_range(start, end, func=func)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    panel = _prepare(panel, by, column, func)
    return (
        _v.balanced_wide(
            panel,
            by,
            column,
            [start, end],
            missing=missing,
            func=func,
            why=f"each unit is compared between {start} and {end}",
            stacklevel=5,
        ),
        start,
        end,
    )


@renamed(by="unit", column="value")
def rank_mobility(
    panel: pd.DataFrame,
    value: str,
    start: int,
    end: int,
    *,
    unit: str = "bps_code",
    k: int = 5,
    missing: str = "raise",
) -> pd.Series:
    """Re-ranking of units between ``start`` and ``end``.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``unit``, ``year``, ``value``; one row per unit and
        year.
    value : str
        Column whose ranks are compared (e.g. GRDP per capita; any unit,
        only the order matters). Called ``column=`` before release 0.2
        (accepted until 0.3 with a deprecation warning).
    start, end : int
        Years, ``start`` before ``end``.
    unit : str
        Unit column (``by=`` before release 0.2).
    k : int
        Number of quantile groups for ``share_changed_group`` (5 =
        quintiles), at least 2 and at most the number of units.
    missing : {"raise", "drop"}
        Units lacking ``value`` in ``start`` or ``end``: a named error, or
        left out with a :class:`~cityresearch._errors.DroppedRowsWarning`
        and their rows in ``result.attrs["dropped"]``.

    Returns
    -------
    Series
        ``kendall_tau`` and ``tau_p`` (giddy.rank.Tau; 1 = the same order),
        ``spearman``, ``share_changed_group`` (share of units whose
        ``k``-quantile differs), ``mean_abs_rank_change`` (positions),
        ``n_units``.

    Raises
    ------
    ValidationError
        Years absent or not in order, units missing in one of them, fewer
        than 3 units, a year in which every unit has the same value, text or
        infinite values, a bad ``k``.

    References
    ----------
    .. [1] Kendall, M. G. (1938). A new measure of rank correlation.
       *Biometrika* 30(1/2), 81-93 (computed with PySAL ``giddy.rank.Tau``).

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": list("abcabc"), "year": [1, 1, 1, 2, 2, 2],
    ...                   "v": [1.0, 2, 3, 1, 3, 2]})
    >>> float(rank_mobility(p, "v", 1, 2, k=3)["mean_abs_rank_change"])
    0.6666666666666666
    """
    from scipy.stats import spearmanr

    func = "rank_mobility"
    k = _v.check_number(k, "k", lo=2, integer=True, hint="the number of quantile groups", func=func)
    (wide, dropped), start, end = _two_years(panel, unit, value, start, end, func, missing)
    _v.min_rows(wide, 3, what=f"units observed in {start} and {end}", func=func)
    if k > len(wide):
        raise ValidationError(
            f"{func}: k={k} quantile groups need at least {k} units; the "
            f"panel has {len(wide)}. Use a smaller k"
        )
    for y in (start, end):
        _no_constant(wide[y], value, func, f" in {y}")
    a, b = wide[start].to_numpy(dtype=float), wide[end].to_numpy(dtype=float)
    rank = _giddy("rank")
    tau = rank.Tau(a, b)
    ra, rb = pd.Series(a).rank().to_numpy(), pd.Series(b).rank().to_numpy()
    qa = np.searchsorted(np.quantile(a, np.arange(1, k) / k), a, side="left")
    qb = np.searchsorted(np.quantile(b, np.arange(1, k) / k), b, side="left")
    out = pd.Series(
        {
            "kendall_tau": float(tau.tau),
            "tau_p": float(tau.tau_p),
            "spearman": float(spearmanr(a, b)[0]),
            "share_changed_group": float(np.mean(qa != qb)),
            "mean_abs_rank_change": float(np.mean(np.abs(ra - rb))),
            "n_units": len(a),
        }
    )
    return _v.attach_dropped(out, dropped)


@renamed(by="unit", draws="n_boot")
def beta_convergence(
    panel: pd.DataFrame,
    value: str,
    start: int,
    end: int,
    graph=None,
    *,
    unit: str = "bps_code",
    n_boot: int = 1000,
    seed: int = 12345,
    missing: str = "raise",
) -> pd.DataFrame:
    """Unconditional beta-convergence: OLS, spatial lag and spatial error.

    The regression is ``g_i = a + b ln y_i,start`` with ``g_i = 100 ln(y_end /
    y_start) / (end - start)`` (percent per year).

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``unit``, ``year``, ``value`` (positive); one row per
        unit and year.
    value : str
        Income per capita column (any currency unit; only logs are used).
    start, end : int
        Initial and final years, ``start`` before ``end``.
    graph : libpysal.graph.Graph, optional
        Weights (row-standardised here) covering exactly the panel's units;
        without it only OLS is estimated.
    unit : str
        Unit column (``by=`` before release 0.2; accepted until 0.3 with a
        deprecation warning).
    n_boot : int
        Parametric-bootstrap draws (at least 100) of (b, rho) from the SAR
        estimates' asymptotic normal distribution; the 95% intervals of the
        SAR impacts are their percentiles (LeSage and Pace 2009).
        Called ``draws=`` before release 0.2 (accepted until 0.3 with a
        deprecation warning).
    seed : int
        Random seed of those draws.
    missing : {"raise", "drop"}
        Units lacking ``value`` in ``start`` or ``end``: a named error, or
        left out with a :class:`~cityresearch._errors.DroppedRowsWarning`
        and their rows in ``result.attrs["dropped"]`` (with ``graph``, the
        weights must then be subset to the remaining units).

    Returns
    -------
    DataFrame
        One row per model (``OLS``, ``SAR`` spatial lag, ``SEM`` spatial
        error): ``beta`` (percentage points of annual growth per log point of
        initial income), ``se``, ``p``, ``spatial`` (rho for SAR, lambda for
        SEM), ``spatial_se``, ``speed_pct`` (implied speed of convergence,
        percent per year), ``half_life_years``, ``aic`` (OLS: Gaussian
        likelihood, comparable with the ML models), ``n``; for SAR also
        ``direct``, ``indirect``, ``total`` and their 95% intervals
        (``*_lo``, ``*_hi``). ``attrs["dropped"]`` holds the rows left out.

    Raises
    ------
    ValidationError
        Missing years, years not in order, non-positive, infinite or text
        incomes (units named), fewer than 3 units, the same initial income
        everywhere, weights not covering the units (ids named), a bad
        ``n_boot`` or ``seed``.

    References
    ----------
    .. [1] Rey, S. J. and Montouri, B. D. (1999). US regional income
       convergence: a spatial econometric perspective. *Regional Studies*
       33(2), 143-156.
    .. [2] LeSage, J. and Pace, R. K. (2009). *Introduction to Spatial
       Econometrics*. CRC Press (direct and indirect effects).

    The SAR and SEM models are estimated with PySAL ``spreg`` (``ML_Lag``,
    ``ML_Error``, full maximum likelihood).

    Examples
    --------
    Growth of 3, 2, 2.5, 1 and 0.5 percent a year from initial incomes 1, 2,
    4, 8, 16: the slope per log point of initial income is -0.6 / ln 2.

    >>> y0, g = np.array([1.0, 2, 4, 8, 16]), np.array([3.0, 2, 2.5, 1, 0.5])
    >>> p = pd.DataFrame({"bps_code": list("abcde") * 2, "year": [2000] * 5 + [2010] * 5,
    ...                   "y": np.r_[y0, y0 * np.exp(g / 10)]})
    >>> round(float(beta_convergence(p, "y", 2000, 2010).loc["OLS", "beta"]), 4)
    -0.8656
    >>> t = beta_convergence(panel, "grdp_pc_idr_k", 2010, 2019, graph)  # doctest: +SKIP
    >>> t.loc["SAR", ["direct", "indirect"]]  # doctest: +SKIP
    """
    import statsmodels.api as sm

    func = "beta_convergence"
    n_boot = _v.check_number(
        n_boot,
        "n_boot",
        lo=100,
        integer=True,
        hint="the 95% interval is read from the draws' percentiles",
        func=func,
    )
    seed = _v.check_number(seed, "seed", lo=0, integer=True, func=func)
    if graph is not None:
        _check_graph(graph, func)
    (wide, dropped), start, end = _two_years(panel, unit, value, start, end, func, missing)
    long = wide.stack().rename(value)
    _v.check_positive(
        pd.Series(long.to_numpy(), index=[f"{unit} {u} in {y}" for u, y in long.index]),
        value,
        func=func,
    )
    _v.min_rows(
        wide,
        3,
        what=f"units observed in {start} and {end} (a slope and its standard error)",
        func=func,
    )
    if graph is not None:
        wide = _match_graph(wide, graph, unit, func)
    _no_constant(wide[start], value, func, f" in {start}")
    T = end - start
    x = np.log(wide[start].to_numpy(dtype=float))
    g = 100 * (np.log(wide[end].to_numpy(dtype=float)) - x) / T

    def speed(b):
        v = 1 + b * T / 100
        return -np.log(v) / T * 100 if v > 0 else np.nan

    def row(b, se, p, aic, n, **extra):
        s = speed(b)
        return {
            "beta": b,
            "se": se,
            "p": p,
            "speed_pct": s,
            "half_life_years": np.log(2) / (s / 100) if s and s > 0 else np.nan,
            "aic": aic,
            "n": n,
            **extra,
        }

    ols = sm.OLS(g, sm.add_constant(x)).fit()
    rows = {
        "OLS": row(
            ols.params[1],
            ols.bse[1],
            ols.pvalues[1],
            ols.aic,
            len(g),
            spatial=np.nan,
            spatial_se=np.nan,
        )
    }
    if graph is not None:
        import spreg
        from scipy import stats

        w = graph.transform("r").to_W()
        y_, x_ = g.reshape(-1, 1), x.reshape(-1, 1)
        import contextlib
        import io

        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")  # spreg prints the model name and warns on pandas
            lag = spreg.ML_Lag(y_, x_, w, method="full", spat_impacts=None)
            err = spreg.ML_Error(y_, x_, w, method="full")
        # SAR: betas = [const, b, rho]; vm is their covariance
        b, rho = float(lag.betas[1, 0]), float(lag.betas[2, 0])
        se_b, se_rho = np.sqrt(np.diag(lag.vm))[[1, 2]]
        eig = np.linalg.eigvals(graph.transform("r").sparse.toarray()).real

        def impacts(bb, rr):
            direct = bb * np.mean(1 / (1 - rr * eig))
            total = bb / (1 - rr)
            return direct, total - direct, total

        d, i, t = impacts(b, rho)
        rng = np.random.default_rng(seed)
        sim = rng.multivariate_normal([b, rho], np.asarray(lag.vm)[1:3, 1:3], size=n_boot)
        sims = np.array([impacts(bb, rr) for bb, rr in sim])
        lo, hi = np.percentile(sims, [2.5, 97.5], axis=0)
        p_b = 2 * stats.norm.sf(abs(b / se_b))
        rows["SAR"] = row(
            b,
            se_b,
            p_b,
            float(lag.aic),
            len(g),
            spatial=rho,
            spatial_se=se_rho,
            direct=d,
            indirect=i,
            total=t,
            direct_lo=lo[0],
            direct_hi=hi[0],
            indirect_lo=lo[1],
            indirect_hi=hi[1],
            total_lo=lo[2],
            total_hi=hi[2],
        )
        be, lam = float(err.betas[1, 0]), float(err.betas[2, 0])
        se_be, se_lam = np.sqrt(np.diag(err.vm))[[1, 2]]
        rows["SEM"] = row(
            be,
            se_be,
            2 * stats.norm.sf(abs(be / se_be)),
            float(err.aic),
            len(g),
            spatial=lam,
            spatial_se=se_lam,
        )
    return _v.attach_dropped(pd.DataFrame(rows).T.rename_axis("model"), dropped)
