"""Service-quality data: the compiled table and the validated loader."""

import pandas as pd
import pytest

from cityresearch import service
from cityresearch._errors import (
    AmbiguousRegionError,
    DroppedRowsWarning,
    MalformedFileError,
    RegionNotFoundError,
    ValidationError,
)


def test_compiled_table_keeps_provenance_and_conflicts():
    full = service.load_compiled(measure=None, matched_only=False)
    assert len(full) == 893 and full["source_url"].str.startswith("http").all()
    assert full["match_status"].value_counts().to_dict() == {
        "matched": 891,
        "unmatched": 1,
        "matched_by_elimination": 1,
    }
    omb = service.load_compiled()
    assert len(omb) == 879 and (omb["measure"] == "ombudsman_kepatuhan").all()
    kendari = omb[(omb["bps_code"] == "7471") & (omb["year"] == 2022)]
    assert kendari["score"].tolist() == [58.99] and kendari["zone"].tolist() == ["kuning"]
    alor = omb[(omb["name"] == "Kabupaten Alor") & (omb["year"] == 2018)]
    assert alor["score"].tolist() == [48.94] and alor["conflict"].all()
    assert "48,84" in alor["notes"].item()  # the other source's figure stays visible
    assert set(omb["method"]) >= {
        "kepatuhan_2015_2019_sample_survey",
        "kepatuhan_2022_2024_four_dimensions",
    }
    sorong = full[full["match_status"] == "matched_by_elimination"]
    assert sorong["bps_code"].item() == "9107"  # Kabupaten Sorong; Kota Sorong listed apart


@pytest.mark.data
def test_coverage_complete_province_years():
    cov = service.coverage(service.load_compiled())
    complete = set(map(tuple, cov.loc[cov["complete_score"], ["province", "year"]].values))
    assert ("Sumatera Utara", 2022) in complete and ("Sulawesi Selatan", 2023) in complete
    sumut = cov[(cov["province"] == "Sumatera Utara") & (cov["year"] == 2022)].iloc[0]
    assert sumut["n_kabkota"] == 33 and sumut["n_score"] == 33


def write(tmp_path, text):
    p = tmp_path / "measures.csv"
    p.write_text(text)
    return p


@pytest.mark.data
def test_read_measures_valid(tmp_path):
    p = write(
        tmp_path,
        "region,year,measure,value,zone,method\n"
        "3505,2023,ombudsman_kepatuhan,78.5,kuning,m1\n"
        "Kota Blitar,2023,ombudsman_kepatuhan,,hijau,m1\n"
        "Kab. Malang,2023,spbe_index,3.1,,\n",
    )
    df = service.read_measures(p)
    assert df["bps_code"].tolist() == ["3505", "3572", "3507"]
    assert df["value"].isna().tolist() == [False, True, False]


@pytest.mark.parametrize(
    "text, error, message",
    [
        (
            "region,year,value\n3505,2023,1\n",
            MalformedFileError,
            r"line 1: missing columns \['measure'\]",
        ),
        ("region,year,measure,value\n3505,20x3,m,1\n", MalformedFileError, r"line 2: year '20x3'"),
        (
            "region,year,measure,value\n3505,2023,m,abc\n",
            MalformedFileError,
            r"line 2: value 'abc'",
        ),
        (
            "region,year,measure,value\nAtlantis,2023,m,1\n3505,2023,m,2\nGotham,2023,m,3\n",
            RegionNotFoundError,
            r"2 regions match no kabupaten/kota: line 2: 'Atlantis'; line 4: 'Gotham'",
        ),
        ("region,year,measure,value\nBlitar,2023,m,1\n", AmbiguousRegionError, "Kota Blitar"),
        (
            "region,year,measure,value\n3505,2023,m,1\nKabupaten Blitar,2023,m,2\n",
            ValidationError,
            r"duplicate region-year-measure rows \(line 2: Kabupaten Blitar 2023 m; line 3",
        ),
        (
            "region,year,measure,value\n3505,2023,ombudsman_kepatuhan,101\n",
            ValidationError,
            r"line 2: ombudsman_kepatuhan value 101 is outside \[0.0, 100.0\]",
        ),
        (
            "region,year,measure,value,method\n3505,2021,m,1,a\n3572,2022,m,2,b\n",
            ValidationError,
            r"mixes methods \['a', 'b'\]",
        ),
        ("region,year,measure,value,zone\n3505,2021,m,1,biru\n", ValidationError, "zone 'biru'"),
    ],
)
@pytest.mark.data
def test_read_measures_errors(tmp_path, text, error, message):
    with pytest.raises(error, match=message):
        service.read_measures(write(tmp_path, text))


