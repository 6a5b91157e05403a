"""Tests of the importers of BPS and World Bank downloads.

Real downloads (kinds ``bps_export_fixture`` and ``fiscal_revenue_kabkota_java``)
are checked against values read from the same files by independent means
(regular expressions on the HTML, the csv module, openpyxl); small files
written here cover the Indonesian and English variants and bad input.
"""

import codecs
import csv
import re

import openpyxl
import pandas as pd
import pytest

from cityresearch import data, importers
from cityresearch._errors import (
    EmptyFileError,
    InputPathError,
    MalformedFileError,
    ValidationError,
)


def _file(name):
    return next(
        p
        for p in data.fetch("bps_export_fixture") + data.fetch("fiscal_revenue_kabkota_java")
        if p.name.startswith(name)
    )


def _value(t, **where):
    m = pd.Series(True, index=t.index)
    for k, v in where.items():
        m &= t[k] == v
    rows = t[m]
    assert len(rows) == 1, (where, len(rows))
    return rows["value"].iloc[0]


def _accounting(t):
    return t["source_row"].nunique() + len(t.attrs["skipped"]) == t.attrs["rows_read"]


# ------------------------------------------------------------------ real downloads


@pytest.mark.data
@pytest.mark.slow
def test_legacy_html_xls_p1():
    path = _file("Index Kedalaman Kemiskinan Nasional")
    html = path.read_text("utf-8")
    left = html[html.index('id="tableLeftBottom"') : html.index('id="tableRightUp"')]
    right = html[html.index('id="tableRightBottom"') :]
    names = re.findall(r"<td[^>]*>([^<]*)</td>", left)
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", right)]
    years = [2020, 2019, 2018, 2017, 2016, 2015]  # the header, descending
    ref = {
        (n.strip(), y): v
        for n, r in zip(names, rows, strict=True)
        for y, v in zip(years, r, strict=True)
    }
    t = importers.read_table(path)
    assert t.attrs["layout"].startswith("legacy tabel dinamis")
    assert _value(t, bps_code="1101", year=2015) == float(ref[("Simeulue", 2015)]) == 2.97
    assert _value(t, bps_code="1102", year=2015) == float(ref[("Aceh Singkil", 2015)])
    assert _value(t, name="Kabupaten Blitar", year=2020) == float(ref[("Blitar", 2020)])
    assert _value(t, name="Kota Blitar", year=2020) == float(ref[("Kota Blitar", 2020)])
    # every cell of the value table is in the frame
    assert len(t) == len(names) * 6 == sum(len(r) for r in rows)
    assert t["matched"].all() and t.attrs["unplaced"].empty
    assert t[t["level"] == "kabkota"]["bps_code"].nunique() == 514
    assert t[t["level"] == "provinsi"]["region"].nunique() == 34
    # "-" is missing, not zero; "Nduga *" keeps its mark
    dash = [(n.strip(), y) for (n, y), v in ref.items() if v == "-"]
    assert len(dash) == int((t["marker"] == "-").sum()) > 0
    nduga = t[t["region"] == "Nduga"]
    assert set(nduga["note_mark"]) == {"*"} and set(nduga["bps_code"]) == {"9429"}
    # the former name Pontianak is Kabupaten Mempawah (Kota Pontianak is "Kota Pontianak")
    assert set(t[t["region"] == "Pontianak"]["name"]) == {"Kabupaten Mempawah"}
    assert set(t[t["region"] == "Kota Pontianak"]["name"]) == {"Kota Pontianak"}
    assert _accounting(t)


@pytest.mark.data
@pytest.mark.slow
def test_legacy_html_xls_p2():
    t = importers.read_table(_file("Indeks Keparahan"))
    assert sorted(t["year"].unique()) == [2015, 2016, 2017, 2018, 2019]
    assert t["variable"].str.contains("Keparahan").all() and _accounting(t)
    assert t["matched"].all()


