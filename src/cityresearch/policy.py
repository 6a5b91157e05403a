"""Smart-city adoption vs. public-service quality: selection-aware statistics.

The "Gerakan Menuju 100 Smart City" regions were *chosen* (on fiscal capacity,
government performance and a green-city index), not assigned at random, and
they are richer and more urban than the rest. A raw correlation between
participation and service quality therefore mixes the programme with the
reasons for selection. This module provides the steps a careful analysis
takes, each returning tidy frames or statsmodels results:

1. :func:`participation_frame` and :func:`balance_table`: how different were
   participants before the programme (standardised differences; |d| > 0.1 is
   the usual flag of imbalance, Austin 2009)?
2. :func:`correlation`: naive association with bootstrap confidence intervals
   and permutation p-values (Pearson, Spearman, point-biserial).
3. :func:`ordered_logit`: zones (merah < kuning < hijau) as an ordered outcome;
   :func:`ordered_cutpoints` gives the cut-points on the latent scale.
4. :func:`adjusted_ols` with controls and province fixed effects, province-
   clustered standard errors with t(G - 1) p-values, and
   :func:`wild_cluster_bootstrap` for the few-clusters problem (Cameron,
   Gelbach and Miller 2008): every weight vector is enumerated when there are
   few clusters, Webb's six-point weights are used below 10 clusters, and the
   result says which.
5. :func:`propensity_scores`, :func:`overlap` and :func:`ipw`: inverse-
   probability weighting on pre-programme covariates, with its assumptions
   (no unobserved confounding, overlap) stated, not assumed away.

Staggered adoption effects on yearly outcomes are in :mod:`cityresearch.did`.
None of these turns selection into randomisation: they show how much the
answer moves once the observed reasons for selection are accounted for.

Input contract: treatments are 0/1 or boolean (other codes are refused with
the values found); rows with missing values raise unless ``missing="drop"``,
which drops them with a warning and lists them in the result's ``dropped``;
models that cannot be estimated raise :class:`~cityresearch._errors.SeparationError`,
:class:`~cityresearch._errors.ConvergenceError` or
:class:`~cityresearch._errors.SingularDesignError`, naming the cause.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd

from cityresearch import _validate as v
from cityresearch._deprecate import moved, renamed
from cityresearch._errors import (
    ConvergenceError,
    DroppedRowsWarning,
    SingularDesignError,
    ValidationError,
    user_stacklevel,
)
from cityresearch._results import Result

__all__ = [
    "WEBB_WEIGHTS",
    "CorrelationResult",
    "IPWBootstrapResult",
    "IPWResult",
    "WildBootstrapResult",
    "adjusted_ols",
    "balance_table",
    "correlation",
    "ipw",
    "ipw_bootstrap",
    "ordered_cutpoints",
    "ordered_logit",
    "overlap",
    "propensity_scores",
    "wild_cluster_bootstrap",
]

# participation_frame moved to cityresearch.panels (assembling frames is not analysis)
__getattr__ = moved(__name__, {"participation_frame": "cityresearch.panels"})

#: Webb's (2013) six-point distribution: mean 0, variance 1, each value with probability 1/6.
WEBB_WEIGHTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


#: ``term`` of :meth:`CorrelationResult.tidy`, by method.
_CORRELATION_TERMS = {
    "pearson": "pearson r",
    "spearman": "spearman rho",
    "pointbiserial": "point-biserial r",
}


def _pct(confidence: float) -> str:
    return f"{100 * confidence:g}%"


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class CorrelationResult(Result):
    """Result of :func:`correlation`: the coefficient, its bootstrap interval and
    its permutation p-value.

    Dict-style access with the former keys (``res["r"]``) keeps working.

    Parameters
    ----------
    method : str
        ``"pearson"``, ``"spearman"`` or ``"pointbiserial"``.
    r : float
        The correlation coefficient (unitless, in [-1, 1]).
    ci_lo, ci_hi : float
        Percentile bootstrap interval of ``r`` at level ``confidence``.
    p_perm : float
        Two-sided permutation p-value, ``(count + 1) / (n_perm + 1)``.
    n : int
        Complete pairs used.
    n_boot, n_perm : int
        Bootstrap draws and permutations requested.
    dropped : DataFrame
        Pairs left out by ``missing="drop"`` (empty otherwise).
    confidence : float
        Level of the interval, in (0, 1).
    se_boot : float
        Standard deviation of the bootstrap draws of ``r``.

    See Also
    --------
    correlation : Computes it.

    Examples
    --------
    >>> c = correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], n_boot=50, n_perm=50)
    >>> round(c.r, 4) == round(c["r"], 4) == 0.7746
    True
    >>> list(c.tidy().columns[:6])
    ['term', 'estimate', 'std_error', 'p_value', 'conf_low', 'conf_high']
    >>> c.tidy()[["term", "n_obs"]].to_dict("records")
    [{'term': 'pearson r', 'n_obs': 5}]
    """

    method: str
    r: float
    ci_lo: float
    ci_hi: float
    p_perm: float
    n: int
    n_boot: int
    n_perm: int
    dropped: pd.DataFrame
    confidence: float = 0.95
    se_boot: float = float("nan")

    def tidy(self) -> pd.DataFrame:
        """Return the coefficient as one row (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"pearson r"``, ``"spearman rho"`` or
            ``"point-biserial r"``), ``estimate`` (r, unitless),
            ``std_error`` (bootstrap), ``p_value`` (two-sided permutation),
            ``conf_low``, ``conf_high`` (percentile bootstrap), ``method``,
            ``conf_level`` (0-1), ``n_obs`` (complete pairs), ``n_boot``,
            ``n_perm``, ``n_dropped``.
        """
        return pd.DataFrame(
            {
                "term": [_CORRELATION_TERMS.get(self.method, self.method)],
                "estimate": [self.r],
                "std_error": [self.se_boot],
                "p_value": [self.p_perm],
                "conf_low": [self.ci_lo],
                "conf_high": [self.ci_hi],
                "method": [self.method],
                "conf_level": [self.confidence],
                "n_obs": [self.n],
                "n_boot": [self.n_boot],
                "n_perm": [self.n_perm],
                "n_dropped": [len(self.dropped)],
            }
        )

    def summary(self) -> str:
        """The result in one sentence (also the ``repr``)."""
        name = {"pearson": "Pearson", "spearman": "Spearman", "pointbiserial": "Point-biserial"}
        return (
            f"{name.get(self.method, self.method)} correlation r = {self.r:.3f} "
            f"({_pct(self.confidence)} percentile bootstrap interval {self.ci_lo:.3f} to "
            f"{self.ci_hi:.3f}, {self.n_boot:,} draws; bootstrap SE {self.se_boot:.3f}); "
            f"two-sided permutation p = {self.p_perm:.4f} ({self.n_perm:,} permutations); "
            f"n = {self.n} pairs, {len(self.dropped)} dropped."
        )


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class IPWResult(Result):
    """Result of :func:`ipw`: the weighted difference in means.

    Dict-style access with the former keys (``res["effect"]``) keeps working.

    Parameters
    ----------
    estimand : str
        ``"ATT"`` or ``"ATE"``.
    effect : float
        Weighted mean of the treated minus that of the controls, in the
        outcome's unit.
    mean_treated, mean_control_weighted : float
        The two weighted means (outcome's unit).
    ess_control : float
        Kish effective sample size of the weighted controls (units).
    n_treated, n_control : int
        Units in each group.

    See Also
    --------
    ipw : Computes it.
    ipw_bootstrap : The same estimate with a bootstrap standard error.

    Examples
    --------
    >>> r = ipw([5.0, 7.0, 1.0, 3.0], [1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])
    >>> r.effect, r["n_treated"]
    (4.0, 2)
    """

    estimand: str
    effect: float
    mean_treated: float
    mean_control_weighted: float
    ess_control: float
    n_treated: int
    n_control: int

    def tidy(self) -> pd.DataFrame:
        """Return the effect as one row (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (the estimand, ``"ATT"`` or ``"ATE"``), ``estimate``
            (outcome's unit), ``conf_low``, ``conf_high`` (always missing here:
            :func:`ipw` gives no uncertainty; see :func:`ipw_bootstrap`),
            ``mean_treated``, ``mean_control_weighted`` (outcome's unit),
            ``ess_control`` (units), ``n_obs`` (treated plus controls),
            ``n_treated``, ``n_control``.
        """
        return pd.DataFrame(
            {
                "term": [self.estimand],
                "estimate": [self.effect],
                "conf_low": [np.nan],
                "conf_high": [np.nan],
                "mean_treated": [self.mean_treated],
                "mean_control_weighted": [self.mean_control_weighted],
                "ess_control": [self.ess_control],
                "n_obs": [self.n_treated + self.n_control],
                "n_treated": [self.n_treated],
                "n_control": [self.n_control],
            }
        )

    def summary(self) -> str:
        """The result in one sentence (also the ``repr``)."""
        return (
            f"IPW {self.estimand} = {self.effect:.4g} (weighted mean of the treated "
            f"{self.mean_treated:.4g} minus weighted mean of the controls "
            f"{self.mean_control_weighted:.4g}); {self.n_treated} treated, {self.n_control} "
            f"controls (effective sample size of the controls {self.ess_control:.1f}); "
            "no standard error: use ipw_bootstrap."
        )


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class IPWBootstrapResult(IPWResult):
    """Result of :func:`ipw_bootstrap`: the IPW estimate with its bootstrap
    standard error and percentile interval.

    The fields of :class:`IPWResult` plus the ones below; dict-style access
    with the former keys (``res["se_boot"]``, ``res["B_used"]``) keeps working.

    Parameters
    ----------
    estimand, effect, mean_treated, mean_control_weighted, ess_control : object
        As in :class:`IPWResult`.
    n_treated, n_control : int
        As in :class:`IPWResult` (after trimming).
    n_trimmed : int
        Units whose score lay outside ``trim`` (left out).
    dropped_regressors : list of str
        Regressors without variation after trimming, left out of the score.
    se_boot : float
        Standard deviation of the bootstrap estimates (outcome's unit).
    ci_lo, ci_hi : float
        Percentile bootstrap interval at level ``confidence``.
    B_used : int
        Draws that could be estimated (``n_boot_used``).
    B_skipped : dict
        Draws skipped, by reason (one group only, separation, ...).
    dropped : DataFrame
        Rows left out by ``missing="drop"``.
    n_boot : int
        Draws requested.
    confidence : float
        Level of the interval, in (0, 1).

    See Also
    --------
    ipw_bootstrap : Computes it.

    Examples
    --------
    See :func:`ipw_bootstrap`.
    """

    n_trimmed: int
    dropped_regressors: list
    se_boot: float
    ci_lo: float
    ci_hi: float
    B_used: int
    B_skipped: dict
    dropped: pd.DataFrame
    n_boot: int
    confidence: float

    @property
    def n_boot_used(self) -> int:
        """Bootstrap draws that could be estimated (``B_used``)."""
        return self.B_used

    @property
    def n_boot_skipped(self) -> dict:
        """Draws skipped, by reason (``B_skipped``)."""
        return self.B_skipped

    def tidy(self) -> pd.DataFrame:
        """Return the effect as one row (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"ATT"`` or ``"ATE"``), ``estimate`` (outcome's unit),
            ``std_error`` (bootstrap), ``conf_low``, ``conf_high``
            (percentile bootstrap), ``conf_level`` (0-1), then the columns of
            :meth:`IPWResult.tidy` (``n_obs`` etc., after trimming), then
            ``n_trimmed``, ``n_boot``, ``n_boot_used``, ``n_dropped``.
        """
        out = super().tidy()
        out.insert(2, "std_error", self.se_boot)
        out["conf_low"] = self.ci_lo
        out["conf_high"] = self.ci_hi
        out.insert(5, "conf_level", self.confidence)
        out["n_trimmed"] = self.n_trimmed
        out["n_boot"] = self.n_boot
        out["n_boot_used"] = self.B_used
        out["n_dropped"] = len(self.dropped)
        return out

    def summary(self) -> str:
        """The result in a few sentences (also the ``repr``)."""
        skipped = sum(self.B_skipped.values())
        text = (
            f"IPW {self.estimand} = {self.effect:.4g}, bootstrap SE {self.se_boot:.4g}, "
            f"{_pct(self.confidence)} percentile interval {self.ci_lo:.4g} to {self.ci_hi:.4g} "
            f"({self.B_used:,} of {self.n_boot:,} draws used"
            + (f"; skipped {self.B_skipped}" if skipped else "")
            + f"); {self.n_treated} treated, {self.n_control} controls (effective sample size "
            f"of the controls {self.ess_control:.1f})"
        )
        if self.n_trimmed:
            text += f"; {self.n_trimmed} units outside the trimming bounds left out"
        if self.dropped_regressors:
            text += f"; regressors left out of the score: {self.dropped_regressors}"
        return text + f"; {len(self.dropped)} rows with missing values dropped."


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class WildBootstrapResult(Result):
    """Result of :func:`wild_cluster_bootstrap`: one coefficient's wild cluster
    bootstrap-t p-value beside its analytic one.

    Dict-style access with the former keys (``res["p_boot"]``, ``res["B"]``)
    keeps working.

    Parameters
    ----------
    estimate : float
        The OLS coefficient (outcome's unit per unit of the regressor).
    t : float
        Its cluster-robust (CR1) t-statistic.
    p_boot : float
        Two-sided wild cluster bootstrap-t p-value.
    p_analytic : float
        Two-sided p-value from Student's t with ``df`` degrees of freedom.
    df : int
        ``n_clusters - 1``.
    n_clusters : int
        Number of clusters G.
    B : int
        Bootstrap samples used (all weight vectors when ``enumerated``);
        also ``n_boot_used``.
    weights : str
        ``"rademacher"`` or ``"webb"``.
    enumerated : bool
        True when every weight vector was used (no randomness).
    method : str
        One sentence describing the procedure, for a caption.
    dropped : DataFrame
        Rows left out by ``missing="drop"``.
    param : str
        Name of the coefficient tested.
    std_error : float
        Cluster-robust (CR1) standard error of ``estimate``.

    See Also
    --------
    wild_cluster_bootstrap : Computes it.

    Examples
    --------
    See :func:`wild_cluster_bootstrap`.
    """

    estimate: float
    t: float
    p_boot: float
    p_analytic: float
    df: int
    n_clusters: int
    B: int
    weights: str
    enumerated: bool
    method: str
    dropped: pd.DataFrame
    param: str = ""
    std_error: float = float("nan")

    @property
    def n_boot_used(self) -> int:
        """Bootstrap samples used (``B``)."""
        return self.B

    def tidy(self) -> pd.DataFrame:
        """Return the coefficient as one row (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (the coefficient's name), ``estimate`` (outcome's unit
            per unit of the regressor), ``std_error`` (CR1), ``statistic``
            (its cluster-robust t), ``p_value`` (two-sided wild cluster
            bootstrap-t), ``conf_low``, ``conf_high`` (always missing: the
            bootstrap here tests, it does not give an interval),
            ``p_value_t`` (two-sided, Student's t with ``df``), ``df``,
            ``n_clusters``, ``n_boot_used``, ``weights``, ``enumerated``,
            ``n_dropped``.
        """
        return pd.DataFrame(
            {
                "term": [self.param],
                "estimate": [self.estimate],
                "std_error": [self.std_error],
                "statistic": [self.t],
                "p_value": [self.p_boot],
                "conf_low": [np.nan],
                "conf_high": [np.nan],
                "p_value_t": [self.p_analytic],
                "df": [self.df],
                "n_clusters": [self.n_clusters],
                "n_boot_used": [self.B],
                "weights": [self.weights],
                "enumerated": [self.enumerated],
                "n_dropped": [len(self.dropped)],
            }
        )

    def summary(self) -> str:
        """The result in two sentences (also the ``repr``)."""
        return (
            f"{self.param or 'coefficient'} = {self.estimate:.4g} (cluster-robust SE "
            f"{self.std_error:.4g}, t = {self.t:.3f}); wild bootstrap p = {self.p_boot:.4f}, "
            f"t({self.df}) p = {self.p_analytic:.4f}. Method: {self.method}."
        )


def _confidence(confidence, func):
    return v.check_number(
        confidence,
        "confidence",
        lo=0,
        hi=1,
        lo_open=True,
        hi_open=True,
        hint="a probability such as 0.95, not a percentage",
        func=func,
    )


def _draws(n, name, func, lo=1):
    return v.check_number(n, name, lo=lo, integer=True, func=func)


def _formula_columns(formula: str, frame: pd.DataFrame) -> list[str]:
    """Columns of ``frame`` that a patsy formula mentions (by name, in order)."""
    seen = []
    for tok in re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", formula):
        if tok in frame.columns and tok not in seen:
            seen.append(tok)
    return seen


def _model_rows(
    frame: pd.DataFrame,
    formula: str,
    extra: list[str],
    missing: str,
    func: str,
    stacklevel: int = 4,
):
    """Apply the ``missing=`` policy to every column a model uses, before patsy
    (which would drop incomplete rows silently). Returns (rows kept, rows dropped).
    ``stacklevel`` of the drop warning: 4 is the caller of the public function that
    calls this directly; add one per frame in between (a helper, a @renamed wrapper)."""
    v.as_frame(frame, func=func)
    if "~" not in formula:
        raise ValidationError(f"{func}: formula {formula!r} has no '~' (outcome ~ regressors)")
    if not frame.index.is_unique:
        frame = frame.reset_index(drop=True)
    cols = _formula_columns(formula, frame) + [c for c in extra if c not in formula]
    v.require_columns(frame, [c for c in extra if c], func=func)
    for c in _formula_columns(formula, frame):
        s = frame[c]
        text = s.dtype == object or isinstance(s.dtype, (pd.StringDtype, pd.CategoricalDtype))
        categorical = re.search(r"C\(\s*" + re.escape(c) + r"\b", formula)
        if text and not categorical:
            first = s.dropna()
            try:  # quote a value that is not a number if there is one, else the first
                not_num = first[pd.to_numeric(first.astype(object), errors="coerce").isna()]
            except (TypeError, ValueError):
                not_num = first
            pick = not_num if len(not_num) else first
            shown = f" (e.g. {pick.iloc[0]!r} in row {pick.index[0]})" if len(pick) else ""
            raise ValidationError(
                f"{func}: column {c!r} holds text{shown} but is used as a number in "
                f"{formula!r}; convert it (pd.to_numeric; a decimal comma must become a point), "
                f"or write C({c}) if it is categorical"
            )
        if (
            not categorical
            and pd.api.types.is_numeric_dtype(s)
            and not pd.api.types.is_bool_dtype(s)
        ):
            v._refuse_inf(frame, s, c, [], func)
    kept, dropped = v.handle_missing(frame, cols, missing=missing, func=func, stacklevel=stacklevel)
    v.min_rows(kept, 2, what="complete rows", func=func)
    return kept, dropped


def _names(names, arg: str, func: str) -> list:
    """A list of column names; a bare string is refused (it would be read letter by letter)."""
    if isinstance(names, str):
        raise ValidationError(
            f"{func}: {arg} must be a list or tuple of column names; got the "
            f"string {names!r} (write {arg}=[{names!r}])"
        )
    try:
        return list(names)
    except TypeError:
        raise ValidationError(
            f"{func}: {arg} must be a list or tuple of column names; got {type(names).__name__}"
        ) from None


def balance_table(
    frame: pd.DataFrame, treat: str, covariates: list[str], *, categorical: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Means of treated and control units and standardised differences.

    Parameters
    ----------
    frame : DataFrame
        One row per unit.
    treat : str
        Treatment column: 0/1 or boolean (anything else is refused, with the
        values found).
    covariates : list of str
        Numeric covariates.
    categorical : tuple of str
        Categorical covariates, expanded into one row per level (share of units).

    Returns
    -------
    DataFrame
        One row per covariate (or level): ``mean_treated``, ``mean_control``,
        ``sd_treated``, ``sd_control``, ``std_diff`` =
        ``(mean_t - mean_c) / sqrt((var_t + var_c) / 2)``, ``n_treated``,
        ``n_control`` and ``n_missing``. Missing covariate values are left out
        per covariate, counted in ``n_missing`` and named in a
        :class:`~cityresearch._errors.DroppedRowsWarning`.

    Raises
    ------
    ValidationError
        Missing columns, ``covariates`` or ``categorical`` given as a string
        instead of a list, a treatment that is not 0/1 (or has one group only,
        or missing values: the rows are named), text or infinite values in a
        numeric covariate (the rows are named), fewer than 2 units with a
        value in a group, or a covariate without variation in either group
        (its standardised difference is undefined; it is named).

    References
    ----------
    Austin, P. C. (2009). Balance diagnostics for comparing the distribution
    of baseline covariates between treatment groups in propensity-score
    matched samples. Statistics in Medicine, 28(25), 3083-3107.
    https://doi.org/10.1002/sim.3697

    Examples
    --------
    >>> f = pd.DataFrame({"t": [1, 1, 0, 0, 0], "x": [2.0, 4.0, 1.0, 2.0, 3.0]})
    >>> round(balance_table(f, "t", ["x"])["std_diff"].item(), 4)
    0.8165
    """
    func = "balance_table"
    covariates = _names(covariates, "covariates", func)
    categorical_cols = _names(categorical, "categorical", func)
    frame = v.require_columns(
        frame,
        {
            treat: "any",
            **dict.fromkeys(covariates, "numeric"),
            **dict.fromkeys(categorical_cols, "any"),
        },
        func=func,
    )
    v.min_rows(frame, 4, what="units (2 treated and 2 control at least)", func=func)
    t = v.check_binary_treatment(frame[treat], treat, func=func).astype(bool)
    rows = []
    cols = {c: frame[c].astype(float) for c in covariates}
    for c in categorical_cols:
        for level in sorted(frame[c].dropna().unique(), key=str):
            cols[f"{c}={level}"] = (frame[c] == level).astype(float).where(frame[c].notna())
    for name, x in cols.items():
        a, b = x[t].dropna(), x[~t].dropna()
        if len(a) < 2 or len(b) < 2:
            raise ValidationError(
                f"{func}: covariate {name!r} has values for {len(a)} treated "
                f"and {len(b)} control units; at least 2 in each are needed"
            )
        sd = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        if not sd > 0:
            raise ValidationError(
                f"{func}: covariate {name!r} has no variation within either group (treated "
                f"all {a.iloc[0]:g}, control all {b.iloc[0]:g}); its standardised difference "
                "is undefined: remove it and report the two values instead"
            )
        rows.append(
            {
                "covariate": name,
                "mean_treated": a.mean(),
                "mean_control": b.mean(),
                "sd_treated": a.std(ddof=1),
                "sd_control": b.std(ddof=1),
                "std_diff": (a.mean() - b.mean()) / sd,
                "n_treated": len(a),
                "n_control": len(b),
                "n_missing": int(x.isna().sum()),
            }
        )
    out = pd.DataFrame(rows)
    gaps = out.loc[out["n_missing"] > 0, ["covariate", "n_missing"]]
    if len(gaps):
        warnings.warn(
            f"{func}: missing values left out per covariate: "
            + ", ".join(f"{c} ({n})" for c, n in gaps.itertuples(index=False))
            + " (see n_missing)",
            DroppedRowsWarning,
            stacklevel=user_stacklevel(),
        )
    return out


def correlation(
    x,
    y,
    *,
    method: str = "pearson",
    n_boot: int = 2000,
    n_perm: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
    missing: str = "raise",
) -> CorrelationResult:
    """Correlation with a percentile bootstrap CI and a two-sided permutation p-value.

    The interval is the percentile bootstrap interval of ``r`` over ``n_boot``
    resamples of the pairs (Efron and Tibshirani 1993, ch. 13; resamples in
    which a variable is constant are skipped); the p-value compares ``|r|``
    with its distribution over ``n_perm`` random permutations of ``x``,
    counting the observed ordering: ``(count + 1) / (n_perm + 1)``, which is
    never 0 (Phipson and Smyth 2010). No Fisher z-transformation is used.

    Parameters
    ----------
    x, y : Series or array-like
        Two Series are matched by index label; two arrays by position. An
        array beside a Series with labels (other than 0..n-1) is refused: it
        cannot be matched to them.
    method : {"pearson", "spearman", "pointbiserial"}
        ``"pointbiserial"`` is Pearson with a 0/1 (or boolean) ``x``.
    n_boot, n_perm : int
        Bootstrap draws (at least 2) and permutations (at least 1).
    seed : int
        Seed of the random generator (draws and permutations are reproducible).
    confidence : float
        Of the interval, in (0, 1).
    missing : {"raise", "drop"}
        Pairs with a missing value: an error naming them, or left out with a
        :class:`~cityresearch._errors.DroppedRowsWarning` and listed in
        ``result["dropped"]`` (a frame of the pairs, by label or position).

    Returns
    -------
    CorrelationResult
        Fields (also dict keys, as before 0.2) ``method``, ``r``, ``ci_lo``,
        ``ci_hi``, ``p_perm`` (``(count + 1) / (n_perm + 1)``), ``n``,
        ``n_boot``, ``n_perm``, ``dropped``, and ``confidence`` and
        ``se_boot`` (standard deviation of the bootstrap draws); ``tidy()``
        gives one row (``term``, ``estimate``, ``std_error``, ``p_value``,
        ``conf_low``, ``conf_high``, ``n_obs`` ...), ``summary()`` a sentence.

    Raises
    ------
    ValidationError
        Unknown method, bad option values, text or infinite values (named),
        an array beside a labelled Series, missing values with
        ``missing="raise"``, fewer than 4 complete pairs, a constant variable
        (correlation undefined) or a non-0/1 ``x`` for ``"pointbiserial"``.

    References
    ----------
    Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap.
    New York: Chapman & Hall.

    Phipson, B. and Smyth, G. K. (2010). Permutation p-values should never be
    zero: calculating exact p-values when permutations are randomly drawn.
    Statistical Applications in Genetics and Molecular Biology, 9(1), 39.

    Examples
    --------
    >>> c = correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], n_boot=50, n_perm=50)
    >>> round(c.r, 4)
    0.7746
    >>> c.n, c["n_perm"]
    (5, 50)
    """
    from scipy import stats

    func = "correlation"
    v.check_choice(method, ("pearson", "spearman", "pointbiserial"), "method", func=func)
    v.check_choice(missing, v.MISSING_POLICIES, "missing", func=func)
    n_boot = _draws(n_boot, "n_boot", func, lo=2)
    n_perm = _draws(n_perm, "n_perm", func)
    confidence = _confidence(confidence, func)
    x, y = (a if isinstance(a, pd.Series) else np.asarray(a, dtype=object).ravel() for a in (x, y))
    xs, ys = v.align_by_key(x, y, names=["x", "y"], func=func)
    pair = v.require_columns(
        pd.DataFrame({"x": xs, "y": ys}), {"x": "numeric", "y": "numeric"}, func=func
    )
    pair, dropped = v.handle_missing(pair, ["x", "y"], missing=missing, func=func)
    x, y = pair["x"].to_numpy(dtype=float), pair["y"].to_numpy(dtype=float)
    if method == "pointbiserial":
        try:
            v.check_binary_treatment(pair["x"], "x", func=func)
        except ValidationError as exc:
            raise ValidationError(f"pointbiserial needs a 0/1 x: {exc}") from None
    if len(x) < 4:
        raise ValidationError(f"{func}: at least 4 complete pairs are needed; got {len(x)}")
    for name, a in (("x", x), ("y", y)):
        if np.ptp(a) == 0:
            raise ValidationError(
                f"{func}: {name} is constant ({a[0]:g} for all {len(a)} pairs); "
                "a correlation is undefined"
            )

    def r(a, b):
        if method == "spearman":
            return stats.spearmanr(a, b)[0]
        return stats.pearsonr(a, b)[0]

    est = r(x, y)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(n_boot, len(x)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a resample with a constant variable gives NaN: skipped
        boots = np.array([r(x[i], y[i]) for i in idx])
    boots = boots[~np.isnan(boots)]
    lo, hi = np.quantile(boots, [(1 - confidence) / 2, (1 + confidence) / 2])
    perms = np.array([r(rng.permutation(x), y) for _ in range(n_perm)])
    p = (np.sum(np.abs(perms) >= abs(est) - 1e-12) + 1) / (n_perm + 1)
    return CorrelationResult(
        method=method,
        r=float(est),
        ci_lo=float(lo),
        ci_hi=float(hi),
        p_perm=float(p),
        n=len(x),
        n_boot=n_boot,
        n_perm=n_perm,
        dropped=dropped,
        confidence=confidence,
        se_boot=float(boots.std(ddof=1)),
    )


def ordered_logit(
    frame: pd.DataFrame,
    outcome: str,
    exog: list[str],
    *,
    order: list | None = None,
    missing: str = "raise",
):
    """Ordered logit of an ordered outcome (default zones merah < kuning < hijau).

    The latent-variable model ``P(y <= j | x) = F(c_j - x'b)`` with the
    logistic ``F`` (proportional odds; McCullagh 1980), fitted by statsmodels'
    ``OrderedModel``; the result is statsmodels' own (it is not a
    :class:`~cityresearch._results.Result`).

    Parameters
    ----------
    frame : DataFrame
        One row per unit with ``outcome`` and the ``exog`` columns.
    outcome : str
        Column of ordered categories, all of them in ``order``.
    exog : list of str
        Numeric regressors (no constant: the thresholds play its role).
    order : list, optional
        Categories from lowest to highest (default ``service.ZONE_ORDER``).
    missing : {"raise", "drop"}
        Rows with a missing outcome or regressor: an error naming them, or
        left out with a warning and listed in ``results.dropped``.

    Returns
    -------
    statsmodels OrderedResults
        ``params`` holds the slopes and then statsmodels' threshold
        parametrisation (the first cut-point, then log-increments): use
        :func:`ordered_cutpoints` for the cut-points themselves.
        ``results.dropped`` is the frame of rows left out.

    Raises
    ------
    ValidationError
        Missing columns, text in a regressor, values outside ``order``,
        missing values (``missing="raise"``), fewer than two observed levels.
    SingularDesignError
        A regressor without variation (it is named).
    ConvergenceError
        The optimiser did not converge.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. Journal of the
    Royal Statistical Society, Series B, 42(2), 109-142.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=200)
    >>> z = np.digitize(x + rng.logistic(size=200), [-1, 1])
    >>> f = pd.DataFrame({"x": x, "zone": np.array(["merah", "kuning", "hijau"])[z]})
    >>> res = ordered_logit(f, "zone", ["x"])
    >>> list(ordered_cutpoints(res)["cut"])
    ['merah|kuning', 'kuning|hijau']
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    from cityresearch.service import ZONE_ORDER

    func = "ordered_logit"
    v.check_choice(missing, v.MISSING_POLICIES, "missing", func=func)
    frame = v.require_columns(frame, {outcome: "any", **dict.fromkeys(exog, "numeric")}, func=func)
    order = list(order or ZONE_ORDER)
    df, dropped = v.handle_missing(frame, [outcome, *exog], missing=missing, func=func)
    bad = set(df[outcome]) - set(order)
    if bad:
        raise ValidationError(f"outcome values {sorted(bad, key=str)} are not in the order {order}")
    v.min_groups(df[outcome], 2, what=f"levels of {outcome!r}", func=func)
    for c in exog:
        if df[c].nunique() < 2:
            raise SingularDesignError(
                f"{func}: regressor {c!r} has no variation (all "
                f"{df[c].iloc[0]!r}); remove it from exog"
            )
    y = pd.Categorical(df[outcome], categories=order, ordered=True)
    model = OrderedModel(pd.Series(y, index=df.index), df[exog].astype(float), distr="logit")
    res = model.fit(method="bfgs", disp=False, maxiter=2000)
    if not res.mle_retvals.get("converged", True):
        raise ConvergenceError(
            f"{func}: the optimiser did not converge on {len(df)} rows; "
            "simplify exog or pool sparse categories"
        )
    res.dropped = dropped
    return res


def ordered_cutpoints(results) -> pd.DataFrame:
    """Cut-points (thresholds) of an ordered logit on the latent scale, with delta-method SEs.

    statsmodels estimates the first cut-point and then the logarithms of the
    increments (``kuning/hijau 0.704`` is ``log(c2 - c1)``, not a cut-point);
    this returns ``c1, c2 = c1 + exp(0.704), ...``.

    Parameters
    ----------
    results : statsmodels OrderedResults
        From :func:`ordered_logit`.

    Returns
    -------
    DataFrame
        ``cut`` ("lower|upper" category names), ``cutpoint`` and ``se``.

    Raises
    ------
    ValidationError
        ``results`` is not an ordered-logit result.

    Notes
    -----
    With raw threshold parameters ``theta_1, ..., theta_{J-1}`` the cut-points
    are ``c_j = theta_1 + sum_{m=2..j} exp(theta_m)`` (the parametrisation of
    statsmodels ``OrderedModel``); the standard error of ``c_j`` is
    ``sqrt(g' V g)`` with ``V`` the covariance of the raw thresholds and the
    gradient ``g = (1, exp(theta_2), ..., exp(theta_j), 0, ...)`` (delta
    method).

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *Journal of the
    Royal Statistical Society B* 42(2), 109-142.

    Oehlert, G. W. (1992). A note on the delta method. *The American
    Statistician* 46(1), 27-29.

    Examples
    --------
    See :func:`ordered_logit`.
    """
    model: Any = getattr(results, "model", None)
    if not hasattr(model, "transform_threshold_params") or not hasattr(results, "params"):
        raise ValidationError(
            f"ordered_cutpoints: results must be the fitted result of "
            f"ordered_logit() (statsmodels OrderedResults), not "
            f"{type(results).__name__}"
        )
    k = model.k_vars
    raw = np.asarray(results.params)[k:]
    cov = np.asarray(results.cov_params())[k:, k:]
    cuts = model.transform_threshold_params(np.asarray(results.params))[1:-1]
    labels = list(model.labels)
    rows = []
    for j in range(len(raw)):
        grad = np.zeros(len(raw))
        grad[0] = 1.0
        grad[1 : j + 1] = np.exp(raw[1 : j + 1])
        rows.append(
            {
                "cut": f"{labels[j]}|{labels[j + 1]}",
                "cutpoint": float(cuts[j]),
                "se": float(np.sqrt(grad @ cov @ grad)),
            }
        )
    return pd.DataFrame(rows)


def _patsy(build, formula, df, func):
    """Build a statsmodels formula model; a formula that does not evaluate is a named error."""
    from patsy import PatsyError

    try:
        return build(formula, data=df)
    except PatsyError as exc:
        raise ValidationError(
            f"{func}: formula {formula!r} cannot be evaluated on the data: "
            f"{str(exc).splitlines()[0]}"
        ) from None


def _ols_model(frame, formula, cluster, missing, func, stacklevel=5):
    import statsmodels.formula.api as smf

    df, dropped = _model_rows(
        frame, formula, [cluster] if cluster else [], missing, func, stacklevel=stacklevel
    )
    model = _patsy(smf.ols, formula, df, func)
    constant, collinear = _design_problems(model.exog, list(model.exog_names))
    if constant or collinear:
        raise SingularDesignError(
            f"{func}: the design of {formula!r} is singular: "
            + "; ".join(
                filter(
                    None,
                    [
                        f"regressors without variation {constant}" if constant else "",
                        f"regressors that are linear combinations of the others {collinear}"
                        if collinear
                        else "",
                    ],
                )
            )
            + "; remove them from the formula (a fixed effect absorbs a regressor that is "
            "constant within its groups)"
        )
    groups = None
    if cluster:
        groups = pd.factorize(df.loc[model.data.row_labels, cluster])[0]
        v.min_groups(groups, 2, what=f"clusters in {cluster!r}", func=func)
    return model, groups, dropped


def adjusted_ols(
    frame: pd.DataFrame, formula: str, *, cluster: str | None = None, missing: str = "raise"
):
    """OLS with cluster-robust standard errors and t(G - 1) inference.

    The first value returned is statsmodels' own results object (its
    ``summary()``, ``params``, ``conf_int()`` ...), not a
    :class:`~cityresearch._results.Result`; the second is a plain dict.

    Parameters
    ----------
    frame : DataFrame
        One row per observation with the model's columns (and ``cluster``).
    formula : str
        statsmodels/patsy formula, e.g. ``"score ~ participant + ln_pop + C(province_34)"``.
    cluster : str, optional
        Column of cluster labels. With it, standard errors are cluster-robust
        (CR1, statsmodels' small-sample factor) and p-values and intervals use
        Student's t with G - 1 degrees of freedom (G = number of clusters), not
        the normal: with few clusters the normal overstates significance
        (Cameron and Miller 2015, section VI). Without it, HC1 with normal
        inference.
    missing : {"raise", "drop"}
        Rows with a missing value in a model column or the cluster column: an
        error naming them, or left out with a warning and in ``info["dropped"]``.

    Returns
    -------
    (statsmodels results, dict)
        ``info`` holds ``n``, ``n_clusters``, ``df`` (G - 1, or None),
        ``inference`` (``"t(G-1)"`` or ``"normal (HC1)"``), ``few_clusters``
        (fewer than 42 clusters: also report :func:`wild_cluster_bootstrap`,
        Angrist and Pischke's rule of thumb) and ``dropped``.

    Raises
    ------
    ValidationError
        Missing columns or values, fewer than 2 clusters.
    SingularDesignError
        Regressors without variation or collinear (named).

    References
    ----------
    Angrist, J. D. and Pischke, J.-S. (2009). Mostly Harmless Econometrics.
    Princeton: Princeton University Press (section 8.2, on few clusters).

    Cameron, A. C. and Miller, D. L. (2015). A practitioner's guide to
    cluster-robust inference. Journal of Human Resources, 50(2), 317-372.
    https://doi.org/10.3368/jhr.50.2.317

    Examples
    --------
    >>> f = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.1, 5.8], "x": [1, 2, 3, 4, 5, 6],
    ...                   "g": ["a", "a", "b", "b", "c", "c"]})
    >>> res, info = adjusted_ols(f, "y ~ x", cluster="g")
    >>> info["df"], info["inference"]
    (2, 't(G-1)')
    """
    func = "adjusted_ols"
    v.check_choice(missing, v.MISSING_POLICIES, "missing", func=func)
    model, groups, dropped = _ols_model(frame, formula, cluster, missing, func)
    if cluster is None:
        return model.fit(cov_type="HC1"), {
            "n": int(model.nobs),
            "n_clusters": None,
            "df": None,
            "inference": "normal (HC1)",
            "few_clusters": False,
            "dropped": dropped,
        }
    res = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    k = len(np.unique(groups))
    return res, {
        "n": int(model.nobs),
        "n_clusters": k,
        "df": k - 1,
        "inference": "t(G-1)",
        "few_clusters": k < 42,
        "dropped": dropped,
    }


def _weight_rule(weights: str, n_g: int) -> str:
    if weights == "auto":
        return "webb" if n_g <= 9 else "rademacher"
    return weights


@renamed(B="n_boot")
def wild_cluster_bootstrap(
    frame: pd.DataFrame,
    formula: str,
    param: str,
    cluster: str,
    *,
    n_boot: int = 999,
    seed: int = 0,
    weights: str = "auto",
    max_enumeration: int = 4096,
    missing: str = "raise",
) -> WildBootstrapResult:
    """Wild cluster bootstrap-t p-value for one coefficient, null imposed (WCR).

    The restricted model (``param`` = 0) supplies fitted values and residuals;
    each bootstrap sample multiplies every cluster's residuals by one weight
    and the cluster-robust t-statistic is recomputed (Cameron, Gelbach and
    Miller 2008; MacKinnon, Nielsen and Webb 2023).

    Weights and enumeration (``weights="auto"``):

    * G >= 10 clusters: Rademacher weights (+1/-1). Rademacher weights
      allow only 2^G distinct bootstrap samples; when 2^G <= ``max_enumeration``
      (G <= 12 with the default 4,096) all of them are enumerated and the
      p-value is exact (no randomness, ``n_boot`` and ``seed`` are not used);
      otherwise ``n_boot`` random draws.
    * G <= 9 clusters: Webb's six-point weights (+-sqrt(1/2), +-1, +-sqrt(3/2)),
      because 2^G Rademacher samples then give at most 2^(G-1) distinct |t*|
      and a p-value that cannot be finer than about 1/2^(G-1) (Webb 2023):
      6^G samples are enumerated when 6^G <= ``max_enumeration`` (G <= 4),
      otherwise ``n_boot`` random draws.

    ``weights="rademacher"`` or ``"webb"`` forces a distribution (the
    enumeration rule still applies). The result says what was used.

    The t-statistics of all bootstrap samples are computed at once from the
    restricted fit, in the way of Roodman, Nielsen, MacKinnon and Webb (2019);
    the sandwich uses statsmodels' CR1 small-sample factor
    ``G / (G - 1) * (n - 1) / (n - k)``.

    Parameters
    ----------
    frame : DataFrame
        One row per observation with the model's columns and ``cluster``.
    formula : str
        As in :func:`adjusted_ols`.
    param : str
        The coefficient tested (a name in the model, e.g. ``"participant"``).
    cluster : str
        Column of cluster labels.
    n_boot : int
        Random draws when not enumerating (at least 1). Formerly ``B=``
        (accepted for one more release, with a deprecation warning).
    seed : int
        Seed of the random generator (used only when not enumerating).
    weights : {"auto", "rademacher", "webb"}
        Distribution of the cluster weights (``"auto"``: the rule above).
    max_enumeration : int
        Enumerate all weight vectors when there are at most this many.
    missing : {"raise", "drop"}
        As in :func:`adjusted_ols`.

    Returns
    -------
    WildBootstrapResult
        Fields (also dict keys, as before 0.2) ``estimate``, ``t``
        (cluster-robust), ``p_boot`` (two-sided; with enumeration the share of
        all samples with ``|t*| >= |t|``, otherwise ``(count + 1) / (n_boot +
        1)``), ``p_analytic`` (t(G-1)), ``df``, ``n_clusters``, ``B``
        (samples used, also ``n_boot_used``), ``weights``, ``enumerated``,
        ``method`` (one sentence), ``dropped``, and ``param`` and
        ``std_error`` (CR1); ``tidy()`` gives one row, ``summary()`` the text.

    Raises
    ------
    ValidationError
        Unknown ``param`` or ``weights``, fewer than 2 clusters, ``n_boot`` < 1,
        missing values with ``missing="raise"``.
    SingularDesignError
        As in :func:`adjusted_ols`.

    References
    ----------
    Cameron, A. C., Gelbach, J. B. and Miller, D. L. (2008). Bootstrap-based
    improvements for inference with clustered errors. The Review of Economics
    and Statistics, 90(3), 414-427. https://doi.org/10.1162/rest.90.3.414

    MacKinnon, J. G., Nielsen, M. O. and Webb, M. D. (2023). Cluster-robust
    inference: a guide to empirical practice. Journal of Econometrics,
    232(2), 272-299.

    Roodman, D., Nielsen, M. O., MacKinnon, J. G. and Webb, M. D. (2019). Fast
    and wild: bootstrap inference in Stata using boottest. The Stata Journal,
    19(1), 4-60.

    Webb, M. D. (2023). Reworking wild bootstrap-based inference for clustered
    errors. Canadian Journal of Economics, 56(3), 839-858,
    https://doi.org/10.1111/caje.12661 (first circulated as Queen's
    Economics Department Working Paper 1315, 2014).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat(np.arange(11), 6)
    >>> f = pd.DataFrame({"g": g, "x": rng.normal(size=66)})
    >>> f["y"] = f["x"] + rng.normal(size=11)[g] + rng.normal(size=66)
    >>> r = wild_cluster_bootstrap(f, "y ~ x", "x", "g")
    >>> r.weights, r.enumerated, r.n_boot_used
    ('rademacher', True, 2048)
    """
    import itertools

    import statsmodels.api as sm

    func = "wild_cluster_bootstrap"
    v.check_choice(missing, v.MISSING_POLICIES, "missing", func=func)
    v.check_choice(weights, ("auto", "rademacher", "webb"), "weights", func=func)
    n_boot = _draws(n_boot, "n_boot", func)
    max_enumeration = _draws(max_enumeration, "max_enumeration", func, lo=0)
    model, g, dropped = _ols_model(frame, formula, cluster, missing, func, stacklevel=6)
    names = model.exog_names
    if param not in names:
        raise ValidationError(f"{param!r} is not a coefficient of the model: {names}")
    X, y = model.exog, model.endog
    j = names.index(param)
    full = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g}, use_t=True)
    t_obs = full.tvalues[j]
    Xr = np.delete(X, j, axis=1)
    restricted = sm.OLS(y, Xr).fit()
    fitted, resid = restricted.fittedvalues, restricted.resid
    n_g = int(g.max() + 1)
    rule = _weight_rule(weights, n_g)
    support = np.array([-1.0, 1.0]) if rule == "rademacher" else WEBB_WEIGHTS
    n_vectors = len(support) ** n_g
    enumerated = n_vectors <= max_enumeration
    if enumerated:
        V = np.array(list(itertools.product(support, repeat=n_g)))
    else:
        rng = np.random.default_rng(seed)
        V = rng.choice(support, size=(n_boot, n_g))
    # cluster-robust t of every bootstrap sample at once (statsmodels' CR1 factor):
    # beta* = A y*, the scores of cluster c are sum_i in c X_i u*_i, and only the
    # j-th diagonal of the sandwich is needed: V_jj = factor * sum_c (s_c . a)^2
    n, k = X.shape
    XtX_inv = np.linalg.pinv(X.T @ X)
    factor = n_g / (n_g - 1) * (n - 1) / (n - k)
    A = XtX_inv @ X.T
    a = XtX_inv[:, j]
    Xa = X @ a
    C = np.zeros((n, n_g))
    C[np.arange(n), g] = 1.0
    t_star = np.empty(len(V))
    step = int(max(1, min(1024, 2_000_000 // n)))  # bounded memory for large n
    for lo in range(0, len(V), step):
        Ys = fitted[None, :] + resid[None, :] * V[lo : lo + step][:, g]
        beta = Ys @ A.T
        U = Ys - beta @ X.T
        w = (U * Xa[None, :]) @ C
        t_star[lo : lo + step] = beta[:, j] / np.sqrt(factor * np.sum(w**2, axis=1))
    if enumerated:
        p = float(np.mean(np.abs(t_star) >= abs(t_obs) * (1 - 1e-10)))
    else:
        p = float((np.sum(np.abs(t_star) >= abs(t_obs)) + 1) / (n_boot + 1))
    label = "Rademacher" if rule == "rademacher" else "Webb six-point"
    how = (
        f"all {len(V):,} weight vectors enumerated"
        if enumerated
        else f"{len(V):,} random draws (seed {seed})"
    )
    return WildBootstrapResult(
        estimate=float(full.params[j]),
        t=float(t_obs),
        p_boot=p,
        p_analytic=float(full.pvalues[j]),
        df=n_g - 1,
        n_clusters=n_g,
        B=len(V),
        weights=rule,
        enumerated=bool(enumerated),
        method=f"wild cluster bootstrap-t, null imposed, {label} weights, {how}, {n_g} clusters",
        dropped=dropped,
        param=param,
        std_error=float(full.bse[j]),
    )


def _design_problems(X: np.ndarray, names: list[str]) -> tuple[list[str], list[str]]:
    """Columns of a design matrix without variation (other than the intercept)
    and columns that are exact linear combinations of the ones before them."""
    constant = [
        n
        for j, n in enumerate(names)
        if n != "Intercept" and np.ptp(X[:, j]) == 0 and "Intercept" in names
    ]
    keep = [j for j, n in enumerate(names) if n not in constant]
    collinear: list[str] = []
    basis: list[int] = []
    for j in keep:
        trial = X[:, basis + [j]]
        if np.linalg.matrix_rank(trial) > len(basis):
            basis.append(j)
        else:
            collinear.append(names[j])
    return constant, collinear


def _fit_logit(y: np.ndarray, X: np.ndarray, names: list[str], what: str):
    """Fit a logit, turning statsmodels' and numpy's failures into named errors."""
    import warnings

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        PerfectSeparationError,
        PerfectSeparationWarning,
    )

    from cityresearch._errors import (
        ConvergenceError,
        SeparationError,
        SingularDesignError,
    )

    hint = "simplify the formula, pool sparse categories, or widen the sample"
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("error", RuntimeWarning)  # overflow in exp: scores at 0 or 1
        try:
            res = sm.Logit(y, pd.DataFrame(X, columns=names)).fit(disp=False)
        except (PerfectSeparationError, PerfectSeparationWarning) as exc:
            raise SeparationError(
                f"{what}: the regressors predict the treatment perfectly (perfect separation), "
                f"so the logit has no finite estimate ({exc}); {hint}"
            ) from None
        except np.linalg.LinAlgError as exc:
            raise SingularDesignError(
                f"{what}: the design matrix of {names} is singular ({exc}); {hint}"
            ) from None
        except (ConvergenceWarning, RuntimeWarning) as exc:
            raise ConvergenceError(
                f"{what}: the logit did not converge ({type(exc).__name__}: {exc}); {hint}"
            ) from None
    if not res.mle_retvals.get("converged", True):
        raise ConvergenceError(f"{what}: the logit did not converge; {hint}")
    return res


def propensity_scores(
    frame: pd.DataFrame, formula: str, *, drop_constant: bool = False, missing: str = "raise"
):
    """Logit propensity score, e.g. ``"participant ~ ln_grdp_pc + ln_pop + kota"``.

    Parameters
    ----------
    frame : DataFrame
        One row per unit, with a unique index (the scores are indexed by it).
    formula : str
        Patsy formula with the treatment column on the left: 0/1 or boolean,
        anything else is refused with the values found.
    drop_constant : bool
        If True, regressors with no variation in the rows used (other than the
        intercept) are left out of the model, with a
        :class:`~cityresearch._errors.DroppedRegressorWarning`; their names are
        in ``scores.attrs["dropped_regressors"]``. If False (default) they
        raise :class:`~cityresearch._errors.SingularDesignError`.
    missing : {"raise", "drop"}
        Rows with a missing value in a model column: an error naming them, or
        left out with a :class:`~cityresearch._errors.DroppedRowsWarning` and
        listed in ``scores.attrs["dropped"]``.

    Returns
    -------
    (Series, statsmodels results)
        Scores named ``ps`` aligned to the rows used, and the fitted logit.

    Raises
    ------
    ValidationError
        A treatment that is not 0/1 or has one group only, missing values
        (``missing="raise"``), a non-unique index.
    SingularDesignError
        A regressor without variation (unless ``drop_constant``) or regressors
        that are exact linear combinations of others; the message names them.
    SeparationError
        The regressors predict the treatment perfectly.
    ConvergenceError
        The maximum-likelihood iterations did not converge.

    References
    ----------
    Rosenbaum, P. R. and Rubin, D. B. (1983). The central role of the
    propensity score in observational studies for causal effects.
    Biometrika, 70(1), 41-55. https://doi.org/10.1093/biomet/70.1.41

    Examples
    --------
    >>> f = pd.DataFrame({"t": [1, 0, 0, 1, 1, 0], "x": [0, 0, 0, 1, 1, 1]})
    >>> ps, _ = propensity_scores(f, "t ~ x")
    >>> ps.round(4).tolist()
    [0.3333, 0.3333, 0.3333, 0.6667, 0.6667, 0.6667]
    """
    import warnings

    import statsmodels.formula.api as smf

    from cityresearch._errors import DroppedRegressorWarning, SingularDesignError

    func = "propensity_scores"
    v.check_choice(missing, v.MISSING_POLICIES, "missing", func=func)
    v.as_frame(frame, func=func)
    if not frame.index.is_unique:
        raise ValidationError(
            f"{func}: the frame's index has duplicate labels; the scores are "
            "indexed by it: reset_index() first"
        )
    treat = formula.split("~")[0].strip()
    if treat in frame.columns:  # codes first (missing values follow the missing= policy)
        v.check_binary_treatment(frame[treat].dropna(), treat, require_both=False, func=func)
    df, dropped = _model_rows(frame, formula, [], missing, func)
    if treat in df.columns:
        v.check_binary_treatment(df[treat], treat, func=func)
    model = _patsy(smf.logit, formula, df, func)
    X, y, names = model.exog, model.endog, list(model.exog_names)
    constant, collinear = _design_problems(X, names)
    what = f"propensity model {formula!r} on {len(y)} rows"
    if constant and not drop_constant:
        vals = {n: float(X[0, names.index(n)]) for n in constant}
        raise SingularDesignError(
            f"{what}: regressors without variation {vals} (column: its only value); remove "
            "them from the formula or pass drop_constant=True"
        )
    if collinear:
        raise SingularDesignError(
            f"{what}: regressors {collinear} are exact linear combinations of the others; "
            "remove them from the formula"
        )
    if constant:
        warnings.warn(
            f"{what}: regressors {constant} have no variation and were left out of the model",
            DroppedRegressorWarning,
            stacklevel=user_stacklevel(),
        )
    keep = [j for j, n in enumerate(names) if n not in constant]
    res = _fit_logit(y, X[:, keep], [names[j] for j in keep], what)
    ps = pd.Series(res.predict(), index=model.data.row_labels, name="ps")
    ps.attrs["dropped_regressors"] = constant
    ps.attrs["dropped"] = dropped
    return ps, res


def _trim_bounds(trim, func):
    if not isinstance(trim, (tuple, list)) or len(trim) != 2:
        raise ValidationError(f"{func}: trim must be a pair (lo, hi) of scores; got {trim!r}")
    lo = v.check_number(trim[0], "trim lower bound", lo=0, hi=1, func=func)
    hi = v.check_number(trim[1], "trim upper bound", lo=0, hi=1, func=func)
    if not lo < hi:
        raise ValidationError(f"{func}: trim=({lo}, {hi}): the lower bound must be below the upper")
    return lo, hi


def _treat_scores(treat, ps, func, extra=()):
    """Align treatment, scores (and more) by label or position; check the treatment."""
    names = ["treat", "ps", *[n for n, _ in extra]]
    vals = [treat, ps, *[x for _, x in extra]]
    vals = [x if isinstance(x, pd.Series) else np.asarray(x, dtype=object).ravel() for x in vals]
    v.check_binary_treatment(vals[0], "treat", require_both=False, func=func)  # codes first
    aligned = v.align_by_key(*vals, names=names, func=func)
    v.min_rows(aligned[0], 2, what="units", func=func)
    t = v.check_binary_treatment(aligned[0], "treat", func=func).to_numpy().astype(bool)
    p = pd.to_numeric(aligned[1], errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(p) & aligned[1].notna().to_numpy()
    if bad.any():
        raise ValidationError(f"{func}: ps must hold numbers; found {aligned[1][bad].iloc[0]!r}")
    outside = (p < 0) | (p > 1)
    if outside.any():
        where = [
            f"{lab} = {val:g}"
            for lab, val in zip(aligned[1].index[outside], p[outside], strict=True)
        ]
        n_out = int(outside.sum())
        raise ValidationError(
            f"{func}: propensity scores are probabilities and must lie in "
            f"[0, 1]; {n_out} {'are' if n_out > 1 else 'is'} outside "
            f"({v._join(where)}). "
            "Pass the fitted scores (propensity_scores), not a linear "
            "predictor or a percentage"
        )
    return t, p, aligned


def overlap(treat, ps, *, trim: tuple[float, float] = (0.05, 0.95)) -> pd.DataFrame:
    """Overlap diagnostics of propensity scores.

    Parameters
    ----------
    treat : Series or array-like
        0/1 or boolean treatment (other codes refused).
    ps : Series or array-like
        Scores in [0, 1]; two Series are matched by index label, arrays by
        position (an array beside a labelled Series is refused).
    trim : (float, float)
        Bounds counted in ``outside_trim``, 0 <= lo < hi <= 1.

    Returns
    -------
    DataFrame
        Per group (treated, control): ``n``, score quantiles,
        ``outside_common_support`` (outside the overlap of the two groups'
        ranges, in ``attrs["common_support"]``) and ``outside_trim``.

    Raises
    ------
    ValidationError
        Bad treatment coding, missing scores or scores outside [0, 1] (the
        units are named), bad ``trim``.

    Notes
    -----
    Common support here is the intersection of the two groups' score ranges
    ``[max(min_t, min_c), min(max_t, max_c)]`` (the minima-maxima comparison);
    ``outside_trim`` counts the scores outside fixed bounds, the trimming
    idea of Crump et al. (2009), whose optimal rule of thumb is
    ``[0.1, 0.9]``; the default ``(0.05, 0.95)`` is a milder, fixed choice,
    not their rule.

    References
    ----------
    Crump, R. K., Hotz, V. J., Imbens, G. W. and Mitnik, O. A. (2009).
    Dealing with limited overlap in estimation of average treatment effects.
    *Biometrika* 96(1), 187-199. doi:10.1093/biomet/asn055

    Caliendo, M. and Kopeinig, S. (2008). Some practical guidance for the
    implementation of propensity score matching. *Journal of Economic
    Surveys* 22(1), 31-72.

    Examples
    --------
    >>> overlap([1, 1, 0, 0], [0.8, 0.4, 0.3, 0.6])["outside_common_support"].tolist()
    [1, 1]
    """
    func = "overlap"
    trim = _trim_bounds(trim, func)
    t, ps, _ = _treat_scores(treat, ps, func)
    if np.isnan(ps).any():
        raise ValidationError(
            f"{func}: {int(np.isnan(ps).sum())} scores are missing; drop those units first"
        )
    lo, hi = max(ps[t].min(), ps[~t].min()), min(ps[t].max(), ps[~t].max())
    rows = []
    for name, m in (("treated", t), ("control", ~t)):
        p = ps[m]
        rows.append(
            {
                "group": name,
                "n": int(m.sum()),
                "min": p.min(),
                "q25": np.quantile(p, 0.25),
                "median": np.median(p),
                "q75": np.quantile(p, 0.75),
                "max": p.max(),
                "outside_common_support": int(((p < lo) | (p > hi)).sum()),
                "outside_trim": int(((p < trim[0]) | (p > trim[1])).sum()),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["common_support"] = (lo, hi)
    return out


def ipw(outcome, treat, ps, *, estimand: str = "ATT") -> IPWResult:
    """Inverse-probability-weighted difference in means (normalised, Hajek weights).

    ATT weights: treated 1, controls ps/(1-ps). ATE weights: treated 1/ps,
    controls 1/(1-ps) (Hirano, Imbens and Ridder 2003; Imbens 2004). Each
    group's weights are normalised to sum to one. The effective sample size
    of the controls is Kish's ``(sum w)^2 / sum w^2``.

    Parameters
    ----------
    outcome, treat, ps : Series or array-like
        Three Series are matched by index label, arrays by position; an array
        beside a Series with labels (other than 0..n-1) is refused. ``treat``
        is 0/1 or boolean (other codes are refused with the values found).
    estimand : {"ATT", "ATE"}
        Effect on the treated (default) or average effect over all units.

    Returns
    -------
    IPWResult
        Fields (also dict keys, as before 0.2) ``estimand``, ``effect``
        (outcome's unit), ``mean_treated``, ``mean_control_weighted``,
        ``ess_control`` (Kish effective sample size of the controls),
        ``n_treated``, ``n_control``; ``tidy()`` gives one row, ``summary()``
        a sentence. No standard error: use :func:`ipw_bootstrap`.

    Raises
    ------
    ValidationError
        Bad coding, different lengths or labels, an array beside a labelled
        Series, missing or infinite values, scores not strictly between 0 and
        1 (the first offending unit is named).

    References
    ----------
    Hirano, K., Imbens, G. W. and Ridder, G. (2003). Efficient estimation of
    average treatment effects using the estimated propensity score.
    Econometrica, 71(4), 1161-1189. https://doi.org/10.1111/1468-0262.00442

    Imbens, G. W. (2004). Nonparametric estimation of average treatment
    effects under exogeneity: a review. The Review of Economics and
    Statistics, 86(1), 4-29.

    Kish, L. (1965). Survey Sampling. New York: Wiley.

    Examples
    --------
    >>> r = ipw([5.0, 7.0, 1.0, 3.0], [1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])
    >>> r.effect
    4.0
    """
    func = "ipw"
    v.check_choice(estimand, ("ATT", "ATE"), "estimand", func=func)
    t, ps, aligned = _treat_scores(treat, ps, func, extra=[("outcome", outcome)])
    y = pd.to_numeric(aligned[2], errors="coerce").to_numpy(dtype=float)
    if (np.isnan(y) & aligned[2].notna().to_numpy()).any():
        raise ValidationError(f"{func}: outcome must hold numbers")
    if np.isnan(y).any() or np.isnan(ps).any():
        where = aligned[0].index[np.isnan(y) | np.isnan(ps)]
        raise ValidationError(
            f"{func}: missing outcomes or scores at {list(where[:5])}; drop those units first"
        )
    v.check_finite(pd.Series(y, index=aligned[2].index), "outcome", func=func)
    out_of_range = (ps <= 0) | (ps >= 1)
    if out_of_range.any():
        i = int(np.argmax(out_of_range))
        raise ValidationError(
            f"{func}: propensity scores must be strictly between 0 and 1; "
            f"{aligned[1].index[i]} has {ps[i]:g}"
        )
    if estimand == "ATT":
        w1, w0 = np.ones(t.sum()), ps[~t] / (1 - ps[~t])
    else:
        w1, w0 = 1 / ps[t], 1 / (1 - ps[~t])
    m1 = np.sum(w1 * y[t]) / w1.sum()
    m0 = np.sum(w0 * y[~t]) / w0.sum()
    return IPWResult(
        estimand=estimand,
        effect=float(m1 - m0),
        mean_treated=float(m1),
        mean_control_weighted=float(m0),
        ess_control=float(w0.sum() ** 2 / np.sum(w0**2)),
        n_treated=int(t.sum()),
        n_control=int((~t).sum()),
    )


@renamed(B="n_boot")
def ipw_bootstrap(
    frame: pd.DataFrame,
    outcome: str,
    formula: str,
    *,
    estimand: str = "ATT",
    n_boot: int = 499,
    seed: int = 0,
    confidence: float = 0.95,
    trim: tuple[float, float] | None = None,
    missing: str = "raise",
) -> IPWBootstrapResult:
    """IPW effect with a bootstrap SE and percentile CI; the propensity model
    (``formula``, treatment on the left) is re-estimated in every draw.

    The estimate is :func:`ipw` on the scores of :func:`propensity_scores`
    (Hirano, Imbens and Ridder 2003). Units are resampled with replacement
    ``n_boot`` times and the whole procedure (score, trimming, weights) is
    repeated on each resample; the standard error is the standard deviation
    of the draws and the interval their percentiles (Efron and Tibshirani
    1993).

    ``trim=(lo, hi)`` keeps only units whose score lies within the bounds and
    re-estimates the score on them (trimming on the estimated score as in
    Crump, Hotz, Imbens and Mitnik 2009, whose rule of thumb is (0.1, 0.9);
    here the bounds are the user's), in the estimate and in every draw;
    ``n_trimmed`` says how many units were dropped. A regressor that has no
    variation among the kept units (for example a binary
    covariate whose other level was trimmed away entirely) is left out of the
    re-estimated score, with a :class:`~cityresearch._errors.DroppedRegressorWarning`
    and its name in ``dropped_regressors``. Draws in which the logit separates
    perfectly, does not converge or is singular are skipped: ``B_used`` <
    ``n_boot`` and ``B_skipped`` counts each reason.

    Parameters
    ----------
    frame : DataFrame
        One row per unit with the outcome, the treatment and the score's
        regressors.
    outcome : str
        Numeric outcome column.
    formula : str
        Propensity model, treatment (0/1) on the left.
    estimand : {"ATT", "ATE"}
        Effect on the treated (default) or average effect over all units.
    n_boot : int
        Bootstrap draws (at least 2). Formerly ``B=`` (accepted for one more
        release, with a deprecation warning).
    seed : int
        Seed of the random generator of the resamples.
    confidence : float
        Of the percentile interval, in (0, 1).
    trim : (float, float), optional
        Score bounds, 0 <= lo < hi <= 1.
    missing : {"raise", "drop"}
        Rows with a missing outcome or model variable: an error naming them,
        or left out with a warning and listed in ``result["dropped"]``.

    Returns
    -------
    IPWBootstrapResult
        The fields of :class:`IPWResult` plus ``n_trimmed``,
        ``dropped_regressors``, ``se_boot``, ``ci_lo``, ``ci_hi`` (outcome's
        unit), ``B_used``, ``B_skipped`` (reason: count), ``dropped``,
        ``n_boot`` and ``confidence`` (also dict keys, as before 0.2);
        ``tidy()`` gives one row (``estimate``, ``std_error``, ``conf_low``,
        ``conf_high`` ...), ``summary()`` the text.

    Raises
    ------
    ValidationError
        Bad options, columns or treatment coding; missing values with
        ``missing="raise"``; fewer than 2 usable draws.
    SeparationError, ConvergenceError, SingularDesignError
        The score cannot be estimated on the full sample (the message says
        why and what to change).

    References
    ----------
    Crump, R. K., Hotz, V. J., Imbens, G. W. and Mitnik, O. A. (2009). Dealing
    with limited overlap in estimation of average treatment effects.
    Biometrika, 96(1), 187-199. https://doi.org/10.1093/biomet/asn055

    Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap.
    New York: Chapman & Hall.

    Hirano, K., Imbens, G. W. and Ridder, G. (2003). Efficient estimation of
    average treatment effects using the estimated propensity score.
    Econometrica, 71(4), 1161-1189. https://doi.org/10.1111/1468-0262.00442

    Examples
    --------
    >>> f = pd.DataFrame({"t": [1, 1, 1, 0, 0, 0, 1, 0], "x": [0, 0, 1, 1, 0, 0, 1, 1],
    ...                   "y": [5.0, 6.0, 8.0, 4.0, 1.0, 2.0, 9.0, 3.0]})
    >>> r = ipw_bootstrap(f, "y", "t ~ x", n_boot=20, seed=1)
    >>> round(r.effect, 6)  # every score is 1/2: (5 + 6 + 8 + 9) / 4 - (4 + 1 + 2 + 3) / 4
    4.5
    >>> r.n_boot, r.n_boot_used <= 20, r.ci_lo <= r.effect <= r.ci_hi
    (20, True, True)
    """
    import warnings

    from cityresearch._errors import (
        DroppedRegressorWarning,
        EstimationError,
        SeparationError,
    )

    func = "ipw_bootstrap"
    v.check_choice(estimand, ("ATT", "ATE"), "estimand", func=func)
    v.check_choice(missing, v.MISSING_POLICIES, "missing", func=func)
    n_boot = _draws(n_boot, "n_boot", func, lo=2)
    confidence = _confidence(confidence, func)
    if trim is not None:
        trim = _trim_bounds(trim, func)
    treat = formula.split("~")[0].strip()
    frame = v.require_columns(frame, {outcome: "numeric", treat: "any"}, func=func)
    v.check_binary_treatment(frame[treat].dropna(), treat, require_both=False, func=func)
    df, dropped_rows = _model_rows(frame, formula, [outcome], missing, func, stacklevel=5)
    v.check_binary_treatment(df[treat], treat, func=func)
    df = df.reset_index(drop=True)

    def estimate(d):
        p, _ = propensity_scores(d, formula)
        dropped, removed = 0, []
        if trim is not None:
            keep = p.between(*trim)
            dropped = int((~keep).sum())
            d = d.loc[p.index[keep]].reset_index(drop=True)
            if d[treat].nunique() < 2:
                raise SeparationError(
                    f"after trimming to scores in {trim} only "
                    f"{'treated' if d[treat].any() else 'control'} units remain; relax trim="
                )
            try:
                p, _ = propensity_scores(d, formula, drop_constant=True)
            except EstimationError as exc:
                raise type(exc)(
                    f"after trimming to scores in [{trim[0]:g}, {trim[1]:g}] ({dropped} units "
                    f"trimmed, {len(d)} kept) the score cannot be re-estimated: {exc}. Relax "
                    "trim= (e.g. trim=(0.05, 0.95)) or pass trim=None"
                ) from None
            removed = p.attrs["dropped_regressors"]
        at_bound = int(((p <= 0) | (p >= 1)).sum())
        if at_bound:
            raise SeparationError(
                f"propensity model {formula!r}: {at_bound} fitted scores are exactly 0 or 1 "
                "in floating point (quasi-complete separation), so their weights are infinite; "
                "pass trim= or simplify the formula"
            )
        out = dict(ipw(d.loc[p.index, outcome], d.loc[p.index, treat], p, estimand=estimand))
        out["n_trimmed"] = dropped
        out["dropped_regressors"] = list(removed)
        return out

    est = estimate(df)  # named errors (separation, convergence, singular) reach the user
    rng = np.random.default_rng(seed)
    effects: list[float] = []
    skipped = {
        "one_group": 0,
        "SeparationError": 0,
        "ConvergenceError": 0,
        "SingularDesignError": 0,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedRegressorWarning)  # part of the estimator
        for _ in range(n_boot):
            s = df.iloc[rng.integers(0, len(df), len(df))].reset_index(drop=True)
            if s[treat].nunique() < 2:
                skipped["one_group"] += 1
                continue
            try:
                effects.append(estimate(s)["effect"])
            except EstimationError as exc:
                skipped[type(exc).__name__] += 1
    draws = np.asarray(effects)
    if len(draws) < 2:
        raise ValidationError(
            f"{func}: only {len(draws)} of {n_boot} draws could be estimated "
            f"(skipped: {skipped}); simplify the formula or relax trim="
        )
    lo, hi = np.quantile(draws, [(1 - confidence) / 2, (1 + confidence) / 2])
    return IPWBootstrapResult(
        **est,
        se_boot=float(draws.std(ddof=1)),
        ci_lo=float(lo),
        ci_hi=float(hi),
        B_used=len(draws),
        B_skipped={k: n for k, n in skipped.items() if n},
        dropped=dropped_rows,
        n_boot=n_boot,
        confidence=confidence,
    )
