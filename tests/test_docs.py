"""The documentation: generated pages cover the package, the methods page is truthful,
and the site builds offline with warnings as errors (tutorials executed)."""

from __future__ import annotations

import csv
import importlib
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import cr_generate  # noqa: E402


def test_api_reference_lists_every_public_module_and_name(tmp_path):
    pages = {p.stem: p.read_text() for p in cr_generate.write_api(tmp_path)}
    modules = cr_generate.public_modules()
    # found by walking the package, private modules excluded
    assert {
        "cityresearch.economy",
        "cityresearch.spatial",
        "cityresearch.clubs",
        "cityresearch.dynamics",
        "cityresearch.bps",
        "cityresearch.importers",
    } <= set(modules)
    assert not [m for m in modules if any(p.startswith("_") for p in m.split("."))]
    for m in modules:
        assert m in pages["index"] and m in pages
        for name in cr_generate.public_names(m):
            assert re.search(
                rf"^   {re.escape(name)}$|autodata:: {re.escape(m)}\.{name}$", pages[m], re.M
            ), f"{m}.{name} is missing from the API reference"


def test_a_new_module_appears_without_editing_the_docs(tmp_path, monkeypatch):
    import cityresearch

    (tmp_path / "newmod.py").write_text('"""A new module."""\n__all__ = ["f"]\n')
    (tmp_path / "_private.py").write_text("")
    monkeypatch.setattr(cityresearch, "__path__", [*cityresearch.__path__, str(tmp_path)])
    found = cr_generate.public_modules()
    assert "cityresearch.newmod" in found and "cityresearch._private" not in found


def test_dataset_pages_cover_every_source_with_licence_and_citation(tmp_path):
    written = cr_generate.write_datasets(tmp_path)
    text = {p.stem: p.read_text() for p in written}
    from cityresearch import data

    if hasattr(data, "datasets"):
        names = set(data.datasets()["name"])
    else:
        reg = resources.files("cityresearch").joinpath("_resources/registry.csv").read_text()
        names = {r["kind"] for r in csv.DictReader(reg.splitlines())}
    assert names <= set(text) - {"index"}
    for name in names:
        assert name in text["index"]
        assert "| licence |" in text[name] and "| citation |" in text[name], name
    # the DOI of the QuaRCS dataset becomes a link
    assert "https://doi.org/10.5281/zenodo.4428102" in "".join(text.values())


def test_methods_page_names_only_tests_that_exist():
    page = (DOCS / "methods.md").read_text()
    cited = set(re.findall(r"tests/(test_\w+)\.py::(test_\w+)", page))
    assert len(cited) >= 20
    missing = []
    for module, name in sorted(cited):
        source = (ROOT / "tests" / f"{module}.py").read_text()
        if not re.search(rf"^def {name}\(", source, re.M):
            missing.append(f"tests/{module}.py::{name}")
    assert not missing, f"docs/methods.md cites tests that do not exist: {missing}"


def test_tutorials_exist_in_both_languages_and_call_the_package():
    en = sorted((DOCS / "tutorials" / "en").glob("0*.md"))
    id_ = sorted((DOCS / "tutorials" / "id").glob("0*.md"))
    assert len(en) == len(id_) == 4
    for a, b in zip(en, id_, strict=True):
        calls_a = set(re.findall(r"\b(\w+\.\w+)\(", a.read_text()))
        calls_b = set(re.findall(r"\b(\w+\.\w+)\(", b.read_text()))
        package = {
            c
            for c in calls_a
            if c.split(".")[0]
            in {"data", "economy", "spatial", "maps", "regions", "growth", "policy", "service"}
        }
        assert package and package <= calls_b, f"{b.name} lacks {sorted(package - calls_b)}"
    own = (DOCS / "tutorials" / "en" / "02_grdp_inequality_own_province.md").read_text()
    for call in (
        "pd.read_csv(MY_FILE",
        "regions.match_regions",
        "economy.williamson",
        "spatial.local_moran",
        "maps.categorical_map",
    ):
        assert call in own


def _williamson_jawa_timur_2019() -> float:
    """The tutorial's number, computed independently of cityresearch.economy."""
    import numpy as np

    from cityresearch import data, regions

    reg = regions.region_table()
    codes = set(reg.loc[reg["province"] == "Jawa Timur", "bps_code"])
    p = data.load_district_panel()
    p = p[(p["year"] == 2019) & p["bps_code"].isin(codes)]
    y, n = p["grdp_pc_idr_k"].to_numpy(float), p["pop"].to_numpy(float)
    w = n / n.sum()
    m = (w * y).sum()
    return float(np.sqrt((w * (y - m) ** 2).sum()) / m)


@pytest.mark.slow
@pytest.mark.data
def test_documentation_builds_offline_with_warnings_as_errors(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_nb")
    out = tmp_path / "html"
    env = dict(
        os.environ,
        CITYRESEARCH_DOCS_EXECUTE="force",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "--keep-going",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-6000:]
    # every public module has its page, and every tutorial was executed
    for m in cr_generate.public_modules():
        assert (out / "api" / f"{m}.html").is_file(), m
    page = (out / "tutorials" / "en" / "02_grdp_inequality_own_province.html").read_text()
    assert "cell_output" in page and "Traceback" not in page
    expected = f"{_williamson_jawa_timur_2019():.4f}".rstrip("0")
    assert expected in page, f"the tutorial's Williamson index {expected} is not on the page"
    assert page.count("<img") >= 2  # the LISA map and the choropleth
    for lang in ("en", "id"):
        for html in (out / "tutorials" / lang).glob("0*.html"):
            assert "cell_output" in html.read_text(), f"{html.name} was not executed"
    # offline: no script, stylesheet or font is loaded from another host
    for html in out.rglob("*.html"):
        text = html.read_text(errors="replace")
        remote = re.findall(r'<script[^>]*\ssrc="https?://[^"]*"', text)
        remote += [
            tag
            for tag in re.findall(r"<link[^>]*>", text)
            if 'href="http' in tag and re.search(r'rel="(?:stylesheet|preload|icon)', tag)
        ]
        assert not remote, f"{html.relative_to(out)} loads {remote[:3]}"
    assert "<math" in (out / "methods.html").read_text()  # formulas as MathML, no MathJax


@pytest.mark.slow
def test_documentation_builds_without_data_when_tutorials_are_not_executed(tmp_path):
    """What `tasks.py docs` does on a machine without the data: every page, no execution."""
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_nb")
    out = tmp_path / "html"
    env = dict(
        os.environ,
        CITYRESEARCH_DOCS_EXECUTE="off",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "--keep-going",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOCS),
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-6000:]
    page = (out / "tutorials" / "id" / "02_pdrb_ketimpangan_provinsi_anda.html").read_text()
    assert "economy.williamson" in page and "cell_output" not in page


def test_conf_does_not_fetch_anything():
    conf = (DOCS / "conf.py").read_text()
    extensions = re.search(r"^extensions = \[(.*?)\]", conf, re.M | re.S).group(1)
    assert "intersphinx" not in extensions and "mathjax" not in extensions
    assert "mathml" in extensions  # docs/_ext/mathml.py renders formulas at build time
    mathml = importlib.import_module("mathml")
    assert "<math" in mathml._mathml(r"\sqrt{x}", block=False)