@pytest.mark.data
@pytest.mark.slow
def test_new_site_long_csv():
    path = _file("Index Kedalaman 2022-2023")
    text = path.read_text("utf-8-sig").lstrip().lstrip("\ufeff")
    ref = {
        (r["nama_item_vertical_variabel"], int(r["nama_tahun"])): float(r["data_content"])
        for r in csv.DictReader(text.splitlines(), delimiter=";")
    }
    t = importers.read_table(path)
    assert _value(t, bps_code="1101", year=2023) == ref[("Simeulue", 2023)] == 3.26
    assert _value(t, bps_code="1102", year=2023) == ref[("Aceh Singkil", 2023)] == 2.99
    assert _value(t, bps_code="1102", year=2022) == ref[("Aceh Singkil", 2022)]
    assert len(t) == len(ref) and t["matched"].all() and _accounting(t)
    assert _value(t, region="ACEH", year=2023) == ref[("ACEH", 2023)]
    assert set(t[t["region"] == "ACEH"]["level"]) == {"provinsi"}


@pytest.mark.data
@pytest.mark.slow
def test_xlsx_two_row_header_blitar():
    path = _file("Pengeluaran Perkapita")
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    col = rows[1].index(2016)
    ref = {r[0]: r[col] for r in rows[2:] if r[0]}
    t = importers.read_table(path)
    assert _value(t, name="Kabupaten Blitar", year=2016) == ref["Blitar"]
    assert _value(t, name="Kota Blitar", year=2016) == ref["Kota Blitar"]
    assert ref["Blitar"] != ref["Kota Blitar"]
    assert _value(t, level="nasional", year=2016) == ref["INDONESIA"] == 10420
    assert set(t["unit"]) == {"Ribu Rupiah/Orang/Tahun"}
    assert t["matched"].all() and _accounting(t)
    makassar = t[t["region"] == "Kota Makasar"]
    assert set(makassar["bps_code"]) == {"7371"}


@pytest.mark.data
@pytest.mark.parametrize("year, n_prov", [(2017, 34), (2024, 38)])
def test_province_csv_flattened_headers(year, n_prov):
    path = _file(f"Jumlah dan Persentase Penduduk Miskin Menurut Provinsi, {year}")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = importers.read_table(path)
    assert set(t["year"]) == {year}  # from the file name
    assert t[t["level"] == "provinsi"]["prov_kemendagri_code"].nunique() == n_prov
    aceh = next(r for r in body if r[0] == "Aceh")
    j = header.index("Persentase Penduduk Miskin - Maret")
    assert _value(t, region="Aceh", variable="Persentase Penduduk Miskin", period="Maret") == float(
        aceh[j]
    )
    g = _value(t, region="Aceh", variable="Garis Kemiskinan", period="Maret")
    assert g == float(aceh[1])
    assert set(t.loc[t["variable"] == "Garis Kemiskinan", "unit"]) == {"Rp"}
    dots = sum(c == "..." for r in body for c in r)
    assert int((t["marker"] == "...").sum()) == dots
    assert len(t) == len(body) * (len(header) - 1) and t["matched"].all() and _accounting(t)
    if year == 2024:
        ps = t[t["region"] == "Papua Selatan"]
        assert set(ps["prov_kemendagri_code"]) == {"93"}
        assert (
            _value(
                t, region="Papua Selatan", variable="Persentase Penduduk Miskin", period="September"
            )
            == 19.35
        )


@pytest.mark.data
def test_cpi_xlsx_three_row_header():
    path = _file("Indeks Harga Konsumen")
    with pytest.warns(UserWarning, match="matched no region"):
        t = importers.read_table(path)
    assert _value(t, region="KOTA BANDA ACEH", period="Januari") == 118.21
    assert _value(t, region="INDONESIA", period="Desember") == 125.17
    assert set(t["year"]) == {2010} and t["period"].nunique() == 13
    assert list(t[t["region"] == "KOTA BANDA ACEH"]["period"][:3]) == [
        "Januari",
        "Februari",
        "Maret",
    ]
    # cities that are not kabupaten/kota (Meulaboh, Purwokerto, Dili...) are kept and reported
    un = set(t.attrs["unplaced"]["region"])
    assert {"KOTA MEULABOH", "PURWOKERTO", "DILI"} <= un
    assert (~t["matched"]).sum() == 13 * len(un)
    assert _accounting(t)