@pytest.mark.data
def test_mixed_methods_allowed_on_request(tmp_path):
    p = write(tmp_path, "region,year,measure,value,method\n3505,2021,m,1,a\n3572,2022,m,2,b\n")
    assert len(service.read_measures(p, allow_mixed_methods=True)) == 2
    with pytest.raises(ValidationError, match="outside"):
        service.read_measures(p, ranges={"m": (0, 1.5)}, allow_mixed_methods=True)


def test_one_per_region_drops_conflicts_openly():
    t = pd.DataFrame(
        {
            "bps_code": ["1", "1", "2", "3", "3"],
            "name": ["a", "a", "b", "c", "c"],
            "year": [2022, 2022, 2022, 2022, 2023],
            "method": ["m"] * 5,
            "score": [50, 60, 70, 80, 85.0],
        }
    )
    with pytest.warns(DroppedRowsWarning, match="conflicting figures in 2022: 50, 60"):
        out = service.one_per_region(t, year=2022)
    assert out["bps_code"].tolist() == ["2", "3"]
    assert out.attrs["dropped"]["bps_code"].tolist() == ["1"]
    with pytest.warns(DroppedRowsWarning):
        latest = service.one_per_region(t, method="m", conflicts="latest")
    assert latest.set_index("bps_code")["score"].to_dict() == {"2": 70, "3": 85}
    with pytest.raises(ValidationError, match="no rows"):
        service.one_per_region(t, year=1999)


# --- the researcher's own file in the forms Indonesian spreadsheets produce ---------

ROWS = [
    ("Kabupaten Blitar", 2023, "ombudsman_kepatuhan", 78.5, "kuning", "Radar Blitar"),
    ("Kota Blitar", 2023, "ombudsman_kepatuhan", 1234.5 / 100, "merah", "Situs Pemkot – café"),
    ("Kab. Malang", 2023, "spbe_index", 3.1, "", ""),
]
EXPECTED = {
    "bps_code": ["3505", "3572", "3507"],
    "value": [78.5, 12.345, 3.1],
    "zone": ["kuning", "merah", ""],
    "measure": ["ombudsman_kepatuhan"] * 2 + ["spbe_index"],
}


def indonesian_csv():
    """';' separated, decimal comma, thousands dot, as Excel (id-ID) saves CSV."""
    lines = ["Region;Year;Measure;Value;Zone;Source"]
    lines += [
        "Kabupaten Blitar;2023;Ombudsman_Kepatuhan;78,5;Kuning;Radar Blitar",
        "Kota Blitar;2023;ombudsman_kepatuhan;12,345;merah;Situs Pemkot – café",
        "Kab. Malang;2023;SPBE_index;3,1;;",
    ]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_read_measures_indonesian_csv_any_encoding(tmp_path, encoding):
    p = tmp_path / "m.csv"
    p.write_bytes(indonesian_csv().encode(encoding))
    df = service.read_measures(p)
    assert {k: df[k].tolist() for k in EXPECTED} == EXPECTED
    assert df["source"].tolist()[1] == "Situs Pemkot – café"  # decoded, not mangled
    assert df["line"].tolist() == [2, 3, 4]


def test_read_measures_latin1_and_thousands_dot(tmp_path):
    p = tmp_path / "m.csv"
    p.write_bytes(
        "region;year;measure;value;source\n3505;2023;pop;1.234.567;Dinas Sosial é\n"
        "3572;2023;pop;150.000;\n".encode("latin-1")
    )
    df = service.read_measures(p)
    assert df["value"].tolist() == [1234567.0, 150000.0]
    assert df["source"].tolist()[0] == "Dinas Sosial é"


def test_read_measures_xlsx_directly(tmp_path):
    p = tmp_path / "m.xlsx"
    pd.DataFrame(ROWS, columns=["Region", "Year", "Measure", "Value", "Zone", "Source"]).to_excel(
        p, index=False
    )
    df = service.read_measures(p)
    assert {k: df[k].tolist() for k in EXPECTED} == EXPECTED
    assert df["year"].tolist() == [2023] * 3


def test_read_measures_flags_zone_contradicting_score(tmp_path):
    p = write(
        tmp_path,
        "region,year,measure,value,zone\n3505,2023,ombudsman_kepatuhan,30,hijau\n"
        "3572,2023,ombudsman_kepatuhan,85,hijau\n",
    )
    with pytest.warns(
        UserWarning,
        match=r"1 rows have a zone that contradicts the score "
        r"\(line 2: Kabupaten Blitar 2023 value 30 zone hijau\)",
    ):
        df = service.read_measures(p)
    assert df["zone_score_conflict"].tolist() == [True, False]


