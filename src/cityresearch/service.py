"""Public-service quality per kabupaten/kota: the compiled Ombudsman figures and
a validated loader for a researcher's own, complete file.

Terms
-----
penilaian kepatuhan standar pelayanan publik
    The Ombudsman RI's assessment of local governments' compliance with public
    service standards, scored 0-100 with zones hijau (green, high), kuning
    (yellow) and merah (red). The method changed: 2015-2019 a sample survey
    (zones 0-50 / 51-80 / 81-100), no assessment in 2020, 2021 every pemda with
    e-service indicators, 2022-2024 a four-dimension method (input, process,
    output, complaints; categories A-E) that adds public perception, 2025 an
    "opini" on maladministration of a subset (not comparable). Scores are not
    comparable across these breaks; zones are the most stable variable.
SPBE index
    KemenPAN-RB's e-government index (1-5); almost no per-region figures are
    public.

The compiled table (``data/service_quality.csv``) holds every published
figure that could be found (news pages and Ombudsman regional offices, one row
per figure with its source URL, date and quote): it is *not* complete and its
coverage differs by province and year (:func:`coverage`). For analyses that
need complete data, obtain the official national tables and load them with
:func:`read_measures`; every analysis in :mod:`cityresearch.policy` runs
unchanged on them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cityresearch._errors import (
    MalformedFileError,
    RegionNotFoundError,
    ValidationError,
)

__all__ = ["load_compiled", "coverage", "read_measures", "one_per_region", "RANGES", "ZONE_ORDER"]

#: Valid value range of known measures (inclusive).
RANGES = {"ombudsman_kepatuhan": (0.0, 100.0), "spbe_index": (0.0, 5.0)}
#: Zones from worst to best, for ordered models.
ZONE_ORDER = ["merah", "kuning", "hijau"]


def load_compiled(*, measure: str | None = "ombudsman_kepatuhan",
                  matched_only: bool = True) -> pd.DataFrame:
    """Return the compiled, sourced service-quality figures.

    Parameters
    ----------
    measure : str or None
        ``"ombudsman_kepatuhan"`` (default), ``"spbe_index"`` or None for both.
    matched_only : bool
        Drop the rows whose region could not be identified (one misspelt
        name); ``load_compiled(matched_only=False)`` lists them with their
        ``match_status``. A bare "Sorong" in a list that also names Kota
        Sorong is Kabupaten Sorong (``matched_by_elimination``).

    Returns
    -------
    DataFrame
        One row per published figure: ``year``, ``measure``, ``method``,
        ``bps_code``, ``name``, ``score`` (0-100 for Ombudsman; missing where
        the source gave only a zone), ``zone``, ``conflict`` (another source
        gives a different figure; both are kept), ``year_uncertain``,
        ``source_url``, ``source_date``, ``quote`` and the names as written.
    """
    from cityresearch import data

    df = data.load("service_quality")  # shipped in the package, hash-verified
    if measure is not None:
        if measure not in set(df["measure"]):
            raise ValidationError(f"measure {measure!r} is not in the compiled table; it has "
                                  f"{sorted(df['measure'].unique())}")
        df = df[df["measure"] == measure]
    if matched_only:
        df = df[df["match_status"].str.startswith("matched")]
    return df.reset_index(drop=True)


def coverage(table: pd.DataFrame) -> pd.DataFrame:
    """Coverage of a service-quality table by province and year.

    Provinces are those in force in the assessment year: the 34 of the
    2017 scheme up to 2022 (the Papua split took effect in late 2022 and the
    2022 assessments were reported by the old provinces), the 38 from 2023.

    Returns ``province``, ``year``, ``n_kabkota`` (regions in the province),
    ``n_score`` and ``n_zone`` (regions with a score / with a zone),
    ``share_score`` and ``complete_score`` (every kab/kota of the province
    has a score that year).
    """
    from cityresearch import regions

    reg = regions.region_table()[["bps_code", "province", "province_34"]]
    t = table.merge(reg, on="bps_code", how="left")
    t["prov"] = np.where(t["year"] <= 2022, t["province_34"], t["province"])
    rows = []
    for (prov, year), sub in t.groupby(["prov", "year"]):
        col = "province_34" if year <= 2022 else "province"
        n_prov = int((reg[col] == prov).sum())
        rows.append({"province": prov, "year": year, "n_kabkota": n_prov,
                     "n_score": sub.loc[sub["score"].notna(), "bps_code"].nunique(),
                     "n_zone": sub.loc[sub["zone"].notna(), "bps_code"].nunique()})
    out = pd.DataFrame(rows)
    out["share_score"] = out["n_score"] / out["n_kabkota"]
    out["complete_score"] = out["n_score"] == out["n_kabkota"]
    return out


def read_measures(path: str | Path, *, ranges: dict | None = None,
                  allow_mixed_methods: bool = False) -> pd.DataFrame:
    """Read and validate a researcher's own service-quality file.

    Schema (CSV, UTF-8, header row):

    ========== ======== ==========================================================
    column     required meaning
    ========== ======== ==========================================================
    region     yes      BPS code ("3505"), Kemendagri code ("35.05") or an
                        unambiguous name ("Kabupaten Blitar")
    year       yes      assessment year (integer)
    measure    yes      name of the measure, e.g. ``ombudsman_kepatuhan``
    value      yes*     the score (* may be empty where ``zone`` is given)
    zone       no       hijau / kuning / merah
    method     no       assessment method; one method per measure unless
                        ``allow_mixed_methods``
    source     no       where the figure comes from
    ========== ======== ==========================================================

    Parameters
    ----------
    ranges : dict, optional
        measure -> (min, max); defaults to :data:`RANGES` for known measures.
    allow_mixed_methods : bool
        Accept more than one ``method`` within a measure (scores across a
        method break are not comparable; analyse them per method).

    Returns
    -------
    DataFrame with ``bps_code``, ``kemendagri_code``, ``name`` added.

    Raises
    ------
    MalformedFileError
        Missing columns, a year or value that is not a number (file and line named).
    RegionNotFoundError, AmbiguousRegionError
        Regions that match nothing (all listed with their lines) or more than one.
    ValidationError
        Duplicate region-year-measure rows, values out of range, unknown zones,
        mixed methods.
    """
    import warnings

    from cityresearch import regions

    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise MalformedFileError(f"{path.name}: not a readable CSV ({exc})") from None
    required = ["region", "year", "measure", "value"]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise MalformedFileError(f"{path.name}, line 1: missing columns {missing}; "
                                 f"the header has {list(df.columns)}")
    line = pd.Series(np.arange(2, len(df) + 2), index=df.index)
    for col, kind in (("year", int), ("value", float)):
        vals = pd.to_numeric(df[col].str.strip().replace("", np.nan), errors="coerce")
        bad = vals.isna() & df[col].str.strip().ne("")
        if col == "year":
            bad |= df[col].str.strip().eq("") | (vals.notna() & (vals % 1 != 0))
        if bad.any():
            i = bad.idxmax()
            raise MalformedFileError(
                f"{path.name}, line {line[i]}: {col} {df.at[i, col]!r} is not a number")
        df[col] = vals.astype("Int64") if kind is int else vals
    if "zone" not in df.columns:
        df["zone"] = ""
    df["zone"] = df["zone"].str.strip().str.lower()
    no_value = df["value"].isna() & df["zone"].eq("")
    if no_value.any():
        raise MalformedFileError(f"{path.name}, line {line[no_value.idxmax()]}: "
                                 "neither a value nor a zone")
    bad_zone = ~df["zone"].isin(["", *ZONE_ORDER])
    if bad_zone.any():
        i = bad_zone.idxmax()
        raise ValidationError(f"{path.name}, line {line[i]}: zone {df.at[i, 'zone']!r} is not "
                              f"one of {ZONE_ORDER}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = regions.match_regions(df["region"].tolist())
    if not m["matched"].all():
        bad = [f"line {line[i]}: {df.at[i, 'region']!r}" for i in np.flatnonzero(~m["matched"])]
        raise RegionNotFoundError(
            f"{path.name}: {len(bad)} regions match no kabupaten/kota: {'; '.join(bad[:10])}. "
            "Use BPS codes or the names in cityresearch.regions.region_table().")
    df["bps_code"] = m["bps_code"].to_numpy()
    df["kemendagri_code"] = m["kemendagri_code"].to_numpy()
    df["name"] = m["name"].to_numpy()
    dup = df.duplicated(["bps_code", "year", "measure"], keep=False)
    if dup.any():
        rows = df[dup].head(4)
        shown = "; ".join(f"line {line[i]}: {r['name']} {r['year']} {r['measure']}"
                          for i, r in rows.iterrows())
        raise ValidationError(f"{path.name}: duplicate region-year-measure rows ({shown}); "
                              "keep one figure per region, year and measure")
    limits = {**RANGES, **(ranges or {})}
    for measure, sub in df.groupby("measure"):
        if measure in limits:
            lo, hi = limits[measure]
            out = sub["value"].notna() & ~sub["value"].between(lo, hi)
            if out.any():
                i = out.idxmax()
                raise ValidationError(
                    f"{path.name}, line {line[i]}: {measure} value {sub.at[i, 'value']} is "
                    f"outside [{lo}, {hi}]")
        if "method" in df.columns and not allow_mixed_methods:
            methods = sorted(set(sub["method"].str.strip()) - {""})
            if len(methods) > 1:
                raise ValidationError(
                    f"{path.name}: measure {measure!r} mixes methods {methods}; scores across a "
                    "method change are not comparable. Split the measure per method, or pass "
                    "allow_mixed_methods=True and analyse per method.")
    return df.reset_index(drop=True)


def one_per_region(table: pd.DataFrame, *, year: int | None = None, method: str | None = None,
                   value: str = "score", conflicts: str = "drop") -> pd.DataFrame:
    """One figure per region for an analysis, choosing openly.

    Keeps the rows of ``year`` (or of ``method``) with a non-missing ``value``.
    A region with more than one figure in the selection (a conflict between
    sources, or several years of one method) is dropped (``conflicts="drop"``,
    default) or resolved to its latest year (``"latest"``; conflicting figures
    of the same year are still dropped). ``attrs["dropped"]`` lists what was
    dropped and why.
    """
    if conflicts not in ("drop", "latest"):
        raise ValidationError("conflicts must be 'drop' or 'latest'")
    t = table
    if year is not None:
        t = t[t["year"] == year]
    if method is not None:
        t = t[t["method"] == method]
    if t.empty:
        raise ValidationError(f"no rows for year={year}, method={method}")
    t = t.dropna(subset=[value])
    dropped = []
    if conflicts == "latest":
        latest = t.groupby("bps_code")["year"].transform("max")
        t = t[t["year"] == latest]
    counts = t.groupby("bps_code")[value].transform("size")
    for code, sub in t[counts > 1].groupby("bps_code"):
        dropped.append({"bps_code": code, "name": sub["name"].iloc[0],
                        "values": sub[value].tolist(), "reason": "more than one figure"})
    out = t[counts == 1].reset_index(drop=True)
    out.attrs["dropped"] = pd.DataFrame(dropped, columns=["bps_code", "name", "values", "reason"])
    return out
