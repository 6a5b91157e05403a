"""The new sources on their real values, checked against the raw files read independently."""

import csv
import json

import numpy as np
import pytest

from cityresearch import data, panels, regions

pytestmark = pytest.mark.data


def _raw_csv(name):
    (path,) = data.fetch(name)
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# --- code history ---------------------------------------------------------------------


def test_code_history_shows_formation():
    raw = {r["kode_20181"]: r for r in _raw_csv("csv/historic_kabupaten.csv")}
    # Pangandaran carries Ciamis's code until 2012 S1 and its own from 2012 S2
    assert raw["3218"]["kode_20121"] == "3207" and raw["3218"]["kode_20122"] == "3218"
    hist = data.load("code_history").set_index(["bps_code", "period"])["exists"]
    assert not hist[("3218", "2012-1")] and hist[("3218", "2012-2")]
    assert hist[("3207", "2012-1")]  # the parent existed throughout
    assert hist.xs("2018-1", level="period").all()
    assert hist.index.get_level_values("bps_code").nunique() == len(raw)


# --- poverty ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def poverty():
    return data.load("poverty_kabkota").set_index(["bps_code", "year"])


def test_poverty_values_are_the_files(poverty):
    raw = _raw_csv("data/poverty.csv")
    simeulue = next(r for r in raw if r["Code"] == "1101")
    assert poverty.loc[("1101", 2010), "poverty_rate_pct"] == float(simeulue["pov2010"]) == 23.61
    assert poverty.loc[("1101", 2018), "poverty_rate_pct"] == 19.78
    blitar = next(r for r in raw if r["Code"] == "3505")
    assert poverty.loc[("3505", 2016), "poverty_rate_pct"] == float(blitar["pov2016"])
    assert len(poverty) == len(raw) * 9


def test_poverty_corrupted_code_is_fixed(poverty):
    codes = set(poverty.index.get_level_values("bps_code"))
    assert "911" not in codes and "9111" in codes
    assert codes == set(data.load("code_crosswalk")["bps_code"])
    row = poverty.loc[("9111", 2018)]
    assert row["district"] == "Manokwari Selatan" and row["code_corrected"]
    assert row["poverty_rate_pct"] == 30.87
    assert poverty["code_corrected"].groupby(level="bps_code").all().sum() == 1


def test_poverty_masks_years_before_formation(poverty):
    # Pangandaran (formed 2012 S2): 2010-2012 masked, 2013 kept; file values kept aside
    p = poverty.loc["3218"]
    assert p.loc[2012, "masked"] and np.isnan(p.loc[2012, "poverty_rate_pct"])
    assert p.loc[2012, "value_source_pct"] == 10.66
    assert not p.loc[2013, "masked"] and p.loc[2013, "poverty_rate_pct"] == 11.4
    # Buton Tengah (formed 2014 S2): masked through 2014
    bt = poverty.loc["7414"]
    assert bt["masked"].loc[2010:2014].all() and not bt["masked"].loc[2015:].any()
    # regions that existed throughout lose nothing
    assert not poverty.loc["3505", "masked"].any()
    masked = poverty[poverty["masked"]]
    assert masked.index.get_level_values("bps_code").nunique() == 17
    assert (masked.index.get_level_values("year") <= 2014).all()


def test_poverty_licence_reaches_sources_and_docs():
    src = data.sources(["poverty_kabkota"]).iloc[0]
    assert "NC" in src["license"] and "non-commercial" in src["licence_note"]
    assert "poverty_kabkota" in src["datasets"]


# --- fiscal revenue (Java) ---------------------------------------------------------------


@pytest.fixture(scope="module")
def fiscal_raw():
    import openpyxl

    (path,) = data.fetch("Data/WBG/Revenue_IndoDapoer.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True)["Data"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    return {
        (r[head.index("Provinces Code")], r[head.index("Series Code")]): dict(
            zip(head, r, strict=True)
        )
        for r in rows[1:]
        if r[1]
    }


