"""The report builder, parameterised runs and nbval's guard on published numbers."""

import os
import re
import subprocess
import sys

import nbformat
import pytest

from cityresearch import cli, report
from cityresearch._errors import ValidationError

pytestmark = pytest.mark.data  # every test here reads the data files


def _nb(path, cells):
    nb = nbformat.v4.new_notebook()
    for kind, src, *tags in cells:
        c = nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        if tags:
            c.metadata["tags"] = tags
        nb.cells.append(c)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


GOOD = [
    ("md", "# Tiny study\n\n**Question.** A one-line `summary` of *it*? More text follows here."),
    ("code", "X = 2", "parameters"),
    (
        "code",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 2))\n"
        "ax.plot([0, 1], [0, X])\nplt.show()",
    ),
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
    assert "Tiny study" in text and "A one-line summary of it?" in text
    assert "More text" not in text and "Question." not in text and "`" not in text
    assert "thumbs/01_good.png" in text and (out / "thumbs" / "01_good.png").stat().st_size > 500
    assert "Python" in text and "pandas" in text
    assert "42" in (out / "01_good.html").read_text()
    data = (out / "data.html").read_text()
    assert "CC-BY-4.0" in data and "doi:10.5281/zenodo.4428102" in data
    assert "3c5a7960f4d227a38489094d84252bdbb3f978a5" in data  # pinned commit in the URLs
    # every registered file is in exactly one of the two lists
    from cityresearch._fetch import registry

    verified, provenance = data.split("Registered for provenance only")
    for r in registry().values():
        assert (r.url in verified) != (r.url in provenance), r.path
    import html as _html

    from cityresearch.data import CURATED_DIR, _spec

    shipped = sorted(p.name for p in CURATED_DIR.glob("*.csv"))
    assert shipped  # the package ships curated tables
    for table in shipped:  # every shipped table, described by its spec
        spec = _spec.curated_spec(table)
        assert f"<code>{table}</code>" in data
        assert _html.escape(spec.description) in data and _html.escape(spec.citation) in data
    assert "Tim/VDZ" in data  # the Blitar claims' source, from its spec
    assert _listing(good_dir) == before  # nothing written beside the notebooks
    assert not list(out.glob(".build-*"))


def test_failed_notebook_stops_the_build_and_leaves_no_partial_report(good_dir, tmp_path):
    out = tmp_path / "reports"
    report.build_report(good_dir, out, progressbar=False)
    old_index = (out / "index.html").read_text()
    _nb(
        good_dir / "02_bad.ipynb",
        [("md", "# Bad"), ("code", "x = 1"), ("code", "raise ValueError('boom')")],
    )
    with pytest.raises(
        report.ReportBuildError, match=r"02_bad.ipynb failed in cell 2 \(ValueError: boom\)"
    ):
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
    printed = [
        o["text"]
        for c in executed.cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    ]
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
    cells = [
        (
            "code",
            "from cityresearch import growth\nprint(round(growth.primacy_index([10, 5, 2]), 3))",
        )
    ]
    path = tmp_path / "published.ipynb"
    _nb(path, cells)
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3").execute()
    nbformat.write(nb, path)
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "-q",
            "-p",
            "no:cacheprovider",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout[-500:]
    # the published number was 2.0; pretend the package's result changed to 2.5
    nb.cells[0].outputs[0]["text"] = "2.5\n"
    nbformat.write(nb, path)
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "-q",
            "-p",
            "no:cacheprovider",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "2.5" in bad.stdout


def test_report_pages_load_nothing_from_the_network(good_dir, tmp_path):
    out = tmp_path / "reports"
    report.build_report(good_dir, out, progressbar=False)
    page = (out / "01_good.html").read_text()
    assert not re.findall(r"<(?:script|link|img)[^>]+(?:src|href)=[\"']?(?:https?:)?//", page)
    assert "cdnjs" not in page and "mathjax" not in page.lower() and "mermaid.esm" not in page


def test_out_folder_with_foreign_files_is_refused(good_dir, tmp_path):
    with pytest.raises(ValidationError, match="is the notebooks folder"):
        report.build_report(good_dir, good_dir, progressbar=False)
    mine = tmp_path / "mine"
    (mine / "thumbs").mkdir(parents=True)
    (mine / "thumbs" / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(ValidationError, match=r"did not write \(thumbs\)"):
        report.build_report(good_dir, mine, progressbar=False)
    assert (mine / "thumbs" / "holiday.jpg").read_bytes() == b"x"
    out = tmp_path / "reports"
    report.build_report(good_dir, out, progressbar=False)
    report.build_report(good_dir, out, progressbar=False)  # its own earlier report: fine
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ValidationError, match="notes.txt"):
        report.build_report(good_dir, out, progressbar=False)


