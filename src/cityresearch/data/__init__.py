"""Get, verify, cache and parse cityresearch's data: one declarative spec per dataset.

Every external file is pinned in one file table: explicit URL, SHA-256, size,
licence, citation. A dataset's spec declares its files itself
(:class:`~cityresearch.data._spec.PinnedFile`); the files pinned before
that are rows of ``_resources/registry.csv``; both are merged.
:func:`fetch` copies a file from an offline mirror (``CITYRESEARCH_DATA_MIRROR``)
or downloads it with pooch into the user cache (``CITYRESEARCH_CACHE``) and
verifies its hash; see :mod:`cityresearch.settings`. Curated tables ship inside
the package and are hash-listed the same way (``_resources/curated.csv``).

Each dataset is a :class:`~cityresearch.data._spec.Dataset` spec in
:mod:`cityresearch.data.specs`: its files, parser, schema (columns, dtypes,
units), version and dependencies. :func:`load` parses a dataset into a tidy,
*source-shaped* frame (the source's codes, values in the units of the
schema) and keeps it as (Geo)Parquet in the cache under a key derived from
the spec's version, its files' hashes and its dependencies' keys, so a
second call is fast and never stale. :func:`datasets` lists them.

This module does not join datasets to the region registry, interpolate,
deflate or rebase anything: :mod:`cityresearch.regions` joins codes and
names, :mod:`cityresearch.panels` assembles analysis frames. The ``load_*``
functions are the names of earlier versions, kept as thin aliases
(``load_boundaries`` returns the registry-joined boundaries of
:func:`cityresearch.regions.boundaries`).

Units are in column names or the schema: ``grdp_idr_bn`` (IDR billion,
constant 2010 prices), ``grdp_pc_idr_k`` (IDR thousand per person, constant
2010 prices), ``pop`` (persons), ``poverty_rate_pct`` (% of population).
The latest two years of any BPS release are provisional.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from cityresearch._errors import ValidationError
from cityresearch.data import _fetch, _spec
from cityresearch.data._cache import cached_frame, load_or_build  # noqa: F401 (re-export)
from cityresearch.data._spec import Column, Dataset, PinnedFile  # noqa: F401 (re-export)

__all__ = [
    "cache_key",
    "credit",
    "datasets",
    "fetch",
    "fetch_all",
    "load",
    "load_boundaries",
    "load_boundary_names",
    "load_code_crosswalk",
    "load_code_history",
    "load_did_reference",
    "load_did_reference_data",
    "load_district_panel",
    "load_district_panel_2017",
    "load_fiscal_revenue_java",
    "load_grdp_per_capita",
    "load_mpdta",
    "load_population_2025",
    "load_poverty",
    "load_province_grdp_per_capita",
    "load_service_quality",
    "load_smart_city_cohorts",
    "panel_inconsistencies",
    "sources",
    "spec",
    "status",
]

#: Folder of the curated tables shipped in the package (hash-listed in
#: ``_resources/curated.csv``; read them with :func:`load`).
CURATED_DIR = _spec.curated_path("smart_city_cohorts.csv").parent


def load(name: str) -> Any:  # a DataFrame, GeoDataFrame or dict of paths (see Returns)
    """Return a dataset parsed into a tidy frame (or, file-only, its verified paths).

    Parameters
    ----------
    name : str
        A dataset name from :func:`datasets`, e.g. ``"district_panel"`` or
        ``"poverty_kabkota"``.

    Returns
    -------
    pandas.DataFrame, geopandas.GeoDataFrame or dict of str to pathlib.Path
        The parsed frame with the columns of the spec's schema; for
        file-only datasets (fixtures, reference scenarios) a dict from each
        file's path within its source repository to its verified local path.

    Raises
    ------
    DatasetNotFoundError
        No dataset has that name.
    HashMismatchError
        A file differs from its pinned SHA-256.
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    MalformedFileError
        A file cannot be parsed (the message names file and line).

    Warns
    -----
    CacheWarning
        A corrupt parsed cache entry was rebuilt, or the cache is read-only.

    Examples
    --------
    >>> from cityresearch import data
    >>> panel = data.load("district_panel")  # doctest: +SKIP
    >>> sorted(panel.columns)[:3]  # doctest: +SKIP
    ['bps_code', 'corrected', 'district_type']
    """
    spec_ = _spec.get(name)
    if spec_.file_only:
        if spec_.kind == "curated":
            return {f: p for f, p in zip(spec_.files, _spec.local_paths(spec_), strict=True)}
        return {r.path: _fetch.fetch_file(r) for r in _spec.records(spec_)}

    def build():
        paths = _spec.local_paths(spec_)
        deps = {d: load(d) for d in spec_.depends_on}
        frame = spec_.parse(paths, deps)
        _spec.check_schema(spec_, frame)
        return frame

    if not spec_.cache:
        return build()
    inputs = dict(_spec.input_hashes(spec_))
    inputs.update({f"dataset:{d}": _spec.cache_key(d) for d in spec_.depends_on})
    inputs["version"] = str(spec_.version)
    return load_or_build(name, _spec.cache_key(name), inputs, build, geo=spec_.geo)


def spec(name: str) -> Dataset:
    """Return the declarative spec of a dataset (files, parser, schema, version, dependencies).

    Parameters
    ----------
    name : str
        A dataset name from :func:`datasets`.

    Returns
    -------
    Dataset
        The frozen spec: ``files``, ``parse``, ``schema`` (columns with
        dtypes and units), ``version``, ``depends_on``, ``coverage``,
        ``caveats``, ``licence_note``.

    Raises
    ------
    DatasetNotFoundError
        No dataset has that name.

    Examples
    --------
    >>> from cityresearch import data
    >>> s = data.spec("poverty_kabkota")
    >>> s.kind, [c.unit for c in s.schema if c.name == "poverty_rate_pct"]
    ('poverty_kabkota', ['% of population'])
    """
    return _spec.get(name)


def cache_key(name: str) -> str:
    """Return the cache key of a dataset: a hash of its spec version, files and dependencies.

    Parameters
    ----------
    name : str
        A dataset name.

    Returns
    -------
    str
        16 hex digits. Code that caches something computed from a dataset
        (a map layer, a join) includes this key in its own.

    Raises
    ------
    DatasetNotFoundError
        No dataset has that name.

    Examples
    --------
    >>> from cityresearch import data
    >>> key = data.cache_key("district_panel")
    >>> len(key), key == data.cache_key("district_panel")
    (16, True)
    """
    return _spec.cache_key(name)


def datasets() -> pd.DataFrame:
    """List every dataset.

    Returns
    -------
    pandas.DataFrame
        One row per dataset: ``name``, ``title``, ``kind`` (source),
        ``license``, ``file_only``, ``geo``, ``n_files``, ``version``,
        ``depends_on`` (comma-separated), ``columns`` (comma-separated),
        ``coverage``.

    Raises
    ------
    DatasetNotFoundError
        A spec names files that are not pinned (a packaging error).

    Examples
    --------
    >>> from cityresearch import data
    >>> "poverty_kabkota" in set(data.datasets()["name"])
    True
    """
    rows = []
    for s in _spec.all_specs().values():
        rows.append(
            {
                "name": s.name,
                "title": s.title,
                "kind": s.kind,
                "license": _licence(s),
                "file_only": s.file_only,
                "geo": s.geo,
                "n_files": len(s.files) if s.kind == "curated" else len(_spec.records(s)),
                "version": s.version,
                "depends_on": ", ".join(s.depends_on),
                "columns": ", ".join(c.name for c in s.schema),
                "coverage": s.coverage,
            }
        )
    return pd.DataFrame(rows)


def _licence(s: Dataset) -> str:
    if s.kind == "curated":
        return s.licence
    return _spec.records(s)[0].license


def _citation(s: Dataset) -> str:
    if s.kind == "curated":
        return s.citation
    return _spec.records(s)[0].citation


def fetch(name: str, *, progressbar: bool = False) -> list[Path]:
    """Return local, hash-verified paths of a dataset's files.

    Parameters
    ----------
    name : str
        A dataset name (``"poverty_kabkota"``), a source kind (``"boundaries"``,
        ``"codes"``, ``"grdp"``, ``"grdp_pc"``, ``"reference"`` ...), a file key,
        or the end of a file path (``"gdp/gdp_pc.csv"``).
    progressbar : bool
        Show a download progress bar (tqdm).

    Returns
    -------
    list of pathlib.Path
        One verified local path per file, in key order (curated tables: the
        path inside the installed package).

    Raises
    ------
    DatasetNotFoundError
        The name is not in the registry.
    HashMismatchError
        A downloaded or mirrored file has the wrong SHA-256; it is not kept.
    DataUnavailableError
        Not cached, not mirrored, and no download possible (offline).

    Examples
    --------
    >>> from cityresearch import data
    >>> (path,) = data.fetch("gdp/gdp_pc.csv")  # doctest: +SKIP
    >>> path.name  # doctest: +SKIP
    'gdp_pc.csv'
    """
    specs = _spec.all_specs()
    if name in specs and name not in _fetch.kinds():
        s = specs[name]
        if s.kind == "curated":
            return _spec.local_paths(s)
        return [_fetch.fetch_file(r, progressbar=progressbar) for r in _spec.records(s)]
    return [_fetch.fetch_file(r, progressbar=progressbar) for r in _fetch.find(name)]


def fetch_all(*, progressbar: bool = True) -> list[Path]:
    """Fetch and verify every file in the registry (what ``cityresearch data fetch`` does).

    Parameters
    ----------
    progressbar : bool
        Show a progress bar over files.

    Returns
    -------
    list of pathlib.Path
        Verified local paths, one per registered file.

    Raises
    ------
    HashMismatchError, DataUnavailableError
        As :func:`fetch`.

    Examples
    --------
    >>> from cityresearch import data
    >>> paths = data.fetch_all(progressbar=False)  # doctest: +SKIP
    >>> len(paths) == len(data.status().query("kind != 'curated'"))  # doctest: +SKIP
    True
    """
    records = list(_fetch.registry().values())
    if progressbar:
        from tqdm.auto import tqdm

        records = tqdm(records, desc="cityresearch data", unit="file")
    return [_fetch.fetch_file(r) for r in records]


def status() -> pd.DataFrame:
    """Return one row per pinned file and per curated table.

    Returns
    -------
    pandas.DataFrame
        ``kind``, ``repo``, ``path``, ``bytes``, ``license``, ``cached``
        (present locally; curated tables are always present in the package),
        ``verified`` (the local copy has the pinned SHA-256), ``sha256``.

    Examples
    --------
    >>> from cityresearch import data
    >>> st = data.status()
    >>> list(st.columns)
    ['kind', 'repo', 'path', 'bytes', 'license', 'cached', 'verified', 'sha256']
    >>> bool(st.loc[st["kind"] == "curated", "verified"].all())
    True
    """
    rows = []
    for r in _fetch.registry().values():
        cached = _fetch.cached_path(r).is_file()
        rows.append(
            {
                "kind": r.kind,
                "repo": r.repo,
                "path": r.path,
                "bytes": r.bytes,
                "license": r.license,
                "cached": cached,
                "verified": cached and _fetch.is_verified(r),
                "sha256": r.sha256,
            }
        )
    for file, row in _spec.curated_table().items():
        path = _spec.curated_path(file)
        present = path.is_file()
        rows.append(
            {
                "kind": "curated",
                "repo": "cityresearch (package data)",
                "path": f"curated/{file}",
                "bytes": int(row["bytes"]),
                "license": _spec.curated_spec(file).licence,
                "cached": present,
                "verified": present and _fetch._sha256(path) == row["sha256"],
                "sha256": row["sha256"],
            }
        )
    return pd.DataFrame(rows)


def sources(kinds: list[str] | None = None) -> pd.DataFrame:
    """Return the licence and citation of each source (for captions and reports).

    Parameters
    ----------
    kinds : list of str, optional
        Source kinds (``"grdp"``, ``"poverty_kabkota"``, ``"curated"``) or
        dataset names (``"district_panel"``); default all.

    Returns
    -------
    pandas.DataFrame
        One row per source: ``kind``, ``repo``, ``license``, ``citation``,
        ``licence_note`` (terms to repeat wherever the data are shown, such as
        "non-commercial use only"; empty when none) and ``datasets``.

    Raises
    ------
    DatasetNotFoundError
        A name that is neither a source kind nor a dataset.

    Examples
    --------
    >>> from cityresearch import data
    >>> src = data.sources(["poverty_kabkota"])
    >>> src["license"].item().split(" ")[0]
    'CC-BY-NC-SA-4.0'
    >>> src["datasets"].item()
    'poverty_kabkota'
    """
    specs = _spec.all_specs()
    wanted = None
    if kinds is not None:
        if isinstance(kinds, str):
            kinds = [kinds]
        known = set(_fetch.kinds()) | {"curated"}
        wanted = set()
        for k in kinds:
            if k in known:
                wanted.add(k)
            else:
                wanted.add(_spec.get(k).kind)
    rows: dict[str, dict] = {}
    for r in _fetch.registry().values():
        if wanted is None or r.kind in wanted:
            rows.setdefault(
                r.kind,
                {"kind": r.kind, "repo": r.repo, "license": r.license, "citation": r.citation},
            )
    if wanted is None or "curated" in wanted:
        for s in specs.values():
            if s.kind == "curated":
                rows[f"curated:{s.name}"] = {
                    "kind": "curated",
                    "repo": "cityresearch",
                    "license": _licence(s),
                    "citation": _citation(s),
                }
    for row in rows.values():
        mine = [
            s
            for s in specs.values()
            if s.kind == row["kind"] and (s.kind != "curated" or _citation(s) == row["citation"])
        ]
        row["licence_note"] = "; ".join(sorted({s.licence_note for s in mine if s.licence_note}))
        row["datasets"] = ", ".join(s.name for s in mine)
    return pd.DataFrame(
        list(rows.values()),
        columns=["kind", "repo", "license", "citation", "licence_note", "datasets"],
    )


def credit(*names: str) -> str:
    """One line crediting datasets, for figure captions and tables.

    Parameters
    ----------
    *names : str
        Dataset names or source kinds.

    Returns
    -------
    str
        ``"<citation> (<licence>[; <terms>])"`` per source, joined by ``"; "``:
        the terms (e.g. non-commercial use only) are never left out.

    Raises
    ------
    DatasetNotFoundError
        An unknown name.

    Examples
    --------
    >>> from cityresearch import data
    >>> "non-commercial" in data.credit("poverty_kabkota")
    True
    """
    src = sources(list(names))
    parts = []
    for r in src.itertuples():
        terms = f"; {r.licence_note}" if r.licence_note else ""
        parts.append(f"{r.citation} ({r.license}{terms})")
    return "; ".join(parts)


# ---------------------------------------------------------------------------
# The names of earlier versions: thin aliases of load(name)


def _level(level: str) -> str:
    if level not in ("kabkota", "provinsi"):
        raise ValidationError(f"level must be 'kabkota' or 'provinsi', not {level!r}")
    return level


def load_boundary_names(level: str = "kabkota") -> pd.DataFrame:
    """Return codes, names and label points of the boundary files, without shapes.

    Alias of ``load("boundary_names_kabkota")`` / ``load("boundary_names_provinsi")``.

    Parameters
    ----------
    level : {"kabkota", "provinsi"}

    Returns
    -------
    pandas.DataFrame
        ``kode`` (Kemendagri 2025, ``NN.NN`` or ``NN``), ``nama``, ``lat``,
        ``lng`` (degrees).

    Raises
    ------
    ValidationError
        Unknown level.
    DataUnavailableError, HashMismatchError
        As :func:`load`.

    Examples
    --------
    >>> from cityresearch import data
    >>> names = data.load_boundary_names("provinsi")  # doctest: +SKIP
    >>> len(names)  # doctest: +SKIP
    38
    """
    return load(f"boundary_names_{_level(level)}")


def load_boundaries(level: str = "kabkota") -> Any:  # geopandas.GeoDataFrame
    """Return the boundaries of the 514 kabupaten/kota or the 38 provinces, with registry columns.

    Alias of :func:`cityresearch.regions.boundaries` (the join with the region
    registry is done there, in memory, so a registry change is never served
    stale from a cache). See :mod:`cityresearch.data.specs.boundaries` for
    how shapes are repaired.

    Parameters
    ----------
    level : {"kabkota", "provinsi"}

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326. For ``"kabkota"``: the columns of
        :func:`cityresearch.regions.region_table` plus ``geometry``. For
        ``"provinsi"``: the columns of :func:`cityresearch.regions.province_table`,
        ``shipped_iou`` and ``geometry``.

    Raises
    ------
    ValidationError
        Unknown level.
    DataUnavailableError, HashMismatchError
        As :func:`load`.

    Examples
    --------
    >>> from cityresearch import data
    >>> kab = data.load_boundaries("kabkota")  # doctest: +SKIP
    >>> len(kab), kab.crs.to_epsg()  # doctest: +SKIP
    (514, 4326)
    """
    from cityresearch import regions

    return regions.boundaries(_level(level))


def load_code_crosswalk() -> pd.DataFrame:
    """Return the BPS (2017 S2) <-> Kemendagri (2017) crosswalk of the 514 kab/kota.

    Alias of ``load("code_crosswalk")``: ``bps_code``, ``kemendagri_2017_code``
    (``NN.NN``, trailing zeros restored), ``nama_bps``, ``nama_dagri``.

    Returns
    -------
    pandas.DataFrame
        One row per kab/kota (514), the four columns above.

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> cw = data.load_code_crosswalk().set_index("bps_code")  # doctest: +SKIP
    >>> cw.loc["1107", "kemendagri_2017_code"]  # Aceh Barat  # doctest: +SKIP
    '11.05'
    """
    return load("code_crosswalk")


def load_code_history() -> pd.DataFrame:
    """Return the BPS code history 1961-2018 of the 514 kab/kota.

    Alias of ``load("code_history")``.

    Returns
    -------
    pandas.DataFrame
        One row per region and period; see the spec's schema.

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> hist = data.load_code_history().set_index(["bps_code", "period"])  # doctest: +SKIP
    >>> bool(hist.loc[("3218", "2012-2"), "exists"])  # Pangandaran, formed 2012  # doctest: +SKIP
    True
    """
    return load("code_history")


def load_district_panel() -> pd.DataFrame:
    """Return the 514-district GRDP and population panel 2000-2019.

    Alias of ``load("district_panel")``.

    Returns
    -------
    pandas.DataFrame
        ``bps_code``, ``year``, ``grdp_idr_bn`` (constant 2010 prices, IDR
        billion), ``pop`` (persons), ``grdp_pc_idr_k`` (IDR thousand per
        person), ``district_type``, ``corrected`` (a known labelling error of
        the source was corrected: Karanganyar 3313 / Karangasem 5107).

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> panel = data.load_district_panel()  # doctest: +SKIP
    >>> panel["bps_code"].nunique(), int(panel["year"].max())  # doctest: +SKIP
    (514, 2019)
    """
    return load("district_panel")


def load_district_panel_2017() -> pd.DataFrame:
    """Return the 514-district panel 2000-2017 of the QuaRCS ``until_2017`` release.

    Alias of ``load("district_panel_2017")``: the file behind Aginta, Gunawan
    and Mendez (2021), "Regional income disparities and convergence clubs in
    Indonesia", *Journal of the Asia Pacific Economy* 27(1),
    doi:10.1080/13547860.2020.1868107; use it to reproduce published results.
    For new work prefer :func:`load_district_panel` (2000-2019) or
    :func:`load_grdp_per_capita` (2000-2024).

    Returns
    -------
    pandas.DataFrame
        ``bps_code``, ``year``, ``grdp_idr_bn``, ``pop``, ``grdp_pc_idr_k``,
        ``district_type``, ``province_en``, ``region``, ``name``, ``corrected``.

    Raises
    ------
    DataUnavailableError, HashMismatchError
        As :func:`load`.
    MalformedFileError
        A code that is not four digits, a duplicated code, or a missing column.

    Examples
    --------
    >>> panel = load_district_panel_2017()  # doctest: +SKIP
    >>> first, last = int(panel["year"].min()), int(panel["year"].max())  # doctest: +SKIP
    >>> panel["bps_code"].nunique(), first, last  # doctest: +SKIP
    (514, 2000, 2017)
    """
    return load("district_panel_2017")


def panel_inconsistencies(panel: pd.DataFrame | None = None, *, rtol: float = 0.02) -> pd.DataFrame:
    """Return district-years where ``grdp_idr_bn * 1e6 / pop`` and ``grdp_pc_idr_k`` disagree.

    The source rounds GRDP to IDR 1 billion, so small regions differ by up
    to about 1% legitimately.

    Parameters
    ----------
    panel : pandas.DataFrame, optional
        A frame shaped like :func:`load_district_panel` (default: that panel).
    rtol : float
        Relative tolerance.

    Returns
    -------
    pandas.DataFrame
        The rows beyond ``rtol`` with ``grdp_pc_implied_idr_k`` and
        ``rel_diff`` (implied / reported - 1).

    Raises
    ------
    DataUnavailableError, HashMismatchError
        Only without ``panel``: as :func:`load`.

    Examples
    --------
    >>> import pandas as pd
    >>> from cityresearch import data
    >>> panel = pd.DataFrame(
    ...     {"bps_code": ["1101", "1102"], "grdp_idr_bn": [1000.0, 500.0],
    ...      "pop": [100_000, 50_000], "grdp_pc_idr_k": [10_000.0, 11_000.0]}
    ... )
    >>> out = data.panel_inconsistencies(panel)  # 500e6 / 5e4 = 10,000, not 11,000
    >>> out["bps_code"].tolist(), round(out["rel_diff"].item(), 4)
    (['1102'], -0.0909)
    """
    if panel is None:
        panel = load_district_panel()
    implied = panel["grdp_idr_bn"] * 1e6 / panel["pop"]
    out = panel.assign(grdp_pc_implied_idr_k=implied, rel_diff=implied / panel["grdp_pc_idr_k"] - 1)
    return out[out["rel_diff"].abs() > rtol].reset_index(drop=True)


def load_grdp_per_capita() -> pd.DataFrame:
    """Return GRDP per capita of the 514 districts, 2000-2024.

    Alias of ``load("grdp_per_capita")``.

    Returns
    -------
    pandas.DataFrame
        ``bps_code``, ``bps_code_source`` (the file's own, shifted label in
        Papua), ``year``, ``grdp_pc_idr_k`` (IDR thousand per person, constant
        2010 prices).

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> pc = data.load_grdp_per_capita()  # doctest: +SKIP
    >>> int(pc["year"].min()), int(pc["year"].max())  # doctest: +SKIP
    (2000, 2024)
    """
    return load("grdp_per_capita")


def load_province_grdp_per_capita() -> pd.DataFrame:
    """Return GRDP per capita of the 34 provinces, 1983-2019.

    Alias of ``load("province_grdp_per_capita")``.

    Returns
    -------
    pandas.DataFrame
        ``prov_bps_code``, ``province_en``, ``year``, ``grdp_pc_idr_k``.

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> prov = data.load_province_grdp_per_capita()  # doctest: +SKIP
    >>> prov["prov_bps_code"].nunique()  # doctest: +SKIP
    34
    """
    return load("province_grdp_per_capita")


def load_smart_city_cohorts() -> pd.DataFrame:
    """Return the "Gerakan Menuju 100 Smart City" participants.

    Alias of ``load("smart_city_cohorts")``.

    Returns
    -------
    pandas.DataFrame
        One row per region (98): ``bps_code``, ``kemendagri_code``, ``name``,
        ``type``, ``province``, ``cohort_year`` (first MoU signed),
        ``listed_years``, ``source_url``, ``other_sources``, ``note``.

    Raises
    ------
    HashMismatchError
        The shipped table was edited without re-pinning its hash.

    Examples
    --------
    >>> from cityresearch import data
    >>> coh = data.load_smart_city_cohorts()
    >>> len(coh), coh["cohort_year"].value_counts().sort_index().to_dict()
    (98, {2017: 25, 2018: 49, 2019: 24})
    """
    return load("smart_city_cohorts")


def load_service_quality() -> pd.DataFrame:
    """Return the compiled public-service quality figures (alias of ``load("service_quality")``).

    Returns
    -------
    pandas.DataFrame
        One row per published figure; see :func:`cityresearch.service.load_compiled`.

    Raises
    ------
    HashMismatchError
        The shipped table was edited without re-pinning its hash.

    Examples
    --------
    >>> from cityresearch import data
    >>> sq = data.load_service_quality()
    >>> {"hijau", "kuning", "merah"} <= set(sq["zone"])
    True
    >>> int(sq["year"].min())
    2015
    """
    return load("service_quality")


def load_mpdta() -> pd.DataFrame:
    """Return the ``mpdta`` county panel of Callaway and Sant'Anna (alias of ``load("mpdta")``).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``countyreal``, ``lpop``, ``lemp`` (log teen employment),
        ``first_treat``, ``treat``.

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> mp = data.load_mpdta()  # doctest: +SKIP
    >>> len(mp), mp["countyreal"].nunique()  # doctest: +SKIP
    (2500, 500)
    """
    return load("mpdta")


#: R ``did`` reference results: the three with a parsed spec, the others read as published.
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
    **{
        k: f"test_csdid/r_ref/sim/{k}.csv"
        for k in ("tp2_const", "tp4_const", "tp4_dyn", "tp5_dyn", "tp8_dyn", "tp10_const")
    },
}


def load_did_reference(which: str = "attgt") -> pd.DataFrame:
    """Return R ``did`` 2.5.0 reference results (d2cml-ai/csdid, MIT).

    ``"attgt"``, ``"aggte"`` and ``"pretest"`` are aliases of
    ``load("did_reference_<which>")``; the others are files of the dataset
    ``did_reference_files``, read as published.

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
    pandas.DataFrame
        The file as published (columns ``scenario``/``dataset``, ``group``,
        ``t``, ``att``, ``se`` and so on).

    Raises
    ------
    ValidationError
        Unknown ``which``.
    DataUnavailableError, HashMismatchError
        As :func:`load`.

    Examples
    --------
    >>> from cityresearch import data
    >>> ref = data.load_did_reference("aggte")  # doctest: +SKIP
    >>> "overall_att" in ref.columns  # doctest: +SKIP
    True
    """
    if which not in _DID_REFERENCES:
        raise ValidationError(f"which must be one of {sorted(_DID_REFERENCES)}, not {which!r}")
    if f"did_reference_{which}" in _spec.all_specs():
        return load(f"did_reference_{which}")
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
    pandas.DataFrame
        The csv as published (``mpdta``: ``year``, ``countyreal``, ``lpop``,
        ``lemp``, ``first_treat``, ``treat``).

    Raises
    ------
    ValidationError
        Unknown ``name``.
    DataUnavailableError, HashMismatchError
        As :func:`load`.

    Examples
    --------
    >>> from cityresearch import data
    >>> extra = data.load_did_reference_data("mpdta_extra")  # doctest: +SKIP
    >>> {"wt", "clust"} <= set(extra.columns)  # doctest: +SKIP
    True
    """
    if name not in _DID_REFERENCE_DATA:
        raise ValidationError(f"name must be one of {sorted(_DID_REFERENCE_DATA)}, not {name!r}")
    (path,) = fetch(_DID_REFERENCE_DATA[name])
    return pd.read_csv(path)


