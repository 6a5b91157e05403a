"""Maps: assert on what is drawn, not only that something was."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from cityresearch import data, maps
from cityresearch._errors import ValidationError

pytestmark = pytest.mark.data  # every test here reads the data files

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def gdp2019():
    p = data.load_district_panel()
    return p[p["year"] == 2019][["bps_code", "grdp_pc_idr_k"]].reset_index(drop=True)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_format_number():
    assert maps.format_number(1234567.891, decimals=1) == "1,234,567.9"
    assert maps.format_number(1234567.891, lang="id", decimals=1) == "1.234.567,9"
    assert maps.format_number(-5, lang="id") == "-5"


def test_choropleth_colours_and_legend(gdp2019, tmp_path):
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", scheme="user_defined",
                        breaks=[15000, 30000, 1e6], unit="IDR thousand")
    assert len(m.collection.get_paths()) == 514
    assert m.legend_labels == ["4,452 – 15,000", "15,000 – 30,000", "30,000 – 1,000,000"]
    # Kabupaten Blitar, 21,995 in 2019 -> second class; its patch has the class colour
    d = m.drawn.set_index("bps_code")
    assert d.loc["3505", "value"] == 21995 and d.loc["3505", "class"] == "15,000 – 30,000"
    i = list(m.drawn["bps_code"]).index("3505")
    j = list(m.drawn["bps_code"]).index("3171")  # Jakarta Selatan, top class
    face = m.collection.get_facecolors()
    assert to_hex(face[i]) == d.loc["3505", "color"]
    assert to_hex(face[j]) == d.loc["3171", "color"] != d.loc["3505", "color"]
    texts = [t.get_text() for t in m.ax.get_legend().get_texts()]
    assert texts == m.legend_labels and m.ax.get_legend().get_title().get_text() == "IDR thousand"
    assert "wilayah_boundaries (MIT)" in m.caption
    m.save(tmp_path / "m.png", dpi=72)
    assert (tmp_path / "m.png").stat().st_size > 10_000


def test_no_data_regions_are_counted_and_named(gdp2019):
    part = gdp2019[~gdp2019["bps_code"].str.startswith("35")]
    m = maps.choropleth(part, "grdp_pc_idr_k", lang="id", unit="ribu Rp", decimals=0, k=4)
    assert m.n_no_data == 38  # Jawa Timur's 38 kab/kota
    assert m.legend_labels[-1] == "Tidak ada data" and len(m.legend_labels) == 5
    assert "." in m.legend_labels[0] and "," not in m.legend_labels[0]  # 4.452 – ...
    no = m.drawn[~m.drawn["has_data"]]
    assert (no["color"] == maps.NO_DATA_COLOR).all()
    assert m.caption.startswith("Batas wilayah:")


def test_unmatched_codes_are_reported(gdp2019):
    extra = pd.concat([gdp2019, pd.DataFrame({"bps_code": ["9999", "0000"],
                                              "grdp_pc_idr_k": [1.0, 2.0]})])
    with pytest.warns(UserWarning, match="2 codes match no kabkota region"):
        m = maps.choropleth(extra, "grdp_pc_idr_k")
    assert m.unmatched == ["0000", "9999"]


def test_errors(gdp2019):
    with pytest.raises(ValidationError, match="column 'gdp' is not in the data"):
        maps.choropleth(gdp2019, "gdp")
    with pytest.raises(ValidationError, match="not numeric"):
        maps.choropleth(gdp2019.assign(t="x"), "t")
    with pytest.raises(ValidationError, match="level must be"):
        maps.choropleth(gdp2019, "grdp_pc_idr_k", level="desa")
    with pytest.raises(ValidationError, match="no code in 'bps_code' matches.*e.g. 1, 2"):
        maps.choropleth(pd.DataFrame({"bps_code": ["1", "2"], "v": [1, 2]}), "v")
    with pytest.raises(ValidationError, match="lang"):
        maps.choropleth(gdp2019, "grdp_pc_idr_k", lang="fr")


def test_zoom_extent_contains_province(gdp2019):
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", zoom="Jawa Timur", labels=["3505", "3572"],
                        inset="locator")
    jatim = maps._layer("provinsi", False).set_index("prov_kemendagri_code").loc["35", "geometry"]
    x0, x1 = m.ax.get_xlim()
    y0, y1 = m.ax.get_ylim()
    minx, miny, maxx, maxy = jatim.bounds
    assert x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1
    assert (x1 - x0) < 1_000_000  # a province, not the country
    names = [t.get_text() for t in m.ax.texts]
    assert "Kabupaten Blitar" in names and "Kota Blitar" in names


def test_province_map():
    prov = data.load_boundaries("provinsi")[["prov_kemendagri_code", "n_kabkota"]]
    m = maps.choropleth(prov, "n_kabkota", level="provinsi", scheme="equal_interval", k=3)
    assert len(m.collection.get_paths()) == 38 and m.n_no_data == 0


def test_categorical_lisa_colours():
    codes = data.load_district_panel()["bps_code"].unique()[:5]
    frame = pd.DataFrame({"bps_code": codes, "cl": ["HH", "LL", "HL", "LH", "ns"]})
    m = maps.categorical_map(frame, "cl", lang="en")
    assert m.legend_labels == ["High-High", "Low-Low", "Low-High", "High-Low",
                               "Not significant", "No data"]
    d = m.drawn.set_index("bps_code")
    assert d.loc[codes[0], "color"] == maps.LISA_COLORS["HH"] == "#d7191c"
    assert m.n_no_data == 514 - 5


def test_small_multiples_share_one_classification():
    p = data.load_district_panel()
    sub = p[p["year"].isin([2010, 2019])][["bps_code", "year", "grdp_pc_idr_k"]]
    ms = maps.small_multiples(sub, "grdp_pc_idr_k", by="year", k=4, unit="IDR thousand")
    assert len(ms) == 2 and ms[0].fig is ms[1].fig
    assert ms[0].legend_labels == ms[1].legend_labels
    # the same value gets the same colour in both panels
    a = ms[0].drawn.set_index("bps_code")
    b = ms[1].drawn.set_index("bps_code")
    assert b.loc["3505", "value"] > a.loc["3505", "value"]
    assert set(a["class"]) | set(b["class"]) <= set(ms[0].legend_labels)


def test_every_map_type_renders_to_files(gdp2019, tmp_path):
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", scheme="unclassed", unit="IDR thousand",
                        inset="Jawa")
    assert m.legend_labels == [] and len(m.fig.axes) == 2 and len(m.ax.child_axes) == 1
    for suffix in ("png", "svg", "pdf"):
        m.save(tmp_path / f"unclassed.{suffix}", dpi=60)
        assert (tmp_path / f"unclassed.{suffix}").stat().st_size > 5_000
    codes = gdp2019["bps_code"].head(3)
    c = maps.categorical_map(pd.DataFrame({"bps_code": codes, "k": ["a", "b", "a"]}), "k")
    c.save(tmp_path / "cat.png", dpi=60)
    p = data.load_district_panel()
    sm = maps.small_multiples(p[p["year"].isin([2000, 2019])], "grdp_pc_idr_k", k=3)
    sm[0].save(tmp_path / "multi.png", dpi=60)
    assert all((tmp_path / f).stat().st_size > 5_000 for f in ("cat.png", "multi.png"))
    with pytest.raises(ValidationError, match="island group"):
        maps.choropleth(gdp2019, "grdp_pc_idr_k", inset="Atlantis")
    with pytest.raises(ValidationError, match=".png, .svg or .pdf"):
        m.save(tmp_path / "x.gif")
