"""Convergence clubs: the Phillips-Sul log t test and club clustering.

Terms
-----
log t test
    Phillips and Sul (2007) regress ``log(H_1 / H_t) - 2 log(log t)`` on
    ``log t`` over the last ``(1 - r)`` share of the periods, where ``H_t`` is
    the cross-sectional mean of ``(h_it - 1)^2`` and ``h_it = x_it / mean_i
    x_it`` is the *relative transition path* of unit ``i``. The panel converges
    (relatively) unless the one-sided t statistic of the slope is below -1.65
    (standard errors heteroskedasticity and autocorrelation consistent, HAC,
    with a quadratic spectral kernel).
convergence club
    A group of districts whose log GRDP per capita converges to a common path.
    The clustering algorithm (Phillips and Sul 2007, 2009) sorts units by their
    last value, forms a *core group*, adds every unit that converges with the
    core (the sieve, threshold ``c*``) and repeats on the rest; units that
    converge with no one are *divergent*.
merging
    Initial clustering over-splits; adjacent clubs that pass the log t test
    together are merged, either by Phillips and Sul (2009) or by von Lyncker
    and Thoennessen (2017), who also require that merging club k with k+1 beats
    merging k+1 with k+2.
HP filter
    Business cycles are removed first: the series clustered is the
    Hodrick-Prescott trend of log GRDP per capita. Phillips and Sul use
    ``lambda = 400`` for annual data, the default here; 100 (the common
    annual default of older software) and 6.25 (Ravn and Uhlig 2002) are the
    usual alternatives.

Two conventions (see :data:`CONVENTIONS`)
-----------------------------------------
The two widely used implementations differ in details that change the club
count on real data: the R package ``ConvergenceClubs`` (Sichera and Pizzuto
2019) and the Stata package ``psecta`` (Du 2017). The computing engine is the
Python port ``convergence-clubs`` (PyPI), which implements both and, as the
tests show, reproduces R ``ConvergenceClubs`` results published for its own
example data. This module adds a frame-in, frame-out interface keyed by
``bps_code``, named errors, settings recorded on every result, sensitivity
grids and club-level comparisons.

This module does not choose the filter or the convention for you; run
:func:`club_sensitivity` and report how much the answer depends on them.

Input contract: bad input is refused with a
:class:`~cityresearch._errors.ValidationError` that names the column, unit,
year or option (text or infinite values, duplicate units or unit-years, a
long panel passed where the trend frame is expected, a trend that is the same
for every unit, misspelt options). :func:`log_hp_trend` raises on units with
a gap by default; ``missing="drop"`` leaves them out, warns
(:class:`~cityresearch._errors.DroppedRowsWarning`) and lists their rows in
``trend.attrs["dropped"]``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cityresearch import _validate as _v
from cityresearch._deprecate import renamed
from cityresearch._errors import EstimationError, ValidationError, user_stacklevel
from cityresearch._results import Result

#: Columns of :meth:`ClubResult.tidy` printed by :meth:`ClubResult.summary`.
_CLUB_SUMMARY_COLUMNS = [
    "term",
    "estimate",
    "std_error",
    "statistic",
    "n_obs",
    "merged_from",
    "converges",
    "mean_last",
]


def _norm_cdf(t: Any) -> Any:
    """Standard normal probability below ``t`` (the log t test's one-sided p-value)."""
    from scipy import stats

    return stats.norm.cdf(t)


__all__ = [
    "CONVENTIONS",
    "PUBLISHED_SETTINGS",
    "ClubResult",
    "LogTResult",
    "club_crosstab",
    "club_sensitivity",
    "find_clubs",
    "log_hp_trend",
    "log_t_test",
    "province_concentration",
]

#: The two implementation conventions and what they set. ``time_trim`` is the
#: share of initial periods discarded (``r``), ``hac`` the HAC bandwidth
#: (``FQSB`` fixed, ``AQSB`` Andrews adaptive), ``cstar_method`` how the sieve
#: threshold c* is chosen (``fixed`` at 0; ``incremental``: raised from 0 in
#: steps of 0.05 until the club passes the test), ``core`` the rule choosing
#: the core group size, ``rounding`` how ``[rT]`` is rounded, ``merge_iterate``
#: whether merging passes repeat until nothing merges.
CONVENTIONS: dict[str, dict[str, Any]] = {
    "r": {
        "package": "R ConvergenceClubs 2.2.5 (Sichera and Pizzuto 2019)",
        "time_trim": 1 / 3,
        "hac": "FQSB",
        "cstar_method": "fixed",
        "cstar_increment": 0.1,
        "cstar_cap": 3.0,
        "core": "largest |t|",
        "rounding": "half to even",
        "merge_iterate": False,
    },
    "stata": {
        "package": "Stata psecta / imergeclub (Du 2017)",
        "time_trim": 0.3,
        "hac": "FQSB",
        "cstar_method": "incremental",
        "cstar_increment": 0.05,
        "cstar_cap": 50.0,
        "core": "largest t",
        "rounding": "half up",
        "merge_iterate": False,
    },
}

#: Settings under which the QuaRCS 2000-2017 panel gives the five clubs of
#: Aginta, Gunawan and Mendez (2021): HP lambda 400 on log GRDP per capita,
#: the psecta convention (r = 0.3, incremental c*), Phillips-Sul merging.
PUBLISHED_SETTINGS = {"lamb": 400.0, "convention": "stata", "merge": "PS"}


def _cc():
    import convergence_clubs

    return convergence_clubs


def _check_convention(convention, func=None):
    _v.check_choice(convention, tuple(sorted(CONVENTIONS)), "convention", func=func)
    return CONVENTIONS[convention]


@renamed(by="unit")
def log_hp_trend(
    panel: pd.DataFrame,
    value: str = "grdp_pc_idr_k",
    *,
    lamb: float = 400.0,
    unit: str = "bps_code",
    start: int | None = None,
    end: int | None = None,
    missing: str = "raise",
) -> pd.DataFrame:
    """Hodrick-Prescott trend of the log of ``value``, one row per unit.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``unit``, ``year`` and ``value`` (e.g. GRDP per
        capita, IDR thousand, constant 2010 prices); one row per unit and year.
    value : str
        Column to log and filter; must be positive.
    lamb : float
        HP smoothing parameter, positive (400 as in Phillips and Sul 2007 for
        annual data; 100 and 6.25 are common alternatives).
    unit : str
        Unit column; becomes the index. Called ``by=`` before release 0.2
        (still accepted until 0.3, with a deprecation warning).
    start, end : int, optional
        First and last year kept (inclusive); default all years.
    missing : {"raise", "drop"}
        Units lacking ``value`` in one of the years: a named error, or left
        out with a :class:`~cityresearch._errors.DroppedRowsWarning` and
        their rows in ``result.attrs["dropped"]``.

    Returns
    -------
    DataFrame
        Units in rows (index ``unit``), years in columns, HP trend of
        ``ln(value)`` (log points); ``attrs["dropped"]`` holds the rows of
        units left out (empty if none).

    Raises
    ------
    ValidationError
        A missing column, text or infinite values, a unit-year twice, a
        missing or non-positive value (the message names the units and
        years), an empty panel, ``start`` after ``end``, fewer than three
        years, or ``lamb`` not a positive number.

    References
    ----------
    .. [1] Hodrick, R. J. and Prescott, E. C. (1997). Postwar U.S. business
       cycles: an empirical investigation. *Journal of Money, Credit and
       Banking* 29(1), 1-16.
    .. [2] Phillips, P. C. B. and Sul, D. (2007). Transition modeling and
       econometric convergence tests. *Econometrica* 75(6), 1771-1855.
    .. [3] Ravn, M. O. and Uhlig, H. (2002). On adjusting the Hodrick-Prescott
       filter for the frequency of observations. *Review of Economics and
       Statistics* 84(2), 371-376.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["a"] * 4, "year": [1, 2, 3, 4],
    ...                   "y": np.exp([1.0, 2.0, 3.0, 4.0])})
    >>> log_hp_trend(p, "y").round(6).to_numpy().tolist()  # a line is its own trend
    [[1.0, 2.0, 3.0, 4.0]]
    """
    func = "log_hp_trend"
    _v.as_frame(panel, name="panel", func=func)
    lamb = _v.check_number(
        lamb, "lamb", lo=0, lo_open=True, hint="the HP smoothing parameter, e.g. 400", func=func
    )
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    if start is not None:
        start = _v.check_number(start, "start", integer=True, func=func)
    if end is not None:
        end = _v.check_number(end, "end", integer=True, func=func)
    if start is not None and end is not None and end < start:
        raise ValidationError(
            f"{func}: start ({start}) is after end ({end}); pass the first "
            "year as start and the last as end"
        )
    panel = _v.require_columns(
        panel, {unit: "any", "year": "integer", value: "numeric"}, func=func, name="panel"
    )
    _v.min_rows(panel, 1, what="rows", func=func)
    _v.handle_missing(panel, [unit, "year"], keys=[unit, "year"], func=func)
    _v.unique_keys(panel, [unit, "year"], func=func)
    _v.check_finite_columns(panel, [value], keys=[unit, "year"], func=func)
    df = panel[[unit, "year", value]]
    if start is not None:
        df = df[df["year"] >= start]
    if end is not None:
        df = df[df["year"] <= end]
    if df.empty:
        yrs = sorted(panel["year"].unique())
        raise ValidationError(
            f"{func}: no rows between start={start} and end={end}; the data "
            f"have years {yrs[0]}-{yrs[-1]}"
        )
    wide, dropped = _v.balanced_wide(
        df,
        unit,
        value,
        missing=missing,
        func=func,
        stacklevel=4,  # balanced_wide, log_hp_trend, the deprecation shim, the caller
        why="the log t test needs a balanced panel",
    )
    long = wide.stack()
    _v.check_positive(
        pd.Series(long.to_numpy(), index=[f"{unit} {u} in {y}" for u, y in long.index]),
        value,
        func=func,
    )
    if wide.shape[1] < 3:
        raise ValidationError(
            f"{func}: the HP filter needs at least 3 years; the panel has "
            f"{wide.shape[1]} ({_v._fmt(wide.columns)}) between start and end"
        )
    trend = _cc().hp_filter(np.log(wide), lamb=lamb)
    trend.columns.name = "year"
    return _v.attach_dropped(trend, dropped)


@dataclass(frozen=True, repr=False, eq=False)
class LogTResult(Result):
    """Result of a Phillips-Sul log t test (:func:`log_t_test`).

    Attribute and dict-style access (``res.t``, ``res["t"]``); ``tidy()``
    returns a one-row frame, ``summary()`` the text a reader sees (also the
    ``repr``).

    Parameters
    ----------
    beta : float
        Slope of ``log(H_1 / H_t) - 2 log(log t)`` on ``log t``: twice the
        speed of convergence alpha (no unit; >= 0 means convergence towards
        a common path, 0 <= beta < 2 relative convergence).
    se : float
        Its HAC standard error.
    t : float
        ``beta / se``, the one-sided test statistic.
    converges : bool
        ``t > -1.65``: the null of convergence is not rejected at 5%.
    n_units : int
        Number of units tested.
    n_periods : int
        Number of periods in the regression (after discarding ``time_trim``).

    References
    ----------
    .. [1] Phillips, P. C. B. and Sul, D. (2007). Transition modeling and
       econometric convergence tests. *Econometrica* 75(6), 1771-1855.

    Examples
    --------
    >>> r = LogTResult(beta=0.5, se=0.1, t=5.0, converges=True, n_units=3, n_periods=14)
    >>> r["t"], r.converges
    (5.0, True)
    >>> r.tidy()[["term", "estimate", "std_error", "statistic"]].to_dict("records")
    [{'term': 'log t beta', 'estimate': 0.5, 'std_error': 0.1, 'statistic': 5.0}]
    """

    beta: float
    se: float
    t: float
    converges: bool
    n_units: int
    n_periods: int

    def tidy(self) -> pd.DataFrame:
        """Return the test as one row (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"log t beta"``), ``estimate`` (beta, no unit),
            ``std_error`` (HAC), ``statistic`` (t), ``p_value`` (one-sided,
            the standard normal probability below t: small values reject
            convergence; t = -1.65 gives 0.049), ``conf_low``,
            ``conf_high`` (always missing: no interval is computed),
            ``converges``, ``n_obs`` (units), ``n_periods`` (in the
            regression).
        """
        return pd.DataFrame(
            {
                "term": ["log t beta"],
                "estimate": [self.beta],
                "std_error": [self.se],
                "statistic": [self.t],
                "p_value": [float(_norm_cdf(self.t))],
                "conf_low": [np.nan],
                "conf_high": [np.nan],
                "converges": [self.converges],
                "n_obs": [self.n_units],
                "n_periods": [self.n_periods],
            }
        )

    def summary(self) -> str:
        """Return the test as a sentence.

        Returns
        -------
        str
            Slope, standard error, t statistic and the verdict at 5%.
        """
        verdict = "converges" if self.converges else "does not converge"
        return (
            f"Phillips-Sul log t test: beta {self.beta:.4f} (HAC SE {self.se:.4f}), "
            f"t = {self.t:.2f}; the panel of {self.n_units} units {verdict} "
            f"(t {'>' if self.converges else '<='} -1.65; {self.n_periods} periods "
            "in the regression)"
        )


def _settings(convention, time_trim, hac, func=None):
    conv = _check_convention(convention, func)
    time_trim = conv["time_trim"] if time_trim is None else time_trim
    hac = conv["hac"] if hac is None else hac
    _v.check_choice(hac, ("FQSB", "AQSB"), "hac", func=func)
    time_trim = _v.check_number(
        time_trim,
        "time_trim",
        lo=0,
        hi=1,
        lo_open=True,
        hi_open=True,
        hint="the share of initial periods discarded, e.g. 0.3",
        func=func,
    )
    return time_trim, hac


def _check_trend(trend, func):
    """The units x years frame of :func:`log_hp_trend`: numbers only, no gaps,
    unique units, at least two of them."""
    hint = (
        "pass the units x years frame returned by log_hp_trend (call "
        "log_hp_trend(panel) on a long panel first)"
    )
    if not isinstance(trend, pd.DataFrame):
        raise ValidationError(
            f"{func}: trend must be a pandas DataFrame, not {type(trend).__name__}; {hint}"
        )
    text = [
        c
        for c in trend.columns
        if not pd.api.types.is_numeric_dtype(trend[c]) or pd.api.types.is_bool_dtype(trend[c])
    ]
    if text:
        raise ValidationError(
            f"{func}: trend must hold numbers only (units in rows, years in "
            f"columns); column{'s' if len(text) > 1 else ''} {_v._fmt(text)} "
            f"{'do' if len(text) > 1 else 'does'} not: was a long panel "
            f"passed? {hint}"
        )
    if trend.shape[1] == 0:
        raise ValidationError(f"{func}: trend has no year columns; {hint}")
    values = trend.to_numpy(dtype=float)
    for bad, what in ((np.isnan(values), "missing"), (np.isinf(values), "infinite")):
        if bad.any():
            rows = bad.any(axis=1)
            raise ValidationError(
                f"{func}: the trend frame has {what} values for units "
                f"{_v._fmt(trend.index[rows])}; {hint} on a balanced panel"
            )
    _v.min_rows(trend, 2, what="units (rows of trend) for a log t test", func=func)
    if not trend.index.is_unique:
        dup = trend.index[trend.index.duplicated()].unique()
        raise ValidationError(
            f"{func}: the trend frame lists units {_v._fmt(dup)} more than "
            "once; one row per unit is needed"
        )


def log_t_test(
    trend: pd.DataFrame,
    *,
    convention: str = "stata",
    time_trim: float | None = None,
    hac: str | None = None,
) -> LogTResult:
    """Phillips-Sul log t convergence test of all units of ``trend``.

    Parameters
    ----------
    trend : DataFrame
        Units x years, e.g. from :func:`log_hp_trend`.
    convention : {"stata", "r"}
        Supplies ``time_trim``, the HAC bandwidth and the rounding of
        ``[rT]`` (:data:`CONVENTIONS`).
    time_trim : float, optional
        Share ``r`` of initial periods discarded.
    hac : {"FQSB", "AQSB"}, optional
        Fixed or Andrews adaptive quadratic spectral bandwidth.

    Returns
    -------
    LogTResult
        ``beta`` (log t slope), its HAC standard error ``se``, ``t``,
        ``converges`` (t > -1.65), ``n_units`` and ``n_periods`` used.

    Raises
    ------
    ValidationError
        Fewer than two units, missing, infinite or text values (a long panel
        instead of a trend), duplicate units, a year in which every unit
        has the same value (``H_t = 0``), an unknown convention or HAC, a
        ``time_trim`` outside (0, 1).
    EstimationError
        The regression gives no finite t statistic.

    References
    ----------
    .. [1] Phillips, P. C. B. and Sul, D. (2007). Transition modeling and
       econometric convergence tests. *Econometrica* 75(6), 1771-1855.
    .. [2] Du, K. (2017). Econometric convergence test and club clustering
       using Stata. *The Stata Journal* 17(4), 882-900 (``psecta``, the
       ``"stata"`` convention).
    .. [3] Sichera, R. and Pizzuto, P. (2019). ConvergenceClubs: a package for
       performing the Phillips and Sul's club convergence clustering
       procedure. *The R Journal* 11(2), 142-151 (the ``"r"`` convention).

    Examples
    --------
    Three units approaching a common path converge:

    >>> t = np.arange(1, 21)
    >>> x = pd.DataFrame([10 + 0.1 * t + d / t for d in (1.0, 0.0, -1.0)])
    >>> log_t_test(x).converges
    True
    """
    func = "log_t_test"
    _check_trend(trend, func)
    time_trim, hac = _settings(convention, time_trim, hac, func)
    return _log_t(trend, convention, time_trim, hac, func)


def _log_t(trend, convention, time_trim, hac, func):
    cc = _cc()
    rounding = "half_up" if convention == "stata" else "half_even"
    x = trend.to_numpy(dtype=float)
    zero_mean = np.isclose(x.mean(axis=0), 0)
    if zero_mean.any():
        raise ValidationError(
            f"{func}: the cross-section mean of the trend is 0 in "
            f"{_v._fmt(trend.columns[zero_mean])}, so relative transition "
            "paths are undefined; use log income in a unit where it is not "
            "centred on 0 (e.g. log of IDR thousand)"
        )
    H = cc.cross_sectional_variation(x)
    flat = ~(H > 0)
    if flat.any():
        raise ValidationError(
            f"{func}: the trend is constant across units in "
            f"{_v._fmt(trend.columns[flat])} (every unit has the same value, "
            "H_t = 0), so log(H_1 / H_t) is undefined; the log t test needs "
            "units that differ"
        )
    n_t = trend.shape[1]
    kept = n_t - cc.logt.trimmed_periods(n_t, time_trim, rounding)
    if kept < 3:
        raise ValidationError(
            f"{func}: only {kept} periods are left after trimming "
            f"{time_trim:.2f} of {n_t}; use a longer panel or a smaller "
            "time_trim"
        )
    r = cc.log_t_test(H, time_trim, hac, rounding)
    if not np.all(np.isfinite([r.beta, r.std_err, r.t_value])):
        raise EstimationError(
            f"{func}: the log t regression gave beta {r.beta}, se "
            f"{r.std_err}, t {r.t_value}; the trend has too little variation "
            f"over the last {kept} periods for the test"
        )
    return LogTResult(
        beta=r.beta,
        se=r.std_err,
        t=r.t_value,
        converges=bool(r.t_value > -1.65),
        n_units=len(trend),
        n_periods=kept,
    )


@dataclass(frozen=True, repr=False, eq=False)
class ClubResult(Result):
    """Convergence clubs of one run of :func:`find_clubs`.

    Attribute and dict-style access (``res.clubs``, ``res["clubs"]``);
    ``tidy()`` returns the final clubs with a ``divergent`` row,
    ``summary()`` the text a reader sees (also the ``repr``).

    Parameters
    ----------
    membership : DataFrame
        One row per unit: the unit column, ``initial_club`` (club of the
        initial clustering, 1 = highest last-year level; missing when
        divergent), ``club`` (after merging; missing when divergent) and
        ``divergent`` (bool).
    clubs : DataFrame
        One row per final club: ``club``, ``n_units``, ``merged_from`` (the
        initial clubs it joins), ``beta``, ``se`` (HAC), ``t`` (log t test of the club),
        ``converges`` and ``mean_last`` (mean of the trend in the last year,
        log points).
    initial_clubs : DataFrame
        The same for the initial clustering.
    whole_panel : LogTResult
        The log t test of all units together.
    settings : dict
        Everything needed to reproduce the run (filter lambda when known,
        convention, time_trim, HAC, c* rule, merging).
    trend : DataFrame
        The units x years input (log points).

    See Also
    --------
    find_clubs : Makes it.

    References
    ----------
    .. [1] Phillips, P. C. B. and Sul, D. (2007). Transition modeling and
       econometric convergence tests. *Econometrica* 75(6), 1771-1855.
    .. [2] Phillips, P. C. B. and Sul, D. (2009). Economic transition and
       growth. *Journal of Applied Econometrics* 24(7), 1153-1185.

    Examples
    --------
    >>> t = np.arange(1, 31)
    >>> paths = [(1, .2), (1, 0), (1, -.2), (0, .2), (0, 0), (0, -.2)]
    >>> rows = {f"u{i}": 10 + 0.05 * t + lvl + d / t for i, (lvl, d) in enumerate(paths)}
    >>> res = find_clubs(pd.DataFrame(rows).T)
    >>> res.tidy()[["term", "n_obs"]].to_dict("records")
    [{'term': 'club 1', 'n_obs': 3}, {'term': 'club 2', 'n_obs': 3}]
    >>> print(res.summary().splitlines()[0])
    Phillips-Sul convergence clubs: 2 clubs (2 before merging), 0 divergent of 6 units
    """

    membership: pd.DataFrame
    clubs: pd.DataFrame
    initial_clubs: pd.DataFrame
    whole_panel: LogTResult
    settings: dict[str, Any]
    trend: pd.DataFrame = field(repr=False)

    @property
    def n_clubs(self) -> int:
        """Number of final clubs."""
        return len(self.clubs)

    @property
    def n_initial_clubs(self) -> int:
        """Number of clubs of the initial clustering."""
        return len(self.initial_clubs)

    @property
    def n_divergent(self) -> int:
        """Number of divergent units."""
        return int(self.membership["divergent"].sum())

    def transition_paths(self) -> pd.DataFrame:
        """Relative transition paths ``h_it = x_it / mean_i x_it`` (1 = the
        cross-section mean of the trend), long format: unit, ``year``, ``h``,
        ``club`` (missing when divergent)."""
        h = self.trend / self.trend.mean(axis=0)
        by = self.membership.columns[0]
        long = h.rename_axis(index=by, columns="year").stack().rename("h").reset_index()
        return long.merge(self.membership[[by, "club"]], on=by, how="left")

    def club_paths(self) -> pd.DataFrame:
        """Mean relative transition path of each final club (rows) by year
        (columns); divergent units are a row ``"divergent"`` when present."""
        tp = self.transition_paths()
        tp["club"] = tp["club"].astype("object").where(tp["club"].notna(), "divergent")
        return tp.groupby(["club", "year"])["h"].mean().unstack("year")

    def tidy(self) -> pd.DataFrame:
        """Return the final clubs plus a ``divergent`` row (the schema of
        :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            One row per final club: ``term`` (``"club 1"``, ...),
            ``estimate`` (the club's log t slope beta, no unit),
            ``std_error`` (HAC), ``statistic`` (log t), ``p_value``
            (one-sided, the standard normal probability below t),
            ``conf_low``, ``conf_high`` (always missing), ``club``,
            ``n_obs`` (units in the club), ``merged_from``, ``converges``,
            ``mean_last`` (mean trend in the last year, log points); then,
            when some unit diverges, ``term="divergent"`` (``club`` also
            ``"divergent"``) with its ``n_obs`` and the rest missing.
            (``summary()`` returned the club table before release 0.2.)
        """
        c = self.clubs
        out = pd.DataFrame(
            {
                "term": [f"club {k}" for k in c["club"]],
                "estimate": c["beta"].to_numpy(dtype=float),
                "std_error": c["se"].to_numpy(dtype=float),
                "statistic": c["t"].to_numpy(dtype=float),
                "p_value": _norm_cdf(c["t"].to_numpy(dtype=float)),
                "conf_low": np.nan,
                "conf_high": np.nan,
                "club": c["club"].astype(object).to_numpy(),
                "n_obs": c["n_units"].to_numpy(),
                "merged_from": c["merged_from"].to_numpy(),
                "converges": c["converges"].astype(object).to_numpy(),
                "mean_last": c["mean_last"].to_numpy(dtype=float),
            }
        )
        if self.n_divergent:
            div = {"term": "divergent", "club": "divergent", "n_obs": self.n_divergent}
            out = pd.concat([out, pd.DataFrame([div])], ignore_index=True)
        return out

    def summary(self) -> str:
        """Return the clubs as text.

        Returns
        -------
        str
            Club counts, the settings that produced them, the whole-panel
            log t test and the table of :meth:`tidy`.
        """
        s = self.settings
        keys = ("convention", "lamb", "time_trim", "hac", "cstar_method", "merge", "years")
        lines = [
            f"Phillips-Sul convergence clubs: {self.n_clubs} clubs "
            f"({self.n_initial_clubs} before merging), {self.n_divergent} divergent of "
            f"{len(self.membership)} units",
            "  settings: " + ", ".join(f"{k}={s.get(k)}" for k in keys if k in s),
            "  whole panel: " + self.whole_panel.summary(),
            self.tidy()[_CLUB_SUMMARY_COLUMNS].to_string(
                index=False, float_format=lambda v: f"{v:.4f}", na_rep="-"
            ),
        ]
        return "\n".join(lines)


def _club_table(raw, trend):
    rows = []
    for i, c in enumerate(raw.clubs, start=1):
        ids = list(c.ids)
        merged = getattr(c, "merged_from", None)
        rows.append(
            {
                "club": i,
                "n_units": len(ids),
                "merged_from": ",".join(s.replace("club", "") for s in merged)
                if merged
                else str(i),
                "beta": c.model.beta,
                "se": c.model.std_err,
                "t": c.model.t_value,
                "converges": bool(c.model.t_value > -1.65),
                "mean_last": float(trend.iloc[ids, -1].mean()),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["club", "n_units", "merged_from", "beta", "se", "t", "converges", "mean_last"],
    )


def _labels(raw, n):
    lab = np.full(n, np.nan)
    for i, c in enumerate(raw.clubs, start=1):
        lab[list(c.ids)] = i
    return lab


def find_clubs(
    trend: pd.DataFrame,
    *,
    convention: str = "stata",
    time_trim: float | None = None,
    hac: str | None = None,
    cstar: float = 0.0,
    cstar_method: str | None = None,
    merge: str | None = "PS",
    merge_divergent: bool = False,
    lamb: float | None = None,
) -> ClubResult:
    """Phillips-Sul club clustering, then club merging.

    Parameters
    ----------
    trend : DataFrame
        Units x years (index: the unit ids, e.g. ``bps_code``), usually
        :func:`log_hp_trend` of GRDP per capita.
    convention : {"stata", "r"}
        Implementation conventions (:data:`CONVENTIONS`); explicit arguments
        override them.
    time_trim, hac : optional
        See :func:`log_t_test`.
    cstar : float
        Starting sieve threshold c* (0 in both packages).
    cstar_method : {"fixed", "incremental"}, optional
        Keep c* fixed (R) or raise it until the club converges (Stata).
    merge : {"PS", "vLT", None}
        Club merging: Phillips and Sul (2009), von Lyncker and Thoennessen
        (2017), or none (final clubs = initial clubs).
    merge_divergent : bool
        After merging, try to add divergent units to clubs (von Lyncker and
        Thoennessen 2017, threshold -1.65).
    lamb : float, optional
        The HP lambda used to build ``trend``; only recorded in ``settings``.

    Returns
    -------
    ClubResult
        ``membership`` (club of each unit), ``clubs`` and ``initial_clubs``
        (one row per club with its log t test), ``whole_panel`` (log t test
        of all units), ``settings``; ``tidy()`` and ``summary()``.

    Raises
    ------
    ValidationError
        Bad input or settings (see :func:`log_t_test`; a long panel instead
        of the trend frame is named), a ``cstar`` that is not a number, an
        unknown ``cstar_method`` or ``merge``.

    Warns
    -----
    UserWarning
        When a final club does not pass its own log t test (the message names
        it; the R convention's fixed c* can produce this).

    References
    ----------
    .. [1] Phillips, P. C. B. and Sul, D. (2007). Transition modeling and
       econometric convergence tests. *Econometrica* 75(6), 1771-1855.
    .. [2] Phillips, P. C. B. and Sul, D. (2009). Economic transition and
       growth. *Journal of Applied Econometrics* 24(7), 1153-1185 (club
       merging, ``merge="PS"``).
    .. [3] von Lyncker, K. and Thoennessen, R. (2017). Regional club
       convergence in the EU: evidence from a panel data analysis.
       *Empirical Economics* 52(2), 525-553 (``merge="vLT"``,
       ``merge_divergent``).
    .. [4] Du, K. (2017). Econometric convergence test and club clustering
       using Stata. *The Stata Journal* 17(4), 882-900.
    .. [5] Sichera, R. and Pizzuto, P. (2019). ConvergenceClubs: a package for
       performing the Phillips and Sul's club convergence clustering
       procedure. *The R Journal* 11(2), 142-151.

    Examples
    --------
    Two groups of units converging to two different paths form two clubs:

    >>> t = np.arange(1, 31)
    >>> paths = [(1, .2), (1, 0), (1, -.2), (0, .2), (0, 0), (0, -.2)]
    >>> rows = {f"u{i}": 10 + 0.05 * t + lvl + d / t for i, (lvl, d) in enumerate(paths)}
    >>> res = find_clubs(pd.DataFrame(rows).T)
    >>> res.n_clubs, res.membership["club"].tolist()
    (2, [1.0, 1.0, 1.0, 2.0, 2.0, 2.0])
    """
    func = "find_clubs"
    _check_trend(trend, func)
    time_trim, hac = _settings(convention, time_trim, hac, func)
    conv = CONVENTIONS[convention]
    cstar = _v.check_number(
        cstar, "cstar", hint="the sieve threshold c*, 0 in both packages", func=func
    )
    cstar_method = conv["cstar_method"] if cstar_method is None else cstar_method
    _v.check_choice(cstar_method, ("fixed", "incremental"), "cstar_method", func=func)
    _v.check_choice(merge, ("PS", "vLT", None), "merge", func=func)
    _v.check_choice(merge_divergent, (True, False), "merge_divergent", func=func)
    if lamb is not None:
        lamb = _v.check_number(lamb, "lamb", lo=0, lo_open=True, func=func)
    cc = _cc()
    data = trend.copy()
    data.columns = [str(c) for c in data.columns]
    whole = _log_t(trend, convention, time_trim, hac, func)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cc.ClubConvergenceWarning)
        raw = cc.find_clubs(
            data,
            convention="Stata" if convention == "stata" else "R",
            time_trim=time_trim,
            hac_method=hac,
            cstar=cstar,
            cstar_method=cstar_method,
        )
    final = raw
    if merge is not None and raw.n_clubs > 1:
        final = raw.merge(merge, iterate=conv["merge_iterate"], merge_divergent=merge_divergent)
    elif merge_divergent:
        final = raw.merge_divergent()
    by = trend.index.name or "unit"
    n = len(trend)
    initial_lab, final_lab = _labels(raw, n), _labels(final, n)
    membership = pd.DataFrame({by: trend.index, "initial_club": initial_lab, "club": final_lab})
    membership["divergent"] = membership["club"].isna()
    clubs = _club_table(final, trend)
    failing = clubs.loc[~clubs["converges"], "club"].tolist()
    if failing:
        warnings.warn(
            f"clubs {failing} do not pass their own log t test (t <= -1.65); "
            "with convention='r' consider cstar_method='incremental'",
            stacklevel=user_stacklevel(),
        )
    settings = {
        "lamb": lamb,
        "convention": convention,
        "package": conv["package"],
        "time_trim": time_trim,
        "hac": hac,
        "cstar": cstar,
        "cstar_method": cstar_method,
        "core": conv["core"],
        "merge": merge,
        "merge_divergent": merge_divergent,
        "n_units": n,
        "years": f"{trend.columns[0]}-{trend.columns[-1]}",
    }
    return ClubResult(
        membership=membership,
        clubs=clubs,
        initial_clubs=_club_table(raw, trend),
        whole_panel=whole,
        settings=settings,
        trend=trend,
    )


@renamed(by="unit")
def club_sensitivity(
    panel: pd.DataFrame,
    value: str = "grdp_pc_idr_k",
    *,
    lambdas: Sequence[float] = (400.0, 100.0, 6.25),
    conventions: Sequence[str] = ("stata", "r"),
    hacs: Sequence[str] = ("FQSB", "AQSB"),
    merges: Sequence[str | None] = ("PS", "vLT"),
    unit: str = "bps_code",
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Club counts over a grid of filter and convention settings.

    Parameters
    ----------
    panel : DataFrame
        Long panel (see :func:`log_hp_trend`).
    value, unit, start, end
        As in :func:`log_hp_trend` (``unit`` was called ``by=`` before release
        0.3; still accepted until 0.3, with a deprecation warning).
    lambdas, conventions, hacs, merges : sequences
        Settings crossed in the grid (time_trim and c* follow the convention).

    Returns
    -------
    DataFrame
        One row per setting: ``lamb``, ``convention``, ``hac``, ``merge``,
        ``n_initial_clubs``, ``n_clubs``, ``n_divergent``, ``sizes`` (club
        sizes, highest club first, ``"+"``-joined), ``whole_panel_t``.

    Raises
    ------
    ValidationError
        As :func:`log_hp_trend` and :func:`find_clubs`; an empty grid
        argument, a bare string instead of a sequence, or an unknown value
        in one (checked before anything is computed).

    References
    ----------
    Phillips, P. C. B. and Sul, D. (2007). Transition modeling and
    econometric convergence tests. *Econometrica* 75(6), 1771-1855.
    doi:10.1111/j.1468-0262.2007.00811.x

    Phillips, P. C. B. and Sul, D. (2009). Economic transition and
    growth. *Journal of Applied Econometrics* 24(7), 1153-1185
    (``merges="PS"``). doi:10.1002/jae.1080

    von Lyncker, K. and Thoennessen, R. (2017). Regional club
    convergence in the EU: evidence from a panel data analysis.
    *Empirical Economics* 52(2), 525-553 (``merges="vLT"``).
    doi:10.1007/s00181-016-1096-2

    Hodrick, R. J. and Prescott, E. C. (1997). Postwar U.S. business
    cycles: an empirical investigation. *Journal of Money, Credit and
    Banking* 29(1), 1-16 (the filter whose ``lambdas`` are varied).

    Ravn, M. O. and Uhlig, H. (2002). On adjusting the Hodrick-Prescott
    filter for the frequency of observations. *Review of Economics and
    Statistics* 84(2), 371-376 (``lamb=6.25`` for annual data).

    Examples
    --------
    >>> grid = club_sensitivity(panel, lambdas=(400,), hacs=("FQSB",))  # doctest: +SKIP
    """
    func = "club_sensitivity"
    grid = {"lambdas": lambdas, "conventions": conventions, "hacs": hacs, "merges": merges}
    for name, values in grid.items():
        if isinstance(values, (str, bytes)) or not np.iterable(values):
            raise ValidationError(
                f"{func}: {name} must be a list or tuple, e.g. {name}=({values!r},); got {values!r}"
            )
        if len(values) == 0:
            example = {
                "lambdas": (400.0,),
                "conventions": ("stata",),
                "hacs": ("FQSB",),
                "merges": ("PS",),
            }[name]
            raise ValidationError(
                f"{func}: {name} is empty, so the grid has no setting; give "
                f"at least one value (e.g. {name}={example})"
            )
    lambdas = [
        _v.check_number(x, "each of lambdas", lo=0, lo_open=True, func=func) for x in lambdas
    ]
    for c in conventions:
        _check_convention(c, func)
    for h in hacs:
        _v.check_choice(h, ("FQSB", "AQSB"), "each of hacs", func=func)
    for m in merges:
        _v.check_choice(m, ("PS", "vLT", None), "each of merges", func=func)
    rows = []
    for lamb in lambdas:
        trend = log_hp_trend(panel, value, lamb=lamb, unit=unit, start=start, end=end)
        for conv in conventions:
            for hac in hacs:
                for m in merges:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        r = find_clubs(trend, convention=conv, hac=hac, merge=m, lamb=lamb)
                    rows.append(
                        {
                            "lamb": lamb,
                            "convention": conv,
                            "hac": hac,
                            "merge": m or "none",
                            "n_initial_clubs": r.n_initial_clubs,
                            "n_clubs": r.n_clubs,
                            "n_divergent": r.n_divergent,
                            "sizes": "+".join(str(s) for s in r.clubs["n_units"]),
                            "whole_panel_t": r.whole_panel.t,
                        }
                    )
    return pd.DataFrame(rows)


def _membership(membership, func):
    """``ClubResult.membership``: unit ids in the first column, unique and
    present; ``club`` whole numbers (missing = divergent)."""
    _v.as_frame(membership, name="membership", func=func)
    if membership.shape[1] == 0:
        raise ValidationError(f"{func}: membership has no columns; pass ClubResult.membership")
    by = membership.columns[0]
    if "club" not in membership.columns:
        raise ValidationError(
            f"{func}: membership lacks column 'club'; it has "
            f"{list(membership.columns)}. Pass ClubResult.membership (unit "
            "ids in the first column, club numbers in 'club')"
        )
    membership = _v.require_columns(
        membership, {by: "any", "club": "integer"}, func=func, name="membership"
    )
    _v.handle_missing(membership, [by], keys=[by], func=func)
    _v.unique_keys(membership, [by], func=func)
    low = membership["club"] < 1
    if low.any():
        raise ValidationError(
            f"{func}: clubs are numbered from 1; {_v.describe_rows(membership, low, [by, 'club'])}"
        )
    return membership, by


def _unit_series(values, name, func):
    if not isinstance(values, pd.Series):
        raise ValidationError(
            f"{func}: {name} must be a pandas Series indexed by unit id, not "
            f"{type(values).__name__}"
        )
    if values.index.has_duplicates:
        dup = values.index[values.index.duplicated()].unique()
        raise ValidationError(
            f"{func}: {name} lists units {_v._fmt(dup)} more than once; one "
            "value per unit is needed"
        )
    return values


@renamed(groups="group")
def province_concentration(
    membership: pd.DataFrame, group: pd.Series, *, n_perm: int = 999, seed: int = 12345
) -> pd.Series:
    """Do districts of the same province share a club more than chance?

    The statistic is the share of clustered (non-divergent) districts that
    belong to their province's most common club. Its null distribution comes
    from shuffling club labels across districts (``n_perm`` times), which
    keeps the club sizes and the province sizes.

    Parameters
    ----------
    membership : DataFrame
        ``ClubResult.membership`` (first column the unit id, one row per
        unit; ``club``).
    group : Series
        Province (or any grouping) indexed by the unit id, one value per
        unit; every clustered unit must have one. Called ``groups`` before
        release 0.2 (``groups=`` still accepted until 0.3, with a
        deprecation warning).
    n_perm : int
        Permutations, at least 1 (the smallest possible p-value is
        ``1 / (1 + n_perm)``).
    seed : int
        Random seed.

    Returns
    -------
    Series
        ``observed`` (share), ``expected`` (mean under shuffling),
        ``p_value`` (one-sided, ``(1 + #perm >= observed) / (1 + n_perm)``),
        ``n_units``, ``n_groups``.

    Raises
    ------
    ValidationError
        Units without a group, a unit listed twice in ``membership`` or in
        ``group``, no ``club`` column, no clustered unit, a bad ``n_perm``
        or ``seed``.

    Notes
    -----
    The statistic is this package's own summary; only the test is standard:
    a Monte Carlo permutation test whose p-value counts the observed
    arrangement among the permutations, so it is never zero (Phipson and
    Smyth 2010).

    References
    ----------
    Phipson, B. and Smyth, G. K. (2010). Permutation p-values should
    never be zero: calculating exact p-values when permutations are
    randomly drawn. *Statistical Applications in Genetics and Molecular
    Biology* 9(1), article 39.

    Examples
    --------
    >>> m = pd.DataFrame({"id": list("abcdef"), "club": [1, 1, 1, 2, 2, 2]})
    >>> g = pd.Series(list("xxxyyy"), index=list("abcdef"))
    >>> float(province_concentration(m, g, n_perm=99)["observed"])
    1.0
    """
    func = "province_concentration"
    n_perm = _v.check_number(
        n_perm, "n_perm", lo=1, integer=True, hint="the number of permutations, e.g. 999", func=func
    )
    seed = _v.check_number(seed, "seed", lo=0, integer=True, func=func)
    membership, by = _membership(membership, func)
    groups = _unit_series(group, "group", func)
    m = membership.dropna(subset=["club"])
    _v.min_rows(m, 1, what="clustered (non-divergent) units", func=func)
    grp = m[by].map(groups)
    if grp.isna().any():
        raise ValidationError(
            f"{func}: {int(grp.isna().sum())} units have no group: "
            f"{_v._fmt(m.loc[grp.isna(), by])}; give every clustered unit a "
            "group"
        )
    g_codes = pd.factorize(grp)[0]
    clubs = m["club"].to_numpy().astype(int)

    def stat(c):
        tab = np.zeros((g_codes.max() + 1, c.max() + 1))
        np.add.at(tab, (g_codes, c), 1)
        return tab.max(axis=1).sum() / len(c)

    obs = stat(clubs)
    rng = np.random.default_rng(seed)
    perm = np.array([stat(rng.permutation(clubs)) for _ in range(n_perm)])
    return pd.Series(
        {
            "observed": float(obs),
            "expected": perm.mean(),
            "p_value": (1 + (perm >= obs).sum()) / (1 + n_perm),
            "n_units": len(clubs),
            "n_groups": int(g_codes.max() + 1),
        }
    )


def club_crosstab(
    membership: pd.DataFrame, labels: pd.Series, *, name: str = "group"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cross-tabulate clubs against a unit attribute, with tests.

    Parameters
    ----------
    membership : DataFrame
        ``ClubResult.membership`` (one row per unit); divergent units form
        the column ``"divergent"``.
    labels : Series
        The attribute (e.g. smart-city participant yes/no, secondary-city
        class) indexed by unit id, one value per unit. Units of
        ``membership`` not in ``labels`` raise; labels for units not in
        ``membership`` are ignored.
    name : str
        Name of the attribute (row index name).

    Returns
    -------
    (DataFrame, dict)
        Counts (rows: attribute values; columns: clubs 1..k then
        ``divergent``; margins ``total``), and tests on the clustered units:
        ``chi2``, ``dof``, ``p_chi2`` (Pearson chi-square of independence;
        ``min_expected`` is reported because small expected counts make it
        approximate) and, for a two-valued attribute, ``p_mannwhitney`` (do
        the two groups' club ranks differ? two-sided Mann-Whitney U) and
        ``mean_club`` per group (lower = richer club).

    Raises
    ------
    ValidationError
        Units without a label, a unit listed twice in ``membership`` or in
        ``labels``, no ``club`` column.

    Notes
    -----
    The tests are scipy's: ``scipy.stats.chi2_contingency``, Pearson's
    chi-square test of independence (Pearson 1900), with its default Yates
    (1934) continuity correction when the table has one degree of freedom
    (two values in two clubs), and ``scipy.stats.mannwhitneyu`` (Mann and
    Whitney 1947; two-sided, exact for small samples without ties, otherwise
    the normal approximation with continuity correction).

    References
    ----------
    Pearson, K. (1900). On the criterion that a given system of
    deviations from the probable in the case of a correlated system of
    variables is such that it can be reasonably supposed to have arisen
    from random sampling. *Philosophical Magazine* (5th series) 50(302),
    157-175.

    Yates, F. (1934). Contingency tables involving small numbers and
    the chi-square test. *Supplement to the Journal of the Royal
    Statistical Society* 1(2), 217-235.

    Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of
    two random variables is stochastically larger than the other. *Annals
    of Mathematical Statistics* 18(1), 50-60.

    Examples
    --------
    >>> m = pd.DataFrame({"id": list("abcd"), "club": [1, 1, 2, np.nan]})
    >>> flag = pd.Series(["yes", "no", "no", "no"], index=list("abcd"))
    >>> tab, tests = club_crosstab(m, flag, name="participant")
    >>> tab.loc["yes"].tolist()
    [1, 0, 0, 1]
    """
    from scipy import stats

    func = "club_crosstab"
    if not isinstance(name, str):
        raise ValidationError(f"{func}: name must be a string; got {name!r}")
    membership, by = _membership(membership, func)
    labels = _unit_series(labels, "labels", func)
    lab = membership[by].map(labels)
    if lab.isna().any():
        raise ValidationError(
            f"{func}: {int(lab.isna().sum())} units have no {name}: "
            f"{_v._fmt(membership.loc[lab.isna(), by])}; give every unit a "
            "value (e.g. an explicit 'unknown')"
        )
    club = membership["club"].map(lambda c: "divergent" if pd.isna(c) else int(c))
    tab = pd.crosstab(lab.rename(name), club.rename("club"))
    cols = sorted(c for c in tab.columns if c != "divergent")
    tab = tab[cols + (["divergent"] if "divergent" in tab.columns else [])]
    tab["total"] = tab.sum(axis=1)
    tab.loc["total"] = tab.sum(axis=0)
    clustered = tab.drop(index="total")[cols]
    tests: dict[str, Any] = {}
    if clustered.shape[0] > 1 and clustered.shape[1] > 1:
        chi2, p, dof, exp = stats.chi2_contingency(clustered.to_numpy())
        tests.update(chi2=float(chi2), dof=int(dof), p_chi2=float(p), min_expected=float(exp.min()))
    values = [v for v in tab.index if v != "total"]
    if len(values) == 2:
        ok = membership["club"].notna()
        a = membership.loc[ok & (lab == values[0]), "club"]
        b = membership.loc[ok & (lab == values[1]), "club"]
        if len(a) and len(b):
            tests["p_mannwhitney"] = float(stats.mannwhitneyu(a, b).pvalue)
            tests["mean_club"] = {values[0]: float(a.mean()), values[1]: float(b.mean())}
    return tab, tests
