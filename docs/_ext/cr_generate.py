"""Pages generated from the package at build time: API reference and datasets.

Nothing here is hand-maintained per module or per dataset:

- the API reference lists every public module of :mod:`cityresearch` found by
  walking the package (names without a leading underscore), and in each module
  the names in its ``__all__``; a new module (``clubs``, ``dynamics``, ``bps``,
  ``importers``, ``panels`` ...) appears without editing the documentation;
- the dataset pages come from the data layer: from the dataset specs
  (``cityresearch.data.datasets()`` / ``data.spec(name)``) when the package
  has them, otherwise from the file registry (``_resources/registry.csv``, one
  page per source kind) enriched with the source table of ``data/README.md``.

The generated files are written under ``docs/api/`` and ``docs/datasets/``,
which are not committed (``.gitignore``).
"""

from __future__ import annotations

import csv
import importlib
import pkgutil
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent


# ------------------------------------------------------------------ API reference


def public_modules() -> list[str]:
    """Names of the public modules of cityresearch (no ``_`` in any part), sorted.

    Subpackages are walked too; a submodule of a subpackage is listed when it
    defines ``__all__`` (so a package of spec modules does not flood the
    reference).
    """
    import cityresearch

    names = ["cityresearch"]
    for info in pkgutil.walk_packages(cityresearch.__path__, "cityresearch."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts):
            continue
        if len(parts) > 1:
            mod = importlib.import_module(info.name)
            if not hasattr(mod, "__all__"):
                continue
        names.append(info.name)
    return sorted(names)


def public_names(module: str) -> list[str]:
    """The documented names of a module: its ``__all__``, else its public functions/classes."""
    mod = importlib.import_module(module)
    if hasattr(mod, "__all__"):
        return [n for n in mod.__all__ if not n.startswith("__")]
    return sorted(
        n
        for n, v in vars(mod).items()
        if not n.startswith("_") and callable(v) and getattr(v, "__module__", None) == module
    )


def _kind(module: str, name: str) -> str:
    import inspect

    obj = getattr(importlib.import_module(module), name)
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "data"


def write_api(out: Path | None = None) -> list[Path]:
    """Write ``api/index.rst`` and one page per public module; return the pages written."""
    out = out or DOCS / "api"
    out.mkdir(parents=True, exist_ok=True)
    modules = public_modules()
    written = []
    lines = [
        "API reference",
        "=============",
        "",
        "Generated from the docstrings of every public module (found by walking the",
        "package, so new modules appear here without editing the documentation).",
        "Each function's page gives its parameters with units, what it returns, the",
        "named errors it raises, and examples; see :doc:`../methods` for the",
        "statistics behind the analysis functions.",
        "",
        ".. toctree::",
        "   :maxdepth: 1",
        "",
    ]
    lines += [f"   {m}" for m in modules]
    index = out / "index.rst"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written.append(index)
    for m in modules:
        names = public_names(m)
        title = f"``{m}``"
        page = [title, "=" * len(title), "", f".. automodule:: {m}", "   :no-members:", ""]
        groups: dict[str, list[str]] = {"function": [], "class": [], "data": []}
        for n in names:
            groups[_kind(m, n)].append(n)
        heads = {"function": "Functions", "class": "Classes", "data": "Constants"}
        for kind in ("function", "class"):
            if groups[kind]:
                page += [
                    heads[kind],
                    "-" * len(heads[kind]),
                    "",
                    f".. currentmodule:: {m}",
                    "",
                    ".. autosummary::",
                    "   :toctree: generated",
                    "   :nosignatures:",
                    "",
                ]
                page += [f"   {n}" for n in groups[kind]]
                page.append("")
        if groups["data"]:
            page += ["Constants", "---------", ""]
            for n in groups["data"]:
                page += [f".. autodata:: {m}.{n}", "   :no-value:", ""]
        path = out / f"{m}.rst"
        path.write_text("\n".join(page) + "\n", encoding="utf-8")
        written.append(path)
    return written


# ------------------------------------------------------------------ datasets


def _readme_sources() -> dict[str, dict[str, str]]:
    """The 'External sources' table of data/README.md, by kind (empty when absent)."""
    readme = ROOT / "data" / "README.md"
    if not readme.is_file():
        return {}
    rows: dict[str, dict[str, str]] = {}
    header: list[str] | None = None
    for line in readme.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        if header and header[0] == "kind" and len(cells) == len(header):
            rows[cells[0]] = dict(zip(header, cells, strict=True))
    return rows


