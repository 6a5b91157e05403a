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

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError
from cityresearch.growth import _year_check
from cityresearch.panels import attach_province  # (moved to panels; kept importable)

__all__ = [
    "grdp_shares", "growth_contributions", "top_k_share", "williamson", "theil", "gini",
    "beta_convergence", "sigma_convergence", "location_quotients", "shift_share",
    "attach_province", "period_contributions", "inequality_over_time", "aggregate_provinces",
]


def _cols(frame, cols):
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValidationError(f"the data lack columns {missing}; they have {list(frame.columns)}")


def _positive(x, what):
    x = np.asarray(x, dtype=float)
    if np.isnan(x).any():
        raise ValidationError(f"{what} has missing values; drop or fill them explicitly first")
    if (x <= 0).any():
        raise ValidationError(f"{what} must be positive (logs or shares are taken); "
                              f"{int((x <= 0).sum())} values are zero or negative")
    return x


def _same_length(*arrays):
    n = {len(a) for a in arrays}
    if len(n) != 1:
        raise ValidationError(f"inputs have different lengths: {sorted(n)}")


def grdp_shares(panel: pd.DataFrame, *, value: str = "grdp_idr_bn",
                group: str = "prov_bps_code") -> pd.DataFrame:
    """Each region's share (percent) of its group's and of the national total, by year.

    Returns the panel with ``share_<group>_pct``, ``share_national_pct`` and the
    national rank (1 = largest) per year.
    """
    if group not in panel.columns:
        panel = attach_province(panel)
    _cols(panel, ["bps_code", "year", value, group])
    out = panel.copy()
    out[f"share_{group}_pct"] = 100 * out[value] / out.groupby(["year", group])[value].transform("sum")
    out["share_national_pct"] = 100 * out[value] / out.groupby("year")[value].transform("sum")
    out["rank_national"] = out.groupby("year")[value].rank(ascending=False, method="min").astype(int)
    return out


def growth_contributions(panel: pd.DataFrame, *, value: str = "grdp_idr_bn",
                         by: str = "bps_code", within: str | None = None) -> pd.DataFrame:
    """Contribution of each region to aggregate growth, percentage points.

    ``contribution_pp = 100 * (Y_it - Y_i,t-1) / Y_t-1`` where ``Y_t-1`` is the
    aggregate (national, or of the ``within`` group) in the previous year; it
    equals share at t-1 times own growth, and the contributions add up to the
    aggregate growth exactly. Years without a previous year are dropped from
    the result (nothing is interpolated); regions must be present in both years.
    """
    _cols(panel, [by, "year", value] + ([within] if within else []))
    keys = ["year"] + ([within] if within else [])
    df = panel.sort_values([by, "year"]).copy()
    df["prev"] = df.groupby(by)[value].shift()
    df["prev_year"] = df.groupby(by)["year"].shift()
    df = df[df["prev_year"] == df["year"] - 1]
    agg_prev = df.groupby(keys)["prev"].transform("sum")
    df["contribution_pp"] = 100 * (df[value] - df["prev"]) / agg_prev
    df["share_prev_pct"] = 100 * df["prev"] / agg_prev
    df["growth_pct"] = 100 * (df[value] / df["prev"] - 1)
    return df.drop(columns=["prev", "prev_year"]).reset_index(drop=True)


def top_k_share(values, k: int) -> float:
    """Share (percent) of the k largest values in the total (concentration)."""
    v = np.sort(_positive(values, "values"))[::-1]
    if not 1 <= k <= len(v):
        raise ValidationError(f"k must be between 1 and {len(v)}")
    return float(100 * v[:k].sum() / v.sum())


def williamson(grdp_pc, pop) -> float:
    """Williamson index: population-weighted coefficient of variation of GRDP per capita.

    ``ybar`` is the population-weighted mean (aggregate GRDP / population).

    >>> round(williamson([10, 20], [1, 3]), 6)  # sqrt(18.75) / 17.5
    0.247436
    """
    _same_length(grdp_pc, pop)
    y, p = _positive(grdp_pc, "grdp_pc"), _positive(pop, "pop")
    w = p / p.sum()
    ybar = (w * y).sum()
    return float(np.sqrt((w * (y - ybar) ** 2).sum()) / ybar)


