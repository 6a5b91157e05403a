"""Loaders return the sources' real values, tidy and with units."""

import numpy as np
import pytest
import shapely

from cityresearch import data
from cityresearch._errors import MalformedFileError, ValidationError
from cityresearch._parsers import parse_boundaries_sql, parse_indonesia514

pytestmark = pytest.mark.data  # every test here reads the data files


@pytest.fixture(scope="module")
def kab():
    return data.load_boundaries("kabkota")


def test_district_panel_blitar():
    panel = data.load_district_panel()
    assert panel["bps_code"].nunique() == 514
    assert sorted(panel["year"].unique()) == list(range(2000, 2020))
    row = panel[(panel["bps_code"] == "3505") & (panel["year"] == 2017)].iloc[0]
    assert row["grdp_idr_bn"] == 23107
    assert row["pop"] == 1153803
    assert row["grdp_pc_idr_k"] == 20027


def test_panel_units_agree_after_correction():
    # IDR bn * 1e6 / persons = IDR thousand per person, in every row but one
    bad = data.panel_inconsistencies()
    assert bad[["bps_code", "year"]].values.tolist() == [["9433", 2017]]
    panel = data.load_district_panel().set_index(["bps_code", "year"])
    # Karanganyar (3313, Jawa Tengah) and Karangasem (5107, Bali) were swapped in the source
    assert panel.loc[("3313", 2015), "pop"] == 856198
    assert panel.loc[("3313", 2015), "grdp_idr_bn"] == 21285
    assert panel.loc[("5107", 2017), "grdp_idr_bn"] == 10006
    assert panel.loc[("3313", 2018), "grdp_pc_idr_k"] == 28610  # indonesia514: 28,610
    assert panel["corrected"].sum() == 40


def test_grdp_per_capita_2024_parses_and_rekeys():
    pc = data.load_grdp_per_capita()
    assert len(pc) == 514 * 25 and pc["bps_code"].is_unique is False
    assert pc["bps_code"].nunique() == 514
    simeulue = pc[pc["bps_code"] == "1101"].set_index("year")["grdp_pc_idr_k"]
    assert simeulue[2000] == 8200 and simeulue[2024] == 19128  # " 8,200 ", " 19,128 "
    mimika = pc[pc["bps_code"] == "9412"].set_index("year")
    assert mimika.loc[2024, "bps_code_source"] == "9471"  # the file's label is shifted
    assert mimika.loc[2024, "grdp_pc_idr_k"] == 276992
    rekeyed = pc.drop_duplicates("bps_code")
    assert (rekeyed["bps_code"] != rekeyed["bps_code_source"]).sum() == 37
    panel = data.load_district_panel()
    both = panel.merge(pc, on=["bps_code", "year"], suffixes=("", "_514"))
    early = both[both["year"] <= 2015]
    assert (np.abs(early["grdp_pc_idr_k"] / early["grdp_pc_idr_k_514"] - 1) < 0.01).mean() > 0.99


def test_province_grdp_per_capita():
    prov = data.load_province_grdp_per_capita()
    assert prov["prov_bps_code"].nunique() == 34
    aceh = prov[(prov["prov_bps_code"] == "11") & (prov["year"] == 2019)]
    assert aceh["grdp_pc_idr_k"].item() == 24590


def test_kabkota_boundaries(kab):
    assert len(kab) == 514 and kab.crs.to_epsg() == 4326
    assert kab.geometry.is_valid.all() and (kab.geom_type == "MultiPolygon").all()
    minx, miny, maxx, maxy = kab.total_bounds  # lon/lat, not lat/lon
    assert 94 < minx < 96 and 140 < maxx < 142 and -12 < miny < -10 and 5 < maxy < 7
    blitar = kab.set_index("bps_code").loc["3505"]
    assert blitar["kemendagri_code"] == "35.05" and blitar["name"] == "Kabupaten Blitar"


def test_repair_keeps_area(kab, mirror):
    paths = sorted(mirror.glob("cahyadsn/wilayah_boundaries/*/db/kab/*.sql"))
    raw = parse_boundaries_sql(paths).set_index("kode")
    invalid = ~shapely.is_valid(raw["geometry"].to_numpy())
    assert invalid.sum() > 100  # the source ships about 124 invalid shapes
    repaired = kab.set_index("kemendagri_code").geometry.loc[raw.index]
    # an invalid shape's signed area can be negative (Kabupaten Sorong): compare sizes
    before = np.abs(shapely.area(raw["geometry"].to_numpy()))
    rel = np.abs(shapely.area(repaired.to_numpy()) / before - 1)
    assert rel.max() < 1e-3