def _registry_rows() -> list[dict[str, str]]:
    from importlib import resources

    text = resources.files("cityresearch").joinpath("_resources/registry.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _doi_links(text: str) -> str:
    return re.sub(r"doi:(10\.\d{4,9}/[^\s,;)]+)", r"[doi:\1](https://doi.org/\1)", text)


def _dataset_pages_from_specs(data) -> dict[str, str]:
    table = data.datasets()
    pages = {}
    for row in table.itertuples(index=False):
        s = data.spec(row.name)
        src = data.sources([row.name])
        if "datasets" in src.columns:
            mine = src[src["datasets"].fillna("").str.split(", ").map(lambda d, n=row.name: n in d)]
            src = mine if len(mine) else src
        lines = [f"# `{row.name}`: {_md(s.title)}", ""]
        lines += ["| | |", "|---|---|"]
        lines.append(f'| load with | `cityresearch.data.load("{row.name}")` |')
        if len(src):
            r0 = src.iloc[0]
            lines.append(f"| source | {_md(r0.get('repo', ''))} |")
            lines.append(f"| licence | {_md(r0.get('license', ''))} |")
            note = str(r0.get("licence_note", "") or "")
            if note:
                lines.append(f"| terms to repeat | **{_md(note)}** |")
            lines.append(f"| citation | {_doi_links(_md(r0.get('citation', '')))} |")
        lines.append(f"| coverage | {_md(s.coverage)} |")
        lines.append(f"| spec version | {s.version} |")
        if s.depends_on:
            lines.append(f"| built from | {', '.join(f'`{d}`' for d in s.depends_on)} |")
        lines.append("")
        if s.caveats:
            lines += ["## Known problems and caveats", "", s.caveats.strip(), ""]
        if s.schema:
            lines += [
                "## Columns and units",
                "",
                "| column | type | unit | meaning |",
                "|---|---|---|---|",
            ]
            for c in s.schema:
                lines.append(
                    f"| `{c.name}` | {c.dtype} | {_md(c.unit) or '-'} | {_md(c.description)} |"
                )
            lines.append("")
        files = _spec_files(s)
        if files:
            lines += [
                "## Files (pinned, SHA-256 verified)",
                "",
                "| file | bytes | SHA-256 |",
                "|---|---|---|",
            ]
            lines += files
            lines.append("")
        pages[row.name] = "\n".join(lines)
    return pages


def _spec_files(s) -> list[str]:
    try:
        from cityresearch.data import _spec
    except ImportError:  # pragma: no cover - older layout
        return []
    out = []
    if s.kind == "curated":
        table = _spec.curated_table()
        for f in s.files:
            out.append(
                f"| `cityresearch/data/curated/{f}` | {table[f]['bytes']} | "
                f"`{table[f]['sha256'][:16]}...` |"
            )
        return out
    for r in _spec.records(s):
        out.append(f"| [{_md(r.path)}]({r.url}) | {r.bytes} | `{r.sha256[:16]}...` |")
    return out


def _dataset_pages_from_registry() -> dict[str, str]:
    readme = _readme_sources()
    by_kind: dict[str, list[dict[str, str]]] = {}
    for r in _registry_rows():
        by_kind.setdefault(r["kind"], []).append(r)
    pages = {}
    for kind, rows in by_kind.items():
        repos = sorted({"/".join(r["key"].split("/")[:2]) for r in rows})
        licences = sorted({r["license"] for r in rows})
        citations = sorted({r["citation"] for r in rows})
        info = readme.get(kind, {})
        lines = [f"# `{kind}`", ""]
        lines += ["| | |", "|---|---|"]
        lines.append(f'| get the files | `cityresearch.data.fetch("{kind}")` |')
        lines.append(f"| source | {', '.join(repos)} |")
        lines.append(f"| licence | {'; '.join(_md(x) for x in licences)} |")
        lines.append(f"| citation | {'<br>'.join(_doi_links(_md(c)) for c in citations)} |")
        lines.append("")
        if info.get("units and caveats"):
            lines += [
                "## Units, coverage and known problems",
                "",
                _doi_links(info["units and caveats"]),
                "",
            ]
        lines += [
            "## Files (pinned, SHA-256 verified)",
            "",
            "| file | bytes | SHA-256 |",
            "|---|---|---|",
        ]
        for r in rows:
            path = "/".join(r["key"].split("/")[3:])
            lines.append(f"| [{_md(path)}]({r['url']}) | {r['bytes']} | `{r['sha256'][:16]}...` |")
        lines.append("")
        pages[kind] = "\n".join(lines)
    return pages


def dataset_pages() -> dict[str, str]:
    """Markdown of one page per dataset, by dataset name (or source kind)."""
    from cityresearch import data

    if hasattr(data, "datasets") and hasattr(data, "spec"):
        return _dataset_pages_from_specs(data)
    return _dataset_pages_from_registry()


def write_datasets(out: Path | None = None) -> list[Path]:
    """Write ``datasets/index.md`` and one page per dataset; return the pages written."""
    out = out or DOCS / "datasets"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.md"):
        old.unlink()
    pages = dataset_pages()
    index = [
        "# Datasets",
        "",
        "Generated from the package's data registry at build time: every external",
        "file is pinned to a commit and verified by SHA-256 before use. Cite the",
        "sources you use (each page gives the citation) and respect their licences;",
        "figures made with cityresearch carry the source and licence in their caption.",
        "Curated tables kept in the repository are described in `data/README.md`.",
        "",
        "```{toctree}",
        ":maxdepth: 1",
        "",
    ]
    index += sorted(pages)
    index += ["```", ""]
    written = [out / "index.md"]
    written[0].write_text("\n".join(index), encoding="utf-8")
    for name, text in pages.items():
        p = out / f"{name}.md"
        p.write_text(text + "\n", encoding="utf-8")
        written.append(p)
    return written
