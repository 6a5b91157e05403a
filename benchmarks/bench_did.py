"""ATT(g,t): cityresearch.did vs the csdid package, same machine, same scenarios.

    .venv/bin/pip install csdid   # for this benchmark only; not a dependency
    .venv/bin/python benchmarks/bench_did.py [--repeat 3]

Scenarios (R did reference data sets, loaded through the data registry):
without covariates; with a covariate (outcome regression / doubly robust);
not-yet-treated controls on a 10-period simulated panel; and with the
multiplier bootstrap (999 draws, which includes each package's uniform band).
For each: best-of-``repeat`` wall time of both, the ratio csdid / ours (above
1 means ours is faster), and the largest absolute difference between the two
packages' ATT(g,t) (and analytic standard errors), as a check that both
estimate the same thing.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np


def best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


SCENARIOS = [
    # name, data set, (y, t, id, g), covariates, control, method, bootstrap draws
    (
        "mpdta, no covariates, dr",
        "mpdta",
        ("lemp", "year", "countyreal", "first.treat"),
        None,
        "nevertreated",
        "dr",
        None,
    ),
    (
        "mpdta, ~lpop, reg",
        "mpdta",
        ("lemp", "year", "countyreal", "first.treat"),
        "lpop",
        "nevertreated",
        "reg",
        None,
    ),
    (
        "mpdta, ~lpop, dr",
        "mpdta",
        ("lemp", "year", "countyreal", "first.treat"),
        "lpop",
        "nevertreated",
        "dr",
        None,
    ),
    (
        "mpdta, ~lpop, dr, bootstrap 999",
        "mpdta",
        ("lemp", "year", "countyreal", "first.treat"),
        "lpop",
        "nevertreated",
        "dr",
        999,
    ),
    (
        "tp10 (1000 units x 10), ~X, dr, not-yet",
        "tp10_const",
        ("Y", "period", "id", "G"),
        "X",
        "notyettreated",
        "dr",
        None,
    ),
    (
        "tp10, ~X, dr, not-yet, bootstrap 999",
        "tp10_const",
        ("Y", "period", "id", "G"),
        "X",
        "notyettreated",
        "dr",
        999,
    ),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    from cityresearch import data, did

    try:
        from csdid.att_gt import ATTgt
    except ImportError:
        ATTgt = None
        print("csdid is not installed: pip install csdid to compare")
    print(
        f"{'scenario':42s} {'ours ms':>9s} {'csdid ms':>9s} {'ratio':>6s} "
        f"{'max|dATT|':>10s} {'max|dSE|':>9s}"
    )
    for name, ds, (y, t, i, g), cov, cg, em, B in SCENARIOS:
        df = data.load_did_reference_data(ds)

        def ours():
            return did.att_gt(
                df,
                y=y,
                cohort=g,
                time=t,
                unit=i,
                covariates=[cov] if cov else None,
                control_group=cg,
                est_method=em,
                n_boot=B,
                seed=1,
            )

        ours_t, res = best(ours, args.repeat)
        if ATTgt is None:
            print(f"{name:42s} {ours_t * 1000:9.1f}")
            continue
        df2 = df.rename(columns={g: "gcol"})

        def theirs():
            m = ATTgt(
                yname=y,
                gname="gcol",
                idname=i,
                tname=t,
                data=df2,
                control_group=cg,
                xformla=f"{y} ~ {cov}" if cov else None,
                biters=B or 1000,
                cband=B is not None,
            )
            return m.fit(est_method=em, bstrap=B is not None)

        their_t, fit = best(theirs, args.repeat)
        r = fit.results
        theirs_att = np.asarray(r["att"], dtype=float)
        d_att = np.max(np.abs(theirs_att - res.attgt["att"].to_numpy()))
        d_se = (
            np.nanmax(np.abs(np.asarray(r["se"], dtype=float) - res.attgt["se"].to_numpy()))
            if B is None
            else np.nan
        )
        print(
            f"{name:42s} {ours_t * 1000:9.1f} {their_t * 1000:9.1f} {their_t / ours_t:6.1f} "
            f"{d_att:10.2e} {d_se:9.2e}"
        )


if __name__ == "__main__":
    main()
