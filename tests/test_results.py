"""One tidy() schema across every result object (issue #17).

Every result's ``tidy()`` starts with ``term`` and ``estimate``, then those of
``std_error``, ``statistic``, ``p_value``, ``conf_low``, ``conf_high`` that apply,
in that order (``conf_low``/``conf_high`` always, NaN when not computed), then its
own columns; no schema column appears later. Each result is made on tiny data by
the function that returns it.
"""

import numpy as np
import pandas as pd
import pytest

from cityresearch import clubs, did, dynamics, economy, growth, policy, spatial
from cityresearch._results import TIDY_COLUMNS, Result


def _ring(ids):
    import libpysal
    from libpysal.graph import Graph

    n = len(ids)
    neigh = {ids[i]: [ids[(i - 1) % n], ids[(i + 1) % n]] for i in range(n)}
    return Graph.from_W(libpysal.weights.W(neigh, silence_warnings=True))


def _cells():
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"id": list("abcd")},
        crs="EPSG:4326",
        geometry=[box(118 + i / 10, -2, 118.1 + i / 10, -1.9) for i in range(4)],
    )


def _strata():
    return pd.DataFrame(
        {
            "x": [0] * 6 + [1] * 6,
            "t": [1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1],
            "y": [5, 1, 2, 3, 2, 7, 10, 12, 11, 6, 8, 9.0],
        }
    )


def _clusters():
    rng = np.random.default_rng(0)
    g = np.repeat(np.arange(5), 4)
    x = rng.normal(size=20)
    d = np.tile([0, 1], 10)
    y = 0.5 * x + 0.8 * d + rng.normal(size=5)[g] + rng.normal(size=20)
    return pd.DataFrame({"g": g, "x": x, "d": d, "y": y})


def _club_panel():
    t = np.arange(1, 31)
    paths = [(1, 0.2), (1, 0), (1, -0.2), (0, 0.2), (0, 0), (0, -0.2)]
    rows = {f"u{i}": 10 + 0.05 * t + lvl + d / t for i, (lvl, d) in enumerate(paths)}
    rows["drifter"] = 10 + 0.05 * t + 0.5 - 0.04 * t
    return pd.DataFrame(rows).T


def _markov_panel():
    rng = np.random.default_rng(1)
    ids = [f"u{i}" for i in range(6)]
    return pd.DataFrame(
        [(u, y, rng.uniform(0, 2)) for u in ids for y in range(2000, 2008)],
        columns=["bps_code", "year", "v"],
    )


def _did_fit():
    rows = [
        (i, t, g, 0.5 * t + (2.0 if g and t >= g else 0.0) + 0.1 * (i % 3))
        for i, g in enumerate([0, 0, 0, 3, 3, 3])
        for t in (1, 2, 3, 4)
    ]
    p = pd.DataFrame(rows, columns=["id", "year", "g", "y"])
    return did.att_gt(p, y="y", cohort="g", time="year", unit="id")


def _markov():
    return dynamics.markov_chain(_markov_panel(), "v", cutoffs=[1.0])


def _spatial_markov():
    graph = _ring([f"u{i}" for i in range(6)])
    return dynamics.spatial_markov(_markov_panel(), "v", graph, k=2, m=2)


MAKERS = {
    "CorrelationResult": lambda: policy.correlation(
        [1, 2, 3, 4, 5], [2, 4, 5, 4, 5], n_boot=50, n_perm=50
    ),
    "IPWResult": lambda: policy.ipw([5.0, 7.0, 1.0, 3.0], [1, 1, 0, 0], [0.5] * 4),
    "IPWBootstrapResult": lambda: policy.ipw_bootstrap(_strata(), "y", "t ~ x", n_boot=30, seed=1),
    "WildBootstrapResult": lambda: policy.wild_cluster_bootstrap(
        _clusters(), "y ~ d + x", "d", "g", weights="rademacher"
    ),
    "TheilResult": lambda: economy.theil([1, 3, 2, 2], pop=[1, 1, 1, 1], group=list("aabb")),
    "MoranResult": lambda: spatial.moran(
        pd.Series([1.0, 2, 3, 4], index=list("abcd")),
        spatial.region_weights(_cells(), unit="id").graph,
        n_perm=9,
    ),
    "RankSizeResult": lambda: growth.rank_size([100.0, 50.0, 100 / 3, 25.0, 20.0]),
    "LogTResult": lambda: clubs.log_t_test(_club_panel()),
    "ClubResult": lambda: clubs.find_clubs(_club_panel()),
    "MarkovResult": _markov,
    "SpatialMarkovResult": _spatial_markov,
    "ATTResult": _did_fit,
    "Aggregation": lambda: _did_fit().aggte("dynamic"),
}


def _all_result_classes():
    out, todo = set(), list(Result.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("cityresearch.") and not cls.__module__.startswith(
            "cityresearch._results"
        ):
            out.add(cls.__name__)
        todo += cls.__subclasses__()
    return out


def test_every_result_class_is_checked_here():
    """A new Result subclass must be added to MAKERS (and so follow the schema)."""
    missing = _all_result_classes() - set(MAKERS)
    assert not missing, f"add these result classes to MAKERS: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_tidy_follows_the_schema(name):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tiny data: e.g. a reducible chain warns
        res = MAKERS[name]()
    assert type(res).__name__ == name
    t = res.tidy()
    assert isinstance(t, pd.DataFrame) and len(t) >= 1
    cols = list(t.columns)
    assert cols[:2] == ["term", "estimate"], cols
    assert {"conf_low", "conf_high"} <= set(cols), cols
    lead = []
    for c in cols:
        if c not in TIDY_COLUMNS:
            break
        lead.append(c)
    assert lead == [c for c in TIDY_COLUMNS if c in cols], cols  # schema order, contiguous
    assert not set(cols[len(lead) :]) & set(TIDY_COLUMNS), cols  # none later
    assert t["term"].map(lambda v: isinstance(v, str)).all(), t["term"].tolist()
    assert t["term"].is_unique
    assert len(set(cols)) == len(cols)
    text = res.summary()
    assert isinstance(text, str) and text == repr(res)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_result_equality_is_identity(name):
    """Documented in Result: compare fields or tidy() frames, not the objects."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = MAKERS[name](), MAKERS[name]()
    if isinstance(a, Result):
        assert a == a and a != b  # same numbers, different objects
        pd.testing.assert_frame_equal(a.tidy(), b.tidy())
