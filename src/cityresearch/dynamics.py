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
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError

__all__ = [
    "relative_income",
    "kernel_densities",
    "markov_chain",
    "MarkovResult",
    "spatial_markov",
    "SpatialMarkovResult",
    "rank_mobility",
    "beta_convergence",
]


def _giddy(module):
    import importlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(f"giddy.{module}")


def _check(panel, cols):
    missing = [c for c in cols if c not in panel.columns]
    if missing:
        raise ValidationError(f"the panel lacks columns {missing}; it has {list(panel.columns)}")


def _wide(panel, column, by, years=None):
    _check(panel, [by, "year", column])
    if panel.duplicated([by, "year"]).any():
        d = panel[panel.duplicated([by, "year"])].iloc[0]
        raise ValidationError(f"{by} {d[by]} has year {d['year']} twice")
    wide = panel.pivot(index=by, columns="year", values=column).sort_index(axis=1)
    if years is not None:
        absent = [y for y in years if y not in wide.columns]
        if absent:
            raise ValidationError(f"years {absent} are not in the panel "
                                  f"({wide.columns.min()}-{wide.columns.max()})")
        wide = wide[list(years)]
    bad = wide.isna().any(axis=1)
    if bad.any():
        raise ValidationError(
            f"{int(bad.sum())} units lack {column} in some year (e.g. {list(wide.index[bad][:5])}); "
            "transition counts need every unit in every year: subset the panel explicitly")
    return wide


def relative_income(panel: pd.DataFrame, value: str = "grdp_pc_idr_k", *, to: str = "national",
                    group: str | None = None, by: str = "bps_code") -> pd.DataFrame:
    """Add relative income: ``value`` over the year's unweighted mean.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``by``, ``year``, ``value`` (and ``group``).
    value : str
        Income column (e.g. GRDP per capita, IDR thousand).
    to : {"national", "province"}
        Mean of all units of the year, or of the unit's ``group``.
    group : str, optional
        Column holding the province (needed with ``to="province"``).
    by : str
        Unit column.

    Returns
    -------
    DataFrame
        A copy of ``panel`` with ``rel_<value>`` (ratio, 1 = the mean).

    Raises
    ------
    ValidationError
        Missing columns, a missing or non-positive value, or ``to`` unknown.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["a", "b"], "year": [2000, 2000], "v": [1.0, 3.0]})
    >>> relative_income(p, "v")["rel_v"].tolist()
    [0.5, 1.5]
    """
    if to not in ("national", "province"):
        raise ValidationError(f"to must be 'national' or 'province', not {to!r}")
    keys = ["year"] if to == "national" else ["year", group]
    if to == "province" and group is None:
        raise ValidationError("to='province' needs group=<the province column>")
    _check(panel, [by, value, *keys])
    bad = panel[value].isna() | (panel[value] <= 0)
    if bad.any():
        r = panel[bad].iloc[0]
        raise ValidationError(f"{value} is missing or not positive for {int(bad.sum())} rows, "
                              f"e.g. {by} {r[by]} in {r['year']}; drop them explicitly first")
    out = panel.copy()
    out[f"rel_{value}"] = out[value] / out.groupby(keys)[value].transform("mean")
    return out


def kernel_densities(panel: pd.DataFrame, column: str, years, *, grid=None,
                     bw_method="scott") -> pd.DataFrame:
    """Gaussian kernel density of ``column`` in each of ``years``.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``year`` and ``column``.
    column : str
        E.g. ``"rel_grdp_pc_idr_k"``; take logs first for skewed incomes.
    years : sequence of int
    grid : array, optional
        Evaluation points (default: 256 points over the pooled range, padded
        by 10%).
    bw_method : str or float
        Passed to :class:`scipy.stats.gaussian_kde` (Scott's rule default).

    Returns
    -------
    DataFrame
        ``year``, ``x``, ``density`` (integrates to 1 over x).

    Raises
    ------
    ValidationError
        A year absent from the panel or with fewer than 2 values.

    Examples
    --------
    >>> p = pd.DataFrame({"year": [1] * 50, "v": np.linspace(-1, 1, 50)})
    >>> d = kernel_densities(p, "v", [1], grid=np.linspace(-4, 4, 801))
    >>> round(float(np.trapezoid(d["density"], d["x"])), 3)
    1.0
    """
    from scipy.stats import gaussian_kde

    _check(panel, ["year", column])
    sub = panel[panel["year"].isin(list(years))]
    if grid is None:
        lo, hi = sub[column].min(), sub[column].max()
        pad = 0.1 * (hi - lo)
        grid = np.linspace(lo - pad, hi + pad, 256)
    rows = []
    for y in years:
        v = sub.loc[sub["year"] == y, column].dropna().to_numpy(dtype=float)
        if len(v) < 2:
            raise ValidationError(f"year {y} has {len(v)} values of {column}; need at least 2")
        rows.append(pd.DataFrame({"year": y, "x": grid,
                                  "density": gaussian_kde(v, bw_method=bw_method)(grid)}))
    return pd.concat(rows, ignore_index=True)


