"""Staggered difference-in-differences: Callaway and Sant'Anna (2021).

Terms
-----
cohort g
    The first period a unit is treated (here: the year a region signed the
    smart-city MoU), in the column named by ``cohort=``. Never-treated units
    have cohort 0 or missing. (Tables of results call it ``group``, as R
    ``did`` does.)
ATT(g, t)
    The average effect in period t on the units first treated in g, from a
    2x2 comparison of cohort g with a comparison group between a base period
    and t.
comparison group
    ``"nevertreated"``: units never treated in the data. ``"notyettreated"``:
    those plus the units not yet treated by period t (nor by the base
    period), excluding cohort g itself.
base period
    ``"varying"`` (R ``did``'s default): for post-treatment t the base is the
    last period before g - anticipation; for pre-treatment t it is t - 1, so
    pre-treatment ATT(g,t) are placebo tests of parallel trends between
    consecutive periods. ``"universal"``: always the last period before
    g - anticipation (its own ATT is 0 by construction and reported as such,
    with no standard error), so the pre-treatment estimates read like an
    event-study regression.
anticipation
    Number of periods before g in which units may already react; the base
    period moves back by that many periods.
covariates
    Conditional parallel trends: trends of treated and comparison units
    would have been parallel among units with the same covariates. As in R
    ``did``, covariates are time-invariant (measured before treatment); for
    panels they must not change within a unit. Estimators (``est_method``):
    ``"reg"`` outcome regression, ``"ipw"`` inverse probability weighting,
    ``"dr"`` doubly robust (Sant'Anna and Zhao 2020), for panels and
    repeated cross-sections (see :mod:`cityresearch._did_estimators`).
aggregations
    ``simple`` (post-treatment ATT(g,t) weighted by group size), ``group``
    (per cohort, averaged over its post periods), ``dynamic`` (by event time
    e = t - g, an event study) and ``calendar`` (by period), as in R
    ``did::aggte``; their standard errors include the estimation of the
    group-size weights.
inference
    Analytic standard errors come from the influence functions (clustered by
    unit for panels, by ``cluster`` if given: ``sqrt(sum_c S_c**2) / n`` with
    ``S_c`` the sum of a cluster's influence functions). The multiplier
    bootstrap (Mammen or Rademacher weights drawn per cluster, seeded) gives
    bootstrap standard errors (robust interquartile-range form, as R ``did``)
    and the critical value of uniform (simultaneous) confidence bands, which
    cover all ATT(g,t) (or all event times) at once with probability
    1 - alpha. The pre-test is the Wald statistic of the joint hypothesis that
    every pre-treatment ATT(g,t) is zero.

Validated against R ``did`` 2.5.0 (``att_gt`` and ``aggte``, analytic
standard errors) on every scenario of its published reference files
(tests/test_did.py). Unbalanced panels are refused with a named error: drop
the incomplete units, or pass ``panel_data=False`` to treat the rows as repeated
cross-sections. Nothing is dropped silently: units that cannot be used (a
cohort treated in the first period) are reported in a warning and in
:attr:`ATTResult.dropped`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from math import sqrt

import numpy as np
import pandas as pd
from scipy import stats

from cityresearch import _did_estimators as _est
from cityresearch import _validate as _v
from cityresearch._deprecate import renamed
from cityresearch._errors import (
    CityResearchWarning,
    DroppedRowsWarning,
    ValidationError,
    user_stacklevel,
)

__all__ = ["att_gt", "ATTResult", "Aggregation"]

_NORM_IQR = stats.norm.ppf(0.75) - stats.norm.ppf(0.25)


# ----------------------------------------------------------------- input contract
def _parse_covariates(covariates) -> list[str]:
    if covariates is None:
        return []
    if isinstance(covariates, str):
        text = covariates.strip()
        if text.startswith("~"):
            text = text[1:]
        terms = [t.strip() for t in text.split("+") if t.strip()]
        if terms == ["1"]:
            return []
        bad = [t for t in terms if not t.replace("_", "").replace(".", "").isalnum()]
        if bad:
            raise ValidationError(
                f"covariate terms {bad} are not plain column names; create the variables as "
                "columns first (e.g. a log or a dummy) and list them: covariates=['a', 'b']"
            )
        return [t for t in terms if t != "1"]
    return list(covariates)


def _numeric(df: pd.DataFrame, col: str, role: str) -> np.ndarray:
    s = df[col]
    if s.dtype == bool:
        return s.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(s):
        conv = pd.to_numeric(s, errors="coerce")
        bad = s[conv.isna() & s.notna()]
        if len(bad):
            raise ValidationError(
                f"{role} column {col!r} must be numeric; found non-numeric values such as "
                f"{bad.iloc[:3].tolist()} (rows {bad.index[:3].tolist()})"
            )
        s = conv
    return s.to_numpy(dtype=float)


def _py(v):
    """A numpy scalar as the plain Python value (for readable messages)."""
    return v.item() if hasattr(v, "item") else v


def _clean_groups(g: np.ndarray, col: str, last_period: float) -> np.ndarray:
    """Cohort codes: missing -> 0 (never treated); Inf, negatives and 9999-style codes refused."""
    g = g.copy()
    g[np.isnan(g)] = 0.0
    finite = np.isfinite(g)
    nines = (
        finite
        & (g > last_period)
        & np.array(
            [str(int(v)).strip("9") == "" if v >= 99 else False for v in np.where(finite, g, 0)],
            dtype=bool,
        )
    )
    bad = ~finite | (g < 0) | nines
    if bad.any():
        vals = sorted(set(g[bad].tolist()))
        raise ValidationError(
            f"cohort column {col!r} holds codes {vals[:5]}: code never-treated units as 0 or "
            "missing (not Inf, 9999 or -1); other values must be the first treatment period"
        )
    if (g != np.round(g)).any():
        raise ValidationError(
            f"cohort column {col!r} must hold whole periods; found "
            f"{sorted(set(g[g != np.round(g)].tolist()))[:5]}"
        )
    return g


@dataclass
class _Data:
    y: np.ndarray  # panel: n x T outcomes; rc: rows
    g: np.ndarray  # cohort per unit (panel) or per row (rc)
    w: np.ndarray
    x: np.ndarray  # n x k with intercept
    cluster: np.ndarray  # cluster code per unit / row
    periods: np.ndarray
    t_row: np.ndarray | None  # rc only: period index per row
    units: np.ndarray


def _prepare(df, *, y, cohort, time, unit, covariates, weights, cluster, panel, missing):
    cols = [c for c in (y, cohort, time, unit, weights, cluster) if c is not None] + covariates
    kinds = {c: "any" for c in cols}
    kinds.update({y: "numeric", cohort: "numeric", time: "integer"})
    kinds.update({c: "numeric" for c in covariates})
    if weights:
        kinds[weights] = "numeric"
    gcol = df[cohort] if isinstance(df, pd.DataFrame) and cohort in df.columns else None
    if (
        isinstance(gcol, pd.Series)
        and pd.api.types.is_numeric_dtype(gcol)
        and not pd.api.types.is_bool_dtype(gcol)
    ):
        _clean_groups(gcol.to_numpy(dtype=float), cohort, np.inf)  # Inf as "never": own message
    df = _v.require_columns(df, kinds, func="att_gt", name="panel")
    _v.min_rows(df, 1, func="att_gt")
    d = df[list(dict.fromkeys(cols))].copy()
    dropped = []
    need = [c for c in (y, time, unit, weights, cluster) if c is not None] + covariates
    keys = [k for k in (unit, time) if k is not None]
    d, gone = _v.handle_missing(d, need, missing=missing, keys=keys, func="att_gt", stacklevel=5)
    if len(gone):
        bad_cols = [c for c in need if gone[c].isna().any()]
        if panel:
            drop_units = gone[unit].unique()
            rest = d[d[unit].isin(drop_units)]
            if len(rest):
                warnings.warn(
                    f"att_gt: also dropped the other {len(rest)} rows of the "
                    f"{len(drop_units)} unit(s) with missing values (a balanced panel "
                    "needs every period of a unit)",
                    DroppedRowsWarning,
                    stacklevel=user_stacklevel(),
                )
            dropped.append(pd.DataFrame({"unit": drop_units, "reason": f"missing {bad_cols}"}))
            d = d[~d[unit].isin(drop_units)]
        else:
            dropped.append(pd.DataFrame({"row": gone.index, "reason": f"missing {bad_cols}"}))
    t = _numeric(d, time, "time")
    if (t != np.round(t)).any():
        raise ValidationError(
            f"time column {time!r} must hold whole-number periods (e.g. years); "
            f"found {sorted(set(t[t != np.round(t)].tolist()))[:5]}"
        )
    yy = _numeric(d, y, "outcome")
    g = _clean_groups(_numeric(d, cohort, "cohort"), cohort, float(np.max(t)))
    w = _numeric(d, weights, "weights") if weights else np.ones(len(d))
    if weights and ((w < 0).any() or not np.isfinite(w).all()):
        raise ValidationError(
            f"weights column {weights!r} has negative or non-finite values "
            f"(rows {d.index[(w < 0) | ~np.isfinite(w)][:5].tolist()})"
        )
    if weights and not (w > 0).any():
        raise ValidationError(
            f"weights column {weights!r} is zero in all {len(w)} rows; "
            "sampling weights must be positive for some units (check the "
            "column, or leave weights=None for equal weights)"
        )
    if cluster:
        levels = pd.unique(d[cluster])
        if len(levels) < 2:
            raise ValidationError(
                f"att_gt: cluster column {cluster!r} has a single value "
                f"({_py(levels[0]) if len(levels) else 'none'!r}) for every "
                f"{'unit' if panel else 'row'}; clustered standard errors need at least 2 "
                "clusters (and few clusters give unreliable ones). Pass a finer cluster "
                "column, or cluster=None (panels are clustered by unit)"
            )
    X = np.column_stack([np.ones(len(d))] + [_numeric(d, c, "covariate") for c in covariates])
    if not np.isfinite(yy).all():
        raise ValidationError(
            f"outcome column {y!r} has infinite values "
            f"(rows {d.index[~np.isfinite(yy)][:5].tolist()})"
        )
    periods = np.sort(np.unique(t))
    if len(periods) < 2:
        raise ValidationError(
            f"time column {time!r} has {len(periods)} period(s); at least two are needed"
        )
    cl = d[cluster].to_numpy() if cluster else None
    if not panel:
        units = np.arange(len(d)) if unit is None else d[unit].to_numpy()
        tidx = np.searchsorted(periods, t)
        clc = pd.factorize(cl)[0] if cluster else np.arange(len(d))
        return _Data(yy, g, w, X, clc, periods, tidx, units), dropped
    # panel: one row per unit and period, time-invariant cohort, covariates, weights, cluster
    _v.unique_keys(d, [unit, time], func="att_gt")
    codes, uniq = pd.factorize(d[unit], sort=True)
    n, T = len(uniq), len(periods)
    tidx = np.searchsorted(periods, t)
    if len(d) != n * T:
        counts = np.bincount(codes, minlength=n)
        short = [_py(v) for v in uniq[counts < T][:5]]
        raise ValidationError(
            f"the panel is unbalanced: {int((counts < T).sum())} {unit} value(s) such as {short} "
            f"lack some of the {T} periods. Keep only units observed in every period, or pass "
            "panel_data=False to estimate with repeated cross-sections (units then count as "
            "independent observations per period); R's allow_unbalanced_panel is not implemented"
        )

    def per_unit(vals, name, what):
        s = pd.Series(vals).groupby(codes)
        lo, hi = s.min().to_numpy(), s.max().to_numpy()
        diff = ~((lo == hi) | (np.isnan(lo) & np.isnan(hi)))
        if diff.any():
            u = _py(uniq[np.flatnonzero(diff)[0]])
            raise ValidationError(
                f"{what} column {name!r} changes within {unit} {u!r} "
                f"({int(diff.sum())} units); {what} must be constant per unit"
            )
        return lo

    gu = per_unit(g, cohort, "cohort")
    if weights:
        W = np.full((n, T), np.nan)
        W[codes, tidx] = w
        wu = W if (W != W[:, :1]).any() else W[:, 0]
    else:
        wu = np.ones(n)
    xu = np.column_stack(
        [np.ones(n)]
        + [per_unit(X[:, j + 1], c, "time-invariant covariate") for j, c in enumerate(covariates)]
    )
    if cluster:
        cu = per_unit(pd.factorize(cl)[0].astype(float), cluster, "cluster")
        cu = cu.astype(int)
    else:
        cu = np.arange(n)
    Y = np.full((n, T), np.nan)
    Y[codes, tidx] = yy
    return _Data(Y, gu, wu, xu, cu, periods, None, np.asarray(uniq)), dropped


# ------------------------------------------------------------------ the estimator
@renamed(group="cohort")
def att_gt(
    panel: pd.DataFrame,
    *,
    y: str,
    cohort: str,
    time: str,
    unit: str | None,
    covariates: list[str] | str | None = None,
    est_method: str = "dr",
    control_group: str = "nevertreated",
    base_period: str = "varying",
    anticipation: int = 0,
    weights: str | None = None,
    cluster: str | None = None,
    panel_data: bool = True,
    fix_weights: str | None = None,
    missing: str = "raise",
    n_boot: int | None = None,
    multiplier: str = "mammen",
    seed: int | None = None,
    alpha: float = 0.05,
    **kwargs,
) -> ATTResult:
    """Estimate group-time average treatment effects (Callaway and Sant'Anna 2021).

    Parameters
    ----------
    panel : DataFrame
        Long data: one row per unit and period (balanced panel), or one row
        per observation for repeated cross-sections (``panel_data=False``).
    y : str
        Outcome column (e.g. log GRDP per capita).
    cohort : str
        Column with the first treatment period of the unit (its cohort), in
        the units of ``time``; 0 or missing for never-treated units. Other
        codes for "never" (Inf, 9999, -1) are refused. Called ``group=``
        before release 0.2 (still accepted, with a
        :class:`~cityresearch._errors.CityResearchDeprecationWarning`, until 0.3).
    time : str
        Period column (integers, e.g. years).
    unit : str or None
        Unit identifier (required for panels; ignored for repeated
        cross-sections).
    covariates : list of str or str, optional
        Pre-treatment covariates for conditional parallel trends, as column
        names or an R-style formula of plain columns (``"~ ln_pop + kota"``).
        Constant within unit for panels.
    est_method : {"dr", "ipw", "reg"}
        Doubly robust, inverse probability weighting or outcome regression.
    control_group : {"nevertreated", "notyettreated"}
        Comparison group.
    base_period : {"varying", "universal"}
        See the module docstring.
    anticipation : int
        Periods of anticipation (>= 0).
    weights : str, optional
        Sampling-weight column (non-negative). For panels whose weights change
        over time, ``fix_weights`` says which period's weights a cell uses.
    fix_weights : {None, "base_period", "first_period", "varying"}
        Panels with time-varying weights: None (R ``did`` 2.5.0's behaviour)
        uses each ATT(g,t)'s base period, ``"base_period"`` the cohort's last
        pre-treatment period for all its cells, ``"first_period"`` the first
        period. ``"varying"`` (as R ``did``) weights each unit's base-period
        outcome by its base-period weight and its period-t outcome by its
        period-t weight: the cell is estimated as a repeated cross-section of
        the 2m unit-period observations (``est_method``'s repeated
        cross-section estimator), with standard errors still clustered by
        unit. Aggregation weights use first-period weights.
    cluster : str, optional
        Cluster column for standard errors (constant within unit for panels;
        panels are always clustered at least by unit).
    panel_data : bool
        False for repeated cross-sections.
    missing : {"raise", "drop"}
        Missing outcome, covariate, weight or cluster values: raise, or drop
        (panels: the whole unit), reported as a warning and in ``dropped``.
    n_boot : int, optional
        Number of multiplier-bootstrap draws. If given, standard errors are
        the bootstrap ones and uniform bands are available; otherwise
        analytic.
    multiplier : {"mammen", "rademacher"}
        Bootstrap multiplier weights.
    seed : int, optional
        Seed of the bootstrap (results are reproducible with the same seed).
    alpha : float
        1 - confidence level of the intervals and bands.
    **kwargs
        None is accepted: an unknown keyword (e.g. R's ``xformla``) raises a
        :class:`~cityresearch._errors.ValidationError` naming it, rather than
        a bare ``TypeError``.

    Returns
    -------
    ATTResult
        ``attgt`` table, aggregations (:meth:`ATTResult.aggte`), pre-test
        (:attr:`ATTResult.pretest`), :meth:`~ATTResult.tidy`,
        :meth:`~ATTResult.summary`, :meth:`~ATTResult.plot`.

    Raises
    ------
    ValidationError
        Missing columns, non-numeric values, never-treated coded as Inf/9999/-1,
        a cohort, covariate or weight that changes within a unit, duplicate
        unit-periods, an unbalanced panel, missing values (with
        ``missing="raise"``), no never-treated units with
        ``control_group="nevertreated"``, no cohort with a pre-treatment
        period, collinear covariates, misspelled options.

    Warns
    -----
    CityResearchWarning
        Cohorts treated after the last period (counted as never treated),
        periods missing for every unit, cells without treated or comparison
        observations, trimmed propensity scores; each also in ``notes``.
    DroppedRowsWarning
        Units or rows left out (also in ``dropped``).

    References
    ----------
    .. [1] Callaway, B. and Sant'Anna, P. H. C. (2021). Difference-in-differences
       with multiple time periods. *Journal of Econometrics* 225(2), 200-230.
       doi:10.1016/j.jeconom.2020.12.001
    .. [2] Sant'Anna, P. H. C. and Zhao, J. (2020). Doubly robust
       difference-in-differences estimators. *Journal of Econometrics* 219(1),
       101-122. doi:10.1016/j.jeconom.2020.06.003
    .. [3] Callaway, B. and Sant'Anna, P. H. C. did: Difference in
       Differences. R package version 2.5.0 (the reference implementation
       the tests compare with).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(i, t, g, 0.5 * t + (2.0 if g and t >= g else 0.0))
    ...         for i, g in enumerate([0, 0, 3, 3]) for t in (1, 2, 3, 4)]
    >>> p = pd.DataFrame(rows, columns=["id", "year", "g", "y"])
    >>> r = att_gt(p, y="y", cohort="g", time="year", unit="id")
    >>> r.attgt[["group", "t", "att"]].round(6).to_string(index=False)
    ' group  t  att\\n     3  2  0.0\\n     3  3  2.0\\n     3  4  2.0'
    """
    if kwargs:
        raise ValidationError(
            f"att_gt: unknown arguments {sorted(kwargs)}; see help(att_gt) for the "
            "options (covariates=, control_group=, panel_data=, ...)"
        )
    for name, val, allowed in (
        ("est_method", est_method, ("dr", "ipw", "reg")),
        ("control_group", control_group, ("nevertreated", "notyettreated")),
        ("base_period", base_period, ("varying", "universal")),
        ("multiplier", multiplier, ("mammen", "rademacher")),
        ("fix_weights", fix_weights, (None, "base_period", "first_period", "varying")),
        ("missing", missing, _v.MISSING_POLICIES),
    ):
        _v.check_choice(val, allowed, name, func="att_gt")
    anticipation = _v.check_number(anticipation, "anticipation", lo=0, integer=True, func="att_gt")
    alpha = _v.check_number(
        alpha,
        "alpha",
        lo=0,
        hi=1,
        lo_open=True,
        hi_open=True,
        hint="a probability such as 0.05",
        func="att_gt",
    )
    if n_boot is not None:
        n_boot = _v.check_number(
            n_boot,
            "n_boot",
            lo=2,
            integer=True,
            hint="the number of bootstrap draws, e.g. 999",
            func="att_gt",
        )
    if panel_data and unit is None:
        raise ValidationError("unit= is required for panel data (or pass panel_data=False)")
    _v.as_frame(panel, name="panel", func="att_gt")
    covs = _parse_covariates(covariates)
    dat, dropped = _prepare(
        panel,
        y=y,
        cohort=cohort,
        time=time,
        unit=unit if panel_data else None,
        covariates=covs,
        weights=weights,
        cluster=cluster,
        panel=panel_data,
        missing=missing,
    )
    notes: list[str] = []
    periods = dat.periods
    g = dat.g
    g_found = sorted(set(g.tolist()))
    # cohorts first treated after the last period are never treated in the data (as R did)
    late = g > periods[-1]
    if late.any():
        notes.append(
            f"{int(late.sum())} {'units' if panel_data else 'rows'} of cohorts "
            f"{sorted(set(g[late].tolist()))} (treated after the last period "
            f"{periods[-1]:g}) count as never treated"
        )
        g = np.where(late, 0.0, g)
    # cohorts treated in the first period have no pre-period: dropped (as R did)
    early = (g > 0) & (g <= periods[0])
    if early.any():
        ids = dat.units[early]
        notes.append(
            f"dropped {int(early.sum())} {'units' if panel_data else 'rows'} of cohorts "
            f"{sorted(set(g[early].tolist()))}, treated in or before the first period "
            f"{periods[0]:g} (no pre-treatment period)"
        )
        dropped.append(
            pd.DataFrame(
                {
                    "unit" if panel_data else "row": ids,
                    "reason": "treated in or before the first period",
                }
            )
        )
        keep = ~early
        dat = _Data(
            dat.y[keep],
            g[keep],
            dat.w[keep],
            dat.x[keep],
            dat.cluster[keep],
            periods,
            dat.t_row[keep] if dat.t_row is not None else None,
            dat.units[keep],
        )
        g = dat.g
    glist = np.sort(np.unique(g[g > 0]))
    step = np.min(np.diff(periods))
    gaps = [p for p in np.arange(periods[0], periods[-1], step) if not np.isclose(periods, p).any()]
    if gaps:
        notes.append(
            f"periods {[_num(p) for p in gaps]} are missing for every unit: ATT(g,t) "
            "compare the nearest observed periods (a cohort's base period is the last "
            "observed period before its treatment; see attgt['base'])"
        )
    bad_g = [_num(gg) for gg in glist if not np.isclose(periods, gg).any()]
    if bad_g:
        notes.append(
            f"cohorts {bad_g} start in a period with no data; their first effect is "
            "estimated at the next observed period"
        )
    if len(glist) == 0:
        shown = ", ".join(str(_num(v)) for v in g_found[:10])
        hint = ""
        if all(0 <= v <= periods[0] for v in g_found):
            hint = (
                f"; {cohort!r} looks like a treatment dummy or a cohort number, not a period. "
                f"{cohort!r} must hold each unit's FIRST TREATMENT PERIOD in the units of "
                f"{time!r} (e.g. {_num(periods[len(periods) // 2])}), and 0 (or missing) "
                "for never-treated units"
            )
        raise ValidationError(
            f"no treated cohort in column {cohort!r} with a pre-treatment period: its values are "
            f"{shown} and the periods of {time!r} run {_num(periods[0])}-{_num(periods[-1])} "
            f"(a cohort needs a period before its first treatment period){hint}"
        )
    if not (g == 0).any():
        if control_group == "nevertreated":
            raise ValidationError(
                f"no never-treated units (cohort 0 or missing in {cohort!r}): the comparison "
                "group is empty; use control_group='notyettreated'"
            )
        raise ValidationError(
            "no never-treated units: with not-yet-treated controls, restrict the data to "
            "periods before the last cohort is treated and code that cohort as never treated "
            "(as R did does)"
        )
    for msg in notes:
        warnings.warn(
            f"att_gt: {msg}",
            DroppedRowsWarning if msg.startswith("dropped") else CityResearchWarning,
            stacklevel=user_stacklevel(),
        )
    res = _estimate(
        dat,
        g,
        glist,
        est_method=est_method,
        control_group=control_group,
        base_period=base_period,
        anticipation=int(anticipation),
        panel=panel_data,
        fix_weights=fix_weights,
        notes=notes,
    )
    attgt, inf, trimmed = res
    n = len(g)
    w_unit = dat.w if dat.w.ndim == 1 else dat.w[:, 0]
    out = ATTResult(
        attgt=attgt,
        n=n,
        _inf=inf,
        _groups=g,
        _weights=w_unit,
        _clusters=dat.cluster,
        est_method=est_method,
        control_group=control_group,
        base_period=base_period,
        anticipation=int(anticipation),
        covariates=covs,
        panel=panel_data,
        dropped=pd.concat(dropped, ignore_index=True)
        if dropped
        else pd.DataFrame(columns=["unit", "reason"]),
        notes=notes,
        alpha=alpha,
        _unit_ids=dat.units,
    )
    if trimmed:
        msg = (
            f"{trimmed} comparison observations with propensity score >= {_est.TRIM} got weight 0 "
            "(as R DRDID); see result.attgt['n_trimmed']"
        )
        out.notes.append(msg)
        warnings.warn(f"att_gt: {msg}", CityResearchWarning, stacklevel=user_stacklevel())
    if n_boot is not None:
        out = out.bootstrap(n_boot, multiplier=multiplier, seed=seed)
    return out


def _last_pre(periods, g, anticipation):
    idx = np.flatnonzero(periods + anticipation < g)
    return int(idx[-1]) if len(idx) else None


def _cell_weights(w, idx, cur, pret, gbase, fix_weights):
    """Sampling weights of a cell's observations (time-varying weights: see ``fix_weights``)."""
    if w.ndim == 1:
        return w[idx]
    if fix_weights is None:
        return w[idx, pret]
    if fix_weights == "first_period":
        return w[idx, 0]
    if fix_weights == "base_period":
        return w[idx, gbase]
    raise ValidationError(
        f"fix_weights must be None, 'base_period', 'first_period' or 'varying', not {fix_weights!r}"
    )


def _varying_cell(fn_rc, dat, idx, cur, pret, dsub):
    """One panel cell with ``fix_weights="varying"`` (as R ``did``).

    The cell's units enter as a stack of 2m observations, each unit once in the
    base period and once in period t with that period's weight and outcome
    level, and the repeated cross-section estimator ``fn_rc`` is applied. Its
    influence function is per observation, normalised over the 2m rows
    (``att - ATT ~ sum(inf) / 2m``); a unit's influence function, normalised over
    the m units, is therefore the mean of its two rows' (``sum / m``), so the
    standard errors stay clustered by unit.
    """
    m = len(idx)
    w = dat.w[idx] if dat.w.ndim == 1 else None
    w_pre, w_cur = (w, w) if w is not None else (dat.w[idx, pret], dat.w[idx, cur])
    y = np.concatenate([dat.y[idx, pret], dat.y[idx, cur]])
    post = np.concatenate([np.zeros(m), np.ones(m)])
    att, inf_rows, ntrim = fn_rc(
        y,
        post,
        np.concatenate([dsub, dsub]),
        np.vstack([dat.x[idx], dat.x[idx]]),
        np.concatenate([w_pre, w_cur]),
    )
    return att, 0.5 * (inf_rows[:m] + inf_rows[m:]), ntrim


def _estimate(
    dat: _Data,
    g,
    glist,
    *,
    est_method,
    control_group,
    base_period,
    anticipation,
    panel,
    fix_weights=None,
    notes=None,
):
    notes = [] if notes is None else notes
    periods = dat.periods
    T = len(periods)
    n = len(g)
    universal = base_period == "universal"
    tfac = 0 if universal else 1
    fn: Callable[..., tuple[float, np.ndarray, int]] = (_est.PANEL if panel else _est.RC)[
        est_method
    ]
    rows, infs = [], []
    trimmed_total = 0
    ps_cache: dict = {}
    for gg in glist:
        G = g == gg
        for ti in range(T - tfac):
            cur = ti + tfac
            pret = ti
            if universal:
                pret = _last_pre(periods, gg, anticipation)
                if pret is None:
                    break
            if control_group == "notyettreated":
                C = (g == 0) | ((g > periods[max(ti, pret) + tfac] + anticipation) & ~G)
            else:
                C = g == 0
            post = gg <= periods[cur]
            if post:
                pret = _last_pre(periods, gg, anticipation)
                if pret is None:
                    msg = (
                        f"cohort {gg:g} has no pre-treatment period (anticipation "
                        f"{anticipation}); no ATT(g,t) for it"
                    )
                    notes.append(msg)
                    warnings.warn(
                        f"att_gt: {msg}", CityResearchWarning, stacklevel=user_stacklevel()
                    )
                    break
            row = {
                "group": _num(gg),
                "t": _num(periods[cur]),
                "base": _num(periods[pret]),
                "post": bool(post),
                "n_group": int(G.sum()),
                "n_control": int(C.sum()),
            }
            inf = np.zeros(n)
            if universal and pret == cur:
                rows.append({**row, "att": 0.0, "n_trimmed": 0})
                infs.append(inf)
                continue
            args: tuple[np.ndarray, ...]
            if panel:
                idx = np.flatnonzero(G | C)
                dy = dat.y[idx, cur] - dat.y[idx, pret]
                args = (dy,)
            else:
                assert dat.t_row is not None  # repeated cross-sections carry a period per row
                inper = (dat.t_row == cur) | (dat.t_row == pret)
                idx = np.flatnonzero(inper & (G | C))
                post_rc = (dat.t_row[idx] == cur).astype(float)
                args = (dat.y[idx], post_rc)
            dsub = G[idx].astype(float)
            ok = dsub.sum() > 0 and (1 - dsub).sum() > 0
            if not panel:
                pp = post_rc
                ok = ok and all(((dsub == a) & (pp == b)).any() for a in (0, 1) for b in (0, 1))
            if not ok:
                msg = (
                    f"ATT({gg:g},{periods[cur]:g}): no treated or no comparison "
                    "observations; reported as missing"
                )
                notes.append(msg)
                warnings.warn(f"att_gt: {msg}", CityResearchWarning, stacklevel=user_stacklevel())
                rows.append({**row, "att": np.nan, "n_trimmed": 0})
                infs.append(np.full(n, np.nan))
                continue
            try:
                if panel and fix_weights == "varying":
                    att, inf_sub, ntrim = _varying_cell(
                        _est.RC[est_method], dat, idx, cur, pret, dsub
                    )
                else:
                    cache = None
                    if panel and dat.w.ndim == 1:  # same units and weights: same propensity score
                        cache = ps_cache.setdefault((gg, idx.tobytes()), {})
                    att, inf_sub, ntrim = fn(
                        *args,
                        dsub,
                        dat.x[idx],
                        _cell_weights(
                            dat.w, idx, cur, pret, _last_pre(periods, gg, anticipation), fix_weights
                        ),
                        cache=cache,
                    )
            except _est.SingularDesignError as e:
                raise ValidationError(
                    f"ATT({gg:g},{periods[cur]:g}): {e}; drop or combine "
                    "covariates (a dummy may be constant within the cohort "
                    "or the comparison group)"
                ) from None
            trimmed_total += ntrim
            # the cell's influence function, rescaled to all n units (rows for
            # repeated cross-sections) as in R did: units outside the cell get 0
            inf[idx] = (n / len(idx)) * inf_sub
            rows.append({**row, "att": float(att), "n_trimmed": ntrim})
            infs.append(inf)
    if not rows:
        raise ValidationError(
            "no ATT(g,t) could be estimated: no cohort has a pre-treatment period"
        )
    attgt = pd.DataFrame(rows)
    inf = np.column_stack(infs)
    return attgt, inf, trimmed_total


def _num(v):
    v = float(v)
    return int(v) if v == int(v) else v


# ----------------------------------------------------------------- inference helpers
def _cluster_sums(inf: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    if len(np.unique(clusters)) == len(clusters):
        return inf
    out = np.zeros((clusters.max() + 1, inf.shape[1]))
    np.add.at(out, clusters, inf)
    return out


def _analytic_se(inf: np.ndarray, clusters: np.ndarray, n: int) -> np.ndarray:
    s = _cluster_sums(np.nan_to_num(inf), clusters)
    se = np.sqrt(np.sum(s**2, axis=0)) / n
    se = np.where(se <= sqrt(np.finfo(float).eps) * 10, np.nan, se)
    return np.where(np.isnan(inf).any(axis=0), np.nan, se)


def _draws(n_clusters: int, n_boot: int, multiplier: str, seed) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if multiplier == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(n_boot, n_clusters))
    s5 = sqrt(5)
    lo, hi = (1 - s5) / 2, (1 + s5) / 2
    return np.where(rng.random((n_boot, n_clusters)) < (s5 + 1) / (2 * s5), lo, hi)


def _bootstrap(inf, clusters, n, n_boot, multiplier, seed, alpha):
    """Bootstrap draws of the estimates' deviations, robust SEs and the uniform critical value."""
    s = _cluster_sums(np.nan_to_num(inf), clusters)
    v = _draws(s.shape[0], n_boot, multiplier, seed)
    dev = v @ s / n  # n_boot x K
    q75, q25 = np.quantile(dev, [0.75, 0.25], axis=0, method="inverted_cdf")
    se = (q75 - q25) / _NORM_IQR
    bad = (se <= sqrt(np.finfo(float).eps) * 10) | np.isnan(inf).any(axis=0)
    se = np.where(bad, np.nan, se)
    ok = ~bad
    if ok.any():
        tmax = np.max(np.abs(dev[:, ok] / se[ok]), axis=1)
        crit = float(np.quantile(tmax, 1 - alpha, method="inverted_cdf"))
    else:
        crit = np.nan
    return se, crit


@dataclass
class Pretest:
    """Wald pre-test of parallel trends: all pre-treatment ATT(g,t) are zero.

    Attributes
    ----------
    statistic : float
        Wald statistic (chi-squared with ``df`` degrees of freedom under the null).
    df : int
        Number of pre-treatment ATT(g,t) tested.
    pvalue : float
    """

    statistic: float
    df: int
    pvalue: float


@dataclass(repr=False)
class Aggregation:
    """An aggregation of ATT(g,t) (R ``did::aggte``), made by :meth:`ATTResult.aggte`.

    Effects are in the units of the outcome (log points for a log outcome).
    ``tidy()`` returns the table with the overall effect last, ``summary()``
    the text a reader sees (also the ``repr``).

    Parameters
    ----------
    kind : str
        ``simple``, ``group``, ``dynamic`` or ``calendar``.
    overall_att : float
        The overall effect (for ``dynamic``: average over event times >= 0;
        ``group``: group-size weighted average over cohorts; ``calendar``:
        average over periods; ``simple``: group-size weighted average of the
        post-treatment ATT(g,t)).
    overall_se : float
        Its standard error (analytic, or bootstrap if the fit was bootstrapped).
    table : DataFrame
        One row per cohort / event time / period (empty for ``simple``):
        ``egt``, ``att``, ``se``, pointwise ``conf_low``/``conf_high`` and, if
        bootstrapped, uniform ``band_low``/``band_high``.
    crit : float
        Critical value of the uniform band over ``table`` rows (NaN without
        bootstrap).
    alpha : float
        1 - confidence level of the intervals and bands.
    bootstrap : bool
        True if standard errors and bands come from the multiplier bootstrap.
    _inf : ndarray, optional
        Influence function of the overall effect, one value per unit
        (internal: used by :meth:`difference`).
    _clusters : ndarray, optional
        Cluster code per unit (internal).
    _units : ndarray, optional
        Unit ids in the order of ``_inf`` (internal).

    See Also
    --------
    ATTResult.aggte : Computes it.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(i, t, g, 0.5 * t + (2.0 if g and t >= g else 0.0) + 0.1 * (i % 2))
    ...         for i, g in enumerate([0, 0, 0, 3, 3, 3]) for t in (1, 2, 3, 4)]
    >>> p = pd.DataFrame(rows, columns=["id", "year", "g", "y"])
    >>> agg = att_gt(p, y="y", cohort="g", time="year", unit="id").aggte("dynamic")
    >>> agg.tidy()["term"].tolist(), agg.tidy()["estimate"].round(6).tolist()
    (['ATT(-1)', 'ATT(0)', 'ATT(1)', 'overall'], [0.0, 2.0, 2.0, 2.0])
    """

    kind: str
    overall_att: float
    overall_se: float
    table: pd.DataFrame
    crit: float
    alpha: float
    bootstrap: bool
    _inf: np.ndarray | None = field(default=None, repr=False)  # influence function of overall
    _clusters: np.ndarray | None = field(default=None, repr=False)
    _units: np.ndarray | None = field(default=None, repr=False)

    def difference(self, other: Aggregation) -> tuple[float, float]:
        """Difference of two overall effects estimated on the same units, and its standard error.

        The standard error comes from the difference of the two influence
        functions (analytic, clustered as the estimates), so it accounts for
        both estimates using the same data. Typical use: conditional minus
        unconditional parallel trends.

        Parameters
        ----------
        other : Aggregation
            An aggregation of a fit on the same units (same order) and clusters.

        Returns
        -------
        (float, float)
            ``self.overall_att - other.overall_att`` and its standard error.

        Raises
        ------
        ValidationError
            The two fits do not use the same units.
        """
        if (
            self._units is None
            or other._units is None
            or self._inf is None
            or other._inf is None
            or self._clusters is None
            or other._clusters is None
            or len(self._units) != len(other._units)
            or not np.array_equal(self._units, other._units)
            or not np.array_equal(self._clusters, other._clusters)
        ):
            raise ValidationError(
                "the two aggregations come from fits on different units or "
                "clusters; the difference's standard error needs the same units"
            )
        d = self._inf - other._inf
        se = float(_analytic_se(d[:, None], self._clusters, len(d))[0])
        return self.overall_att - other.overall_att, se

    def to_frame(self) -> pd.DataFrame:
        """Return the table with a final ``overall`` row.

        Returns
        -------
        DataFrame
            Columns ``egt`` (cohort, event time or period; ``"overall"`` in
            the last row), ``att``, ``se``.
        """
        rows = self.table[["egt", "att", "se"]].astype(object)
        over = pd.DataFrame([{"egt": "overall", "att": self.overall_att, "se": self.overall_se}])
        out = pd.concat([rows, over], ignore_index=True) if len(rows) else over
        out["att"] = out["att"].astype(float)
        out["se"] = out["se"].astype(float)
        return out

    def tidy(self) -> pd.DataFrame:
        """Return one row per estimate, the overall effect last (the schema of
        :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"ATT(e)"`` for the row's cohort, event time or period
            ``e``; ``"overall"`` last), ``estimate``, ``std_error`` (outcome's
            unit), pointwise ``conf_low``/``conf_high``, ``conf_level``
            (0-1), the row's ``event_time`` (``dynamic``), ``cohort``
            (``group``) or ``time`` (``calendar``; missing in the overall
            row) and, with the bootstrap, uniform ``band_low``/``band_high``
            (missing in the overall row).
        """
        z = stats.norm.ppf(1 - self.alpha / 2)
        key = {"dynamic": "event_time", "group": "cohort", "calendar": "time"}.get(self.kind)
        tab = self.table
        rows = pd.DataFrame(
            {
                "term": [f"ATT({e})" for e in tab["egt"]],
                "estimate": tab["att"].to_numpy(dtype=float),
                "std_error": tab["se"].to_numpy(dtype=float),
                "conf_low": tab["conf_low"].to_numpy(dtype=float),
                "conf_high": tab["conf_high"].to_numpy(dtype=float),
            }
        )
        over = pd.DataFrame(
            {
                "term": ["overall"],
                "estimate": [self.overall_att],
                "std_error": [self.overall_se],
                "conf_low": [self.overall_att - z * self.overall_se],
                "conf_high": [self.overall_att + z * self.overall_se],
            }
        )
        out = pd.concat([rows, over], ignore_index=True) if len(rows) else over
        out["conf_level"] = 1 - self.alpha
        if key is not None:
            out[key] = pd.Series(list(tab["egt"]), dtype=object)
        for col in ("band_low", "band_high"):
            if col in tab:
                out[col] = pd.Series(tab[col].to_numpy(dtype=float))
        return out

    def summary(self) -> str:
        """Return the aggregation as text.

        Returns
        -------
        str
            The kind, the overall effect with its standard error and
            confidence interval, the table of :meth:`tidy` and, with the
            bootstrap, the uniform critical value.
        """
        z = stats.norm.ppf(1 - self.alpha / 2)
        level = f"{100 * (1 - self.alpha):g}%"
        lines = [
            f"Aggregated ATT ({self.kind}; R did::aggte)",
            f"  overall: {self.overall_att:.4f} (SE {self.overall_se:.4f}; {level} CI "
            f"{self.overall_att - z * self.overall_se:.4f} to "
            f"{self.overall_att + z * self.overall_se:.4f}); standard errors: "
            + ("multiplier bootstrap" if self.bootstrap else "analytic"),
        ]
        if len(self.table):
            lines.append(self.tidy().to_string(index=False, float_format=lambda v: f"{v:.4f}"))
        if self.bootstrap and np.isfinite(self.crit):
            lines.append(f"uniform band critical value: {self.crit:.3f}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


@dataclass(repr=False)
class ATTResult:
    """Group-time average treatment effects and what can be computed from them.

    Made by :func:`att_gt`; effects are in the units of the outcome (log
    points for a log outcome). ``tidy()`` returns one row per ATT(g,t),
    ``summary()`` the text a reader sees (also the ``repr``),
    :meth:`aggte` the aggregations and :meth:`plot` an event-study figure.

    Parameters
    ----------
    attgt : DataFrame
        ``group`` (the cohort: first treatment period), ``t``, ``base`` (base
        period), ``post`` (t >= group), ``n_group``, ``n_control``, ``att``,
        ``se``, ``n_trimmed``. ``group`` and ``t`` keep the names of R
        ``did``'s ``MP`` object, against which the reference tests compare
        this table; :meth:`tidy` calls them ``cohort`` and ``time``.
    n : int
        Number of units (panel) or observations (repeated cross-sections).
    _inf : ndarray
        n x K influence functions of the K ATT(g,t) (internal).
    _groups : ndarray
        Cohort of each unit, 0 = never treated (internal).
    _weights : ndarray, optional
        Sampling weight of each unit (internal; default 1).
    _clusters : ndarray, optional
        Cluster code of each unit (internal; default: each unit its own).
    est_method : str
        ``"dr"``, ``"ipw"`` or ``"reg"``.
    control_group : str
        ``"nevertreated"`` or ``"notyettreated"``.
    base_period : str
        ``"varying"`` or ``"universal"``.
    anticipation : int
        Periods of anticipation.
    covariates : list of str
        Covariates of conditional parallel trends (empty: unconditional).
    panel : bool
        True for panel data, False for repeated cross-sections.
    dropped : DataFrame, optional
        Units (or rows) left out, and why.
    notes : list of str
        Every warning issued during estimation.
    alpha : float
        1 - confidence level.
    n_boot : int, optional
        Multiplier-bootstrap draws (None: analytic standard errors).
    multiplier : str
        ``"mammen"`` or ``"rademacher"``.
    seed : int, optional
        Seed of the bootstrap draws.
    crit : float
        Uniform-band critical value over all ATT(g,t) (NaN without bootstrap).
    pretest : Pretest or None
        Wald test that all pre-treatment ATT(g,t) are zero (computed on
        construction; None if there is no pre-treatment estimate or its
        covariance is singular).
    _unit_ids : ndarray, optional
        Unit ids in the order of ``_inf`` (internal).

    See Also
    --------
    att_gt : Makes it.

    References
    ----------
    .. [1] Callaway, B. and Sant'Anna, P. H. C. (2021). Difference-in-differences
       with multiple time periods. *Journal of Econometrics* 225(2), 200-230.
       doi:10.1016/j.jeconom.2020.12.001

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(i, t, g, 0.5 * t + (2.0 if g and t >= g else 0.0) + 0.1 * (i % 2))
    ...         for i, g in enumerate([0, 0, 0, 3, 3, 3]) for t in (1, 2, 3, 4)]
    >>> p = pd.DataFrame(rows, columns=["id", "year", "g", "y"])
    >>> r = att_gt(p, y="y", cohort="g", time="year", unit="id")
    >>> r.tidy()[["cohort", "time", "event_time", "estimate"]].round(6).to_numpy().tolist()
    [[3.0, 2.0, -1.0, 0.0], [3.0, 3.0, 0.0, 2.0], [3.0, 4.0, 1.0, 2.0]]
    >>> round(r.aggte("simple").overall_att, 6)
    2.0
    """

    attgt: pd.DataFrame
    n: int
    _inf: np.ndarray
    _groups: np.ndarray
    # None means "the default", filled in by __post_init__ (so typed as arrays)
    _weights: np.ndarray = None  # type: ignore[assignment]
    _clusters: np.ndarray = None  # type: ignore[assignment]
    est_method: str = "dr"
    control_group: str = "nevertreated"
    base_period: str = "varying"
    anticipation: int = 0
    covariates: list = field(default_factory=list)
    panel: bool = True
    dropped: pd.DataFrame = None
    notes: list = field(default_factory=list)
    alpha: float = 0.05
    n_boot: int | None = None
    multiplier: str = "mammen"
    seed: int | None = None
    crit: float = np.nan
    pretest: Pretest | None = None
    _unit_ids: np.ndarray = field(default=None, repr=False)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self._weights is None:
            self._weights = np.ones(self.n)
        if self._clusters is None:
            self._clusters = np.arange(self.n)
        if self._unit_ids is None:
            self._unit_ids = np.arange(self.n)
        if self.dropped is None:
            self.dropped = pd.DataFrame(columns=["unit", "reason"])
        if "se" not in self.attgt or self.n_boot is None:
            self.attgt["se"] = _analytic_se(self._inf, self._clusters, self.n)
        self.pretest = self._wald()

    @property
    def clustered(self) -> bool:
        """True if standard errors are clustered above the unit/observation level."""
        return len(np.unique(self._clusters)) < len(self._clusters)

    def _se(self, inf: np.ndarray) -> np.ndarray:
        inf = inf.reshape(len(inf), -1)
        if self.n_boot is None:
            return _analytic_se(inf, self._clusters, self.n)
        return _bootstrap(
            inf, self._clusters, self.n, self.n_boot, self.multiplier, self.seed, self.alpha
        )[0]

    def _crit(self, inf: np.ndarray) -> float:
        if self.n_boot is None:
            return np.nan
        return _bootstrap(
            inf, self._clusters, self.n, self.n_boot, self.multiplier, self.seed, self.alpha
        )[1]

    def _wald(self) -> Pretest | None:
        a = self.attgt
        pre = ((a["group"] > a["t"]) & a["se"].notna()).to_numpy()
        if not pre.any():
            return None
        s = _cluster_sums(self._inf[:, pre], self._clusters)
        V = s.T @ s / self.n**2
        if 1 / np.linalg.cond(V) <= np.finfo(float).eps:
            return None
        att = a.loc[pre, "att"].to_numpy()
        W = float(att @ np.linalg.solve(V, att))
        return Pretest(W, int(pre.sum()), float(stats.chi2.sf(W, pre.sum())))

    def bootstrap(
        self, n_boot: int = 999, *, multiplier: str = "mammen", seed: int | None = None
    ) -> ATTResult:
        """Return a copy whose standard errors and bands come from the multiplier bootstrap.

        Parameters
        ----------
        n_boot : int
            Number of draws (999 or more for bands).
        multiplier : {"mammen", "rademacher"}
        seed : int, optional
            Same seed, same draws: every aggregation of the copy reuses them.

        Returns
        -------
        ATTResult
        """
        if multiplier not in ("mammen", "rademacher"):
            raise ValidationError(
                f"multiplier must be 'mammen' or 'rademacher', not {multiplier!r}"
            )
        if not isinstance(n_boot, (int, np.integer)) or n_boot < 2:
            raise ValidationError(f"n_boot must be a whole number >= 2, not {n_boot!r}")
        if seed is None:
            seed = int(np.random.default_rng().integers(2**31))
        out = ATTResult(
            self.attgt.copy(),
            self.n,
            self._inf,
            self._groups,
            self._weights,
            self._clusters,
            self.est_method,
            self.control_group,
            self.base_period,
            self.anticipation,
            self.covariates,
            self.panel,
            self.dropped,
            list(self.notes),
            self.alpha,
            int(n_boot),
            multiplier,
            seed,
            _unit_ids=self._unit_ids,
        )
        se, crit = _bootstrap(
            self._inf, self._clusters, self.n, int(n_boot), multiplier, seed, self.alpha
        )
        out.attgt["se"] = se
        out.crit = crit
        return out

    # ------------------------------------------------------------- aggregation
    def aggte(
        self,
        kind: str = "simple",
        *,
        min_e: float = -np.inf,
        max_e: float = np.inf,
        balance_e: int | None = None,
        na_rm: bool = False,
    ) -> Aggregation:
        """Aggregate ATT(g,t) as R ``did::aggte``.

        Parameters
        ----------
        kind : {"simple", "group", "dynamic", "calendar"}
        min_e, max_e : float
            Event times kept (``dynamic``); ``max_e`` also limits the post
            periods used by ``simple`` and ``group``.
        balance_e : int, optional
            ``dynamic`` only: keep only cohorts observed for ``balance_e``
            periods after treatment, so the composition does not change
            across event times 0..balance_e.
        na_rm : bool
            Ignore ATT(g,t) that could not be estimated (else an error).

        Returns
        -------
        Aggregation

        Raises
        ------
        ValidationError
            Unknown ``kind``, missing ATT(g,t) without ``na_rm``, nothing left
            to aggregate.
        """
        if kind not in ("simple", "group", "dynamic", "calendar"):
            raise ValidationError(f"kind must be simple, group, dynamic or calendar, not {kind!r}")
        if balance_e is not None and kind != "dynamic":
            raise ValidationError("balance_e applies to kind='dynamic' only")
        a = self.attgt.reset_index(drop=True)
        att_all = a["att"].to_numpy(dtype=float)
        ok = ~np.isnan(att_all)
        if not ok.all() and not na_rm:
            bad = a.loc[~ok, ["group", "t"]].to_numpy().tolist()
            raise ValidationError(
                f"ATT(g,t) missing for (g,t) = {bad[:5]}; pass na_rm=True to aggregate the others"
            )
        a = a[ok].reset_index(drop=True)
        inf = self._inf[:, ok]
        att = a["att"].to_numpy(dtype=float)
        group, t = a["group"].to_numpy(dtype=float), a["t"].to_numpy(dtype=float)
        glist = np.sort(np.unique(group))
        wts = self._weights
        pg_of = {gg: float(np.mean(wts * (self._groups == gg))) for gg in glist}
        pg = np.array([pg_of[gg] for gg in group])
        G = self._groups

        def wif(keep, pgk, grp):
            ind = np.column_stack([wts * (G == gg) - pg_of[gg] for gg in grp])
            s = pgk.sum()
            return ind / s - np.outer(ind.sum(axis=1), pgk) / s**2

        def agg_inf(att_k, inf_k, wk, wif_k=None):
            out = inf_k @ wk
            if wif_k is not None:
                out = out + wif_k @ att_k
            return out

        labels, ests, infs = [], [], []
        if kind == "simple":
            keep = np.flatnonzero((group <= t) & (t <= group + max_e))
            if not len(keep):
                raise ValidationError("no post-treatment ATT(g,t) to aggregate")
            w = pg[keep] / pg[keep].sum()
            est = float(att[keep] @ w)
            oinf = agg_inf(att[keep], inf[:, keep], w, wif(keep, pg[keep], group[keep]))
            return self._finish(kind, est, oinf, [], [], [])
        if kind == "group":
            for gg in glist:
                keep = np.flatnonzero((group == gg) & (gg <= t) & (t <= group + max_e))
                if not len(keep):
                    continue
                w = pg[keep] / pg[keep].sum()
                labels.append(_num(gg))
                ests.append(float(np.mean(att[keep])))
                infs.append(agg_inf(att[keep], inf[:, keep], w))
            if not labels:
                raise ValidationError("no cohort has a post-treatment ATT(g,t)")
            pgg = np.array([pg_of[float(gg)] for gg in labels])
            est_v = np.array(ests)
            w = pgg / pgg.sum()
            oinf = agg_inf(est_v, np.column_stack(infs), w, wif(None, pgg, np.array(labels, float)))
            return self._finish(kind, float(est_v @ w), oinf, labels, ests, infs)
        if kind == "dynamic":
            e_all = t - group
            incl = np.ones(len(a), bool)
            eseq = np.unique(e_all)
            if balance_e is not None:
                tmax = self.attgt["t"].max()
                incl = (tmax - group) >= balance_e
                eseq = np.unique(e_all[incl])
                tmin = self.attgt["t"].min()
                eseq = eseq[(eseq <= balance_e) & (eseq >= balance_e - tmax + tmin)]
            eseq = eseq[(eseq >= min_e) & (eseq <= max_e)]
            for e in eseq:
                keep = np.flatnonzero((e_all == e) & incl)
                if not len(keep):
                    continue
                w = pg[keep] / pg[keep].sum()
                labels.append(_num(e))
                ests.append(float(att[keep] @ w))
                infs.append(agg_inf(att[keep], inf[:, keep], w, wif(keep, pg[keep], group[keep])))
            if not labels:
                raise ValidationError("no event time left between min_e and max_e")
            epos = np.array(labels, float) >= 0
            if epos.any():
                est = float(np.mean(np.array(ests)[epos]))
                oinf = np.column_stack([i for i, p in zip(infs, epos, strict=True) if p]).mean(
                    axis=1
                )
            else:
                est, oinf = np.nan, np.full(self.n, np.nan)
            return self._finish(kind, est, oinf, labels, ests, infs)
        # calendar
        tlist = np.sort(np.unique(t))
        for tt in tlist[tlist >= group.min()]:
            keep = np.flatnonzero((t == tt) & (group <= t))
            if not len(keep):
                continue
            w = pg[keep] / pg[keep].sum()
            labels.append(_num(tt))
            ests.append(float(att[keep] @ w))
            infs.append(agg_inf(att[keep], inf[:, keep], w, wif(keep, pg[keep], group[keep])))
        if not labels:
            raise ValidationError("no post-treatment period to aggregate")
        return self._finish(
            kind, float(np.mean(ests)), np.column_stack(infs).mean(axis=1), labels, ests, infs
        )

    def _finish(self, kind, est, oinf, labels, ests, infs) -> Aggregation:
        z = stats.norm.ppf(1 - self.alpha / 2)
        oinf = np.asarray(oinf, float)
        ose = float(self._se(oinf[:, None])[0]) if np.isfinite(oinf).all() else np.nan
        table = pd.DataFrame({"egt": pd.Series(labels, dtype=object), "att": ests})
        crit = np.nan
        if labels:
            M = np.column_stack(infs)
            table["se"] = self._se(M)
            crit = self._crit(M)
        else:
            table["se"] = pd.Series(dtype=float)
        table["conf_low"] = table["att"] - z * table["se"]
        table["conf_high"] = table["att"] + z * table["se"]
        if self.n_boot is not None:
            table["band_low"] = table["att"] - crit * table["se"]
            table["band_high"] = table["att"] + crit * table["se"]
        return Aggregation(
            kind,
            est,
            ose,
            table,
            crit,
            self.alpha,
            self.n_boot is not None,
            oinf,
            self._clusters,
            self._unit_ids,
        )

    def aggregate(
        self,
        kind: str = "simple",
        *,
        min_e: float = -np.inf,
        max_e: float = np.inf,
        balance_e: int | None = None,
        na_rm: bool = False,
    ) -> pd.DataFrame:
        """Aggregate ATT(g,t) and return the table with a final ``overall`` row.

        Parameters
        ----------
        kind, min_e, max_e, balance_e, na_rm
            As in :meth:`aggte`.

        Returns
        -------
        DataFrame
            ``egt``, ``att``, ``se``; ``egt`` is ``"overall"`` in the last row.

        Raises
        ------
        ValidationError
            As :meth:`aggte`.
        """
        return self.aggte(
            kind, min_e=min_e, max_e=max_e, balance_e=balance_e, na_rm=na_rm
        ).to_frame()

    # ------------------------------------------------------------- presentation
    def tidy(self) -> pd.DataFrame:
        """Return one row per ATT(g,t) (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"ATT(g,t)"``, as broom's ``tidy`` of R ``did``
            names it), ``estimate``, ``std_error`` (outcome's unit),
            pointwise ``conf_low``/``conf_high``, ``conf_level`` (0-1),
            ``cohort`` (g, the first treated period), ``time`` (t),
            ``event_time`` (t - g), ``post`` (t >= g) and, with the
            bootstrap, uniform ``band_low``/``band_high`` (covering all
            ATT(g,t) jointly with probability 1 - alpha).
        """
        z = stats.norm.ppf(1 - self.alpha / 2)
        a = self.attgt
        est, se = a["att"].to_numpy(dtype=float), a["se"].to_numpy(dtype=float)
        out = pd.DataFrame(
            {
                "term": [f"ATT({g},{t})" for g, t in zip(a["group"], a["t"], strict=True)],
                "estimate": est,
                "std_error": se,
                "conf_low": est - z * se,
                "conf_high": est + z * se,
                "conf_level": 1 - self.alpha,
                "cohort": a["group"].to_numpy(),
                "time": a["t"].to_numpy(),
                "event_time": (a["t"] - a["group"]).to_numpy(),
                "post": a["post"].to_numpy(),
            }
        )
        if self.n_boot is not None:
            out["band_low"] = est - self.crit * se
            out["band_high"] = est + self.crit * se
        return out

    def summary(self) -> str:
        """Return a plain-text summary.

        Returns
        -------
        str
            Settings, the ATT(g,t) table, the uniform critical value, the
            pre-test, the simple ATT and every note issued during estimation.
        """
        lines = [
            "Callaway and Sant'Anna (2021) group-time ATT",
            f"  estimator: {self.est_method}; comparison: {self.control_group}; base period: "
            f"{self.base_period}; anticipation: {self.anticipation}",
            f"  covariates: {', '.join(self.covariates) or 'none (unconditional parallel trends)'}",
            f"  {'units' if self.panel else 'observations'}: {self.n}; standard errors: "
            + (
                f"multiplier bootstrap ({self.n_boot} {self.multiplier} draws, seed {self.seed})"
                if self.n_boot
                else "analytic"
            )
            + ("; clustered" if self.clustered else ""),
            "",
        ]
        cols = ["cohort", "time", "event_time", "estimate", "std_error", "conf_low", "conf_high"]
        td = self.tidy()
        if self.n_boot is not None:
            cols += ["band_low", "band_high"]
        lines.append(td[cols].to_string(index=False, float_format=lambda v: f"{v:.4f}"))
        if self.n_boot is not None:
            lines.append(
                f"uniform band critical value: {self.crit:.3f} (pointwise "
                f"{stats.norm.ppf(1 - self.alpha / 2):.3f})"
            )
        if self.pretest is not None:
            p = self.pretest
            lines.append(
                f"pre-test of parallel trends: Wald = {p.statistic:.3f}, df = {p.df}, "
                f"p = {p.pvalue:.4f}"
            )
        else:
            lines.append("pre-test of parallel trends: not available (no pre-treatment estimates)")
        try:
            s = self.aggte("simple", na_rm=True)
            lines.append(f"simple ATT: {s.overall_att:.4f} (SE {s.overall_se:.4f})")
        except ValidationError:
            pass
        for n in self.notes:
            lines.append(f"note: {n}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def plot(
        self,
        *,
        kind: str = "dynamic",
        ax=None,
        scale: float = 1.0,
        label: str | None = None,
        offset: float = 0.0,
        color=None,
        min_e: float = -np.inf,
        max_e: float = np.inf,
        **aggte_kwargs,
    ):
        """Event-study plot: estimates with pointwise intervals and, if bootstrapped, uniform bands.

        Parameters
        ----------
        kind : {"dynamic", "group", "calendar"}
            Which aggregation to plot.
        ax : matplotlib Axes, optional
        scale : float
            Multiply estimates (e.g. 100 for log points to percent).
        label : str, optional
            Legend label of the estimates.
        offset : float
            Horizontal shift (to put two estimates side by side).
        color : optional
            Colour of this series.
        min_e, max_e : float
            Event-time window (``dynamic``).

        Returns
        -------
        matplotlib Axes
        """
        import matplotlib.pyplot as plt

        agg = self.aggte(kind, min_e=min_e, max_e=max_e, **aggte_kwargs)
        tab = agg.table
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        x = tab["egt"].astype(float).to_numpy() + offset
        est = tab["att"].to_numpy() * scale
        lo, hi = tab["conf_low"].to_numpy() * scale, tab["conf_high"].to_numpy() * scale
        if agg.bootstrap:
            blo, bhi = tab["band_low"].to_numpy() * scale, tab["band_high"].to_numpy() * scale
            ax.vlines(
                x,
                blo,
                bhi,
                color=color or "C0",
                alpha=0.35,
                linewidth=6,
                label=f"{int(100 * (1 - self.alpha))}% uniform band"
                + (f" ({label})" if label else ""),
            )
        ax.vlines(
            x,
            lo,
            hi,
            color=color or "C0",
            linewidth=1.5,
            label=f"{int(100 * (1 - self.alpha))}% pointwise CI" + (f" ({label})" if label else ""),
        )
        ax.plot(x, est, "o", color=color or "C0", label=label or "estimate")
        ax.axhline(0, color="grey", linewidth=0.8)
        if kind == "dynamic":
            ax.axvline(-0.5 - self.anticipation, color="grey", linestyle=":", linewidth=0.8)
            ax.set_xlabel("event time (periods since first treatment)")
        else:
            ax.set_xlabel("cohort" if kind == "group" else "period")
        ax.set_ylabel("ATT" + (f" (x{scale:g})" if scale != 1 else ""))
        return ax
