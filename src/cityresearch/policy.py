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

import re
import warnings

import numpy as np
import pandas as pd

from cityresearch import _validate as v
from cityresearch._errors import (
    ConvergenceError,
    DroppedRowsWarning,
    SingularDesignError,
    ValidationError,
)
from cityresearch.panels import participation_frame  # noqa: F401 (moved to panels; kept importable)

__all__ = [
    "WEBB_WEIGHTS",
    "adjusted_ols",
    "balance_table",
    "correlation",
    "ipw",
    "ipw_bootstrap",
    "ordered_cutpoints",
    "ordered_logit",
    "overlap",
    "participation_frame",
    "propensity_scores",
    "wild_cluster_bootstrap",
]

#: Webb's (2013) six-point distribution: mean 0, variance 1, each value with probability 1/6.
WEBB_WEIGHTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


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


def _model_rows(frame: pd.DataFrame, formula: str, extra: list[str], missing: str, func: str):
    """Apply the ``missing=`` policy to every column a model uses, before patsy
    (which would drop incomplete rows silently). Returns (rows kept, rows dropped)."""
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
    kept, dropped = v.handle_missing(frame, cols, missing=missing, func=func, stacklevel=4)
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

    Examples
    --------
    >>> f = pd.DataFrame({"t": [1, 1, 0, 0, 0], "x": [2.0, 4.0, 1.0, 2.0, 3.0]})
    >>> round(balance_table(f, "t", ["x"])["std_diff"].item(), 4)
    0.8165
    """
    func = "balance_table"
    covariates = _names(covariates, "covariates", func)
    categorical = _names(categorical, "categorical", func)
    frame = v.require_columns(
        frame,
        {treat: "any", **dict.fromkeys(covariates, "numeric"), **dict.fromkeys(categorical, "any")},
        func=func,
    )
    v.min_rows(frame, 4, what="units (2 treated and 2 control at least)", func=func)
    t = v.check_binary_treatment(frame[treat], treat, func=func).astype(bool)
    rows = []
    cols = {c: frame[c].astype(float) for c in covariates}
    for c in categorical:
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
            stacklevel=2,
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
) -> dict:
    """Correlation with a percentile bootstrap CI and a two-sided permutation p-value.

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
    confidence : float
        Of the interval, in (0, 1).
    missing : {"raise", "drop"}
        Pairs with a missing value: an error naming them, or left out with a
        :class:`~cityresearch._errors.DroppedRowsWarning` and listed in
        ``result["dropped"]`` (a frame of the pairs, by label or position).

    Returns
    -------
    dict
        ``method``, ``r``, ``ci_lo``, ``ci_hi``, ``p_perm`` (``(count + 1) /
        (n_perm + 1)``), ``n``, ``n_boot``, ``n_perm``, ``dropped``.

    Raises
    ------
    ValidationError
        Unknown method, bad option values, text or infinite values (named),
        an array beside a labelled Series, missing values with
        ``missing="raise"``, fewer than 4 complete pairs, a constant variable
        (correlation undefined) or a non-0/1 ``x`` for ``"pointbiserial"``.

    Examples
    --------
    >>> c = correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], n_boot=50, n_perm=50)
    >>> round(c["r"], 4)
    0.7746
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
    return {
        "method": method,
        "r": float(est),
        "ci_lo": float(lo),
        "ci_hi": float(hi),
        "p_perm": float(p),
        "n": len(x),
        "n_boot": n_boot,
        "n_perm": n_perm,
        "dropped": dropped,
    }


def ordered_logit(
    frame: pd.DataFrame,
    outcome: str,
    exog: list[str],
    *,
    order: list | None = None,
    missing: str = "raise",
):
    """Ordered logit of an ordered outcome (default zones merah < kuning < hijau).

    Parameters
    ----------
    frame : DataFrame
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

    Examples
    --------
    See :func:`ordered_logit`.
    """
    model = getattr(results, "model", None)
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


def _ols_model(frame, formula, cluster, missing, func):
    import statsmodels.formula.api as smf

    df, dropped = _model_rows(frame, formula, [cluster] if cluster else [], missing, func)
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

    Parameters
    ----------
    frame : DataFrame
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


