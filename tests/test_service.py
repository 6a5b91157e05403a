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
        "matched": 891, "unmatched": 1, "matched_by_elimination": 1}
    omb = service.load_compiled()
    assert len(omb) == 879 and (omb["measure"] == "ombudsman_kepatuhan").all()
    kendari = omb[(omb["bps_code"] == "7471") & (omb["year"] == 2022)]
    assert kendari["score"].tolist() == [58.99] and kendari["zone"].tolist() == ["kuning"]
    alor = omb[(omb["name"] == "Kabupaten Alor") & (omb["year"] == 2018)]
    assert alor["score"].tolist() == [48.94] and alor["conflict"].all()
    assert "48,84" in alor["notes"].item()  # the other source's figure stays visible
    assert set(omb["method"]) >= {"kepatuhan_2015_2019_sample_survey",
                                  "kepatuhan_2022_2024_four_dimensions"}
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
    p = write(tmp_path, "region,year,measure,value,zone,method\n"
                        "3505,2023,ombudsman_kepatuhan,78.5,kuning,m1\n"
                        "Kota Blitar,2023,ombudsman_kepatuhan,,hijau,m1\n"
                        "Kab. Malang,2023,spbe_index,3.1,,\n")
    df = service.read_measures(p)
    assert df["bps_code"].tolist() == ["3505", "3572", "3507"]
    assert df["value"].isna().tolist() == [False, True, False]


@pytest.mark.parametrize("text, error, message", [
    ("region,year,value\n3505,2023,1\n", MalformedFileError, r"line 1: missing columns \['measure'\]"),
    ("region,year,measure,value\n3505,20x3,m,1\n", MalformedFileError, r"line 2: year '20x3'"),
    ("region,year,measure,value\n3505,2023,m,abc\n", MalformedFileError, r"line 2: value 'abc'"),
    ("region,year,measure,value\nAtlantis,2023,m,1\n3505,2023,m,2\nGotham,2023,m,3\n",
     RegionNotFoundError, r"2 regions match no kabupaten/kota: line 2: 'Atlantis'; line 4: 'Gotham'"),
    ("region,year,measure,value\nBlitar,2023,m,1\n", AmbiguousRegionError, "Kota Blitar"),
    ("region,year,measure,value\n3505,2023,m,1\nKabupaten Blitar,2023,m,2\n", ValidationError,
     r"duplicate region-year-measure rows \(line 2: Kabupaten Blitar 2023 m; line 3"),
    ("region,year,measure,value\n3505,2023,ombudsman_kepatuhan,101\n", ValidationError,
     r"line 2: ombudsman_kepatuhan value 101 is outside \[0.0, 100.0\]"),
    ("region,year,measure,value,method\n3505,2021,m,1,a\n3572,2022,m,2,b\n", ValidationError,
     r"mixes methods \['a', 'b'\]"),
    ("region,year,measure,value,zone\n3505,2021,m,1,biru\n", ValidationError, "zone 'biru'"),
])
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
    t = pd.DataFrame({"bps_code": ["1", "1", "2", "3", "3"], "name": ["a", "a", "b", "c", "c"],
                      "year": [2022, 2022, 2022, 2022, 2023], "method": ["m"] * 5,
                      "score": [50, 60, 70, 80, 85.0]})
    with pytest.warns(DroppedRowsWarning, match="conflicting figures in 2022: 50, 60"):
        out = service.one_per_region(t, year=2022)
    assert out["bps_code"].tolist() == ["2", "3"]
    assert out.attrs["dropped"]["bps_code"].tolist() == ["1"]
    with pytest.warns(DroppedRowsWarning):
        latest = service.one_per_region(t, method="m", conflicts="latest")
    assert latest.set_index("bps_code")["score"].to_dict() == {"2": 70, "3": 85}
    with pytest.raises(ValidationError, match="no rows"):
        service.one_per_region(t, year=1999)
