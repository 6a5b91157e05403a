"""Maps: assert on what is drawn, where it is drawn, and what it looks like."""

import json
import os
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib import colormaps
from matplotlib.colors import to_hex

from cityresearch import _maplayers, data, maps
from cityresearch._errors import RegionNotFoundError, ValidationError

pytestmark = pytest.mark.data  # every test here reads the data files

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "baseline"
MONEY = {"value_unit": "IDR thousand per person", "price_basis": "constant 2010 prices"}


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


# --------------------------------------------------------------------------- geometry


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.parametrize("simplified", [True, False])
def test_coverage_has_no_overlaps_or_slivers(simplified):
    """After cleaning (and simplifying the whole coverage at once) neighbours
    share their edges: overlaps below 0.01 km2 and slivers below 1 km2 in
    total, against 6,594 km2 of overlaps in the source polygons."""
    kab = _maplayers.layer("kabkota", simplified)
    geoms = kab.geometry.to_numpy()
    assert len(geoms) == 514 and shapely.coverage_is_valid(geoms)
    overlap, slivers = _maplayers.coverage_defects(geoms)
    assert overlap < 0.01 and slivers < 1.0
    src = data.load_boundaries("kabkota").to_crs(maps.CRS).geometry.to_numpy()
    assert _maplayers.coverage_defects(src)[0] > 6000  # the check can fail


@pytest.mark.data
def test_gaps_are_the_nine_papua_holes():
    gaps = maps.boundary_gaps()
    assert len(gaps) == 9
    assert gaps["area_km2"].sum() == pytest.approx(2155, abs=1)
    assert gaps["area_km2"].iloc[0] == pytest.approx(793.7, abs=0.1)
    assert all(p.startswith("Papua") for ps in gaps["provinces"] for p in ps.split("; "))
    assert (gaps["provinces"].str.contains("Papua Tengah")).sum() == 7
    # Sorong loses the 5,010 km2 overlap with Tambrauw and 389 km2 with Maybrat
    clean = _maplayers.clean_kabkota().set_index("name")
    assert clean.loc["Kabupaten Sorong", "geometry"].area / 1e6 == pytest.approx(7379, abs=2)


@pytest.mark.data
@pytest.mark.slow
def test_province_lines_only_between_provinces():
    """Every province line lies on the border of exactly two provinces (no
    dashes through a province's interior); kab/kota lines separate two
    kab/kota of the same province."""
    prov = _maplayers.layer("provinsi", True)
    kab = _maplayers.layer("kabkota", True)
    lines = _maplayers.lines(True).set_index("kind")["geometry"]
    pb = shapely.boundary(prov.geometry.to_numpy())
    line = lines["provinsi"]
    pts = shapely.line_interpolate_point(line, np.linspace(0.001, 0.999, 400), normalized=True)
    on = np.array([[shapely.distance(p, b) < 1.0 for b in pb] for p in pts])
    assert (on.sum(axis=1) == 2).all()
    # provinces are the union of their kab/kota (plus, in Papua, the holes
    # no kab/kota covers): same area, and no province has a hole or sliver
    gaps = _maplayers.gaps(True)
    for code, g in zip(prov["prov_kemendagri_code"], prov.geometry, strict=True):
        part = kab.geometry[kab["prov_kemendagri_code"] == code].area.sum()
        if code.startswith("9"):
            assert part - 1 <= g.area <= part + gaps.area.sum() + 1  # m2
        else:
            assert g.area == pytest.approx(part, rel=1e-9)
    union = shapely.coverage_union_all(prov.geometry.to_numpy())
    assert sum(len(p.interiors) for p in shapely.get_parts(union)) == 0  # no hole or sliver
    assert prov.area.sum() == pytest.approx(kab.area.sum() + gaps.area.sum(), rel=1e-9)
    kb = shapely.boundary(kab.geometry.to_numpy())
    pts = shapely.line_interpolate_point(
        lines["kabkota"], np.linspace(0.001, 0.999, 200), normalized=True
    )
    for p in pts:
        near = np.flatnonzero(shapely.distance(p, kb) < 1.0)
        assert len(near) == 2
        assert (
            kab["prov_kemendagri_code"].iloc[near[0]] == kab["prov_kemendagri_code"].iloc[near[1]]
        )


# --------------------------------------------------------------------------- values and legends


@pytest.mark.data
def test_choropleth_colours_and_legend(gdp2019, tmp_path):
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", breaks=[15000, 30000, 1e6], **MONEY)
    assert len(m.collection.get_paths()) == 514
    assert m.legend_labels[:3] == [
        "4,452 \u2013 15,000",
        "15,000 \u2013 30,000",
        "30,000 \u2013 1,000,000",
    ]
    assert m.legend_title.startswith("IDR thousand per person, constant 2010 prices\nChosen")
    # Kabupaten Blitar, 21,995 in 2019 -> second class; its patch has the class colour
    d = m.drawn.set_index("bps_code")
    assert d.loc["3505", "value"] == 21995 and d.loc["3505", "class"] == "15,000 \u2013 30,000"
    i = list(m.drawn["bps_code"]).index("3505")
    j = list(m.drawn["bps_code"]).index("3171")  # Jakarta Selatan, top class
    face = m.collection.get_facecolors()
    assert to_hex(face[i]) == d.loc["3505", "color"]
    assert to_hex(face[j]) == d.loc["3171", "color"] != d.loc["3505", "color"]
    texts = [t.get_text() for t in m.artists["legend"].get_texts()]
    assert texts == m.legend_labels + [
        "No kab/kota boundary in source",
        "Region too small to see (dot)",
    ]
    assert "wilayah_boundaries (MIT)" in m.caption and "equal-area" in m.caption


@pytest.mark.data
def test_no_data_regions_are_counted_and_named(gdp2019):
    part = gdp2019[~gdp2019["bps_code"].str.startswith("35")]
    m = maps.choropleth(
        part,
        "grdp_pc_idr_k",
        lang="id",
        value_unit="ribu Rp per orang",
        price_basis="harga konstan 2010",
        scheme="quantiles",
        k=4,
    )
    assert m.n_no_data == 38  # Jawa Timur's 38 kab/kota
    assert m.legend_labels[-1] == "Tidak ada data" and len(m.legend_labels) == 5
    assert "." in m.legend_labels[0] and "," not in m.legend_labels[0]  # 4.452 – ...
    no = m.drawn[~m.drawn["has_data"]]
    assert (no["color"] == maps.NO_DATA_COLOR).all()
    assert m.caption.startswith("Batas wilayah:")
    assert "kuantil memisahkan" in m.legend_title


