"""Get, verify, cache and parse cityresearch's external data.

Every external file is pinned in a registry (URL under
``https://raw.githubusercontent.com/``, SHA-256, licence, citation) shipped with
the package. :func:`fetch` downloads a file with pooch into the user cache
(``CITYRESEARCH_CACHE``), or copies it from an offline mirror
(``CITYRESEARCH_DATA_MIRROR``), and verifies its hash; see
:mod:`cityresearch.settings`. The ``load_*`` functions parse the raw files into
tidy frames and keep the parsed result as Parquet/GeoParquet in the cache, so a
second call is fast.

Datasets (``kind`` in the registry)
-----------------------------------
boundaries
    cahyadsn/wilayah_boundaries (MIT): 514 kabupaten/kota and 38 provinces per
    Kepmendagri 300.2.2-2430/2025, simplified polygons, EPSG:4326.
codes
    englandrc/IndonesiaCrosswalk (licence unstated; compiled from BPS
    bridging-kode tables): BPS <-> Kemendagri codes 2017, code history 1961-2018.
grdp
    quarcs-lab/data-indonesia-regional-zenodo (CC BY 4.0, doi:10.5281/zenodo.4428102):
    district GRDP at constant 2010 prices, population, GRDP per capita 2000-2019;
    province GRDP per capita 1983-2019.
grdp_pc
    quarcs-lab/indonesia514 (MIT): district GRDP per capita 2000-2024.
reference
    d2cml-ai/csdid (MIT): the ``mpdta`` panel and R ``did`` 2.5.0 results, used to
    validate the staggered difference-in-differences estimator.

Units are in column names: ``grdp_idr_bn`` (IDR billion, constant 2010
prices), ``grdp_pc_idr_k`` (IDR thousand per person, constant 2010 prices),
``pop`` (persons).

This module does not interpolate, deflate or rebase anything: values are the
sources' own. The latest two years of any BPS release are provisional
(angka sementara / sangat sementara), and QuaRCS interpolated some years.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cityresearch import _fetch
from cityresearch._cache import cached_frame
from cityresearch._errors import DataUnavailableError, ValidationError

__all__ = [
    "fetch",
    "fetch_all",
    "status",
    "sources",
    "load_boundaries",
    "load_boundary_names",
    "load_code_crosswalk",
    "load_district_panel",
    "load_district_panel_2017",
    "load_grdp_per_capita",
    "panel_inconsistencies",
    "load_province_grdp_per_capita",
    "load_smart_city_cohorts",
    "load_mpdta",
    "load_did_reference",
    "load_did_reference_data",
]

_BOUNDARY_DIRS = {"kabkota": "/db/kab/", "provinsi": "/db/prov/"}
_FILES = {
    "crosswalk": "englandrc/IndonesiaCrosswalk/1a556d225306a7bdcddce7b0fd4d27bdf8f5fe88/csv/crosswalk_kabupaten.csv",
    "districts": "quarcs-lab/data-indonesia-regional-zenodo/23ca2a4fb109fb9e786142588e066bf7d2b63688/economic-data/GRDP_PerCapita_Indonesia_Districts.csv",
    "provinces": "quarcs-lab/data-indonesia-regional-zenodo/23ca2a4fb109fb9e786142588e066bf7d2b63688/economic-data/GRDP_PerCapita_Indonesia_Provinces.csv",
    "districts_2017": "quarcs-lab/data-indonesia-regional-zenodo/c3ae42cc09d442e56a130fb78c06b86134cd1b9d/economic-data-until-2017/GRDP_PerCapita_Indonesia_Districts_until_2017.csv",
    "grdp_pc": "quarcs-lab/indonesia514/e2c0e6dbfb2487a2c03748f1ec11ee567fb72499/gdp/gdp_pc.csv",
    "mpdta": "d2cml-ai/csdid/ca91c1fef4974bde0d973d7f4195328414130c92/csdid/data/mpdta.csv",
    "ref_attgt": "d2cml-ai/csdid/ca91c1fef4974bde0d973d7f4195328414130c92/csdid/test_csdid/r_ref/ref_attgt.csv",
    "ref_aggte": "d2cml-ai/csdid/ca91c1fef4974bde0d973d7f4195328414130c92/csdid/test_csdid/r_ref/ref_aggte.csv",
}

#: Folder of the curated tables kept in the repository (``data/``).
CURATED_DIR = Path(__file__).resolve().parents[2] / "data"


def fetch(name: str, *, progressbar: bool = False) -> list[Path]:
    """Return local, hash-verified paths of a dataset's files.

    Parameters
    ----------
    name : str
        A dataset kind (``"boundaries"``, ``"codes"``, ``"grdp"``, ``"grdp_pc"``,
        ``"reference"``), a registry key, or the end of a file path
        (``"gdp/gdp_pc.csv"``).
    progressbar : bool
        Show a download progress bar (tqdm).

    Raises
    ------
    DatasetNotFoundError
        The name is not in the registry.
    HashMismatchError
        A downloaded or mirrored file has the wrong SHA-256; it is not kept.
    DataUnavailableError
        Not cached, not mirrored, and no download possible (offline).
    """
    return [_fetch.fetch_file(r, progressbar=progressbar) for r in _fetch.find(name)]


def fetch_all(*, progressbar: bool = True) -> list[Path]:
    """Fetch and verify every file in the registry (what ``cityresearch data fetch`` does)."""
    records = list(_fetch.registry().values())
    if progressbar:
        from tqdm.auto import tqdm

        records = tqdm(records, desc="cityresearch data", unit="file")
    return [_fetch.fetch_file(r) for r in records]


def status() -> pd.DataFrame:
    """Return one row per registered file: kind, path, bytes, licence, whether it
    is cached and whether the cached copy's SHA-256 is the pinned one."""
    rows = []
    for r in _fetch.registry().values():
        cached = _fetch.cached_path(r).is_file()
        rows.append({
            "kind": r.kind, "repo": r.repo, "path": r.path, "bytes": r.bytes,
            "license": r.license, "cached": cached,
            "verified": cached and _fetch.is_verified(r), "sha256": r.sha256,
        })
    return pd.DataFrame(rows)


