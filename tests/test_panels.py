"""Bad input to the frame builders of cityresearch.panels (issue 11)."""

import pandas as pd
import pytest

from cityresearch import panels
from cityresearch._errors import ValidationError

PANELS_BAD = [
    (
        "participation_frame pre_year text",
        lambda: panels.participation_frame("2016"),
        r"participation_frame: pre_year must be a number; got '2016'",
    ),
    (
        "participation_frame pre_year after the programme",
        lambda: panels.participation_frame(2018),
        (
            r"participation_frame: pre_year must be a year of the panel before 2017 \(2000-2016\), "
            r"not 2018"
        ),
    ),
    (
        "participation_frame pre_year fraction",
        lambda: panels.participation_frame(2015.5),
        r"participation_frame: pre_year must be a whole number; got 2015.5",
    ),
    (
        "selection_frame pre_year text",
        lambda: panels.selection_frame("2016"),
        r"selection_frame: pre_year must be a number; got '2016'",
    ),
    (
        "selection_frame pre_year 1800",
        lambda: panels.selection_frame(1800),
        (
            r"selection_frame: pre_year must be a year of the panel before 2017 "
            r"\(2000-2016\), not 1800"
        ),
    ),
    (
        "attach_province missing code",
        lambda: panels.attach_province(pd.DataFrame({"bps_code": ["3505", None], "v": [1, 2]})),
        r"attach_province: 1 row has no bps_code: row 1; fill in the codes or drop those rows",
    ),
    (
        "attach_province missing codes, frame index",
        lambda: panels.attach_province(
            pd.DataFrame({"bps_code": [None, "3505", float("nan")]}, index=[10, 11, 12])
        ),
        r"attach_province: 2 rows have no bps_code: row 10; row 12",
    ),
    (
        "attach_province unknown code with its row",
        lambda: panels.attach_province(pd.DataFrame({"bps_code": ["3505", " 3505", "9999"]})),
        r"attach_province: 2 codes not in the region registry: ' 3505', '9999' \(row 1; row 2\)",
    ),
]


@pytest.mark.data
@pytest.mark.parametrize(
    "call, message", [b[1:] for b in PANELS_BAD], ids=[b[0] for b in PANELS_BAD]
)
def test_panels_refuse_bad_input(call, message):
    with pytest.raises(ValidationError, match=message) as info:
        call()
    assert type(info.value) is ValidationError


@pytest.mark.data
def test_attach_province_good_input_unchanged():
    out = panels.attach_province(pd.DataFrame({"bps_code": ["3505", "3572"], "v": [1.0, 2.0]}))
    assert out[["bps_code", "name", "province", "province_34", "v"]].values.tolist() == [
        ["3505", "Kabupaten Blitar", "Jawa Timur", "Jawa Timur", 1.0],
        ["3572", "Kota Blitar", "Jawa Timur", "Jawa Timur", 2.0],
    ]


@pytest.mark.data
def test_attach_province_adds_both_province_schemes():
    out = panels.attach_province(pd.DataFrame({"bps_code": ["3505", "9402"]}))
    # Kabupaten Jayawijaya: Papua (BPS 94) in 2017, Papua Pegunungan (95) since 2022
    assert out[
        ["prov_bps_code", "province_34", "prov_kemendagri_code", "province"]
    ].values.tolist() == [
        ["35", "Jawa Timur", "35", "Jawa Timur"],
        ["94", "Papua", "95", "Papua Pegunungan"],
    ]


@pytest.mark.data
def test_region_boundaries_is_the_frame_for_region_weights():
    kab = panels.region_boundaries()
    assert len(kab) == 514 and kab.crs.to_epsg() == 4326 and kab["bps_code"].is_unique
    assert {"bps_code", "name", "prov_bps_code", "geometry"} <= set(kab.columns)
    assert len(panels.region_boundaries("provinsi")) == 38
    with pytest.raises(ValidationError, match=r"level must be 'kabkota' or 'provinsi', not 'kab'"):
        panels.region_boundaries("kab")


@pytest.mark.data
@pytest.mark.slow
def test_region_frame_area_leaves_out_overlaps_claimed_by_a_neighbour():
    """Kabupaten Sorong's source polygon still holds Tambrauw and part of Maybrat.

    Independent computation: the source polygon's area less its intersections
    with its neighbours' source polygons (in the same equal-area CRS); all five
    neighbours are smaller, so the clean coverage gives them the overlaps.
    A region without overlaps keeps its source area (no gap filling added).
    """
    from cityresearch import regions
    from cityresearch._maplayers import CRS

    f = panels.region_frame(2019).set_index("bps_code")
    src = regions.boundaries("kabkota").to_crs(CRS).set_index("bps_code").geometry
    sorong = src["9107"]
    # Sorong Selatan, Raja Ampat, Tambrauw (5,009 km2), Maybrat (390 km2), Kota Sorong
    neighbours = ["9106", "9108", "9109", "9110", "9171"]
    assert all(src[c].area < sorong.area for c in neighbours)
    expected = (sorong.area - sum(sorong.intersection(src[c]).area for c in neighbours)) / 1e6
    assert sorong.area / 1e6 == pytest.approx(12782.5, abs=1)
    assert f.loc["9107", "area_km2"] == pytest.approx(expected, abs=2)  # edges snapped
    assert f.loc["9107", "area_km2"] == pytest.approx(7376, abs=5)
    # Kota Yogyakarta: the clean coverage adds a filled gap (34.75 km2); the area does not
    assert f.loc["3471", "area_km2"] == pytest.approx(src["3471"].area / 1e6, rel=1e-9)
    d = f.loc["9107"]
    assert d["density_per_km2"] == pytest.approx(d["pop"] / d["area_km2"])
    assert len(f) == 514 and f["area_km2"].gt(0).all()
