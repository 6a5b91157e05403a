"""Region registry: codes, names, matching, conversion across the Papua split."""

import pytest

from cityresearch import regions
from cityresearch._errors import AmbiguousRegionError, RegionNotFoundError, ValidationError

pytestmark = pytest.mark.data  # every test here reads the data files


@pytest.fixture(scope="module")
def table():
    return regions.region_table()


def test_registry_is_complete_and_one_to_one(table):
    assert len(table) == 514
    for col in ("bps_code", "kemendagri_code", "kemendagri_2017_code"):
        assert table[col].notna().all() and table[col].is_unique
    assert (table["type"] == "kota").sum() == 98
    assert table["province"].nunique() == 38 and table["province_34"].nunique() == 34
    assert len(regions.unmatched_regions()) == 0
    assert table["island_group"].notna().all()


def test_codes_differ_between_systems(table):
    row = table.set_index("bps_code").loc["1107"]
    assert row["kemendagri_code"] == "11.05" and row["name"] == "Kabupaten Aceh Barat"
    assert (
        table.set_index("bps_code").loc["1102", "kemendagri_code"] == "11.10"
    )  # '11.1' in the CSV


def test_province_table():
    prov = regions.province_table().set_index("prov_kemendagri_code")
    assert len(prov) == 38 and prov["n_kabkota"].sum() == 514
    assert prov.loc["94", "province"] == "Papua Tengah" and prov.loc["94", "split_2022"]
    assert prov.loc["94", "prov_bps_2017_code"] == "94"  # carved out of BPS 94 (Papua)
    assert (
        prov.loc["96", "prov_bps_2017_code"] == "91"
    )  # Papua Barat Daya from BPS 91 (Papua Barat)


def test_convert_codes_across_the_papua_split():
    assert regions.convert_codes("9412").item() == "94.04"  # Mimika
    assert regions.convert_codes("94.04", source="kemendagri", target="bps").item() == "9412"
    assert regions.convert_codes("91.09", source="kemendagri_2017").item() == "94.04"
    assert (
        regions.convert_codes("94.04", source="kemendagri", target="kemendagri_2017").item()
        == "91.09"
    )
    out = regions.convert_codes(["3505", "3572"])
    assert out.tolist() == ["35.05", "35.72"]


def test_convert_unknown_codes():
    with pytest.raises(RegionNotFoundError, match="9999"):
        regions.convert_codes(["3505", "9999"])
    with pytest.warns(UserWarning, match="9999"):
        out = regions.convert_codes(["3505", "9999"], errors="coerce")
    assert out.isna().tolist() == [False, True]
    with pytest.raises(ValidationError):
        regions.convert_codes("3505", target="iso")


@pytest.mark.parametrize(
    "name",
    [
        "Kab. Blitar",
        "KABUPATEN BLITAR",
        "Blitar Regency",
        "Kabupaten Blitar",
        "Pemkab Blitar",
        "kab blitar",
        "3505",
        "35.05",
    ],
)
def test_match_spellings_of_kabupaten_blitar(name):
    assert regions.match_regions([name])["bps_code"].item() == "3505"


@pytest.mark.parametrize(
    "names, code",
    [
        (["Kota Blitar", "Blitar City", "Pemkot Blitar", "KOTA BLITAR"], "3572"),
        (["Tolitoli", "Toli-Toli", "Kab. Toli Toli"], "7206"),
        (["Pangkajene Kepulauan", "Pangkajene dan Kepulauan", "Kab. Pangkajene dan Kep."], "7309"),
        (
            ["Kota Adm. Jakarta Selatan", "Jakarta Selatan", "Kota Administrasi Jakarta Selatan"],
            "3171",
        ),
        (["Kotabaru", "Kota Baru", "Kab. Kotabaru"], "6302"),
        (["Toba Samosir", "Toba"], "1206"),
        (["Mamuju Utara", "Pasangkayu"], "7605"),
        (["Kotamobagu", "Kota Kotamobagu"], "7174"),
        (["Limapuluh Kota", "Kabupaten Lima Puluh Kota"], "1308"),
    ],
)
def test_match_variants(names, code):
    assert regions.match_regions(names)["bps_code"].tolist() == [code] * len(names)


