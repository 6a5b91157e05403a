import pytest

"""Packaging: light import, environment.yml in step with pyproject.toml, CLI."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from cityresearch import cli

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower()


def test_environment_yml_names_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    py = {_name(r) for r in project["dependencies"]}
    py |= {_name(r) for reqs in project["optional-dependencies"].values() for r in reqs}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda = {_name(d) for d in env if isinstance(d, str)} - {"python", "pip"}
    assert py == conda


def _lock(text: str) -> dict[str, str]:
    pins = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt line {line!r} is not an exact pin (name==version)"
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def _declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    reqs += [r for group in project["optional-dependencies"].values() for r in group]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    reqs += [
        d.replace(" ", "") for d in env if isinstance(d, str) and _name(d) not in {"python", "pip"}
    ]
    return reqs


def _disagreements(pins: dict[str, str], reqs: list[str]) -> list[str]:
    from packaging.requirements import Requirement

    out = []
    for text in reqs:
        req = Requirement(text)
        name = req.name.lower().replace("_", "-")
        if name not in pins:
            out.append(f"{name} is declared but not pinned")
        elif not req.specifier.contains(pins[name], prereleases=True):
            out.append(f"{name}=={pins[name]} is outside {text!r}")
    return out


def test_lock_pins_every_dependency_within_its_range():
    """pyproject.toml, environment.yml and constraints.txt agree: every declared
    dependency is pinned, and the pin satisfies both files' version ranges."""
    assert _disagreements(_lock((ROOT / "constraints.txt").read_text()), _declared()) == []


def test_lock_disagreement_is_caught():
    pins = _lock("numpy==1.25.2\npandas==2.2.0\n")
    assert _disagreements(pins, ["numpy>=1.26", "pandas>=2.1", "pooch>=1.8"]) == [
        "numpy==1.25.2 is outside 'numpy>=1.26'",
        "pooch is declared but not pinned",
    ]


def test_import_is_light():
    code = (
        "import sys, cityresearch; heavy = {'geopandas', 'statsmodels', 'matplotlib', "
        "'shapely', 'pandas'} & set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.data
def test_cli_status_and_check(capsys):
    assert cli.main(["data", "status"]) == 0
    out = capsys.readouterr().out
    assert "boundaries" in out and "CC-BY-4.0" in out
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "514 kabupaten/kota (98 kota), 38 provinces" in out
    assert "unmatched across codes/boundaries: 0" in out
    from cityresearch import data

    for name in data.datasets()["name"]:  # every dataset of the specs, none listed by hand
        assert f"\n  {name}: " in out, name
    assert "  district_panel: 10,280 rows, 514 bps_code, years 2000-2019\n" in out
    assert "  smart_city_cohorts: 98 rows, 98 bps_code\n" in out


def test_cli_reports_named_errors(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path))
    monkeypatch.delenv("CITYRESEARCH_DATA_MIRROR", raising=False)
    monkeypatch.setenv("CITYRESEARCH_OFFLINE", "1")
    assert cli.main(["data", "fetch", "--quiet"]) == 2
    assert "DataUnavailableError" in capsys.readouterr().err
