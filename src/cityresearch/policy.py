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
3. :func:`ordered_logit`: zones (merah < kuning < hijau) as an ordered outcome.
4. :func:`adjusted_ols` with controls and province fixed effects, province-
   clustered standard errors, and :func:`wild_cluster_bootstrap` for the few-
   clusters problem (Cameron, Gelbach and Miller 2008).
5. :func:`propensity_scores`, :func:`overlap` and :func:`ipw`: inverse-
   probability weighting on pre-programme covariates, with its assumptions
   (no unobserved confounding, overlap) stated, not assumed away.

Staggered adoption effects on yearly outcomes are in :mod:`cityresearch.did`.
None of these turns selection into randomisation: they show how much the
answer moves once the observed reasons for selection are accounted for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError

__all__ = ["participation_frame", "balance_table", "correlation", "ordered_logit",
           "adjusted_ols", "wild_cluster_bootstrap", "propensity_scores", "overlap", "ipw",
           "ipw_bootstrap"]


def participation_frame(pre_year: int = 2016) -> pd.DataFrame:
    """The 514 kab/kota with smart-city participation and pre-programme covariates.

    Columns: registry codes and names, ``cohort_year`` (first MoU; missing for
    never-participants), ``participant`` (0/1), ``kota`` (0/1), and from the
    QuaRCS panel in ``pre_year`` (default 2016, the year before the first
    MoUs): ``grdp_pc_idr_k``, ``pop``, ``ln_grdp_pc``, ``ln_pop``, and the
    2010-``pre_year`` GRDP growth ``grdp_cagr_pre_pct`` (percent per year).
    """
    from cityresearch import data, growth, regions

    panel = data.load_district_panel()
    if pre_year not in set(panel["year"]) or pre_year >= 2017:
        raise ValidationError(f"pre_year must be a year of the panel before 2017, not {pre_year}")
    pre = panel[panel["year"] == pre_year].set_index("bps_code")
    out = regions.region_table()
    coh = data.load_smart_city_cohorts().set_index("bps_code")["cohort_year"]
    out["cohort_year"] = out["bps_code"].map(coh)
    out["participant"] = out["cohort_year"].notna().astype(int)
    out["kota"] = (out["type"] == "kota").astype(int)
    out["grdp_pc_idr_k"] = out["bps_code"].map(pre["grdp_pc_idr_k"])
    out["pop"] = out["bps_code"].map(pre["pop"])
    out["ln_grdp_pc"] = np.log(out["grdp_pc_idr_k"])
    out["ln_pop"] = np.log(out["pop"])
    out["grdp_cagr_pre_pct"] = out["bps_code"].map(growth.cagr(panel, "grdp_idr_bn", 2010, pre_year))
    return out


def _check(frame, cols):
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValidationError(f"the data lack columns {missing}")


def balance_table(frame: pd.DataFrame, treat: str, covariates: list[str], *,
                  categorical: tuple[str, ...] = ()) -> pd.DataFrame:
    """Means of treated and control units and standardised differences.

    ``std_diff = (mean_t - mean_c) / sqrt((var_t + var_c) / 2)``; categorical
    covariates are expanded into one row per level (share of units).
    Missing values are dropped per covariate and counted.
    """
    _check(frame, [treat, *covariates, *categorical])
    t = frame[treat].astype(bool)
    rows = []
    cols = {c: frame[c].astype(float) for c in covariates}
    for c in categorical:
        for level in sorted(frame[c].dropna().unique(), key=str):
            cols[f"{c}={level}"] = (frame[c] == level).astype(float).where(frame[c].notna())
    for name, x in cols.items():
        a, b = x[t].dropna(), x[~t].dropna()
        sd = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        rows.append({"covariate": name, "mean_treated": a.mean(), "mean_control": b.mean(),
                     "sd_treated": a.std(ddof=1), "sd_control": b.std(ddof=1),
                     "std_diff": (a.mean() - b.mean()) / sd if sd > 0 else 0.0,
                     "n_treated": len(a), "n_control": len(b),
                     "n_missing": int(x.isna().sum())})
    return pd.DataFrame(rows)


