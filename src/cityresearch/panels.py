"""Analysis frames, assembled explicitly from datasets and the region registry.

The analysis modules (:mod:`~cityresearch.growth`, :mod:`~cityresearch.economy`,
:mod:`~cityresearch.spatial`, :mod:`~cityresearch.policy`, :mod:`~cityresearch.did`)
take frames and compute; this module is where frames are *built*: it loads
datasets with :mod:`cityresearch.data`, joins them to the registry of
:mod:`cityresearch.regions` and derives the covariates the notebooks use. Each
function says which datasets it reads, so a caption can cite them.

Dependencies point one way: data -> regions -> panels -> analyses.

Frames the analyses expect from here:

* :func:`attach_province` adds the province columns that
  :func:`cityresearch.economy.grdp_shares`, :func:`~cityresearch.economy.inequality_over_time`
  and :func:`~cityresearch.economy.aggregate_provinces` read from the frame
  (``prov_bps_code``/``province_34`` of the 34-province scheme of the data's time,
  ``prov_kemendagri_code``/``province`` of the 38 provinces of 2025);
* :func:`region_boundaries` gives the polygons that
  :func:`cityresearch.spatial.region_weights` turns into the national graph:
  ``spatial.region_weights(panels.region_boundaries())``.

The old names (``growth.region_frame``, ``policy.participation_frame``,
``economy.attach_province``) still work in 0.2, with a
:class:`~cityresearch.CityResearchDeprecationWarning`, and are removed in 0.3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cityresearch._errors import ValidationError, user_stacklevel

__all__ = [
    "FISCAL_SERIES",
    "attach_province",
    "fiscal_frame",
    "participation_frame",
    "region_boundaries",
    "region_frame",
    "selection_frame",
]


#: Columns that :func:`attach_province` adds from the region registry.
_REGISTRY_COLS = (
    "name",
    "type",
    "prov_bps_code",
    "province_34",
    "prov_kemendagri_code",
    "province",
    "island_group",
)


def attach_province(panel: pd.DataFrame) -> pd.DataFrame:
    """Add the region registry's province and island columns to a frame with ``bps_code``.

    Adds ``prov_bps_code`` and ``province_34`` (the 34 provinces of the data's
    time: the GRDP data follow this scheme), ``prov_kemendagri_code`` and
    ``province`` (the 38 provinces of 2025, after the 2022 Papua split),
    ``island_group``, ``name`` and ``type``. These are the columns that
    :func:`cityresearch.economy.grdp_shares`,
    :func:`cityresearch.economy.inequality_over_time` (``prov_bps_code``) and
    :func:`cityresearch.economy.aggregate_provinces` read.

    Parameters
    ----------
    panel : DataFrame
        With ``bps_code`` as text ("3505"), and none of the added columns.

    Returns
    -------
    DataFrame
        ``panel`` with the registry columns, same rows in the same order.

    Raises
    ------
    ValidationError
        No ``bps_code``; codes stored as numbers; missing codes or codes not
        in the registry (named with their rows); the frame already has one of
        the added columns (it would be duplicated as ``_x``/``_y``).

    Examples
    --------
    >>> out = attach_province(pd.DataFrame({"bps_code": ["3505"]}))
    >>> out[["prov_bps_code", "prov_kemendagri_code", "province"]].values.tolist()
    [['35', '35', 'Jawa Timur']]
    """
    from cityresearch import _validate as _v
    from cityresearch import regions

    func = "attach_province"
    _v.require_columns(panel, ["bps_code"], func=func, name="panel")
    if pd.api.types.is_numeric_dtype(panel["bps_code"]):
        raise ValidationError(
            f"{func}: column 'bps_code' holds numbers ({panel['bps_code'].dtype})"
            "; BPS codes are text such as '3505': convert with "
            "panel['bps_code'].astype(int).astype(str)"
        )
    clash = [c for c in _REGISTRY_COLS if c in panel.columns]
    if clash:
        raise ValidationError(
            f"{func}: the frame already has {clash}; drop them first "
            "(the registry's values would be added beside them)"
        )
    t = regions.region_table()[["bps_code", *_REGISTRY_COLS]]
    absent = panel["bps_code"].isna().to_numpy()
    if absent.any():
        n = int(absent.sum())
        raise ValidationError(
            f"{func}: {n} row{'s have' if n > 1 else ' has'} no bps_code: "
            f"{_v.describe_rows(panel, absent)}; fill in the codes or drop "
            "those rows first"
        )
    unknown = ~panel["bps_code"].isin(t["bps_code"]).to_numpy()
    if unknown.any():
        bad = panel.loc[unknown, "bps_code"].unique()
        raise ValidationError(
            f"{func}: {len(bad)} codes not in the region registry: "
            f"{_v._fmt(list(bad))} ({_v.describe_rows(panel, unknown)}); "
            "use the BPS 2017-2018 kab/kota codes of "
            "cityresearch.regions.region_table()"
        )
    return panel.merge(t, on="bps_code", how="left")


def region_boundaries(level: str = "kabkota"):
    """The polygons of the 514 kab/kota (or 38 provinces) with the registry columns.

    Reads the dataset ``boundaries_kabkota`` (or ``boundaries_provinsi``)
    through :func:`cityresearch.regions.boundaries`. This is the frame to give
    :func:`cityresearch.spatial.region_weights` for the national graph, which
    no longer loads it itself::

        w = spatial.region_weights(panels.region_boundaries())

    Parameters
    ----------
    level : {"kabkota", "provinsi"}
        Regions (default) or provinces.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 (lon/lat degrees); for ``"kabkota"`` one row per region with
        ``bps_code``, ``name``, the province columns of :func:`attach_province`
        and ``geometry``.

    Raises
    ------
    ValidationError
        An unknown ``level``.

    Examples
    --------
    >>> kab = region_boundaries()  # doctest: +SKIP
    >>> len(kab), kab.crs.to_string()  # doctest: +SKIP
    (514, 'EPSG:4326')
    """
    from cityresearch import regions

    return regions.boundaries(level)


def region_frame(year: int = 2019) -> pd.DataFrame:
    """The 514 kab/kota with their population in ``year`` and their area.

    Reads the datasets ``district_panel`` and ``boundaries_kabkota``.

    Parameters
    ----------
    year : int
        A year of the QuaRCS district panel (2000-2019).

    Returns
    -------
    pandas.DataFrame
        The region registry's codes and names, ``pop`` (persons, QuaRCS
        panel), ``area_km2`` and ``density_per_km2`` (persons per km2). The
        area is that of the source polygon in the equal-area map projection of
        :mod:`cityresearch.maps`, less any part that a neighbouring polygon
        also covers and that the clean map coverage gives to that neighbour
        (the source's Kabupaten Sorong still contains Kabupaten Tambrauw and
        part of Maybrat: 7,376 km2 instead of 12,783 km2). The source
        simplified its polygons, so areas are approximate (Kota Blitar
        33.0 km2 against 32.6 km2 official). Ready for
        :func:`cityresearch.growth.classify_secondary_cities`.

    Raises
    ------
    ValidationError
        ``year`` is not in the panel.

    Examples
    --------
    >>> f = region_frame(2019).set_index("bps_code")  # doctest: +SKIP
    >>> len(f), f.loc["3572", ["name", "pop"]].tolist()  # doctest: +SKIP
    (514, ['Kota Blitar', 141889.0])
    """
    from cityresearch import _validate as _v
    from cityresearch import data, regions
    from cityresearch._maplayers import CRS, clean_kabkota
    from cityresearch.growth import _year_check

    year = _v.check_number(year, "year", integer=True, func="region_frame")
    panel = data.load("district_panel")
    _year_check(panel, [year], func="region_frame")
    pop = panel.loc[panel["year"] == year].set_index("bps_code")["pop"]
    area = _area_without_overlaps_km2(regions.boundaries("kabkota").to_crs(CRS), clean_kabkota())
    out = regions.region_table()
    out["pop"] = out["bps_code"].map(pop)
    out["area_km2"] = out["bps_code"].map(area)
    out["density_per_km2"] = out["pop"] / out["area_km2"]
    return out


def _area_without_overlaps_km2(source, clean) -> pd.Series:
    """Area (km2) of each source polygon inside its own polygon of the clean coverage.

    Both frames are projected to an equal-area CRS in metres and keyed by
    ``bps_code``. Overlaps claimed by a neighbour are left out; the gaps that
    the coverage fills are not added.

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> src = gpd.GeoDataFrame({"bps_code": ["a", "b"]},
    ...                        geometry=[box(0, 0, 3000, 1000), box(2000, 0, 4000, 1000)])
    >>> clean = gpd.GeoDataFrame({"bps_code": ["b", "a"]},
    ...                          geometry=[box(2000, 0, 4000, 1000), box(0, 0, 2000, 1000)])
    >>> _area_without_overlaps_km2(src, clean).round(3).to_dict()
    {'a': 2.0, 'b': 2.0}
    """
    import shapely

    own = source.set_index("bps_code").geometry
    cleaned = clean.set_index("bps_code").geometry.reindex(own.index)
    inside = shapely.intersection(own.to_numpy(), cleaned.to_numpy())
    return pd.Series(shapely.area(inside) / 1e6, index=own.index, name="area_km2")


def participation_frame(pre_year: int = 2016) -> pd.DataFrame:
    """The 514 kab/kota with smart-city participation and pre-programme covariates.

    Reads the datasets ``district_panel`` and ``smart_city_cohorts``.

    Parameters
    ----------
    pre_year : int
        The pre-programme year of the covariates (default 2016, the year
        before the first MoUs); a panel year before 2017.

    Returns
    -------
    pandas.DataFrame
        Registry codes and names, ``cohort_year`` (first MoU; missing for
        never-participants), ``participant`` (0/1), ``kota`` (0/1), and from
        the QuaRCS panel in ``pre_year``: ``grdp_pc_idr_k``, ``pop``,
        ``ln_grdp_pc``, ``ln_pop``, and the 2010-``pre_year`` GRDP growth
        ``grdp_cagr_pre_pct`` (percent per year).

    Raises
    ------
    ValidationError
        ``pre_year`` is not a number (e.g. the text ``"2016"``) or not a
        panel year before 2017.

    Examples
    --------
    >>> f = participation_frame(2016)  # doctest: +SKIP
    >>> len(f), int(f["participant"].sum())  # doctest: +SKIP
    (514, 98)
    """
    return _participation_frame(pre_year, "participation_frame")


def _participation_frame(pre_year, func: str) -> pd.DataFrame:
    from cityresearch import _validate as _v
    from cityresearch import data, growth, regions

    pre_year = _v.check_number(pre_year, "pre_year", integer=True, func=func)
    panel = data.load("district_panel")
    if pre_year not in set(panel["year"]) or pre_year >= 2017:
        raise ValidationError(
            f"{func}: pre_year must be a year of the panel before 2017 "
            f"({int(panel['year'].min())}-2016), not {pre_year}"
        )
    pre = panel[panel["year"] == pre_year].set_index("bps_code")
    out = regions.region_table()
    coh = data.load("smart_city_cohorts").set_index("bps_code")["cohort_year"]
    out["cohort_year"] = out["bps_code"].map(coh)
    out["participant"] = out["cohort_year"].notna().astype(int)
    out["kota"] = (out["type"] == "kota").astype(int)
    out["grdp_pc_idr_k"] = out["bps_code"].map(pre["grdp_pc_idr_k"])
    out["pop"] = out["bps_code"].map(pre["pop"])
    out["ln_grdp_pc"] = np.log(out["grdp_pc_idr_k"])
    out["ln_pop"] = np.log(out["pop"])
    out["grdp_cagr_pre_pct"] = out["bps_code"].map(
        growth.cagr(panel, "grdp_idr_bn", 2010, pre_year)
    )
    return out


def selection_frame(pre_year: int = 2016) -> pd.DataFrame:
    """:func:`participation_frame` plus the poverty and fiscal covariates of the selection.

    Reads the datasets of :func:`participation_frame`, ``poverty_kabkota``
    (CC BY-NC-SA 4.0: non-commercial use only; cite it with
    ``data.credit("poverty_kabkota")``) and, through :func:`fiscal_frame`,
    ``fiscal_revenue_kabkota_java``.

    Parameters
    ----------
    pre_year : int
        The pre-programme year (default 2016); a panel year before 2017 and a
        year of the poverty data (2010-2016).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`participation_frame`, ``poverty_rate_pct``
        (% of population, in ``pre_year``; missing where the region did not
        yet exist), and for the 113 Java kab/kota outside Jakarta (missing
        elsewhere) ``fiscal_year`` (the last fiscal year not after
        ``pre_year``, at most 2015), ``own_revenue_share_pct`` (PAD as % of
        total revenue) and ``total_revenue_pc_idr_k`` (IDR thousand per person,
        current prices) of that year.

    Raises
    ------
    ValidationError
        ``pre_year`` outside the panel or the poverty data.

    Examples
    --------
    >>> f = selection_frame(2016).set_index("bps_code")  # doctest: +SKIP
    >>> f.loc["3572", ["poverty_rate_pct", "fiscal_year"]].tolist()  # doctest: +SKIP
    [7.18, 2015]
    """
    import warnings

    from cityresearch import data

    out = _participation_frame(pre_year, "selection_frame")
    pov = data.load("poverty_kabkota")
    if pre_year not in set(pov["year"]):
        raise ValidationError(
            f"pre_year {pre_year} is not a year of the poverty data "
            f"({pov['year'].min()}-{pov['year'].max()})"
        )
    rate = pov[pov["year"] == pre_year].set_index("bps_code")["poverty_rate_pct"]
    out["poverty_rate_pct"] = out["bps_code"].map(rate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # jumps are flagged in the frame
        fis = fiscal_frame()
    fy = min(pre_year, int(fis["year"].max()))
    last = fis[fis["year"] == fy].set_index("bps_code")
    java = out["bps_code"].isin(last.index)
    out["fiscal_year"] = pd.Series(fy, index=out.index).where(java).astype("Int64")
    for col in ("own_revenue_share_pct", "total_revenue_pc_idr_k"):
        out[col] = out["bps_code"].map(last[col])
    return out


#: DataBank series of ``fiscal_revenue_kabkota_java`` -> column of :func:`fiscal_frame`
#: (all IDR billion, current prices).
FISCAL_SERIES = {
    "REV.TOTL.CR": "total_revenue_idr_bn",
    "REV.OSRV.CR": "own_revenue_idr_bn",
    "REV.DAU.CR": "dau_idr_bn",
    "REV.DAK.CR": "dak_idr_bn",
    "REV.RV.SHR.CR": "revenue_sharing_idr_bn",
    "REV.TXRV.SHR.CR": "tax_sharing_idr_bn",
    "REV.NRRV.SHR.CR": "resource_sharing_idr_bn",
}


def _wb_name(name: str) -> str:
    """'Blitar, Kab.' -> 'Kabupaten Blitar'; 'Blitar, Kota' -> 'Kota Blitar'."""
    base, _, kind = name.rpartition(",")
    kind = kind.strip().rstrip(".").lower()
    if not base or kind not in ("kab", "kota"):
        raise ValidationError(
            f"World Bank region name {name!r} does not end in ', Kab.' or ', Kota'"
        )
    return f"{'Kabupaten' if kind == 'kab' else 'Kota'} {base.strip()}"


def fiscal_frame() -> pd.DataFrame:
    """District revenue of the 113 Java kab/kota 2000-2015 with BPS codes and per-capita measures.

    Reads the datasets ``fiscal_revenue_kabkota_java`` (World Bank INDO-DAPOER,
    CC BY 4.0) and ``district_panel`` (population). World Bank names ("Blitar,
    Kab.") are matched to BPS codes with
    :func:`cityresearch.regions.match_regions` within their province.

    Returns
    -------
    pandas.DataFrame
        One row per region and year: ``bps_code``, ``wb_code``, ``name``,
        ``year``, the revenue series of :data:`FISCAL_SERIES` in IDR billion
        at current prices (missing where the source has ``..``), ``pop``
        (persons, QuaRCS panel, BPS projection), ``total_revenue_pc_idr_k``
        and ``own_revenue_pc_idr_k`` (IDR thousand per person, current
        prices), ``own_revenue_share_pct`` (own-source revenue, PAD, as a
        percentage of total revenue) and ``suspect_jump`` (total or own
        revenue more than :data:`SPIKE_FACTOR` times above or below both
        neighbouring years, e.g. Kabupaten Pemalang 2009; kept as published).

    Warns
    -----
    UserWarning
        Listing the region-years flagged ``suspect_jump``.

    Raises
    ------
    ValidationError
        A World Bank name that matches no region or two.

    Notes
    -----
    Fiscal values are nominal while the GRDP data are at constant 2010 prices:
    compare ratios (shares, per-capita ranks), not levels across years. Fiscal
    year 2000 had nine months (April-December) and decentralisation began in
    2001, so 2000 is not comparable with later years.

    Examples
    --------
    >>> f = fiscal_frame()  # doctest: +SKIP
    >>> f["bps_code"].nunique(), f["year"].min(), f["year"].max()  # doctest: +SKIP
    (113, 2000, 2015)
    """
    from cityresearch import data, regions

    raw = data.load("fiscal_revenue_kabkota_java")
    names = raw.drop_duplicates("wb_code")[["wb_code", "region_source", "province_source"]]
    codes = {}
    for row in names.itertuples():
        province = row.province_source.removesuffix(", Prop.").strip()
        m = regions.match_regions([_wb_name(row.region_source)], province=province)
        if not m.at[0, "matched"]:
            raise ValidationError(
                f"World Bank region {row.region_source!r} ({row.wb_code}, "
                f"{province}) matches no kab/kota"
            )
        codes[row.wb_code] = (m.at[0, "bps_code"], m.at[0, "name"])
    if len({c for c, _ in codes.values()}) != len(codes):
        raise ValidationError("two World Bank regions match the same BPS code")
    sub = raw[raw["series_code"].isin(list(FISCAL_SERIES))]
    wide = sub.pivot(index=["wb_code", "year"], columns="series_code", values="value_idr_bn")
    wide = wide.reindex(columns=list(FISCAL_SERIES)).rename(columns=FISCAL_SERIES)
    wide.columns.name = None
    wide = wide.reset_index()
    wide.insert(0, "bps_code", wide["wb_code"].map(lambda c: codes[c][0]))
    wide.insert(2, "name", wide["wb_code"].map(lambda c: codes[c][1]))
    panel = data.load("district_panel").set_index(["bps_code", "year"])["pop"]
    wide["pop"] = pd.MultiIndex.from_frame(wide[["bps_code", "year"]]).map(panel.to_dict())
    wide["pop"] = wide["pop"].astype(float)
    wide["total_revenue_pc_idr_k"] = wide["total_revenue_idr_bn"] * 1e6 / wide["pop"]
    wide["own_revenue_pc_idr_k"] = wide["own_revenue_idr_bn"] * 1e6 / wide["pop"]
    total = wide["total_revenue_idr_bn"].where(wide["total_revenue_idr_bn"] > 0)
    wide["own_revenue_share_pct"] = 100 * wide["own_revenue_idr_bn"] / total
    wide = wide.sort_values(["bps_code", "year"], ignore_index=True)
    wide["suspect_jump"] = _spikes(wide, ["total_revenue_idr_bn", "own_revenue_idr_bn"])
    n = int(wide["suspect_jump"].sum())
    if n:
        import warnings

        shown = ", ".join(
            f"{r.name} {r.year}" for r in wide[wide["suspect_jump"]].head(6).itertuples()
        )
        warnings.warn(
            f"{n} region-years of the fiscal data jump by more than a factor "
            f"{SPIKE_FACTOR:g} against both neighbouring years ({shown}...); they are "
            "kept as published and flagged in 'suspect_jump'",
            stacklevel=user_stacklevel(),
        )
    return wide


#: A value more than this factor above (or below) both neighbouring years is flagged
#: as a suspect jump by :func:`fiscal_frame`.
SPIKE_FACTOR = 2.0


def _spikes(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """True where a column is SPIKE_FACTOR above, or below, both neighbouring years.

    Only years with both neighbours are judged: the first and last years, and
    the 2000 -> 2001 step (fiscal year 2000 had nine months and decentralisation
    began in 2001), are not flagged.
    """
    flag = pd.Series(False, index=frame.index)
    g = frame.groupby("bps_code")
    for col in columns:
        v = frame[col].where(frame[col] > 0)
        logs = []
        for shift in (1, -1):
            nb = g[col].shift(shift).where(lambda x: x > 0)
            same = g["year"].shift(shift) == frame["year"] - shift
            logs.append(np.log(v / nb).where(same))
        lim = np.log(SPIKE_FACTOR)
        up = (logs[0] > lim) & (logs[1] > lim)
        down = (logs[0] < -lim) & (logs[1] < -lim)
        flag |= (up | down) & (frame["year"] > 2001)
    return flag
