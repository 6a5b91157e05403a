"""Build the browsable report: every notebook executed on the current data.

:func:`build_report` executes each notebook of a folder in order (nbclient,
with a progress bar), converts it to HTML and writes under ``reports/``:

- ``index.html``: each notebook's title, one-line summary and a thumbnail of
  its first figure, linking to its HTML;
- ``data.html``: every dataset with source, licence, citation, SHA-256 and the
  date it was retrieved into the cache;
- the run's date and environment (Python and key package versions).

The report is built in a staging folder and moved into place only when every
notebook ran without error, so a failed build never leaves a report that looks
complete: :class:`ReportBuildError` names the notebook, the cell and the error,
and the previous report stays as it was. The swap itself is undone if it fails
half-way (the old files are moved aside first and moved back on error); a
staging folder left by a killed build is removed by the next build. The output
folder must be empty, new, or a report folder written by this function (it
holds a ``.cityresearch-report`` manifest of what was written): a folder with
any other file is refused, so ``--out notebooks`` can never overwrite sources.

The HTML pages load nothing from the network: nbconvert's ``lab`` template is
used without require.js, MathJax, mermaid and the widget manager (which it
would otherwise fetch from a CDN), so the report works offline. LaTeX in
Markdown cells is therefore shown as typed.

:func:`run_notebook` executes one notebook with papermill parameters into
``reports/runs/`` without touching the committed notebook.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html
import json
import logging
import os
import platform
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cityresearch._errors import CityResearchError, ValidationError

__all__ = [
    "ReportBuildError",
    "build_report",
    "run_notebook",
    "notebook_summary",
    "parameter_defaults",
    "environment",
    "default_kernel",
]

KEY_PACKAGES = [
    "cityresearch",
    "numpy",
    "pandas",
    "geopandas",
    "shapely",
    "statsmodels",
    "libpysal",
    "esda",
    "mapclassify",
    "matplotlib",
    "pooch",
    "nbclient",
    "papermill",
]


class ReportBuildError(CityResearchError, RuntimeError):
    """A notebook failed while building the report (names notebook, cell and error)."""


#: Arguments given to every kernel: its log goes to the terminal only for errors
#: (a local kernel's "running over TCP without encryption" warning is noise to a user).
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
MANIFEST = ".cityresearch-report"
_STAGE_PREFIX = ".build-"


class _KnownParameters(logging.Filter):
    """Drop papermill's "Passed unknown parameter" for parameters checked by us."""

    def __init__(self, known):
        super().__init__()
        self.known = set(known)

    def filter(self, record):
        msg = record.getMessage()
        return not (
            msg.startswith("Passed unknown parameter: ") and msg.split(": ", 1)[1] in self.known
        )


def environment() -> dict:
    """Return the Python and key package versions, platform and date of this run.

    Returns
    -------
    dict
        ``date`` (UTC, "YYYY-MM-DD HH:MM UTC"), ``python`` (version),
        ``platform`` and ``packages`` (name -> version, or "not installed",
        for each name in ``KEY_PACKAGES``).

    Examples
    --------
    >>> from cityresearch import report
    >>> env = report.environment()
    >>> sorted(env), env["date"].endswith("UTC")
    (['date', 'packages', 'platform', 'python'], True)
    """
    from importlib import metadata

    versions = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
    }


_LEAD = re.compile(r"^\s*(\*\*|__)[^*_]{1,40}?[.:]?(\*\*|__)\s*[.:]?\s*")


