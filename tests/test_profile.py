"""Region profiles: every region in both languages, province scheme, formation years,
claims from the curated table checked honestly."""

import re
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from cityresearch import cli, data, profile, regions
from cityresearch._errors import ValidationError

pytestmark = pytest.mark.data  # every test here reads the data files

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.data

#: English words that must not appear in an Indonesian profile (outside names,
#: quotes of the sources and URLs).
ENGLISH = re.compile(
    r"\b(the|of|and|with|province|peers|growth|published|among|signs?|provisional|"
    r"before|score|zone|yes|no|other|city|regency|regions?|share|rank|event|source|"
    r"none|median of|per person|billion|thousand)\b"
)
IDENT = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")  # snake_case identifiers
URL = re.compile(r"https?://\S+")


def _reader_text(p, lang):
    """Everything a reader sees of a profile, except source citations and quotes."""
    parts = list(profile.narrative(p, lang=lang))
    for key in profile.SECTIONS[1:]:
        t = profile.table(p, key, lang=lang)
        if isinstance(t, profile.Message):
            parts.append(t.text)
            continue
        f = t.frame.drop(
            columns=[
                c
                for c in t.frame.columns
                if c
                in (
                    "source",
                    "sumber",
                    "words of the source",
                    "kutipan sumber",
                    "speaker",
                    "pembicara",
                )
            ]
        )
        parts.append(" ".join(map(str, f.columns)))
        parts.extend(" ".join(map(str, r)) for r in f.itertuples(index=False))
    return "\n".join(parts)


@pytest.mark.slow
def test_every_region_in_both_languages_has_no_defect():
    table = regions.region_table().set_index("bps_code")
    n_prov = table.groupby("prov_kemendagri_code").size()
    failures = {}
    for code in table.index:
        row = table.loc[code]
        try:
            p = profile.assemble(code)
            assert set(profile.SECTIONS) <= set(p)
            sh = p["shares"]
            # ranks use the 2025 province of the statement
            assert (sh["n_province"] == n_prov[row["prov_kemendagri_code"]]).all(), "scheme"
            assert (sh["rank_province"] <= sh["n_province"]).all()
            assert (sh["province"] == row["province"]).all()
            prov_row = p["comparison"].set_index("what").loc["province"]
            assert prov_row["n_regions"] == n_prov[row["prov_kemendagri_code"]]
            # timeline in date order
            keys = [profile._date_key(d) for d in p["timeline"]["date"]]
            assert keys == sorted(keys), "timeline order"
            for lang in profile.LANGS:
                text = _reader_text(p, lang)
                assert "Empty DataFrame" not in text
                assert "nan" not in re.findall(r"\b\w+\b", text), "nan shown"
                ids = IDENT.findall(URL.sub("", text))
                assert not ids, f"raw identifiers {ids[:3]}"
                narrative = " ".join(profile.narrative(p, lang=lang))
                sh_end = sh[sh["year"] == p["window"]["end"]].iloc[0]
                of = "of its" if lang == "en" else "dari"
                assert (
                    f"{int(sh_end['rank_province'])} {of} {int(sh_end['n_province'])} kab/kota"
                    in narrative
                )
                assert row["province"] in narrative
                if lang == "id":
                    names = [
                        row["name"],
                        str(p["window"]["parent_name"]).title(),
                        "Gerakan Menuju 100 Smart City",
                        str(p["comparison"].attrs["nearest"]),
                    ]
                    clean = URL.sub("", text)
                    for n in names:
                        clean = clean.replace(n, "")
                    clean = re.sub(r"(?i)smart city", "", clean)  # the programme's name in both
                    english = ENGLISH.findall(clean)
                    assert not english, f"untranslated: {english[:5]}"
                if p["window"]["first_listed"]:
                    assert (
                        "first appears" if lang == "en" else "pertama kali tercantum"
                    ) in narrative
        except AssertionError as exc:
            failures[code] = str(exc)[:200]
    assert failures == {}, f"{len(failures)} regions fail: {list(failures.items())[:5]}"


