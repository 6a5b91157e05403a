"""The one DataBank reader (cityresearch._databank) and the fiscal spec's mapping, on tiny files.

No data files needed: the workbooks are written here, values hand-checked.
"""

import math

import openpyxl
import pytest

from cityresearch._databank import CELL_COLUMNS, read_databank
from cityresearch._errors import MalformedFileError
from cityresearch.data.specs.fiscal import parse_databank_revenue

HEAD = ["Series Name", "Series Code", "Level", "Provinces Name", "Provinces Code"]


def _workbook(path, rows, units):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append([*HEAD, "2009 [YR2009]", "2010 [YR2010]"])
    for r in rows:
        ws.append(r)
    ws.append([])
    ws.append(["Data from database: INDO-DAPOER"])  # a note below the table
    meta = wb.create_sheet("Series - Metadata")
    meta.append(["Code", "Indicator Name", "Unit of measure"])
    for code, unit in units.items():
        meta.append([code, code, unit])
    wb.save(path)
    return path


ROWS = [
    [
        "Total Revenue (in IDR)",
        "REV.TOTL.CR",
        "Jawa Timur, Prop.",
        "Blitar, Kota",
        "ID.JI.BL",
        512_000_000_000,
        "..",
    ],
    ["DAK Health (in IDR Billion)", "DAK.HE.CR", "Jawa Timur, Prop.", "Blitar, Kota", "ID.JI.BL"]
    + [2.5, 3.25],
]
UNITS = {"REV.TOTL.CR": "IDR", "DAK.HE.CR": "IDR Billion"}


def test_read_databank_cells_units_and_skipped_rows(tmp_path):
    t = read_databank(_workbook(tmp_path / "wb.xlsx", ROWS, UNITS))
    assert list(t.cells.columns) == CELL_COLUMNS
    assert t.labels == ["Blitar, Kota", "Blitar, Kota"]
    assert t.provinces == ["Jawa Timur, Prop.", "Jawa Timur, Prop."]
    c = t.cells
    # year-major, one cell per row and year, missing kept with its marker
    assert c["year"].tolist() == [2009, 2009, 2010, 2010]
    assert c["series_code"].tolist() == ["REV.TOTL.CR", "DAK.HE.CR"] * 2
    assert c["value"].iloc[0] == 512e9 and c["value"].iloc[1] == 2.5
    assert math.isnan(c["value"].iloc[2]) and c["marker"].iloc[2] == ".."
    assert c["value"].iloc[3] == 3.25
    assert c["unit"].tolist() == ["IDR", "IDR Billion"] * 2
    assert c["wb_code"].unique().tolist() == ["ID.JI.BL"]
    assert c["source_row"].tolist() == [2, 3, 2, 3]
    # header, blank row and note are accounted for: data + skipped = rows read
    assert [r[2] for r in t.skipped] == ["header", "blank row", "note"]
    assert t.rows_read == 2 + len(t.skipped)


def test_fiscal_mapping_converts_units_and_drops_only_missing_cells(tmp_path):
    out = parse_databank_revenue(_workbook(tmp_path / "wb.xlsx", ROWS, UNITS))
    assert out[["series_code", "year", "value_idr_bn", "unit_source"]].values.tolist() == [
        ["DAK.HE.CR", 2009, 2.5, "IDR Billion"],  # already IDR billion
        ["DAK.HE.CR", 2010, 3.25, "IDR Billion"],
        ["REV.TOTL.CR", 2009, 512.0, "IDR"],  # 512e9 IDR = 512 IDR billion; 2010 is '..'
    ]
    assert set(out["region_source"]) == {"Blitar, Kota"}
    assert set(out["province_source"]) == {"Jawa Timur, Prop."}


def test_fiscal_mapping_refuses_an_unknown_unit(tmp_path):
    path = _workbook(tmp_path / "wb.xlsx", ROWS, {**UNITS, "DAK.HE.CR": "USD"})
    with pytest.raises(MalformedFileError, match=r"\['DAK.HE.CR'\].*IDR or IDR Billion"):
        parse_databank_revenue(path)


def test_fiscal_mapping_refuses_a_region_series_year_twice(tmp_path):
    path = _workbook(tmp_path / "wb.xlsx", [*ROWS, ROWS[1]], UNITS)
    with pytest.raises(MalformedFileError, match="ID.JI.BL DAK.HE.CR 2009 twice"):
        parse_databank_revenue(path)


def test_read_databank_refuses_another_layout(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Provinsi;2016\nJAWA TIMUR;11,85\n", encoding="utf-8")
    with pytest.raises(MalformedFileError, match="not a DataBank export"):
        read_databank(path)
