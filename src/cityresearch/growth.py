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

import dataclasses
import warnings

import numpy as np
import pandas as pd

from cityresearch import _validate as _v
from cityresearch._deprecate import moved, renamed
from cityresearch._errors import DroppedRowsWarning, ValidationError, user_stacklevel
from cityresearch._results import Result

__all__ = [
    "growth_rates",
    "cagr",
    "index_to_base",
    "DEFINITIONS",
    "METRO_CORES",
    "classify_secondary_cities",
    "rank_size",
    "RankSizeResult",
    "primacy_index",
    "group_summary",
    "national_shares",
]

# region_frame moved to cityresearch.panels (assembling frames is not analysis)
__getattr__ = moved(__name__, {"region_frame": "cityresearch.panels"})

#: Central cities of Indonesia's largest metropolitan areas (BPS codes):
#: the national primate city Jakarta (its five kota) and the cores of the
#: metropolitan areas named in national spatial planning (Perpres 60/2020 on
#: Jabodetabek-Punjur and the RTRWN's PKN metros): Surabaya
#: (Gerbangkertosusila), Bandung (Bandung Raya), Medan (Mebidangro), Semarang
#: (Kedungsepur), Makassar (Mamminasata).
METRO_CORES = {
    "3171": "Jakarta Selatan",
    "3172": "Jakarta Timur",
    "3173": "Jakarta Pusat",
    "3174": "Jakarta Barat",
    "3175": "Jakarta Utara",
    "3578": "Surabaya",
    "3273": "Bandung",
    "1275": "Medan",
    "3374": "Semarang",
    "7371": "Makassar",
}

DEFINITIONS = {
    "kota_band": (
        "Kota (cities) with a population between the bounds (default 100,000 to "
        "1,000,000 persons), excluding the metropolitan cores (METRO_CORES). The band "
        "follows the usual lower bound of an urban centre and the million mark above "
        "which Indonesian cities are metropolitan in national planning."
    ),
    "kota_all": (
        "Every kota except the metropolitan cores, whatever its size: the "
        "administrative reading (a kota is an urban local government)."
    ),
    "kota_plus_urban_kabupaten": (
        "kota_band, plus kabupaten whose population density is at least the "
        "threshold (default 1,000 persons per km2, about the density of urban "
        "kabupaten around Java's cities) and whose population is within the band."
    ),
}


def _check_cols(frame, cols, func=None):
    """Kept for callers of the old helper: columns present (any kind)."""
    return _v.require_columns(frame, list(cols), func=func)


def _year_check(panel, years, func=None):
    """Each of ``years`` is a year of ``panel`` (a named error otherwise)."""
    have = sorted({int(y) for y in panel["year"].dropna().unique()})
    for y in years:
        if y not in have:
            span = f"years {have[0]}-{have[-1]}" if have else "no years"
            raise ValidationError(_v._msg(func, f"year {y} is not in the data ({span})"))


def _panel(panel, unit, value, func, *, missing="raise", name="panel"):
    """The common contract of a long region-year panel: columns and kinds, at
    least one row, one row per ``unit`` and year, the missing-value policy.
    Returns (panel, dropped rows)."""
    _v.as_frame(panel, name=name, func=func)
    _v.column_names(func, unit=unit, value=value)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    panel = _v.require_columns(
        panel, {unit: "any", "year": "integer", value: "numeric"}, func=func, name=name
    )
    _v.min_rows(panel, 1, what="rows", func=func)
    _v.handle_missing(panel, [unit, "year"], keys=[unit, "year"], func=func)  # keys: never dropped
    _v.unique_keys(panel, [unit, "year"], func=func)
    return _v.handle_missing(
        panel, [value], missing=missing, keys=[unit, "year"], func=func, stacklevel=5
    )


