"""The report builder, parameterised runs and nbval's guard on published numbers."""

import subprocess
import sys

import nbformat
import pytest

from cityresearch import report
from cityresearch._errors import ValidationError

pytestmark = pytest.mark.data  # every test here reads the data files


def _nb(path, cells):
    nb = nbformat.v4.new_notebook()
    for kind, src, *tags in cells:
        c = nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        if tags:
            c.metadata["tags"] = tags
        nb.cells.append(c)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


GOOD = [
    ("md", "# Tiny study\n\nA one-line summary of it. More text follows here."),
    ("code", "X = 2", "parameters"),
    ("code", "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 2))\n"
             "ax.plot([0, 1], [0, X])\nplt.show()"),
    ("code", "print(X * 21)"),
]


@pytest.fixture
def good_dir(tmp_path):
    d = tmp_path / "nbs"
    d.mkdir()
    _nb(d / "01_good.ipynb", GOOD)
    return d


def _listing(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_build_report_index_and_data_page(good_dir, tmp_path):
    before = _listing(good_dir)
    out = tmp_path / "reports"
    index = report.build_report(good_dir, out, progressbar=False)
    text = index.read_text()
    assert "Tiny study" in text and "A one-line summary of it." in text
    assert "More text" not in text
    assert "thumbs/01_good.png" in text and (out / "thumbs" / "01_good.png").stat().st_size > 500
    assert "Python" in text and "pandas" in text
    assert "42" in (out / "01_good.html").read_text()
    data = (out / "data.html").read_text()
    assert "CC-BY-4.0" in data and "doi:10.5281/zenodo.4428102" in data
    assert "3c5a7960f4d227a38489094d84252bdbb3f978a5" in data  # pinned commit in the URLs
    assert _listing(good_dir) == before  # nothing written beside the notebooks
    assert not list(out.glob(".build-*"))


def test_failed_notebook_stops_the_build_and_leaves_no_partial_report(good_dir, tmp_path):
    out = tmp_path / "reports"
    report.build_report(good_dir, out, progressbar=False)
    old_index = (out / "index.html").read_text()
    _nb(good_dir / "02_bad.ipynb", [("md", "# Bad"), ("code", "x = 1"),
                                    ("code", "raise ValueError('boom')")])
    with pytest.raises(report.ReportBuildError,
                       match=r"02_bad.ipynb failed in cell 2 \(ValueError: boom\)"):
        report.build_report(good_dir, out, progressbar=False)
    assert (out / "index.html").read_text() == old_index  # previous report untouched
    assert not (out / "02_bad.html").exists() and not list(out.glob(".build-*"))
    fresh = tmp_path / "fresh"
    with pytest.raises(report.ReportBuildError):
        report.build_report(good_dir, fresh, progressbar=False)
    assert not (fresh / "index.html").exists()


def test_run_notebook_with_parameters(good_dir, tmp_path):
    nb_path = good_dir / "01_good.ipynb"
    original = nb_path.read_bytes()
    out = tmp_path / "reports"
    html_path = report.run_notebook(nb_path, {"X": "5"}, out=out)
    assert html_path.parent == out / "runs" and html_path.name == "01_good-X=5.html"
    executed = nbformat.read(out / "runs" / "01_good-X=5.ipynb", as_version=4)
    printed = [o["text"] for c in executed.cells for o in c.get("outputs", [])
               if o.get("output_type") == "stream"]
    assert printed == ["105\n"]
    assert nb_path.read_bytes() == original
    with pytest.raises(ValidationError, match=r"unknown parameters \['Y'\]"):
        report.run_notebook(nb_path, {"Y": 1}, out=out)


def test_parameter_values_are_typed():
    assert report._parse_value("2010") == 2010 and report._parse_value("0.5") == 0.5
    assert report._parse_value("True") is True and report._parse_value("[1, 2]") == [1, 2]
    assert report._parse_value("kota_all") == "kota_all"


def test_nbval_fails_when_a_published_number_changes(tmp_path):
    """A stored result that the package no longer reproduces makes nbval fail."""
    cells = [("code", "from cityresearch import growth\n"
                      "print(round(growth.primacy_index([10, 5, 2]), 3))")]
    path = tmp_path / "published.ipynb"
    _nb(path, cells)
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3").execute()
    nbformat.write(nb, path)
    ok = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-q",
                         "-p", "no:cacheprovider", str(path)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout[-500:]
    # the published number was 2.0; pretend the package's result changed to 2.5
    nb.cells[0].outputs[0]["text"] = "2.5\n"
    nbformat.write(nb, path)
    bad = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-q",
                          "-p", "no:cacheprovider", str(path)], capture_output=True, text=True)
    assert bad.returncode == 1 and "2.5" in bad.stdout
