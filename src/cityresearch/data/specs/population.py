"""Registered population 2025 by Kemendagri code: cahyadsn/wilayah (MIT).

``db/wilayah_penduduk.sql``: MySQL INSERTs ``(kode, nama, pria, wanita,
total)`` for Indonesia, the 38 provinces and the 514 kab/kota, codes per
Kepmendagri 300.2.2-2138/2025 (38-province layout, after the 2022 Papua
split). The counts are civil-registry (Dukcapil) population, not BPS
projections: they count registered residents, and differ from BPS figures.
Convert codes to BPS with :func:`cityresearch.regions.convert_codes`.
"""

from __future__ import annotations

import re

import pandas as pd

from cityresearch._errors import MalformedFileError
from cityresearch.data._spec import Column, Dataset

_ROW = re.compile(
    r"^\('(?P<kode>[0-9.]+)','(?P<nama>(?:[^'\\]|\\.|'')*)',"
    r"'(?P<pria>\d+)','(?P<wanita>\d+)','(?P<total>\d+)'\)[,;]"
)
_LEVEL = {1: "national", 2: "provinsi", 5: "kabkota"}


def parse_population_sql(path) -> pd.DataFrame:
    """Parse wilayah_penduduk.sql into one row per area.

    Parameters
    ----------
    path : pathlib.Path
        The verified local file.

    Returns
    -------
    pandas.DataFrame
        Columns of the ``population_kabkota_2025`` schema.

    Raises
    ------
    MalformedFileError
        A row that does not parse, a code of unexpected length, male + female
        not equal to the total, or a code twice.
    """
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.startswith("('"):
                continue
            m = _ROW.match(line)
            if m is None:
                raise MalformedFileError(
                    f"{path.name}, line {n}: not a (kode, nama, pria, "
                    f"wanita, total) row: {line[:80]!r}"
                )
            kode = m["kode"]
            level = _LEVEL.get(len(kode))
            if level is None:
                raise MalformedFileError(f"{path.name}, line {n}: code {kode!r} is not NN or NN.NN")
            male, female, total = int(m["pria"]), int(m["wanita"]), int(m["total"])
            if male + female != total:
                raise MalformedFileError(
                    f"{path.name}, line {n}: {kode} male {male} + female {female} != total {total}"
                )
            rows.append((kode, m["nama"].replace("''", "'"), level, male, female, total))
    df = pd.DataFrame(
        rows, columns=["kemendagri_code", "name", "level", "pop_male", "pop_female", "pop"]
    )
    if df["kemendagri_code"].duplicated().any():
        dup = df.loc[df["kemendagri_code"].duplicated(), "kemendagri_code"].iloc[0]
        raise MalformedFileError(f"{path.name}: code {dup} twice")
    for c in ("pop_male", "pop_female", "pop"):
        df[c] = df[c].astype("int64")
    return df


def _parse(paths, deps):
    return parse_population_sql(paths[0])


DATASETS = [
    Dataset(
        name="population_kabkota_2025",
        title="Registered population 2025 (Dukcapil), Indonesia, 38 provinces, 514 kab/kota",
        kind="population_kabkota_2025",
        files=("cahyadsn/wilayah/*/db/wilayah_penduduk.sql",),
        parse=_parse,
        version=1,
        schema=(
            Column(
                "kemendagri_code",
                "str",
                "",
                "Kemendagri 2025 code: '0' (Indonesia), NN (province) or NN.NN (kab/kota)",
            ),
            Column("name", "str"),
            Column("level", "str", "", "national / provinsi / kabkota"),
            Column("pop_male", "int", "persons"),
            Column("pop_female", "int", "persons"),
            Column("pop", "int", "persons", "registered population, 2025"),
        ),
        coverage="Indonesia, 38 provinces and 514 kab/kota, 2025 (284,973,643 persons)",
        caveats="civil-registry (Dukcapil) counts, not BPS projections; Kemendagri codes, "
        "38-province layout",
    ),
]
