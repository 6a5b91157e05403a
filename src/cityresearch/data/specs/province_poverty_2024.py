"""Province poverty 2024 by semester: a BPS statistics-table export (BPS terms of use).

``data/raw/poverty/Jumlah dan Persentase Penduduk Miskin Menurut Provinsi,
2024.csv`` of akbaralqahri/Kemiskinan-Indonesia: for 38 provinces and
Indonesia, the poverty line (IDR per capita per month), the number of poor
(thousand persons) and the poverty rate (% of population), in March and in
September 2024. ``...`` in the file (BPS: not available; the three new Papua
provinces in September) becomes missing, never zero.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from cityresearch._errors import MalformedFileError
from cityresearch.data._spec import Column, Dataset

_MEASURES = {
    "Garis Kemiskinan": "poverty_line_idr_month",
    "Jumlah Penduduk Miskin": "poor_k_persons",
    "Persentase Penduduk Miskin": "poverty_rate_pct",
}
_SEMESTERS = {"Maret": "march", "September": "september"}


def parse_province_poverty(paths, deps) -> pd.DataFrame:  # noqa: ARG001
    """Parse the BPS province poverty export into one row per province and semester.

    Parameters
    ----------
    paths : list of pathlib.Path
        The verified local file (one).
    deps : dict
        Unused (no dependencies).

    Returns
    -------
    pandas.DataFrame
        ``province``, ``level`` (``provinsi`` or ``national``), ``year``,
        ``semester``, ``poverty_line_idr_month``, ``poor_k_persons``,
        ``poverty_rate_pct``; ``...`` cells are missing.

    Raises
    ------
    MalformedFileError
        A header that is not "<measure> - <Maret|September>", or a cell that is
        neither a number nor ``...`` (the message names the line and column).
    """
    (path,) = paths
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    cols = []
    for name in header[1:]:
        measure, _, rest = name.partition(" - ")
        semester = rest.split(" ")[0]
        if measure not in _MEASURES or semester not in _SEMESTERS:
            raise MalformedFileError(
                f"{path.name}: header {name!r} is not '<measure> - <Maret|September>' with a "
                f"measure in {sorted(_MEASURES)}; is this the BPS province poverty export?"
            )
        cols.append((_MEASURES[measure], _SEMESTERS[semester]))
    records: dict[tuple[str, str], dict] = {}
    for line, row in enumerate(body, start=2):
        province = row[0].strip()
        for (measure, semester), cell in zip(cols, row[1:], strict=True):
            cell = cell.strip()
            if cell == "...":
                value = np.nan
            else:
                try:
                    value = float(cell)
                except ValueError:
                    raise MalformedFileError(
                        f"{path.name}, line {line}, column {measure} ({semester}): {cell!r} is "
                        "neither a number nor '...'"
                    ) from None
            rec = records.setdefault(
                (province, semester),
                {
                    "province": province,
                    "level": "national" if province == "Indonesia" else "provinsi",
                    "year": 2024,
                    "semester": semester,
                },
            )
            rec[measure] = value
    out = pd.DataFrame(list(records.values()))
    return out[[c.name for c in SCHEMA]].astype({"year": "int64"})


SCHEMA = (
    Column("province", "str", "", "province name as BPS writes it (Indonesia: the national row)"),
    Column("level", "str", "", "'provinsi' or 'national'"),
    Column("year", "int", "calendar year"),
    Column("semester", "str", "", "'march' or 'september' (Susenas round)"),
    Column("poverty_line_idr_month", "float", "IDR per capita per month"),
    Column("poor_k_persons", "float", "thousand persons"),
    Column("poverty_rate_pct", "float", "% of population"),
)

DATASETS = [
    Dataset(
        name="province_poverty_2024",
        title="Poverty line, number and rate of the poor by province, March and September 2024",
        kind="bps_export_fixture",
        files=("akbaralqahri/Kemiskinan-Indonesia/*/data/raw/poverty/*2024.csv",),
        parse=parse_province_poverty,
        schema=SCHEMA,
        coverage="38 provinces and Indonesia, March and September 2024",
        caveats="'...' (not available) in September for Papua Selatan, Papua Tengah and Papua "
        "Pegunungan is missing; a BPS table export committed to a repository without licence "
        "(BPS terms of use: reuse with attribution)",
    )
]