def wild_cluster_bootstrap(
    frame: pd.DataFrame,
    formula: str,
    param: str,
    cluster: str,
    *,
    B: int = 999,
    seed: int = 0,
    weights: str = "auto",
    max_enumeration: int = 4096,
    missing: str = "raise",
) -> dict:
    """Wild cluster bootstrap-t p-value for one coefficient, null imposed (WCR).

    The restricted model (``param`` = 0) supplies fitted values and residuals;
    each bootstrap sample multiplies every cluster's residuals by one weight
    and the cluster-robust t-statistic is recomputed (Cameron, Gelbach and
    Miller 2008; MacKinnon, Nielsen and Webb 2023).

    Weights and enumeration (``weights="auto"``):

    * G >= 10 clusters: Rademacher weights (+1/-1). Rademacher weights
      allow only 2^G distinct bootstrap samples; when 2^G <= ``max_enumeration``
      (G <= 12 with the default 4,096) all of them are enumerated and the
      p-value is exact (no randomness, ``B`` and ``seed`` are not used);
      otherwise ``B`` random draws.
    * G <= 9 clusters: Webb's six-point weights (+-sqrt(1/2), +-1, +-sqrt(3/2)),
      because 2^G Rademacher samples then give at most 2^(G-1) distinct |t*|
      and a p-value that cannot be finer than about 1/2^(G-1) (Webb 2023):
      6^G samples are enumerated when 6^G <= ``max_enumeration`` (G <= 4),
      otherwise ``B`` random draws.

    ``weights="rademacher"`` or ``"webb"`` forces a distribution (the
    enumeration rule still applies). The result says what was used.

    Parameters
    ----------
    frame : DataFrame
    formula : str
        As in :func:`adjusted_ols`.
    param : str
        The coefficient tested (a name in the model, e.g. ``"participant"``).
    cluster : str
        Column of cluster labels.
    B : int
        Random draws when not enumerating (at least 1).
    seed : int
    weights : {"auto", "rademacher", "webb"}
    max_enumeration : int
        Enumerate all weight vectors when there are at most this many.
    missing : {"raise", "drop"}
        As in :func:`adjusted_ols`.

    Returns
    -------
    dict
        ``estimate``, ``t`` (cluster-robust), ``p_boot`` (two-sided; with
        enumeration the share of all samples with ``|t*| >= |t|``, otherwise
        ``(count + 1) / (B + 1)``), ``p_analytic`` (t(G-1)), ``df``,
        ``n_clusters``, ``B`` (samples used), ``weights``, ``enumerated``,
        ``method`` (one sentence) and ``dropped``.

    Raises
    ------
    ValidationError
        Unknown ``param`` or ``weights``, fewer than 2 clusters, ``B`` < 1,
        missing values with ``missing="raise"``.
    SingularDesignError
        As in :func:`adjusted_ols`.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat(np.arange(11), 6)
    >>> f = pd.DataFrame({"g": g, "x": rng.normal(size=66)})
    >>> f["y"] = f["x"] + rng.normal(size=11)[g] + rng.normal(size=66)
    >>> r = wild_cluster_bootstrap(f, "y ~ x", "x", "g")
    >>> r["weights"], r["enumerated"], r["B"]
    ('rademacher', True, 2048)
    """
    import itertools

    import statsmodels.api as sm

    func = "wild_cluster_bootstrap"
    v.check_choice(missing, v.MISSING_POLICIES, "missing", func=func)
    v.check_choice(weights, ("auto", "rademacher", "webb"), "weights", func=func)
    B = _draws(B, "B", func)
    max_enumeration = _draws(max_enumeration, "max_enumeration", func, lo=0)
    model, g, dropped = _ols_model(frame, formula, cluster, missing, func)
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
        V = rng.choice(support, size=(B, n_g))
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
        p = float((np.sum(np.abs(t_star) >= abs(t_obs)) + 1) / (B + 1))
    label = "Rademacher" if rule == "rademacher" else "Webb six-point"
    how = (
        f"all {len(V):,} weight vectors enumerated"
        if enumerated
        else f"{len(V):,} random draws (seed {seed})"
    )
    return {
        "estimate": float(full.params[j]),
        "t": float(t_obs),
        "p_boot": p,
        "p_analytic": float(full.pvalues[j]),
        "df": n_g - 1,
        "n_clusters": n_g,
        "B": len(V),
        "weights": rule,
        "enumerated": bool(enumerated),
        "method": f"wild cluster bootstrap-t, null imposed, {label} weights, {how}, {n_g} clusters",
        "dropped": dropped,
    }


def _design_problems(X: np.ndarray, names: list[str]) -> tuple[list[str], list[str]]:
    """Columns of a design matrix without variation (other than the intercept)
    and columns that are exact linear combinations of the ones before them."""
    constant = [
        n
        for j, n in enumerate(names)
        if n != "Intercept" and np.ptp(X[:, j]) == 0 and "Intercept" in names
    ]
    keep = [j for j, n in enumerate(names) if n not in constant]
    collinear, basis = [], []
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
            stacklevel=2,
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