def theil(grdp, pop, groups=None) -> dict:
    """Theil T index of GRDP per capita across regions, with its exact decomposition.

    Parameters
    ----------
    grdp, pop : array-like
        GRDP (any unit) and population of each region.
    groups : array-like, optional
        Group of each region (e.g. province); adds ``within`` and ``between``
        (``total = within + between`` exactly) and per-group indices.

    Returns
    -------
    dict with ``total`` and, with groups, ``within``, ``between``, ``by_group``
    (DataFrame: group, income share, population share, Theil within the group).
    """
    _same_length(grdp, pop, *([groups] if groups is not None else []))
    y, p = _positive(grdp, "grdp"), _positive(pop, "pop")
    s, n = y / y.sum(), p / p.sum()
    total = float((s * np.log(s / n)).sum())
    if groups is None:
        return {"total": total}
    g = pd.Series(np.asarray(groups))
    rows = []
    for key, idx in g.groupby(g).groups.items():
        idx = np.asarray(idx)
        sg, ng = s[idx].sum(), n[idx].sum()
        tg = float(((s[idx] / sg) * np.log((s[idx] / sg) / (n[idx] / ng))).sum())
        rows.append({"group": key, "grdp_share": sg, "pop_share": ng, "theil_within": tg})
    by = pd.DataFrame(rows)
    within = float((by["grdp_share"] * by["theil_within"]).sum())
    between = float((by["grdp_share"] * np.log(by["grdp_share"] / by["pop_share"])).sum())
    return {"total": total, "within": within, "between": between, "by_group": by}


def gini(values, weights=None) -> float:
    """Gini coefficient, optionally population-weighted (e.g. of GRDP per capita
    across regions weighted by population)."""
    x = _positive(values, "values")
    w = np.ones_like(x) if weights is None else _positive(weights, "weights")
    _same_length(x, w)
    order = np.argsort(x)
    x, w = x[order], w[order]
    cw = np.cumsum(w) / w.sum()
    cx = np.cumsum(x * w) / (x * w).sum()
    # area under the Lorenz curve by trapezoids
    b = np.sum((cx + np.concatenate([[0], cx[:-1]])) * np.diff(np.concatenate([[0], cw])))
    return float(1 - b)


def beta_convergence(panel: pd.DataFrame, start: int, end: int, *,
                     value: str = "grdp_pc_idr_k", controls: list[str] | None = None,
                     cov: str = "HC1", cluster: str | None = None,
                     fixed_effects: str | None = None):
    """Absolute or conditional beta-convergence across regions.

    Regresses average annual log growth (percent per year) between ``start``
    and ``end`` on the log of ``value`` in ``start``, plus ``controls`` (columns
    of the panel measured in ``start``) and ``C(fixed_effects)``.

    Parameters
    ----------
    cov : {"HC1", "cluster", "nonrobust"}
        Robust (default) or clustered standard errors (needs ``cluster``).

    Returns
    -------
    (statsmodels results, dict)
        The OLS results (``.summary()``) and ``beta``, ``se``, ``p``,
        ``speed_pct`` (lambda, percent per year), ``half_life_years``, ``n``,
        ``n_clusters``.
    """
    import statsmodels.formula.api as smf

    _cols(panel, ["bps_code", "year", value])
    _year_check(panel, [start, end])
    if end <= start:
        raise ValidationError("end must be after start")
    t = end - start
    first = panel[panel["year"] == start].set_index("bps_code")
    last = panel[panel["year"] == end].set_index("bps_code")[value]
    df = first.copy()
    y0 = _positive(df[value], f"{value} in {start}")
    yT = _positive(last.reindex(df.index), f"{value} in {end}")
    df["ln_y0"] = np.log(y0)
    df["growth"] = 100 * (np.log(yT) - np.log(y0)) / t
    rhs = ["ln_y0", *(controls or [])]
    if fixed_effects:
        rhs.append(f"C({fixed_effects})")
    model = smf.ols("growth ~ " + " + ".join(rhs), data=df.reset_index())
    if cov == "cluster":
        if cluster is None:
            raise ValidationError("cov='cluster' needs cluster=<column>")
        groups = df.reset_index()[cluster]
        res = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(groups)[0]})
        n_clusters = int(groups.nunique())
    elif cov in ("HC1", "nonrobust"):
        res = model.fit(cov_type=cov)
        n_clusters = None
    else:
        raise ValidationError(f"cov must be 'HC1', 'cluster' or 'nonrobust', not {cov!r}")
    b = res.params["ln_y0"] / 100  # per year, in log units
    speed = -np.log(1 + b * t) / t if 1 + b * t > 0 else np.nan
    info = {"beta": res.params["ln_y0"], "se": res.bse["ln_y0"], "p": res.pvalues["ln_y0"],
            "speed_pct": 100 * speed, "half_life_years": np.log(2) / speed if speed > 0 else np.nan,
            "n": int(res.nobs), "n_clusters": n_clusters}
    return res, info


