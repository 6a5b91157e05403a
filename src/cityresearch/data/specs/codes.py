"""BPS and Kemendagri codes: englandrc/IndonesiaCrosswalk (licence unstated).

Compiled from the BPS "bridging kode" tables. ``crosswalk_kabupaten.csv``
pairs the BPS code (2017 semester 2) with the Kemendagri code (2017) of the
514 kab/kota; ``historic_kabupaten.csv`` gives, for each of the 514 regions of
2018, its BPS code and name in every census (1961-2000) and semester
(2010 S2 - 2018 S1).

Formation (pemekaran) is visible in the history: before a region was formed,
its row carries its parent's code and name, so the code is shared with the
parent's row and the name is not the region's own. ``code_history`` marks a
region as existing in a period when its code there is not shared with another
row, or its name there is its own (2018) name: Pangandaran (BPS 3218) shares
Ciamis's 3207 up to 2012 S1 and exists from 2012 S2.
"""

from __future__ import annotations

import re

import pandas as pd

from cityresearch._errors import MalformedFileError
from cityresearch.data._parsers import _read_csv_rows, parse_crosswalk
from cityresearch.data._spec import Column, Dataset

_REPO = "englandrc/IndonesiaCrosswalk/*/csv/"
_CAVEATS = (
    "licence unstated (compiled from BPS bridging-kode tables); does not cover the "
    "six Papua provinces after 2022"
)


def _crosswalk(paths, deps):
    return parse_crosswalk(paths[0])


def _name_key(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def parse_history(path) -> pd.DataFrame:
    """Parse historic_kabupaten.csv into one row per 2018 region and period.

    Parameters
    ----------
    path : pathlib.Path
        The verified local file.

    Returns
    -------
    pandas.DataFrame
        ``bps_code`` (2018), ``period`` (``"1961"`` ... ``"2000"``, then
        ``"2010-2"``, ``"2011-1"`` ... ``"2018-1"``), ``year``, ``semester``
        (0 for census years), ``code`` and ``name`` (the BPS code and name of
        the row in that period), ``exists`` (bool, see the module docstring).

    Raises
    ------
    MalformedFileError
        A code that is not 1-4 digits, or a 2018 code that appears twice.
    """
    header, rows = _read_csv_rows(path)
    periods = [h[5:] for h in header if h.startswith("kode_")]
    if not periods or periods[-1] != "20181":
        raise MalformedFileError(f"{path.name}: expected kode_<period> columns ending in 2018 S1")
    recs = []
    for n, r in rows:
        rec = dict(zip(header, r, strict=True))
        final = rec["kode_20181"].strip()
        if not re.fullmatch(r"\d{4}", final):
            raise MalformedFileError(
                f"{path.name}, line {n}: kode_20181 {final!r} is not a BPS code"
            )
        for p in periods:
            code = rec[f"kode_{p}"].strip()
            if not re.fullmatch(r"\d{1,4}", code):
                raise MalformedFileError(f"{path.name}, line {n}, column 'kode_{p}': {code!r}")
            recs.append((final, p, code, rec[f"nama_{p}"].strip()))
    df = pd.DataFrame(recs, columns=["bps_code", "p", "code", "name"])
    if df[df["p"] == "20181"]["bps_code"].duplicated().any():
        dup = df[df["p"] == "20181"]["bps_code"]
        raise MalformedFileError(f"{path.name}: 2018 code {dup[dup.duplicated()].iloc[0]} twice")
    final_name = df[df["p"] == "20181"].set_index("bps_code")["name"].map(_name_key)
    shared = df.groupby(["p", "code"])["bps_code"].transform("size") > 1
    own_name = df["name"].map(_name_key) == df["bps_code"].map(final_name)
    df["exists"] = ~shared | own_name
    df["year"] = df["p"].str[:4].astype("int64")
    df["semester"] = df["p"].str[4:].replace("", "0").astype("int64")
    df["period"] = [p if len(p) == 4 else f"{p[:4]}-{p[4]}" for p in df["p"]]
    order = {p: i for i, p in enumerate(periods)}
    df = df.assign(_o=df["p"].map(order)).sort_values(["bps_code", "_o"], ignore_index=True)
    return df[["bps_code", "period", "year", "semester", "code", "name", "exists"]]


def _history(paths, deps):
    return parse_history(paths[0])


DATASETS = [
    Dataset(
        name="code_crosswalk",
        title="BPS (2017) <-> Kemendagri (2017) codes of the 514 kab/kota",
        kind="codes",
        files=(_REPO + "crosswalk_kabupaten.csv",),
        parse=_crosswalk,
        version=1,
        schema=(
            Column("bps_code", "str", "", "BPS code, 2017 S2"),
            Column(
                "kemendagri_2017_code",
                "str",
                "",
                "Kemendagri 2017 code NN.NN (trailing zeros lost in the CSV are restored)",
            ),
            Column("nama_bps", "str"),
            Column("nama_dagri", "str"),
        ),
        coverage="514 kab/kota, 2017",
        caveats=_CAVEATS,
    ),
    Dataset(
        name="code_history",
        title="BPS code history of the 514 kab/kota, 1961-2018",
        kind="codes",
        files=(_REPO + "historic_kabupaten.csv",),
        parse=_history,
        version=1,
        schema=(
            Column("bps_code", "str", "", "BPS code in 2018 S1"),
            Column("period", "str", "", "census year or YYYY-S (semester)"),
            Column("year", "int", "year"),
            Column("semester", "int", "", "0 = census"),
            Column("code", "str", "", "the row's BPS code in that period"),
            Column("name", "str", "", "the row's name in that period"),
            Column(
                "exists",
                "bool",
                "",
                "the region existed in its own right (not yet part of its parent)",
            ),
        ),
        coverage="514 kab/kota of 2018; censuses 1961-2000, semesters 2010 S2-2018 S1",
        caveats=_CAVEATS + "; before formation a row carries its parent's code and name",
    ),
    Dataset(
        name="codes_province_files",
        title="Province code crosswalk and history",
        kind="codes",
        files=(_REPO + "crosswalk_provinsi.csv", _REPO + "historic_provinsi.csv"),
        coverage="34 provinces (2017/2018)",
        caveats=_CAVEATS,
    ),
]