def correlation(x, y, *, method: str = "pearson", n_boot: int = 2000, n_perm: int = 2000,
                seed: int = 0, confidence: float = 0.95) -> dict:
    """Correlation with a percentile bootstrap CI and a two-sided permutation p-value.

    ``method``: ``"pearson"``, ``"spearman"`` or ``"pointbiserial"`` (Pearson
    with a 0/1 ``x``). Pairs with a missing value are dropped (counted in ``n``).
    """
    from scipy import stats

    if method not in ("pearson", "spearman", "pointbiserial"):
        raise ValidationError("method must be pearson, spearman or pointbiserial")
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape:
        raise ValidationError(f"x and y have different lengths: {len(x)} and {len(y)}")
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    if method == "pointbiserial" and not set(np.unique(x)) <= {0.0, 1.0}:
        raise ValidationError("pointbiserial needs a 0/1 x")
    if len(x) < 4:
        raise ValidationError("at least 4 complete pairs are needed")

    def r(a, b):
        if method == "spearman":
            return stats.spearmanr(a, b)[0]
        return stats.pearsonr(a, b)[0]

    est = r(x, y)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(n_boot, len(x)))
    boots = np.array([r(x[i], y[i]) for i in idx])
    boots = boots[~np.isnan(boots)]
    lo, hi = np.quantile(boots, [(1 - confidence) / 2, (1 + confidence) / 2])
    perms = np.array([r(rng.permutation(x), y) for _ in range(n_perm)])
    p = (np.sum(np.abs(perms) >= abs(est) - 1e-12) + 1) / (n_perm + 1)
    return {"method": method, "r": float(est), "ci_lo": float(lo), "ci_hi": float(hi),
            "p_perm": float(p), "n": int(len(x)), "n_boot": n_boot, "n_perm": n_perm}


def ordered_logit(frame: pd.DataFrame, outcome: str, exog: list[str], *,
                  order: list | None = None):
    """Ordered logit of an ordered outcome (default zones merah < kuning < hijau).

    Returns the fitted statsmodels ``OrderedModel`` results (``.summary()``;
    ``params`` holds the slopes and then the threshold increments).
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    from cityresearch.service import ZONE_ORDER

    _check(frame, [outcome, *exog])
    order = order or ZONE_ORDER
    df = frame.dropna(subset=[outcome, *exog])
    bad = set(df[outcome]) - set(order)
    if bad:
        raise ValidationError(f"outcome values {sorted(bad)} are not in the order {order}")
    y = pd.Categorical(df[outcome], categories=order, ordered=True)
    model = OrderedModel(pd.Series(y, index=df.index), df[exog].astype(float), distr="logit")
    return model.fit(method="bfgs", disp=False, maxiter=2000)


def adjusted_ols(frame: pd.DataFrame, formula: str, *, cluster: str | None = None):
    """OLS (statsmodels formula) with cluster-robust standard errors by ``cluster``
    (or HC1 without). Returns (results, info) with ``n`` and ``n_clusters``; with
    fewer than 42 clusters ``info["few_clusters"]`` is True: use
    :func:`wild_cluster_bootstrap` for inference (Angrist and Pischke's rule of thumb)."""
    import statsmodels.formula.api as smf

    model = smf.ols(formula, data=frame)
    rows = model.data.row_labels
    if cluster is None:
        return model.fit(cov_type="HC1"), {"n": int(model.nobs), "n_clusters": None,
                                           "few_clusters": False}
    groups = pd.factorize(frame.loc[rows, cluster])[0]
    res = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
    k = len(np.unique(groups))
    return res, {"n": int(model.nobs), "n_clusters": k, "few_clusters": k < 42}


def wild_cluster_bootstrap(frame: pd.DataFrame, formula: str, param: str, cluster: str, *,
                           B: int = 999, seed: int = 0) -> dict:
    """Wild cluster bootstrap-t p-value for one coefficient, null imposed (WCR),
    Rademacher weights (Cameron, Gelbach and Miller 2008).

    Returns ``estimate``, ``t`` (cluster-robust), ``p_boot`` (two-sided),
    ``p_analytic`` and ``n_clusters``.
    """
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    model = smf.ols(formula, data=frame)
    names = model.exog_names
    if param not in names:
        raise ValidationError(f"{param!r} is not a coefficient of the model: {names}")
    rows = model.data.row_labels
    g = pd.factorize(frame.loc[rows, cluster])[0]
    X, y = model.exog, model.endog
    j = names.index(param)
    full = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g})
    t_obs = full.tvalues[j]
    Xr = np.delete(X, j, axis=1)
    restricted = sm.OLS(y, Xr).fit()
    fitted, resid = restricted.fittedvalues, restricted.resid
    rng = np.random.default_rng(seed)
    n_g = g.max() + 1
    XtX_inv = np.linalg.pinv(X.T @ X)
    t_star = np.empty(B)
    # cluster-robust t computed directly (same small-sample factor as statsmodels)
    n, k = X.shape
    factor = n_g / (n_g - 1) * (n - 1) / (n - k)
    for b in range(B):
        v = rng.choice([-1.0, 1.0], size=n_g)[g]
        ys = fitted + resid * v
        beta = XtX_inv @ (X.T @ ys)
        u = ys - X @ beta
        scores = np.zeros((n_g, k))
        np.add.at(scores, g, X * u[:, None])
        V = factor * XtX_inv @ (scores.T @ scores) @ XtX_inv
        t_star[b] = beta[j] / np.sqrt(V[j, j])
    p = (np.sum(np.abs(t_star) >= abs(t_obs)) + 1) / (B + 1)
    return {"estimate": float(full.params[j]), "t": float(t_obs), "p_boot": float(p),
            "p_analytic": float(full.pvalues[j]), "n_clusters": int(n_g), "B": B}


