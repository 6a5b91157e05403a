#!/usr/bin/env python3
"""Single entry point: set up the environment and run a job.

    python3 tasks.py report            # build the report (executes every notebook) under reports/
    python3 tasks.py test              # run the whole test suite, notebooks included (nbval)
    python3 tasks.py test --latest     # the same against the newest releases of every dependency
    python3 tasks.py lab               # open JupyterLab with the project's kernel
    python3 tasks.py docs              # build the documentation into docs/_build/html (offline)
    python3 tasks.py lock              # rewrite constraints.txt from the --latest environment

Each job creates a virtual environment on first use (standard library venv) and
installs the project into it. By default the exact versions in
``constraints.txt`` are installed into ``.venv``, so a notebook validated today
gives the same numbers next year; ``--latest`` installs the newest releases into
``.venv-latest`` instead (to find out whether a new release changes anything).
An environment is reinstalled only when pyproject.toml or constraints.txt
changes. Needs nothing but Python 3.11+.

Tests that need the data files carry the ``data`` marker. When the data can be
neither found (cache or ``CITYRESEARCH_DATA_MIRROR``) nor downloaded, ``test``
says so in one line and runs the tests that need no data.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
LOCK = ROOT / "constraints.txt"
JOBS = {"report", "test", "lab", "setup", "lock", "docs"}


def _venv(latest: bool) -> Path:
    return ROOT / (".venv-latest" if latest else ".venv")


def _bin(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def _python(venv: Path) -> Path:
    return _bin(venv) / ("python.exe" if os.name == "nt" else "python")


def ensure_env(latest: bool = False) -> Path:
    """Create/update the environment; return its folder."""
    if sys.version_info < (3, 11):
        sys.exit(f"cityresearch needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    venv = _venv(latest)
    py = _python(venv)
    stamp = venv / ".cityresearch-installed"
    inputs = (ROOT / "pyproject.toml").read_bytes() + (b"latest" if latest else LOCK.read_bytes())
    want = hashlib.sha256(inputs).hexdigest()
    if stamp.is_file() and stamp.read_text() == want and py.exists():
        return venv
    if not py.exists():
        print(f"creating {venv.name} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    what = "the newest releases" if latest else f"the versions locked in {LOCK.name}"
    print(f"installing cityresearch with {what} into {venv.name} ...", flush=True)
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    pin = ["--upgrade", "--upgrade-strategy", "eager"] if latest else ["-c", str(LOCK)]
    # every extra (see pyproject.toml): the package alone stays light for reuse elsewhere
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", *pin, "-e", f"{ROOT}[test,report,lab,docs]"],
        check=True,
    )
    subprocess.run(
        [
            str(py),
            "-m",
            "ipykernel",
            "install",
            "--sys-prefix",
            "--name",
            "cityresearch",
            "--display-name",
            "Python (cityresearch)",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    stamp.write_text(want)
    return venv


def data_reachable(py: Path) -> bool:
    """True when every registered file is cached or mirrored, or the internet answers."""
    code = (
        "from cityresearch import _fetch, settings\n"
        "m = settings.get_data_mirror()\n"
        "ok = all(_fetch.cached_path(r).is_file() or (m is not None and (m / r.key).is_file())"
        " for r in _fetch.registry().values())\n"
        "raise SystemExit(0 if ok else 1)\n"
    )
    if subprocess.run([str(py), "-c", code], cwd=ROOT).returncode == 0:
        return True
    if os.environ.get("CITYRESEARCH_OFFLINE", "").lower() in {"1", "true", "yes"}:
        return False
    try:
        socket.create_connection(("raw.githubusercontent.com", 443), timeout=5).close()
    except OSError:
        return False
    return True


def run(args: list[str]) -> int:
    return subprocess.run(args, cwd=ROOT).returncode


def test(venv: Path, rest: list[str]) -> int:
    py = _python(venv)
    args = [str(py), "-m", "pytest", "tests", "--doctest-modules", "src/cityresearch"]
    if data_reachable(py):
        notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").glob("*.ipynb"))
        if notebooks:
            args += [
                "--nbval",
                "--nbval-sanitize-with",
                "notebooks/sanitize.cfg",
                "--nbval-current-env",
                *notebooks,
            ]
    else:
        print(
            "no data: not cached, no mirror, no internet -> running only the tests that need no "
            "data (get the data with `.venv/bin/cityresearch data fetch` on a connected machine, "
            "or set CITYRESEARCH_DATA_MIRROR to a folder holding the files)",
            flush=True,
        )
        args += ["-m", "not data"]
    return run([*args, *rest])


def docs(venv: Path, rest: list[str]) -> int:
    """Build the documentation with warnings as errors; tutorials run when the data are there."""
    py = _python(venv)
    env = dict(os.environ)
    if not data_reachable(py):
        print(
            "no data: not cached, no mirror, no internet -> building the documentation without "
            "executing the tutorials (set CITYRESEARCH_DATA_MIRROR or run "
            "`.venv/bin/cityresearch data fetch` for the full build)",
            flush=True,
        )
        env["CITYRESEARCH_DOCS_EXECUTE"] = "off"
    out = ROOT / "docs" / "_build" / "html"
    code = subprocess.run(
        [
            str(py),
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "--keep-going",
            str(ROOT / "docs"),
            str(out),
            *rest,
        ],
        cwd=ROOT,
        env=env,
    ).returncode
    if code == 0:
        print(f"documentation: {out / 'index.html'}")
    return code


def lock() -> int:
    """Write constraints.txt from a fresh --latest environment (then review the diff)."""
    venv = ensure_env(latest=True)
    out = subprocess.run(
        # --all: setuptools is a declared dependency (the test extra); pip is not pinned
        [str(_python(venv)), "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = sorted(
        (
            ln
            for ln in out.splitlines()
            if "==" in ln and not ln.startswith(("cityresearch", "pip=="))
        ),
        key=str.lower,
    )
    header = (
        "# Exact versions installed by `python3 tasks.py` (Python 3.11+).\n"
        "# Regenerate with `python3 tasks.py lock`; tests/test_package.py checks that this file,\n"
        "# pyproject.toml and environment.yml agree.\n"
    )
    LOCK.write_text(header + "\n".join(lines) + "\n")
    print(f"wrote {LOCK.name} ({len(lines)} packages)")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in JOBS:
        print(__doc__)
        return 2
    job, rest = argv[0], argv[1:]
    if job == "lock":
        return lock()
    latest = "--latest" in rest
    rest = [a for a in rest if a != "--latest"]
    venv = ensure_env(latest)
    if job == "setup":
        return 0
    if job == "report":
        return run([str(_bin(venv) / "cityresearch"), "report", *rest])
    if job == "docs":
        return docs(venv, rest)
    if job == "lab":
        return run(
            [str(_bin(venv) / "jupyter"), "lab", "--notebook-dir", str(ROOT / "notebooks"), *rest]
        )
    return test(venv, rest)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit("interrupted")
