"""ATT(g,t) on mpdta: cityresearch.did vs the csdid package, same machine.

    .venv/bin/pip install csdid   # not a dependency of cityresearch
    .venv/bin/python benchmarks/bench_did.py

Both estimate ATT(g,t) with never-treated controls and no covariates,
analytic standard errors (csdid: bstrap=False). Prints the best of 5 timings
and their ratio (csdid / ours: above 1 means ours is faster), and the largest
difference between the two sets of estimates.
"""

import time

import numpy as np


def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    from cityresearch import data, did

    mp = data.load_mpdta()
    ours_t, ours = best(lambda: did.att_gt(mp, y="lemp", group="first.treat", time="year",
                                           unit="countyreal"))
    print(f"cityresearch.did.att_gt: {ours_t * 1000:8.1f} ms")
    try:
        from csdid.att_gt import ATTgt
    except ImportError:
        print("csdid is not installed: pip install csdid to compare")
        return
    mp2 = mp.rename(columns={"first.treat": "first_treat"})

    def theirs():
        return ATTgt(yname="lemp", gname="first_treat", idname="countyreal", tname="year",
                     data=mp2, control_group="nevertreated").fit(est_method="dr", bstrap=False)

    their_t, fit = best(theirs)
    print(f"csdid ATTgt.fit:         {their_t * 1000:8.1f} ms")
    print(f"ratio csdid / ours: {their_t / ours_t:.1f}x")
    theirs_att = np.asarray(fit.results["att"], dtype=float)
    print(f"largest |difference| in ATT(g,t): {np.max(np.abs(theirs_att - ours.attgt['att'].to_numpy())):.2e}")


if __name__ == "__main__":
    main()