def test_formation_year_from_the_code_history_and_growth_window():
    """Tangerang Selatan (formed 2008) first appears in the 2010 code list; its growth
    is compared from 2010, checked against a CAGR computed here from the raw panel."""
    p = profile.assemble("Kota Tangerang Selatan")
    w = p["window"]
    assert (w["first_listed"], w["start"], w["before_snapshot"]) == (2010, 2010, "2000")
    panel = data.load_district_panel()
    s = panel[panel["bps_code"] == "3674"].set_index("year")["grdp_idr_bn"]
    expected = 100 * ((s[2019] / s[2010]) ** (1 / 9) - 1)
    assert p["comparison"].at[0, "grdp_cagr_2010_2019_pct"] == pytest.approx(expected, rel=1e-12)
    text = " ".join(profile.narrative(p))
    assert "code list of the second half of 2010 (in 2000 it was part of Tangerang)" in text
    assert "from 2010 to 2019" in text
    assert p["series"].loc[p["series"]["year"] < 2010, "before_formation"].all()
    pang = profile.assemble("Kabupaten Pangandaran")["window"]  # law of 2012
    assert pang["first_listed"] == 2012 and pang["first_snapshot"] == "2012-2"
    assert profile.assemble("Kabupaten Blitar")["window"]["first_listed"] is None


def test_formation_years_small_example():
    h = pd.DataFrame(
        {
            "kode_2000": ["11", "11", "12"],
            "nama_2000": ["A", "A", "C"],
            "kode_20102": ["11", "13", "12"],
            "nama_20102": ["A", "A BARU", "C"],
            "kode_20121": ["11", "13", "12"],
            "nama_20121": ["A", "A BARU", "C LAMA"],
        }
    )
    f = profile.formation_years(h).set_index("bps_code")
    assert np.isnan(f.at["11", "first_listed"]) and f.at["13", "first_listed"] == 2010
    assert f.at["13", "parent_name"] == "A" and np.isnan(
        f.at["12", "first_listed"]
    )  # renamed, not new
    with pytest.raises(ValidationError, match="kode_<snapshot>"):
        profile.formation_years(pd.DataFrame({"x": [1]}))


def test_province_scheme_is_2025_for_papua_tengah():
    """Mimika: in Papua Tengah and ranked among Papua Tengah's 8 kab/kota (not 29 of old Papua);
    its share recomputed here from the panel and the region table."""
    p = profile.assemble("Kabupaten Mimika")
    sh = p["shares"].set_index("year").loc[2019]
    table = regions.region_table()
    members = table.loc[table["province"] == "Papua Tengah", "bps_code"]
    panel = data.load_district_panel()
    y = panel[(panel["year"] == 2019) & panel["bps_code"].isin(members)].set_index("bps_code")[
        "grdp_idr_bn"
    ]
    assert len(members) == 8 and sh["n_province"] == 8 and sh["rank_province"] == 1
    assert sh["share_province_pct"] == pytest.approx(100 * y["9412"] / y.sum())
    text = " ".join(profile.narrative(p, lang="en"))
    assert "Papua Tengah province, part of Papua province until 2022" in text
    assert "rank 1 of its 8 kab/kota" in text


def test_blitar_claims_from_the_curated_table_checked_and_gaps_named():
    p = profile.assemble("Kabupaten Blitar")
    c = p["claims"].set_index("claim_id")
    # growth recomputed here from the panel, and the rounding bounds by hand
    s = data.load_district_panel().query("bps_code == '3505'").set_index("year")["grdp_idr_bn"]
    g16 = 100 * (s[2016] / s[2015] - 1)
    assert c.at["growth_2016", "data_value"] == pytest.approx(round(g16, 4))
    assert round(g16, 2) == 5.08 and c.at["growth_2016", "status"] == "differs"
    assert c.at["growth_2016", "rounding_hi"] == pytest.approx(
        100 * ((s[2016] + 0.5) / (s[2015] - 0.5) - 1)
    )
    assert c.at["growth_2016", "rounding_hi"] < 5.085  # rounding cannot reach 5.09
    assert round(c.at["growth_2017", "data_value"], 2) == 5.07
    assert (
        c.at["jatim_selected", "status"] == "agrees" and c.at["jatim_selected", "data_value"] == 8
    )
    assert c.loc[["inflation", "ict_growth"], "status"].tolist() == ["not_checked"] * 2
    assert c.at["inflation", "year_stated"] == "none"
    assert (
        c["source"] == "news report of the Pemerintah Kabupaten Blitar smart-city technical "
        "guidance, 2-3 July 2018 (Tim/VDZ)"
    ).all()
    text = " ".join(profile.narrative(p, lang="en"))
    assert "rounding of the published GRDP" not in text.lower().replace(
        "rounding of the published grdp to", ""
    )
    assert (
        "Economic growth 2016: 5.09%; the GRDP series at constant 2010 prices gives 5.08%, 0.01 "
        "points lower" in text
    )
    assert (
        "allows only 5.074-5.084%" in text
        and "a different BPS release (vintage) or a later revision" in text
    )
    assert "Inflation (no year given): 3.44%; the toolkit has no data to check it." in text
    idn = " ".join(profile.narrative(p, lang="id"))
    assert "Inflasi (tahun tidak disebut): 3,44%" in idn
    assert "MoU Gerakan Menuju 100 Smart City pada 2018" in idn
    sh = p["shares"].set_index("year").loc[2019]
    assert sh["rank_province"] == 17 and sh["n_province"] == 38


