"""Map geometry (private): one clean polygonal coverage of the 514 kab/kota.

The source polygons (cahyadsn/wilayah_boundaries) were simplified one by one,
so neighbours overlap or leave slivers, and simplifying them again one by one
opens more. Here the whole coverage is processed at once, in the map
projection (metres):

1. ``shapely.coverage_clean`` snaps shared edges together, gives each overlap
   to the smaller of the two regions (``merge_strategy="min_area"``: the
   source's Kabupaten Sorong still contains the 5,010 km2 that became
   Kabupaten Tambrauw, and 389 km2 of Maybrat) and merges gaps narrower than
   :data:`GAP_WIDTH_M` into the neighbour with the longest shared border.
2. The remaining holes (nine, 15-794 km2, all in Papua) are kept as
   :func:`gaps`: land that no kab/kota polygon of the source covers. Kab/kota
   maps draw them as a stated "no kab/kota boundary in source" class; the
   province layer includes them in the province with the longest border
   along the hole (the source's province polygons cover them the same way).
3. ``shapely.coverage_simplify`` simplifies the clean coverage for national
   maps; shared edges stay shared.
4. Provinces are the coverage union of their kab/kota, and the line layer
   (:func:`lines`) holds each edge once: between two kab/kota of one province,
   between two provinces, and the coast (edges with a polygon on one side only).

Everything is cached on disk (GeoParquet) keyed by the boundary files' hashes.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cityresearch._errors import ValidationError

CRS = "+proj=laea +lat_0=-2 +lon_0=118 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
#: Gaps between neighbours narrower than this (metres) are merged into a neighbour.
GAP_WIDTH_M = 2500
#: Coverage simplification tolerance (metres) for national maps.
SIMPLIFY_TOLERANCE_M = 1500
VERSION = "c4"


def _hashes():
    """Cache key inputs: the boundary datasets' keys, the region registry's key
    (the layers carry registry columns) and this module's settings."""
    from cityresearch import data, regions

    return [
        data.cache_key("boundaries_kabkota"),
        data.cache_key("boundaries_provinsi"),
        regions.registry_key(),
        VERSION,
        str(GAP_WIDTH_M),
        str(SIMPLIFY_TOLERANCE_M),
    ]


@lru_cache(maxsize=2)
def clean_kabkota():
    """The 514 kab/kota as a clean coverage, full detail, projected (cached)."""
    from cityresearch import data
    from cityresearch._cache import cached_frame

    def build():
        import shapely

        gdf = data.load_boundaries("kabkota").to_crs(CRS)
        geoms = shapely.coverage_clean(
            gdf.geometry.to_numpy(), gap_width=GAP_WIDTH_M, merge_strategy="min_area"
        )
        out = gdf.set_geometry(geoms, crs=CRS)
        out["source_area_km2"] = shapely.area(gdf.geometry.to_numpy()) / 1e6
        return out

    return cached_frame("maplayer-clean-kabkota", _hashes(), build, geo=True)


@lru_cache(maxsize=4)
def layer(level: str, simplified: bool):
    """Projected kab/kota or province polygons of the clean coverage."""
    from cityresearch import data
    from cityresearch._cache import cached_frame

    if level not in ("kabkota", "provinsi"):
        raise ValidationError(f"level must be 'kabkota' or 'provinsi', not {level!r}")
    if level == "kabkota" and not simplified:
        return clean_kabkota()

    def build():
        import shapely

        if level == "kabkota":
            kab = clean_kabkota()
            geoms = shapely.coverage_simplify(kab.geometry.to_numpy(), SIMPLIFY_TOLERANCE_M)
            return kab.set_geometry(geoms, crs=CRS)
        kab = layer("kabkota", simplified)
        prov = data.load_boundaries("provinsi").drop(columns="geometry")
        codes = kab["prov_kemendagri_code"].to_numpy()
        kb = shapely.boundary(kab.geometry.to_numpy())
        extra = {c: [] for c in prov["prov_kemendagri_code"]}
        for hole in gaps(simplified).geometry:
            # the province with the longest border along the hole (agrees with
            # the source's own province polygons for all nine holes)
            shared = shapely.length(shapely.intersection(kb, hole.boundary))
            extra[codes[int(np.argmax(shared))]].append(hole)
        geoms = [
            shapely.coverage_union_all([*kab.geometry[codes == c].to_numpy(), *extra[c]])
            for c in prov["prov_kemendagri_code"]
        ]
        import geopandas as gpd

        return gpd.GeoDataFrame(prov, geometry=geoms, crs=CRS)

    name = f"maplayer-{level}-{'simple' if simplified else 'full'}"
    return cached_frame(name, _hashes(), build, geo=True)