@pytest.mark.data
def test_unmatched_codes_are_reported(gdp2019):
    extra = pd.concat(
        [gdp2019, pd.DataFrame({"bps_code": ["9999", "0000"], "grdp_pc_idr_k": [1.0, 2.0]})]
    )
    with pytest.warns(UserWarning, match="2 codes match no kabkota region"):
        m = maps.choropleth(extra, "grdp_pc_idr_k", **MONEY)
    assert m.unmatched == ["0000", "9999"]


BAD = [
    ({"column": "gdp"}, "column 'gdp' is not in the data"),
    ({"level": "desa"}, "level must be one of"),
    ({"lang": "fr"}, "lang must be 'en' or 'id'"),
    ({"scheme": "quantile"}, "scheme must be one of"),
    ({"breaks": [30000, 15000, 1e6]}, r"breaks must increase: 15000 at position 1"),
    ({"breaks": [15000, 15000, 1e6]}, r"breaks must increase"),
    ({"breaks": [15000, 30000]}, r"last break \(30,000\) is below the largest value \(487,895\)"),
    ({"scheme": "quantiles", "breaks": [1, 2]}, "breaks= goes with scheme='user_defined'"),
    ({"scheme": "user_defined"}, "needs breaks="),
    ({"k": 1}, "k must be an integer of at least 2"),
    ({"k": 2.5}, "k must be an integer"),
    ({"k": 10_000}, "need at least 10000 distinct values"),
    ({"cmap": "YlGnBuu"}, "cmap 'YlGnBuu' is not a matplotlib colour map"),
    ({"cmap": "RdBu"}, "needs midpoint="),
    ({"midpoint": 0}, "midpoint= goes with a diverging cmap"),
    ({"cmap": "RdBu", "midpoint": "0"}, "midpoint must be a number"),
    ({"price_basis": None}, "value_unit='IDR thousand per person' is money: say the price basis"),
    ({"classify": "nation"}, "classify must be one of"),
    ({"zoom": 35}, "zoom must be a province, a region or a list"),
    ({"inset": "Atlantis"}, "inset must be 'auto', 'locator', None or an island group"),
    ({"unit": "kemendagri_code"}, "unit='kemendagri_code' is not a column of the data"),
]


@pytest.mark.data
@pytest.mark.parametrize(("kwargs", "message"), BAD)
def test_choropleth_refuses_bad_input(gdp2019, kwargs, message):
    kw = {"column": "grdp_pc_idr_k", **MONEY, **kwargs}
    column = kw.pop("column")
    with pytest.raises(ValidationError, match=message):
        maps.choropleth(gdp2019, column, **kw)


BAD_FRAMES = [
    (lambda d: d.assign(t="x"), "t", r"column 't' is not numeric \(e.g. \d{4}: 'x'"),
    (
        lambda d: d.assign(v=np.where(d.bps_code == "3505", np.inf, 1.0)),
        "v",
        "column 'v' is infinite for 3505",
    ),
    (lambda d: pd.concat([d, d.head(2)]), "grdp_pc_idr_k", "codes appear more than once"),
    (
        lambda d: d.assign(bps_code=d.bps_code.where(d.index != 3)),
        "grdp_pc_idr_k",
        r"code column 'bps_code' is missing in rows \[3\]",
    ),
    (
        lambda d: pd.DataFrame({"bps_code": ["1", "2"], "v": [1, 2]}),
        "v",
        "no code in 'bps_code' matches.*e.g. 1, 2",
    ),
    (lambda d: d.assign(v=np.nan), "v", "column 'v' has no values"),
    (lambda d: d.drop(columns="bps_code"), "grdp_pc_idr_k", "need a code column"),
    (lambda d: d.to_dict(), "grdp_pc_idr_k", "must be a pandas DataFrame"),
]


@pytest.mark.data
@pytest.mark.parametrize(("make", "column", "message"), BAD_FRAMES)
def test_choropleth_refuses_bad_frames(gdp2019, make, column, message):
    with pytest.raises(ValidationError, match=message):
        maps.choropleth(make(gdp2019), column, value_unit="index")


@pytest.mark.data
def test_unknown_zoom_region_is_named(gdp2019):
    with pytest.raises(RegionNotFoundError, match="Atlantis"):
        maps.choropleth(gdp2019, "grdp_pc_idr_k", zoom="Atlantis", **MONEY)


@pytest.mark.data
@pytest.mark.parametrize(
    ("zoom", "meant"),
    [
        ("Jateng", "'Jawa Tengah' ('33')"),
        ("Kaltim", "'Kalimantan Timur' ('64')"),
        ("NTB", "'Nusa Tenggara Barat' ('52')"),
        ("Jawa Tenga", "'Jawa Tengah' ('33')"),
    ],
)
def test_province_like_zoom_says_how_provinces_are_named(zoom, meant):
    """Review #6: an abbreviated province is not answered with a kab/kota hint."""
    with pytest.raises(RegionNotFoundError) as e:
        maps.choropleth(TINY, "v", zoom=zoom, value_unit="index", k=2)
    msg = str(e.value)
    assert f"zoom={zoom!r} matches no province and no kabupaten/kota; did you mean {meant}" in msg
    assert "Provinces are named as in the registry (e.g. 'Jawa Tengah'" in msg
    assert "by code (e.g. '33')" in msg and "3505" not in msg
    # a region-like text keeps the kabupaten/kota message
    for region in ("Atlantis", "Kabupaten Atlantis"):
        with pytest.raises(RegionNotFoundError, match="no kabupaten/kota matches"):
            maps.choropleth(TINY, "v", zoom=region, value_unit="index", k=2)


@pytest.mark.data
def test_categorical_refuses_bad_input():
    prov = data.load_boundaries("provinsi")[["prov_kemendagri_code", "province"]]
    with pytest.raises(ValidationError, match="38 classes in 'province' cannot be told apart"):
        maps.categorical_map(prov, "province", level="provinsi")
    codes = data.load_district_panel()["bps_code"].unique()[:3]
    frame = pd.DataFrame({"bps_code": codes, "k": ["metro_core", "new_town", "secondary"]})
    with pytest.raises(ValidationError, match="class 'new_town' is an identifier"):
        maps.categorical_map(frame, "k")
    with pytest.raises(ValidationError, match=r"no colour for classes \['new_town'\]"):
        maps.categorical_map(frame, "k", colors={"metro_core": "red", "secondary": "blue"})
    with pytest.raises(ValidationError, match=r"classes \['new_town'\] are in the data but not "):
        maps.categorical_map(frame, "k", order=["metro_core", "secondary"])