def _classes(values: np.ndarray, k: int, cutoffs):
    """Class 0..k-1 of each value: quantiles of the pooled values, or cut-offs
    (upper bounds, inclusive), as mapclassify and giddy classify."""
    pooled = values.ravel()
    if cutoffs is None:
        cutoffs = np.quantile(pooled, np.arange(1, k) / k)
    cutoffs = np.asarray(cutoffs, dtype=float)
    if np.any(np.diff(cutoffs) <= 0):
        raise ValidationError(f"cutoffs must increase strictly; got {cutoffs.tolist()}")
    return np.searchsorted(cutoffs, values, side="left"), cutoffs


def _labels(cutoffs):
    c = [f"{x:.2f}" for x in cutoffs]
    return [f"<={c[0]}"] + [f"{a}-{b}" for a, b in zip(c[:-1], c[1:])] + [f">{c[-1]}"]


@dataclass
class MarkovResult:
    """Discrete Markov chain of income classes.

    Attributes
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
    """

    counts: pd.DataFrame
    P: pd.DataFrame
    ergodic: pd.Series
    initial: pd.Series
    final: pd.Series
    mobility: pd.Series
    cutoffs: np.ndarray
    classes: pd.DataFrame


def _mobility(p):
    mob = _giddy("mobility")
    measures = {"shorrocks": "P", "determinant": "D", "eigenvalue": "L2",
                "bartholomew_1": "B1", "bartholomew_2": "B2"}
    out = {}
    for name, m in measures.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ini = np.full(p.shape[0], 1 / p.shape[0]) if m.startswith("B") else None
            out[name] = float(mob.markov_mobility(p, measure=m, ini=ini))
    return pd.Series(out)


def markov_chain(panel: pd.DataFrame, column: str, *, k: int = 5, cutoffs=None,
                 by: str = "bps_code", years=None) -> MarkovResult:
    """Markov transition matrix, ergodic distribution and mobility indices.

    Parameters
    ----------
    panel : DataFrame
        Long, balanced panel with ``by``, ``year`` and ``column``.
    column : str
        Classified variable, e.g. relative GRDP per capita.
    k : int
        Number of classes (quantiles of the pooled values) when ``cutoffs``
        is not given.
    cutoffs : sequence of float, optional
        Upper bounds of the lowest ``k - 1`` classes (inclusive).
    by : str
        Unit column.
    years : sequence of int, optional
        Consecutive years to use (default: all).

    Returns
    -------
    MarkovResult

    Raises
    ------
    ValidationError
        Unbalanced panel, years absent, non-increasing cut-offs, or a class
        that is never left (its row of P would be undefined).

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": list("aaabbb"), "year": [1, 2, 3] * 2,
    ...                   "v": [0.0, 0.0, 1.0, 1.0, 0.0, 1.0]})
    >>> markov_chain(p, "v", cutoffs=[0.5]).counts.to_numpy().tolist()
    [[1, 2], [1, 0]]
    """
    wide = _wide(panel, column, by, years)
    cls, cutoffs = _classes(wide.to_numpy(dtype=float), k, cutoffs)
    k = len(cutoffs) + 1
    markov = _giddy("markov")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = markov.Markov(cls, classes=np.arange(k), fill_empty_classes=True, summary=False)
    counts = np.asarray(m.transitions, dtype=int)
    empty = np.where(counts.sum(axis=1) == 0)[0]
    if len(empty):
        raise ValidationError(f"classes {empty.tolist()} have no transitions out; use fewer "
                              "classes (k) or other cutoffs")
    labels = _labels(cutoffs)
    P = pd.DataFrame(np.asarray(m.p, dtype=float), index=labels, columns=labels)
    ss = np.asarray(m.steady_state, dtype=float)
    if ss.size != k:
        warnings.warn(f"the chain has {ss.size // k} separate ergodic sets (some classes are "
                      "never reached from others), so the ergodic distribution is not unique; "
                      "MarkovResult.ergodic is missing", stacklevel=2)
        ss = np.full(k, np.nan)
    ss = ss.ravel()
    share = lambda c: pd.Series(np.bincount(c, minlength=k) / len(c), index=labels)  # noqa: E731
    return MarkovResult(
        counts=pd.DataFrame(counts, index=labels, columns=labels), P=P,
        ergodic=pd.Series(ss, index=labels), initial=share(cls[:, 0]), final=share(cls[:, -1]),
        mobility=_mobility(P.to_numpy()), cutoffs=cutoffs,
        classes=pd.DataFrame(cls, index=wide.index, columns=wide.columns))


