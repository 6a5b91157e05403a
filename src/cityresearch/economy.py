"""GRDP contribution, regional inequality and convergence.

Terms
-----
GRDP (PDRB)
    Gross regional domestic product; here at constant 2010 prices
    (``grdp_idr_bn``, IDR billion) so that changes are real growth.
contribution to growth
    Region i's share of the aggregate at t-1 times its own growth at t, in
    percentage points: ``100 * (Y_it - Y_it-1) / Y_t-1``. The contributions of
    all regions add up exactly to the aggregate growth rate.
Williamson index
    Population-weighted coefficient of variation of GRDP per capita,
    ``sqrt(sum_i (y_i - ybar)^2 p_i / P) / ybar`` with ``ybar`` the aggregate
    GRDP per capita (Williamson 1965); the standard inequality measure of
    Indonesian regional economics.
Theil index (T)
    ``T = sum_i s_i ln(s_i / n_i)`` with s_i the region's share of GRDP and n_i
    of population; it splits exactly into a within-group and a between-group
    part (Shorrocks 1980).
beta-convergence
    A negative coefficient of average growth on initial (log) income: poorer
    regions grow faster. Implied speed ``lambda = -ln(1 + b T) / T``, half-life
    ``ln 2 / lambda`` (Barro and Sala-i-Martin 1992).
sigma-convergence
    A falling dispersion of log income across regions over time.
location quotient, shift-share
    Regional specialisation and the decomposition of regional change into
    national growth, industry mix and regional shift (textbook forms; REAT's
    ``locq`` and ``shift``), for any region x sector table the researcher
    supplies (BPS publishes GRDP by 17 lapangan usaha; not in the toolkit's data).

Spatial statistics are in :mod:`cityresearch.spatial`.
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cityresearch import _validate as _v
from cityresearch._deprecate import REMOVED_IN, keyword_only, moved, renamed
from cityresearch._errors import (
    CityResearchDeprecationWarning,
    CityResearchWarning,
    ValidationError,
    user_stacklevel,
)
from cityresearch._results import Result
from cityresearch.growth import _year_check

__all__ = [
    "TheilResult",
    "grdp_shares",
    "growth_contributions",
    "top_k_share",
    "williamson",
    "theil",
    "gini",
    "beta_convergence",
    "sigma_convergence",
    "location_quotients",
    "shift_share",
    "period_contributions",
    "inequality_over_time",
    "aggregate_provinces",
]


# attach_province moved to cityresearch.panels (the registry join is assembly)
__getattr__ = moved(__name__, {"attach_province": "cityresearch.panels"})


#: The province columns that :func:`aggregate_provinces` reads, by scheme: (code, name).
PROVINCE_COLUMNS = {
    2025: ("prov_kemendagri_code", "province"),
    2017: ("prov_bps_code", "province_34"),
}


def _require_group(panel, columns, func, *, what):
    """Refuse a frame without the province columns, saying where they come from."""
    absent = [c for c in columns if c not in panel.columns]
    if absent:
        raise ValidationError(
            f"{func}: the panel has no column {_v._fmt(absent)} ({what}); analysis "
            "functions do not look regions up. Attach the provinces first with "
            "cityresearch.panels.attach_province(panel)"
            + (", or pass group=<a column of the panel>" if what == "the group" else "")
        )


def _cols(frame, cols, func=None):
    """Kept for callers of the old helper: columns present (any kind)."""
    return _v.require_columns(frame, list(cols), func=func)


def _positive(x, what, func=None):
    return _v.check_positive(x, what, func=func)


def _panel(panel, by, values, func, *, missing="raise", extra=(), name="panel"):
    """Common contract of a region-year panel: columns and kinds, rows, unique
    ``by``-year keys, missing policy over ``values`` and ``extra`` columns.
    Returns (panel, dropped rows)."""
    _v.column_names(func, unit=by)
    for v in values:
        _v.column_names(func, value=v)
    for g in extra:
        _v.column_names(func, group=g)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    spec = {
        by: "any",
        "year": "integer",
        **dict.fromkeys(values, "numeric"),
        **dict.fromkeys(extra, "any"),
    }
    panel = _v.require_columns(panel, spec, func=func, name=name)
    _v.min_rows(panel, 1, func=func)
    _v.handle_missing(panel, [by, "year"], keys=[by, "year"], func=func)
    _v.unique_keys(panel, [by, "year"], func=func)
    return _v.handle_missing(
        panel, [*values, *extra], missing=missing, keys=[by, "year"], func=func, stacklevel=4
    )


def grdp_shares(
    panel: pd.DataFrame,
    *,
    value: str = "grdp_idr_bn",
    group: str = "prov_bps_code",
    unit: str = "bps_code",
    missing: str = "raise",
) -> pd.DataFrame:
    """Each region's share (percent) of its group's and of the national total, by year.

    Parameters
    ----------
    panel : DataFrame
        ``bps_code``, ``year``, ``value`` and ``group``; one row per region
        and year. The province columns come from
        :func:`cityresearch.panels.attach_province` (this function does not
        look regions up).
    value : str
        A non-negative quantity, e.g. ``grdp_idr_bn``.
    group : str
        The grouping column (default ``prov_bps_code``, the 34 provinces of
        the data's time).
    unit : str
        The region key (default ``bps_code``); each region-year once.
    missing : {"raise", "drop"}
        A row with a missing value or group raises (default) or is left out
        of every total (warning, ``attrs["dropped"]``).

    Returns
    -------
    DataFrame
        The panel with ``share_<group>_pct``, ``share_national_pct`` and the
        national rank (1 = largest) per year.

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, infinite values, duplicate
        region-years, negative values, missing values (with
        ``missing="raise"``), a group or a year whose total is zero (named).

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["A", "B"], "year": [1, 1], "grdp_idr_bn": [1.0, 3.0],
    ...                   "prov": ["p", "p"]})
    >>> grdp_shares(p, group="prov")["share_national_pct"].tolist()
    [25.0, 75.0]
    """
    func = "grdp_shares"
    _v.as_frame(panel, name="panel", func=func)
    _require_group(panel, [group], func, what="the group")
    panel, dropped = _panel(panel, unit, [value], func, missing=missing, extra=[group])
    _v.check_positive(panel[value], value, allow_zero=True, func=func)
    tot = panel.groupby(["year", group])[value].sum()  # all > 0 makes the national ones > 0
    zero = tot[tot == 0]
    if len(zero):
        shown = "; ".join(f"year {y}, {group} {g}" for y, g in zero.index[:5]) + (
            f"; and {len(zero) - 5} more" if len(zero) > 5 else ""
        )
        raise ValidationError(
            f"{func}: {len(zero)} {group}-year{'s have' if len(zero) > 1 else ' has'} a total "
            f"{value} of zero ({shown}); a share of a zero total is undefined. Check the "
            "values, or leave these rows out first"
        )
    out = panel.copy()
    out[f"share_{group}_pct"] = (
        100 * out[value] / out.groupby(["year", group])[value].transform("sum")
    )
    out["share_national_pct"] = 100 * out[value] / out.groupby("year")[value].transform("sum")
    out["rank_national"] = (
        out.groupby("year")[value].rank(ascending=False, method="min").astype(int)
    )
    return _v.attach_dropped(out, dropped)


@renamed(by="unit", within="group")
def growth_contributions(
    panel: pd.DataFrame,
    *,
    value: str = "grdp_idr_bn",
    unit: str = "bps_code",
    group: str | None = None,
    missing: str = "raise",
) -> pd.DataFrame:
    """Contribution of each region to aggregate growth, percentage points.

    ``contribution_pp = 100 * (Y_it - Y_i,t-1) / Y_t-1`` where ``Y_t-1`` is the
    aggregate (national, or of the ``group``) in the previous year; it
    equals share at t-1 times own growth, and the contributions add up to the
    aggregate growth exactly. Years without a previous year are dropped from
    the result (nothing is interpolated).

    Parameters
    ----------
    panel : DataFrame
        ``unit``, ``year``, ``value`` (and ``group``); one row per ``unit`` and year.
    value : str
        A positive quantity, e.g. ``grdp_idr_bn`` (IDR billion).
    unit : str
        The region key (formerly ``by=``, which still works for one release).
    group : str, optional
        A grouping column (province ...): aggregates per group (formerly
        ``within=``).
    missing : {"raise", "drop"}
        A region-year with a missing value raises (default), or with ``"drop"``
        the *region* is left out of every year (its contribution cannot be
        computed without biasing the aggregate), with a warning and
        ``attrs["dropped"]``.

    Returns
    -------
    DataFrame
        The rows with a previous year, with ``contribution_pp`` (percentage
        points of the aggregate's growth), ``share_prev_pct`` (the region's
        share of the aggregate in the previous year, percent) and
        ``growth_pct`` (its own growth, percent).

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, duplicate keys, a region present in
        one of two consecutive years but not in the other (named; the
        contributions would not add up), values that are not positive.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["A", "B", "A", "B"], "year": [1, 1, 2, 2],
    ...                   "grdp_idr_bn": [100.0, 300.0, 110.0, 300.0]})
    >>> growth_contributions(p)["contribution_pp"].tolist()
    [2.5, 0.0]
    """
    func = "growth_contributions"
    by = unit
    _v.as_frame(panel, name="panel", func=func)
    panel, dropped = _panel(
        panel, by, [value], func, extra=[group] if group else [], missing=missing
    )
    if len(dropped):
        gone = set(dropped[by])
        dropped = pd.concat([dropped, panel[panel[by].isin(gone)]])
        panel = panel[~panel[by].isin(gone)]
    _v.check_positive(panel[value], value, func=func)
    keys = ["year"] + ([group] if group else [])
    years = sorted(panel["year"].unique())
    members = panel.groupby("year")[by].apply(set)
    for y0, y1 in zip(years[:-1], years[1:], strict=True):
        if y1 == y0 + 1 and members[y0] != members[y1]:
            only0 = sorted(members[y0] - members[y1], key=str)
            only1 = sorted(members[y1] - members[y0], key=str)
            raise ValidationError(
                f"{func}: the regions differ between {y0} and {y1} (only in {y0}: "
                f"{_v._fmt(only0)}; only in {y1}: {_v._fmt(only1)}); the contributions would "
                "not add up to the aggregate growth. Use a balanced panel."
            )
    df = panel.sort_values([by, "year"]).copy()
    df["prev"] = df.groupby(by)[value].shift()
    df["prev_year"] = df.groupby(by)["year"].shift()
    df = df[df["prev_year"] == df["year"] - 1]
    agg_prev = df.groupby(keys)["prev"].transform("sum")
    df["contribution_pp"] = 100 * (df[value] - df["prev"]) / agg_prev
    df["share_prev_pct"] = 100 * df["prev"] / agg_prev
    df["growth_pct"] = 100 * (df[value] / df["prev"] - 1)
    out = df.drop(columns=["prev", "prev_year"]).reset_index(drop=True)
    return _v.attach_dropped(out, dropped)


def top_k_share(values, k: int) -> float:
    """Share (percent) of the k largest values in the total (concentration).

    Parameters
    ----------
    values : array-like or Series
        Non-negative values without missing ones, with a positive total.
    k : int
        Between 1 and the number of values.

    Returns
    -------
    float
        The k largest values' share of the total, in percent (0-100).

    Raises
    ------
    ValidationError
        Missing or negative values (named), a zero total, ``k`` out of range.

    Examples
    --------
    >>> top_k_share([1, 3, 6], 2)
    90.0
    """
    func = "top_k_share"
    v = np.sort(_v.check_positive(values, "values", func=func))[::-1]
    _v.min_rows(v, 1, what="values", func=func)
    k = _v.check_number(k, "k", lo=1, hi=len(v), integer=True, func=func)
    return float(100 * v[:k].sum() / v.sum())


def _two_regions(n, func):
    if n < 2:
        raise ValidationError(
            f"{func}: needs at least 2 regions; got {n} (an index of "
            "inequality across one region is undefined)"
        )


@keyword_only("pop")
def williamson(grdp_pc: Any, *, pop: Any) -> float:
    """Williamson index: population-weighted coefficient of variation of GRDP per capita.

    ``V_w = sqrt(sum_i (p_i / P) (y_i - ybar)^2) / ybar`` with ``ybar`` the
    population-weighted mean (aggregate GRDP / population).

    Parameters
    ----------
    grdp_pc : Series or array-like
        GRDP per capita of each region (any unit, e.g. IDR thousand per
        person), positive and finite.
    pop : Series or array-like
        Population of each region (persons), positive; keyword-only (passing
        it positionally works for one release, with a deprecation warning).
        Two Series are matched by their index (region code), never by
        position; two plain arrays by position. A plain array beside a
        Series indexed by region is refused (it has no regions to match).

    Returns
    -------
    float
        The index (unitless; 0 when every region has the same GRDP per capita).

    Raises
    ------
    ValidationError
        Fewer than 2 regions, Series whose regions differ (named), an array
        beside a labelled Series, different lengths, missing, infinite, zero
        or negative values (named).

    References
    ----------
    Williamson, J. G. (1965). Regional inequality and the process of national
    development: a description of the patterns. Economic Development and
    Cultural Change, 13(4), 1-84.

    Examples
    --------
    >>> round(williamson([10, 20], pop=[1, 3]), 6)  # sqrt(18.75) / 17.5
    0.247436
    """
    func = "williamson"
    yy, pp = _v.align_by_key(grdp_pc, pop, names=["grdp_pc", "pop"], func=func)
    _two_regions(len(yy), func)
    y, p = _v.check_positive(yy, "grdp_pc", func=func), _v.check_positive(pp, "pop", func=func)
    w = p / p.sum()
    ybar = (w * y).sum()
    return float(np.sqrt((w * (y - ybar) ** 2).sum()) / ybar)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class TheilResult(Result):
    """Result of :func:`theil`: the Theil T index and its decomposition.

    Reads like the ``dict`` that :func:`theil` returned in version 0.1
    (``res["total"]``, ``dict(res)``), with the same keys: ``total``, and only
    when groups were given ``within``, ``between`` and ``by_group``, and only
    with ``missing="drop"`` ``dropped``.

    Parameters
    ----------
    total : float
        Theil T across all regions (natural-log units; 0 = equal GRDP per capita).
    within : float, optional
        Population-and-income weighted sum of the groups' own indices.
    between : float, optional
        Theil T of the group aggregates; ``total = within + between`` exactly.
    by_group : DataFrame, optional
        One row per group: ``group``, ``grdp_share`` and ``pop_share``
        (fractions of the totals, 0-1) and ``theil_within`` (the group's own index).
    dropped : DataFrame, optional
        Regions left out with ``missing="drop"`` (missing group).

    See Also
    --------
    theil : Computes it.

    Examples
    --------
    >>> res = theil([1, 3, 2, 2], pop=[1, 1, 1, 1], group=["a", "a", "b", "b"])
    >>> res.tidy()[["term", "estimate"]].round(6).values.tolist()
    [['Theil total', 0.065406], ['Theil within', 0.065406], ['Theil between', 0.0]]
    >>> sorted(res)
    ['between', 'by_group', 'total', 'within']
    """

    total: float
    within: float | None = None
    between: float | None = None
    by_group: pd.DataFrame | None = None
    dropped: pd.DataFrame | None = None

    def _names(self) -> list[str]:
        # the keys of the former dict: optional parts only when they were computed
        return [n for n in super()._names() if n == "total" or getattr(self, n) is not None]

    def tidy(self) -> pd.DataFrame:
        """One row per component (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"Theil total"``, and with groups ``"Theil within"``
            and ``"Theil between"``), ``estimate`` (natural-log units),
            ``conf_low``, ``conf_high`` (always missing: the index is
            descriptive, no interval is computed), ``share_of_total_pct``
            (the component's share of the total, percent; missing when the
            total is 0).
        """
        parts = {"total": self.total, "within": self.within, "between": self.between}
        rows = [(f"Theil {k}", float(v)) for k, v in parts.items() if v is not None]
        out = pd.DataFrame(rows, columns=["term", "estimate"])
        out["conf_low"] = np.nan
        out["conf_high"] = np.nan
        out["share_of_total_pct"] = 100 * out["estimate"] / self.total if self.total > 0 else np.nan
        return out

    def summary(self) -> str:
        """The index and, with groups, its split, as a sentence.

        Returns
        -------
        str
            E.g. ``Theil T = 0.1308`` or ``Theil T = 0.0654: within 3 groups
            0.0654 (100.0%), between 0.0000 (0.0%)``.
        """
        text = f"Theil T = {self.total:.4f}"
        if self.within is not None and self.between is not None and self.by_group is not None:
            t = self.tidy().set_index("term")["share_of_total_pct"]
            text += (
                f": within {len(self.by_group)} groups {self.within:.4f} "
                f"({t['Theil within']:.1f}%), between {self.between:.4f} "
                f"({t['Theil between']:.1f}%)"
            )
        if self.dropped is not None and len(self.dropped):
            text += f"; {len(self.dropped)} regions left out (missing group)"
        return text


@renamed(groups="group")
@keyword_only("pop", "group")
def theil(grdp: Any, *, pop: Any, group: Any = None, missing: str = "raise") -> TheilResult:
    """Theil T index of GRDP per capita across regions, with its exact decomposition.

    ``T = sum_i s_i ln(s_i / n_i)`` with ``s_i`` the region's share of GRDP and
    ``n_i`` its share of population; with groups, ``T = sum_g S_g T_g +
    sum_g S_g ln(S_g / N_g)`` (within + between).

    Parameters
    ----------
    grdp : Series or array-like
        GRDP of each region (any unit, e.g. IDR billion), positive. Series
        are matched by index, never by position.
    pop : Series or array-like
        Population of each region (persons), positive; keyword-only (passing
        it positionally works for one release, with a deprecation warning).
    group : Series or array-like, optional
        Group of each region (e.g. province), formerly ``groups=``; adds
        ``within`` and ``between`` (``total = within + between`` exactly)
        and per-group indices.
    missing : {"raise", "drop"}
        A region with a missing group raises (default) or is left out of
        every part, the total included (warning, ``dropped`` in the result),
        so that the decomposition still adds up.

    Returns
    -------
    TheilResult
        ``total`` and, with groups, ``within``, ``between``, ``by_group``
        (DataFrame: group, income share, population share, Theil within the
        group) and, with ``missing="drop"``, ``dropped`` (the regions left
        out). Read as attributes or, as in version 0.1, as dict keys.

    Raises
    ------
    ValidationError
        Fewer than 2 regions, misaligned inputs (an array beside a labelled
        Series), missing, infinite, zero or negative values (named), missing
        groups (with ``missing="raise"``).

    References
    ----------
    Theil, H. (1967). Economics and Information Theory. Amsterdam: North-Holland.

    Shorrocks, A. F. (1980). The class of additively decomposable inequality
    measures. Econometrica, 48(3), 613-625.

    Examples
    --------
    >>> round(theil([1, 3], pop=[1, 1]).total, 6)
    0.130812
    """
    func = "theil"
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    inputs = [grdp, pop] + ([group] if group is not None else [])
    names = ["grdp", "pop"] + (["group"] if group is not None else [])
    aligned = _v.align_by_key(*inputs, names=names, func=func)
    dropped = None
    if group is not None:
        f = pd.DataFrame({"grdp": aligned[0], "pop": aligned[1], "group": aligned[2]})
        f, dropped = _v.handle_missing(f, ["group"], missing=missing, func=func)
        aligned = [f["grdp"], f["pop"], f["group"]]
    _two_regions(len(aligned[0]), func)
    y = _v.check_positive(aligned[0], "grdp", func=func)
    p = _v.check_positive(aligned[1], "pop", func=func)
    s, n = y / y.sum(), p / p.sum()
    total = float((s * np.log(s / n)).sum())
    if group is None:
        return TheilResult(total=total)
    g = pd.Series(aligned[2].to_numpy())
    rows = []
    for key, idx in g.groupby(g).groups.items():
        idx = np.asarray(idx)
        sg, ng = s[idx].sum(), n[idx].sum()
        tg = float(((s[idx] / sg) * np.log((s[idx] / sg) / (n[idx] / ng))).sum())
        rows.append({"group": key, "grdp_share": sg, "pop_share": ng, "theil_within": tg})
    by = pd.DataFrame(rows)
    within = float((by["grdp_share"] * by["theil_within"]).sum())
    between = float((by["grdp_share"] * np.log(by["grdp_share"] / by["pop_share"])).sum())
    return TheilResult(
        total=total,
        within=within,
        between=between,
        by_group=by,
        dropped=dropped if missing == "drop" else None,
    )


def gini(values, weights=None) -> float:
    """Gini coefficient, optionally weighted.

    E.g. of GRDP per capita across regions weighted by population; weights act
    as repetitions.

    Parameters
    ----------
    values : Series or array-like
        Positive values without missing ones.
    weights : Series or array-like, optional
        Positive weights (e.g. population, persons); Series are matched to
        ``values`` by index.

    Returns
    -------
    float
        The Gini coefficient (unitless, 0 = equality, towards 1 = all in one
        region), from the trapezoid area under the weighted Lorenz curve.

    Raises
    ------
    ValidationError
        Fewer than 2 values, misaligned inputs (an array beside a labelled
        Series), missing, infinite, zero or negative values or weights
        (named).

    References
    ----------
    Gini, C. (1912). Variabilità e mutabilità. Bologna: Tipografia di Paolo Cuppini.

    Examples
    --------
    >>> gini([1, 2, 3, 4])
    0.25
    """
    func = "gini"
    if weights is None:
        (vv,) = _v.align_by_key(values, names=["values"], func=func)
        x = _v.check_positive(vv, "values", func=func)
        w = np.ones_like(x)
    else:
        vv, ww = _v.align_by_key(values, weights, names=["values", "weights"], func=func)
        x = _v.check_positive(vv, "values", func=func)
        w = _v.check_positive(ww, "weights", func=func)
    _two_regions(len(x), func)
    order = np.argsort(x)
    x, w = x[order], w[order]
    cw = np.cumsum(w) / w.sum()
    cx = np.cumsum(x * w) / (x * w).sum()
    # area under the Lorenz curve by trapezoids
    b = np.sum((cx + np.concatenate([[0], cx[:-1]])) * np.diff(np.concatenate([[0], cw])))
    return float(1 - b)


def beta_convergence(
    panel: pd.DataFrame,
    start: int,
    end: int,
    *,
    value: str = "grdp_pc_idr_k",
    controls: list[str] | None = None,
    cov: str = "HC1",
    cluster: str | None = None,
    fixed_effects: str | None = None,
    unit: str = "bps_code",
    missing: str = "raise",
):
    """Absolute or conditional beta-convergence across regions.

    Regresses average annual log growth (percent per year) between ``start``
    and ``end`` on the log of ``value`` in ``start``, plus ``controls`` (columns
    of the panel measured in ``start``) and ``C(fixed_effects)``.

    Parameters
    ----------
    panel : DataFrame
        ``bps_code``, ``year``, ``value`` and any ``controls``, ``cluster``,
        ``fixed_effects`` columns; one row per region and year.
    start, end : int
        Years of the panel, ``start < end``.
    value : str
        Income measure, positive (logs are taken).
    controls : list of str, optional
        Numeric columns, taken in ``start``.
    cov : {"HC1", "cluster", "nonrobust"}
        Robust (default) or clustered standard errors (needs ``cluster``).
    cluster, fixed_effects : str, optional
        Columns (taken in ``start``).
    unit : str
        The region key (default ``bps_code``); each region-year once.
    missing : {"raise", "drop"}
        A region without ``value`` in ``start`` or ``end`` (or a missing
        control, cluster or effect in ``start``) raises (default) or is left
        out (warning, ``info["dropped"]``).

    Returns
    -------
    res : statsmodels.regression.linear_model.RegressionResultsWrapper
        The OLS results of statsmodels, returned as they are (``res.summary()``
        is statsmodels' table, ``res.params`` the coefficients); not a
        :class:`cityresearch._results.Result`.
    info : dict
        ``beta`` (percentage points of annual growth per log point of initial
        income), ``se``, ``p`` and the 95 % interval ``conf_low``/``conf_high``
        (normal for ``cov="HC1"`` etc.; with ``cov="cluster"`` Student's t with
        G - 1 degrees of freedom, G the number of clusters), ``speed_pct``
        (lambda, percent per year),
        ``half_life_years``, ``n``, ``n_clusters`` and, with
        ``missing="drop"``, ``dropped`` (the regions left out).

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, duplicate keys, bad years, missing
        values (with ``missing="raise"``), values that are not positive,
        fewer regions than parameters + 1, an initial income that does not
        vary, fewer than 2 clusters, an unknown ``cov``.

    References
    ----------
    Barro, R. J., & Sala-i-Martin, X. (1992). Convergence. Journal of
    Political Economy, 100(2), 223-251.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": list("ABCABC"), "year": [0] * 3 + [10] * 3,
    ...                   "grdp_pc_idr_k": [1, 2, 4, 1 * 1.5, 2 * 1.4, 4 * 1.2]})
    >>> res, info = beta_convergence(p, 0, 10)
    >>> info["n"], bool(info["beta"] < 0)
    (3, True)
    """
    import statsmodels.formula.api as smf

    func = "beta_convergence"
    _v.column_names(func, unit=unit)
    _v.check_choice(cov, ("HC1", "cluster", "nonrobust"), "cov", func=func)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    controls = list(controls or [])
    if cov == "cluster" and cluster is None:
        raise ValidationError(f"{func}: cov='cluster' needs cluster=<column>")
    extra = [c for c in (cluster, fixed_effects) if c]
    panel = _v.require_columns(
        panel,
        {
            unit: "any",
            "year": "integer",
            value: "numeric",
            **dict.fromkeys(controls, "numeric"),
            **dict.fromkeys(extra, "any"),
        },
        func=func,
        name="panel",
    )
    start, end = _v.check_year_range(start, end, func=func)
    _year_check(panel, [start, end], func=func)
    _v.unique_keys(panel, [unit, "year"], func=func)
    t = end - start
    first = panel[panel["year"] == start].set_index(unit)
    last = panel[panel["year"] == end].set_index(unit)[value]
    df = first.copy()
    end_col = f"{value} in {end}"
    df[end_col] = last.reindex(df.index)
    only_end = sorted(set(last.index) - set(df.index), key=str)
    if only_end:
        raise ValidationError(
            f"{func}: {len(only_end)} regions have {value} in {end} but no row "
            f"in {start}: {_v._fmt(only_end)}"
        )
    frame = df.reset_index()
    frame, dropped = _v.handle_missing(
        frame, [value, end_col, *controls, *extra], missing=missing, keys=[unit], func=func
    )
    df = frame.set_index(unit)
    y0 = _v.check_positive(df[value], f"{value} in {start}", func=func)
    yT = _v.check_positive(df[end_col], end_col, func=func)
    df["ln_y0"] = np.log(y0)
    df["growth"] = 100 * (np.log(yT) - np.log(y0)) / t
    if np.ptp(df["ln_y0"].to_numpy()) == 0:
        raise ValidationError(
            f"{func}: {value} in {start} is the same for every region; "
            "convergence cannot be estimated"
        )
    rhs = ["ln_y0", *controls]
    if fixed_effects:
        rhs.append(f"C({fixed_effects})")
    n_par = 2 + len(controls) + (df[fixed_effects].nunique() - 1 if fixed_effects else 0)
    if len(df) <= n_par:
        raise ValidationError(
            f"{func}: {len(df)} regions for {n_par} parameters; need more regions than parameters"
        )
    model = smf.ols("growth ~ " + " + ".join(rhs), data=df.reset_index())
    if cov == "cluster":
        groups = df.reset_index()[cluster]
        n_clusters = _v.min_groups(groups, 2, what=f"clusters in {cluster!r}", func=func)
        # use_t: Student's t with G - 1 degrees of freedom, as every clustered
        # estimate in the toolkit (the normal overstates significance with few clusters)
        res = model.fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(groups)[0]}, use_t=True
        )
    else:
        res = model.fit(cov_type=cov)
        n_clusters = None
    b = res.params["ln_y0"] / 100  # per year, in log units
    speed = -np.log(1 + b * t) / t if 1 + b * t > 0 else np.nan
    info = {
        "beta": res.params["ln_y0"],
        "se": res.bse["ln_y0"],
        "p": res.pvalues["ln_y0"],
        "conf_low": res.conf_int().loc["ln_y0", 0],
        "conf_high": res.conf_int().loc["ln_y0", 1],
        "speed_pct": 100 * speed,
        "half_life_years": np.log(2) / speed if speed > 0 else np.nan,
        "n": int(res.nobs),
        "n_clusters": n_clusters,
    }
    if missing == "drop":
        info["dropped"] = dropped
    return res, info


@renamed(by="unit")
def sigma_convergence(
    panel: pd.DataFrame,
    *,
    value: str = "grdp_pc_idr_k",
    unit: str = "bps_code",
    missing: str = "raise",
) -> pd.DataFrame:
    """Dispersion of log ``value`` across regions per year.

    Standard deviation of logs (``sd_log``) and the unweighted coefficient of
    variation (``cv``).

    Parameters
    ----------
    panel : DataFrame
        ``year`` and ``value``, and the region key ``unit`` (its duplicates per
        year are refused; a frame without the ``unit`` column is read as one
        row per region and year).
    value : str
        Positive (logs are taken), e.g. ``grdp_pc_idr_k`` (IDR thousand per person).
    unit : str
        The region key (formerly ``by=``, which still works for one release).
    missing : {"raise", "drop"}
        A missing value raises (default) or its row is left out (warning,
        ``attrs["dropped"]``; ``n`` counts the regions used per year).

    Returns
    -------
    DataFrame
        ``year``, ``n`` (regions), ``sd_log`` (standard deviation of the
        natural logs) and ``cv`` (coefficient of variation; both unitless).

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, duplicate region-years, missing
        values (with ``missing="raise"``), values that are not positive, a
        year with fewer than 2 regions (named).

    References
    ----------
    Barro, R. J., & Sala-i-Martin, X. (1992). Convergence. Journal of
    Political Economy, 100(2), 223-251.

    Examples
    --------
    >>> p = pd.DataFrame({"year": [1, 1], "grdp_pc_idr_k": [1.0, np.e]})
    >>> float(round(sigma_convergence(p)["sd_log"].item(), 6))
    0.707107
    """
    func = "sigma_convergence"
    by = unit
    _v.as_frame(panel, name="panel", func=func)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    keyed = by in panel.columns
    panel = _v.require_columns(panel, {"year": "integer", value: "numeric"}, func=func)
    _v.min_rows(panel, 1, func=func)
    if keyed:
        _v.unique_keys(panel, [by, "year"], func=func)
    panel, dropped = _v.handle_missing(
        panel, [value], missing=missing, keys=[by, "year"] if keyed else ["year"], func=func
    )
    _v.check_positive(panel[value], value, func=func)
    g = panel.groupby("year")[value]
    n = g.size()
    if (n < 2).any():
        raise ValidationError(
            f"{func}: year {n[n < 2].index[0]} has fewer than 2 regions with "
            f"{value}; dispersion is undefined"
        )
    out = pd.DataFrame(
        {
            "n": n,
            "sd_log": g.apply(lambda s: np.log(s).std(ddof=1)),
            "cv": g.std(ddof=1) / g.mean(),
        }
    ).reset_index()
    return _v.attach_dropped(out, dropped)


def _wide(table, region, sector, value, func):
    table = _v.require_columns(
        table, {region: "any", sector: "any", value: "numeric"}, func=func, name="table"
    )
    _v.min_rows(table, 1, func=func)
    _v.handle_missing(table, [region, sector], keys=[region, sector], func=func)
    _v.unique_keys(table, [region, sector], func=func)
    _v.handle_missing(table, [value], keys=[region, sector], func=func)
    _v.check_positive(table[value], value, allow_zero=True, func=func)
    return table.pivot(index=region, columns=sector, values=value)


@renamed(region="unit")
def location_quotients(
    table: pd.DataFrame, *, unit: str = "region", sector: str = "sector", value: str = "value"
) -> pd.DataFrame:
    """Location quotients ``(e_ir / e_r) / (E_i / E)`` of a long region x sector table.

    For employment or GRDP by lapangan usaha. The reference economy is the sum
    over all regions in the table; LQ > 1 means specialisation.

    Parameters
    ----------
    table : DataFrame
        Long table, one row per region and sector, with a value for every
        region x sector cell (zeros written explicitly).
    unit : str
        The region column (formerly ``region=``, which still works for one
        release).
    sector, value : str
        Column names.

    Returns
    -------
    DataFrame
        Regions (index) x sectors (columns): the quotients (unitless; 1 = the
        region has the reference economy's share of the sector).

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, infinite values, duplicate cells,
        missing cells or values (named), negative values, a region or sector
        whose total is zero, fewer than 2 regions or 2 sectors (every quotient
        would be 1).

    References
    ----------
    Isard, W. (1960). Methods of Regional Analysis: An Introduction to Regional
    Science. Cambridge, MA: MIT Press.

    Examples
    --------
    >>> t = pd.DataFrame({"region": ["A", "A", "B", "B"], "sector": ["agri", "ind"] * 2,
    ...                   "value": [30, 70, 10, 90]})
    >>> round(float(location_quotients(t).loc["A", "agri"]), 10)
    1.5
    """
    func = "location_quotients"
    region = unit
    w = _wide(table, region, sector, value, func)
    for axis_labels, what, other in ((w.index, region, "sector"), (w.columns, sector, "region")):
        if len(axis_labels) < 2:
            raise ValidationError(
                f"{func}: the table has only one {what} ({_v._fmt(axis_labels)}); the reference "
                f"economy is the sum over the table's {what}s, so every {other}'s quotient "
                f"would be 1 by construction. Give at least 2 {what}s (e.g. all the province's "
                "regions, or the national totals as the reference)"
            )
    if w.isna().any().any():
        cells = [
            f"{w.index[int(r)]} x {w.columns[int(c)]}"
            for r, c in zip(*np.nonzero(w.isna().to_numpy()), strict=True)
        ]
        raise ValidationError(
            f"{func}: the region x sector table has {len(cells)} missing "
            f"cells ({_v._fmt(cells)}); fill zeros explicitly"
        )
    for axis, what in ((1, region), (0, sector)):
        tot = w.sum(axis=axis)
        if (tot == 0).any():
            raise ValidationError(
                f"{func}: {what} {_v._fmt(list(tot.index[tot == 0]))} has a "
                "total of zero; a location quotient is undefined"
            )
    share_r = w.div(w.sum(axis=1), axis=0)
    share_n = w.sum(axis=0) / w.values.sum()
    return share_r.div(share_n, axis=1)


#: Old spelling of :func:`shift_share` (fractions) -> new keyword (percent).
_SHIFT_SHARE_OLD = {
    "national_growth": "national_growth_pct",
    "national_total_growth": "national_total_growth_pct",
}


def _shift_share_old_spelling(func: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Accept the 0.1 spelling for one release: rates as fractions, positional or by name.

    The old values are passed on unchanged, as fractions (never multiplied by
    100 and divided back), so the old and the new call give identical numbers.
    """

    @functools.wraps(func)
    def wrapper(base: Any, final: Any, *args: Any, **kwargs: Any) -> pd.DataFrame:
        if len(args) > 2:
            raise TypeError(
                f"shift_share() takes 2 positional arguments but {2 + len(args)} were given"
            )
        old = dict(zip(_SHIFT_SHARE_OLD, args, strict=False))
        for name in _SHIFT_SHARE_OLD:
            if name in kwargs:
                if name in old:
                    raise TypeError(f"shift_share() got multiple values for argument {name!r}")
                old[name] = kwargs.pop(name)
        if not old:
            return func(base, final, **kwargs)
        both = [n for n in _SHIFT_SHARE_OLD.values() if n in kwargs]
        if both:
            raise ValidationError(
                f"shift_share() got old rates ({', '.join(old)}: fractions) and new ones "
                f"({', '.join(both)}: percent); pass only national_growth_pct= and "
                "national_total_growth_pct=, both in percent (29 for 29%)"
            )
        import warnings

        warnings.warn(
            f"shift_share({', '.join(old)}) as fractions (0.10 for 10%) is deprecated and "
            f"will be removed in cityresearch {REMOVED_IN}; use shift_share(base, final, "
            "national_growth_pct=..., national_total_growth_pct=...) in percent (10 for 10%).",
            CityResearchDeprecationWarning,
            stacklevel=user_stacklevel(),
        )
        missing = [n for n in _SHIFT_SHARE_OLD if n not in old]
        if missing:
            raise TypeError(f"shift_share() missing required argument {missing[0]!r}")
        return _shift_share(
            base, final, old["national_growth"], old["national_total_growth"], percent=False
        )

    return wrapper


@_shift_share_old_spelling
def shift_share(
    base: Any,
    final: Any,
    *,
    national_growth_pct: Any,
    national_total_growth_pct: float,
) -> pd.DataFrame:
    """Classic shift-share decomposition of a region's change by sector.

    ``change = national_share + industry_mix + regional_shift`` with, for each
    sector i of base value ``e0_i``: ``national_share = e0_i G``,
    ``industry_mix = e0_i (g_i - G)`` and ``regional_shift = e0_i (r_i - g_i)``,
    where ``G`` is the national growth of all sectors, ``g_i`` the national
    growth of sector i and ``r_i`` the region's own growth of sector i (as
    fractions inside the formula; the arguments are in percent).

    Parameters
    ----------
    base : array-like or Series
        The region's value by sector in the base year (e.g. IDR billion),
        positive. Series are matched by their index (sector), never by
        position; a plain list or array beside a Series indexed by sector is
        refused (it has no sectors to match), unless the Series has the
        default index 0..n-1.
    final : array-like or Series
        The region's value by sector in the final year (same unit), non-negative.
    national_growth_pct : array-like or Series
        National growth of each sector over the period, in percent (10 for
        10%); keyword-only.
    national_total_growth_pct : float
        National growth of all sectors together, in percent (29 for 29%);
        keyword-only.

    Returns
    -------
    DataFrame
        One row per sector and a ``total`` row, in the unit of ``base``:
        ``base``, ``final``, ``change``, ``national_share``,
        ``industry_mix`` and ``regional_shift``; the three parts add up to
        ``change``.

    Raises
    ------
    ValidationError
        Misaligned inputs (sectors named), a list beside a labelled Series,
        different lengths, missing or infinite values, base values that are
        not positive, negative final values, a non-numeric
        ``national_total_growth_pct`` or one below -100, both the old and the
        new spelling of a rate.

    Notes
    -----
    In version 0.1 the rates were fractions, passed positionally or as
    ``national_growth=`` and ``national_total_growth=`` (0.10 for 10%). That
    spelling still works for one release, with a
    :class:`~cityresearch._errors.CityResearchDeprecationWarning`, and gives
    identical results.

    References
    ----------
    Dunn, E. S., Jr. (1960). A statistical and analytical technique for regional
    analysis. Papers of the Regional Science Association, 6(1), 97-112.

    Examples
    --------
    The textbook case: 500/100/200/200 growing to 1000/100/250/280 with national
    sector growth 10/20/30/40% and total 29%:

    >>> out = shift_share([500, 100, 200, 200], [1000, 100, 250, 280],
    ...                   national_growth_pct=[10, 20, 30, 40], national_total_growth_pct=29)
    >>> cols = ["change", "national_share", "industry_mix", "regional_shift"]
    >>> out.loc["total", cols].round(6).tolist()
    [630.0, 290.0, -80.0, 420.0]
    """
    return _shift_share(base, final, national_growth_pct, national_total_growth_pct, percent=True)


def _shift_share(
    base: Any, final: Any, growth: Any, total_growth: Any, *, percent: bool
) -> pd.DataFrame:
    """The decomposition; ``percent`` says whether the rates are percent (new) or fractions."""
    func = "shift_share"
    g_name = "national_growth_pct" if percent else "national_growth"
    G_name = "national_total_growth_pct" if percent else "national_total_growth"
    scale = 100.0 if percent else 1.0
    G = _v.check_number(
        total_growth,
        G_name,
        lo=-scale,
        hint="percent: 29 for 29%" if percent else "a rate: 0.29 for 29%",
        func=func,
    )
    b0, b1, gg = _v.align_by_key(base, final, growth, names=["base", "final", g_name], func=func)
    keyed = any(isinstance(x, pd.Series) for x in (base, final, growth))
    idx = b0.index if keyed else None
    if "total" in b0.index:
        raise ValidationError(
            f"{func}: a sector is called 'total'; rename it (the total row is added)"
        )
    _v.min_rows(b0, 1, what="sectors", func=func)
    e0 = _v.check_positive(b0, "base", func=func)
    e1 = _v.check_positive(b1, "final", allow_zero=True, func=func)
    g = pd.to_numeric(gg, errors="coerce").to_numpy(dtype=float)
    if np.isnan(g).any():
        raise ValidationError(
            f"{func}: {g_name} has missing or non-numeric values at "
            f"{_v._fmt(list(gg.index[np.isnan(g)]))}"
        )
    _v.check_finite(pd.Series(g, index=gg.index), g_name, func=func)
    if (g < -scale).any():
        raise ValidationError(
            f"{func}: {g_name} is below {-scale:g} ({'percent' if percent else 'a fraction'}: "
            f"a sector cannot shrink by more than all of it) at "
            f"{_v._fmt(list(gg.index[g < -scale]))}"
        )
    rates = np.append(g, G)
    if percent and np.any(rates != 0) and np.all(np.abs(rates) <= 1):
        warnings.warn(
            f"{func}: every rate lies between -1 and 1; {g_name} and {G_name} are in percent "
            "(29 for 29%), so these are growth rates below 1%. If they are fractions "
            "(0.29 for 29%), multiply them by 100.",
            CityResearchWarning,
            stacklevel=user_stacklevel(),
        )
    if not percent and np.any(np.abs(rates) > 1):
        warnings.warn(
            f"{func}: a rate above 1 in absolute value: the old spelling takes fractions "
            "(0.29 for 29%), so this is growth above 100%. If the rates are percent, pass "
            "national_growth_pct= and national_total_growth_pct=.",
            CityResearchWarning,
            stacklevel=user_stacklevel(),
        )
    g, G = g / scale, G / scale
    r = e1 / e0 - 1
    out = pd.DataFrame(
        {
            "base": e0,
            "final": e1,
            "change": e1 - e0,
            "national_share": e0 * G,
            "industry_mix": e0 * (g - G),
            "regional_shift": e0 * (r - g),
        },
        index=idx,
    )
    out.loc["total"] = out.sum()
    return out


@renamed(by="group")
def period_contributions(
    panel: pd.DataFrame,
    start: int,
    end: int,
    *,
    group: str = "bps_code",
    unit: str = "bps_code",
    value: str = "grdp_idr_bn",
    missing: str = "raise",
) -> pd.DataFrame:
    """Contribution of each group (region, province, class ...) to aggregate growth.

    Between ``start`` and ``end``: ``contribution_pp = 100 * (Y_gT - Y_g0) / Y_0``
    with ``Y_0`` the aggregate in ``start``.

    Parameters
    ----------
    panel : DataFrame
        ``unit``, ``year``, ``value`` and ``group``; one row per region and year.
    start : int
        First year, a year of the panel.
    end : int
        Last year, a year of the panel after ``start``.
    group : str
        The grouping column (``bps_code`` for regions; ``province_34``,
        ``island_group``, a class ...). Formerly ``by=``, which still works
        for one release.
    unit : str
        The region key; a frame without it is read as one row per ``group``
        and year.
    value : str
        A positive quantity, e.g. ``grdp_idr_bn`` (IDR billion).
    missing : {"raise", "drop"}
        A region with a missing value or group in either year raises
        (default) or is left out of both years (warning, ``attrs["dropped"]``).

    Returns
    -------
    DataFrame
        One row per group: ``<value>_start``, ``<value>_end``, ``growth_pct``
        (the group's own cumulative growth), ``contribution_pp`` (``100 * (Y_gT -
        Y_g0) / Y_0``, adds up to the aggregate cumulative growth) and
        ``share_of_change_pct`` (adds up to 100; missing, with a warning, when
        the aggregate did not change), sorted by contribution.

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, duplicate region-years, bad years,
        regions present in only one of the two years (named: they would bias
        the shares), missing values (with ``missing="raise"``), values that
        are not positive.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["A", "B"] * 2, "year": [1, 1, 2, 2],
    ...                   "grdp_idr_bn": [100.0, 100.0, 120.0, 100.0]})
    >>> period_contributions(p, 1, 2).set_index("bps_code")["contribution_pp"].tolist()
    [10.0, 0.0]
    """
    import warnings

    func = "period_contributions"
    by = group
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    key = unit if unit in getattr(panel, "columns", []) else by
    panel = _v.require_columns(
        panel, {key: "any", by: "any", "year": "integer", value: "numeric"}, func=func, name="panel"
    )
    start, end = _v.check_year_range(start, end, func=func)
    _year_check(panel, [start, end], func=func)
    sub = panel[panel["year"].isin([start, end])]
    _v.unique_keys(sub, [key, "year"], func=func)
    a = sub[sub["year"] == start]
    b = sub[sub["year"] == end]
    only_a = sorted(set(a[key]) - set(b[key]), key=str)
    only_b = sorted(set(b[key]) - set(a[key]), key=str)
    if only_a or only_b:
        raise ValidationError(
            f"{func}: regions differ between {start} and {end} (only in "
            f"{start}: {_v._fmt(only_a)}; only in {end}: {_v._fmt(only_b)})"
        )
    sub, dropped = _v.handle_missing(
        sub, [value, by], missing=missing, keys=[key, "year"], func=func
    )
    if len(dropped):
        gone = set(dropped[key])
        dropped = pd.concat([dropped, sub[sub[key].isin(gone)]])
        sub = sub[~sub[key].isin(gone)]
    _v.check_positive(sub.set_index([key, "year"])[value], value, func=func)
    a = sub[sub["year"] == start]
    b = sub[sub["year"] == end]
    g0 = a.groupby(by)[value].sum()
    g1 = b.groupby(by)[value].sum()
    out = pd.DataFrame({f"{value}_start": g0, f"{value}_end": g1})
    out["growth_pct"] = 100 * (out[f"{value}_end"] / out[f"{value}_start"] - 1)
    out["contribution_pp"] = 100 * (g1 - g0) / g0.sum()
    change = g1.sum() - g0.sum()
    if change == 0:
        warnings.warn(
            f"{func}: the aggregate did not change between {start} and {end}; "
            "share_of_change_pct is undefined (missing)",
            stacklevel=user_stacklevel(),
        )
        out["share_of_change_pct"] = np.nan
    else:
        out["share_of_change_pct"] = 100 * (g1 - g0) / change
    out = out.sort_values("contribution_pp", ascending=False).reset_index()
    return _v.attach_dropped(out, dropped)


def inequality_over_time(
    panel: pd.DataFrame,
    *,
    group: str = "prov_bps_code",
    unit: str = "bps_code",
    missing: str = "raise",
) -> pd.DataFrame:
    """Inequality of GRDP per capita across regions, for every year of the panel.

    Williamson, Theil (total, within and between ``group``) and population-
    weighted Gini; GRDP per capita is ``grdp_idr_bn / pop``.

    Parameters
    ----------
    panel : DataFrame
        ``bps_code``, ``year``, ``grdp_idr_bn``, ``pop`` and ``group`` (from
        :func:`cityresearch.panels.attach_province` for provinces); one row
        per region and year.
    group : str
        Grouping of the Theil decomposition.
    unit : str
        The region key (default ``bps_code``); each region-year once.
    missing : {"raise", "drop"}
        A region-year with a missing GRDP, population or group raises
        (default) or is left out of that year's indices (warning,
        ``attrs["dropped"]``; ``n`` counts the regions used).

    Returns
    -------
    DataFrame
        ``year``, ``n``, ``williamson``, ``theil``, ``theil_within``,
        ``theil_between``, ``between_share_pct``, ``gini``.

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, duplicate region-years, missing
        values (with ``missing="raise"``), values that are not positive.

    References
    ----------
    Each column is computed by :func:`williamson`, :func:`theil` and
    :func:`gini`:

    Williamson, J. G. (1965). Regional inequality and the process of national
    development: a description of the patterns. *Economic Development and
    Cultural Change* 13(4, Part 2), 1-84. doi:10.1086/450136

    Theil, H. (1967). *Economics and Information Theory*. North-Holland.

    Shorrocks, A. F. (1980). The class of additively decomposable inequality
    measures. *Econometrica* 48(3), 613-625. doi:10.2307/1913126

    Akita, T. (2003). Decomposing regional income inequality in China and
    Indonesia using two-stage nested Theil decomposition method. *Annals of
    Regional Science* 37(1), 55-77. doi:10.1007/s001680200107

    Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Tipografia di Paolo
    Cuppini.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["A", "B"], "year": [1, 1], "grdp_idr_bn": [1.0, 3.0],
    ...                   "pop": [1.0, 1.0], "g": ["x", "y"]})
    >>> float(inequality_over_time(p, group="g")["williamson"].item())
    0.5
    """
    func = "inequality_over_time"
    _v.as_frame(panel, name="panel", func=func)
    _require_group(panel, [group], func, what="the group")
    panel, dropped = _panel(
        panel, unit, ["grdp_idr_bn", "pop"], func, missing=missing, extra=[group]
    )
    rows = []
    for year, sub in panel.groupby("year"):
        sub = sub.set_index(unit)
        pc = sub["grdp_idr_bn"] / sub["pop"]
        t = theil(sub["grdp_idr_bn"], pop=sub["pop"], group=sub[group])
        rows.append(
            {
                "year": year,
                "n": len(sub),
                "williamson": williamson(pc, pop=sub["pop"]),
                "theil": t.total,
                "theil_within": t["within"],
                "theil_between": t["between"],
                "between_share_pct": 100 * t["between"] / t.total,
                "gini": gini(pc, sub["pop"]),
            }
        )
    return _v.attach_dropped(pd.DataFrame(rows), dropped)


def aggregate_provinces(
    panel: pd.DataFrame, *, scheme: int = 2025, unit: str = "bps_code", missing: str = "raise"
) -> pd.DataFrame:
    """Sum district GRDP and population to provinces, per year.

    Parameters
    ----------
    panel : DataFrame
        ``bps_code``, ``year``, ``grdp_idr_bn`` (IDR billion), ``pop``
        (persons) and the province columns of ``scheme`` (see
        :data:`PROVINCE_COLUMNS`): ``prov_kemendagri_code`` and ``province``
        for 2025, ``prov_bps_code`` and ``province_34`` for 2017. Add them
        with :func:`cityresearch.panels.attach_province` (this function does
        not look regions up). One row per region and year.
    scheme : {2025, 2017}
        38 provinces (Kemendagri 2025 codes, ``prov_kemendagri_code``, after
        the Papua split) or the 34 of the data's time (``prov_bps_code``).
    unit : str
        The region key (default ``bps_code``); each region-year once.
    missing : {"raise", "drop"}
        A region-year with a missing GRDP, population or province raises (default), or
        is left out of its province's sums (warning, ``attrs["dropped"]``) and
        ``n_kabkota`` counts only the regions summed, so that an incomplete
        total shows.

    Returns
    -------
    DataFrame
        Province code, ``province``, ``year``, ``grdp_idr_bn``, ``pop``,
        ``grdp_pc_idr_k`` (their ratio, IDR thousand per person) and
        ``n_kabkota`` (regions summed).

    Raises
    ------
    ValidationError
        Unknown ``scheme``, missing province columns (the message says to
        call :func:`cityresearch.panels.attach_province`), missing or
        non-numeric columns, duplicate region-years, missing values (with
        ``missing="raise"``), negative values.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["3505", "3572"], "year": [2019, 2019],
    ...                   "grdp_idr_bn": [1.0, 2.0], "pop": [10.0, 20.0],
    ...                   "prov_kemendagri_code": ["35", "35"],
    ...                   "province": ["Jawa Timur", "Jawa Timur"]})
    >>> aggregate_provinces(p)[["province", "grdp_idr_bn", "n_kabkota"]].values.tolist()
    [['Jawa Timur', 3.0, 2]]
    """
    func = "aggregate_provinces"
    _v.check_choice(scheme, (2025, 2017), "scheme", func=func)
    _v.as_frame(panel, name="panel", func=func)
    code, name = PROVINCE_COLUMNS[scheme]
    _require_group(panel, [code, name], func, what=f"the provinces of scheme {scheme}")
    panel, dropped = _panel(
        panel, unit, ["grdp_idr_bn", "pop"], func, missing=missing, extra=[code, name]
    )
    for col in ("grdp_idr_bn", "pop"):
        _v.check_positive(panel.set_index([unit, "year"])[col], col, allow_zero=True, func=func)
    out = (
        panel.groupby([code, name, "year"])
        .agg(
            grdp_idr_bn=("grdp_idr_bn", "sum"),
            pop=("pop", "sum"),
            n_kabkota=(unit, "nunique"),
        )
        .reset_index()
    )
    out["grdp_pc_idr_k"] = out["grdp_idr_bn"] * 1e6 / out["pop"]
    return _v.attach_dropped(out.rename(columns={name: "province"}), dropped)