@pytest.mark.data
def test_zoom_classifies_the_regions_shown(gdp2019):
    """Jawa Timur's values span 12,966-313,171; national ones 4,452-487,895."""
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", zoom="Jawa Timur", scheme="quantiles", **MONEY)
    jatim = gdp2019[gdp2019["bps_code"].str.startswith("35")]["grdp_pc_idr_k"]
    assert (jatim.min(), jatim.max()) == (12966, 313171)
    assert m.legend_labels[0].startswith("12,966 \u2013") and m.legend_labels[4].endswith(
        "\u2013 313,171"
    )
    q = np.quantile(jatim, [0.2, 0.4, 0.6, 0.8])  # mapclassify's quantiles = numpy's
    assert m.legend_labels[1] == (f"{maps.format_number(q[0])} \u2013 {maps.format_number(q[1])}")
    assert m.legend_labels[-1] == "Outside the area classified"
    assert "classes of the regions shown" in m.legend_title
    assert m.drawn["classified"].sum() == 38
    n = maps.choropleth(
        gdp2019,
        "grdp_pc_idr_k",
        zoom="Jawa Timur",
        classify="national",
        scheme="quantiles",
        **MONEY,
    )
    assert n.legend_labels[0].startswith("4,452") and n.legend_labels[4].endswith("487,895")
    assert "national classes" in n.legend_title


@pytest.mark.data
def test_skewed_values_get_quantiles_and_say_so(gdp2019):
    v = gdp2019["grdp_pc_idr_k"]
    skew = ((v - v.mean()) ** 3).mean() / v.std(ddof=0) ** 3
    assert skew > 1  # mining regencies
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", **MONEY)
    assert "Skewed values: quantiles separate the bulk" in m.legend_title
    counts = m.drawn["class"].value_counts()
    assert counts.max() - counts.min() <= 1  # 514 = 5 x 102.8
    sym = gdp2019.assign(z=np.linspace(-1, 1, len(gdp2019)))
    s = maps.choropleth(sym, "z", value_unit="index")
    assert "Natural breaks (Fisher-Jenks)" in s.legend_title


@pytest.mark.data
def test_diverging_colours_centred_on_midpoint():
    rates = pd.DataFrame({"bps_code": data.load_district_panel()["bps_code"].unique()})
    rates["g"] = np.linspace(-8, 19, len(rates))
    m = maps.choropleth(
        rates, "g", breaks=[-2, 0, 3, 5, 7, 20], cmap="RdBu", midpoint=0, value_unit="% per year"
    )
    cm = colormaps["RdBu"]
    # two classes below 0, four above: each side steps 0.12 from the full colour
    # (0.48 from the centre) towards the midpoint: below 0.48, 0.36; above 0.12 ... 0.48
    expect = [cm(0.02), cm(0.14), cm(0.62), cm(0.74), cm(0.86), cm(0.98)]
    legend = m.artists["legend"]
    got = [to_hex(h.get_facecolor()) for h in legend.legend_handles[:6]]
    assert got == [to_hex(c) for c in expect]
    assert m.legend_labels[:2] == ["\u22128 \u2013 \u22122", "\u22122 \u2013 0"]
    assert "colours diverge at 0" in m.legend_title
    # one class below 0 (growth maps): it takes the full colour, not a pale tint
    one = maps.choropleth(
        rates, "g", breaks=[0, 3, 5, 7, 20], cmap="RdBu", midpoint=0, value_unit="% per year"
    )
    got = [to_hex(h.get_facecolor()) for h in one.artists["legend"].legend_handles[:5]]
    assert got == [to_hex(c) for c in (cm(0.02), cm(0.62), cm(0.74), cm(0.86), cm(0.98))]
    assert one.legend_labels[0] == "\u22128 \u2013 0"


@pytest.mark.data
def test_categorical_labels_counts_and_palette():
    from cityresearch import growth, panels

    classes = growth.classify_secondary_cities(panels.region_frame(2019))
    m = maps.categorical_map(
        classes,
        "class",
        lang="id",
        order=["metro_core", "secondary", "other_kota", "kabupaten", "x"],
    )
    d = maps.categorical_map(classes, "class")  # default order: the known classes' order
    assert [x.split(" (")[0] for x in d.legend_labels] == [
        "Metropolitan core",
        "Secondary city",
        "Other kota",
        "Kabupaten",
    ]
    n = classes["class"].value_counts()
    assert m.legend_labels == [
        f"Inti metropolitan ({n['metro_core']})",
        f"Kota sekunder ({n['secondary']})",
        f"Kota lainnya ({n['other_kota']})",
        f"Kabupaten ({n['kabupaten']})",
    ]
    assert m.empty_classes == ["x"]
    assert list(m.drawn.drop_duplicates("class")["color"]) != []
    colours = m.drawn.drop_duplicates("class").set_index("class")["color"]
    assert (
        list(colours[["Inti metropolitan", "Kota sekunder", "Kota lainnya"]]) == maps.OKABE_ITO[:3]
    )
    assert colours["Kabupaten"] == "#e6e6e6"  # the background class in light grey


@pytest.mark.data
def test_categorical_lisa_colours():
    codes = data.load_district_panel()["bps_code"].unique()[:5]
    frame = pd.DataFrame({"bps_code": codes, "cl": ["HH", "LL", "HL", "LH", "ns"]})
    m = maps.categorical_map(frame, "cl", lang="en", counts=False)
    assert m.legend_labels == [
        "High-High",
        "Low-Low",
        "Low-High",
        "High-Low",
        "Not significant",
        "No data",
    ]
    d = m.drawn.set_index("bps_code")
    assert d.loc[codes[0], "color"] == maps.LISA_COLORS["HH"] == "#d7191c"
    assert m.n_no_data == 514 - 5


@pytest.mark.data
def test_small_multiples_share_one_classification_and_fill_the_figure():
    p = data.load_district_panel()
    sub = p[p["year"].isin([2000, 2007, 2013, 2019])][["bps_code", "year", "grdp_pc_idr_k"]]
    ms = maps.small_multiples(sub, "grdp_pc_idr_k", time="year", k=4, **MONEY)
    assert len(ms) == 4 and ms[0].fig is ms[3].fig
    a = ms[0].drawn.set_index("bps_code")
    b = ms[3].drawn.set_index("bps_code")
    assert b.loc["3505", "value"] > a.loc["3505", "value"]
    assert set(a["class"]) | set(b["class"]) <= set(ms[0].legend_labels)
    widths = [m.ax.get_position().width for m in ms]
    assert min(widths) >= 1 / 3  # each panel at least a third of the width
    assert sum(m.ax.get_position().width * m.ax.get_position().height for m in ms) > 0.6
    _assert_disjoint(ms[0].boxes())
    with pytest.raises(ValidationError, match="ncols must be 1, 2 or 3"):
        maps.small_multiples(sub, "grdp_pc_idr_k", ncols=5, **MONEY)