def test_coverage_and_one_per_region_on_read_measures_output(tmp_path):
    p = write(
        tmp_path,
        "region,year,measure,value,zone,source\n"
        "3505,2023,ombudsman_kepatuhan,78.5,kuning,a\n"
        "3572,2023,ombudsman_kepatuhan,82,hijau,b\n"
        "3505,2022,ombudsman_kepatuhan,70,kuning,c\n",
    )
    df = service.read_measures(p)
    cov = service.coverage(df).set_index(["province", "year"])
    assert cov.loc[("Jawa Timur", 2023), "n_score"] == 2
    assert cov.loc[("Jawa Timur", 2023), "n_kabkota"] == 38
    one = service.one_per_region(df, year=2023)
    assert one.set_index("bps_code")["value"].to_dict() == {"3505": 78.5, "3572": 82.0}
    assert one["sources"].tolist() == ["a", "b"] and not one["conflict"].any()


def test_one_per_region_identical_figures_are_one_with_all_sources():
    t = pd.DataFrame(
        {
            "bps_code": ["1", "1", "2", "2", "3"],
            "name": ["a", "a", "b", "b", "c"],
            "year": [2022] * 5,
            "score": [84.15, 84.15, 50.0, 60.0, 70.0],
            "source_url": ["u1", "u2", "u3", "u4", "u5"],
            "conflict": [False, False, False, False, True],
            "notes": ["", "", "", "", "other source gives 71"],
        }
    )
    with pytest.warns(DroppedRowsWarning, match=r"b \(conflicting figures in 2022: 50, 60\)"):
        out = service.one_per_region(t, year=2022)
    assert out[["bps_code", "score", "n_sources", "sources", "conflict"]].values.tolist() == [
        ["1", 84.15, 2, "u1 | u2", False],
        ["3", 70.0, 1, "u5", True],
    ]
    conf = out.attrs["conflicts"]
    assert conf[["bps_code", "kept"]].values.tolist() == [["2", False], ["3", True]]
    assert conf.set_index("bps_code").loc["2", "values"] == [50.0, 60.0]


@pytest.mark.data
def test_one_per_region_on_the_curated_table():
    omb = service.load_compiled()
    with pytest.warns(DroppedRowsWarning, match="Probolinggo"):
        y22 = service.one_per_region(omb, year=2022)
    kediri = y22[y22["name"] == "Kabupaten Kediri"]
    # reported by radarkediri and cowasjp: one figure, both sources kept
    assert kediri["score"].tolist() == [84.15] and kediri["n_sources"].item() == 2
    assert kediri["sources"].item().count("http") == 2
    for name in ("Kabupaten Sidoarjo", "Kabupaten Ngawi"):
        assert (y22["name"] == name).sum() == 1
    assert len(y22) == 100 and y22["bps_code"].is_unique
    dropped = y22.attrs["dropped"].set_index("name")
    assert dropped.loc["Kota Probolinggo", "values"] == [82.33, 83.23]
    y19 = service.one_per_region(omb, year=2019)
    kerinci = y19[y19["name"] == "Kabupaten Kerinci"]
    assert kerinci["score"].tolist() == [80.13] and kerinci["conflict"].item()
    listed = y19.attrs["conflicts"]
    assert "80,03" in listed.set_index("name").loc["Kabupaten Kerinci", "notes"]
    y23 = service.one_per_region(omb, year=2023)  # identical figures only: nothing dropped
    assert {"Kabupaten Sukoharjo", "Kota Magelang"} <= set(y23["name"])
    assert y23.attrs["dropped"].empty


# --- bad input the reader must refuse, not misread (issue 11 probe) ---------------


def _csv(tmp_path, data: bytes, name="m.csv"):
    p = tmp_path / name
    p.write_bytes(data)
    return p


