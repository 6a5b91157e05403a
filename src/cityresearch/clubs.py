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
    and Thoennissen (2017), who also require that merging club k with k+1 beats
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
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError

__all__ = [
    "CONVENTIONS",
    "PUBLISHED_SETTINGS",
    "log_hp_trend",
    "log_t_test",
    "find_clubs",
    "ClubResult",
    "club_sensitivity",
    "province_concentration",
    "club_crosstab",
]

#: The two implementation conventions and what they set. ``time_trim`` is the
#: share of initial periods discarded (``r``), ``hac`` the HAC bandwidth
#: (``FQSB`` fixed, ``AQSB`` Andrews adaptive), ``cstar_method`` how the sieve
#: threshold c* is chosen (``fixed`` at 0; ``incremental``: raised from 0 in
#: steps of 0.05 until the club passes the test), ``core`` the rule choosing
#: the core group size, ``rounding`` how ``[rT]`` is rounded, ``merge_iterate``
#: whether merging passes repeat until nothing merges.
CONVENTIONS = {
    "r": {
        "package": "R ConvergenceClubs 2.2.5 (Sichera and Pizzuto 2019)",
        "time_trim": 1 / 3, "hac": "FQSB", "cstar_method": "fixed", "cstar_increment": 0.1,
        "cstar_cap": 3.0, "core": "largest |t|", "rounding": "half to even",
        "merge_iterate": False,
    },
    "stata": {
        "package": "Stata psecta / imergeclub (Du 2017)",
        "time_trim": 0.3, "hac": "FQSB", "cstar_method": "incremental",
        "cstar_increment": 0.05, "cstar_cap": 50.0, "core": "largest t",
        "rounding": "half up", "merge_iterate": False,
    },
}

#: Settings under which the QuaRCS 2000-2017 panel gives the five clubs of
#: Aginta, Gunawan and Mendez (2021): HP lambda 400 on log GRDP per capita,
#: the psecta convention (r = 0.3, incremental c*), Phillips-Sul merging.
PUBLISHED_SETTINGS = {"lamb": 400.0, "convention": "stata", "merge": "PS"}


def _cc():
    import convergence_clubs

    return convergence_clubs


def _check_convention(convention):
    if convention not in CONVENTIONS:
        raise ValidationError(
            f"convention must be one of {sorted(CONVENTIONS)}, not {convention!r}")
    return CONVENTIONS[convention]


def log_hp_trend(panel: pd.DataFrame, value: str = "grdp_pc_idr_k", *, lamb: float = 400.0,
                 by: str = "bps_code", start: int | None = None,
                 end: int | None = None) -> pd.DataFrame:
    """Hodrick-Prescott trend of the log of ``value``, one row per unit.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``by``, ``year`` and ``value`` (e.g. GRDP per capita,
        IDR thousand, constant 2010 prices).
    value : str
        Column to log and filter; must be positive.
    lamb : float
        HP smoothing parameter (400 as in Phillips and Sul 2007 for annual
        data; 100 and 6.25 are common alternatives).
    by : str
        Unit column; becomes the index.
    start, end : int, optional
        First and last year kept (inclusive); default all years.

    Returns
    -------
    DataFrame
        Units in rows (index ``by``), years in columns, HP trend of
        ``ln(value)`` (log points).

    Raises
    ------
    ValidationError
        A missing column, a unit-year twice, a missing or non-positive value
        (the message names the first units), fewer than three years, or
        ``lamb`` not positive.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["a"] * 4, "year": [1, 2, 3, 4],
    ...                   "y": np.exp([1.0, 2.0, 3.0, 4.0])})
    >>> log_hp_trend(p, "y").round(6).to_numpy().tolist()  # a line is its own trend
    [[1.0, 2.0, 3.0, 4.0]]
    """
    missing = [c for c in (by, "year", value) if c not in panel.columns]
    if missing:
        raise ValidationError(f"the panel lacks columns {missing}; it has {list(panel.columns)}")
    if not lamb > 0:
        raise ValidationError(f"lamb must be positive, not {lamb}")
    df = panel[[by, "year", value]]
    if start is not None:
        df = df[df["year"] >= start]
    if end is not None:
        df = df[df["year"] <= end]
    if df.duplicated([by, "year"]).any():
        d = df[df.duplicated([by, "year"])].iloc[0]
        raise ValidationError(f"{by} {d[by]} has year {d['year']} twice; keep one row per unit-year")
    wide = df.pivot(index=by, columns="year", values=value).sort_index(axis=1)
    bad = wide.isna().any(axis=1)
    if bad.any():
        units = list(wide.index[bad][:5])
        raise ValidationError(
            f"{int(bad.sum())} units lack {value} in some year between {wide.columns.min()} and "
            f"{wide.columns.max()} (e.g. {units}); the log t test needs a balanced panel: "
            "drop those units explicitly or choose years where all are observed")
    nonpos = (wide <= 0).any(axis=1)
    if nonpos.any():
        raise ValidationError(
            f"{value} is zero or negative for {list(wide.index[nonpos][:5])}; it cannot be logged")
    if wide.shape[1] < 3:
        raise ValidationError(f"the HP filter needs at least 3 years; the panel has {wide.shape[1]}")
    trend = _cc().hp_filter(np.log(wide), lamb=lamb)
    trend.columns.name = "year"
    return trend