# --------------------------------------------------------------------------- layout


def _assert_disjoint(boxes):
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            A, B = boxes[a], boxes[b]
            inter = (
                min(A[2], B[2]) - max(A[0], B[0]) > 0.005
                and min(A[3], B[3]) - max(A[1], B[1]) > 0.005
            )
            assert not inter, f"{a} {A} overlaps {b} {B}"


def _land_hits(m, layer, name, box_in):
    """Regions under a layout element (figure inches -> data coordinates)."""
    dpi = m.fig.dpi
    inv = m.ax.transData.inverted()
    (x0, y0), (x1, y1) = inv.transform(
        [(box_in[0] * dpi, box_in[1] * dpi), (box_in[2] * dpi, box_in[3] * dpi)]
    )
    ax_box = m.ax.get_window_extent()
    inside = not (
        box_in[0] * dpi >= ax_box.x1
        or box_in[2] * dpi <= ax_box.x0
        or box_in[1] * dpi >= ax_box.y1
        or box_in[3] * dpi <= ax_box.y0
    )
    if not inside:
        return []
    hits = layer.geometry.intersects(shapely.box(x0, y0, x1, y1))
    return list(layer.loc[hits.to_numpy(), "name"])


def _layout_ok(m, layer, labelled=()):
    m.fig.canvas.draw()
    boxes = m.boxes()
    _assert_disjoint(boxes)
    w, h = m.fig.get_size_inches()
    for name, (x0, y0, x1, y1) in boxes.items():  # nothing cut off at the figure's edge
        assert 0 <= x0 and x1 <= w and 0 <= y0 and y1 <= h, f"{name} leaves the figure"
    for name, box in boxes.items():
        if name in ("title", "subtitle", "caption", "inset"):
            continue
        hits = _land_hits(m, layer, name, box)
        if name.startswith("label:"):
            assert not set(hits) & set(labelled), f"{name} covers {set(hits) & set(labelled)}"
        else:
            assert hits == [], f"{name} covers {hits[:5]}"
    return boxes


@pytest.mark.data
@pytest.mark.slow
def test_layout_elements_cover_no_land_and_no_each_other(gdp2019):
    kab_s = _maplayers.layer("kabkota", True)
    kab_f = _maplayers.layer("kabkota", False)
    m = maps.choropleth(
        gdp2019,
        "grdp_pc_idr_k",
        title="GRDP per capita",
        subtitle="2019",
        source="QuaRCS lab (CC BY 4.0)",
        **MONEY,
    )
    boxes = _layout_ok(m, kab_s)
    assert {"legend", "scalebar:0", "scalebar:1", "caption", "inset", "title"} <= set(boxes)
    z = maps.choropleth(
        gdp2019,
        "grdp_pc_idr_k",
        zoom="Jawa Timur",
        labels=["3505", "3572"],
        title="Jawa Timur",
        **MONEY,
    )
    boxes = _layout_ok(z, kab_f, labelled=["Kabupaten Blitar", "Kota Blitar"])
    assert {"label:Kabupaten Blitar", "label:Kota Blitar", "locator"} <= set(boxes)
    # a tutorial's long source text on a zoom wraps inside the figure (review #1)
    long_source = "Data: QuaRCS lab, indonesia514 (MIT), from BPS; GRDP per capita 2019."
    for lang in ("en", "id"):
        jt = maps.choropleth(
            gdp2019,
            "grdp_pc_idr_k",
            zoom="Jawa Tengah",
            title="GRDP",
            lang=lang,
            source=long_source,
            **MONEY,
        )
        boxes = _layout_ok(jt, kab_f)
        assert jt.artists["caption"].get_text().count("\n") >= 1  # wrapped, not cut
        for dpi in (50, 100, 300):  # small text renders wider at low dpi (hinting)
            jt.fig.set_dpi(dpi)
            jt.fig.canvas.draw()
            assert jt.boxes()["caption"][2] <= jt.fig.get_size_inches()[0]
        jt.fig.set_dpi(100)
    assert "Data: Data:" not in jt.caption  # the source's own "Data:" is not doubled
    assert jt.caption.endswith(
        "Data: QuaRCS lab, indonesia514 (MIT), from BPS; GRDP per capita 2019."
    )
    two = pd.concat([TINY.assign(year=2000), TINY.assign(year=2019)])
    sm = maps.small_multiples(
        two,
        "v",
        k=2,
        value_unit="index",
        source=long_source.replace(".", ";") * 3,
        figsize=(6, 0),
    )[0]
    sm.fig.canvas.draw()
    b = sm.boxes()
    _assert_disjoint(b)
    assert b["caption"][2] <= 6 and b["caption"][1] >= 0
    for region in ["3674", "3218", "3101", "9412", "3572"]:
        # Tangerang Selatan, Pangandaran, Kepulauan Seribu, Mimika, Kota Blitar
        r = maps.region_map(region)
        name = r.drawn.loc[r.drawn["class"] == "this region", "bps_code"].tolist()
        assert name == [region]
        from cityresearch import regions

        _layout_ok(r, kab_f, labelled=[regions.lookup(region)["name"]])


@pytest.mark.data
def test_every_classified_region_can_be_seen(gdp2019):
    """National map: a region either spans min_size inches or gets a dot."""
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", **MONEY)
    kab = _maplayers.layer("kabkota", True)
    scale = m.ax.get_window_extent().width / m.fig.dpi / np.diff(m.ax.get_xlim())[0]
    diam = 2 * np.sqrt(kab.geometry.area.to_numpy() / np.pi) * scale
    d = m.drawn
    assert ((diam >= 0.05) | d["dot"]).all()
    assert d.loc[d["bps_code"] == "3171", "dot"].item()  # Jakarta Selatan: 141 km2
    assert not d.loc[d["bps_code"] == "3505", "dot"].item()  # Kabupaten Blitar
    dots = [
        c
        for c in m.ax.collections
        if c.__class__.__name__ == "PathCollection" and len(c.get_offsets()) == d["dot"].sum()
    ]
    assert dots


@pytest.mark.data
def test_kota_profile_map_shows_a_shape():
    m = maps.region_map("3572")  # Kota Blitar, 33 km2
    geom = _maplayers.layer("kabkota", False).set_index("bps_code").loc["3572", "geometry"]
    x0, y0, x1, y1 = geom.bounds
    (a, b), (c, d) = m.ax.transData.transform([(x0, y0), (x1, y1)])
    assert min(c - a, d - b) / m.fig.dpi > 0.8  # inches on the figure
    assert not m.drawn["dot"].any()


