"""Callaway-Sant'Anna ATT(g,t) against R did 2.5.0 and constructed data."""

import numpy as np
import pandas as pd
import pytest

from cityresearch import data, did
from cityresearch._errors import ValidationError


@pytest.fixture(scope="module")
def result():
    mp = data.load_mpdta()  # through the data registry like every external file
    return did.att_gt(mp, y="lemp", group="first.treat", time="year", unit="countyreal")


@pytest.mark.data
def test_attgt_reproduces_r_did(result):
    ref = data.load_did_reference("attgt")
    ref = ref[ref["scenario"] == "mpdta_nev_dr"]
    m = result.attgt.merge(ref, on=["group", "t"], suffixes=("", "_r"))
    assert len(m) == 12
    assert np.abs(m["att"] - m["att_r"]).max() < 1e-10
    assert np.abs(m["se"] - m["se_r"]).max() < 1e-10
    a = result.attgt.set_index(["group", "t"])["att"]
    assert a[(2004, 2004)] == pytest.approx(-0.0105032, abs=1e-7)
    assert a[(2006, 2006)] == pytest.approx(-0.0045946, abs=1e-7)
    assert a[(2006, 2007)] == pytest.approx(-0.0412245, abs=1e-7)


@pytest.mark.data
@pytest.mark.parametrize("kind", ["simple", "group", "dynamic", "calendar"])
def test_aggregations_reproduce_r_did(result, kind):
    ref = data.load_did_reference("aggte")
    ref = ref[(ref["scenario"] == "mpdta_nev_dr") & (ref["type"] == kind)]
    agg = result.aggregate(kind).set_index("egt")
    overall = agg.loc["overall"]
    assert overall["att"] == pytest.approx(ref["overall_att"].iloc[0], abs=1e-9)
    assert overall["se"] == pytest.approx(ref["overall_se"].iloc[0], abs=1e-9)
    for r in ref.dropna(subset=["egt"]).itertuples():
        assert agg.loc[int(r.egt), "att"] == pytest.approx(r.att_egt, abs=1e-9)
        assert agg.loc[int(r.egt), "se"] == pytest.approx(r.se_egt, abs=1e-9)
    if kind == "simple":
        assert overall["att"] == pytest.approx(-0.0399513, abs=1e-7)


def test_known_effect_on_constructed_panel():
    # units with unit effects and common trends; cohort 2003 gains +2 from 2003 on,
    # cohort 2004 gains +1 in 2004 and +3 in 2005; never-treated get nothing
    rng = np.random.default_rng(1)
    rows = []
    for i in range(30):
        g = [0, 2003, 2004][i % 3]
        alpha = rng.normal()
        for t in range(2001, 2006):
            effect = 0.0
            if g == 2003 and t >= 2003:
                effect = 2.0
            if g == 2004 and t >= 2004:
                effect = 1.0 if t == 2004 else 3.0
            rows.append((i, t, g, alpha + 0.5 * t + effect))
    panel = pd.DataFrame(rows, columns=["id", "year", "g", "y"])
    r = did.att_gt(panel, y="y", group="g", time="year", unit="id")
    a = r.attgt.set_index(["group", "t"])["att"]
    assert a[(2003, 2003)] == pytest.approx(2.0) and a[(2003, 2005)] == pytest.approx(2.0)
    assert a[(2004, 2004)] == pytest.approx(1.0) and a[(2004, 2005)] == pytest.approx(3.0)
    assert a[(2004, 2002)] == pytest.approx(0.0, abs=1e-12)  # parallel pre-trends
    dyn = r.aggregate("dynamic").set_index("egt")["att"]
    assert dyn[0] == pytest.approx(1.5) and dyn[1] == pytest.approx(2.5)


def test_errors():
    panel = pd.DataFrame({"id": [1, 1, 2], "year": [1, 2, 1], "g": [2, 2, 0], "y": [1.0, 2, 3]})
    with pytest.raises(ValidationError, match="unbalanced"):
        did.att_gt(panel, y="y", group="g", time="year", unit="id")
    panel = pd.DataFrame({"id": [1, 1], "year": [1, 2], "g": [2, 2], "y": [1.0, 2]})
    with pytest.raises(ValidationError, match="no never-treated"):
        did.att_gt(panel, y="y", group="g", time="year", unit="id")
    with pytest.raises(ValidationError, match="column 'z'"):
        did.att_gt(panel, y="z", group="g", time="year", unit="id")