MISREAD = [
    (
        "',' file, quoted '1,234': 1234 or 1.234?",
        (
            b'region,year,measure,value\nKota Blitar,2023,jumlah_layanan,"1,234"\n'
            b'Kabupaten Blitar,2023,jumlah_layanan,"2,500"\n'
        ),
        {},
        ValidationError,
        (
            r"m.csv, line 2: value '1,234' could be 1234 \(English thousands comma\) "
            r"or 1.234 \(Indonesian decimal comma\); pass decimal=','"
        ),
    ),
    (
        "';' file, '78.500' and '81.250': 78500 or 78.5?",
        (
            b"region;year;measure;value\nKota Blitar;2023;indeks_x;78.500\n"
            b"Kabupaten Blitar;2023;indeks_x;81.250\n"
        ),
        {},
        ValidationError,
        (
            r"m.csv, line 2: value '78.500' could be 78500 \(Indonesian thousands "
            r"point\) or 78.5 \(English decimal point\); pass decimal="
        ),
    ),
    (
        "',' file, unquoted decimal comma shifts the columns",
        b"region,year,measure,value\nKota Blitar,2023,ombudsman_kepatuhan,78,5\n",
        {},
        MalformedFileError,
        (
            r"m.csv, line 2: 5 fields but the header \(line 1\) has 4: \['Kota "
            r"Blitar', '2023', 'ombudsman_kepatuhan', '78', '5'\]\. A decimal comma"
        ),
    ),
    (
        "extra field after a blank line: the real line is named",
        b"region;year;measure;value\n\n3505;2023;m;1\n3572;2023;m;2;x\n",
        {},
        MalformedFileError,
        r"line 4: 5 fields but the header \(line 1\) has 4",
    ),
    (
        "explicit decimal comma, a decimal point found",
        b"region;year;measure;value\n3505;2023;m;2.5\n",
        {"decimal": ","},
        MalformedFileError,
        r"line 2: value '2.5' is not a number written with decimal=','",
    ),
    (
        "explicit decimal point, a decimal comma found",
        b"region;year;measure;value\n3505;2023;m;78,5\n",
        {"decimal": "."},
        MalformedFileError,
        r"line 2: value '78,5' is not a number written with decimal='.'",
    ),
    (
        "unknown decimal",
        b"region;year;measure;value\n3505;2023;m;1\n",
        {"decimal": ";"},
        ValidationError,
        r"read_measures: decimal must be one of 'auto', ',', '.'; got ';'",
    ),
    (
        "ranges reversed",
        b"region;year;measure;value\n3505;2023;m;1\n",
        {"ranges": {"m": (100, 0)}},
        ValidationError,
        r"read_measures: ranges\['m'\] = \(100, 0\) is reversed: .* pass \(0, 100\)",
    ),
    (
        "ranges not a pair",
        b"region;year;measure;value\n3505;2023;m;1\n",
        {"ranges": {"m": 100}},
        ValidationError,
        r"read_measures: ranges\['m'\] must be a pair \(low, high\), not 100",
    ),
    (
        "ranges not a dict",
        b"region;year;measure;value\n3505;2023;m;1\n",
        {"ranges": [(0, 100)]},
        ValidationError,
        r"ranges must be a dict measure -> \(min, max\)",
    ),
    (
        "years reversed",
        b"region;year;measure;value\n3505;2023;m;1\n",
        {"years": (2025, 2000)},
        ValidationError,
        r"read_measures: years = \(2025, 2000\) is reversed",
    ),
    (
        "years text",
        b"region;year;measure;value\n3505;2023;m;1\n",
        {"years": ("2000", 2025)},
        ValidationError,
        r"read_measures: years must be a number; got '2000'",
    ),
    (
        "repeated column",
        b"region;year;measure;value;value\n3505;2023;m;1;2\n",
        {},
        MalformedFileError,
        r"m.csv, line 1: column 'value' appears twice \(columns 4 and 5\)",
    ),
    (
        "data under an unnamed column",
        b"region;year;measure;value;\n3505;2023;m;1;x\n",
        {},
        MalformedFileError,
        r"line 2: 'x' stands in column 5, which has no name",
    ),
    (
        "infinite value",
        b"region;year;measure;value\n3505;2023;m;inf\n",
        {},
        MalformedFileError,
        r"line 2: value 'inf' is not a number",
    ),
]


@pytest.mark.data
@pytest.mark.parametrize(
    "data, kwargs, error, message", [m[1:] for m in MISREAD], ids=[m[0] for m in MISREAD]
)
def test_read_measures_refuses_to_misread(tmp_path, data, kwargs, error, message):
    with pytest.raises(error, match=message) as info:
        service.read_measures(_csv(tmp_path, data), **kwargs)
    assert type(info.value) is error