@pytest.mark.data
def test_worldbank_indo_dapoer():
    path = _file("Revenue_IndoDapoer")
    ws = openpyxl.load_workbook(path, read_only=True)["Data"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = rows[0]
    j2010 = head.index("2010 [YR2010]")
    ref = {(r[3], r[1]): r[j2010] for r in rows[1:] if r[0]}
    t = importers.read_table(path)
    kab = _value(t, name="Kabupaten Blitar", series_code="REV.DAU.CR", year=2010)
    kota = _value(t, name="Kota Blitar", series_code="REV.DAU.CR", year=2010)
    assert (
        kab == ref[("Blitar, Kab.", "REV.DAU.CR")] and kota == ref[("Blitar, Kota", "REV.DAU.CR")]
    )
    assert kab > kota
    assert t[t["level"] == "kabkota"]["bps_code"].nunique() == 113
    assert t["matched"].all() and _accounting(t)
    n_missing = sum(c == ".." for r in rows[1:] for c in r[5:])
    assert int((t["marker"] == "..").sum()) == n_missing
    assert set(t.loc[t["series_code"] == "DAK.HE.CR", "unit"]) == {"IDR Billion"}
    assert set(t.loc[t["series_code"] == "REV.DAU.CR", "unit"]) == {"IDR"}
    assert t.loc[t["name"] == "Kota Blitar", "wb_code"].iloc[0].startswith("ID.JI.")


# ------------------------------------------------------------------ written here


def _write_xlsx(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


INDONESIAN_CSV = (
    "Pengeluaran per Kapita Menurut Kabupaten/Kota\n"
    "Provinsi/Kabupaten/Kota;2019;2020*\n"
    "JAWA TIMUR;11.432,50;11.100,25\n"
    "Blitar;9.876,5;9.543**\n"
    "Kota Blitar;13.001,75;-\n"
    "INDONESIA;11.299,00;...\n"
    "\n"
    "Sumber: BPS, Susenas\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
def test_indonesian_semicolon_csv_encodings(tmp_path, encoding):
    text = (
        INDONESIAN_CSV.replace("Kapita", "Kapita ±")
        if encoding in ("latin-1", "cp1252")
        else INDONESIAN_CSV
    )
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    t = importers.read_bps_table(path)
    assert _value(t, name="Kabupaten Blitar", year=2019) == 9876.5
    assert _value(t, name="Kota Blitar", year=2019) == 13001.75
    assert _value(t, name="Kabupaten Blitar", year=2020) == 9543.0
    assert _value(t, region="JAWA TIMUR", year=2019) == 11432.5
    kb = t[(t["name"] == "Kabupaten Blitar")].set_index("year")
    assert kb.loc[2020, "flag"] == "**" and kb.loc[2019, "flag"] == ""
    assert set(t.loc[(t["year"] == 2020) & (t["name"] != "Kabupaten Blitar"), "flag"]) == {"*"}
    assert t[t["year"] == 2020]["provisional"].all()
    assert _value(t, name="Kota Blitar", year=2020) != _value(t, name="Kota Blitar", year=2020)
    reasons = list(t.attrs["skipped"]["reason"])
    assert reasons == ["title above the table", "header", "blank row", "note"]
    assert _accounting(t) and t["matched"].all()


def test_english_layout_xlsx(tmp_path):
    path = _write_xlsx(
        tmp_path / "en.xlsx",
        [
            ["Province/Regency/City", "Adjusted per Capita Expenditure (Thousand Rupiah)", None],
            [None, 2019, 2020],
            [None, "Annual", "Annual"],
            ["EAST JAVA", 11432.5, 11100.25],
            ["Blitar Regency", 9876.5, 9543],
            ["Blitar City", 13001.75, "-"],
            ["INDONESIA", 11299, "..."],
            ["Source: BPS-Statistics Indonesia", None, None],
        ],
    )
    t = importers.read_table(path)
    assert _value(t, name="Kabupaten Blitar", year=2020) == 9543
    assert _value(t, name="Kota Blitar", year=2019) == 13001.75
    assert set(t.loc[t["region"] == "EAST JAVA", "prov_kemendagri_code"]) == {"35"}
    assert set(t["unit"]) == {"Thousand Rupiah"} and set(t["period"]) == {"Annual"}
    assert t.attrs["skipped"]["reason"].tolist()[-1] == "note" and _accounting(t)


def test_english_monthly_csv(tmp_path):
    path = tmp_path / "cpi.csv"
    path.write_text(
        "Inflation City,Consumer Price Index,,\n,2010,,\n,January,February,Annual\n"
        "Kota Blitar,118.5,119.25,-\nMalang City,120,121.5,-\n",
        "utf-8",
    )
    t = importers.read_table(path)
    assert _value(t, name="Kota Blitar", period="February") == 119.25
    assert _value(t, name="Kota Malang", period="January") == 120
    assert list(t["period"][:3]) == ["January", "February", "Annual"]


def test_long_csv_english_columns(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        "variable_name;derived_variable_name;year_name;derived_period_name;"
        "data_content;vertical_variable_item_name\n"
        "HDI;None;2020;Annual;70,5;Kota Blitar\nHDI;None;2020;Annual;68,25;Blitar\n",
        "utf-8",
    )
    t = importers.read_table(path)
    assert _value(t, name="Kota Blitar") == 70.5 and _value(t, name="Kabupaten Blitar") == 68.25


def test_unmatched_rows_kept_and_reported(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("Kabupaten/Kota,2020\nKota Blitar,1\nAtlantis,2\n", "utf-8")
    with pytest.warns(UserWarning, match=r"'Atlantis'.*matched=False"):
        t = importers.read_table(path)
    assert len(t) == 2 and list(t.attrs["unplaced"]["region"]) == ["Atlantis"]
    assert (
        _value(t, region="Atlantis") == 2 and not t.loc[t["region"] == "Atlantis", "matched"].item()
    )


# ------------------------------------------------------------------ bad input


def test_missing_path(tmp_path):
    with pytest.raises(InputPathError, match="does not exist"):
        importers.read_table(tmp_path / "nope.csv")


def test_directory(tmp_path):
    with pytest.raises(InputPathError, match="is a folder"):
        importers.read_table(tmp_path)


def test_empty_file(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty"):
        importers.read_table(tmp_path / "e.csv")


@pytest.mark.parametrize(
    "content",
    [
        "Kabupaten/Kota,2020\n",
        "Kabupaten/Kota;2019;2020\n\n\n",
        ("nama_variabel;nama_tahun;data_content;nama_item_vertical_variabel\n"),
    ],
)
def test_header_only(tmp_path, content):
    (tmp_path / "h.csv").write_text(content, "utf-8")
    with pytest.raises(EmptyFileError, match="no data rows"):
        importers.read_table(tmp_path / "h.csv")


def test_header_only_xlsx(tmp_path):
    path = _write_xlsx(tmp_path / "h.xlsx", [["Provinsi", 2020]])
    with pytest.raises(EmptyFileError, match="no data rows"):
        importers.read_table(path)


def test_bad_value_named(tmp_path):
    (tmp_path / "b.csv").write_text("Kabupaten/Kota;2020\nKota Blitar;12,5\nBlitar;abc\n", "utf-8")
    with pytest.raises(MalformedFileError, match=r"row 3, column 2.*'abc'"):
        importers.read_table(tmp_path / "b.csv")


def test_ambiguous_decimal(tmp_path):
    (tmp_path / "a.csv").write_text("Kabupaten/Kota;2020\nKota Blitar;9.492\n", "utf-8")
    with pytest.raises(ValidationError, match="decimal="):
        importers.read_table(tmp_path / "a.csv")
    t = importers.read_table(tmp_path / "a.csv", decimal=",")
    assert t["value"].item() == 9492
    t = importers.read_table(tmp_path / "a.csv", decimal=".")
    assert t["value"].item() == 9.492


def test_mixed_decimal(tmp_path):
    (tmp_path / "m.csv").write_text("Kabupaten/Kota;2020\nKota Blitar;1,5\nBlitar;1.5\n", "utf-8")
    with pytest.raises(ValidationError, match="mix decimal"):
        importers.read_table(tmp_path / "m.csv")


def test_no_region_column(tmp_path):
    (tmp_path / "n.csv").write_text("Nama,2020\nKota Blitar,1\n", "utf-8")
    with pytest.raises(MalformedFileError, match="no region column"):
        importers.read_table(tmp_path / "n.csv")


def test_no_year(tmp_path):
    (tmp_path / "y.csv").write_text("Provinsi,Garis Kemiskinan - Maret (Rp)\nAceh,1\n", "utf-8")
    with pytest.raises(ValidationError, match="pass year="):
        importers.read_table(tmp_path / "y.csv")
    t = importers.read_table(tmp_path / "y.csv", year=2017)
    assert t["year"].tolist() == [2017] and t["period"].tolist() == ["Maret"]


def test_binary_xls_and_unknown_type(tmp_path):
    (tmp_path / "b.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    with pytest.raises(MalformedFileError, match="save it as .xlsx"):
        importers.read_table(tmp_path / "b.xls")
    (tmp_path / "r.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(MalformedFileError, match="unknown file type"):
        importers.read_table(tmp_path / "r.pdf")


def test_corrupt_xlsx_and_missing_sheet(tmp_path):
    (tmp_path / "c.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(MalformedFileError, match="cannot be opened"):
        importers.read_table(tmp_path / "c.xlsx")
    path = _write_xlsx(tmp_path / "s.xlsx", [["Provinsi", 2020], ["Aceh", 1]])
    with pytest.raises(ValidationError, match="no sheet 'Tabel'"):
        importers.read_bps_table(path, sheet="Tabel")


def test_split_tables_of_different_length(tmp_path):
    html = (
        '<html><table id="tableLeftBottom"><tr><td>Kota Blitar</td></tr><tr><td>Blitar</td>'
        '</tr></table><table id="tableRightUp"><tr><th colspan="1">X</th></tr><tr><th>2020'
        '</th></tr></table><table id="tableRightBottom"><tr><td>1</td></tr></table></html>'
    )
    (tmp_path / "x.xls").write_text(html, "utf-8")
    with pytest.raises(MalformedFileError, match="2 rows but the value table 1"):
        importers.read_table(tmp_path / "x.xls")


def test_worldbank_not_databank(tmp_path):
    (tmp_path / "w.csv").write_text("Country Name,2000 [YR2000]\nIndonesia,1\n", "utf-8")
    with pytest.raises(MalformedFileError, match="Series Name"):
        importers.read_worldbank(tmp_path / "w.csv")


def test_worldbank_csv(tmp_path):
    path = tmp_path / "wb.csv"
    path.write_bytes(
        codecs.BOM_UTF8
        + (
            b"Series Name,Series Code,Provinces Name,Provinces Code,2010 [YR2010],2011 [YR2011]\n"
            b'Total Revenue (in IDR),REV.TOTL.CR,"Blitar, Kab.",ID.JI.BL,100,..\n'
            b'Total Revenue (in IDR),REV.TOTL.CR,"Blitar, Kota",ID.JI.BR,50,60\n'
            b'Total Revenue (in IDR),REV.TOTL.CR,"Jawa Timur, Prop.",ID.JI,900,950\n'
            b"\n\nData from database: INDO-DAPOER,,,,,\nLast Updated: 01/01/2020,,,,,\n"
        )
    )
    t = importers.read_table(path)
    assert _value(t, name="Kabupaten Blitar", year=2010) == 100
    assert _value(t, name="Kota Blitar", year=2011) == 60
    assert _value(t, level="provinsi", year=2011) == 950
    assert set(t["unit"]) == {"IDR"} and int((t["marker"] == "..").sum()) == 1
    assert t.attrs["skipped"]["reason"].tolist() == [
        "header",
        "blank row",
        "blank row",
        "note",
        "note",
    ]
    assert _accounting(t)


def test_attrs_survive_merge_and_concat(tmp_path):
    (tmp_path / "c.csv").write_text("Kabupaten/Kota;2020\nKota Blitar;1\nAtlantis;2\n", "utf-8")
    with pytest.warns(UserWarning):
        t = importers.read_table(tmp_path / "c.csv")
    both = pd.concat([t, t])
    assert len(both) == 4 and list(both.attrs["unplaced"]["region"]) == ["Atlantis"]
    m = t.merge(t[["region", "value"]], on="region")
    assert len(m) == 2 and m.attrs["skipped"]["reason"].tolist() == ["header"]


# ------------------------------------------------------------------ bad input: issue 11 probe

WIDE = (
    "Kabupaten/Kota;2019;2020\nKabupaten Blitar;9.876,5;9.543,0\nKota Blitar;13.001,75;12.500,0\n"
)
WB = (
    "Series Name,Series Code,Provinces Name,Provinces Code,2010 [YR2010],2011 [YR2011]\n"
    'Total Revenue (in IDR),REV.TOTL.CR,"Blitar, Kab.",ID.JI.BL,100,..\n'
    'Total Revenue (in IDR),REV.TOTL.CR,"Blitar, Kota",ID.JI.BR,50,60\n'
)


def _text(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _wb_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for line in WB.strip().split("\n"):
        ws.append(next(csv.reader([line])))
    other = wb.create_sheet("Other")
    other.append(["Series Name", "Series Code", "Provinces Name", "2010 [YR2010]"])
    other.append(["X", "X.1", "Blitar, Kota", "999"])
    wb.save(tmp_path / "wb.xlsx")
    return tmp_path / "wb.xlsx"


IMPORT_BAD = [
    (
        "duplicate region row",
        lambda d: importers.read_bps_table(_text(d, "d.csv", WIDE + "Kota Blitar;1,0;2,0\n")),
        MalformedFileError,
        (
            r"d.csv: 1 region appears on more than one row .*Kota Blitar \(code 3572\) on rows 3 "
            r"\('Kota Blitar'\), 4 \('Kota Blitar'\), e.g. 2019: 13001.75 and 1\. Keep one row"
        ),
    ),
    (
        "duplicate region row, other spelling",
        lambda d: importers.read_bps_table(_text(d, "d2.csv", WIDE + "Blitar (Kota);1,0;2,0\n")),
        MalformedFileError,
        r"Kota Blitar \(code 3572\) on rows 3 \('Kota Blitar'\), 4 ",
    ),
    (
        "duplicate year column",
        lambda d: importers.read_bps_table(
            _text(d, "dy.csv", "Kabupaten/Kota;2019;2019\nKota Blitar;1,5;2,5\n")
        ),
        MalformedFileError,
        r"dy.csv: columns 2 and 3 both hold '2019' \(year 2019\)",
    ),
    (
        "sheet on a csv",
        lambda d: importers.read_bps_table(_text(d, "w.csv", WIDE), sheet="Data"),
        ValidationError,
        r"read_bps_table: sheet='Data' applies to .xlsx workbooks only; w.csv",
    ),
    (
        "misspelt option of read_bps_table",
        lambda d: importers.read_bps_table(_text(d, "w.csv", WIDE), decmal=","),
        ValidationError,
        r"read_bps_table: unknown option decmal=',' \(did you mean decimal=\?\)",
    ),
    (
        "misspelt option of read_worldbank",
        lambda d: importers.read_worldbank(_text(d, "wb.csv", WB), decmal=","),
        ValidationError,
        r"read_worldbank: unknown option decmal=',' \(did you mean decimal=\?\)",
    ),
    (
        "misspelt option of read_table",
        lambda d: importers.read_table(_text(d, "wb.csv", WB), levl="kabkota"),
        ValidationError,
        r"read_table: unknown option levl='kabkota' \(did you mean level=\?\)",
    ),
    (
        "BPS option on a World Bank file",
        lambda d: importers.read_table(_text(d, "wb.csv", WB), level="kabkota"),
        ValidationError,
        (
            r"read_table: wb.csv is a World Bank DataBank export; level= applies to "
            r"BPS tables only"
        ),
    ),
    (
        "duplicate region-series",
        lambda d: importers.read_worldbank(
            _text(
                d, "wb.csv", WB + 'Total Revenue (in IDR),REV.TOTL.CR,"Blitar, Kota",ID.JI.BR,5,6\n'
            )
        ),
        MalformedFileError,
        (
            r"Kota Blitar \(code 3572\) on rows 3 \('Blitar, Kota'\), 4 \('Blitar, "
            r"Kota'\), e.g. Total Revenue \(in IDR\) 2010: 50 and 5"
        ),
    ),
    (
        "absent sheet of a workbook",
        lambda d: importers.read_worldbank(_wb_workbook(d), sheet="Othr"),
        ValidationError,
        r"wb.xlsx has no sheet 'Othr'; it has \['Data', 'Other'\]",
    ),
    (
        "sheet on a World Bank csv",
        lambda d: importers.read_worldbank(_text(d, "wb.csv", WB), sheet="Data"),
        ValidationError,
        r"read_worldbank: sheet='Data' applies to .xlsx workbooks only",
    ),
    (
        "path is a number",
        lambda d: importers.read_worldbank(123),
        InputPathError,
        r"the path must be a file path \(str or pathlib.Path\), not int \(123\)",
    ),
    (
        "path is a list",
        lambda d: importers.read_bps_table([d / "w.csv"]),
        InputPathError,
        r"not list",
    ),
    (
        "decimal comma given, decimal point found",
        lambda d: importers.read_bps_table(
            _text(d, "p.csv", "Kabupaten/Kota;2020\nKota Blitar;2.5\n"), decimal=","
        ),
        MalformedFileError,
        r"row 2, column 2 \(2020\): value '2.5' is neither a number",
    ),
    (
        "only '1,234'-like values",
        lambda d: importers.read_bps_table(
            _text(d, "c.csv", "Kabupaten/Kota;2020\nKota Blitar;1,234\nKabupaten Blitar;2,500\n")
        ),
        ValidationError,
        (
            r"c.csv values '1,234' could be 1234 \(English thousands comma\) or 1.234 "
            r"\(Indonesian decimal comma\); pass decimal=','"
        ),
    ),
    (
        "infinite value",
        lambda d: importers.read_bps_table(
            _text(d, "i.csv", "Kabupaten/Kota;2020\nKota Blitar;inf\n")
        ),
        MalformedFileError,
        r"row 2, column 2 \(2020\): value 'inf'",
    ),
]


@pytest.mark.data
@pytest.mark.parametrize(
    "call, error, message", [b[1:] for b in IMPORT_BAD], ids=[b[0] for b in IMPORT_BAD]
)
def test_importers_refuse_bad_input(tmp_path, call, error, message):
    with pytest.raises(error, match=message) as info:
        call(tmp_path)
    assert type(info.value) is error


@pytest.mark.data
def test_worldbank_sheet_default_and_explicit(tmp_path):
    path = _wb_workbook(tmp_path)
    t = importers.read_worldbank(path)  # "Data" by default
    assert t["value"].fillna(-1).tolist() == [100.0, -1, 50.0, 60.0]
    assert importers.read_worldbank(path, sheet="Data")["value"].equals(t["value"])
    assert importers.read_worldbank(path, sheet="Other")["value"].tolist() == [999.0]
    wb = openpyxl.load_workbook(path)
    wb.move_sheet("Other", offset=-1)  # "Data" no longer first: still chosen by default
    wb.save(path)
    assert wb.sheetnames == ["Other", "Data"]
    assert importers.read_worldbank(path)["value"].equals(t["value"])
    assert importers.read_table(path)["value"].equals(t["value"])


@pytest.mark.data
def test_read_table_passes_world_bank_options(tmp_path):
    path = _text(tmp_path, "wb.csv", WB.replace("100", '"100.5"'))
    t = importers.read_table(path, decimal=".")
    assert _value(t, name="Kabupaten Blitar", year=2010) == 100.5


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["78,5", "1.234"], ","),  # a decimal comma makes '1.234' a thousand
        (["2.76", "1,234"], "."),  # a decimal point makes '1,234' a thousand
        (["1.234.567", "150.000"], ","),  # two thousands points: Indonesian
        (["1,234,567", "150,000"], "."),  # two thousands commas: English
        (["0.500"], "."),  # no number is written 0,500 thousands
        (["12", "-3"], "."),
    ],
)
def test_decimal_convention_decides(cells, expected):
    from cityresearch._tidy import decimal_convention

    assert decimal_convention(cells) == expected


@pytest.mark.parametrize(
    "cells, message",
    [
        (["1.234"], r"'1.234' could be 1234 \(Indonesian thousands point\) or 1.234"),
        (["1,234", "-2,500"], r"'1,234' could be 1234 \(English thousands comma\) or 1.234"),
        (["1,234", "5.678"], r"'1,234' could be"),
        (["1,5", "2.5"], r"mix decimal commas \('1,5'\) and decimal points \('2.5'\)"),
    ],
)
def test_decimal_convention_refuses_to_guess(cells, message):
    from cityresearch._tidy import decimal_convention

    with pytest.raises(ValidationError, match=message):
        decimal_convention(cells)


@pytest.mark.parametrize(
    "text, decimal, expected",
    [
        ("1.234,5", ",", 1234.5),
        ("1.234.567", ",", 1234567.0),
        ("-0,25", ",", -0.25),
        ("1,234.5", ".", 1234.5),
        ("1,234,567", ".", 1234567.0),
        ("2.76", ".", 2.76),
        ("2.5", ",", None),
        ("12.34,5", ",", None),
        ("78,5", ".", None),
        ("1,23.5", ".", None),
        ("inf", ".", None),
        ("1e999", ".", None),
    ],
)
def test_to_float_checks_the_grouping(text, decimal, expected):
    from cityresearch._tidy import to_float

    assert to_float(text, decimal) == expected