def sources(kinds: list[str] | None = None) -> pd.DataFrame:
    """Return the licence and citation of each dataset kind (for captions and reports)."""
    rows = {}
    for r in _fetch.registry().values():
        if kinds is None or r.kind in kinds:
            rows.setdefault(r.kind, {"kind": r.kind, "repo": r.repo, "license": r.license,
                                     "citation": r.citation})
    return pd.DataFrame(list(rows.values()))


def _records(*keys: str):
    reg = _fetch.registry()
    return [reg[k] for k in keys]


def _boundary_records(level: str):
    if level not in _BOUNDARY_DIRS:
        raise ValidationError(f"level must be 'kabkota' or 'provinsi', not {level!r}")
    return [r for r in _fetch.registry().values()
            if r.kind == "boundaries" and _BOUNDARY_DIRS[level] in r.key]


def load_boundary_names(level: str = "kabkota") -> pd.DataFrame:
    """Return codes, names and label points of the boundary files, without shapes.

    Columns: ``kode`` (Kemendagri 2025, ``NN.NN`` or ``NN``), ``nama``, ``lat``,
    ``lng`` (degrees).
    """
    from cityresearch._parsers import parse_boundaries_sql

    recs = _boundary_records(level)

    def build():
        paths = [_fetch.fetch_file(r) for r in recs]
        return parse_boundaries_sql(paths, geometry=False)

    return cached_frame(f"names-{level}", [r.sha256 for r in recs], build)


def load_code_crosswalk() -> pd.DataFrame:
    """Return the BPS (2017 S2) <-> Kemendagri (2017) crosswalk of the 514 kab/kota.

    Columns: ``bps_code``, ``kemendagri_2017_code`` (``NN.NN``, trailing zeros
    restored), ``nama_bps``, ``nama_dagri``.
    """
    from cityresearch._parsers import parse_crosswalk

    (rec,) = _records(_FILES["crosswalk"])
    return cached_frame("crosswalk", [rec.sha256],
                        lambda: parse_crosswalk(_fetch.fetch_file(rec)))