def test_claims_table_is_sourced_and_the_programme_counts_check():
    claims = profile.load_claims()
    assert claims["source"].str.contains("Tim/VDZ").all() and claims["quote"].str.len().gt(10).all()
    assert set(claims["year_stated"]) <= {"stated", "context", "none"}
    panel = data.load_district_panel()
    cohorts = data.load_smart_city_cohorts()
    checked = profile.check_claims(
        claims,
        panel=panel,
        cohorts=cohorts,
        table=regions.region_table(),
        secondary_counts={"kota_band": 70, "kota_all": 88},
    )
    c = checked.set_index("claim_id")
    listed = cohorts["listed_years"].astype(str).str.split(";")
    expected = ";".join(str(sum(str(y) in ys for ys in listed)) for y in (2017, 2018, 2019))
    assert (
        c.at["cohorts", "data_text"] == expected == "25;50;25"
        and c.at["cohorts", "status"] == "agrees"
    )
    assert c.at["asean_secondary", "status"] == "no_definition"
    assert c.at["asean_secondary", "data_text"] == "kota_band=70;kota_all=88"


def test_never_participant_uses_nearest_cohort():
    p = profile.assemble("3572")  # Kota Blitar, enclave of Kabupaten Blitar (2018)
    assert p["comparison"].attrs["nearest"] == "Kabupaten Blitar"
    t = profile.table(p, "comparison", lang="id").frame
    assert (
        "kohort smart city 2018 dari peserta terdekat, Kabupaten Blitar (median)"
        in t.iloc[:, 0].tolist()
    )


def test_tables_translate_and_keep_full_links():
    p = profile.assemble("Kabupaten Blitar")
    sq = profile.table(p, "service_quality", lang="id")
    url = p["service_quality"].at[0, "source_url"]
    assert url in repr(sq) and f'href="{url}"' in sq._repr_html_()
    assert list(sq.frame.columns)[:3] == ["tahun", "ukuran", "metode"]
    assert sq.frame.at[0, "zona"] == "kuning"
    empty = profile.table(profile.assemble("3101"), "claims", lang="id")
    assert isinstance(empty, profile.Message) and "Tidak ada pernyataan" in empty.text
    with pytest.raises(ValidationError, match="lang must be"):
        profile.table(p, "series", lang="fr")


@pytest.mark.parametrize("code", ["3572", "9412", "3101"])  # a kota, Papua after 2022, an island
def test_profile_renders(code, tmp_path):
    p = profile.assemble(code)
    m = profile.profile_map(code, lang="id")
    d = m.drawn.set_index("bps_code")
    assert d.loc[code, "class"] == "daerah ini"
    m.save(tmp_path / f"{code}.png", dpi=60)
    assert (tmp_path / f"{code}.png").stat().st_size > 5_000
    fig = profile.series_figure(p, lang="id")
    assert fig.axes[0].get_ylabel() == "% per tahun" and fig.axes[1].get_xlabel() == "tahun"
    if code == "9412":
        assert (
            p["identity"]["province"] == "Papua Tengah" and p["identity"]["province_34"] == "Papua"
        )


