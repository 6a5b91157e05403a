"""First load (parse + repair) vs cached load of the 514 kab/kota boundaries.

    python benchmarks/bench_boundaries.py

Uses the data cache (or CITYRESEARCH_DATA_MIRROR) for the raw files and a
fresh temporary folder for the parsed cache. Target: cached load < 0.3 s.
Also prints the time of `import cityresearch` (target < 0.5 s).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(repeat: int = 5) -> None:
    from cityresearch import data, settings

    data.fetch("boundaries")  # raw files present and verified
    raw_cache = settings.get_cache_folder()
    tmp = Path(tempfile.mkdtemp())
    try:
        # raw files in place, parsed cache empty
        shutil.copytree(raw_cache, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns("parsed"))
        settings.cache_folder = tmp
        from cityresearch import regions

        regions._tables.cache_clear()
        t0 = time.perf_counter()
        data.load_boundaries("kabkota")
        first = time.perf_counter() - t0
        cached = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            data.load_boundaries("kabkota")
            cached.append(time.perf_counter() - t0)
    finally:
        settings.cache_folder = None
        shutil.rmtree(tmp, ignore_errors=True)
    best = min(cached)
    print(f"first load (parse + repair + registry): {first:.3f} s")
    print(f"cached load (GeoParquet), best of {repeat}: {best:.3f} s  (target < 0.3 s)")
    print(f"ratio first / cached: {first / best:.1f}x")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "import cityresearch"], check=True, env=dict(os.environ)
        )
        times.append(time.perf_counter() - t0)
    base = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append(time.perf_counter() - t0)
    print(
        f"import cityresearch: {min(times) - min(base):.3f} s beyond interpreter start "
        f"({min(times):.3f} s total; target < 0.5 s)"
    )


if __name__ == "__main__":
    main()