@dataclass(frozen=True)
class LogTResult:
    """Result of a log t test: slope ``beta`` (twice the speed of convergence
    alpha), its HAC standard error ``se``, ``t`` and ``converges`` (t > -1.65),
    the number of units and of periods used in the regression."""

    beta: float
    se: float
    t: float
    converges: bool
    n_units: int
    n_periods: int


def _settings(convention, time_trim, hac):
    conv = _check_convention(convention)
    time_trim = conv["time_trim"] if time_trim is None else time_trim
    hac = conv["hac"] if hac is None else hac
    if hac not in ("FQSB", "AQSB"):
        raise ValidationError(f"hac must be 'FQSB' or 'AQSB', not {hac!r}")
    if not 0 < time_trim < 1:
        raise ValidationError(f"time_trim must be between 0 and 1, not {time_trim}")
    return time_trim, hac


def _check_trend(trend):
    if not isinstance(trend, pd.DataFrame):
        raise ValidationError("pass the units x years frame returned by log_hp_trend")
    if trend.isna().any().any():
        raise ValidationError("the trend frame has missing values; build it with log_hp_trend")
    if len(trend) < 2:
        raise ValidationError(f"the log t test needs at least 2 units; got {len(trend)}")
    if not trend.index.is_unique:
        raise ValidationError("the trend frame's index (units) has duplicates")