@pytest.mark.slow
def test_cli_profile_writes_html_and_refuses_ambiguous_names(tmp_path, capsys):
    nb = ROOT / "notebooks" / "05_region_profile.ipynb"
    assert cli.main(["profile", "Blitar", "--notebook", str(nb), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Kabupaten Blitar (BPS 3505" in err and "Kota Blitar (BPS 3572" in err
    assert (
        cli.main(["profile", "3101", "--lang", "id", "--notebook", str(nb), "--out", str(tmp_path)])
        == 0
    )
    html = (tmp_path / "profiles" / "profile-3101-id.html").read_text()
    assert "Kepulauan Seribu" in html and "Ringkasan" in html
    assert "Empty DataFrame" not in html and "kota_band" not in html
    assert not list(tmp_path.glob("*.ipynb"))  # only under profiles/


def test_shrinking_gdp_is_said_in_words_not_as_negative_growth():
    p = profile.assemble("9412")  # Mimika: GRDP fell over the window
    cagr = p["comparison"].iloc[0]
    assert (cagr.filter(like="cagr") < 0).any()
    en = " ".join(profile.narrative(p, lang="en"))
    idn = " ".join(profile.narrative(p, lang="id"))
    assert "Its GRDP shrank" in en and "grew -" not in en
    assert "PDRB-nya turun" in idn and "tumbuh -" not in idn


def test_series_table_shows_every_year_with_data():
    p = profile.assemble("3572")  # Kota Blitar
    s = p["series"]
    with_data = s.loc[
        s[["pop", "grdp_idr_bn", "grdp_pc_idr_k", "grdp_pc_2024_series_idr_k"]].notna().any(axis=1),
        "year",
    ]
    t = profile.table(p, "series", lang="en").frame
    assert t["year"].tolist() == [str(int(y)) for y in with_data]
    # odd years are rows too, and the years run without a gap
    years = t["year"].astype(int)
    assert {2001, 2003, 2011} <= set(years)
    assert (years.diff().dropna() == 1).all()
    # a row holds that year's values (GRDP at constant 2010 prices, IDR billion)
    y2001 = s.loc[s["year"] == 2001, "grdp_idr_bn"].item()
    row = t[t["year"] == "2001"].iloc[0]
    assert row["GRDP (IDR billion, 2010 prices)"] == f"{y2001:,.0f}"


def test_heading_and_sources_text_take_lang_by_name():
    from cityresearch._errors import CityResearchDeprecationWarning

    assert profile.heading("summary", lang="id") == "## Ringkasan"
    with pytest.warns(CityResearchDeprecationWarning, match=r"pass lang=\.\.\. by name"):
        old = profile.heading("summary", "id")
    assert old == "## Ringkasan"
    new = profile.sources_text(lang="id")
    assert new.startswith("Data:\n- ") and "Pernyataan resmi" in new
    with pytest.warns(CityResearchDeprecationWarning, match=r"sources_text\(\): passing lang"):
        assert profile.sources_text("id") == new


def _claims(**change):
    row = {"claim_id": "g", "bps_code": "3505", "value": "5.0", "year": "2016"}
    row["check"] = "grdp_growth"
    row.update(change)
    return pd.DataFrame([row])


_PANEL = pd.DataFrame(
    {"bps_code": ["3505", "3505"], "year": [2015, 2016], "grdp_idr_bn": [1000.0, 1050.0]}
)
_NONE = pd.DataFrame(columns=["bps_code", "province", "listed_years"])


@pytest.mark.parametrize(
    "claims, panel, message",
    [
        (_claims(check="growth"), _PANEL, r"claim 'g' has check 'growth'; use one of grdp_growth"),
        (_claims(value="lima"), _PANEL, r"claim 'g' has value 'lima' and year '2016'"),
        (_claims(year="2016?"), _PANEL, r"claim 'g' has value '5.0' and year '2016\?'"),
        (_claims(), _PANEL.drop(columns="grdp_idr_bn"), r"grdp_idr_bn"),
        (_claims().drop(columns="check"), _PANEL, r"check"),
        (
            _claims(check="cohort_count_province", bps_code="9999", value="3"),
            _PANEL,
            r"claim 'g' names region '9999', which is not in table\['bps_code'\]",
        ),
    ],
)
def test_check_claims_refuses_bad_input_naming_the_claim(claims, panel, message):
    with pytest.raises(ValidationError, match=message):
        profile.check_claims(claims, panel=panel, cohorts=_NONE, table=_NONE)


def test_check_claims_good_input_hand_computed():
    # 1,000 -> 1,050 is 5.0 % growth; a claim of 5.1 % differs by -0.1 point
    r = profile.check_claims(_claims(value="5.1"), panel=_PANEL, cohorts=_NONE, table=_NONE)
    assert r.at[0, "status"] == "differs"
    assert r.at[0, "difference"] == pytest.approx(-0.1)


def test_heading_refuses_an_unknown_key():
    with pytest.raises(ValidationError, match=r"heading: .*'summery'"):
        profile.heading("summery", lang="en")