def test_fiscal_values_and_units(fiscal_raw):
    fis = data.load("fiscal_revenue_kabkota_java").set_index(["wb_code", "series_code", "year"])
    pad = fiscal_raw[("ID.JI.BR", "REV.OSRV.CR")]["2015 [YR2015]"]  # IDR
    assert fis.loc[("ID.JI.BR", "REV.OSRV.CR", 2015), "value_idr_bn"] == pytest.approx(
        float(pad) / 1e9, rel=1e-12
    )
    assert fis.loc[("ID.JI.BR", "REV.OSRV.CR", 2015), "region_source"] == "Blitar, Kab."
    # DAK sub-grants are already in IDR billion: not rescaled
    health = fiscal_raw[("ID.JI.BR", "DAK.HE.CR")]["2009 [YR2009]"]
    got = fis.loc[("ID.JI.BR", "DAK.HE.CR", 2009)]
    assert got["unit_source"] == "IDR Billion" and got["value_idr_bn"] == float(health)
    # '..' cells are not rows
    assert fiscal_raw[("ID.BT.TS", "REV.DAU.CR")]["2009 [YR2009]"] == ".."
    assert ("ID.BT.TS", "REV.DAU.CR", 2009) not in fis.index
    assert fis.index.get_level_values("wb_code").nunique() == len({k[0] for k in fiscal_raw})


def test_fiscal_frame_equals_an_independent_read_of_the_xlsx():
    """The spec's frame equals the workbook read with pandas alone (issue #14: one reader)."""
    import pandas as pd

    (path,) = data.fetch("Data/WBG/Revenue_IndoDapoer.xlsx")
    raw = pd.read_excel(path, sheet_name="Data", dtype=object)
    raw = raw[raw["Series Code"].notna()]
    meta = pd.read_excel(path, sheet_name="Series - Metadata", dtype=str)
    unit = dict(zip(meta["Code"].str.strip(), meta["Unit of measure"].str.strip(), strict=True))
    years = [c for c in raw.columns if str(c).endswith("]")]
    long = raw.melt(
        id_vars=["Provinces Code", "Provinces Name", "Level", "Series Code"],
        value_vars=years,
        var_name="col",
        value_name="cell",
    )
    long = long[long["cell"].astype(str).str.strip() != ".."]
    fis = data.load("fiscal_revenue_kabkota_java")
    assert len(fis) == len(long)  # one row per cell with a value, none lost
    got = fis.set_index(["wb_code", "series_code", "year"])
    picks = [
        ("ID.JI.BR", "REV.DAU.CR", 2010),  # Kabupaten Blitar, IDR
        ("ID.JI.BL", "REV.TOTL.CR", 2015),  # Kota Blitar, total revenue
        ("ID.YO.SL", "REV.OSRV.CR", 2006),  # Sleman, the earthquake year
        ("ID.JI.BR", "DAK.HE.CR", 2009),  # IDR billion: not rescaled
        ("ID.BT.CL", "DAK.INFR.CR", 2008),  # Cilegon, IDR billion
    ]
    for code, series, year in picks:
        row = long[
            (long["Provinces Code"] == code)
            & (long["Series Code"] == series)
            & (long["col"] == f"{year} [YR{year}]")
        ]
        assert len(row) == 1, (code, series, year)
        r = row.iloc[0]
        factor = {"IDR": 1e-9, "IDR Billion": 1.0}[unit[series]]
        g = got.loc[(code, series, year)]
        assert g["value_idr_bn"] == pytest.approx(float(r["cell"]) * factor, rel=1e-12)
        assert g["unit_source"] == unit[series]
        assert g["region_source"] == r["Provinces Name"].strip()
        assert g["province_source"] == r["Level"].strip()


def test_fiscal_spec_is_read_like_read_worldbank_and_keyed_by_version():
    """The spec and the public importer read the export the same way; version 2 is a new key."""
    import dataclasses

    from cityresearch import importers
    from cityresearch.data import _spec

    (path,) = data.fetch("Data/WBG/Revenue_IndoDapoer.xlsx")
    wb = importers.read_worldbank(path)
    wb = wb[wb["marker"] == ""]
    fis = data.load("fiscal_revenue_kabkota_java")
    assert len(wb) == len(fis)
    factor = wb["unit"].map({"IDR": 1e-9, "IDR Billion": 1.0})
    a = (wb["value"] * factor).groupby([wb["wb_code"], wb["series_code"], wb["year"]]).sum()
    b = fis.set_index(["wb_code", "series_code", "year"])["value_idr_bn"]
    a.index = a.index.set_levels(a.index.levels[2].astype("int64"), level=2)
    assert np.array_equal(a.sort_index().to_numpy(), b.sort_index().to_numpy())
    s = data.spec("fiscal_revenue_kabkota_java")
    assert s.version == 2
    assert data.cache_key(s.name) == _spec.spec_key(s)
    assert _spec.spec_key(dataclasses.replace(s, version=1)) != _spec.spec_key(s)


