"""Growth of Indonesian regions and the secondary-city question.

Terms
-----
growth rate
    Year-on-year change of a series, in percent (``100 * (x_t / x_{t-1} - 1)``)
    or in log points (``100 * ln(x_t / x_{t-1})``). Computed only between
    consecutive years present in the data: a missing year leaves the growth
    of the year after it missing, and is reported, never interpolated.
CAGR
    Compound annual growth rate between two years, percent per year:
    ``100 * ((x_end / x_start) ** (1 / (end - start)) - 1)``.
secondary city
    A city below the national primate city and the largest metropolitan cores
    but large enough to be an urban centre of its region. No single definition
    exists (ASEAN's count of ~230 secondary cities, 128 in Indonesia, rests on
    its own); :func:`classify_secondary_cities` offers switchable, stated ones.

This module does not decide which definition is right; it makes the choice
explicit and comparable.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError
from cityresearch.panels import region_frame  # noqa: F401 (moved to panels; kept importable)

__all__ = [
    "growth_rates",
    "cagr",
    "index_to_base",
    "DEFINITIONS",
    "METRO_CORES",
    "classify_secondary_cities",
    "rank_size",
    "primacy_index",
    "group_summary",
    "national_shares",
    "region_frame",
]

#: Central cities of Indonesia's largest metropolitan areas (BPS codes):
#: the national primate city Jakarta (its five kota) and the cores of the
#: metropolitan areas named in national spatial planning (Perpres 3/2022 on
#: Jabodetabek-Punjur and the RTRWN's PKN metros): Surabaya
#: (Gerbangkertosusila), Bandung (Bandung Raya), Medan (Mebidangro), Semarang
#: (Kedungsepur), Makassar (Mamminasata).
METRO_CORES = {
    "3171": "Jakarta Selatan", "3172": "Jakarta Timur", "3173": "Jakarta Pusat",
    "3174": "Jakarta Barat", "3175": "Jakarta Utara",
    "3578": "Surabaya", "3273": "Bandung", "1275": "Medan", "3374": "Semarang",
    "7371": "Makassar",
}

DEFINITIONS = {
    "kota_band": (
        "Kota (cities) with a population between the bounds (default 100,000 to "
        "1,000,000 persons), excluding the metropolitan cores (METRO_CORES). The band "
        "follows the usual lower bound of an urban centre and the million mark above "
        "which Indonesian cities are metropolitan in national planning."),
    "kota_all": (
        "Every kota except the metropolitan cores, whatever its size: the "
        "administrative reading (a kota is an urban local government)."),
    "kota_plus_urban_kabupaten": (
        "kota_band, plus kabupaten whose population density is at least the "
        "threshold (default 1,000 persons per km2, about the density of urban "
        "kabupaten around Java's cities) and whose population is within the band."),
}


def _check_cols(frame, cols):
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValidationError(f"the data lack columns {missing}; they have {list(frame.columns)}")


def growth_rates(panel: pd.DataFrame, value: str, *, by: str = "bps_code",
                 kind: str = "percent") -> pd.DataFrame:
    """Year-on-year growth of ``value`` within each ``by`` group.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``by``, ``year`` and ``value``.
    value : str
        E.g. ``"grdp_idr_bn"`` (economic growth) or ``"grdp_pc_idr_k"``
        (per-capita growth).
    kind : {"percent", "log"}
        Percent change or 100 x log difference.

    Returns
    -------
    DataFrame
        ``by``, ``year``, ``value`` and ``growth_pct`` (or ``growth_log_pct``),
        percent per year. The first year, and any year whose previous year is
        absent or has a missing value, has a missing growth; a warning lists
        the gaps.
    """
    if kind not in ("percent", "log"):
        raise ValidationError(f"kind must be 'percent' or 'log', not {kind!r}")
    _check_cols(panel, [by, "year", value])
    df = panel[[by, "year", value]].sort_values([by, "year"]).reset_index(drop=True)
    if df.duplicated([by, "year"]).any():
        raise ValidationError(f"more than one row per {by} and year")
    prev_year = df.groupby(by)["year"].shift()
    prev = df.groupby(by)[value].shift()
    consecutive = prev_year == df["year"] - 1
    ratio = df[value] / prev
    col = "growth_pct" if kind == "percent" else "growth_log_pct"
    df[col] = np.where(consecutive, 100 * (ratio - 1) if kind == "percent" else
                       100 * np.log(ratio.where(ratio > 0)), np.nan)
    gaps = df[prev_year.notna() & ~consecutive]
    nan_prev = df[consecutive & prev.isna()]
    skipped = pd.concat([gaps, nan_prev])
    if len(skipped):
        shown = ", ".join(f"{r[by]} {r['year']}" for _, r in skipped.head(8).iterrows())
        warnings.warn(f"growth not computed for {len(skipped)} {by}-years whose previous "
                      f"year is missing (not interpolated): {shown}", stacklevel=2)
    return df


def _year_check(panel, years):
    have = set(panel["year"].unique())
    bad = [y for y in years if y not in have]
    if bad:
        raise ValidationError(
            f"year {bad[0]} is not in the data (years {min(have)}-{max(have)})")


def cagr(panel: pd.DataFrame, value: str, start: int, end: int, *,
         by: str = "bps_code") -> pd.Series:
    """Compound annual growth rate of ``value`` from ``start`` to ``end``,
    percent per year, one value per ``by`` group (missing where an endpoint
    is missing or not positive)."""
    _check_cols(panel, [by, "year", value])
    if end <= start:
        raise ValidationError(f"end ({end}) must be after start ({start})")
    _year_check(panel, [start, end])
    wide = panel.pivot_table(index=by, columns="year", values=value, aggfunc="first")
    a, b = wide[start], wide[end]
    ok = (a > 0) & (b > 0)
    out = pd.Series(np.nan, index=wide.index, name=f"cagr_{start}_{end}_pct")
    out[ok] = 100 * ((b[ok] / a[ok]) ** (1 / (end - start)) - 1)
    return out


def index_to_base(panel: pd.DataFrame, value: str, base_year: int, *,
                  by: str = "bps_code") -> pd.Series:
    """``value`` indexed to 100 in ``base_year`` within each group."""
    _check_cols(panel, [by, "year", value])
    _year_check(panel, [base_year])
    base = panel.loc[panel["year"] == base_year].set_index(by)[value]
    return 100 * panel[value] / panel[by].map(base)


def classify_secondary_cities(
    regions_frame: pd.DataFrame,
    *,
    definition: str = "kota_band",
    lower: float = 100_000,
    upper: float = 1_000_000,
    density_threshold: float = 1_000,
    metro_cores: dict | None = None,
) -> pd.DataFrame:
    """Classify kab/kota as secondary city, metropolitan core or other.

    Parameters
    ----------
    regions_frame : DataFrame
        One row per region: ``bps_code``, ``name``, ``type`` ("kabupaten"/"kota"),
        ``pop`` (persons) and, for ``kota_plus_urban_kabupaten``,
        ``density_per_km2``.
    definition : {"kota_band", "kota_all", "kota_plus_urban_kabupaten"}
        See :data:`DEFINITIONS` for each one's rationale.
    lower, upper : float
        Population band (persons), inclusive.
    density_threshold : float
        Persons per km2 for an urban kabupaten.
    metro_cores : dict, optional
        BPS code -> name of the metropolitan cores (default :data:`METRO_CORES`).

    Returns
    -------
    DataFrame
        ``bps_code``, ``name``, ``type``, ``pop``, ``definition`` and ``class``:
        ``"metro_core"``, ``"secondary"``, ``"other_kota"`` or ``"kabupaten"``,
        plus the criteria values (``in_band``, ``density_per_km2`` where used).
    """
    if definition not in DEFINITIONS:
        raise ValidationError(
            f"unknown definition {definition!r}; choose one of {', '.join(DEFINITIONS)}")
    if not lower < upper:
        raise ValidationError(f"lower ({lower}) must be below upper ({upper})")
    cols = ["bps_code", "name", "type", "pop"]
    if definition == "kota_plus_urban_kabupaten":
        cols.append("density_per_km2")
    _check_cols(regions_frame, cols)
    cores = METRO_CORES if metro_cores is None else metro_cores
    out = regions_frame[cols].copy()
    out["definition"] = definition
    out["in_band"] = out["pop"].between(lower, upper)
    is_core = out["bps_code"].isin(list(cores))
    kota = out["type"] == "kota"
    if definition == "kota_band":
        secondary = kota & out["in_band"]
    elif definition == "kota_all":
        secondary = kota
    else:
        urban_kab = (~kota) & (out["density_per_km2"] >= density_threshold) & out["in_band"]
        secondary = (kota & out["in_band"]) | urban_kab
    out["class"] = np.select(
        [is_core, secondary & ~is_core, kota], ["metro_core", "secondary", "other_kota"],
        default="kabupaten")
    return out.reset_index(drop=True)


def rank_size(sizes, *, shift: float = 0.5):
    """Rank-size (Zipf) regression ``ln(rank - shift) = a - b ln(size)``.

    Uses the Gabaix-Ibragimov (2011) rank shift of 1/2 by default, which
    removes the small-sample bias of OLS; their standard error for b is
    ``b * sqrt(2 / n)``, returned beside the OLS one.

    Returns
    -------
    dict
        ``slope`` (b, the Zipf exponent; 1 is Zipf's law), ``se_gi``,
        ``se_ols``, ``intercept``, ``n``, ``r2``.
    """
    import statsmodels.api as sm

    s = np.sort(np.asarray(sizes, dtype=float))[::-1]
    if len(s) < 3 or (s <= 0).any() or np.isnan(s).any():
        raise ValidationError("rank_size needs at least 3 positive sizes without missing values")
    rank = np.arange(1, len(s) + 1) - shift
    fit = sm.OLS(np.log(rank), sm.add_constant(np.log(s))).fit()
    b = -fit.params[1]
    return {"slope": b, "se_gi": b * np.sqrt(2 / len(s)), "se_ols": fit.bse[1],
            "intercept": fit.params[0], "n": len(s), "r2": fit.rsquared}


def primacy_index(sizes, *, k: int = 1) -> float:
    """Largest size divided by the sum of the next ``k`` (k=1: two-city index;
    k=3: the four-city index of Davis).

    >>> primacy_index([10, 5, 2, 2, 1])
    2.0
    >>> round(primacy_index([10, 5, 2, 2, 1], k=3), 4)
    1.1111
    """
    s = np.sort(np.asarray(sizes, dtype=float))[::-1]
    if len(s) < k + 1:
        raise ValidationError(f"primacy_index with k={k} needs at least {k + 1} sizes")
    return float(s[0] / s[1:k + 1].sum())


def group_summary(frame: pd.DataFrame, value: str, *, group: str = "class",
                  confidence: float = 0.95) -> pd.DataFrame:
    """Distribution of ``value`` per group: n, mean with a t confidence
    interval, median with a distribution-free (order-statistic) interval,
    and quartiles. Missing values are dropped and counted (``n_missing``)."""
    from scipy import stats

    _check_cols(frame, [group, value])
    rows = []
    for g, sub in frame.groupby(group, sort=True):
        x = sub[value].dropna().to_numpy(dtype=float)
        n = len(x)
        row = {group: g, "n": n, "n_missing": int(sub[value].isna().sum())}
        if n >= 2:
            m, se = x.mean(), x.std(ddof=1) / np.sqrt(n)
            h = stats.t.ppf(0.5 + confidence / 2, n - 1) * se
            xs = np.sort(x)
            lo = int(stats.binom.ppf((1 - confidence) / 2, n, 0.5))
            hi = int(stats.binom.isf((1 - confidence) / 2, n, 0.5))
            row.update(mean=m, mean_lo=m - h, mean_hi=m + h, median=np.median(x),
                       median_lo=xs[max(lo - 1, 0)], median_hi=xs[min(hi, n - 1)],
                       q25=np.quantile(x, 0.25), q75=np.quantile(x, 0.75))
        rows.append(row)
    return pd.DataFrame(rows)


def national_shares(panel: pd.DataFrame, classes: pd.DataFrame, *,
                    values=("pop", "grdp_idr_bn")) -> pd.DataFrame:
    """Share (percent) of the national total of each value by class and year.

    ``classes`` has ``bps_code`` and ``class``; every region of the panel must
    be classified (an unclassified region raises, it is never dropped).
    """
    _check_cols(panel, ["bps_code", "year", *values])
    cls = classes.set_index("bps_code")["class"]
    missing = sorted(set(panel["bps_code"]) - set(cls.index))
    if missing:
        raise ValidationError(f"{len(missing)} regions have no class: {', '.join(missing[:5])}")
    df = panel.assign(**{"class": panel["bps_code"].map(cls)})
    tot = df.groupby(["year", "class"])[list(values)].sum()
    share = 100 * tot / tot.groupby("year").transform("sum")
    return share.rename(columns={v: f"{v}_share_pct" for v in values}).reset_index()
