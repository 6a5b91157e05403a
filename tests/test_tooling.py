"""Tooling that keeps the code honest: lint, types, docstrings, version, citation, extras.

The docstring check validates every public function and class (the names in
each public module's ``__all__``) with numpydoc's validator. A function that is
not in ``tests/docstring_allowlist.txt`` must pass every enforced check; an
allow-listed one may fail only the checks listed for it. The list only
shrinks: an entry whose check now passes must be removed (the test says which),
so documenting a function is never undone and a new function cannot be added
without its docstring. ``python tests/test_tooling.py --update`` rewrites the
list from the current tree (review the diff: it must only lose lines).

Two further checks (issue #17): every public function and class of the
analysis modules has a References section, and every public function of every
public module has a Raises section, except the names in ``NO_REFERENCES`` and
``NO_RAISES`` (each with its reason; both sets only shrink).
"""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ALLOWLIST = Path(__file__).with_name("docstring_allowlist.txt")
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

#: numpydoc checks enforced on every public function and class.
ENFORCED = {
    "GL08": "no docstring",
    "SS01": "no one-line summary",
    "PR01": "a parameter is not documented",
    "PR02": "a documented parameter does not exist",
    "PR07": "a parameter has no description",
    "RT01": "no Returns section",
    "RT03": "a return value has no description",
    "EX01": "no Examples section",
}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


# ------------------------------------------------------------------ docstrings


def public_objects() -> list[str]:
    """Import paths of every public function and class (``module.name``)."""
    from cr_generate import public_modules

    out = []
    for m in public_modules():
        mod = importlib.import_module(m)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name, None)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                out.append(f"{m}.{name}")
    return out


