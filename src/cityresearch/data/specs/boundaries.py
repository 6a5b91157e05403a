"""Boundaries of kab/kota and provinces: cahyadsn/wilayah_boundaries (MIT).

The SQL dumps store ``(kode, nama, lat, lng, path)`` with ``path`` nested
JSON of **[lat, lng]** pairs; shapes are turned into (lon, lat), EPSG:4326.
About 124 kab/kota shapes are invalid as shipped (nested shells,
self-intersections) and are repaired with ``make_valid(method="structure")``,
which keeps their area (largest change 0.04%); ``buffer(0)`` would not.
Province shapes are the union of their kab/kota, so provinces and kab/kota
agree exactly; the separately simplified province polygons of the source
overlap them by 95-99.8% (``shipped_iou``).

These frames are keyed by the source's Kemendagri codes only; the join with
the region registry is :func:`cityresearch.regions.boundaries`.
"""

from __future__ import annotations

from cityresearch.data._parsers import parse_boundaries_sql, repair
from cityresearch.data._spec import Column, Dataset

_KAB = "cahyadsn/wilayah_boundaries/*/db/kab/*.sql"
_PROV = "cahyadsn/wilayah_boundaries/*/db/prov/*.sql"
_COVERAGE = "514 kab/kota and 38 provinces per Kepmendagri 300.2.2-2430/2025"
_CAVEATS = (
    "simplified polygons, each simplified alone, so neighbours overlap or leave "
    "slivers slightly; about 124 kab/kota shapes invalid as shipped, repaired with "
    "make_valid(method='structure') (area change at most 0.04%)"
)

_NAMES = (
    Column("kode", "str", "", "Kemendagri 2025 code, NN.NN (kab/kota) or NN (province)"),
    Column("nama", "str", "", "name as in the source"),
    Column("lat", "float", "degrees", "label point latitude"),
    Column("lng", "float", "degrees", "label point longitude"),
)


def _names(paths, deps):
    return parse_boundaries_sql(paths, geometry=False)


def _kabkota(paths, deps):
    import geopandas as gpd

    raw = parse_boundaries_sql(paths)
    raw["geometry"] = repair(raw["geometry"].to_numpy())
    raw = raw.sort_values("kode", ignore_index=True)
    return gpd.GeoDataFrame(raw[["kode", "nama", "geometry"]], geometry="geometry", crs="EPSG:4326")


def _provinsi(paths, deps):
    import geopandas as gpd
    import numpy as np
    import shapely

    kab = deps["boundaries_kabkota"]
    shipped = parse_boundaries_sql(paths)
    shipped_geom = dict(zip(shipped["kode"], repair(shipped["geometry"].to_numpy()), strict=True))
    names = dict(zip(shipped["kode"], shipped["nama"], strict=True))
    prov_of = kab["kode"].str[:2]
    codes = sorted(set(prov_of) | set(shipped["kode"]))
    geoms, ious = [], []
    for code in codes:
        u = shapely.union_all(kab.geometry[prov_of == code].to_numpy())
        if u.geom_type == "Polygon":
            u = shapely.MultiPolygon([u])
        geoms.append(u)
        s = shipped_geom.get(code)
        ious.append(
            np.nan
            if s is None
            else shapely.area(shapely.intersection(s, u)) / shapely.area(shapely.union(s, u))
        )
    frame = {"kode": codes, "nama": [names.get(c) for c in codes], "shipped_iou": ious}
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


DATASETS = [
    Dataset(
        name="boundary_names_kabkota",
        title="Kab/kota codes, names and label points",
        kind="boundaries",
        files=(_KAB,),
        parse=_names,
        schema=_NAMES,
        version=1,
        coverage="514 kab/kota, Kemendagri 2025 codes",
        caveats="no shapes: fast to load",
    ),
    Dataset(
        name="boundary_names_provinsi",
        title="Province codes, names and label points",
        kind="boundaries",
        files=(_PROV,),
        parse=_names,
        schema=_NAMES,
        version=1,
        coverage="38 provinces, Kemendagri 2025 codes",
        caveats="no shapes: fast to load",
    ),
    Dataset(
        name="boundaries_kabkota",
        title="Kab/kota boundaries (repaired)",
        kind="boundaries",
        files=(_KAB,),
        parse=_kabkota,
        geo=True,
        version=1,
        schema=(
            Column("kode", "str", "", "Kemendagri 2025 code NN.NN"),
            Column("nama", "str", "", "name as in the source"),
            Column("geometry", "geometry", "EPSG:4326 lon/lat degrees", "MultiPolygon"),
        ),
        coverage=_COVERAGE,
        caveats=_CAVEATS,
    ),
    Dataset(
        name="boundaries_provinsi",
        title="Province boundaries (union of their kab/kota)",
        kind="boundaries",
        files=(_PROV,),
        parse=_provinsi,
        geo=True,
        version=1,
        depends_on=("boundaries_kabkota",),
        schema=(
            Column("kode", "str", "", "Kemendagri 2025 province code NN"),
            Column("nama", "str", "", "name as in the source"),
            Column(
                "shipped_iou",
                "float",
                "ratio 0-1",
                "intersection over union of the source's own province polygon and "
                "the union of its kab/kota",
            ),
            Column(
                "geometry",
                "geometry",
                "EPSG:4326 lon/lat degrees",
                "MultiPolygon, union of the province's kab/kota",
            ),
        ),
        coverage=_COVERAGE,
        caveats="the source's separately simplified province polygons overlap the unions "
        "by 95-99.8% (shipped_iou)",
    ),
]