def log_t_test(trend: pd.DataFrame, *, convention: str = "stata", time_trim: float | None = None,
               hac: str | None = None) -> LogTResult:
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

    Raises
    ------
    ValidationError
        Fewer than two units, missing values, an unknown convention or HAC.

    Examples
    --------
    Three units approaching a common path converge:

    >>> t = np.arange(1, 21)
    >>> x = pd.DataFrame([10 + 0.1 * t + d / t for d in (1.0, 0.0, -1.0)])
    >>> log_t_test(x).converges
    True
    """
    _check_trend(trend)
    time_trim, hac = _settings(convention, time_trim, hac)
    cc = _cc()
    rounding = "half_up" if convention == "stata" else "half_even"
    H = cc.cross_sectional_variation(trend.to_numpy(dtype=float))
    n_t = trend.shape[1]
    kept = n_t - cc.logt.trimmed_periods(n_t, time_trim, rounding)
    if kept < 3:
        raise ValidationError(f"only {kept} periods are left after trimming {time_trim:.2f} of "
                              f"{n_t}; use a longer panel or a smaller time_trim")
    r = cc.log_t_test(H, time_trim, hac, rounding)
    return LogTResult(beta=r.beta, se=r.std_err, t=r.t_value, converges=bool(r.t_value > -1.65),
                      n_units=len(trend), n_periods=kept)


@dataclass
class ClubResult:
    """Convergence clubs of one run of :func:`find_clubs`.

    Attributes
    ----------
    membership : DataFrame
        One row per unit: the unit column, ``initial_club`` (club of the
        initial clustering, 1 = highest last-year level; missing when
        divergent), ``club`` (after merging; missing when divergent) and
        ``divergent`` (bool).
    clubs : DataFrame
        One row per final club: ``club``, ``n_units``, ``merged_from`` (the
        initial clubs it joins), ``beta``, ``t`` (log t test of the club),
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
        The units x years input.
    """

    membership: pd.DataFrame
    clubs: pd.DataFrame
    initial_clubs: pd.DataFrame
    whole_panel: LogTResult
    settings: dict
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

    def summary(self) -> pd.DataFrame:
        """Final clubs plus a ``divergent`` row, for display."""
        out = self.clubs.copy()
        if self.n_divergent:
            out = pd.concat([out, pd.DataFrame([{"club": "divergent",
                                                 "n_units": self.n_divergent}])],
                            ignore_index=True)
        return out


def _club_table(raw, trend):
    rows = []
    for i, c in enumerate(raw.clubs, start=1):
        ids = list(c.ids)
        merged = getattr(c, "merged_from", None)
        rows.append({
            "club": i, "n_units": len(ids),
            "merged_from": ",".join(s.replace("club", "") for s in merged) if merged else str(i),
            "beta": c.model.beta, "t": c.model.t_value, "converges": bool(c.model.t_value > -1.65),
            "mean_last": float(trend.iloc[ids, -1].mean()),
        })
    return pd.DataFrame(rows, columns=["club", "n_units", "merged_from", "beta", "t", "converges",
                                       "mean_last"])


def _labels(raw, n):
    lab = np.full(n, np.nan)
    for i, c in enumerate(raw.clubs, start=1):
        lab[list(c.ids)] = i
    return lab


def find_clubs(trend: pd.DataFrame, *, convention: str = "stata", time_trim: float | None = None,
               hac: str | None = None, cstar: float = 0.0, cstar_method: str | None = None,
               merge: str | None = "PS", merge_divergent: bool = False,
               lamb: float | None = None) -> ClubResult:
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
        Club merging: Phillips and Sul (2009), von Lyncker and Thoennissen
        (2017), or none (final clubs = initial clubs).
    merge_divergent : bool
        After merging, try to add divergent units to clubs (von Lyncker and
        Thoennissen 2017, threshold -1.65).
    lamb : float, optional
        The HP lambda used to build ``trend``; only recorded in ``settings``.

    Returns
    -------
    ClubResult

    Raises
    ------
    ValidationError
        Bad input or settings (see :func:`log_t_test`), or an unknown merge.

    Warns
    -----
    UserWarning
        When a final club does not pass its own log t test (the message names
        it; the R convention's fixed c* can produce this).

    Examples
    --------
    Two groups of units converging to two different paths form two clubs:

    >>> t = np.arange(1, 31)
    >>> rows = {f"u{i}": 10 + 0.05 * t + lvl + d / t
    ...         for i, (lvl, d) in enumerate([(1, .2), (1, 0), (1, -.2), (0, .2), (0, 0), (0, -.2)])}
    >>> res = find_clubs(pd.DataFrame(rows).T)
    >>> res.n_clubs, res.membership["club"].tolist()
    (2, [1.0, 1.0, 1.0, 2.0, 2.0, 2.0])
    """
    _check_trend(trend)
    time_trim, hac = _settings(convention, time_trim, hac)
    conv = CONVENTIONS[convention]
    cstar_method = conv["cstar_method"] if cstar_method is None else cstar_method
    if cstar_method not in ("fixed", "incremental"):
        raise ValidationError(f"cstar_method must be 'fixed' or 'incremental', not {cstar_method!r}")
    if merge not in ("PS", "vLT", None):
        raise ValidationError(f"merge must be 'PS', 'vLT' or None, not {merge!r}")
    cc = _cc()
    data = trend.copy()
    data.columns = [str(c) for c in data.columns]
    whole = log_t_test(trend, convention=convention, time_trim=time_trim, hac=hac)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cc.ClubConvergenceWarning)
        raw = cc.find_clubs(data, convention="Stata" if convention == "stata" else "R",
                            time_trim=time_trim, hac_method=hac, cstar=cstar,
                            cstar_method=cstar_method)
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
        warnings.warn(f"clubs {failing} do not pass their own log t test (t <= -1.65); "
                      "with convention='r' consider cstar_method='incremental'", stacklevel=2)
    settings = {"lamb": lamb, "convention": convention, "package": conv["package"],
                "time_trim": time_trim, "hac": hac, "cstar": cstar, "cstar_method": cstar_method,
                "core": conv["core"], "merge": merge, "merge_divergent": merge_divergent,
                "n_units": n, "years": f"{trend.columns[0]}-{trend.columns[-1]}"}
    return ClubResult(membership=membership, clubs=clubs, initial_clubs=_club_table(raw, trend),
                      whole_panel=whole, settings=settings, trend=trend)