@pytest.mark.data
def test_save_embeds_fonts(gdp2019, tmp_path):
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", scheme="unclassed", **MONEY, inset=None)
    for suffix in ("png", "svg", "pdf"):
        m.save(tmp_path / f"m.{suffix}", dpi=60)
    pdf = (tmp_path / "m.pdf").read_bytes()
    assert b"/FontFile2" in pdf and b"/Subtype /Type3" not in pdf
    svg = (tmp_path / "m.svg").read_text()
    assert "<text" not in svg and "<path" in svg
    with pytest.raises(ValidationError, match=".png, .svg or .pdf"):
        m.save(tmp_path / "x.gif")


# --------------------------------------------------------------------------- images


def _images():
    from cityresearch import economy, growth, panels

    p = data.load_district_panel()
    y = p[p["year"] == 2019]
    rates = growth.cagr(p, "grdp_idr_bn", 2010, 2019).rename("cagr_pct").reset_index()
    prov = economy.aggregate_provinces(panels.attach_province(p))
    classes = growth.classify_secondary_cities(panels.region_frame(2019))
    src = "QuaRCS lab (CC BY 4.0)"
    return {
        "choropleth_national": lambda: maps.choropleth(
            y, "grdp_pc_idr_k", title="GRDP per capita", source=src, **MONEY
        ),
        "choropleth_growth": lambda: maps.choropleth(
            rates,
            "cagr_pct",
            breaks=[0, 3, 5, 7, 20],
            cmap="RdBu",
            midpoint=0,
            value_unit="% per year",
            title="Growth",
            source=src,
        ),
        "choropleth_province": lambda: maps.choropleth(
            prov[prov["year"] == 2019], "grdp_pc_idr_k", level="provinsi", source=src, **MONEY
        ),
        "choropleth_zoom": lambda: maps.choropleth(
            y, "grdp_pc_idr_k", zoom="Jawa Timur", labels=["3505", "3572"], source=src, **MONEY
        ),
        "choropleth_unclassed": lambda: maps.choropleth(
            y, "grdp_pc_idr_k", scheme="unclassed", source=src, **MONEY
        ),
        "categorical": lambda: maps.categorical_map(classes, "class", source=src),
        "small_multiples": lambda: maps.small_multiples(
            p[p["year"].isin([2000, 2019])], "grdp_pc_idr_k", source=src, **MONEY
        )[0],
        "profile_kota": lambda: maps.region_map("3572"),
        "profile_papua": lambda: maps.region_map("9412", lang="id"),
    }


IMAGES = [
    "choropleth_national",
    "choropleth_growth",
    "choropleth_province",
    "choropleth_zoom",
    "choropleth_unclassed",
    "categorical",
    "small_multiples",
    "profile_kota",
    "profile_papua",
]


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.parametrize("name", IMAGES)
def test_image_matches_baseline(name, tmp_path):
    """Compare with the reviewed baseline (RMS difference below 3 of 255).

    Regenerate after a reviewed change with CITYRESEARCH_REGEN_BASELINES=1 and
    look at every changed image before committing it.
    """
    from matplotlib.testing.compare import compare_images

    m = _images()[name]()
    out = tmp_path / f"{name}.png"
    m.save(out, dpi=50)
    base = BASELINE / f"{name}.png"
    if os.environ.get("CITYRESEARCH_REGEN_BASELINES"):
        BASELINE.mkdir(exist_ok=True)
        base.write_bytes(out.read_bytes())
    assert base.exists(), f"no baseline {base}; regenerate with CITYRESEARCH_REGEN_BASELINES=1"
    result = compare_images(str(base), str(out), tol=3)
    assert result is None, result


# --------------------------------------------------------------------------- charts


def test_year_axis_integer_ticks_and_provisional():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    years = list(range(2000, 2020))
    ax.plot(years, np.arange(20))
    maps.year_axis(ax, years, provisional=[2018, 2019])
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [
        "2001",
        "2003",
        "2005",
        "2007",
        "2009",
        "2011",
        "2013",
        "2015",
        "2017",
        "2019*",
    ]  # every second year, ending on the latest
    assert ax.get_xlabel() == "Year"
    with pytest.raises(ValidationError, match="years must be integers"):
        maps.year_axis(ax, [2000, 2000.5])


def test_value_axis_and_two_scales():
    df = pd.DataFrame(
        {
            "year": [2017, 2018, 2019],
            "w": [1.70, 1.72, 1.69],
            "t": [0.51, 0.50, 0.49],
            "pop": [1_200_000, 1_250_000, 1_300_000],
        }
    )
    fig, ax, ax2 = maps.line_chart(
        df,
        left={"w": "Williamson"},
        left_label="Williamson index",
        left_unit="coefficient",
        right={"t": "Theil"},
        right_label="Theil index",
        right_unit="index",
        decimals=2,
        provisional=[2019],
        lang="id",
    )
    fig.canvas.draw()
    assert ax.get_ylabel() == "Williamson index (coefficient)"
    assert ax2.get_ylabel() == "Theil index (index)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2017", "2018", "2019*"]
    assert ax.get_xlabel() == "Tahun"
    import matplotlib.pyplot as plt

    f, a = plt.subplots()
    a.plot(df["year"], df["pop"])
    maps.value_axis(a, "Population", unit="persons", lang="id")
    f.canvas.draw()
    assert "1.200.000" in [t.get_text() for t in a.get_yticklabels()]
    with pytest.raises(ValidationError, match="needs a unit"):
        maps.value_axis(a, "Population", unit="")
    with pytest.raises(ValidationError, match="right axis needs"):
        maps.line_chart(df, left={"w": "W"}, left_label="W", left_unit="c", right={"t": "T"})


def test_notebook_setup_png_150dpi():
    import matplotlib.pyplot as plt

    maps.notebook_setup()
    assert plt.rcParams["figure.dpi"] == 150 and plt.rcParams["savefig.dpi"] == 150
    with pytest.raises(ValidationError, match="at least 150"):
        maps.notebook_setup(dpi=80)


def test_notebook_04_stores_png_at_150_dpi_within_budget():
    """Every figure of notebook 04 is a PNG stored at 150 dpi (pHYs chunk) and
    at least 1,000 pixels wide; the notebook stays under its 4 MB budget."""
    import base64
    import struct

    path = ROOT / "notebooks" / "04_maps_of_indonesia.ipynb"
    assert path.stat().st_size < 4_000_000
    nb = json.loads(path.read_text())
    widths = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            d = out.get("data", {})
            assert "image/jpeg" not in d
            if "image/png" in d:
                png = base64.b64decode(d["image/png"])
                widths.append(struct.unpack(">I", png[16:20])[0])
                i = png.index(b"pHYs")
                ppm = struct.unpack(">I", png[i + 4 : i + 8])[0]
                assert round(ppm * 0.0254) >= 150
    assert len(widths) >= 8 and min(widths) >= 1000