@dataclass
class SpatialMarkovResult:
    """Spatial Markov chain (Rey 2001).

    Attributes
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
    cutoffs, lag_cutoffs : ndarray
        Class bounds of the variable and of its spatial lag.
    """

    P: dict
    counts: dict
    P_global: pd.DataFrame
    ergodic: pd.DataFrame
    tests: pd.Series
    cutoffs: np.ndarray
    lag_cutoffs: np.ndarray


def spatial_markov(panel: pd.DataFrame, column: str, graph, *, k: int = 5, m: int = 5,
                   by: str = "bps_code", years=None) -> SpatialMarkovResult:
    """Spatial Markov chain conditioned on the neighbours' class (giddy).

    Parameters
    ----------
    panel : DataFrame
        Long, balanced panel with ``by``, ``year``, ``column``.
    column : str
        E.g. relative GRDP per capita.
    graph : libpysal.graph.Graph
        Weights indexed by the same ids as ``by`` (e.g. the archipelago
        weights of :func:`cityresearch.spatial.region_weights`); they are
        row-standardised here.
    k, m : int
        Classes of the variable and of its spatial lag: quantiles of the
        pooled values (giddy's ``fixed=True``).
    by : str
        Unit column.
    years : sequence of int, optional

    Returns
    -------
    SpatialMarkovResult

    Raises
    ------
    ValidationError
        Units of the panel and of the weights differ, or the panel is
        unbalanced.

    Examples
    --------
    >>> res = spatial_markov(panel, "rel_grdp_pc_idr_k", graph)  # doctest: +SKIP
    >>> res.tests["LR_p"] < 0.05  # doctest: +SKIP
    """
    wide = _wide(panel, column, by, years)
    ids = list(graph.unique_ids)
    missing, extra = sorted(set(ids) - set(wide.index)), sorted(set(wide.index) - set(ids))
    if missing or extra:
        raise ValidationError(
            f"panel and weights cover different units: {len(missing)} weight ids have no data "
            f"(e.g. {missing[:5]}), {len(extra)} units have no weights (e.g. {extra[:5]})")
    y = wide.loc[ids].to_numpy(dtype=float)
    w = graph.transform("r").to_W()
    markov = _giddy("markov")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sm = markov.Spatial_Markov(y, w, k=k, m=m, fixed=True, fill_empty_classes=True)
    labels = _labels(np.asarray(sm.cutoffs))
    lag_labels = [f"lag {s}" for s in _labels(np.asarray(sm.lag_cutoffs))]
    P = {lab: pd.DataFrame(np.asarray(sm.P[i], dtype=float), index=labels, columns=labels)
         for i, lab in enumerate(lag_labels)}
    counts = {lab: pd.DataFrame(np.asarray(sm.T[i], dtype=int), index=labels, columns=labels)
              for i, lab in enumerate(lag_labels)}
    S = np.vstack([np.asarray(s, dtype=float).ravel() for s in sm.S])
    tests = pd.Series({"Q": float(sm.Q), "Q_p": float(sm.Q_p_value), "LR": float(sm.LR),
                       "LR_p": float(sm.LR_p_value), "dof": int(sm.dof_hom)})
    return SpatialMarkovResult(
        P=P, counts=counts,
        P_global=pd.DataFrame(np.asarray(sm.p, dtype=float), index=labels, columns=labels),
        ergodic=pd.DataFrame(S, index=lag_labels, columns=labels), tests=tests,
        cutoffs=np.asarray(sm.cutoffs), lag_cutoffs=np.asarray(sm.lag_cutoffs))