def load_boundaries(level: str = "kabkota"):
    """Return the boundaries of the 514 kabupaten/kota or the 38 provinces.

    Parameters
    ----------
    level : {"kabkota", "provinsi"}

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 (lon/lat degrees). For ``"kabkota"``: the columns of
        :func:`cityresearch.regions.region_table` plus ``geometry``
        (MultiPolygon). For ``"provinsi"``: ``prov_kemendagri_code``,
        ``province``, ``prov_bps_2017_code``, ``n_kabkota``, ``island_group``,
        ``shipped_iou`` and ``geometry``.

    Notes
    -----
    The SQL dumps store ``[lat, lng]``; they are turned into (lon, lat). About
    124 kab/kota shapes are invalid as shipped (nested shells,
    self-intersections) and are repaired with ``make_valid(method="structure")``,
    which keeps their area (largest change 0.04%); ``buffer(0)`` would not.
    Province shapes are the union of their kab/kota, so provinces and kab/kota
    agree exactly; the separately simplified province polygons of the source
    overlap them by 95-99.8% (``shipped_iou``). Neighbouring kab/kota overlap
    or leave slivers slightly, because each polygon was simplified alone.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    from cityresearch import regions
    from cityresearch._parsers import parse_boundaries_sql, repair

    if level not in _BOUNDARY_DIRS:
        raise ValidationError(f"level must be 'kabkota' or 'provinsi', not {level!r}")
    prov_recs = _boundary_records("provinsi")
    kab_recs = _boundary_records("kabkota")
    if level == "kabkota":
        def build():
            raw = parse_boundaries_sql([_fetch.fetch_file(r) for r in kab_recs])
            raw["geometry"] = repair(raw["geometry"].to_numpy())
            table = regions.region_table()
            geo = raw[["kode", "geometry"]].rename(columns={"kode": "kemendagri_code"})
            out = table.merge(geo, on="kemendagri_code", how="left")
            return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")

        return cached_frame("boundaries-kabkota", [r.sha256 for r in kab_recs] + ["k1"],
                            build, geo=True)
    def build_prov():
        kab = load_boundaries("kabkota")
        shipped = parse_boundaries_sql([_fetch.fetch_file(r) for r in prov_recs])
        shipped_geom = dict(zip(shipped["kode"], repair(shipped["geometry"].to_numpy())))
        table = regions.province_table()
        geoms, ious = [], []
        for code in table["prov_kemendagri_code"]:
            parts = kab.geometry[kab["prov_kemendagri_code"] == code].to_numpy()
            u = shapely.union_all(parts)
            if u.geom_type == "Polygon":
                u = shapely.MultiPolygon([u])
            geoms.append(u)
            s = shipped_geom.get(code)
            ious.append(np.nan if s is None else
                        shapely.area(shapely.intersection(s, u)) / shapely.area(shapely.union(s, u)))
        table["shipped_iou"] = ious
        return gpd.GeoDataFrame(table, geometry=geoms, crs="EPSG:4326")

    return cached_frame("boundaries-provinsi",
                        [r.sha256 for r in kab_recs + prov_recs] + ["p1"], build_prov, geo=True)


def load_district_panel() -> pd.DataFrame:
    """Return the 514-district panel 2000-2019 in long format.

    Columns: ``bps_code``, ``year``, ``grdp_idr_bn`` (GRDP at constant 2010
    prices, IDR billion), ``pop`` (persons), ``grdp_pc_idr_k`` (GRDP per capita,
    IDR thousand), ``district_type`` (the source's Regency / City / Capital City),
    ``corrected`` (True where a known labelling error of the source was
    corrected, see below).

    Source: QuaRCS lab, doi:10.5281/zenodo.4428102 (CC BY 4.0), from BPS.
    Caveats: values are interpolated for some years; 2018-2019 were provisional
    in the BPS release used; population is BPS projection. The source labels
    Karanganyar (3313) and Karangasem (5107) with each other's code in most
    years; this is corrected on load (``corrected``; evidence in
    ``cityresearch._parsers.SWAPPED_CODES``). :func:`panel_inconsistencies`
    lists rows where GRDP / population and GRDP per capita disagree.
    """
    from cityresearch._parsers import parse_quarcs_districts

    (rec,) = _records(_FILES["districts"])
    return cached_frame("district-panel", [rec.sha256],
                        lambda: parse_quarcs_districts(_fetch.fetch_file(rec)))


def load_district_panel_2017() -> pd.DataFrame:
    """Return the 514-district panel 2000-2017 of the QuaRCS ``until_2017`` release.

    This is the file behind Aginta, Gunawan and Mendez (2021), "Regional income
    disparities and convergence clubs in Indonesia", *Journal of the Asia
    Pacific Economy* 27(1), doi:10.1080/13547860.2020.1868107; use it to
    reproduce published results. For new work prefer
    :func:`load_district_panel` (2000-2019) or :func:`load_grdp_per_capita`
    (2000-2024).

    Returns
    -------
    DataFrame
        Long format, one row per district and year: ``bps_code``, ``year``,
        ``grdp_idr_bn`` (GRDP at constant 2010 prices, IDR billion), ``pop``
        (persons, BPS projection), ``grdp_pc_idr_k`` (GRDP per capita, IDR
        thousand, constant 2010 prices), ``district_type`` (the source's
        Regency / City / Capital City), ``province_en`` and ``region`` (the
        source's English province name and its seven island regions),
        ``name`` (the source's district name) and ``corrected`` (True for
        the two rows whose code was corrected, see Notes).

    Raises
    ------
    MalformedFileError
        A code that is not four digits, a duplicated code, or a missing
        column in the file.

    Notes
    -----
    Source: QuaRCS lab, doi:10.5281/zenodo.4428102 (CC BY 4.0), from BPS;
    2016 and 2017 were provisional in the BPS release used, and some years are
    interpolated. As in the 2000-2019 file, the row named Karanganyar (Central
    Java) carries code 5107 and the row named Karangasem (Bali) carries 3313;
    name, province and every value belong to the named regency (with the codes
    exchanged back, both series match :func:`load_district_panel` within
    0.1%), so the codes are exchanged on load and ``corrected`` is True for
    those two districts. Every other district matches the 2000-2019 file's
    GRDP per capita within 0.1% in every year.

    Examples
    --------
    >>> panel = load_district_panel_2017()  # doctest: +SKIP
    >>> panel["bps_code"].nunique(), panel["year"].min(), panel["year"].max()  # doctest: +SKIP
    (514, 2000, 2017)
    """
    from cityresearch._errors import MalformedFileError

    (rec,) = _records(_FILES["districts_2017"])

    def build():
        path = _fetch.fetch_file(rec)
        raw = pd.read_csv(path, dtype={"KDJ": str})
        need = ["District_name", "Province", "Region", "KDJ", "Regency_City"]
        missing = [c for c in need if c not in raw.columns]
        if missing:
            raise MalformedFileError(f"{path.name}: columns {missing} are missing")
        code = raw["KDJ"].str.strip()
        bad = raw.loc[~code.str.fullmatch(r"\d{4}"), "KDJ"]
        if len(bad):
            raise MalformedFileError(
                f"{path.name}: KDJ {bad.iloc[0]!r} (line {bad.index[0] + 2}) is not a BPS code")
        if code.duplicated().any():
            raise MalformedFileError(f"{path.name}: code {code[code.duplicated()].iloc[0]} twice")
        # the two regencies whose codes the source exchanged (see Notes)
        name = raw["District_name"].str.strip()
        prov = raw["Province"].str.strip()
        fix = {("Karanganyar", "Central Java"): "3313", ("Karangasem", "Bali"): "5107"}
        corrected = pd.Series(False, index=raw.index)
        for (n, p), c in fix.items():
            hit = (name == n) & (prov == p)
            if hit.sum() == 1 and code[hit].iloc[0] != c:
                code[hit] = c
                corrected |= hit
        raw["bps_code"], raw["corrected"] = code, corrected
        rows = []
        for y in range(2000, 2018):
            cols = {f"POP{y}": "pop", f"RGDP{y}": "grdp_idr_bn", f"RGDPPC{y}": "grdp_pc_idr_k"}
            absent = [c for c in cols if c not in raw.columns]
            if absent:
                raise MalformedFileError(f"{path.name}: columns {absent} are missing")
            part = raw[["bps_code", *cols]].rename(columns=cols)
            part.insert(1, "year", y)
            rows.append(part)
        long = pd.concat(rows, ignore_index=True)
        meta = raw.set_index("bps_code")
        long["district_type"] = long["bps_code"].map(meta["Regency_City"].str.strip())
        long["province_en"] = long["bps_code"].map(prov.set_axis(meta.index))
        long["region"] = long["bps_code"].map(meta["Region"].str.strip())
        long["name"] = long["bps_code"].map(name.set_axis(meta.index))
        long["corrected"] = long["bps_code"].map(meta["corrected"])
        cols = ["bps_code", "year", "grdp_idr_bn", "pop", "grdp_pc_idr_k", "district_type",
                "province_en", "region", "name", "corrected"]
        return long[cols].sort_values(["bps_code", "year"], ignore_index=True)

    return cached_frame("district-panel-2017", [rec.sha256, "v1"], build)


def panel_inconsistencies(panel: pd.DataFrame | None = None, *, rtol: float = 0.02) -> pd.DataFrame:
    """Return district-years where ``grdp_idr_bn * 1e6 / pop`` and
    ``grdp_pc_idr_k`` differ by more than ``rtol`` (relative).

    The source rounds GRDP to IDR 1 billion, so small regions differ by up
    to about 1% legitimately. Column ``rel_diff`` is implied / reported - 1.
    """
    if panel is None:
        panel = load_district_panel()
    implied = panel["grdp_idr_bn"] * 1e6 / panel["pop"]
    out = panel.assign(grdp_pc_implied_idr_k=implied,
                       rel_diff=implied / panel["grdp_pc_idr_k"] - 1)
    return out[out["rel_diff"].abs() > rtol].reset_index(drop=True)


def load_grdp_per_capita() -> pd.DataFrame:
    """Return GRDP per capita of the 514 districts, 2000-2024, long format.

    Columns: ``bps_code`` (BPS 2017-2018, as in every other table),
    ``bps_code_source`` (the code in the file, post-2022 BPS codes for the
    four new Papua provinces), ``year``, ``grdp_pc_idr_k``
    (IDR thousand per person, constant 2010 prices). Source: QuaRCS lab,
    indonesia514 (MIT), from BPS; the latest two years are provisional.

    In the 37 rows of the (old) Papua and Papua Barat provinces, the file's
    codes and names are shifted against its values: the row labelled "9601
    Mimika" holds the series of Pegunungan Bintang (BPS 9417), for example
    (Mimika's GRDP per capita is about 50 times larger). Each row is therefore
    keyed by its values: its 2000-2016 series must equal one district's series
    in the QuaRCS district panel (mean relative difference under 2%, the next
    closest at least five times further; all 514 rows match, 477 of them their
    own code); the file's own code is kept in
    ``bps_code_source``. A row that matches no district, or two, raises
    :class:`ValidationError`.
    """
    import numpy as np

    from cityresearch._parsers import parse_indonesia514

    (rec,) = _records(_FILES["grdp_pc"])
    (panel_rec,) = _records(_FILES["districts"])

    def build():
        raw = parse_indonesia514(_fetch.fetch_file(rec))
        ref = load_district_panel().pivot(index="bps_code", columns="year",
                                          values="grdp_pc_idr_k").loc[:, 2000:2016]
        mine = raw.pivot(index="bps_code", columns="year", values="grdp_pc_idr_k")[ref.columns]
        mapping = {}
        for code, series in mine.iterrows():
            dist = np.nanmean(np.abs(ref.to_numpy() / series.to_numpy() - 1), axis=1)
            best, second = np.sort(dist)[:2]
            closest = ref.index[np.argmin(dist)]
            if closest != code and not (best < 0.002 and second > 10 * best):
                raise ValidationError(
                    f"indonesia514 row {code} is closest to district {closest} ({best:.2%}) "
                    "but not clearly enough to re-key it; report this data problem")
            mapping[code] = closest
        if len(set(mapping.values())) != len(mapping):
            raise ValidationError("indonesia514 rows map to the same district twice")
        raw["bps_code_source"] = raw["bps_code"]
        raw["bps_code"] = raw["bps_code"].map(mapping)
        return raw[["bps_code", "bps_code_source", "year", "grdp_pc_idr_k"]].sort_values(
            ["bps_code", "year"], ignore_index=True)

    return cached_frame("grdp-pc-2024", [rec.sha256, panel_rec.sha256], build)


def load_province_grdp_per_capita() -> pd.DataFrame:
    """Return GRDP per capita of the 34 provinces (2017 scheme), 1983-2019.

    Columns: ``prov_bps_code``, ``province_en``, ``year``, ``grdp_pc_idr_k``
    (IDR thousand per person, constant 2010 prices; earlier years back-cast by
    the source). Source: QuaRCS lab, doi:10.5281/zenodo.4428102 (CC BY 4.0).
    """
    from cityresearch._parsers import parse_quarcs_provinces

    (rec,) = _records(_FILES["provinces"])
    return cached_frame("province-grdp-pc", [rec.sha256],
                        lambda: parse_quarcs_provinces(_fetch.fetch_file(rec)))


def load_smart_city_cohorts() -> pd.DataFrame:
    """Return the "Gerakan Menuju 100 Smart City" participants, one row per region.

    Curated in ``data/smart_city_cohorts.csv`` from news pages of the MoU
    signings (see ``data/README.md``). Columns: ``bps_code``,
    ``kemendagri_code``, ``name``, ``type``, ``province``, ``cohort_year`` (the
    year used as treatment year), ``listed_years`` (every cohort list naming the
    region, ``;``-separated), ``source_url``, ``note``.

    Kota Depok and Kabupaten Banyumas appear in both the 2018 and the 2019
    lists. Rule: the cohort year is the first MoU actually signed. Depok's 2018
    selection was cancelled before signing and it signed in 2019 (biznisku.id),
    so Depok is 2019; Banyumas signed with the 2018 cohort, so it is 2018. The
    result: 98 regions, 25 in 2017, 49 in 2018, 24 in 2019 by ``cohort_year``
    (25/50/25 by listing).
    """
    path = CURATED_DIR / "smart_city_cohorts.csv"
    if not path.is_file():
        raise DataUnavailableError(
            f"{path} is missing: the curated tables ship in the repository's data/ "
            "folder; install cityresearch from a clone with `pip install -e .`."
        )
    return pd.read_csv(path, dtype={"bps_code": str, "kemendagri_code": str})


def load_mpdta() -> pd.DataFrame:
    """Return the ``mpdta`` county panel (Callaway and Sant'Anna 2021): ``year``,
    ``countyreal``, ``lpop``, ``lemp`` (log teen employment), ``first_treat``,
    ``treat``. Source: d2cml-ai/csdid (MIT), from R ``did``."""
    (rec,) = _records(_FILES["mpdta"])
    return pd.read_csv(_fetch.fetch_file(rec))


_DID_REFERENCES = {
    "attgt": "test_csdid/r_ref/ref_attgt.csv",
    "aggte": "test_csdid/r_ref/ref_aggte.csv",
    "pretest": "test_csdid/r_ref/ref_pretest.csv",
    "gaps": "test_csdid/r_ref/sim/ref_gaps.csv",
    "sim": "test_csdid/r_ref/sim/ref_sim.csv",
    "fixweights": "test_csdid/r_ref/ref_fixweights.csv",
}
_DID_REFERENCE_DATA = {
    "mpdta": "csdid/data/mpdta.csv",
    "sim_data": "csdid/data/sim_data.csv",
    "mpdta_extra": "test_csdid/r_ref/sim/mpdta_extra.csv",
    "mpdta_tvw": "test_csdid/r_ref/mpdta_tvw.csv",
    **{k: f"test_csdid/r_ref/sim/{k}.csv"
       for k in ("tp2_const", "tp4_const", "tp4_dyn", "tp5_dyn", "tp8_dyn", "tp10_const")},
}


def load_did_reference(which: str = "attgt") -> pd.DataFrame:
    """Return R ``did`` 2.5.0 reference results (d2cml-ai/csdid, MIT).

    Parameters
    ----------
    which : str
        ``"attgt"``, ``"aggte"``, ``"pretest"`` (scenarios on mpdta and
        sim_data, ``generate_reference.R``), ``"gaps"`` (repeated
        cross-sections, universal base period, anticipation, sampling weights,
        clustered SEs on ``mpdta_extra``, ``generate_gaps_reference.R``),
        ``"sim"`` (simulated panels ``tp*``, ``generate_sim_reference.R``),
        ``"fixweights"`` (time-varying weights, ``generate_fixweights_reference.R``).

    Returns
    -------
    DataFrame
        The file as published (columns ``scenario``/``dataset``, ``group``,
        ``t``, ``att``, ``se`` and so on).

    Raises
    ------
    ValidationError
        Unknown ``which``.
    """
    if which not in _DID_REFERENCES:
        raise ValidationError(f"which must be one of {sorted(_DID_REFERENCES)}, not {which!r}")
    (path,) = fetch(_DID_REFERENCES[which])
    return pd.read_csv(path)


def load_did_reference_data(name: str) -> pd.DataFrame:
    """Return an input data set of the R ``did`` reference scenarios (d2cml-ai/csdid, MIT).

    Parameters
    ----------
    name : str
        ``"mpdta"``, ``"sim_data"``, ``"mpdta_extra"`` (mpdta with weights
        ``wt`` and clusters ``clust``), ``"mpdta_tvw"`` (time-varying weights)
        or a simulated panel ``"tp2_const"``, ``"tp4_const"``, ``"tp4_dyn"``,
        ``"tp5_dyn"``, ``"tp8_dyn"``, ``"tp10_const"``.

    Returns
    -------
    DataFrame

    Raises
    ------
    ValidationError
        Unknown ``name``.
    """
    if name not in _DID_REFERENCE_DATA:
        raise ValidationError(f"name must be one of {sorted(_DID_REFERENCE_DATA)}, not {name!r}")
    (path,) = fetch(_DID_REFERENCE_DATA[name])
    return pd.read_csv(path)
