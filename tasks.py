#!/usr/bin/env python3
"""Single entry point: set up the environment and run a job.

    python3 tasks.py report   # build the report (executes every notebook) under reports/
    python3 tasks.py test     # run the whole test suite, notebooks included (nbval)
    python3 tasks.py lab      # open JupyterLab with the project's kernel

Each job creates ``.venv`` (standard library venv) on first use and installs the
project with its dependencies into it; it reinstalls only when pyproject.toml
changes. Needs nothing but Python 3.11+.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"cityresearch needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    stamp = VENV / ".cityresearch-installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == want and PY.exists():
        return
    if not PY.exists():
        print("creating .venv ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    print("installing cityresearch and its dependencies into .venv ...", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
    subprocess.run([str(PY), "-m", "ipykernel", "install", "--sys-prefix", "--name", "cityresearch",
                    "--display-name", "Python (cityresearch)"], check=True,
                   stdout=subprocess.DEVNULL)
    stamp.write_text(want)


def run(args: list[str]) -> int:
    return subprocess.run(args, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"report", "test", "lab", "setup"}:
        print(__doc__)
        return 2
    ensure_env()
    job, rest = argv[0], argv[1:]
    if job == "setup":
        return 0
    if job == "report":
        return run([str(BIN / "cityresearch"), "report", *rest])
    if job == "lab":
        return run([str(BIN / "jupyter"), "lab", "--notebook-dir", str(ROOT / "notebooks"), *rest])
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))
    nbval = ["--nbval", "--nbval-sanitize-with", "notebooks/sanitize.cfg",
             "--nbval-current-env", *notebooks] if notebooks else []
    doctests = ["--doctest-modules", "src/cityresearch"]
    return run([str(PY), "-m", "pytest", "tests", *doctests, *nbval, *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