@pytest.mark.data
def test_unsafe_colour_map_warns(gdp2019):
    rates = gdp2019.assign(g=np.linspace(-5, 10, len(gdp2019)))
    with pytest.warns(UserWarning, match="'RdYlGn' is not colour-blind safe"):
        maps.choropleth(rates, "g", cmap="RdYlGn", midpoint=0, value_unit="% per year")


BAD_MULTIPLES = [
    ({"time": "yr"}, "time='yr' is not a column"),
    ({"column": "x"}, "column 'x' is not in the data"),
    ({"scheme": "unclassed"}, "needs a classification scheme"),
    ({"ncols": 0}, "ncols must be 1, 2 or 3"),
    ({"breaks": [20000, 10000, 1e6]}, "breaks must increase"),
    ({"price_basis": None}, "is money: say the price basis"),
]


@pytest.mark.data
@pytest.mark.parametrize(("kwargs", "message"), BAD_MULTIPLES)
def test_small_multiples_refuse_bad_input(kwargs, message):
    p = data.load_district_panel()
    sub = p[p["year"].isin([2000, 2019])][["bps_code", "year", "grdp_pc_idr_k"]]
    kw = {"column": "grdp_pc_idr_k", **MONEY, **kwargs}
    with pytest.raises(ValidationError, match=message):
        maps.small_multiples(sub, kw.pop("column"), **kw)


@pytest.mark.data
def test_small_multiples_legend_below_the_panels():
    p = data.load_district_panel()
    ms = maps.small_multiples(
        p[p["year"].isin([2000, 2019])], "grdp_pc_idr_k", **MONEY, title="GRDP per capita"
    )
    fig = ms[0].fig
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    legend = ms[0].artists["legend"].get_window_extent(r)
    caption = ms[0].artists["caption"].get_window_extent(r)
    for m in ms:
        panel = m.ax.get_window_extent(r)
        assert legend.y1 <= panel.y0 and caption.y1 <= legend.y0


@pytest.mark.data
def test_region_map_refuses_unknown_region():
    with pytest.raises(RegionNotFoundError):
        maps.region_map("Atlantis")
    with pytest.raises(ValidationError, match="lang"):
        maps.region_map("3572", lang="fr")


def test_figure_png_keeps_every_class_colour(gdp2019):
    """The 256-colour notebook PNG keeps each class colour exactly (including
    the light grey of context regions, which must not turn white)."""
    import io

    from PIL import Image

    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", zoom="Jawa Timur", **MONEY)
    png = maps.figure_png(m.fig, dpi=150)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    present = {tuple(int(v) for v in c) for c in np.unique(pixels, axis=0)}
    for colour in set(m.drawn["color"]):
        rgb = tuple(round(255 * x) for x in matplotlib.colors.to_rgb(colour))
        assert rgb in present, colour
    assert maps.CONTEXT_COLOR in set(m.drawn["color"])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: maps.format_number("12"), r"'12' is not a number \(str\)"),
        (lambda: maps.format_number(None), r"None is not a number"),
        (lambda: maps.format_number(float("inf")), r"inf is infinite"),
        (
            lambda: maps.format_number(1.5, decimals=-1),
            r"decimals must be a whole number of at least 0, not -1",
        ),
        (lambda: maps.format_number(1.5, decimals=1.5), r"not 1.5"),
    ],
)
def test_format_number_refuses_what_is_not_a_number(call, match):
    with pytest.raises(ValidationError, match=match):
        call()


def test_format_number_writes_missing_as_missing():
    assert maps.format_number(float("nan")) == "n/a"
    assert maps.format_number(np.nan, lang="id") == "t.a."
    assert maps.format_number(np.float64(1234.5), lang="id", decimals=1) == "1.234,5"


@pytest.mark.data
def test_constant_values_are_named_as_constant():
    from cityresearch import regions

    codes = regions.region_table()["bps_code"]
    frame = pd.DataFrame({"bps_code": codes, "v": 5.0})
    with pytest.raises(ValidationError, match=r"the data have 1 \(the values are constant"):
        maps.choropleth(frame, "v", k=5, value_unit="index", title="t", source="s")


@pytest.mark.data
def test_zoomed_categorical_draws_outside_regions_as_context_not_no_data():
    from cityresearch import regions

    table = regions.region_table()
    jatim = table[table["prov_kemendagri_code"] == "35"]
    frame = pd.DataFrame(
        {
            "bps_code": jatim["bps_code"],
            "cls": np.where(jatim["type"] == "kota", "kota", "kabupaten"),
        }
    )
    m = maps.categorical_map(frame, "cls", zoom="Jawa Timur", title="t", source="s")
    labels = m.legend_labels
    assert not any(lab.startswith("No data") for lab in labels)
    assert "Outside the area classified" in labels
    outside = ~m.drawn["bps_code"].isin(jatim["bps_code"])
    from cityresearch._mapstyle import CLASS_CONTEXT_COLOR

    assert (m.drawn.loc[outside, "color"] == CLASS_CONTEXT_COLOR).all()
    frame.loc[frame.index[0], "cls"] = None  # a region inside without a class is "no data"
    m2 = maps.categorical_map(frame, "cls", zoom="Jawa Timur", title="t", source="s")
    assert any(lab.startswith("No data (1)") for lab in m2.legend_labels)
    m2.save(Path(os.environ.get("CITYRESEARCH_TEST_OUT", "/tmp")) / "zoom_categorical.png", dpi=100)


def _luminance(colour):
    """WCAG relative luminance of a colour (0 black - 1 white)."""
    from matplotlib.colors import to_rgb

    c = np.array(to_rgb(colour))
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