def test_kota_blitar_is_an_enclave_of_kabupaten_blitar(kab):
    k = kab.set_index("bps_code")
    kota = k.geometry["3572"]
    touching = k.index[k.geometry.intersects(kota.buffer(0.003))].tolist()
    assert sorted(touching) == ["3505", "3572"]
    assert k.geometry["3505"].convex_hull.contains(kota)


def test_provinces_are_unions_of_their_kabkota(kab):
    prov = data.load_boundaries("provinsi")
    assert len(prov) == 38 and prov["n_kabkota"].sum() == 514
    jatim = prov.set_index("prov_kemendagri_code").loc["35"]
    assert jatim["province"] == "Jawa Timur" and jatim["n_kabkota"] == 38
    parts = kab[kab["prov_kemendagri_code"] == "35"].geometry.union_all()
    assert abs(jatim.geometry.area - parts.area) < 1e-9
    assert (prov["shipped_iou"] > 0.9).all()


def test_second_load_comes_from_parquet(kab):
    from cityresearch import settings

    key = data.cache_key("boundaries_kabkota")
    manifest = settings.get_cache_folder() / "parsed" / f"boundaries_kabkota-{key}.json"
    assert manifest.is_file()
    again = data.load_boundaries("kabkota")
    assert again.equals(kab)


@pytest.mark.parametrize(
    "module, name",
    [("growth", "region_frame"), ("policy", "participation_frame"), ("economy", "attach_province")],
)
def test_old_names_warn_and_are_the_panels_functions(module, name):
    import importlib
    import subprocess
    import sys

    from cityresearch import CityResearchDeprecationWarning, panels

    mod = importlib.import_module(f"cityresearch.{module}")
    with pytest.warns(CityResearchDeprecationWarning, match=rf"use cityresearch\.panels\.{name}"):
        old = getattr(mod, name)
    assert old is getattr(panels, name)
    with pytest.raises(AttributeError, match="has no attribute 'no_such'"):
        mod.no_such  # noqa: B018
    # the analysis module does not import panels (the assembly of frames) when it loads
    code = f"import sys, cityresearch.{module}; print('cityresearch.panels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cohorts():
    coh = data.load_smart_city_cohorts()
    assert len(coh) == 98 and coh["bps_code"].is_unique
    listed = coh["listed_years"].str.split(";").explode().value_counts()
    assert listed.to_dict() == {"2018": 50, "2017": 25, "2019": 25}
    years = coh.set_index("bps_code")["cohort_year"]
    assert years["3505"] == 2018 and years["3276"] == 2019 and years["3302"] == 2018
    assert coh["source_url"].str.startswith("http").all()
    from cityresearch import regions

    assert set(coh["bps_code"]) <= set(regions.region_table()["bps_code"])


def test_mpdta_and_reference():
    mp = data.load_mpdta()
    assert len(mp) == 2500 and mp["countyreal"].nunique() == 500
    ref = data.load_did_reference("aggte")
    simple = ref[(ref["scenario"] == "mpdta_nev_dr") & (ref["type"] == "simple")]
    assert simple["overall_att"].item() == pytest.approx(-0.0399513, abs=1e-7)
    with pytest.raises(ValidationError):
        data.load_did_reference("other")


def test_malformed_sql_names_file_and_line(tmp_path):
    f = tmp_path / "broken.sql"
    f.write_text("INSERT INTO x VALUES\n('35.05','Kabupaten Blitar',-8.1,112.2,'[[[1,2],[3,4]')\n")
    with pytest.raises(MalformedFileError, match=r"broken.sql, line 2"):
        parse_boundaries_sql([f])


def test_malformed_csv_names_file_line_and_column(tmp_path):
    f = tmp_path / "gdp_pc.csv"
    f.write_text('districtID,district,grdp_pc_2000\n1101,Simeulue," 8,200 "\n1102,Singkil,n/a\n')
    with pytest.raises(MalformedFileError, match=r"gdp_pc.csv, line 3, column 'grdp_pc_2000'"):
        parse_indonesia514(f)


def test_unknown_level():
    with pytest.raises(ValidationError, match="kabkota"):
        data.load_boundaries("kecamatan")
