"""province_poverty_2024 against the file read independently with the csv module."""

import csv

import pytest

from cityresearch import data


@pytest.mark.data
def test_province_poverty_matches_the_file():
    frame = data.load("province_poverty_2024")
    (path,) = data.fetch("province_poverty_2024")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = {r[0]: r for r in csv.reader(f)}
    assert len(frame) == 2 * (len(rows) - 1) == 78  # 38 provinces + Indonesia, two semesters
    got = frame.set_index(["province", "semester"])
    assert got.loc[("Aceh", "march"), "poverty_rate_pct"] == float(rows["Aceh"][5]) == 14.23
    assert got.loc[("Indonesia", "september"), "poor_k_persons"] == 24054.72
    assert got.loc[("Indonesia", "march"), "level"] == "national"
    missing = got["poverty_line_idr_month"].isna()
    assert sorted(got.index[missing].get_level_values(0)) == [
        "Papua Pegunungan",
        "Papua Selatan",
        "Papua Tengah",
    ]
