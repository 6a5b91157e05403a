"""Time each notebook of the report from a warm data cache, and the total.

    python benchmarks/bench_report.py

Target: the whole report in under 90 s on a 2-core machine. The data cache is
warmed first (one untimed load of every dataset), as a researcher's second
run would find it.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from cityresearch import cli, report

    cli.main(["check"])  # warm: fetch + parse every dataset into the cache
    total = 0.0
    print("\nnotebook                                   seconds")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        t0 = time.perf_counter()
        nb = report._execute(path, timeout=900, kernel_name=None)
        report._html(nb)
        dt = time.perf_counter() - t0
        total += dt
        print(f"{path.name:<42} {dt:7.1f}")
    print(f"{'total (execute + HTML)':<42} {total:7.1f}   (target < 90 s)")
    sys.exit(0)


if __name__ == "__main__":
    main()