def _shared_edges(geoms):
    """Edges shared by two polygons of a coverage: list of (i, j, lines)."""
    import shapely

    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    b = shapely.boundary(geoms)
    shared = shapely.intersection(b[i], b[j])
    # keep the linear part (touching at a point is not an edge)
    lines = [
        shapely.line_merge(
            shapely.union_all(
                [p for p in shapely.get_parts(s) if p.geom_type in ("LineString", "LinearRing")]
            )
        )
        if not s.is_empty
        else s
        for s in shared
    ]
    return i, j, lines


@lru_cache(maxsize=2)
def lines(simplified: bool):
    """The boundary lines, each edge once.

    Columns ``kind`` ("kabkota": between two kab/kota of one province,
    "provinsi": between two provinces, "coast": the outer edge of the
    coverage, including the edges of :func:`gaps`) and ``geometry``.
    """
    from cityresearch._cache import cached_frame

    def build():
        import geopandas as gpd
        import shapely

        kab = layer("kabkota", simplified)
        geoms = kab.geometry.to_numpy()
        prov = kab["prov_kemendagri_code"].to_numpy()
        i, j, shared = _shared_edges(geoms)
        same = prov[i] == prov[j]
        inner = shapely.union_all(
            [s for s, k in zip(shared, same, strict=True) if k and not s.is_empty]
        )
        between = shapely.union_all(
            [s for s, k in zip(shared, same, strict=True) if not k and not s.is_empty]
        )
        coast = shapely.boundary(shapely.coverage_union_all(geoms))
        rows = [
            ("kabkota", shapely.line_merge(inner)),
            ("provinsi", shapely.line_merge(between)),
            ("coast", coast),
        ]
        return gpd.GeoDataFrame(
            {"kind": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs=CRS
        )

    name = f"maplayer-lines-{'simple' if simplified else 'full'}"
    return cached_frame(name, _hashes(), build, geo=True)


@lru_cache(maxsize=2)
def province_lines(simplified: bool):
    """Lines of province maps: ``kind`` "provinsi" (between two provinces) and
    "coast" (the outer edge), each edge once."""
    from cityresearch._cache import cached_frame

    def build():
        import geopandas as gpd
        import shapely

        geoms = layer("provinsi", simplified).geometry.to_numpy()
        _, _, shared = _shared_edges(geoms)
        between = shapely.union_all([s for s in shared if not s.is_empty])
        coast = shapely.boundary(shapely.coverage_union_all(geoms))
        return gpd.GeoDataFrame(
            {"kind": ["provinsi", "coast"]}, geometry=[shapely.line_merge(between), coast], crs=CRS
        )

    name = f"maplayer-provlines-{'simple' if simplified else 'full'}"
    return cached_frame(name, _hashes(), build, geo=True)


@lru_cache(maxsize=2)
def gaps(simplified: bool):
    """Land enclosed by the coverage that no kab/kota polygon covers.

    Columns ``area_km2``, ``neighbours`` (names of the kab/kota around it,
    ``"; "``-separated), ``provinces`` and ``geometry``.
    """
    from cityresearch._cache import cached_frame

    def build():
        import geopandas as gpd
        import pandas as pd
        import shapely

        kab = layer("kabkota", simplified)
        union = shapely.coverage_union_all(kab.geometry.to_numpy())
        holes = [shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors]
        rows = []
        for h in holes:
            near = kab[kab.intersects(h.buffer(50))]
            rows.append(
                {
                    "area_km2": h.area / 1e6,
                    "neighbours": "; ".join(near["name"]),
                    "provinces": "; ".join(pd.unique(near["province"])),
                }
            )
        frame = pd.DataFrame(rows, columns=["area_km2", "neighbours", "provinces"])
        return (
            gpd.GeoDataFrame(frame, geometry=holes, crs=CRS)
            .sort_values("area_km2", ascending=False)
            .reset_index(drop=True)
        )

    name = f"maplayer-gaps-{'simple' if simplified else 'full'}"
    return cached_frame(name, _hashes(), build, geo=True)


def coverage_defects(geoms) -> tuple[float, float]:
    """Total overlap and total sliver area (km2) between neighbouring polygons.

    Overlap: the summed area where two polygons intersect. Slivers: holes of
    the union smaller than 10 km2 (narrow gaps between neighbours; the large
    holes are :func:`gaps`, kept on purpose).
    """
    import shapely

    geoms = np.asarray(geoms)
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    keep = i < j
    overlap = float(shapely.area(shapely.intersection(geoms[i[keep]], geoms[j[keep]])).sum())
    union = shapely.union_all(geoms)
    holes = [shapely.Polygon(r).area for p in shapely.get_parts(union) for r in p.interiors]
    slivers = float(sum(a for a in holes if a < 10e6))
    return overlap / 1e6, slivers / 1e6