def test_bare_blitar_is_ambiguous():
    with pytest.raises(AmbiguousRegionError) as info:
        regions.match_regions(["Kab. Malang", "Blitar"])
    msg = str(info.value)
    assert "Kabupaten Blitar (BPS 3505" in msg and "Kota Blitar (BPS 3572" in msg
    assert "type=" in msg
    assert sorted(info.value.candidates) == ["3505", "3572"]
    assert regions.match_regions(["Blitar"], type="kota")["bps_code"].item() == "3572"
    assert regions.match_regions(["Blitar"], type="kabupaten")["bps_code"].item() == "3505"


def test_province_restricts_candidates():
    # "Bima" is a kabupaten and a kota in NTB; "Sorong" in Papua Barat Daya
    with pytest.raises(AmbiguousRegionError):
        regions.match_regions(["Sorong"])
    assert (
        regions.match_regions(["Kota Sorong"], province="Papua Barat Daya")["bps_code"].item()
        == "9171"
    )
    assert regions.match_regions(["Kab. Malang"], province="East Java")["bps_code"].item() == "3507"
    with pytest.warns(UserWarning):
        out = regions.match_regions(["Kab. Malang"], province="Bali")
    assert not out["matched"].item()
    with pytest.raises(RegionNotFoundError):
        regions.match_regions(["Kab. Malang"], province="Atlantis")


def test_unmatched_names_are_reported_not_dropped():
    with pytest.warns(UserWarning, match="1 of 3 names matched no region: 'Atlantis'"):
        out = regions.match_regions(["Kota Blitar", "Atlantis", "Kab. Blitar"])
    assert out["input"].tolist() == ["Kota Blitar", "Atlantis", "Kab. Blitar"]
    assert out["matched"].tolist() == [True, False, True]
    assert out["bps_code"].tolist()[0::2] == ["3572", "3505"]


def test_lookup():
    assert regions.lookup("Kab. Blitar")["kemendagri_code"] == "35.05"
    with pytest.raises(RegionNotFoundError, match="spelling"):
        regions.lookup("Gotham")
    with pytest.raises(AmbiguousRegionError):
        regions.lookup("Blitar")


@pytest.mark.parametrize(
    "name, code",
    [
        ("Pemko Dumai", "1473"),
        ("Pemda Kota Sorong", "9171"),
        ("Tegal (kota)", "3376"),
        ("Pemkab Halsel (Halmahera Selatan)", "8204"),
        ("Kabupaten Ogan Komering Ilir (OKI)", "1602"),
        ("Sidrap", "7314"),
        ("Pangkep", "7309"),
        ("Kabupaten Limapuluh Kota", "1308"),
        ("Kabupaten Sumbawa Barat [sic]", "5207"),
    ],
)
def test_news_spellings_and_abbreviations(name, code):
    assert regions.match_regions([name])["bps_code"].item() == code


def test_province_spellings():
    out = regions.match_regions(["Pemkab Bantul"], province="DI Yogyakarta")
    assert out["bps_code"].item() == "3402"


@pytest.mark.data
def test_bare_names_as_bps_tables_write_them():
    """BPS "Dalam Angka" tables write the kabupaten bare and the kota as "Kota ..."."""
    names = ["Magelang", "Kota Magelang", "Semarang", "Kota Semarang", "Kab. Purbalingga", "3301"]
    with pytest.raises(AmbiguousRegionError) as err:
        regions.match_regions(names, province="Jawa Tengah")
    msg = str(err.value)
    # every ambiguous name in one message, with what to do
    assert msg.startswith("2 names fit more than one region: 'Magelang': Kabupaten Magelang")
    assert "'Semarang': Kabupaten Semarang (BPS 3322" in msg and "bare='kabupaten'" in msg
    assert err.value.candidates == ["3308", "3371"]
    m = regions.match_regions(names, province="Jawa Tengah", bare="kabupaten")
    assert m["bps_code"].tolist() == ["3308", "3371", "3322", "3374", "3303", "3301"]
    assert regions.match_regions(["Blitar"], bare="kota")["bps_code"].tolist() == ["3572"]
    # a prefix always wins over bare=
    assert regions.match_regions(["Kab. Blitar"], bare="kota")["bps_code"].tolist() == ["3505"]
    with pytest.raises(ValidationError, match=r"bare must be 'kabupaten' or 'kota', not 'kab'"):
        regions.match_regions(["Blitar"], bare="kab")