@pytest.mark.data
def test_zoomed_lisa_map_tells_outside_regions_from_not_significant():
    """Review #5: 'Outside the area classified' must not be the grey of 'Not significant'."""
    from cityresearch import regions
    from cityresearch._mapstyle import CLASS_CONTEXT_EDGE, LISA_COLORS, NO_DATA_COLOR

    table = regions.region_table()
    jt = table[table["prov_kemendagri_code"] == "33"]
    cls = np.resize(["HH", "ns", "LL", "ns", "LH", "HL"], len(jt))
    m = maps.categorical_map(
        pd.DataFrame({"bps_code": jt["bps_code"], "c": cls}),
        "c",
        zoom="Jawa Tengah",
        title="t",
        source="s",
    )
    labels = m.legend_labels
    assert labels[-2:] == ["Not significant (12)", "Outside the area classified"]
    handles = m.artists["legend"].legend_handles
    face = {lab: to_hex(h.get_facecolor()) for h, lab in zip(handles, labels, strict=True)}
    outside_fill = face["Outside the area classified"]
    assert face["Not significant (12)"] == LISA_COLORS["ns"]
    # the fills differ by at least 0.1 in luminance (before: #f2f2f2 vs #eeeeee, 0.03)
    for grey in (LISA_COLORS["ns"], NO_DATA_COLOR):
        assert abs(_luminance(outside_fill) - _luminance(grey)) >= 0.1
    outside = ~m.drawn["bps_code"].isin(jt["bps_code"])
    assert set(m.drawn.loc[outside, "color"]) == {outside_fill}
    # and they are outlined, one outline per context region in view
    outlines = [
        c
        for c in m.ax.collections
        if len(c.get_edgecolor()) and to_hex(c.get_edgecolor()[0]) == CLASS_CONTEXT_EDGE
    ]
    assert len(outlines) == 1
    assert 0 < len(outlines[0].get_paths()) <= int(outside.sum())
    m.save(Path(os.environ.get("CITYRESEARCH_TEST_OUT", "/tmp")) / "zoom_lisa.png", dpi=100)


# --------------------------------------------------------------------------- 0.2 vocabulary

TINY = pd.DataFrame({"bps_code": ["3505", "3572", "3573", "3578"], "v": [1.0, 2.0, 3.0, 4.0]})


def _same_map(a, b):
    pd.testing.assert_frame_equal(a.drawn, b.drawn)
    assert a.legend_title == b.legend_title and a.legend_labels == b.legend_labels


@pytest.mark.data
def test_choropleth_old_on_and_unit_spellings_warn_and_draw_the_same_map():
    from cityresearch._errors import CityResearchDeprecationWarning

    new = maps.choropleth(TINY, "v", unit="bps_code", value_unit="index", k=2, zoom="Jawa Timur")
    # 0.1: on= was the code column and unit= the unit of the values (the legend title)
    with pytest.warns(CityResearchDeprecationWarning) as rec:
        old = maps.choropleth(TINY, "v", on="bps_code", unit="index", k=2, zoom="Jawa Timur")
    messages = [str(w.message) for w in rec]
    assert any("use choropleth(unit=...)" in m for m in messages)
    assert any("use choropleth(value_unit='index')" in m for m in messages)
    _same_map(old, new)
    assert new.legend_title.startswith("index\n")  # the unit of the values heads the legend
    assert list(new.drawn.loc[new.drawn["has_data"], "bps_code"]) == list(TINY["bps_code"])
    # unit= alone with a label (not a column): the old meaning, with the warning
    with pytest.warns(CityResearchDeprecationWarning, match=r"value_unit='index'"):
        old2 = maps.choropleth(TINY, "v", unit="index", k=2, zoom="Jawa Timur")
    _same_map(old2, new)


@pytest.mark.data
def test_unit_names_the_code_column_and_refuses_others():
    with pytest.raises(ValidationError, match=r"unit must be one of \['bps_code'"):
        maps.choropleth(TINY.assign(kode=TINY["bps_code"]), "v", unit="kode", value_unit="i")
    with pytest.raises(ValidationError, match="pass the unit of the values as value_unit="):
        maps.choropleth(TINY, "v", unit="index", value_unit="index")


@pytest.mark.data
@pytest.mark.parametrize(
    ("unit", "meant"),
    [
        ("bps_cod", "bps_code"),  # a typo of a code column
        ("kode", "bps_code"),  # Indonesian for "code": a code column meant
        ("BPS_CODE", "bps_code"),
        ("kemendagri", "kemendagri_code"),
        ("vv", "v"),  # close to a data column
    ],
)
def test_unit_close_to_a_column_is_refused_not_read_as_legend_unit(unit, meant):
    """Review #2: a misspelt code column must not silently become the legend title."""
    long = pd.concat([TINY.assign(year=2000), TINY.assign(year=2019)])
    for call in (
        lambda: maps.choropleth(TINY, "v", unit=unit, k=2),
        lambda: maps.small_multiples(long, "v", unit=unit, k=2),
    ):
        with pytest.raises(ValidationError, match=rf"did you mean '{meant}'\?") as e:
            call()
        assert f"pass value_unit='{unit}'" in str(e.value)
    if meant != "v":  # categorical_map has no legend unit: its join names the code column
        with pytest.raises(ValidationError, match=rf"not '{unit}'; did you mean '{meant}'\?"):
            maps.categorical_map(TINY.assign(c=list("abab")), "c", unit=unit)


@pytest.mark.data
def test_unit_read_as_legend_unit_says_so_and_names_the_code_columns():
    from cityresearch._errors import CityResearchDeprecationWarning

    with pytest.warns(CityResearchDeprecationWarning) as rec:
        m = maps.choropleth(TINY, "v", unit="persons", k=2, zoom="Jawa Timur")
    (msg,) = [str(w.message) for w in rec]
    assert "was read as the legend unit value_unit='persons'" in msg
    assert "To name the code column, use unit= with one of bps_code, kemendagri_code" in msg
    assert m.legend_title.startswith("persons\n")


@pytest.mark.data
def test_on_with_unit_and_value_unit_names_the_clash():
    """Review #3: on= makes unit= the 0.1 legend unit, which clashes with value_unit=."""
    with pytest.raises(ValidationError) as e:
        maps.choropleth(TINY, "v", on="bps_code", unit="bps_code", value_unit="IDR")
    msg = str(e.value)
    assert "with on= (the 0.1 name of the code column) present, unit= is read as the 0.1" in msg
    assert "clashes with value_unit=" in msg and "not a code column" not in msg
    assert "Drop on= and pass the code column as unit='bps_code'" in msg
    with pytest.raises(ValidationError, match="cannot be the column 'bps_code'"):
        maps.choropleth(TINY, "v", on="bps_code", unit="bps_code", k=2)


@pytest.mark.data
def test_categorical_map_old_on_warns_and_draws_the_same_map():
    from cityresearch._errors import CityResearchDeprecationWarning

    cls = TINY.assign(c=["a", "b", "a", "b"])
    new = maps.categorical_map(cls, "c", unit="bps_code", zoom="Jawa Timur")
    with pytest.warns(CityResearchDeprecationWarning, match=r"use categorical_map\(unit=\.\.\.\)"):
        old = maps.categorical_map(cls, "c", on="bps_code", zoom="Jawa Timur")
    _same_map(old, new)
    assert new.legend_labels[:2] == ["a (2)", "b (2)"]


