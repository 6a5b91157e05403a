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
and the previous report stays as it was.

:func:`run_notebook` executes one notebook with papermill parameters into
``reports/runs/`` without touching the committed notebook.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import json
import platform
import re
import shutil
import tempfile
from pathlib import Path

from cityresearch._errors import CityResearchError, ValidationError

__all__ = ["ReportBuildError", "build_report", "run_notebook", "notebook_summary",
           "environment", "default_kernel"]

KEY_PACKAGES = ["cityresearch", "numpy", "pandas", "geopandas", "shapely", "statsmodels",
                "libpysal", "esda", "mapclassify", "matplotlib", "pooch", "nbclient",
                "papermill"]


class ReportBuildError(CityResearchError, RuntimeError):
    """A notebook failed while building the report (names notebook, cell and error)."""


def environment() -> dict:
    """Python and key package versions, platform and date of this run."""
    from importlib import metadata

    versions = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {"date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "python": platform.python_version(), "platform": platform.platform(),
            "packages": versions}


def notebook_summary(nb) -> dict:
    """Title (first heading), one-line summary (first sentence after it) and the
    first figure (bytes, mime type) of a notebook."""
    title, summary, figure = None, "", None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and title is None:
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                title = m.group(1).strip()
                rest = cell.source[m.end():]
                para = re.sub(r"\*\*([^*]+)\*\*", r"\1", rest).strip().split("\n\n")[0]
                para = re.sub(r"\s+", " ", para)
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
    """The kernel to execute notebooks with: ``cityresearch`` (installed into the
    project's environment by ``tasks.py``) when present, else ``python3``. A
    user-level ``python3`` kernel may point at another Python without
    cityresearch; the project kernel cannot."""
    from jupyter_client.kernelspec import KernelSpecManager

    return "cityresearch" if "cityresearch" in KernelSpecManager().find_kernel_specs() else "python3"


def _execute(path: Path, *, timeout: int, kernel_name: str | None):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name or default_kernel(),
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(
            o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        err = next((o for c in nb.cells for o in c.get("outputs", [])
                    if o.get("output_type") == "error"), {})
        raise ReportBuildError(
            f"notebook {path.name} failed in cell {index} "
            f"({err.get('ename', 'error')}: {err.get('evalue', str(exc)[:200])}); "
            "no report was written, the previous one is unchanged. Fix the notebook or the "
            f"data and rebuild (run it in JupyterLab to see the traceback)."
        ) from None
    return nb


def _html(nb) -> str:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    return body


_STYLE = """<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;
padding:0 1em;color:#222}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;
padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}.nb{display:flex;gap:1em;
margin:1.2em 0}.nb img{width:260px;border:1px solid #ddd}code{font-size:12px}</style>"""


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title>{_STYLE}</head><body>{body}</body></html>")


def _data_page(env: dict) -> str:
    from cityresearch.data._docs import data_page_html  # generated from the dataset specs

    return _page("Data", "<h1>Data used in this report</h1>" + data_page_html()
                 + f"<p><a href='index.html'>back</a> · built {env['date']}</p>")


def build_report(notebooks: str | Path = "notebooks", out: str | Path = "reports", *,
                 timeout: int = 900, kernel_name: str | None = None,
                 progressbar: bool = True) -> Path:
    """Execute every ``*.ipynb`` in ``notebooks`` (sorted by name) and write the
    HTML report to ``out``. Returns the path of ``index.html``.

    Raises
    ------
    ReportBuildError
        A notebook failed; nothing is written to ``out``.
    ValidationError
        No notebooks found.
    """
    import nbformat

    src = Path(notebooks)
    paths = sorted(src.glob("*.ipynb"))
    if not paths:
        raise ValidationError(f"no notebooks (*.ipynb) in {src}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
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
            if info["figure"]:
                ext = "png" if info["figure"][1] == "image/png" else "jpg"
                (stage / "thumbs" / f"{path.stem}.{ext}").write_bytes(info["figure"][0])
                thumb = f"<img src='thumbs/{path.stem}.{ext}' alt='first figure'>"
            items.append(f"<div class='nb'>{thumb}<div><h3><a href='{path.stem}.html'>"
                         f"{html.escape(info['title'])}</a></h3><p>{html.escape(info['summary'])}"
                         f"</p><p><small>{html.escape(path.name)}</small></p></div></div>")
        pkgs = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in env["packages"].items())
        index = _page("cityresearch report", (
            "<h1>cityresearch report</h1>"
            f"<p>Built {env['date']} with Python {env['python']} on {html.escape(env['platform'])}."
            " <a href='data.html'>Data, licences and hashes</a>.</p>" + "".join(items) +
            f"<h2>Environment</h2><table>{pkgs}</table>"))
        (stage / "index.html").write_text(index, encoding="utf-8")
        (stage / "data.html").write_text(_data_page(env), encoding="utf-8")
        (stage / "environment.json").write_text(json.dumps(env, indent=1))
        # all notebooks ran: replace the previous report
        for old in ["index.html", "data.html", "environment.json", "thumbs",
                    *[f"{p.stem}.html" for p in paths], *[f"{p.stem}.ipynb" for p in paths]]:
            target = out / old
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        for item in stage.iterdir():
            shutil.move(str(item), out / item.name)
        return out / "index.html"
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _parse_value(text: str):
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


def run_notebook(notebook: str | Path, parameters: dict | None = None, *,
                 out: str | Path = "reports", kernel_name: str | None = None,
                 subdir: str = "runs", stem: str | None = None) -> Path:
    """Execute one notebook with papermill parameters; write the executed copy
    and its HTML to ``out/<subdir>/`` (default ``runs``; the committed notebook
    is not touched).

    Parameter values given as strings are read as int, float, bool or JSON
    lists where they parse so (``"2010"`` -> 2010). Returns the HTML path.
    """
    import nbformat
    import papermill as pm

    path = Path(notebook)
    if not path.is_file():
        raise ValidationError(f"notebook {path} does not exist")
    params = {k: _parse_value(v) if isinstance(v, str) else v
              for k, v in (parameters or {}).items()}
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if params and not tagged:
        raise ValidationError(f"{path.name} has no cell tagged 'parameters'")
    if tagged:
        known = {name.strip() for lhs in re.findall(r"^([A-Za-z_][\w ,]*?)\s*=(?!=)",
                                                      tagged[0].source, flags=re.M)
                 for name in lhs.split(",")}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValidationError(f"unknown parameters {unknown}; {path.name} takes "
                                  f"{sorted(known)}")
    runs = Path(out) / subdir
    runs.mkdir(parents=True, exist_ok=True)
    if stem is None:
        tag = "-".join(f"{k}={v}" for k, v in sorted(params.items()))
        tag = re.sub(r"[^A-Za-z0-9=._-]+", "_", tag)[:80]
        stem = f"{path.stem}{'-' + tag if tag else ''}"
    target = runs / f"{stem}.ipynb"
    try:
        pm.execute_notebook(str(path), str(target), parameters=params,
                            kernel_name=kernel_name or default_kernel(),
                            progress_bar=False, cwd=str(path.parent))
    except pm.PapermillExecutionError as exc:
        raise ReportBuildError(
            f"notebook {path.name} failed in cell {exc.exec_count} ({exc.ename}: {exc.evalue}) "
            f"with parameters {params}; the partial run is in {target}") from None
    html_path = runs / f"{stem}.html"
    html_path.write_text(_html(nbformat.read(target, as_version=4)), encoding="utf-8")
    return html_path
