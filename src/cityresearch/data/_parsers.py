"""Parsers of the raw external files shared by the source specs (private).

Each parser takes local file paths (already hash-verified) and returns a tidy
pandas frame. Malformed content raises :class:`MalformedFileError` naming the
file and the line.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from cityresearch._codes import PROVINCE_EN
from cityresearch._errors import MalformedFileError

# One VALUES tuple of the wilayah_boundaries SQL dumps: (kode, nama, lat, lng, path)
_SQL_ROW = re.compile(
    r"^\s*\(\s*'(?P<kode>[0-9.]+)'\s*,\s*'(?P<nama>(?:[^'\\]|\\.|'')*)'\s*,"
    r"\s*(?P<lat>-?[0-9.eE+-]+)\s*,\s*(?P<lng>-?[0-9.eE+-]+)\s*,"
    r"\s*'(?P<path>\[[^']*\])'\s*\)\s*[,;]?\s*$"
)


def _number(text: str, path: Path, line: int, column: str) -> float:
    """Parse a number written as '18,272', ' 18,272 ', '23107' or '' (missing)."""
    s = text.strip().replace(",", "")
    if s in {"", "NA", "-", "..."}:
        return np.nan
    try:
        return float(s)
    except ValueError:
        raise MalformedFileError(
            f"{path.name}, line {line}, column {column!r}: {text!r} is not a number"
        ) from None


def parse_boundaries_sql(paths: list[Path], *, geometry: bool = True) -> pd.DataFrame:
    """Parse wilayah_boundaries SQL dumps into kode, nama, lat, lng (and geometry).

    The ``path`` field is nested JSON of **[lat, lng]** pairs, either a polygon
    (list of rings) or a multipolygon (list of polygons); it is turned into a
    shapely MultiPolygon in (lng, lat) order. Invalid shapes are *not* repaired
    here (see :func:`repair`).
    """
    import shapely

    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, start=1):
                if not line.lstrip().startswith("('"):
                    continue
                m = _SQL_ROW.match(line)
                if m is None:
                    raise MalformedFileError(
                        f"{path.name}, line {n}: not a (kode, nama, lat, lng, path) row: "
                        f"{line[:80]!r}..."
                    )
                rec = m.groupdict()
                rec["nama"] = rec["nama"].replace("\\'", "'").replace("''", "'")
                rec["lat"], rec["lng"] = float(rec["lat"]), float(rec["lng"])
                if geometry:
                    try:
                        rec["geometry"] = _multipolygon(json.loads(rec["path"]), shapely)
                    except (ValueError, IndexError, TypeError) as exc:
                        raise MalformedFileError(
                            f"{path.name}, line {n}: bad polygon for {rec['kode']}: {exc}"
                        ) from None
                del rec["path"]
                rows.append(rec)
    return pd.DataFrame(rows)


def _multipolygon(nested, shapely):
    depth, x = 0, nested
    while isinstance(x, list):
        x, depth = x[0], depth + 1
    if depth == 3:
        nested = [nested]
    elif depth != 4:
        raise ValueError(f"nesting depth {depth}, expected 3 or 4")
    polys = []
    for poly in nested:
        rings = [np.asarray(r, dtype=float)[:, ::-1] for r in poly]  # [lat, lng] -> (x, y)
        polys.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(polys)


def repair(geoms: np.ndarray) -> np.ndarray:
    """Make shapes valid with ``make_valid(method="structure")``.

    The structure method rebuilds polygons from their rings (nested shells
    are merged, self-intersections split) and keeps the area; ``buffer(0)``
    would drop parts of some shapes. Returns MultiPolygons.
    """
    import shapely

    fixed = shapely.make_valid(geoms, method="structure", keep_collapsed=False)
    out = []
    for g in fixed:
        if g.geom_type == "Polygon":
            g = shapely.MultiPolygon([g])
        elif g.geom_type == "GeometryCollection":
            parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
            g = shapely.MultiPolygon(list(shapely.get_parts(shapely.union_all(parts))))
        out.append(g)
    return np.asarray(out, dtype=object)


def _read_csv_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    for n, r in rows:
        if len(r) < len(header) - sum(1 for h in header if not h):
            raise MalformedFileError(
                f"{path.name}, line {n}: {len(r)} fields, expected {len(header)}"
            )
    return header, rows


_SERIES = {"GDP": "grdp_idr_bn", "GDP Per Capita": "grdp_pc_idr_k", "Populasi": "pop"}

# Known labelling errors of the QuaRCS district file, corrected on load.
# Karanganyar (BPS 3313, Jawa Tengah) and Karangasem (BPS 5107, Bali): the rows
# named "Karanganyar" carry KDJ 5107 and those named "Karangasem" KDJ 3313. The
# name is right for population (all years), GRDP (2000-2016) and GRDP per capita
# (2000-2017); the KDJ is right for the later cells, and the source's per-capita
# values for 2018-2019 are recomputed (they mixed the two regions). Evidence: with this
# correction GRDP / population = GRDP per capita holds in every year for both
# (before it, 2017 is off by 137% and -58%), the per-capita series agree with the
# independent indonesia514 release (Karanganyar 2017: 27,228 both), and the
# populations fit the regencies (Karanganyar ~0.87 million, Karangasem ~0.41 million).
SWAPPED_CODES: dict[tuple[str, str], dict[str, range]] = {
    ("3313", "5107"): {
        "pop": range(2000, 2020),
        "grdp_idr_bn": range(2000, 2017),
        "grdp_pc_idr_k": range(2000, 2018),
    },
}


def parse_quarcs_districts(path: Path) -> pd.DataFrame:
    """Parse GRDP_PerCapita_Indonesia_Districts.csv into a long panel.

    Returns columns ``bps_code`` (str, 4 digits), ``year``, ``grdp_idr_bn``
    (GRDP at constant 2010 prices, IDR billion), ``pop`` (persons) and
    ``grdp_pc_idr_k`` (GRDP per capita, IDR thousand), plus the source's
    ``district_type`` (Regency / City / Capital City).
    """
    header, rows = _read_csv_rows(path)
    years = [h for h in header if re.fullmatch(r"yr\d{4}", h)]
    records = []
    for n, r in rows:
        rec = dict(zip(header, r, strict=True))
        series = rec["Series"].strip()
        if series not in _SERIES:
            raise MalformedFileError(f"{path.name}, line {n}: unknown Series {series!r}")
        code = rec["KDJ"].strip()
        if not re.fullmatch(r"\d{4}", code):
            raise MalformedFileError(f"{path.name}, line {n}: KDJ {code!r} is not a BPS code")
        for y in years:
            records.append(
                (
                    code,
                    int(y[2:]),
                    _SERIES[series],
                    _number(rec[y], path, n, y),
                    rec["Regency_City"].strip(),
                )
            )
    long = pd.DataFrame(records, columns=["bps_code", "year", "series", "value", "district_type"])
    dup = long.duplicated(["bps_code", "year", "series"])
    if dup.any():
        r = long[dup].iloc[0]
        raise MalformedFileError(f"{path.name}: {r.bps_code} has series {r.series!r} twice")
    wide = long.pivot(index=["bps_code", "year"], columns="series", values="value")
    wide["corrected"] = False
    for (a, b), cells in SWAPPED_CODES.items():
        for series, span in cells.items():
            ia = [(a, y) for y in span]
            ib = [(b, y) for y in span]
            va, vb = wide.loc[ia, series].to_numpy(), wide.loc[ib, series].to_numpy()
            wide.loc[ia, series], wide.loc[ib, series] = vb, va
            wide.loc[ia + ib, "corrected"] = True
    # The source's per-capita cells for 2018-2019 of the swapped pair divide one
    # region's GRDP by the other's population; recompute them from the corrected
    # GRDP and population (indonesia514 agrees: Karanganyar 2018 28,610).
    for pair in SWAPPED_CODES:
        idx = [(c, y) for c in pair for y in (2018, 2019)]
        wide.loc[idx, "grdp_pc_idr_k"] = (
            wide.loc[idx, "grdp_idr_bn"] * 1e6 / wide.loc[idx, "pop"]
        ).round()
    wide = wide.reset_index()
    wide.columns.name = None
    types = long.drop_duplicates("bps_code").set_index("bps_code")["district_type"]
    wide["district_type"] = wide["bps_code"].map(types)
    wide = wide[
        ["bps_code", "year", "grdp_idr_bn", "pop", "grdp_pc_idr_k", "district_type", "corrected"]
    ]
    return wide.sort_values(["bps_code", "year"], ignore_index=True)


def parse_indonesia514(path: Path) -> pd.DataFrame:
    """Parse indonesia514 gdp_pc.csv (numbers like ``" 18,272 "``) into a long panel.

    Returns ``bps_code`` (as in the file: post-2022 BPS codes for the new
    Papua provinces), ``district``, ``province``, ``year``, ``grdp_pc_idr_k``
    (IDR thousand, constant 2010 prices).
    """
    header, rows = _read_csv_rows(path)
    years = [h for h in header if re.fullmatch(r"grdp_pc_\d{4}", h)]
    out = []
    for n, r in rows:
        rec = dict(zip(header, r, strict=True))
        code = rec["districtID"].strip()
        if not re.fullmatch(r"\d{4}", code):
            raise MalformedFileError(
                f"{path.name}, line {n}: districtID {code!r} is not a BPS code"
            )
        for y in years:
            out.append(
                (
                    code,
                    rec["district"].strip(),
                    rec.get("province", "").strip(),
                    int(y[-4:]),
                    _number(rec[y], path, n, y),
                )
            )
    df = pd.DataFrame(out, columns=["bps_code", "district", "province", "year", "grdp_pc_idr_k"])
    return df.sort_values(["bps_code", "year"], ignore_index=True)


_PROVINCE_EN = PROVINCE_EN  # moved to cityresearch._codes


def parse_quarcs_provinces(path: Path) -> pd.DataFrame:
    """Parse GRDP_PerCapita_Indonesia_Provinces.csv into ``prov_bps_code``,
    ``province_en``, ``year``, ``grdp_pc_idr_k`` (IDR thousand, constant 2010 prices)."""
    header, rows = _read_csv_rows(path)
    years = [h for h in header if re.fullmatch(r"yr\d{4}", h)]
    out = []
    for n, r in rows:
        rec = dict(zip(header, r, strict=True))
        name = rec["Province"].strip().upper()
        if name not in _PROVINCE_EN:
            raise MalformedFileError(f"{path.name}, line {n}: unknown province {name!r}")
        for y in years:
            out.append((_PROVINCE_EN[name], name.title(), int(y[2:]), _number(rec[y], path, n, y)))
    return pd.DataFrame(out, columns=["prov_bps_code", "province_en", "year", "grdp_pc_idr_k"])


def parse_crosswalk(path: Path) -> pd.DataFrame:
    """Parse crosswalk_kabupaten.csv: BPS (2017 S2) <-> Kemendagri (2017) codes.

    Kemendagri codes lost trailing zeros in the CSV (``11.1`` is ``11.10``);
    they are restored to ``NN.NN``.
    """
    header, rows = _read_csv_rows(path)
    out = []
    for n, r in rows:
        rec = dict(zip(header, r, strict=True))
        bps, dagri = rec["kode_bps"].strip(), rec["kode_dagri"].strip()
        m = re.fullmatch(r"(\d{2})\.(\d{1,2})", dagri)
        if not re.fullmatch(r"\d{4}", bps) or m is None:
            raise MalformedFileError(f"{path.name}, line {n}: bad codes {bps!r}, {dagri!r}")
        out.append(
            (
                bps,
                f"{m.group(1)}.{m.group(2).ljust(2, '0')}",
                rec["nama_bps"].strip(),
                rec["nama_dagri"].strip(),
            )
        )
    return pd.DataFrame(out, columns=["bps_code", "kemendagri_2017_code", "nama_bps", "nama_dagri"])
