"""First (parse) vs cached ``data.load`` of every parsed dataset, and ``import cityresearch``.

    python benchmarks/bench_data_load.py

Targets (issue #14): a cached ``data.load`` < 0.3 s for every dataset, and
``import cityresearch`` < 0.5 s beyond interpreter start. The datasets are
taken from the specs (``data.datasets()``), so a new dataset is measured
without editing this script. Raw files come from the data cache (or
CITYRESEARCH_DATA_MIRROR); parsed frames go to a fresh temporary cache.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_LOAD_S = 0.3
TARGET_IMPORT_S = 0.5


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(repeat: int = 5) -> int:
    from cityresearch import data, settings

    listed = data.datasets()
    names = listed.loc[~listed["file_only"], "name"].tolist()
    for name in names:
        data.fetch(name)  # raw files present and verified (not timed)
    raw_cache = settings.get_cache_folder()
    tmp = Path(tempfile.mkdtemp())
    slow = []
    try:
        shutil.copytree(raw_cache, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns("parsed"))
        settings.cache_folder = tmp
        print(f"{'dataset':<30} {'first s':>8} {'cached s':>9} {'ratio':>7}")
        for name in names:
            t0 = time.perf_counter()
            data.load(name)  # builds its dependencies too, when not yet cached
            first = time.perf_counter() - t0
            cached = _best(lambda n=name: data.load(n), repeat)
            print(f"{name:<30} {first:8.3f} {cached:9.3f} {first / cached:6.1f}x")
            if cached >= TARGET_LOAD_S:
                slow.append(name)
    finally:
        settings.cache_folder = None
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"cached load target < {TARGET_LOAD_S} s: {'met' if not slow else f'MISSED by {slow}'}")

    def run(code: str) -> None:
        subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ))

    imp, base = (
        _best(lambda: run("import cityresearch"), repeat),
        _best(lambda: run("pass"), repeat),
    )
    print(
        f"import cityresearch: {imp - base:.3f} s beyond interpreter start "
        f"({imp:.3f} s total; target < {TARGET_IMPORT_S} s); ratio to target "
        f"{(imp - base) / TARGET_IMPORT_S:.2f}"
    )
    return 1 if slow or imp - base >= TARGET_IMPORT_S else 0


if __name__ == "__main__":
    raise SystemExit(main())