def load_poverty() -> pd.DataFrame:
    """Return BPS poverty rates of the 514 kab/kota, 2010-2018.

    Alias of ``load("poverty_kabkota")``.
    Licence CC BY-NC-SA 4.0: non-commercial use, share alike; show it with
    every figure or table built on it.

    Returns
    -------
    pandas.DataFrame
        ``bps_code``, ``year``, ``poverty_rate_pct``, ``value_source_pct``,
        ``masked``; see the spec.

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> pov = data.load_poverty().set_index(["bps_code", "year"])  # doctest: +SKIP
    >>> float(pov.loc[("1101", 2010), "poverty_rate_pct"])  # Simeulue  # doctest: +SKIP
    23.61
    """
    return load("poverty_kabkota")


def load_fiscal_revenue_java() -> pd.DataFrame:
    """Return district revenue 2000-2015 of 113 Java kab/kota, long.

    Alias of ``load("fiscal_revenue_kabkota_java")``.

    Returns
    -------
    pandas.DataFrame
        World Bank codes and names, ``series_code``, ``year``, ``value_idr_bn``;
        see the spec. BPS codes and per-capita measures: :func:`cityresearch.panels.fiscal_frame`.

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> fis = data.load_fiscal_revenue_java()  # doctest: +SKIP
    >>> fis["wb_code"].nunique(), int(fis["year"].min()), int(fis["year"].max())  # doctest: +SKIP
    (113, 2000, 2015)
    """
    return load("fiscal_revenue_kabkota_java")


def load_population_2025() -> pd.DataFrame:
    """Return the 2025 registered population (Dukcapil) by Kemendagri code.

    Alias of ``load("population_kabkota_2025")``.

    Returns
    -------
    pandas.DataFrame
        ``kemendagri_code``, ``name``, ``level``, ``pop_male``, ``pop_female``, ``pop``.

    Raises
    ------
    DataUnavailableError
        A file is neither cached, nor mirrored, nor downloadable.
    HashMismatchError
        A file differs from its pinned SHA-256.

    Examples
    --------
    >>> from cityresearch import data
    >>> pop = data.load_population_2025()  # doctest: +SKIP
    >>> sorted(pop["level"].unique())  # doctest: +SKIP
    ['kabkota', 'national', 'provinsi']
    """
    return load("population_kabkota_2025")