def _plain(markdown: str) -> str:
    """Markdown inline text as plain text: no emphasis marks, backticks or link syntax."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_]([^*_]+)[*_](?![\w*])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def notebook_summary(nb: Any) -> dict:
    """Title, one-line summary and first figure of a notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook read with ``nbformat.read`` (executed or not).

    Returns
    -------
    dict
        ``title`` (the first level-1 heading, plain text), ``summary`` (the
        first sentence of the first paragraph after it, without a bold lead-in
        such as "**Question.**" and without Markdown marks) and ``figure``
        (bytes and mime type of the first image output, or None).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> text = "# A `study`\\n\\n**Question.** Do *cities* grow? More."
    >>> nb.cells = [nbformat.v4.new_markdown_cell(text)]
    >>> notebook_summary(nb)["summary"]
    'Do cities grow?'
    """
    title, summary, figure = None, "", None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and title is None:
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                title = _plain(m.group(1))
                paras = [p for p in cell.source[m.end() :].strip().split("\n\n") if p.strip()]
                para = _LEAD.sub("", paras[0]) if paras else ""
                para = _plain(para)
                summary = re.split(r"(?<=[.?!])\s", para, maxsplit=1)[0]
        if cell.cell_type == "code" and figure is None:
            for out in cell.get("outputs", []):
                for mime in ("image/png", "image/jpeg"):
                    if mime in out.get("data", {}):
                        figure = (base64.b64decode(out["data"][mime]), mime)
                        break
                if figure:
                    break
    return {"title": title or "(untitled)", "summary": summary, "figure": figure}


def default_kernel() -> str:
    """Return the Jupyter kernel to execute notebooks with.

    ``cityresearch`` (installed into the project's environment by
    ``tasks.py``) when present, else ``python3``. A user-level ``python3``
    kernel may point at another Python without cityresearch; the project
    kernel cannot.

    Returns
    -------
    str
        ``"cityresearch"`` or ``"python3"``.

    Raises
    ------
    ImportError
        ``jupyter_client`` is not installed (install the ``[report]`` extra).

    Examples
    --------
    >>> from cityresearch import report
    >>> report.default_kernel() in ("cityresearch", "python3")  # doctest: +SKIP
    True
    """
    from jupyter_client.kernelspec import KernelSpecManager

    return (
        "cityresearch" if "cityresearch" in KernelSpecManager().find_kernel_specs() else "python3"
    )


def _execute(path: Path, *, timeout: int, kernel_name: str | None):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name or default_kernel(),
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=KERNEL_ARGS,
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        index = next(
            (
                i
                for i, c in enumerate(nb.cells)
                if c.cell_type == "code"
                and any(o.get("output_type") == "error" for o in c.get("outputs", []))
            ),
            None,
        )
        err: dict = next(
            (o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"),
            {},
        )
        raise ReportBuildError(
            f"notebook {path.name} failed in cell {index} "
            f"({err.get('ename', 'error')}: {err.get('evalue', str(exc)[:200])}); "
            "no report was written, the previous one is unchanged. Fix the notebook or the "
            f"data and rebuild (run it in JupyterLab to see the traceback)."
        ) from None
    return nb


_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
"""