@renamed(by="unit")
def growth_rates(
    panel: pd.DataFrame,
    value: str,
    *,
    unit: str = "bps_code",
    kind: str = "percent",
    missing: str = "raise",
) -> pd.DataFrame:
    """Year-on-year growth of ``value`` within each ``unit`` (region).

    ``100 * (x_t / x_{t-1} - 1)`` (``kind="percent"``) or
    ``100 * ln(x_t / x_{t-1})`` (``kind="log"``), computed only between
    consecutive years of the same unit.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``unit``, ``year`` and ``value``; one row per ``unit`` and year.
    value : str
        Column to grow, in any positive unit, e.g. ``"grdp_idr_bn"`` (economic
        growth) or ``"grdp_pc_idr_k"`` (per-capita growth).
    unit : str, default "bps_code"
        The region identifier column. Formerly ``by=`` (accepted for one more
        release, with a :class:`~cityresearch._errors.CityResearchDeprecationWarning`).
    kind : {"percent", "log"}
        Percent change or 100 x log difference (log points).
    missing : {"raise", "drop"}
        A missing ``value`` raises (default), or with ``"drop"`` its row is
        left out (warning, ``attrs["dropped"]``) and the growth of the year
        after it is missing like any other gap.

    Returns
    -------
    DataFrame
        The ``unit`` column, ``year``, ``value`` and ``growth_pct`` (or
        ``growth_log_pct``), percent (log points) per year. The first year,
        and any year whose previous year is absent, has a missing growth; a
        warning lists the gaps.
        ``attrs["dropped"]`` holds rows left out by ``missing="drop"``.

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, infinite values (rows named),
        duplicate ``unit``-year rows, missing
        values (with ``missing="raise"``), a zero base value (percent) or a
        value that is not positive (log), an unknown ``kind``.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["A", "A"], "year": [2000, 2001], "v": [100.0, 110.0]})
    >>> float(round(growth_rates(p, "v")["growth_pct"].iloc[1], 10))
    10.0
    """
    func = "growth_rates"
    _v.check_choice(kind, ("percent", "log"), "kind", func=func)
    panel, dropped = _panel(panel, unit, value, func, missing=missing)
    df = panel[[unit, "year", value]].sort_values([unit, "year"]).reset_index(drop=True)
    if kind == "log":
        _v.check_positive(df.set_index([unit, "year"])[value], value, func=func)
    prev_year = df.groupby(unit)["year"].shift()
    prev = df.groupby(unit)[value].shift()
    consecutive = prev_year == df["year"] - 1
    zero_base = consecutive & (prev == 0)
    if kind == "percent" and zero_base.any():
        raise ValidationError(
            f"{func}: growth from a zero {value} is undefined: "
            f"{_v.describe_rows(df, zero_base.shift(-1, fill_value=False), [unit, 'year'])}"
            "; use kind='percent' only for positive series or remove these years"
        )
    ratio = df[value] / prev
    col = "growth_pct" if kind == "percent" else "growth_log_pct"
    df[col] = np.where(
        consecutive,
        100 * (ratio - 1) if kind == "percent" else 100 * np.log(ratio.where(ratio > 0)),
        np.nan,
    )
    gaps = df[prev_year.notna() & ~consecutive]
    if len(gaps):
        shown = ", ".join(f"{r[unit]} {r['year']}" for _, r in gaps.head(8).iterrows())
        warnings.warn(
            f"growth not computed for {len(gaps)} {unit}-years whose previous "
            f"year is missing (not interpolated): {shown}",
            stacklevel=user_stacklevel(),  # past the @renamed wrapper
        )
    return _v.attach_dropped(df, dropped)