def sigma_convergence(panel: pd.DataFrame, *, value: str = "grdp_pc_idr_k") -> pd.DataFrame:
    """Dispersion of log ``value`` across regions per year: standard deviation
    of logs (``sd_log``) and the unweighted coefficient of variation (``cv``)."""
    _cols(panel, ["year", value])
    _positive(panel[value].dropna(), value)
    g = panel.dropna(subset=[value]).groupby("year")[value]
    return pd.DataFrame({
        "n": g.size(),
        "sd_log": g.apply(lambda s: np.log(s).std(ddof=1)),
        "cv": g.std(ddof=1) / g.mean(),
    }).reset_index()


def _wide(table, region, sector, value):
    _cols(table, [region, sector, value])
    if table.duplicated([region, sector]).any():
        raise ValidationError(f"more than one row per {region} and {sector}")
    return table.pivot(index=region, columns=sector, values=value)


def location_quotients(table: pd.DataFrame, *, region: str = "region", sector: str = "sector",
                       value: str = "value") -> pd.DataFrame:
    """Location quotients ``(e_ir / e_r) / (E_i / E)`` of a long region x sector
    table (employment or GRDP by lapangan usaha). The reference economy is the
    sum over all regions in the table; LQ > 1 means specialisation."""
    w = _wide(table, region, sector, value)
    if w.isna().any().any():
        raise ValidationError("the region x sector table has missing cells; fill zeros explicitly")
    share_r = w.div(w.sum(axis=1), axis=0)
    share_n = w.sum(axis=0) / w.values.sum()
    return share_r.div(share_n, axis=1)


def shift_share(base, final, national_growth, national_total_growth) -> pd.DataFrame:
    """Classic shift-share decomposition of a region's change by sector.

    Parameters
    ----------
    base, final : array-like or Series
        The region's value by sector in the base and final year.
    national_growth : array-like or Series
        National growth rate of each sector (0.10 for 10%).
    national_total_growth : float
        National growth of all sectors together.

    Returns
    -------
    DataFrame
        One row per sector and a ``total`` row: ``change``, ``national_share``
        (``e0 * G``), ``industry_mix`` (``e0 * (g_i - G)``), ``regional_shift``
        (``e0 * (r_i - g_i)``); the three parts add up to ``change``.

    Examples
    --------
    The textbook case: 500/100/200/200 growing to 1000/100/250/280 with national
    sector growth 10/20/30/40% and total 29%:

    >>> out = shift_share([500, 100, 200, 200], [1000, 100, 250, 280],
    ...                   [0.10, 0.20, 0.30, 0.40], 0.29)
    >>> out.loc["total", ["change", "national_share", "industry_mix", "regional_shift"]].round(6).tolist()
    [630.0, 290.0, -80.0, 420.0]
    """
    idx = base.index if isinstance(base, pd.Series) else None
    e0, e1 = np.asarray(base, dtype=float), np.asarray(final, dtype=float)
    g = np.asarray(national_growth, dtype=float)
    _same_length(e0, e1, g)
    if (e0 <= 0).any():
        raise ValidationError("base values must be positive to compute regional growth rates")
    r = e1 / e0 - 1
    out = pd.DataFrame({
        "base": e0, "final": e1, "change": e1 - e0,
        "national_share": e0 * national_total_growth,
        "industry_mix": e0 * (g - national_total_growth),
        "regional_shift": e0 * (r - g),
    }, index=idx)
    out.loc["total"] = out.sum()
    return out