def test_failed_swap_restores_the_previous_report(good_dir, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    report.build_report(good_dir, out, progressbar=False)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real = os.replace
    calls = {"n": 0}

    def flaky(a, b):
        calls["n"] += 1
        if calls["n"] == 8:  # in the middle of moving the new files in
            raise OSError("disk full")
        return real(a, b)

    monkeypatch.setattr(report.os, "replace", flaky)
    with pytest.raises(OSError, match="disk full"):
        report.build_report(good_dir, out, progressbar=False)
    monkeypatch.setattr(report.os, "replace", real)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(out.glob(".build-*"))


def test_stale_staging_of_a_killed_build_is_removed(good_dir, tmp_path):
    out = tmp_path / "reports"
    report.build_report(good_dir, out, progressbar=False)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    stale = out / f".build-{dead}-abc123"
    (stale / "thumbs").mkdir(parents=True)
    report.build_report(good_dir, out, progressbar=False)
    assert not stale.exists()


def test_parameters_take_the_type_of_their_default(tmp_path):
    src = "REGION = '3505'   # a code\nSTART, END = 2000, 2019\nSHARE = 0.5\nFLAG = True\nL = [1]"
    d = report.parameter_defaults(src)
    assert d == {"REGION": "3505", "START": 2000, "END": 2019, "SHARE": 0.5, "FLAG": True, "L": [1]}
    assert report._typed("REGION", "35.10", d["REGION"]) == "35.10"
    assert report._typed("START", "2010", d["START"]) == 2010
    assert report._typed("START", "50_000", d["START"]) == 50000
    assert report._typed("SHARE", "1", d["SHARE"]) == 1.0
    assert report._typed("FLAG", "false", d["FLAG"]) is False
    assert report._typed("L", "[2, 3]", d["L"]) == [2, 3]
    with pytest.raises(ValidationError, match="START is a number, not 'abc'"):
        report._typed("START", "abc", 2000)


def test_run_keeps_a_code_as_text_and_names_distinct_runs_distinctly(tmp_path, capfd):
    d = tmp_path / "nbs"
    d.mkdir()
    _nb(
        d / "p.ipynb",
        [
            ("code", "REGION = '3505'\nNAME = 'x'", "parameters"),
            ("code", "print(repr(REGION), len(NAME))"),
        ],
    )
    out = tmp_path / "reports"
    assert cli.main(["run", str(d / "p.ipynb"), "-p", "REGION", "35.10", "--out", str(out)]) == 0
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err and "unknown parameter" not in captured.err
    ran = nbformat.read(out / "runs" / "p-REGION=35.10.ipynb", as_version=4)
    assert ran.cells[-1].outputs[0]["text"] == "'35.10' 1\n"
    long_a, long_b = "a" * 90 + "1", "a" * 90 + "2"
    pa = report.run_notebook(d / "p.ipynb", {"NAME": long_a}, out=out)
    pb = report.run_notebook(d / "p.ipynb", {"NAME": long_b}, out=out)
    assert pa != pb and pa.exists() and pb.exists()
    assert not list((out / "runs").glob(".*partial*"))


def test_notebook_names_are_escaped_in_the_index(tmp_path):
    d = tmp_path / "nbs"
    d.mkdir()
    _nb(d / "01_a'b<c>.ipynb", GOOD)
    index = report.build_report(d, tmp_path / "reports", progressbar=False).read_text()
    assert "01_a&#x27;b&lt;c&gt;.ipynb" in index and "<c>" not in index
    assert "href='01_a%27b%3Cc%3E.html'" in index


@pytest.mark.data
def test_cli_check_prints_epsg(capsys):
    pytest.importorskip("geopandas")
    assert cli.main(["check"]) == 0
    assert "CRS EPSG:4326" in capsys.readouterr().out


def test_cli_data_status_names_files_with_their_source(capsys):
    assert cli.main(["data", "status"]) == 0
    text = capsys.readouterr().out
    assert "cahyadsn/wilayah_boundaries" in text
    for line in text.splitlines():
        assert not re.match(r"^\s+(README\.md|LICENSE)\b", line)


def test_pages_are_titled_by_their_heading_and_marked_with_their_language():
    """A profile page run with LANG="id" is <html lang="id"> titled by the region's name."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from cityresearch import report

    nb = new_notebook(
        cells=[
            new_markdown_cell("# Region profile / Profil daerah\n\nthe notebook's own heading"),
            new_code_cell('REGION = "3505"\nLANG = "en"'),
            new_code_cell(
                '# Parameters\nREGION = "9412"\nLANG = "id"\n'
            ),  # papermill's injected cell
            new_code_cell(
                "display(Markdown(...))",
                outputs=[
                    new_output(
                        "display_data",
                        data={"text/markdown": "# Kabupaten Mimika\n\nSatu kabupaten/kota"},
                    )
                ],
            ),
        ]
    )
    assert report._page_title_and_lang(nb) == ("Kabupaten Mimika", "id")
    page = report._html(nbformat.from_dict(nb))
    assert '<html lang="id">' in page and "<title>Kabupaten Mimika</title>" in page