@renamed(by="unit")
def cagr(
    panel: pd.DataFrame,
    value: str,
    start: int,
    end: int,
    *,
    unit: str = "bps_code",
    missing: str = "raise",
) -> pd.Series:
    """Compound annual growth rate of ``value`` from ``start`` to ``end``.

    ``100 * ((x_end / x_start) ** (1 / (end - start)) - 1)``, percent per year.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``unit``, ``year`` and ``value``; one row per ``unit`` and year.
    value : str
        A positive quantity (GRDP in IDR bn, population in persons ...).
    start, end : int
        Years of the panel, ``start < end``.
    unit : str, default "bps_code"
        The region (or province ...) identifier column. Formerly ``by=``
        (accepted for one more release, with a deprecation warning).
    missing : {"raise", "drop"}
        A group whose ``value`` is missing in ``start`` or ``end`` (a missing
        value or no row) raises (default), or with ``"drop"`` is left out of
        the result with a warning and listed in ``attrs["dropped"]``.

    Returns
    -------
    Series
        ``cagr_<start>_<end>_pct`` (percent per year) indexed by the ``unit``
        column; ``attrs["dropped"]`` lists the units left out (``unit``,
        ``reason``).

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, infinite values (rows named),
        duplicate ``unit``-year rows, ``start``
        not before ``end`` or not in the data, missing endpoints (with
        ``missing="raise"``), endpoint values that are zero or negative.

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["A", "A"], "year": [2000, 2002], "v": [100.0, 121.0]})
    >>> float(round(cagr(p, "v", 2000, 2002)["A"], 10))
    10.0
    """
    func = "cagr"
    _v.as_frame(panel, name="panel", func=func)
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    panel = _v.require_columns(
        panel, {unit: "any", "year": "integer", value: "numeric"}, func=func, name="panel"
    )
    _v.min_rows(panel, 1, func=func)
    start, end = _v.check_year_range(start, end, func=func)
    _year_check(panel, [start, end], func=func)
    _v.handle_missing(panel, [unit, "year"], keys=[unit, "year"], func=func)
    _v.unique_keys(panel, [unit, "year"], func=func)
    ends = panel[panel["year"].isin([start, end])]
    wide = ends.pivot(index=unit, columns="year", values=value).reindex(columns=[start, end])
    a, b = wide[start], wide[end]
    nan = a.isna() | b.isna()
    reasons = pd.Series(
        np.where(
            a.isna() & b.isna(),
            f"{value} missing in {start} and {end}",
            np.where(a.isna(), f"{value} missing in {start}", f"{value} missing in {end}"),
        ),
        index=wide.index,
    )
    if nan.any():
        shown = "; ".join(f"{k} ({reasons[k]})" for k in wide.index[nan][:5])
        more = f" and {int(nan.sum()) - 5} more" if nan.sum() > 5 else ""
        text = f"{int(nan.sum())} {unit} without both endpoints: {shown}{more}"
        if missing == "raise":
            raise ValidationError(
                f"{func}: {text}. Pass missing='drop' to leave them out "
                "(they are reported), or fill the values explicitly."
            )
        warnings.warn(
            f"{func}: dropped {text} (listed in attrs['dropped'])",
            DroppedRowsWarning,
            stacklevel=user_stacklevel(),  # past the @renamed wrapper
        )
    kept = ~nan
    _v.check_positive(
        pd.concat(
            [a[kept].rename(lambda k: f"{k} {start}"), b[kept].rename(lambda k: f"{k} {end}")]
        ),
        f"{value} at the endpoints",
        func=func,
    )
    out = 100 * ((b[kept] / a[kept]) ** (1 / (end - start)) - 1)
    out.name = f"cagr_{start}_{end}_pct"
    out.index.name = unit
    dropped = pd.DataFrame({unit: wide.index[nan], "reason": reasons[nan].to_numpy()})
    return _v.attach_dropped(out, dropped)


@renamed(by="unit")
def index_to_base(
    panel: pd.DataFrame,
    value: str,
    base_year: int,
    *,
    unit: str = "bps_code",
    missing: str = "raise",
) -> pd.Series:
    """``value`` indexed to 100 in ``base_year`` within each unit.

    ``100 * x_t / x_base`` for every row of a unit.

    Parameters
    ----------
    panel : DataFrame
        Long panel with ``unit``, ``year`` and ``value``; one row per ``unit`` and year.
    value : str
        Numeric column to index (any unit; the index has none).
    base_year : int
        A year of the panel; every unit needs a positive value in it.
    unit : str, default "bps_code"
        The region identifier column. Formerly ``by=`` (accepted for one more
        release, with a deprecation warning).
    missing : {"raise", "drop"}
        Rows with a missing ``value`` raise (default) or are left out
        (warning, ``attrs["dropped"]``).

    Returns
    -------
    Series
        The index (base year = 100, unitless), aligned with the (kept) rows of
        ``panel``; ``attrs["dropped"]`` holds rows left out by ``missing="drop"``.

    Raises
    ------
    ValidationError
        Missing, non-numeric or infinite values, duplicate keys, ``base_year``
        not a whole number or not in the data, groups without a positive
        base-year value (named).

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["A", "A"], "year": [2000, 2001], "v": [50.0, 55.0]})
    >>> index_to_base(p, "v", 2000).tolist()
    [100.0, 110.0]
    """
    func = "index_to_base"
    base_year = _v.check_number(
        base_year, "base_year", integer=True, hint="a year such as 2010, not text", func=func
    )
    panel, dropped = _panel(panel, unit, value, func, missing=missing)
    _year_check(panel, [base_year], func=func)
    base = panel.loc[panel["year"] == base_year].set_index(unit)[value]
    no_base = sorted(set(panel[unit]) - set(base.index), key=str)
    if no_base:
        raise ValidationError(
            f"{func}: {len(no_base)} {unit} have no {value} in {base_year}: "
            f"{_v._fmt(no_base)}; choose a base year every group has"
        )
    _v.check_positive(base, f"{value} in {base_year}", func=func)
    return _v.attach_dropped(100 * panel[value] / panel[unit].map(base), dropped)