def ipw(outcome, treat, ps, *, estimand: str = "ATT") -> dict:
    """Inverse-probability-weighted difference in means (normalised, Hajek weights).

    ATT weights: treated 1, controls ps/(1-ps). ATE weights: treated 1/ps,
    controls 1/(1-ps).

    Parameters
    ----------
    outcome, treat, ps : Series or array-like
        Three Series are matched by index label, arrays by position; an array
        beside a Series with labels (other than 0..n-1) is refused. ``treat``
        is 0/1 or boolean (other codes are refused with the values found).
    estimand : {"ATT", "ATE"}

    Returns
    -------
    dict
        ``estimand``, ``effect``, ``mean_treated``, ``mean_control_weighted``,
        ``ess_control`` (Kish effective sample size of the controls),
        ``n_treated``, ``n_control``.

    Raises
    ------
    ValidationError
        Bad coding, different lengths or labels, an array beside a labelled
        Series, missing or infinite values, scores not strictly between 0 and
        1 (the first offending unit is named).

    Examples
    --------
    >>> r = ipw([5.0, 7.0, 1.0, 3.0], [1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])
    >>> r["effect"]
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
    return {
        "estimand": estimand,
        "effect": float(m1 - m0),
        "mean_treated": float(m1),
        "mean_control_weighted": float(m0),
        "ess_control": float(w0.sum() ** 2 / np.sum(w0**2)),
        "n_treated": int(t.sum()),
        "n_control": int((~t).sum()),
    }


def ipw_bootstrap(
    frame: pd.DataFrame,
    outcome: str,
    formula: str,
    *,
    estimand: str = "ATT",
    B: int = 499,
    seed: int = 0,
    confidence: float = 0.95,
    trim: tuple[float, float] | None = None,
    missing: str = "raise",
) -> dict:
    """IPW effect with a bootstrap SE and percentile CI; the propensity model
    (``formula``, treatment on the left) is re-estimated in every draw.

    ``trim=(lo, hi)`` keeps only units whose score lies within the bounds and
    re-estimates the score on them (Crump et al. 2009), in the estimate and in
    every draw; ``n_trimmed`` says how many units were dropped. A regressor
    that has no variation among the kept units (for example a binary
    covariate whose other level was trimmed away entirely) is left out of the
    re-estimated score, with a :class:`~cityresearch._errors.DroppedRegressorWarning`
    and its name in ``dropped_regressors``. Draws in which the logit separates
    perfectly, does not converge or is singular are skipped: ``B_used`` < ``B``
    and ``B_skipped`` counts each reason.

    Parameters
    ----------
    frame : DataFrame
    outcome : str
        Numeric outcome column.
    formula : str
        Propensity model, treatment (0/1) on the left.
    estimand : {"ATT", "ATE"}
    B : int
        Bootstrap draws (at least 2).
    seed : int
    confidence : float
        Of the percentile interval, in (0, 1).
    trim : (float, float), optional
        Score bounds, 0 <= lo < hi <= 1.
    missing : {"raise", "drop"}
        Rows with a missing outcome or model variable: an error naming them,
        or left out with a warning and listed in ``result["dropped"]``.

    Returns
    -------
    dict
        The keys of :func:`ipw` plus ``n_trimmed``, ``dropped_regressors``,
        ``se_boot``, ``ci_lo``, ``ci_hi``, ``B_used``, ``B_skipped`` (reason:
        count) and ``dropped``.

    Raises
    ------
    ValidationError
        Bad options, columns or treatment coding; missing values with
        ``missing="raise"``; fewer than 2 usable draws.
    SeparationError, ConvergenceError, SingularDesignError
        The score cannot be estimated on the full sample (the message says
        why and what to change).
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
    B = _draws(B, "B", func, lo=2)
    confidence = _confidence(confidence, func)
    if trim is not None:
        trim = _trim_bounds(trim, func)
    treat = formula.split("~")[0].strip()
    frame = v.require_columns(frame, {outcome: "numeric", treat: "any"}, func=func)
    v.check_binary_treatment(frame[treat].dropna(), treat, require_both=False, func=func)
    df, dropped_rows = _model_rows(frame, formula, [outcome], missing, func)
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
        out = ipw(d.loc[p.index, outcome], d.loc[p.index, treat], p, estimand=estimand)
        out["n_trimmed"] = dropped
        out["dropped_regressors"] = list(removed)
        return out

    est = estimate(df)  # named errors (separation, convergence, singular) reach the user
    rng = np.random.default_rng(seed)
    draws, skipped = (
        [],
        {"one_group": 0, "SeparationError": 0, "ConvergenceError": 0, "SingularDesignError": 0},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedRegressorWarning)  # part of the estimator
        for _ in range(B):
            s = df.iloc[rng.integers(0, len(df), len(df))].reset_index(drop=True)
            if s[treat].nunique() < 2:
                skipped["one_group"] += 1
                continue
            try:
                draws.append(estimate(s)["effect"])
            except EstimationError as exc:
                skipped[type(exc).__name__] += 1
    draws = np.asarray(draws)
    if len(draws) < 2:
        raise ValidationError(
            f"{func}: only {len(draws)} of {B} draws could be estimated "
            f"(skipped: {skipped}); simplify the formula or relax trim="
        )
    lo, hi = np.quantile(draws, [(1 - confidence) / 2, (1 + confidence) / 2])
    return {
        **est,
        "se_boot": float(draws.std(ddof=1)),
        "ci_lo": float(lo),
        "ci_hi": float(hi),
        "B_used": len(draws),
        "B_skipped": {k: n for k, n in skipped.items() if n},
        "dropped": dropped_rows,
    }