def docstring_failures() -> dict[str, set[str]]:
    """Enforced numpydoc checks failed by each public object (objects that pass are left out)."""
    from numpydoc.validate import validate

    out = {}
    for path in public_objects():
        codes = {code for code, _ in validate(path)["errors"]} & set(ENFORCED)
        module, _, name = path.rpartition(".")
        obj = getattr(importlib.import_module(module), name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            codes &= {"GL08", "SS01"}  # an error class needs a docstring, not Examples
        if codes:
            out[path] = codes
    return out


def read_allowlist(path: Path = ALLOWLIST) -> dict[str, set[str]]:
    allowed = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, codes = line.partition(":")
            allowed[name.strip()] = set(codes.split())
    return allowed


def compare(failures: dict[str, set[str]], allowed: dict[str, set[str]]) -> tuple[list, list]:
    """(new problems, stale allow-list entries), as readable lines."""
    new, stale = [], []
    for name, codes in sorted(failures.items()):
        extra = codes - allowed.get(name, set())
        if extra:
            new.append(f"{name}: " + "; ".join(f"{c} {ENFORCED[c]}" for c in sorted(extra)))
    for name, codes in sorted(allowed.items()):
        fixed = codes - failures.get(name, set())
        if fixed:
            stale.append(f"{name}: {' '.join(sorted(fixed))} now pass (or the name is gone)")
    return new, stale


def test_every_public_function_has_a_numpydoc_docstring():
    """New or changed public functions need Parameters, Returns and Examples sections."""
    pytest.importorskip("numpydoc")
    new, stale = compare(docstring_failures(), read_allowlist())
    assert not new, (
        "public functions whose docstrings miss numpydoc sections (write them; "
        "see CONTRIBUTING.md):\n" + "\n".join(new)
    )
    assert not stale, (
        "these docstrings were fixed: remove the codes from "
        "tests/docstring_allowlist.txt so they stay fixed:\n" + "\n".join(stale)
    )


def test_docstring_comparison_catches_new_and_fixed(tmp_path):
    allowed = {"m.f": {"EX01", "RT01"}}
    assert compare({"m.f": {"EX01"}, "m.g": {"GL08"}}, allowed) == (
        ["m.g: GL08 no docstring"],
        ["m.f: RT01 now pass (or the name is gone)"],
    )
    f = tmp_path / "allow.txt"
    f.write_text("# comment\nm.f: EX01 RT01  # why\n\n")
    assert read_allowlist(f) == allowed


def test_numpydoc_flags_a_function_without_sections():
    """The validator itself: a bare one-liner fails the enforced checks."""
    pytest.importorskip("numpydoc")
    from numpydoc.validate import validate

    codes = {c for c, _ in validate("cityresearch.settings.get_data_mirror")["errors"]}
    assert {"RT01", "EX01"} <= codes


# ------------------------------------------------------------------ References and Raises (#17)

#: Analysis modules: every public function and class of their ``__all__``
#: cites what it implements in a References section.
REFERENCE_MODULES = ("growth", "economy", "spatial", "policy", "did", "clubs", "dynamics")

#: Public names of the analysis modules that need no References section, each
#: with the reason. This set may only shrink: a name that gains a References
#: section (or disappears) must be removed, and the test says so. Adding a
#: name needs a reason a reviewer accepts (pure arithmetic, or a result
#: container whose producing function carries the references).
NO_REFERENCES = {
    # pure arithmetic: percent changes, ratios, sums and shares
    "cityresearch.growth.growth_rates": "arithmetic: percent or log-point change",
    "cityresearch.growth.cagr": "arithmetic: compound annual growth rate",
    "cityresearch.growth.index_to_base": "arithmetic: ratio to a base year",
    "cityresearch.growth.national_shares": "arithmetic: shares of a total",
    "cityresearch.economy.grdp_shares": "arithmetic: shares of a total",
    "cityresearch.economy.growth_contributions": "arithmetic: additive contributions",
    "cityresearch.economy.period_contributions": "arithmetic: additive contributions",
    "cityresearch.economy.top_k_share": "arithmetic: share of the k largest",
    "cityresearch.economy.aggregate_provinces": "arithmetic: sums and a ratio",
    # result containers: the function that produces each one cites the method
    "cityresearch.growth.RankSizeResult": "result of rank_size (cites Gabaix-Ibragimov)",
    "cityresearch.economy.TheilResult": "result of theil (cites Theil, Shorrocks)",
    "cityresearch.spatial.MoranResult": "result of moran (cites Moran, Cliff-Ord)",
    "cityresearch.spatial.RegionWeights": "result of region_weights (cites PySAL)",
    "cityresearch.policy.CorrelationResult": "result of correlation",
    "cityresearch.policy.IPWResult": "result of ipw (cites Hirano-Imbens-Ridder)",
    "cityresearch.policy.IPWBootstrapResult": "result of ipw_bootstrap",
    "cityresearch.policy.WildBootstrapResult": "result of wild_cluster_bootstrap",
    "cityresearch.did.Aggregation": "result of ATTResult.aggte (cites Callaway-Sant'Anna)",
    "cityresearch.dynamics.MarkovResult": "result of markov_chain (cites Quah, Shorrocks)",
}

#: Public functions of any public module without a Raises section, each with
#: the reason it raises no named error. This set may only shrink, like
#: NO_REFERENCES; a function that starts validating its input must document
#: the error and leave this set.
NO_RAISES = {
    "cityresearch.maps.figure_png": "renders a given matplotlib figure; no input it checks",
    "cityresearch.regions.normalise_name": "any object is converted with str(); never raises",
    "cityresearch.bps.provenance": "an unreadable record is skipped with a warning",
    "cityresearch.bps.scrub": "any object is converted with str(); never raises",
    "cityresearch.report.notebook_summary": "reads whatever cells exist; no check to fail",
    "cityresearch.report.environment": "a package that is not installed is reported as such",
    "cityresearch.data.status": "reports missing or altered files as cached/verified False",
}


def _section(obj, section: str) -> bool:
    """Whether ``obj``'s numpydoc docstring has a non-empty ``section``."""
    from numpydoc.docscrape import ClassDoc, FunctionDoc

    doc = (
        ClassDoc(obj, config={"show_class_members": False})
        if inspect.isclass(obj)
        else FunctionDoc(obj)
    )
    content = doc[section]
    if section == "References":
        return bool("".join(content).strip())
    return bool(content)


def missing_section(
    objects: dict[str, object], section: str, exempt: dict[str, str]
) -> tuple[list[str], list[str]]:
    """(objects lacking ``section`` and not exempt, exemptions no longer needed)."""
    missing = sorted(p for p, o in objects.items() if p not in exempt and not _section(o, section))
    stale = sorted(p for p in exempt if p not in objects or _section(objects[p], section))
    return missing, stale


def _public(modules=None, *, classes: bool) -> dict[str, object]:
    out = {}
    for path in public_objects():
        module, _, name = path.rpartition(".")
        if modules is not None and module.removeprefix("cityresearch.") not in modules:
            continue
        obj = getattr(importlib.import_module(module), name)
        if inspect.isclass(obj) and (not classes or issubclass(obj, BaseException)):
            continue
        out[path] = obj
    return out


def test_analysis_functions_cite_references():
    """Issue #17: every analysis function and class says what it implements."""
    pytest.importorskip("numpydoc")
    objects = _public(REFERENCE_MODULES, classes=True)
    assert len(objects) > 40, "the analysis modules' __all__ were not found"
    missing, stale = missing_section(objects, "References", NO_REFERENCES)
    assert not missing, (
        "add a References section (the paper, book or documentation of the method "
        "the code implements; the DOIs of docs/methods.md) to:\n" + "\n".join(missing)
    )
    assert not stale, (
        "these now have References (or are gone): remove them from NO_REFERENCES "
        "in tests/test_tooling.py so that they stay documented:\n" + "\n".join(stale)
    )


def test_public_functions_document_raises():
    """Issue #17: every public function names the errors it raises."""
    pytest.importorskip("numpydoc")
    objects = _public(classes=False)
    assert len(objects) > 80, "the public modules' __all__ were not found"
    missing, stale = missing_section(objects, "Raises", NO_RAISES)
    assert not missing, "add a Raises section (the cityresearch errors and when) to:\n" + "\n".join(
        missing
    )
    assert not stale, (
        "these now document Raises (or are gone): remove them from NO_RAISES "
        "in tests/test_tooling.py:\n" + "\n".join(stale)
    )


def test_section_check_catches_a_function_without_references():
    pytest.importorskip("numpydoc")

    def cited(x):
        """Double.

        Parameters
        ----------
        x : float
            A number.

        Returns
        -------
        float
            ``2 x``.

        Raises
        ------
        TypeError
            ``x`` is not a number.

        References
        ----------
        Someone, A. (2000). Doubling. *Journal* 1, 1-2.
        """

    def uncited(x):
        """Double.

        Parameters
        ----------
        x : float
            A number.

        Returns
        -------
        float
            ``2 x``.
        """

    objects = {"m.cited": cited, "m.uncited": uncited}
    assert missing_section(objects, "References", {}) == (["m.uncited"], [])
    assert missing_section(objects, "Raises", {}) == (["m.uncited"], [])
    # an exemption is accepted while needed, and reported once it is not
    assert missing_section(objects, "References", {"m.uncited": "arithmetic"}) == ([], [])
    assert missing_section(objects, "References", {"m.cited": "x", "m.gone": "y"}) == (
        ["m.uncited"],
        ["m.cited", "m.gone"],
    )
    # a real analysis function without its References is caught
    from cityresearch import growth

    assert not _section(growth.cagr, "References")
    assert _section(growth.rank_size, "References")


# ------------------------------------------------------------------ lint and types


def test_ruff_lint_passes():
    pytest.importorskip("ruff")
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_ruff_format_is_applied():
    """The tree (notebooks included) is formatted; `ruff format .` fixes a failure."""
    pytest.importorskip("ruff")
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, "run `ruff format .`:\n" + out.stdout + out.stderr


def test_ruff_format_check_catches_an_unformatted_file(tmp_path):
    pytest.importorskip("ruff")
    bad = tmp_path / "bad.py"
    bad.write_text("x = {  'a':1 }\n")
    cmd = [sys.executable, "-m", "ruff", "format", "--check", "--no-cache"]
    cmd += ["--config", str(ROOT / "pyproject.toml"), str(bad)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 1 and "would be reformatted" in out.stdout


def test_ruff_config_catches_an_unused_import(tmp_path):
    pytest.importorskip("ruff")
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--config",
            str(ROOT / "pyproject.toml"),
            str(bad),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1 and "F401" in out.stdout


@pytest.mark.slow
def test_mypy_passes():
    pytest.importorskip("mypy")
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


# ------------------------------------------------------------------ version, citation, packaging


def test_version_is_defined_once():
    import cityresearch

    sources = "\n".join(p.read_text() for p in (ROOT / "src" / "cityresearch").rglob("*.py"))
    assert not re.search(r"^__version__\s*=\s*['\"]", sources, re.M)
    from importlib.metadata import version

    assert cityresearch.__version__ == version("cityresearch")


def test_citation_cff_matches_pyproject():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    project = _project()
    assert str(cff["version"]) == project["version"]
    assert cff["repository-code"] == project["urls"]["Source"]
    lic = project["license"]
    assert cff["license"] == (lic["text"] if isinstance(lic, dict) else lic)
    names = [a.get("name") or a.get("family-names") for a in cff["authors"]]
    assert names and not any(
        re.search(r"developers|todo|placeholder|your name|example", n, re.I) for n in names
    )


def test_citation_cff_references_every_data_source():
    """Every repository of the file table (registry.csv and the specs' pinned files) is a
    reference or named in one; those not written by hand are generated by
    ``python -m cityresearch.data._docs`` (tests/test_datasets.py checks it is current)."""
    from cityresearch.data import _fetch

    repos = {r.repo for r in _fetch.registry().values()}
    cff_text = (ROOT / "CITATION.cff").read_text()
    missing = sorted(r for r in repos if r not in cff_text)
    assert not missing, f"add these data sources to CITATION.cff references: {missing}"
    refs = yaml.safe_load(cff_text)["references"]
    assert all(r.get("title") and r.get("authors") for r in refs)


def test_py_typed_is_shipped():
    assert (ROOT / "src" / "cityresearch" / "py.typed").is_file()
    pkg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "py.typed" in pkg["cityresearch"]


def test_notebook_tools_are_extras_not_core():
    project = _project()
    core = {re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0].lower() for r in project["dependencies"]}
    heavy = {"jupyterlab", "papermill", "nbconvert", "nbclient", "ipykernel", "sphinx"}
    assert not core & heavy, f"{sorted(core & heavy)} belong in an extra"
    extras = project["optional-dependencies"]
    names = {
        k: {re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0].lower() for r in v}
        for k, v in extras.items()
    }
    assert {"papermill", "nbconvert", "nbclient"} <= names["report"]
    assert "jupyterlab" in names["lab"]
    assert {"sphinx", "numpydoc", "myst-nb"} <= names["docs"]


