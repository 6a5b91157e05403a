"""Region profiles: every region assembles; a handful render; claims are checked honestly."""

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from cityresearch import cli, profile, regions
from cityresearch._errors import AmbiguousRegionError

pytestmark = pytest.mark.data  # every test here reads the data files

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]


def test_every_region_assembles():
    failures = {}
    for code in regions.region_table()["bps_code"]:
        try:
            p = profile.assemble(code)
            assert set(profile.SECTIONS) <= set(p)
            assert len(p["series"]) >= 20 and len(p["comparison"]) == 4
            assert len(profile.narrative(p, lang="en")) >= 6
            assert len(profile.narrative(p, lang="id")) >= 6
        except Exception as exc:  # noqa: BLE001 - collect every failing region
            failures[code] = f"{type(exc).__name__}: {exc}"
    assert failures == {}, f"{len(failures)} regions fail: {list(failures.items())[:5]}"


def test_blitar_claims_checked_and_gaps_named():
    p = profile.assemble("Kabupaten Blitar")
    c = p["claims"].set_index(["label", "year"])
    assert c.loc[("economic growth", 2016), "data_value"] == pytest.approx(5.08)
    assert c.loc[("economic growth", 2017), "data_value"] == pytest.approx(5.07)
    assert c.loc[("economic growth", 2017), "difference_pp"] == pytest.approx(-0.05)
    nodata = p["claims"][p["claims"]["data_value"].isna()]["label"].tolist()
    assert nodata == ["inflation", "ICT-sector growth"]
    text = " ".join(profile.narrative(p, lang="id"))
    assert "Inflasi yang dilaporkan: 3,44%; toolkit tidak memiliki data" in text
    assert "MoU Gerakan Menuju 100 Smart City pada 2018" in text
    sh = p["shares"].set_index("year").loc[2019]
    assert sh["rank_province"] == 17 and sh["n_province"] == 38
    assert p["comparison"].at[3, "comparison"].startswith("smart-city cohort 2018")


def test_never_participant_uses_nearest_cohort():
    p = profile.assemble("3572")  # Kota Blitar, enclave of Kabupaten Blitar (2018)
    assert "never joined; nearest participant Kabupaten Blitar" in p["comparison"].at[3, "comparison"]


@pytest.mark.parametrize("code", ["3572", "9412", "3101"])  # a kota, Papua after 2022, an island
def test_profile_renders(code, tmp_path):
    p = profile.assemble(code)
    m = profile.profile_map(code, lang="id")
    d = m.drawn.set_index("bps_code")
    assert d.loc[code, "class"] == "daerah ini"
    m.save(tmp_path / f"{code}.png", dpi=60)
    assert (tmp_path / f"{code}.png").stat().st_size > 5_000
    if code == "9412":
        assert p["identity"]["province"] == "Papua Tengah" and p["identity"]["province_34"] == "Papua"


def test_cli_profile_writes_html_and_refuses_ambiguous_names(tmp_path, capsys):
    nb = ROOT / "notebooks" / "05_region_profile.ipynb"
    assert cli.main(["profile", "Blitar", "--notebook", str(nb), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Kabupaten Blitar (BPS 3505" in err and "Kota Blitar (BPS 3572" in err
    assert cli.main(["profile", "3101", "--lang", "id", "--notebook", str(nb),
                     "--out", str(tmp_path)]) == 0
    html = (tmp_path / "profiles" / "profile-3101-id.html").read_text()
    assert "Kepulauan Seribu" in html and "Ringkasan" in html
    assert not list(tmp_path.glob("*.ipynb"))  # only under profiles/
