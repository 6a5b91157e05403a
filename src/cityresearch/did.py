"""Staggered difference-in-differences: Callaway and Sant'Anna (2021).

Terms
-----
group g
    The first period a unit is treated (here: the year a region signed the
    smart-city MoU). Units never treated (``group`` 0 or missing) are the
    controls ("never-treated" comparison group).
ATT(g, t)
    The average effect in period t on the units first treated in g, estimated
    by a 2x2 DiD of g against the never-treated between a base period and t.
    For t >= g the base is g - 1; for pre-treatment t < g the base is t - 1
    ("varying" base period, R ``did``'s default), so pre-treatment ATT(g,t)
    are placebo tests of parallel trends.
aggregations
    ``simple`` (post-treatment ATT(g,t) weighted by group size), ``group``
    (per cohort, averaged over its post periods), ``dynamic`` (by event time
    e = t - g) and ``calendar`` (by period), as in R ``did::aggte``.

Estimator: without covariates the doubly robust, outcome-regression and IPW
estimators coincide with the unconditional 2x2 DiD, implemented here in numpy.
Standard errors are analytic, from influence functions (including the
estimation of the aggregation weights), as R ``did`` with ``bstrap = FALSE``.
Validated against R ``did`` 2.5.0 on ``mpdta`` (tests/test_did.py).

This module does not estimate with covariates, with not-yet-treated
controls, or for unbalanced panels; it says so rather than approximating.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError

__all__ = ["att_gt", "ATTResult"]


@dataclass
class ATTResult:
    """Group-time average treatment effects.

    Attributes
    ----------
    attgt : DataFrame
        ``group``, ``t``, ``att``, ``se``, ``post`` (t >= group), ``n_group``.
    n : int
        Number of units.
    """

    attgt: pd.DataFrame
    n: int
    _inf: np.ndarray
    _groups: np.ndarray  # each unit's group (0 = never treated)

    def aggregate(self, kind: str = "simple", *, min_e: int = -np.inf, max_e: int = np.inf) -> pd.DataFrame:
        """Aggregate ATT(g,t) as R ``did::aggte``.

        Returns a frame with the aggregated effects (``egt``, ``att``, ``se``)
        and, for ``group``/``dynamic``/``calendar``, a final row ``overall``.
        """
        a = self.attgt.reset_index(drop=True)
        groups = np.sort(a["group"].unique())
        pg_all = {g: np.mean(self._groups == g) for g in groups}
        pg = a["group"].map(pg_all).to_numpy()
        att = a["att"].to_numpy()
        inf = self._inf

        def combine(keep, weights):
            keep = np.asarray(keep)
            w = weights / weights.sum()
            est = float(np.sum(w * att[keep]))
            # influence of estimating the weights (R did's wif)
            gk = a["group"].to_numpy()[keep]
            ind = np.column_stack([(self._groups == g).astype(float) - pg_all[g] for g in gk])
            s = pg[keep].sum()
            if1 = ind / s
            if2 = np.outer(ind.sum(axis=1), pg[keep]) / s ** 2
            wif = if1 - if2
            agg_inf = inf[:, keep] @ w + wif @ att[keep]
            return est, float(np.sqrt(np.mean(agg_inf ** 2) / self.n)), agg_inf

        def se_of(infs):
            return float(np.sqrt(np.mean(infs ** 2) / self.n))

        post = (a["t"] >= a["group"]).to_numpy()
        if kind == "simple":
            keep = np.flatnonzero(post)
            est, se, _ = combine(keep, pg[keep])
            return pd.DataFrame([{"egt": "overall", "att": est, "se": se}])
        rows, infs = [], []
        if kind == "group":
            for g in groups:
                keep = np.flatnonzero(post & (a["group"] == g).to_numpy())
                w = np.ones(len(keep)) / len(keep)
                est = float(att[keep].mean())
                inf_g = inf[:, keep] @ w
                rows.append({"egt": g, "att": est, "se": se_of(inf_g)})
                infs.append(inf_g)
            # overall: weighted by group size, with weight influence
            est_vec = np.array([r["att"] for r in rows])
            w = np.array([pg_all[g] for g in groups])
            ind = np.column_stack([(self._groups == g).astype(float) - pg_all[g] for g in groups])
            wif = ind / w.sum() - np.outer(ind.sum(axis=1), w) / w.sum() ** 2
            overall_inf = np.column_stack(infs) @ (w / w.sum()) + wif @ est_vec
            rows.append({"egt": "overall", "att": float(np.sum(w / w.sum() * est_vec)),
                         "se": se_of(overall_inf)})
            return pd.DataFrame(rows)
        if kind == "dynamic":
            e = (a["t"] - a["group"]).to_numpy()
            for ev in np.sort(np.unique(e)):
                if ev < min_e or ev > max_e:
                    continue
                keep = np.flatnonzero(e == ev)
                est, se, inf_e = combine(keep, pg[keep])
                rows.append({"egt": int(ev), "att": est, "se": se})
                infs.append((ev, inf_e))
            post_infs = [i for ev, i in infs if ev >= 0]
            overall_inf = np.mean(np.column_stack(post_infs), axis=1)
            est = float(np.mean([r["att"] for r in rows if r["egt"] >= 0]))
            rows.append({"egt": "overall", "att": est, "se": se_of(overall_inf)})
            return pd.DataFrame(rows)
        if kind == "calendar":
            for t in np.sort(a["t"].unique()):
                keep = np.flatnonzero(post & (a["t"] == t).to_numpy())
                if len(keep) == 0:
                    continue
                est, se, inf_t = combine(keep, pg[keep])
                rows.append({"egt": int(t), "att": est, "se": se})
                infs.append(inf_t)
            overall_inf = np.mean(np.column_stack(infs), axis=1)
            rows.append({"egt": "overall", "att": float(np.mean([r["att"] for r in rows])),
                         "se": se_of(overall_inf)})
            return pd.DataFrame(rows)
        raise ValidationError(f"kind must be simple, group, dynamic or calendar, not {kind!r}")


def att_gt(panel: pd.DataFrame, *, y: str, group: str, time: str, unit: str) -> ATTResult:
    """Estimate ATT(g,t) with never-treated controls (Callaway and Sant'Anna 2021).

    Parameters
    ----------
    panel : DataFrame
        Balanced long panel: one row per unit and period.
    y : str
        Outcome column (e.g. ``log`` GRDP per capita).
    group : str
        First treatment period; 0 or missing for never-treated units.
    time, unit : str
        Period and unit identifier columns.

    Raises
    ------
    ValidationError
        Unbalanced panel, missing outcomes, no never-treated units, a group
        treated before the first period (no pre-period to compare with).
    """
    for c in (y, group, time, unit):
        if c not in panel.columns:
            raise ValidationError(f"column {c!r} is not in the panel")
    df = panel[[unit, time, y, group]].copy()
    if df[y].isna().any():
        raise ValidationError(f"{y} has missing values; the estimator needs a balanced panel")
    wide = df.pivot(index=unit, columns=time, values=y)
    if wide.isna().any().any():
        raise ValidationError("the panel is unbalanced (a unit lacks a period); "
                              "restrict it to units observed in every period")
    g_unit = df.groupby(unit)[group].first().reindex(wide.index).fillna(0).to_numpy(dtype=float)
    periods = np.array(wide.columns, dtype=float)
    Y = wide.to_numpy(dtype=float)
    n = len(wide)
    never = g_unit == 0
    if not never.any():
        raise ValidationError("no never-treated units: the comparison group is empty")
    groups = np.sort(np.unique(g_unit[~never]))
    if (groups <= periods[0]).any():
        bad = groups[groups <= periods[0]]
        raise ValidationError(f"groups {bad.tolist()} are treated in or before the first period "
                              f"{periods[0]:g}; they have no pre-treatment period")
    rows, infs = [], []
    col = {p: i for i, p in enumerate(periods)}
    for g in groups:
        treated = g_unit == g
        for t in periods[1:]:
            base = g - 1 if t >= g else t - 1
            if base not in col:
                continue
            dy = Y[:, col[t]] - Y[:, col[base]]
            sub = treated | never
            n1 = sub.sum()
            d = treated[sub].astype(float)
            p1 = d.mean()
            mu1, mu0 = dy[sub][d == 1].mean(), dy[sub][d == 0].mean()
            att = mu1 - mu0
            inf_sub = d / p1 * (dy[sub] - mu1) - (1 - d) / (1 - p1) * (dy[sub] - mu0)
            inf = np.zeros(n)
            inf[sub] = (n / n1) * inf_sub
            rows.append({"group": int(g), "t": int(t), "att": att,
                         "se": float(np.sqrt(np.mean(inf ** 2) / n)), "post": bool(t >= g),
                         "n_group": int(treated.sum())})
            infs.append(inf)
    return ATTResult(pd.DataFrame(rows), n, np.column_stack(infs), g_unit)