def test_tasks_installs_every_extra():
    """The README's commands (tasks.py) install the extras their jobs need."""
    text = (ROOT / "tasks.py").read_text()
    m = re.search(r"\[(test[^\]]*)\]", text)
    assert m, "tasks.py installs no extras"
    installed = set(m.group(1).split(","))
    assert set(_project()["optional-dependencies"]) <= installed


def test_pre_commit_config_runs_the_same_tools():
    cfg = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    ids = {h["id"] for repo in cfg["repos"] for h in repo["hooks"]}
    assert {"ruff", "mypy", "docstrings-and-metadata"} <= ids


if __name__ == "__main__" and "--update" in sys.argv:
    failures = docstring_failures()
    lines = [
        "# Public functions whose docstrings do not pass every enforced numpydoc check",
        "# (tests/test_tooling.py). This list only shrinks: document a function, then",
        "# delete its codes here. Codes: " + ", ".join(f"{k} {v}" for k, v in ENFORCED.items()),
        f"# {len(failures)} entries.",
        "",
    ]
    lines += [f"{name}: {' '.join(sorted(codes))}" for name, codes in sorted(failures.items())]
    ALLOWLIST.write_text("\n".join(lines) + "\n")
    print(f"wrote {ALLOWLIST.name}: {len(failures)} entries")
