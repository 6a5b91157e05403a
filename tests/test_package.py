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


def test_import_is_light():
    code = ("import sys, cityresearch; heavy = {'geopandas', 'statsmodels', 'matplotlib', "
            "'shapely', 'pandas'} & set(sys.modules); print(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_status_and_check(capsys):
    assert cli.main(["data", "status"]) == 0
    out = capsys.readouterr().out
    assert "boundaries" in out and "CC-BY-4.0" in out
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "514 kabupaten/kota (98 kota), 38 provinces" in out
    assert "unmatched across codes/boundaries: 0" in out


def test_cli_reports_named_errors(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path))
    monkeypatch.delenv("CITYRESEARCH_DATA_MIRROR", raising=False)
    monkeypatch.setenv("CITYRESEARCH_OFFLINE", "1")
    assert cli.main(["data", "fetch", "--quiet"]) == 2
    assert "DataUnavailableError" in capsys.readouterr().err
