"""Poverty rate (P0) of the 514 kab/kota 2010-2018: quarcs-lab thesis repository (CC BY-NC-SA 4.0).

``data/poverty.csv`` of quarcs-lab/tutorial-distribution-dynamics--Master-s-
Thesis-Cani-Chapter-2: BPS poverty headcount rate (% of population below the
poverty line) by BPS code. The licence is stated in the repository's README
(no LICENSE file): **non-commercial use, share alike**; it is carried into
:func:`cityresearch.data.specs` (``licence_note``) and must appear with
every figure or table built on these data.

Two corrections on load:

- one corrupted code: ``911`` is Manokwari Selatan, BPS ``9111`` (the row's
  name; the crosswalk has no other candidate): ``code_corrected``;
- regions created in 2012-2014 carry values for years before BPS published
  any (author back-casts): values of years before the region existed, by the
  BPS code history (``code_history``: the region exists in the first
  semester of the year, 2010 S2 for 2010), are masked to missing
  (``masked``; the file's value stays in ``value_source_pct``). 63 values of
  17 regions are masked, e.g. Pangandaran (3218) before 2013, Buton Tengah
  (7414) before 2015.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cityresearch._errors import MalformedFileError
from cityresearch.data._parsers import _number, _read_csv_rows
from cityresearch.data._spec import Column, Dataset

#: Corrupted codes of the file and the BPS code they stand for (evidence: the
#: row's name, Manokwari Selatan, is BPS 9111 in the code crosswalk).
CODE_FIXES = {"911": "9111"}

LICENCE_NOTE = (
    "CC BY-NC-SA 4.0: non-commercial use only, share alike; cite the source "
    "and show this licence with every figure or table"
)


def existence_by_year(history: pd.DataFrame, years) -> pd.DataFrame:
    """Whether each 2018 region existed in each year, from the BPS code history.

    A region exists in year ``Y`` when it exists in the first semester of
    ``Y`` (2010: the second semester, the first one recorded).

    Parameters
    ----------
    history : pandas.DataFrame
        The ``code_history`` dataset.
    years : iterable of int

    Returns
    -------
    pandas.DataFrame
        Index ``bps_code``, one boolean column per year.
    """
    out = {}
    for y in years:
        sub = history[(history["year"] == y) & (history["semester"] > 0)]
        first = sub.groupby("bps_code")["semester"].transform("min") == sub["semester"]
        out[y] = sub[first].set_index("bps_code")["exists"]
    return pd.DataFrame(out)


def parse_poverty(path, history: pd.DataFrame) -> pd.DataFrame:
    """Parse poverty.csv into a long frame, fixing codes and masking pre-formation years.

    Parameters
    ----------
    path : pathlib.Path
        The verified local file.
    history : pandas.DataFrame
        The ``code_history`` dataset.

    Returns
    -------
    pandas.DataFrame
        Columns of the ``poverty_kabkota`` schema.

    Raises
    ------
    MalformedFileError
        A code that is neither 4 digits nor a known corruption, a code twice,
        or a code missing from the BPS code history.
    """
    header, rows = _read_csv_rows(path)
    years = [int(h[3:]) for h in header if re.fullmatch(r"pov\d{4}", h)]
    recs = []
    seen = set()
    for n, r in rows:
        rec = dict(zip(header, r, strict=True))
        raw = rec["Code"].strip()
        code = CODE_FIXES.get(raw, raw)
        if not re.fullmatch(r"\d{4}", code):
            raise MalformedFileError(f"{path.name}, line {n}: Code {raw!r} is not a BPS code")
        if code in seen:
            raise MalformedFileError(f"{path.name}, line {n}: code {code} twice")
        seen.add(code)
        for y in years:
            recs.append(
                (
                    code,
                    rec["District"].strip(),
                    y,
                    _number(rec[f"pov{y}"], path, n, f"pov{y}"),
                    code != raw,
                )
            )
    df = pd.DataFrame(
        recs, columns=["bps_code", "district", "year", "value_source_pct", "code_corrected"]
    )
    exists = existence_by_year(history, years)
    unknown = sorted(set(df["bps_code"]) - set(exists.index))
    if unknown:
        raise MalformedFileError(
            f"{path.name}: codes not in the BPS code history: {', '.join(unknown[:10])}"
        )
    alive = exists.stack()
    alive.index.names = ["bps_code", "year"]
    ok = pd.MultiIndex.from_frame(df[["bps_code", "year"]]).map(alive.to_dict())
    df["masked"] = ~np.asarray(ok, dtype=bool) & df["value_source_pct"].notna().to_numpy()
    df["poverty_rate_pct"] = df["value_source_pct"].where(~df["masked"])
    cols = [
        "bps_code",
        "district",
        "year",
        "poverty_rate_pct",
        "value_source_pct",
        "masked",
        "code_corrected",
    ]
    return df[cols].sort_values(["bps_code", "year"], ignore_index=True)


def _parse(paths, deps):
    return parse_poverty(paths[0], deps["code_history"])


DATASETS = [
    Dataset(
        name="poverty_kabkota",
        title="Poverty rate (P0) of the 514 kab/kota 2010-2018",
        kind="poverty_kabkota",
        files=("*/data/poverty.csv",),
        parse=_parse,
        version=1,
        depends_on=("code_history",),
        schema=(
            Column("bps_code", "str", "", "BPS code (2017-2018); 911 corrected to 9111"),
            Column("district", "str", "", "name as in the source"),
            Column("year", "int", "year"),
            Column(
                "poverty_rate_pct",
                "float",
                "% of population",
                "poverty headcount rate; missing before the region existed",
            ),
            Column("value_source_pct", "float", "% of population", "the file's value"),
            Column(
                "masked",
                "bool",
                "",
                "the file's value precedes the region's formation and was set to missing",
            ),
            Column("code_corrected", "bool", "", "the file's code was corrupted (911)"),
        ),
        coverage="514 kab/kota x 2010-2018: 4,563 region-year values after masking the 63 "
        "values that precede the formation of 17 regions formed 2012-2014",
        caveats="author back-casts for regions formed 2012-2014 are masked using the BPS "
        "code history; one corrupted code (911 = 9111) fixed; Buton Tengah and Buton "
        "Selatan (formed 2014) keep a 2015 value near their back-cast series (20.7, "
        "18.6) that drops to about 13.7 in 2016: use 2015 with caution",
        licence_note=LICENCE_NOTE,
    ),
]
