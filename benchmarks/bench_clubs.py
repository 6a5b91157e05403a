"""Time of the Phillips-Sul club analysis of 514 districts x 18 years (2000-2017).

Prints the time of HP filtering plus clustering plus merging under the
published settings (clubs.PUBLISHED_SETTINGS), for both conventions, and the
ratio of each to the time of one log t test of the whole panel (the unit of
work the algorithm repeats). Run:
``PYTHONPATH=src python benchmarks/bench_clubs.py``.
"""

import time
import warnings

from cityresearch import clubs, data


def best_of(fn, n=3):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    panel = data.load_district_panel_2017()
    lamb = clubs.PUBLISHED_SETTINGS["lamb"]
    t_trend, trend = best_of(lambda: clubs.log_hp_trend(panel, lamb=lamb))
    t_one, _ = best_of(lambda: clubs.log_t_test(trend), n=20)
    print(f"panel: {trend.shape[0]} districts x {trend.shape[1]} years")
    print(f"HP filter (lambda {lamb:g}): {t_trend * 1e3:.1f} ms")
    print(f"one log t test of the whole panel: {t_one * 1e3:.2f} ms")
    for conv in ("stata", "r"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, res = best_of(lambda: clubs.find_clubs(trend, convention=conv, merge="PS"))
        print(
            f"club analysis, {conv} convention: {t:.2f} s "
            f"({res.n_initial_clubs} initial -> {res.n_clubs} clubs, {res.n_divergent} divergent;"
            f" {t / t_one:.0f} x one log t test)"
        )


if __name__ == "__main__":
    main()