@pytest.mark.data
@pytest.mark.parametrize(
    "data, decimal, expected",
    [
        (
            b'region,year,measure,value\n3505,2023,n,"1,234"\n3572,2023,n,"2,500"\n',
            ".",
            [1234, 2500],
        ),
        (
            b'region,year,measure,value\n3505,2023,n,"1,234"\n3572,2023,n,"2,500"\n',
            ",",
            [1.234, 2.5],
        ),
        (
            b"region;year;measure;value\n3505;2023;x;78.500\n3572;2023;x;81.250\n",
            ".",
            [78.5, 81.25],
        ),
        (
            b"region;year;measure;value\n3505;2023;x;78.500\n3572;2023;x;81.250\n",
            ",",
            [78500, 81250],
        ),
        # one value that can only be read one way decides the column
        (
            b"region;year;measure;value\n3505;2023;x;78.500\n3572;2023;x;81,25\n",
            "auto",
            [78500, 81.25],
        ),
        (b'region,year,measure,value\n3505,2023,n,"1,234"\n3572,2023,n,2.5\n', "auto", [1234, 2.5]),
        (b'region,year,measure,value\n3505,2023,n,"1,234.5"\n3572,2023,n,7\n', "auto", [1234.5, 7]),
    ],
)
def test_read_measures_decimal_option(tmp_path, data, decimal, expected):
    df = service.read_measures(_csv(tmp_path, data), decimal=decimal)
    assert df["value"].tolist() == expected


@pytest.mark.data
def test_read_measures_blank_lines_and_short_lines(tmp_path):
    # blank lines are skipped but counted; a short line has its trailing columns empty
    p = _csv(
        tmp_path,
        b"region;year;measure;value;zone\n\n3505;2023;ombudsman_kepatuhan;78,5\n"
        b"\n3572;2023;ombudsman_kepatuhan;;hijau\n",
    )
    df = service.read_measures(p)
    assert df["line"].tolist() == [3, 5]
    assert df["zone"].tolist() == ["", "hijau"] and df["value"].isna().tolist() == [False, True]
    with pytest.raises(
        ValidationError,
        match=r"m.csv, line 5: ombudsman_kepatuhan value 81 is "
        r"outside \[0, 80\]",
    ):
        service.read_measures(
            _csv(
                tmp_path,
                b"region;year;measure;value\n\n3505;2023;"
                b"ombudsman_kepatuhan;78,5\n\n3572;2023;"
                b"ombudsman_kepatuhan;81\n",
            ),
            ranges={"ombudsman_kepatuhan": (0, 80)},
        )


@pytest.mark.data
def test_read_measures_xlsx_rows_and_sheets(tmp_path):
    import openpyxl

    p = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Skor"
    ws.append([])  # a blank first row: the header is on row 2
    ws.append(["Region", "Year", "Measure", "Value"])
    ws.append(["Kota Blitar", 2023, "ombudsman_kepatuhan", 78.5])
    ws.append([])
    ws.append(["3505", 2023, "ombudsman_kepatuhan", "81,25"])
    wb.save(p)
    df = service.read_measures(p)
    assert df["value"].tolist() == [78.5, 81.25] and df["line"].tolist() == [3, 5]
    assert service.read_measures(p, sheet="Skor")["value"].tolist() == [78.5, 81.25]
    with pytest.raises(ValidationError, match=r"m.xlsx has no sheet 'Data'; it has \['Skor'\]"):
        service.read_measures(p, sheet="Data")
    with pytest.raises(ValidationError, match=r"m.xlsx has no sheet 3; it has \['Skor'\]"):
        service.read_measures(p, sheet=3)


@pytest.mark.data
def test_read_measures_lines_with_quoted_line_breaks_and_trailing_separators(tmp_path):
    # a cell spanning two lines: the next row's line is still the file's line
    p = _csv(
        tmp_path,
        b'region,year,measure,value,source\n3505,2023,m,1,"two\nlines"\n3572,2023,m,abc,x\n',
    )
    with pytest.raises(MalformedFileError, match=r"m.csv, line 4: value 'abc' is not a number"):
        service.read_measures(p)
    p = _csv(
        tmp_path, b'region,year,measure,value,source\n3505,2023,m,1,"two\nlines"\n3572,2023,m,2,x\n'
    )
    df = service.read_measures(p)
    assert df["line"].tolist() == [2, 4] and df["source"].tolist() == ["two\nlines", "x"]
    # empty fields after the last column (trailing separators) hold nothing: accepted
    p = _csv(tmp_path, b"region;year;measure;value\n3505;2023;m;1;;\n3572;2023;m;2\n")
    assert service.read_measures(p)["value"].tolist() == [1.0, 2.0]
