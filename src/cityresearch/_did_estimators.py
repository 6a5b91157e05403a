"""Two-group, two-period DiD estimators with influence functions (private).

The building blocks of :func:`cityresearch.did.att_gt`: for one group-time
cell, the ATT of a 2x2 comparison (units of cohort g against the comparison
group, between a base period and period t) and its influence function, by

``reg``
    outcome regression (Heckman, Ichimura and Todd 1997): the comparison
    units' outcome change is regressed on the covariates and predicted for
    the treated units;
``ipw``
    standardised (Hajek) inverse probability weighting (Abadie 2005), the
    propensity score a logit fitted by maximum likelihood;
``dr``
    the doubly robust estimator of Sant'Anna and Zhao (2020, J. Econometrics
    219(1), 101-122): outcome regression inside the IPW contrast; for
    repeated cross-sections their locally efficient version.

Each function takes numpy arrays of the cell's observations: outcome
(``dy`` = change for panels; ``y`` with a ``post`` indicator for repeated
cross-sections), treatment indicator ``d`` (1 = cohort g, 0 = comparison),
covariate matrix ``x`` whose first column is the intercept, and sampling
weights ``w`` (normalised to mean one here). They return ``(att, inf)``:
the estimate and each observation's influence function, so that
``sqrt(mean(inf**2) / n)`` is the standard error. Comparison units whose
propensity score exceeds ``TRIM`` get weight zero (as in R ``DRDID``); the
number trimmed is returned for reporting.

The formulas follow the papers' estimators and their asymptotic linear
representations (estimation effects of the logit and least-squares
nuisance parameters included); they were written from the papers, not
translated from other code. Checks: R ``did`` 2.5.0 reference results (panel
``reg``/``ipw``/``dr`` with and without covariates; repeated cross-sections
with ``reg`` without covariates), and for all six estimators a numerical
test that each influence function is the derivative of the estimate with
respect to the observation's weight (tests/test_did.py). The repeated
cross-section ``dr`` influence function is derived here term by term (the
derivative of the estimate in each of the four cell regressions); no R
reference covers it with covariates.
"""

from __future__ import annotations

import numpy as np

from cityresearch._errors import ValidationError

#: Comparison observations with a propensity score at or above this are trimmed.
TRIM = 0.995


class SingularDesignError(ValidationError):
    """A least-squares or logit design without full column rank."""


def _solve_inv(a: np.ndarray, what: str) -> np.ndarray:
    if a.shape[0] and np.linalg.cond(a) > 1e12:
        raise SingularDesignError(f"the covariates are collinear or constant among the {what}")
    return np.linalg.inv(a)


def wls(x: np.ndarray, y: np.ndarray, w: np.ndarray, what: str) -> np.ndarray:
    """Weighted least-squares coefficients (rows with ``w == 0`` do not count)."""
    xtw = x.T * w
    return _solve_inv(xtw @ x, what) @ (xtw @ y)