@pytest.mark.data
def test_small_multiples_old_by_and_unit_warn_and_draw_the_same_maps():
    from cityresearch._errors import CityResearchDeprecationWarning

    long = pd.concat([TINY.assign(yr=2000), TINY.assign(yr=2019, v=TINY["v"] * 2)])
    new = maps.small_multiples(long, "v", time="yr", unit="bps_code", value_unit="index", k=2)
    with pytest.warns(CityResearchDeprecationWarning) as rec:
        old = maps.small_multiples(long, "v", by="yr", on="bps_code", unit="index", k=2)
    messages = " ".join(str(w.message) for w in rec)
    assert "use small_multiples(time=...)" in messages
    assert "use small_multiples(unit=...)" in messages
    assert "use small_multiples(value_unit='index')" in messages
    assert len(old) == len(new) == 2
    for a, b in zip(old, new, strict=True):
        _same_map(a, b)
    assert [m.ax.get_title(loc="left") for m in new] == ["2000", "2019"]


# --------------------------------------------------------------------------- framing (#13 review)


@pytest.mark.data
def test_zoom_frame_leaves_out_small_outlying_islands_and_says_so(gdp2019):
    layer = _maplayers.layer("kabkota", False)
    jatim = layer[layer["province"] == "Jawa Timur"]
    parts, idx = shapely.get_parts(jatim.geometry.to_numpy(), return_index=True)
    big = parts[shapely.area(parts) >= maps.OUTLYING_KM2 * 1e6]
    m = maps.choropleth(gdp2019, "grdp_pc_idr_k", zoom="Jawa Timur", **MONEY)
    x0, x1 = m.ax.get_xlim()
    y0, y1 = m.ax.get_ylim()
    frame = shapely.box(x0, y0, x1, y1)
    assert shapely.within(big, frame).all()  # every island of 50 km2 or more is shown
    sumenep = jatim.loc[jatim["bps_code"] == "3529", "geometry"].iloc[0]
    assert sumenep.bounds[3] > y1  # Masalembu, north of the frame
    # the frame ends 4% of the large islands' extent above the northernmost (Bawean)
    bx0, by0, bx1, by1 = shapely.total_bounds(big)
    assert y1 == pytest.approx(by1 + 0.04 * max(bx1 - bx0, by1 - by0), abs=1.0)
    assert "Small outlying islands outside the frame: Kabupaten Sumenep." in m.caption
    idn = maps.choropleth(
        gdp2019,
        "grdp_pc_idr_k",
        zoom="Jawa Timur",
        lang="id",
        value_unit="ribu Rp",
        price_basis="h",
    )
    assert "Pulau kecil terluar di luar bingkai peta: Kabupaten Sumenep." in idn.caption


@pytest.mark.data
def test_tall_region_is_framed_to_fill_the_figure():
    m = maps.region_map("3101", lang="id")  # Kepulauan Seribu: islands in a north-south strip
    x0, x1 = m.ax.get_xlim()
    y0, y1 = m.ax.get_ylim()
    w, h = m.fig.get_size_inches()
    pos = m.ax.get_position()
    assert pos.width * w == pytest.approx(8 - 0.2, abs=0.01)  # the full width, not a strip
    assert (x1 - x0) / (y1 - y0) == pytest.approx((8 - 0.2) / 6, rel=0.01)
    layer = _maplayers.layer("kabkota", False)
    seribu = layer.loc[layer["bps_code"] == "3101", "geometry"].iloc[0]
    assert shapely.box(x0, y0, x1, y1).contains(seribu)  # every island in the frame
    assert m.caption == (
        "Batas wilayah: Cahya DSN, wilayah_boundaries (MIT), proyeksi azimutal sama-luas Lambert."
    )


@pytest.mark.data
def test_no_data_hatching_is_visible_at_150_dpi(gdp2019):
    from matplotlib.colors import to_rgb

    codes = ["3505", "3506"]  # Kabupaten Blitar, Kabupaten Kediri: no data
    d = gdp2019.assign(grdp_pc_idr_k=gdp2019["grdp_pc_idr_k"].where(~gdp2019.bps_code.isin(codes)))
    m = maps.choropleth(d, "grdp_pc_idr_k", zoom="Jawa Timur", **MONEY)
    m.fig.set_dpi(150)
    m.fig.canvas.draw()
    rgb = np.asarray(m.fig.canvas.buffer_rgba())[..., :3] / 255
    lum = rgb @ [0.2126, 0.7152, 0.0722]
    layer = _maplayers.layer("kabkota", False)
    g = layer.loc[layer["bps_code"] == "3505", "geometry"].iloc[0]
    px, py = m.ax.transData.transform([g.representative_point().coords[0]])[0]
    row = lum.shape[0] - int(py)
    patch = lum[row - 12 : row + 12, int(px) - 12 : int(px) + 12]  # 24 x 24 pixels inside
    fill = float(np.dot(to_rgb(maps.NO_DATA_COLOR), [0.2126, 0.7152, 0.0722]))
    lines = patch < fill - 0.25  # hatch pixels clearly darker than the grey fill
    assert 0.15 < lines.mean() < 0.6  # lines seen, fill still recognisable
    # the legend shows the same hatching (matplotlib's legend drops the hatch width)
    from cityresearch._mapstyle import NO_DATA_HATCH

    handle = m.artists["legend"].legend_handles[m.legend_labels.index("No data")]
    assert handle.get_hatch() == NO_DATA_HATCH[0]
    assert handle.get_hatch_linewidth() == NO_DATA_HATCH[2]


def test_figure_png_takes_dpi_by_name():
    import matplotlib.pyplot as plt

    from cityresearch._errors import CityResearchDeprecationWarning

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.bar([0, 1], [1, 2], color=["#E69F00", "#0072B2"])
    new = maps.figure_png(fig, dpi=150)
    with pytest.warns(CityResearchDeprecationWarning, match=r"pass dpi=\.\.\. by name"):
        old = maps.figure_png(fig, 150)
    assert old == new and new[:8] == b"\x89PNG\r\n\x1a\n"


def test_indonesian_map_words_are_translated():
    from cityresearch._mapstyle import TEXT

    same = {k for k, v in TEXT["id"].items() if isinstance(v, str) and v == TEXT["en"][k]}
    assert same == {"km", "data"}  # the same word in both languages
    words = " ".join(v for v in TEXT["id"].values() if isinstance(v, str)).lower()
    for english in ("projection", "azimuthal", "equal-area", "colours", "diverge", "region"):
        assert english not in words
    assert TEXT["id"]["projection"] == "proyeksi azimutal sama-luas Lambert"