def test_fiscal_frame_codes_and_measures():
    with pytest.warns(UserWarning, match="suspect_jump"):
        f = panels.fiscal_frame()
    assert f["bps_code"].nunique() == f["wb_code"].nunique()
    provinces = set(
        regions.region_table().set_index("bps_code").loc[f["bps_code"].unique(), "province_34"]
    )
    assert provinces == {
        "Banten",
        "Jawa Barat",
        "Jawa Tengah",
        "Jawa Timur",
        "Daerah Istimewa Yogyakarta",
    }
    g = f.set_index(["bps_code", "year"])
    kab, kota = g.loc[("3505", 2015)], g.loc[("3572", 2015)]  # Blitar, Kab. / Blitar, Kota
    assert kab["wb_code"] == "ID.JI.BR" and kota["wb_code"] == "ID.JI.BL"
    # hand computation from the two published cells and the QuaRCS population
    assert kab["own_revenue_share_pct"] == pytest.approx(100 * 216.648257 / 2121.588164, rel=1e-8)
    assert kab["pop"] == 1145396
    assert kab["total_revenue_pc_idr_k"] == pytest.approx(2121.588164e9 / 1145396 / 1e3, rel=1e-8)
    assert g.loc[("3327", 2009), "suspect_jump"]  # Pemalang 2009: 6,299 IDR bn
    assert not g.loc[("3505", 2015), "suspect_jump"]


# --- population 2025 ---------------------------------------------------------------------


def test_population_2025_adds_up():
    pop = data.load("population_kabkota_2025")
    by = pop.set_index("kemendagri_code")
    assert by.loc["35.05", "name"] == "Kabupaten Blitar" and by.loc["35.05", "pop"] == 1261699
    assert by.loc["35.72", "pop"] == 161204
    kab = pop[pop["level"] == "kabkota"]
    prov = pop[pop["level"] == "provinsi"].set_index("kemendagri_code")["pop"]
    sums = kab.groupby(kab["kemendagri_code"].str[:2])["pop"].sum()
    assert sums.equals(prov.loc[sums.index]) and set(sums.index) == set(prov.index)
    assert prov.sum() == by.loc["0", "pop"] == 284973643
    assert set(kab["kemendagri_code"]) == set(data.load("boundary_names_kabkota")["kode"])
    assert (pop["pop_male"] + pop["pop_female"]).equals(pop["pop"])


# --- fixtures and references ----------------------------------------------------------------


def test_bps_webapi_fixtures_are_json():
    files = data.load("bps_webapi_fixture")
    docs = {
        p.rsplit("/", 1)[-1]: json.loads(local.read_text("utf-8")) for p, local in files.items()
    }
    table = docs["dynamic_table_detail_fixture.json"]
    assert "datacontent" in json.dumps(table)


def test_reference_files_through_the_data_layer():
    files = data.load("did_reference_files")
    assert "csdid/test_csdid/r_ref/sim/ref_gaps.csv" in files
    assert (
        files["csdid/data/mpdta.csv"].read_bytes()
        == data.fetch("csdid/data/mpdta.csv")[0].read_bytes()
    )
    pre = data.load_did_reference("pretest").set_index("scenario")
    assert pre.loc["mpdta_nev_dr", "W"] == pytest.approx(7.79123662720035, rel=1e-12)


def test_selection_frame_adds_poverty_and_fiscal_covariates():
    f = panels.selection_frame(2016).set_index("bps_code")
    raw = {r["Code"]: r for r in _raw_csv("data/poverty.csv")}
    assert f.loc["3505", "poverty_rate_pct"] == float(raw["3505"]["pov2016"])
    assert f.loc["3505", "fiscal_year"] == 2015
    assert f.loc["3505", "own_revenue_share_pct"] == pytest.approx(
        100 * 216.648257 / 2121.588164, rel=1e-8
    )
    assert f["own_revenue_share_pct"].notna().sum() == 113  # Java outside Jakarta only
    assert np.isnan(f.loc["3171", "own_revenue_share_pct"])  # Jakarta Selatan: not in the source
    assert f["poverty_rate_pct"].notna().all()  # every region existed by 2016