def logit(x: np.ndarray, d: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted logit by Newton-Raphson.

    Returns fitted probabilities and ``n * (X' diag(w p (1-p)) X)^{-1}``
    (the inverse Hessian scaled as in the asymptotic linear representation).
    """
    n, k = x.shape
    what = "treated and comparison units (propensity score)"
    beta = np.zeros(k)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        h = (x.T * (w * p * (1 - p))) @ x
        try:
            step = np.linalg.solve(h, x.T @ (w * (d - p)))
        except np.linalg.LinAlgError:
            raise SingularDesignError(
                f"the covariates are collinear or constant among the {what}"
            ) from None
        beta = beta + step
        if np.max(np.abs(step)) < 1e-12 * (1 + np.max(np.abs(beta))):
            break
    else:  # pragma: no cover - logit on bounded data converges
        raise ValidationError(
            "the propensity-score logit did not converge; the covariates may "
            "separate the cohort from the comparison group perfectly"
        )
    p = 1.0 / (1.0 + np.exp(-(x @ beta)))
    h = (x.T * (w * p * (1 - p))) @ x
    return p, n * _solve_inv(h, what)


def _pscore(x, d, w, cache=None):
    """Propensity score, its scaled inverse Hessian and the trimming indicator.

    ``cache`` (a dict) keeps the fit for cells that share the same units and
    weights (every period of a cohort with never-treated controls).
    """
    if cache is not None and "ps" in cache:
        return cache["ps"]
    out = _pscore_fit(x, d, w)
    if cache is not None:
        cache["ps"] = out
    return out


def _pscore_fit(x, d, w):
    p, hinv = logit(x, d, w)
    p = np.minimum(p, 1 - 1e-16)
    keep = np.where(d == 1, True, p < TRIM).astype(float)
    return p, hinv, keep


def _ols_linrep(x, resid, wsel, n, what):
    """Asymptotic linear representation of a weighted OLS coefficient vector."""
    xpx = (x.T * wsel) @ x / n
    return (wsel * resid)[:, None] * x @ _solve_inv(xpx, what)


# --------------------------------------------------------------------------- panel
def reg_panel(dy, d, x, w, cache=None):
    """Outcome-regression DiD for a panel (returns att, inf, n_trimmed)."""
    n = len(d)
    w = w / w.mean()
    c = (1 - d) * w
    beta = wls(x, dy, c, "comparison units (outcome regression)")
    fit = x @ beta
    wt = w * d
    eta_t = np.mean(wt * dy) / wt.mean()
    eta_c = np.mean(wt * fit) / wt.mean()
    lin = _ols_linrep(x, dy - fit, c, n, "comparison units (outcome regression)")
    inf_t = (wt * dy - wt * eta_t) / wt.mean()
    inf_c = (wt * fit - wt * eta_c + lin @ (wt @ x / n)) / wt.mean()
    return eta_t - eta_c, inf_t - inf_c, 0


def ipw_panel(dy, d, x, w, cache=None):
    """Standardised IPW DiD for a panel (returns att, inf, n_trimmed)."""
    n = len(d)
    w = w / w.mean()
    p, hinv, keep = _pscore(x, d, w, cache)
    wt = keep * w * d
    wc = keep * w * p * (1 - d) / (1 - p)
    eta_t = np.mean(wt * dy) / wt.mean()
    eta_c = np.mean(wc * dy) / wc.mean()
    lin_ps = (w * (d - p))[:, None] * x @ hinv
    inf_t = (wt * dy - wt * eta_t) / wt.mean()
    m2 = (wc * (dy - eta_c)) @ x / n
    inf_c = (wc * dy - wc * eta_c + lin_ps @ m2) / wc.mean()
    return eta_t - eta_c, inf_t - inf_c, int(np.sum(keep == 0))


def dr_panel(dy, d, x, w, cache=None):
    """Doubly robust DiD for a panel, Sant'Anna and Zhao (2020), eq. 3.1."""
    n = len(d)
    w = w / w.mean()
    p, hinv, keep = _pscore(x, d, w, cache)
    c = (1 - d) * w
    beta = wls(x, dy, c, "comparison units (outcome regression)")
    r = dy - x @ beta
    wt = keep * w * d
    wc = keep * w * p * (1 - d) / (1 - p)
    eta_t = np.mean(wt * r) / wt.mean()
    eta_c = np.mean(wc * r) / wc.mean()
    lin_ols = _ols_linrep(x, r, c, n, "comparison units (outcome regression)")
    lin_ps = (w * (d - p))[:, None] * x @ hinv
    inf_t = (wt * r - wt * eta_t - lin_ols @ (wt @ x / n)) / wt.mean()
    inf_c = (
        wc * r - wc * eta_c + lin_ps @ ((wc * (r - eta_c)) @ x / n) - lin_ols @ (wc @ x / n)
    ) / wc.mean()
    return eta_t - eta_c, inf_t - inf_c, int(np.sum(keep == 0))


# ------------------------------------------------------------- repeated cross-sections
def _cell_fit(x, y, wsel, what):
    beta = wls(x, y, wsel, what)
    return x @ beta


def reg_rc(y, post, d, x, w, cache=None):
    """Outcome-regression DiD for repeated cross-sections."""
    n = len(d)
    w = w / w.mean()
    c0, c1 = w * (1 - d) * (1 - post), w * (1 - d) * post
    f0 = _cell_fit(x, y, c0, "comparison observations of the base period")
    f1 = _cell_fit(x, y, c1, "comparison observations of period t")
    wt0, wt1, wd = w * d * (1 - post), w * d * post, w * d
    eta_t0 = np.mean(wt0 * y) / wt0.mean()
    eta_t1 = np.mean(wt1 * y) / wt1.mean()
    eta_c = np.mean(wd * (f1 - f0)) / wd.mean()
    lin0 = _ols_linrep(x, y - f0, c0, n, "comparison observations of the base period")
    lin1 = _ols_linrep(x, y - f1, c1, n, "comparison observations of period t")
    inf_t = (wt1 * y - wt1 * eta_t1) / wt1.mean() - (wt0 * y - wt0 * eta_t0) / wt0.mean()
    m1 = wd @ x / n
    inf_c = (wd * (f1 - f0) - wd * eta_c + lin1 @ m1 - lin0 @ m1) / wd.mean()
    return (eta_t1 - eta_t0) - eta_c, inf_t - inf_c, 0


def ipw_rc(y, post, d, x, w, cache=None):
    """Standardised IPW DiD for repeated cross-sections."""
    n = len(d)
    w = w / w.mean()
    p, hinv, keep = _pscore(x, d, w, cache)
    wt0, wt1 = keep * w * d * (1 - post), keep * w * d * post
    odds = keep * w * p * (1 - d) / (1 - p)
    wc0, wc1 = odds * (1 - post), odds * post
    parts = []
    for ww in (wt0, wt1, wc0, wc1):
        a = np.mean(ww * y) / ww.mean()
        parts.append((a, (ww * y - ww * a) / ww.mean()))
    (a_t0, i_t0), (a_t1, i_t1), (a_c0, i_c0), (a_c1, i_c1) = parts
    lin_ps = (w * (d - p))[:, None] * x @ hinv
    m2 = ((wc1 * (y - a_c1)) @ x / n) / wc1.mean() - ((wc0 * (y - a_c0)) @ x / n) / wc0.mean()
    inf = (i_t1 - i_t0) - (i_c1 - i_c0 + lin_ps @ m2)
    return (a_t1 - a_t0) - (a_c1 - a_c0), inf, int(np.sum(keep == 0))


def dr_rc(y, post, d, x, w, cache=None):
    """Locally efficient doubly robust DiD for repeated cross-sections.

    Sant'Anna and Zhao (2020), eq. 3.4.
    """
    n = len(d)
    w = w / w.mean()
    p, hinv, keep = _pscore(x, d, w, cache)
    sel = {
        (dd, tt): w * (d if dd else 1 - d) * (post if tt else 1 - post)
        for dd in (0, 1)
        for tt in (0, 1)
    }
    names = {
        (0, 0): "comparison observations of the base period",
        (0, 1): "comparison observations of period t",
        (1, 0): "treated observations of the base period",
        (1, 1): "treated observations of period t",
    }
    fit = {k: _cell_fit(x, y, s, names[k]) for k, s in sel.items()}
    lin = {k: _ols_linrep(x, y - fit[k], s, n, names[k]) for k, s in sel.items()}
    fc = post * fit[0, 1] + (1 - post) * fit[0, 0]
    wt0, wt1 = keep * w * d * (1 - post), keep * w * d * post
    odds = keep * w * p * (1 - d) / (1 - p)
    wc0, wc1 = odds * (1 - post), odds * post
    wd, wd1, wd0 = keep * w * d, keep * w * d * post, keep * w * d * (1 - post)
    r = y - fc
    att_t0, att_t1 = np.mean(wt0 * r) / wt0.mean(), np.mean(wt1 * r) / wt1.mean()
    att_c0, att_c1 = np.mean(wc0 * r) / wc0.mean(), np.mean(wc1 * r) / wc1.mean()
    g1 = fit[1, 1] - fit[0, 1]
    g0 = fit[1, 0] - fit[0, 0]
    att_d1, att_dt1 = np.mean(wd * g1) / wd.mean(), np.mean(wd1 * g1) / wd1.mean()
    att_d0, att_dt0 = np.mean(wd * g0) / wd.mean(), np.mean(wd0 * g0) / wd0.mean()
    att = (att_t1 - att_t0) - (att_c1 - att_c0) + (att_d1 - att_dt1) - (att_d0 - att_dt0)

    def lead(ww, a, v):
        return (ww * v - ww * a) / ww.mean()

    def xbar(ww):  # weighted covariate mean
        return (ww @ x / n) / ww.mean()

    # leading terms (nuisance parameters known)
    inf = (lead(wt1, att_t1, r) - lead(wt0, att_t0, r)) - (
        lead(wc1, att_c1, r) - lead(wc0, att_c0, r)
    )
    inf += (lead(wd, att_d1, g1) - lead(wd1, att_dt1, g1)) - (
        lead(wd, att_d0, g0) - lead(wd0, att_dt0, g0)
    )
    # estimation effect of the propensity score (odds weights: d log odds / d gamma = x)
    lin_ps = (w * (d - p))[:, None] * x @ hinv
    m2 = ((wc1 * (r - att_c1)) @ x / n) / wc1.mean() - ((wc0 * (r - att_c0)) @ x / n) / wc0.mean()
    inf -= lin_ps @ m2
    # estimation effects of the four cell regressions (derivative of att in each coefficient)
    inf += lin[0, 0] @ (xbar(wd) - xbar(wc0) + xbar(wt0) - xbar(wd0))
    inf += lin[0, 1] @ (xbar(wc1) - xbar(wd) - xbar(wt1) + xbar(wd1))
    inf += lin[1, 1] @ (xbar(wd) - xbar(wd1))
    inf += lin[1, 0] @ (xbar(wd0) - xbar(wd))
    return att, inf, int(np.sum((keep == 0) & (d == 0)))


PANEL = {"reg": reg_panel, "ipw": ipw_panel, "dr": dr_panel}
RC = {"reg": reg_rc, "ipw": ipw_rc, "dr": dr_rc}