def classify_secondary_cities(
    regions_frame: pd.DataFrame,
    *,
    definition: str = "kota_band",
    lower: float = 100_000,
    upper: float = 1_000_000,
    density_threshold: float = 1_000,
    metro_cores: dict | None = None,
    missing: str = "raise",
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
    missing : {"raise", "drop"}
        A region with a missing ``pop`` (or density, where used) raises
        (default) or is left out (warning, ``attrs["dropped"]``); it is never
        classified as outside the band by default.

    Returns
    -------
    DataFrame
        ``bps_code``, ``name``, ``type``, ``pop``, ``definition`` and ``class``:
        ``"metro_core"``, ``"secondary"``, ``"other_kota"`` or ``"kabupaten"``,
        plus the criteria values (``in_band``, ``density_per_km2`` where used).

    Raises
    ------
    ValidationError
        Unknown definition, ``lower >= upper``, missing or non-numeric
        columns, duplicate ``bps_code``, a ``type`` other than kabupaten/kota
        (values listed), missing values (with ``missing="raise"``).

    References
    ----------
    The metropolitan cores (:data:`METRO_CORES`) are the central cities of
    the metropolitan areas named in national spatial planning:

    Peraturan Presiden Nomor 60 Tahun 2020 tentang Rencana Tata Ruang
    Kawasan Perkotaan Jakarta, Bogor, Depok, Tangerang, Bekasi, Puncak, dan
    Cianjur (Jabodetabek-Punjur).

    Peraturan Pemerintah Nomor 26 Tahun 2008 tentang Rencana Tata Ruang
    Wilayah Nasional (RTRWN), as amended by Peraturan Pemerintah Nomor 13
    Tahun 2017: the national activity centres (PKN) Gerbangkertosusila,
    Bandung Raya, Mebidangro, Kedungsepur and Mamminasata.

    The population band (100,000 to 1,000,000 persons) and the density
    threshold (1,000 persons per km2) are this package's stated conventions
    (:data:`DEFINITIONS`), not a published definition; ASEAN's count of
    secondary cities rests on its own definition and is not reproduced.

    Examples
    --------
    >>> f = pd.DataFrame({"bps_code": ["3572"], "name": ["Kota Blitar"], "type": ["kota"],
    ...                   "pop": [140_000]})
    >>> classify_secondary_cities(f)["class"].tolist()
    ['secondary']
    """
    func = "classify_secondary_cities"
    if not isinstance(definition, str) or definition not in DEFINITIONS:
        raise ValidationError(
            f"{func}: unknown definition {definition!r}; choose one of {', '.join(DEFINITIONS)}"
        )
    lower = _v.check_number(lower, "lower", lo=0, func=func)
    upper = _v.check_number(upper, "upper", lo=0, func=func)
    density_threshold = _v.check_number(density_threshold, "density_threshold", lo=0, func=func)
    if not lower < upper:
        raise ValidationError(f"{func}: lower ({lower}) must be below upper ({upper})")
    _v.check_choice(missing, _v.MISSING_POLICIES, "missing", func=func)
    cols = {"bps_code": "any", "name": "any", "type": "any", "pop": "numeric"}
    if definition == "kota_plus_urban_kabupaten":
        cols["density_per_km2"] = "numeric"
    regions_frame = _v.require_columns(regions_frame, cols, func=func, name="regions_frame")
    _v.min_rows(regions_frame, 1, what="regions", func=func)
    _v.handle_missing(regions_frame, ["bps_code", "type"], keys=["bps_code", "name"], func=func)
    _v.unique_keys(regions_frame, ["bps_code"], func=func)
    bad_type = sorted(set(regions_frame["type"]) - {"kabupaten", "kota"}, key=str)
    if bad_type:
        raise ValidationError(
            f"{func}: column 'type' must be 'kabupaten' or 'kota'; found "
            f"{_v._fmt(bad_type)}. Recode it (lower case, no abbreviations)."
        )
    frame, dropped = _v.handle_missing(
        regions_frame,
        [c for c in cols if cols[c] == "numeric"],
        missing=missing,
        keys=["bps_code", "name"],
        func=func,
        stacklevel=3,
    )
    cores = METRO_CORES if metro_cores is None else metro_cores
    if not isinstance(cores, dict):
        raise ValidationError(
            f"{func}: metro_cores must be a dict of BPS code -> name, not {type(cores).__name__}"
        )
    out = frame[list(cols)].copy()
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
        [is_core, secondary & ~is_core, kota],
        ["metro_core", "secondary", "other_kota"],
        default="kabupaten",
    )
    return _v.attach_dropped(out.reset_index(drop=True), dropped)


def _sizes(sizes, func):
    """Sizes as a float array: numbers, present, positive (labels named)."""
    if isinstance(sizes, (pd.DataFrame, str)) or np.ndim(sizes) != 1:
        raise ValidationError(f"{func}: sizes must be a one-dimensional list, array or Series")
    return _v.check_positive(
        sizes if isinstance(sizes, pd.Series) else list(sizes), "sizes", func=func
    )


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class RankSizeResult(Result):
    """Result of :func:`rank_size`: the Zipf exponent and its standard errors.

    Dict-style access with the former keys (``fit["slope"]``) keeps working.

    Parameters
    ----------
    slope : float
        The Zipf exponent b of ``ln(rank - shift) = a - b ln(size)`` (1 is
        Zipf's law; unitless).
    se_gi : float
        Gabaix-Ibragimov standard error ``b * sqrt(2 / n)``.
    se_ols : float
        The OLS standard error (too small: ranks are not independent).
    intercept : float
        a, in log rank.
    n : int
        Number of cities.
    r2 : float
        R-squared of the log-log fit.
    shift : float
        The rank shift used.

    See Also
    --------
    rank_size : Computes it.

    Examples
    --------
    >>> fit = rank_size([100.0, 50.0, 100 / 3, 25.0], shift=0)
    >>> round(fit.slope, 10), fit["n"]
    (1.0, 4)
    """

    slope: float
    se_gi: float
    se_ols: float
    intercept: float
    n: int
    r2: float
    shift: float = 0.5

    def tidy(self) -> pd.DataFrame:
        """Return the exponent as one row (the schema of :mod:`cityresearch._results`).

        Returns
        -------
        DataFrame
            ``term`` (``"Zipf exponent"``), ``estimate`` (b, unitless),
            ``std_error`` (Gabaix-Ibragimov), ``conf_low``, ``conf_high``
            (always missing: no interval is computed), ``std_error_ols``,
            ``intercept`` (log rank), ``r2``, ``n_obs`` (cities),
            ``rank_shift``.
        """
        return pd.DataFrame(
            {
                "term": ["Zipf exponent"],
                "estimate": [self.slope],
                "std_error": [self.se_gi],
                "conf_low": [np.nan],
                "conf_high": [np.nan],
                "std_error_ols": [self.se_ols],
                "intercept": [self.intercept],
                "r2": [self.r2],
                "n_obs": [self.n],
                "rank_shift": [self.shift],
            }
        )

    def summary(self) -> str:
        """The result in one sentence (also the ``repr``)."""
        return (
            f"Zipf exponent b = {self.slope:.3f} (Gabaix-Ibragimov SE {self.se_gi:.3f}; "
            f"OLS SE {self.se_ols:.3f}), ln(rank - {self.shift:g}) on ln(size), "
            f"n = {self.n} cities, R2 = {self.r2:.3f}; b = 1 is Zipf's law."
        )


def rank_size(sizes, *, shift: float = 0.5) -> RankSizeResult:
    """Rank-size (Zipf) regression ``ln(rank - shift) = a - b ln(size)``.

    Uses the Gabaix-Ibragimov (2011) rank shift of 1/2 by default, which
    removes the small-sample bias of OLS; their standard error for b is
    ``b * sqrt(2 / n)``, returned beside the OLS one.

    Parameters
    ----------
    sizes : array-like or Series
        City sizes (e.g. population, persons), positive, without missing
        values; at least 3 of them, not all equal.
    shift : float, default 0.5
        Rank shift in [0, 1) subtracted from each rank (0 is the plain OLS
        rank-size regression).

    Returns
    -------
    RankSizeResult
        Fields (also dict keys, as before 0.2) ``slope`` (b, the Zipf
        exponent; 1 is Zipf's law), ``se_gi``, ``se_ols``, ``intercept``,
        ``n``, ``r2``, and ``shift``; ``tidy()`` gives one row,
        ``summary()`` a sentence.

    Raises
    ------
    ValidationError
        Fewer than 3 sizes, missing, zero or negative sizes (named), all
        sizes equal, ``shift`` outside [0, 1).

    References
    ----------
    Gabaix, X. and Ibragimov, R. (2011). Rank - 1/2: a simple way to improve
    the OLS estimation of tail exponents. Journal of Business & Economic
    Statistics, 29(1), 24-39. https://doi.org/10.1198/jbes.2009.06157

    Examples
    --------
    >>> fit = rank_size([100.0, 50.0, 100 / 3, 25.0], shift=0)
    >>> float(round(fit["slope"], 10))
    1.0
    """
    import statsmodels.api as sm

    func = "rank_size"
    shift = _v.check_number(shift, "shift", lo=0, hi=1, hi_open=True, func=func)
    s = np.sort(_sizes(sizes, func))[::-1]
    if len(s) < 3:
        raise ValidationError(f"{func}: needs at least 3 positive sizes; got {len(s)}")
    if s[0] == s[-1]:
        raise ValidationError(
            f"{func}: all {len(s)} sizes are equal ({s[0]:g}); a rank-size slope is undefined"
        )
    rank = np.arange(1, len(s) + 1) - shift
    fit = sm.OLS(np.log(rank), sm.add_constant(np.log(s))).fit()
    b = float(-fit.params[1])
    return RankSizeResult(
        slope=b,
        se_gi=float(b * np.sqrt(2 / len(s))),
        se_ols=float(fit.bse[1]),
        intercept=float(fit.params[0]),
        n=len(s),
        r2=float(fit.rsquared),
        shift=shift,
    )


def primacy_index(sizes, *, k: int = 1) -> float:
    """Largest size divided by the sum of the next ``k``.

    ``s_1 / (s_2 + ... + s_{k+1})`` with sizes sorted from largest: ``k=1``
    is the two-city index (Jefferson's primate-city ratio), ``k=3`` the
    four-city index used by Davis.

    Parameters
    ----------
    sizes : array-like or Series
        City sizes (e.g. persons), positive, without missing values.
    k : int, default 1
        Number of following cities (>= 1).

    Returns
    -------
    float
        The primacy index (a ratio of sizes, unitless): above 1 when the
        largest city outweighs the next ``k`` together.

    Raises
    ------
    ValidationError
        ``k`` not a whole number >= 1, fewer than ``k + 1`` sizes, missing,
        zero or negative sizes (named).

    References
    ----------
    Jefferson, M. (1939). The law of the primate city. Geographical Review,
    29(2), 226-232.

    Davis, K. (1969). World Urbanization 1950-1970, Volume I. Berkeley:
    Institute of International Studies, University of California.

    Examples
    --------
    >>> primacy_index([10, 5, 2, 2, 1])
    2.0
    >>> round(primacy_index([10, 5, 2, 2, 1], k=3), 4)
    1.1111
    """
    func = "primacy_index"
    k = _v.check_number(k, "k", lo=1, integer=True, func=func)
    s = np.sort(_sizes(sizes, func))[::-1]
    if len(s) < k + 1:
        raise ValidationError(f"{func}: with k={k} needs at least {k + 1} sizes; got {len(s)}")
    return float(s[0] / s[1 : k + 1].sum())


def group_summary(
    frame: pd.DataFrame,
    value: str,
    *,
    group: str = "class",
    confidence: float = 0.95,
    missing: str = "raise",
    small_groups: str = "raise",
) -> pd.DataFrame:
    """Distribution of ``value`` per group.

    n, mean with a t confidence interval, median with a distribution-free
    (order-statistic) interval, and quartiles. Missing *values* are left out of
    the statistics and counted per group (``n_missing``).

    Parameters
    ----------
    frame : DataFrame
        With ``group`` and ``value``.
    value : str
        A numeric column.
    group : str
        The grouping column.
    confidence : float
        In (0, 1), e.g. 0.95 (not 95).
    missing : {"raise", "drop"}
        A row whose *group* is missing raises (default) or is left out
        (warning, ``attrs["dropped"]``); it never vanishes silently.
    small_groups : {"raise", "report"}
        A group with fewer than 2 values has no interval: it raises (default,
        naming the groups), or with ``"report"`` keeps its row with ``n`` and
        ``n_missing`` and missing statistics, with a warning and the groups
        listed in ``attrs["small_groups"]``.

    Returns
    -------
    DataFrame
        One row per group: ``group``, ``n``, ``n_missing``, ``mean``,
        ``mean_lo``, ``mean_hi``, ``median``, ``median_lo``, ``median_hi``,
        ``q25``, ``q75``. ``attrs["small_groups"]`` lists the groups with
        fewer than 2 values (missing statistics; ``small_groups="report"``).

    Raises
    ------
    ValidationError
        Missing, non-numeric or infinite values, an empty frame,
        ``confidence`` outside (0, 1), missing groups (with
        ``missing="raise"``), a group with fewer than 2 values (with
        ``small_groups="raise"``).

    References
    ----------
    Conover, W. J. (1999). Practical Nonparametric Statistics, 3rd edition.
    New York: Wiley (section 3.2: confidence intervals for a quantile from
    order statistics and the binomial distribution).

    Examples
    --------
    >>> f = pd.DataFrame({"class": ["a", "a", "a"], "g": [1.0, 2.0, 3.0]})
    >>> group_summary(f, "g")[["class", "n", "mean", "median"]].values.tolist()
    [['a', 3, 2.0, 2.0]]
    """
    from scipy import stats

    func = "group_summary"
    confidence = _v.check_number(
        confidence,
        "confidence",
        lo=0,
        hi=1,
        lo_open=True,
        hi_open=True,
        hint="a probability such as 0.95",
        func=func,
    )
    _v.check_choice(small_groups, ("raise", "report"), "small_groups", func=func)
    frame = _v.require_columns(frame, {group: "any", value: "numeric"}, func=func, name="frame")
    _v.min_rows(frame, 1, func=func)
    frame, dropped = _v.handle_missing(frame, [group], missing=missing, func=func)
    counts = frame.groupby(group, sort=True)[value].count()
    small = counts[counts < 2]
    if len(small):
        shown = ", ".join(
            f"{g!r} ({n} value{'s' if n != 1 else ''})" for g, n in small.head(5).items()
        )
        more = f" and {len(small) - 5} more" if len(small) > 5 else ""
        text = (
            f"{len(small)} group{'s' if len(small) > 1 else ''} of {group!r} "
            f"{'have' if len(small) > 1 else 'has'} fewer than 2 values of {value!r}: "
            f"{shown}{more}"
        )
        if small_groups == "raise":
            raise ValidationError(
                f"{func}: {text}; a mean or median interval needs at least 2. "
                "Merge the group with another, or pass "
                "small_groups='report' to keep its row with missing "
                "statistics (it is reported)"
            )
        warnings.warn(
            f"{func}: {text}; their statistics are missing (listed in attrs['small_groups'])",
            stacklevel=user_stacklevel(),
        )
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
            row.update(
                mean=m,
                mean_lo=m - h,
                mean_hi=m + h,
                median=np.median(x),
                median_lo=xs[max(lo - 1, 0)],
                median_hi=xs[min(hi, n - 1)],
                q25=np.quantile(x, 0.25),
                q75=np.quantile(x, 0.75),
            )
        rows.append(row)
    out = _v.attach_dropped(pd.DataFrame(rows), dropped)
    out.attrs["small_groups"] = list(small.index)
    return out


def national_shares(
    panel: pd.DataFrame,
    classes: pd.DataFrame,
    *,
    values=("pop", "grdp_idr_bn"),
    unit: str = "bps_code",
    missing: str = "raise",
) -> pd.DataFrame:
    """Share (percent) of the national total of each value by class and year.

    Parameters
    ----------
    panel : DataFrame
        ``bps_code``, ``year`` and the ``values`` columns; one row per region and year.
    classes : DataFrame
        ``bps_code`` and ``class``, one row per region; every region of the
        panel must be classified (an unclassified region raises, it is never
        dropped and the others are never renormalised without it).
    values : sequence of str
        Numeric, non-negative columns to share out.
    unit : str
        The region key of ``panel`` and ``classes`` (default ``bps_code``).
    missing : {"raise", "drop"}
        A region-year with a missing value raises (default) or is left out
        of that year's total (warning, ``attrs["dropped"]``).

    Returns
    -------
    DataFrame
        ``year``, ``class`` and ``<value>_share_pct`` per value; the shares of
        a year add up to 100.

    Raises
    ------
    ValidationError
        Missing or non-numeric columns, duplicate region-years or duplicate
        classes, unclassified regions (named), negative values, missing values
        (with ``missing="raise"``).

    Examples
    --------
    >>> p = pd.DataFrame({"bps_code": ["A", "B"], "year": [1, 1], "pop": [1, 3],
    ...                   "grdp_idr_bn": [2, 2]})
    >>> c = pd.DataFrame({"bps_code": ["A", "B"], "class": ["x", "y"]})
    >>> national_shares(p, c)["pop_share_pct"].tolist()
    [25.0, 75.0]
    """
    func = "national_shares"
    _v.column_names(func, unit=unit)
    if isinstance(values, str):
        values = (values,)
    values = list(values)
    panel = _v.require_columns(
        panel,
        {unit: "any", "year": "integer", **dict.fromkeys(values, "numeric")},
        func=func,
        name="panel",
    )
    _v.require_columns(classes, [unit, "class"], func=func, name="classes")
    _v.min_rows(panel, 1, func=func)
    _v.unique_keys(panel, [unit, "year"], func=func)
    _v.unique_keys(classes, [unit], func=func)
    cls = classes.set_index(unit)["class"]
    missing_cls = sorted(set(panel[unit]) - set(cls.index), key=str)
    if missing_cls:
        raise ValidationError(
            f"{func}: {len(missing_cls)} regions have no class: "
            f"{', '.join(map(str, missing_cls[:5]))}; classify every region "
            "(e.g. an 'other' class) so that none is left out of the total"
        )
    nan_cls = cls[cls.isna()]
    nan_cls = sorted(set(nan_cls.index) & set(panel[unit]), key=str)
    if nan_cls:
        raise ValidationError(
            f"{func}: {len(nan_cls)} regions have a missing class: "
            f"{', '.join(map(str, nan_cls[:5]))}; classify every region"
        )
    panel, dropped = _v.handle_missing(
        panel, values, missing=missing, keys=[unit, "year"], func=func
    )
    for col in values:
        _v.check_positive(panel[col], col, allow_zero=True, func=func)
    df = panel.assign(**{"class": panel[unit].map(cls)})
    tot = df.groupby(["year", "class"])[values].sum()
    share = 100 * tot / tot.groupby("year").transform("sum")
    out = share.rename(columns={v: f"{v}_share_pct" for v in values}).reset_index()
    return _v.attach_dropped(out, dropped)