def _page_title_and_lang(nb) -> tuple[str, str]:
    """The page title (the first level-1 heading a reader sees, in the rendered
    output or the Markdown) and its language (the ``LANG`` parameter, else en)."""
    title, lang = "", "en"
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"^LANG\s*=", cell.source, re.M):
            m = re.search(r"^LANG\s*=\s*[\"'](\w+)[\"']", cell.source, re.M)
            lang = m.group(1) if m else lang  # the injected parameters come last and win
    rendered = [
        o.get("data", {}).get("text/markdown", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
    ]
    written = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    for text in rendered + written:  # a heading rendered from the run (a region's name) first
        m = re.search(r"^#\s+(.+)$", text, re.M)
        if m:
            title = m.group(1).strip()
            break
    return title or "cityresearch", lang


def _html(nb) -> str:
    """A notebook as a self-contained HTML page that requests nothing from the network,
    titled by its first heading and marked with its language."""
    import jinja2
    from nbconvert import HTMLExporter

    title, lang = _page_title_and_lang(nb)
    exporter = HTMLExporter(
        template_name="lab",
        template_file="cityresearch_offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"cityresearch_offline.html.j2": _OFFLINE_TEMPLATE})],
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return re.sub(r"<html[^>]*>", f'<html lang="{lang}">', body, count=1)


_STYLE = """<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;
padding:0 1em;color:#222}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;
padding:4px 8px;text-align:left;vertical-align:top;font-size:14px;
overflow-wrap:anywhere}
.nb{display:flex;gap:1em;margin:1.2em 0}.nb img{width:260px;border:1px solid #ddd}
code{font-size:12px;word-break:break-all}table{table-layout:fixed;width:100%}</style>"""


def _page(title: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
        f"</title>{_STYLE}</head><body>{body}</body></html>"
    )


def _data_page(env: dict) -> str:
    """The data page: registered files verified on this run, registered files
    listed for provenance only, and the curated tables with their sources."""
    from cityresearch._fetch import cached_path, is_verified, registry
    from cityresearch.data._docs import (  # one row per dataset / curated table, from the specs
        curated_tables_html,
        data_page_html,
    )

    verified, provenance = [], []
    for r in registry().values():
        p = cached_path(r)
        ok = p.is_file() and is_verified(r)
        cells = (
            f"<td>{html.escape(r.kind)}</td><td><a href='{html.escape(r.url)}'>"
            f"{html.escape(r.repo)}/{html.escape(r.path)}</a></td><td>{html.escape(r.license)}</td>"
            f"<td>{html.escape(r.citation)}</td><td><code>{r.sha256}</code></td>"
        )
        if ok:
            got = _dt.datetime.fromtimestamp(p.stat().st_mtime, _dt.UTC).strftime("%Y-%m-%d")
            verified.append(f"<tr>{cells}<td>{got}</td></tr>")
        else:
            provenance.append(
                f"<tr>{cells}<td>{'cached, hash differs' if p.is_file() else 'not on this machine'}"
                "</td></tr>"
            )
    head = (
        "<tr><th>kind</th><th>file</th><th>licence</th><th>citation</th><th>SHA-256</th>"
        "<th>{}</th></tr>"
    )
    body = (
        "<h1>Data used in this report</h1>"
        + _api_tables_html()
        + f"<h2>Verified on this run ({len(verified)} files)</h2><p>Downloaded from a "
        "pinned commit (or copied from a mirror) and checked against the pinned SHA-256 "
        "when this report was built.</p>"
        f"<table>{head.format('retrieved')}{''.join(verified)}</table>"
        f"<h2>Registered for provenance only ({len(provenance)} files)</h2>"
        "<p>Part of the toolkit's "
        "registry but not verified on this run, so no notebook of this report read them "
        "(licence texts, fixtures and reference data that other functions use).</p>"
        f"<table>{head.format('state')}{''.join(provenance)}</table>"
        "<h2>Curated tables (shipped in the package, hash-listed)</h2>"
        + curated_tables_html()
        + data_page_html(status=False, links=False)
        + f"<p><a href='index.html'>back</a> · built {env['date']}</p>"
    )
    return _page("Data", body)


def _api_tables_html() -> str:
    """BPS WebAPI tables stored in this machine's cache (request without the key,
    retrieval time, SHA-256), listed like files; a note when there are none."""
    from cityresearch import bps

    tables = bps.provenance(model="data")
    if tables.empty:
        return (
            "<h2>BPS WebAPI tables (0)</h2><p>No BPS WebAPI table is stored in this "
            "machine's cache: no notebook of this report fetched one live (notebook 06 "
            "replays recorded answers when no <code>BPS_API_KEY</code> is set).</p>"
        )
    rows = "".join(
        f"<tr><td><code>{html.escape(str(r.request))}</code></td><td>{html.escape(str(r.retrieved_at))}"
        f"</td><td><code>{html.escape(str(r.sha256))}</code></td></tr>"
        for r in tables.itertuples()
    )
    return (
        f"<h2>BPS WebAPI tables ({len(tables)})</h2><p>Answers of the BPS WebAPI stored with "
        "their provenance (the request without the key; BPS terms of use: reuse with "
        "attribution).</p><table><tr><th>request</th><th>retrieved (UTC)</th><th>SHA-256</th>"
        f"</tr>{rows}</table>"
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(out: Path) -> None:
    """Remove staging/backup folders left by builds whose process is gone."""
    for d in out.glob(".build-*"):
        m = re.match(r"\.build-(\d+)-", d.name)
        if d.is_dir() and (not m or not _pid_alive(int(m.group(1)))):
            shutil.rmtree(d, ignore_errors=True)


def _manifest(out: Path) -> list[str]:
    f = out / MANIFEST
    if not f.is_file():
        return []
    try:
        return list(json.loads(f.read_text()))
    except (json.JSONDecodeError, TypeError):
        return []


def _write_manifest(out: Path, names) -> None:
    tmp = out / f"{MANIFEST}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(sorted(set(names)), indent=0))
    os.replace(tmp, out / MANIFEST)


def _check_out(out: Path, src: Path | None = None) -> None:
    """Refuse an output folder holding files this module did not write."""
    if out.exists() and not out.is_dir():
        raise ValidationError(f"--out {out} is a file; give a folder for the report")
    if src is not None and out.exists() and out.resolve() == src.resolve():
        raise ValidationError(
            f"--out {out} is the notebooks folder; the report must go elsewhere (default: reports)"
        )
    if not out.exists():
        return
    known = set(_manifest(out)) | {MANIFEST}
    foreign = sorted(
        e.name for e in out.iterdir() if e.name not in known and not e.name.startswith(".build-")
    )
    if foreign:
        raise ValidationError(
            f"--out {out} holds files the report builder did not write ({', '.join(foreign[:5])}"
            f"{', ...' if len(foreign) > 5 else ''}); nothing was changed. Give an empty or "
            "new folder, or the folder of an earlier report."
        )


def _swap_in(stage: Path, out: Path) -> None:
    """Replace the report in ``out`` by the staged one; undo on any error."""
    old = [n for n in _manifest(out) if n not in ("runs", "profiles")]
    new = [p.name for p in stage.iterdir()]
    backup = out / f".build-{os.getpid()}-old-{os.urandom(4).hex()}"
    backup.mkdir()
    moved, placed = [], []
    try:
        for name in sorted(set(old) | set(new)):
            if (out / name).exists() or (out / name).is_symlink():
                os.replace(out / name, backup / name)
                moved.append(name)
        for name in new:
            os.replace(stage / name, out / name)
            placed.append(name)
        keep = [n for n in _manifest(out) if n in ("runs", "profiles")]
        _write_manifest(out, [*new, *keep])
    except BaseException:
        for name in placed:
            target = out / name
            shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
        for name in moved:
            os.replace(backup / name, out / name)
        shutil.rmtree(backup, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def build_report(
    notebooks: str | Path = "notebooks",
    out: str | Path = "reports",
    *,
    timeout: int = 900,
    kernel_name: str | None = None,
    progressbar: bool = True,
) -> Path:
    """Execute every ``*.ipynb`` in ``notebooks`` (sorted by name) and write the
    HTML report to ``out``.

    Parameters
    ----------
    notebooks : str or Path
        Folder of the notebooks.
    out : str or Path
        Output folder: new, empty, or an earlier report of this function.
    timeout : int
        Seconds per cell.
    kernel_name : str, optional
        Jupyter kernel (default :func:`default_kernel`).
    progressbar : bool
        Show a progress bar.

    Returns
    -------
    Path
        The path of ``index.html``.

    Raises
    ------
    ReportBuildError
        A notebook failed; the previous report is unchanged.
    ValidationError
        No notebooks found, or ``out`` holds files the builder did not write.

    Examples
    --------
    >>> from cityresearch import report
    >>> index = report.build_report("notebooks", "reports")  # doctest: +SKIP
    >>> index.name  # doctest: +SKIP
    'index.html'
    """
    import nbformat

    src = Path(notebooks)
    paths = sorted(src.glob("*.ipynb"))
    if not paths:
        raise ValidationError(f"no notebooks (*.ipynb) in {src}")
    out = Path(out)
    _check_out(out, src)
    out.mkdir(parents=True, exist_ok=True)
    _clean_stale(out)
    stage = Path(tempfile.mkdtemp(prefix=f".build-{os.getpid()}-", dir=out))
    try:
        (stage / "thumbs").mkdir()
        env = environment()
        items = []
        iterator = paths
        if progressbar:
            from tqdm.auto import tqdm

            iterator = tqdm(paths, desc="report", unit="notebook")
        for path in iterator:
            nb = _execute(path, timeout=timeout, kernel_name=kernel_name)
            (stage / f"{path.stem}.html").write_text(_html(nb), encoding="utf-8")
            nbformat.write(nb, stage / f"{path.stem}.ipynb")
            info = notebook_summary(nb)
            thumb = ""
            href = quote(f"{path.stem}.html")
            if info["figure"]:
                ext = "png" if info["figure"][1] == "image/png" else "jpg"
                (stage / "thumbs" / f"{path.stem}.{ext}").write_bytes(info["figure"][0])
                thumb = (
                    f"<img src='{html.escape(quote(f'thumbs/{path.stem}.{ext}'))}' "
                    f"alt='first figure of {html.escape(info['title'])}'>"
                )
            items.append(
                f"<div class='nb'>{thumb}<div><h3><a href='{html.escape(href)}'>"
                f"{html.escape(info['title'])}</a></h3><p>{html.escape(info['summary'])}"
                f"</p><p><small>{html.escape(path.name)}</small></p></div></div>"
            )
        pkgs = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
            for k, v in env["packages"].items()
        )
        index = _page(
            "cityresearch report",
            (
                "<h1>cityresearch report</h1>"
                f"<p>Built {env['date']} with Python {env['python']} on "
                f"{html.escape(env['platform'])}."
                " <a href='data.html'>Data, licences and hashes</a>.</p>"
                + "".join(items)
                + f"<h2>Environment</h2><table>{pkgs}</table>"
            ),
        )
        (stage / "index.html").write_text(index, encoding="utf-8")
        (stage / "data.html").write_text(_data_page(env), encoding="utf-8")
        (stage / "environment.json").write_text(json.dumps(env, indent=1))
        # all notebooks ran: replace the previous report (undone if the swap fails)
        _swap_in(stage, out)
        return out / "index.html"
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _parse_value(text: str):
    """A command-line value read as int, float, bool, JSON list/dict or text."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    if text in ("True", "False"):
        return text == "True"
    if text[:1] in "[{":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    return text


def parameter_defaults(source: str) -> dict:
    """Names and default values of a notebook's ``parameters`` cell.

    Parameters
    ----------
    source : str
        The cell's code.

    Returns
    -------
    dict
        Name -> default value (None where the default is not a literal).

    Raises
    ------
    SyntaxError
        The cell is not valid Python.

    Examples
    --------
    >>> parameter_defaults("REGION = '3505'  # code\\nSTART, END = 2000, 2019\\nX = f(1)")
    {'REGION': '3505', 'START': 2000, 'END': 2019, 'X': None}
    """
    import ast

    out = {}
    for node in ast.parse(source).body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            names = (
                [target]
                if isinstance(target, ast.Name)
                else list(target.elts)
                if isinstance(target, ast.Tuple)
                else []
            )
            try:
                if node.value is None:  # a bare annotation, "x: int"
                    raise ValueError("no value")
                value = ast.literal_eval(node.value)
            except (ValueError, SyntaxError, TypeError):
                value = None
            values = (
                list(value)
                if len(names) > 1 and isinstance(value, tuple) and len(value) == len(names)
                else [value] * len(names)
            )
            for n, v in zip(names, values, strict=True):
                if isinstance(n, ast.Name):
                    out[n.id] = v if len(names) == 1 or len(values) == len(names) else None
    return out


def _typed(name: str, text: str, default):
    """A command-line value of parameter ``name`` read as the type of its default."""
    if isinstance(default, bool):
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise ValidationError(f"parameter {name} is True/False, not {text!r}")
    if isinstance(default, str):
        return text
    if isinstance(default, (int, float)):
        cast = type(default)
        try:
            return cast(text.replace("_", ""))
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                raise ValidationError(f"parameter {name} is a number, not {text!r}") from None
            if cast is int and value.is_integer():
                return int(value)
            if cast is int:
                raise ValidationError(f"parameter {name} is a whole number, not {text!r}") from None
            return value
    if isinstance(default, (list, tuple, dict)):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValidationError(
                f"parameter {name} is a list; give it as JSON, e.g. [1, 2]"
            ) from None
    return _parse_value(text)


def _run_stem(path: Path, params: dict) -> str:
    """A file name for a run: readable parameters, plus a hash of all of them
    whenever the readable part had to be shortened or changed."""
    raw = "-".join(f"{k}={v}" for k, v in sorted(params.items()))
    tag = re.sub(r"[^A-Za-z0-9=._-]+", "_", raw)
    if len(tag) > 60 or tag != raw:
        digest = hashlib.sha256(
            json.dumps(params, sort_keys=True, default=str).encode()
        ).hexdigest()
        tag = f"{tag[:60]}-{digest[:10]}"
    return f"{path.stem}{'-' + tag if tag else ''}"


def run_notebook(
    notebook: str | Path,
    parameters: dict | None = None,
    *,
    out: str | Path = "reports",
    kernel_name: str | None = None,
    subdir: str = "runs",
    stem: str | None = None,
) -> Path:
    """Execute one notebook with papermill parameters into ``out/<subdir>/``.

    Parameters
    ----------
    notebook : str or Path
        The notebook; it is not modified.
    parameters : dict, optional
        Values for names of its ``parameters`` cell. Strings (from the command
        line) are read as the type of the parameter's default: ``REGION="35.10"``
        stays the text "35.10" when the default is text, ``START="2010"``
        becomes 2010 when the default is a number.
    out : str or Path
        Output folder (default ``reports``).
    kernel_name : str, optional
        Jupyter kernel (default :func:`default_kernel`).
    subdir : str
        Sub-folder (default ``runs``).
    stem : str, optional
        File name without extension; by default the notebook's name and the
        parameters (with a hash of all parameters when they are long or hold
        characters unfit for a file name), so distinct runs get distinct names.

    Returns
    -------
    Path
        The HTML of the executed copy (the ``.ipynb`` lies beside it). An
        interrupted or failed run leaves no half-written output under that
        name (a failed run is kept as ``<stem>-FAILED.ipynb``).

    Raises
    ------
    ValidationError
        Missing notebook, no parameters cell, unknown parameter or a value of
        the wrong type.
    ReportBuildError
        A cell failed.

    Examples
    --------
    >>> from cityresearch import report
    >>> html = report.run_notebook(  # doctest: +SKIP
    ...     "notebooks/05_region_profile.ipynb", {"REGION": "3505"}
    ... )
    >>> html.suffix  # doctest: +SKIP
    '.html'
    """
    import nbformat
    import papermill as pm

    path = Path(notebook)
    if not path.is_file():
        raise ValidationError(f"notebook {path} does not exist")
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    parameters = dict(parameters or {})
    if parameters and not tagged:
        raise ValidationError(f"{path.name} has no cell tagged 'parameters'")
    defaults = parameter_defaults(tagged[0].source) if tagged else {}
    unknown = sorted(set(parameters) - set(defaults))
    if unknown:
        raise ValidationError(f"unknown parameters {unknown}; {path.name} takes {sorted(defaults)}")
    params = {
        k: _typed(k, v, defaults.get(k)) if isinstance(v, str) else v for k, v in parameters.items()
    }
    runs = Path(out) / subdir
    runs.mkdir(parents=True, exist_ok=True)
    if not _manifest(Path(out)) and not [e for e in Path(out).iterdir() if e.name != subdir]:
        _write_manifest(Path(out), [subdir])
    elif _manifest(Path(out)) and subdir not in _manifest(Path(out)):
        _write_manifest(Path(out), [*_manifest(Path(out)), subdir])
    stem = stem or _run_stem(path, params)
    target = runs / f"{stem}.ipynb"
    tmp = runs / f".{stem}.partial-{os.getpid()}.ipynb"
    log = logging.getLogger("papermill")
    quiet = _KnownParameters(defaults)
    log.addFilter(quiet)
    try:
        pm.execute_notebook(
            str(path),
            str(tmp),
            parameters=params,
            kernel_name=kernel_name or default_kernel(),
            progress_bar=False,
            cwd=str(path.parent),
            extra_arguments=KERNEL_ARGS,
        )
        html_tmp = runs / f".{stem}.partial-{os.getpid()}.html"
        html_tmp.write_text(_html(nbformat.read(tmp, as_version=4)), encoding="utf-8")
        os.replace(tmp, target)
        os.replace(html_tmp, runs / f"{stem}.html")
    except pm.PapermillExecutionError as exc:
        failed = runs / f"{stem}-FAILED.ipynb"
        os.replace(tmp, failed)
        raise ReportBuildError(
            f"notebook {path.name} failed in cell {exc.exec_count} ({exc.ename}: {exc.evalue}) "
            f"with parameters {params}; the failed run is in {failed}"
        ) from None
    finally:
        log.removeFilter(quiet)
        for leftover in runs.glob(f".{stem}.partial-{os.getpid()}.*"):
            leftover.unlink(missing_ok=True)
    return runs / f"{stem}.html"