def rank_mobility(panel: pd.DataFrame, column: str, start: int, end: int, *,
                  by: str = "bps_code", k: int = 5) -> pd.Series:
    """Re-ranking of units between ``start`` and ``end``.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``by``, ``year``, ``column``.
    column : str
    start, end : int
    by : str
    k : int
        Number of quantile groups for ``share_changed_group`` (5 = quintiles).

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
        Missing years or units missing in one of them.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": list("abcabc"), "year": [1, 1, 1, 2, 2, 2],
    ...                   "v": [1.0, 2, 3, 1, 3, 2]})
    >>> float(rank_mobility(p, "v", 1, 2, k=3)["mean_abs_rank_change"])
    0.6666666666666666
    """
    from scipy.stats import spearmanr

    wide = _wide(panel, column, by, [start, end])
    a, b = wide[start].to_numpy(dtype=float), wide[end].to_numpy(dtype=float)
    rank = _giddy("rank")
    tau = rank.Tau(a, b)
    ra, rb = pd.Series(a).rank().to_numpy(), pd.Series(b).rank().to_numpy()
    qa = np.searchsorted(np.quantile(a, np.arange(1, k) / k), a, side="left")
    qb = np.searchsorted(np.quantile(b, np.arange(1, k) / k), b, side="left")
    return pd.Series({"kendall_tau": float(tau.tau), "tau_p": float(tau.tau_p),
                      "spearman": float(spearmanr(a, b)[0]),
                      "share_changed_group": float(np.mean(qa != qb)),
                      "mean_abs_rank_change": float(np.mean(np.abs(ra - rb))),
                      "n_units": len(a)})


def beta_convergence(panel: pd.DataFrame, value: str, start: int, end: int, graph=None, *,
                     by: str = "bps_code", draws: int = 1000, seed: int = 12345) -> pd.DataFrame:
    """Unconditional beta-convergence: OLS, spatial lag and spatial error.

    The regression is ``g_i = a + b ln y_i,start`` with ``g_i = 100 ln(y_end /
    y_start) / (end - start)`` (percent per year).

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``by``, ``year``, ``value`` (positive).
    value : str
        Income per capita column.
    start, end : int
        Initial and final years.
    graph : libpysal.graph.Graph, optional
        Weights (row-standardised here); without it only OLS is estimated.
    by : str
        Unit column.
    draws : int
        Draws from the estimates' asymptotic normal distribution used for the
        confidence intervals of the SAR impacts.
    seed : int
        Random seed of those draws.

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
        (``*_lo``, ``*_hi``).

    Raises
    ------
    ValidationError
        Missing years, non-positive incomes, or weights not covering the
        units.

    Examples
    --------
    >>> t = beta_convergence(panel, "grdp_pc_idr_k", 2010, 2019, graph)  # doctest: +SKIP
    >>> t.loc["SAR", ["direct", "indirect"]]  # doctest: +SKIP
    """
    import statsmodels.api as sm

    wide = _wide(panel, value, by, [start, end])
    if end <= start:
        raise ValidationError(f"end ({end}) must be after start ({start})")
    if (wide <= 0).any().any():
        raise ValidationError(f"{value} must be positive to take logs")
    if graph is not None:
        ids = list(graph.unique_ids)
        if set(ids) != set(wide.index):
            raise ValidationError("panel and weights cover different units; subset the weights "
                                  "with graph.subgraph(ids) or the panel")
        wide = wide.loc[ids]
    T = end - start
    x = np.log(wide[start].to_numpy(dtype=float))
    g = 100 * (np.log(wide[end].to_numpy(dtype=float)) - x) / T

    def speed(b):
        v = 1 + b * T / 100
        return -np.log(v) / T * 100 if v > 0 else np.nan

    def row(b, se, p, aic, n, **extra):
        s = speed(b)
        return {"beta": b, "se": se, "p": p, "speed_pct": s,
                "half_life_years": np.log(2) / (s / 100) if s and s > 0 else np.nan,
                "aic": aic, "n": n, **extra}

    ols = sm.OLS(g, sm.add_constant(x)).fit()
    rows = {"OLS": row(ols.params[1], ols.bse[1], ols.pvalues[1], ols.aic, len(g),
                       spatial=np.nan, spatial_se=np.nan)}
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
        sim = rng.multivariate_normal([b, rho], np.asarray(lag.vm)[1:3, 1:3], size=draws)
        sims = np.array([impacts(bb, rr) for bb, rr in sim])
        lo, hi = np.percentile(sims, [2.5, 97.5], axis=0)
        p_b = 2 * stats.norm.sf(abs(b / se_b))
        rows["SAR"] = row(b, se_b, p_b, float(lag.aic), len(g), spatial=rho, spatial_se=se_rho,
                          direct=d, indirect=i, total=t, direct_lo=lo[0], direct_hi=hi[0],
                          indirect_lo=lo[1], indirect_hi=hi[1], total_lo=lo[2], total_hi=hi[2])
        be, lam = float(err.betas[1, 0]), float(err.betas[2, 0])
        se_be, se_lam = np.sqrt(np.diag(err.vm))[[1, 2]]
        rows["SEM"] = row(be, se_be, 2 * stats.norm.sf(abs(be / se_be)), float(err.aic), len(g),
                          spatial=lam, spatial_se=se_lam)
    return pd.DataFrame(rows).T.rename_axis("model")
