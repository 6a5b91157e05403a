"""service.read_measures on a 1,000,000-row file matched by region name.

    .venv/bin/python benchmarks/bench_read_measures.py [--rows 1000000]

Writes a synthetic file the way Indonesian Excel exports it (``;``
separators, decimal commas, names in mixed spellings: "Kab. Blitar",
"KOTA BLITAR", "Kabupaten Blitar"), reads it with ``read_measures`` in a fresh
process, and prints the wall time and the peak memory (resident set) of that
process against the targets (10 s, 1 GB), as ratios; the CPU time is printed
too, since on a loaded machine the wall time measures the other processes.
The time includes loading the region registry (about 1 s, once per process). It also times the old
approach (matching every row's name) on a sample and prints how many times
faster matching each distinct name once is.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TIME_TARGET_S = 10.0
MEMORY_TARGET_MB = 1024.0

CHILD = r"""
import json, resource, sys, time, warnings
t0 = time.perf_counter()
from cityresearch import service
t1 = time.perf_counter()
c1 = time.process_time()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    df = service.read_measures(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "read_s": t2 - t1, "rows": len(df),
                  "cpu_s": time.process_time() - c1,
                  "n_regions": int(df["bps_code"].nunique()),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def spellings(table):
    """Three spellings of each region's name as files write them."""
    out = []
    for name, short, type_ in table[["name", "name_short", "type"]].itertuples(index=False):
        prefix = "Kab." if type_ == "kabupaten" else "Kota"
        out.append([name, f"{prefix} {short}", name.upper()])
    return out


def write_file(path: Path, n_rows: int) -> None:
    from cityresearch import regions

    table = regions.region_table()
    names = spellings(table)
    n_reg = len(names)
    per_region = -(-n_rows // n_reg)
    years = np.arange(2000, 2020)
    n_measures = -(-per_region // len(years))
    rng = np.random.default_rng(1)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("region;year;measure;value\n")
        written = 0
        for r in range(n_reg):
            k = min(per_region, n_rows - written)
            if k <= 0:
                break
            idx = np.arange(k)
            yr = years[idx % len(years)]
            ms = idx // len(years)
            vals = rng.uniform(0, 100, k)
            spell = names[r]
            lines = [
                f"{spell[i % 3]};{y};m{m};" + f"{v:.2f}".replace(".", ",")
                for i, (y, m, v) in enumerate(zip(yr, ms, vals, strict=True))
            ]
            fh.write("\n".join(lines) + "\n")
            written += k
    assert n_measures >= 1


def old_per_row_seconds(path: Path, sample: int = 20_000) -> float:
    """Seconds per row of matching every row's name (the former loop)."""
    import warnings

    import pandas as pd

    from cityresearch import regions

    names = pd.read_csv(path, sep=";", dtype=str, nrows=sample)["region"].tolist()
    regions.match_regions(names[:10])  # load the registry before timing
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regions.match_regions(names)
    return (time.perf_counter() - t0) / len(names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "measures.csv"
        t0 = time.perf_counter()
        write_file(path, args.rows)
        print(
            f"wrote {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        res = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
        )
        r = json.loads(res.stdout.strip().splitlines()[-1])
        print(
            f"read_measures: {r['rows']:,} rows, {r['n_regions']} regions, "
            f"{r['read_s']:.2f} s (+ {r['import_s']:.2f} s import), "
            f"peak memory {r['peak_mb']:.0f} MB"
        )
        print(
            f"CPU time of the read: {r['cpu_s']:.2f} s (wall time depends on the machine's "
            f"load: {os.getloadavg()[0]:.1f} now)"
        )
        print(f"wall time / target ({TIME_TARGET_S:.0f} s): {r['read_s'] / TIME_TARGET_S:.2f}")
        print(f"CPU time / target ({TIME_TARGET_S:.0f} s):  {r['cpu_s'] / TIME_TARGET_S:.2f}")
        print(f"memory / target ({MEMORY_TARGET_MB:.0f} MB): {r['peak_mb'] / MEMORY_TARGET_MB:.2f}")
        per_row = old_per_row_seconds(path)
        old = per_row * args.rows
        print(
            f"matching every row (old approach), extrapolated from a sample: {old:.0f} s; "
            f"ratio old / new: {old / r['read_s']:.0f}x"
        )


if __name__ == "__main__":
    main()