def club_sensitivity(panel: pd.DataFrame, value: str = "grdp_pc_idr_k", *,
                     lambdas=(400.0, 100.0, 6.25), conventions=("stata", "r"),
                     hacs=("FQSB", "AQSB"), merges=("PS", "vLT"), by: str = "bps_code",
                     start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Club counts over a grid of filter and convention settings.

    Parameters
    ----------
    panel : DataFrame
        Long panel (see :func:`log_hp_trend`).
    value, by, start, end
        As in :func:`log_hp_trend`.
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
        As :func:`log_hp_trend` and :func:`find_clubs`.

    Examples
    --------
    >>> grid = club_sensitivity(panel, lambdas=(400,), hacs=("FQSB",))  # doctest: +SKIP
    """
    rows = []
    for lamb in lambdas:
        trend = log_hp_trend(panel, value, lamb=lamb, by=by, start=start, end=end)
        for conv in conventions:
            for hac in hacs:
                for m in merges:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        r = find_clubs(trend, convention=conv, hac=hac, merge=m, lamb=lamb)
                    rows.append({"lamb": lamb, "convention": conv, "hac": hac,
                                 "merge": m or "none", "n_initial_clubs": r.n_initial_clubs,
                                 "n_clubs": r.n_clubs, "n_divergent": r.n_divergent,
                                 "sizes": "+".join(str(s) for s in r.clubs["n_units"]),
                                 "whole_panel_t": r.whole_panel.t})
    return pd.DataFrame(rows)


def province_concentration(membership: pd.DataFrame, groups: pd.Series, *,
                           n_perm: int = 999, seed: int = 12345) -> pd.Series:
    """Do districts of the same province share a club more than chance?

    The statistic is the share of clustered (non-divergent) districts that
    belong to their province's most common club. Its null distribution comes
    from shuffling club labels across districts (``n_perm`` times), which
    keeps the club sizes and the province sizes.

    Parameters
    ----------
    membership : DataFrame
        ``ClubResult.membership`` (first column the unit id, ``club``).
    groups : Series
        Province (or any grouping) indexed by the unit id; every clustered
        unit must have one.
    n_perm : int
        Permutations.
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
        Units without a group.

    Examples
    --------
    >>> m = pd.DataFrame({"id": list("abcdef"), "club": [1, 1, 1, 2, 2, 2]})
    >>> g = pd.Series(list("xxxyyy"), index=list("abcdef"))
    >>> float(province_concentration(m, g, n_perm=99)["observed"])
    1.0
    """
    by = membership.columns[0]
    m = membership.dropna(subset=["club"])
    grp = m[by].map(groups)
    if grp.isna().any():
        raise ValidationError(f"{int(grp.isna().sum())} units have no group, e.g. "
                              f"{list(m.loc[grp.isna(), by][:5])}")
    g_codes = pd.factorize(grp)[0]
    clubs = m["club"].to_numpy().astype(int)

    def stat(c):
        tab = np.zeros((g_codes.max() + 1, c.max() + 1))
        np.add.at(tab, (g_codes, c), 1)
        return tab.max(axis=1).sum() / len(c)

    obs = stat(clubs)
    rng = np.random.default_rng(seed)
    perm = np.array([stat(rng.permutation(clubs)) for _ in range(n_perm)])
    return pd.Series({"observed": float(obs), "expected": perm.mean(),
                      "p_value": (1 + (perm >= obs).sum()) / (1 + n_perm),
                      "n_units": len(clubs), "n_groups": int(g_codes.max() + 1)})


def club_crosstab(membership: pd.DataFrame, labels: pd.Series, *, name: str = "group"):
    """Cross-tabulate clubs against a unit attribute, with tests.

    Parameters
    ----------
    membership : DataFrame
        ``ClubResult.membership``; divergent units form the column
        ``"divergent"``.
    labels : Series
        The attribute (e.g. smart-city participant yes/no, secondary-city
        class) indexed by unit id. Units of ``membership`` not in ``labels``
        raise; labels for units not in ``membership`` are ignored.
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
        Units without a label.

    Examples
    --------
    >>> m = pd.DataFrame({"id": list("abcd"), "club": [1, 1, 2, np.nan]})
    >>> flag = pd.Series(["yes", "no", "no", "no"], index=list("abcd"))
    >>> tab, tests = club_crosstab(m, flag, name="participant")
    >>> tab.loc["yes"].tolist()
    [1, 0, 0, 1]
    """
    from scipy import stats

    by = membership.columns[0]
    lab = membership[by].map(labels)
    if lab.isna().any():
        raise ValidationError(f"{int(lab.isna().sum())} units have no {name}, e.g. "
                              f"{list(membership.loc[lab.isna(), by][:5])}")
    club = membership["club"].map(lambda c: "divergent" if pd.isna(c) else int(c))
    tab = pd.crosstab(lab.rename(name), club.rename("club"))
    cols = sorted(c for c in tab.columns if c != "divergent")
    tab = tab[cols + (["divergent"] if "divergent" in tab.columns else [])]
    tab["total"] = tab.sum(axis=1)
    tab.loc["total"] = tab.sum(axis=0)
    clustered = tab.drop(index="total")[cols]
    tests = {}
    if clustered.shape[0] > 1 and clustered.shape[1] > 1:
        chi2, p, dof, exp = stats.chi2_contingency(clustered.to_numpy())
        tests.update(chi2=float(chi2), dof=int(dof), p_chi2=float(p),
                     min_expected=float(exp.min()))
    values = [v for v in tab.index if v != "total"]
    if len(values) == 2:
        ok = membership["club"].notna()
        a = membership.loc[ok & (lab == values[0]), "club"]
        b = membership.loc[ok & (lab == values[1]), "club"]
        if len(a) and len(b):
            tests["p_mannwhitney"] = float(stats.mannwhitneyu(a, b).pvalue)
            tests["mean_club"] = {values[0]: float(a.mean()), values[1]: float(b.mean())}
    return tab, tests