def _design_problems(X: np.ndarray, names: list[str]) -> tuple[list[str], list[str]]:
    """Columns of a design matrix without variation (other than the intercept)
    and columns that are exact linear combinations of the ones before them."""
    constant = [n for j, n in enumerate(names)
                if n != "Intercept" and np.ptp(X[:, j]) == 0 and "Intercept" in names]
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

    from cityresearch._errors import ConvergenceError, SeparationError, SingularDesignError

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
                f"so the logit has no finite estimate ({exc}); {hint}") from None
        except np.linalg.LinAlgError as exc:
            raise SingularDesignError(
                f"{what}: the design matrix of {names} is singular ({exc}); {hint}") from None
        except (ConvergenceWarning, RuntimeWarning) as exc:
            raise ConvergenceError(
                f"{what}: the logit did not converge ({type(exc).__name__}: {exc}); "
                f"{hint}") from None
    if not res.mle_retvals.get("converged", True):
        raise ConvergenceError(f"{what}: the logit did not converge; {hint}")
    return res


def propensity_scores(frame: pd.DataFrame, formula: str, *, drop_constant: bool = False):
    """Logit propensity score, e.g. ``"participant ~ ln_grdp_pc + ln_pop + kota"``.

    Parameters
    ----------
    frame : DataFrame
        One row per unit; rows with a missing value in a model column are
        left out (the returned scores are indexed by the rows used).
    formula : str
        Patsy formula with the 0/1 treatment on the left.
    drop_constant : bool
        If True, regressors with no variation in the rows used (other than the
        intercept) are left out of the model, with a
        :class:`~cityresearch._errors.DroppedRegressorWarning`; their names are
        in ``scores.attrs["dropped_regressors"]``. If False (default) they
        raise :class:`~cityresearch._errors.SingularDesignError`.

    Returns
    -------
    (Series, statsmodels results)
        Scores named ``ps`` aligned to the rows used, and the fitted logit.

    Raises
    ------
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

    model = smf.logit(formula, data=frame)
    X, y, names = model.exog, model.endog, list(model.exog_names)
    constant, collinear = _design_problems(X, names)
    what = f"propensity model {formula!r} on {len(y)} rows"
    if constant and not drop_constant:
        vals = {n: float(X[0, names.index(n)]) for n in constant}
        raise SingularDesignError(
            f"{what}: regressors without variation {vals} (column: its only value); remove "
            "them from the formula or pass drop_constant=True")
    if collinear:
        raise SingularDesignError(
            f"{what}: regressors {collinear} are exact linear combinations of the others; "
            "remove them from the formula")
    if constant:
        warnings.warn(f"{what}: regressors {constant} have no variation and were left out of "
                      "the model", DroppedRegressorWarning, stacklevel=2)
    keep = [j for j, n in enumerate(names) if n not in constant]
    res = _fit_logit(y, X[:, keep], [names[j] for j in keep], what)
    ps = pd.Series(res.predict(), index=model.data.row_labels, name="ps")
    ps.attrs["dropped_regressors"] = constant
    return ps, res


def overlap(treat, ps, *, trim: tuple[float, float] = (0.05, 0.95)) -> pd.DataFrame:
    """Overlap diagnostics: score distribution by group, the common support
    (the overlap of the two ranges) and how many units fall outside it or
    outside the ``trim`` bounds."""
    t = np.asarray(treat).astype(bool)
    ps = np.asarray(ps, dtype=float)
    lo, hi = max(ps[t].min(), ps[~t].min()), min(ps[t].max(), ps[~t].max())
    rows = []
    for name, m in (("treated", t), ("control", ~t)):
        p = ps[m]
        rows.append({"group": name, "n": int(m.sum()), "min": p.min(), "q25": np.quantile(p, .25),
                     "median": np.median(p), "q75": np.quantile(p, .75), "max": p.max(),
                     "outside_common_support": int(((p < lo) | (p > hi)).sum()),
                     "outside_trim": int(((p < trim[0]) | (p > trim[1])).sum())})
    out = pd.DataFrame(rows)
    out.attrs["common_support"] = (lo, hi)
    return out


def ipw(outcome, treat, ps, *, estimand: str = "ATT") -> dict:
    """Inverse-probability-weighted difference in means (normalised, Hajek weights).

    ATT weights: treated 1, controls ps/(1-ps). ATE weights: treated 1/ps,
    controls 1/(1-ps). Returns ``effect``, the weighted means and the effective
    sample size of the controls (Kish).
    """
    if estimand not in ("ATT", "ATE"):
        raise ValidationError("estimand must be 'ATT' or 'ATE'")
    y = np.asarray(outcome, dtype=float)
    t = np.asarray(treat).astype(bool)
    ps = np.asarray(ps, dtype=float)
    if not (len(y) == len(t) == len(ps)):
        raise ValidationError("outcome, treat and ps have different lengths")
    if np.isnan(y).any() or np.isnan(ps).any():
        raise ValidationError("missing outcomes or scores; drop those units first")
    if ((ps <= 0) | (ps >= 1)).any():
        raise ValidationError("propensity scores must be strictly between 0 and 1")
    if estimand == "ATT":
        w1, w0 = np.ones(t.sum()), ps[~t] / (1 - ps[~t])
    else:
        w1, w0 = 1 / ps[t], 1 / (1 - ps[~t])
    m1 = np.sum(w1 * y[t]) / w1.sum()
    m0 = np.sum(w0 * y[~t]) / w0.sum()
    return {"estimand": estimand, "effect": float(m1 - m0), "mean_treated": float(m1),
            "mean_control_weighted": float(m0),
            "ess_control": float(w0.sum() ** 2 / np.sum(w0 ** 2)), "n_treated": int(t.sum()),
            "n_control": int((~t).sum())}


def ipw_bootstrap(frame: pd.DataFrame, outcome: str, formula: str, *, estimand: str = "ATT",
                  B: int = 499, seed: int = 0, confidence: float = 0.95,
                  trim: tuple[float, float] | None = None) -> dict:
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

    Raises
    ------
    SeparationError, ConvergenceError, SingularDesignError
        The score cannot be estimated on the full sample (the message says
        why and what to change).
    """
    import warnings

    from cityresearch._errors import DroppedRegressorWarning, EstimationError, SeparationError

    treat = formula.split("~")[0].strip()
    df = frame.dropna(subset=[outcome]).reset_index(drop=True)

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
                    f"{'treated' if d[treat].any() else 'control'} units remain; relax trim=")
            p, _ = propensity_scores(d, formula, drop_constant=True)
            removed = p.attrs["dropped_regressors"]
        at_bound = int(((p <= 0) | (p >= 1)).sum())
        if at_bound:
            raise SeparationError(
                f"propensity model {formula!r}: {at_bound} fitted scores are exactly 0 or 1 "
                "in floating point (quasi-complete separation), so their weights are infinite; "
                "pass trim= or simplify the formula")
        out = ipw(d.loc[p.index, outcome], d.loc[p.index, treat], p, estimand=estimand)
        out["n_trimmed"] = dropped
        out["dropped_regressors"] = list(removed)
        return out

    est = estimate(df)  # named errors (separation, convergence, singular) reach the user
    rng = np.random.default_rng(seed)
    draws, skipped = [], {"one_group": 0, "SeparationError": 0, "ConvergenceError": 0,
                          "SingularDesignError": 0}
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
    lo, hi = np.quantile(draws, [(1 - confidence) / 2, (1 + confidence) / 2])
    return {**est, "se_boot": float(draws.std(ddof=1)), "ci_lo": float(lo), "ci_hi": float(hi),
            "B_used": int(len(draws)), "B_skipped": {k: v for k, v in skipped.items() if v}}