def period_contributions(panel: pd.DataFrame, start: int, end: int, *, by: str = "bps_code",
                         value: str = "grdp_idr_bn") -> pd.DataFrame:
    """Contribution of each group (region, province, class ...) to aggregate
    growth between ``start`` and ``end``.

    Returns one row per group: ``<value>_start``, ``<value>_end``, ``growth_pct``
    (the group's own cumulative growth), ``contribution_pp`` (``100 * (Y_gT -
    Y_g0) / Y_0``, adds up to the aggregate cumulative growth) and
    ``share_of_change_pct`` (adds up to 100), sorted by contribution.
    Regions missing in either year raise (they would bias the shares).
    """
    _cols(panel, [by, "year", value])
    _year_check(panel, [start, end])
    a = panel[panel["year"] == start]
    b = panel[panel["year"] == end]
    if "bps_code" in panel.columns and set(a["bps_code"]) != set(b["bps_code"]):
        raise ValidationError(f"regions differ between {start} and {end}")
    g0 = a.groupby(by)[value].sum()
    g1 = b.groupby(by)[value].sum()
    out = pd.DataFrame({f"{value}_start": g0, f"{value}_end": g1})
    out["growth_pct"] = 100 * (out[f"{value}_end"] / out[f"{value}_start"] - 1)
    out["contribution_pp"] = 100 * (g1 - g0) / g0.sum()
    out["share_of_change_pct"] = 100 * (g1 - g0) / (g1.sum() - g0.sum())
    return out.sort_values("contribution_pp", ascending=False).reset_index()


def inequality_over_time(panel: pd.DataFrame, *, group: str = "prov_bps_code") -> pd.DataFrame:
    """Williamson, Theil (total, within and between ``group``) and population-
    weighted Gini of GRDP per capita across regions, for every year of the panel.

    Needs ``grdp_idr_bn`` and ``pop``; GRDP per capita is their ratio.
    """
    if group not in panel.columns:
        panel = attach_province(panel)
    _cols(panel, ["year", "grdp_idr_bn", "pop", group])
    rows = []
    for year, sub in panel.groupby("year"):
        pc = sub["grdp_idr_bn"] / sub["pop"]
        t = theil(sub["grdp_idr_bn"], sub["pop"], sub[group])
        rows.append({"year": year, "n": len(sub), "williamson": williamson(pc, sub["pop"]),
                     "theil": t["total"], "theil_within": t["within"],
                     "theil_between": t["between"],
                     "between_share_pct": 100 * t["between"] / t["total"],
                     "gini": gini(pc, sub["pop"])})
    return pd.DataFrame(rows)


def aggregate_provinces(panel: pd.DataFrame, *, scheme: int = 2025) -> pd.DataFrame:
    """Sum district GRDP and population to provinces, per year.

    Parameters
    ----------
    scheme : {2025, 2017}
        38 provinces (Kemendagri 2025 codes, ``prov_kemendagri_code``, after
        the Papua split) or the 34 of the data's time (``prov_bps_code``).

    Returns
    -------
    DataFrame: province code, ``province``, ``year``, ``grdp_idr_bn``, ``pop``,
    ``grdp_pc_idr_k`` (their ratio, IDR thousand per person), ``n_kabkota``.
    """
    if scheme not in (2025, 2017):
        raise ValidationError("scheme must be 2025 (38 provinces) or 2017 (34 provinces)")
    panel = attach_province(panel.drop(columns=[c for c in ("prov_bps_code", "province_34",
                                                            "province", "island_group", "name",
                                                            "type") if c in panel.columns]))
    from cityresearch import regions

    if scheme == 2025:
        panel = panel.merge(regions.region_table()[["bps_code", "prov_kemendagri_code"]],
                            on="bps_code")
        code, name = "prov_kemendagri_code", "province"
    else:
        code, name = "prov_bps_code", "province_34"
    _cols(panel, ["year", "grdp_idr_bn", "pop"])
    out = panel.groupby([code, name, "year"]).agg(
        grdp_idr_bn=("grdp_idr_bn", "sum"), pop=("pop", "sum"),
        n_kabkota=("bps_code", "nunique")).reset_index()
    out["grdp_pc_idr_k"] = out["grdp_idr_bn"] * 1e6 / out["pop"]
    return out.rename(columns={name: "province"})
