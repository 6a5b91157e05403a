"""Documentation generated from the dataset specs (README table, data/README sections,
CITATION.cff references, report page).

Run ``python -m cityresearch.data._docs`` from the repository root to rewrite
the generated blocks of ``README.md``, ``data/README.md`` and ``CITATION.cff``
(between the ``BEGIN GENERATED`` / ``END GENERATED`` markers); ``--check``
exits with 1 when they are out of date (the tests do the same check).

``CITATION.cff`` keeps its hand-written references (with DOIs, authors and
notes); the generated block adds one reference for every source repository
of the file table that the hand-written references do not name, so a dataset
from a new source needs no hand edit there.
"""

from __future__ import annotations

import csv
import html
import json
import sys
from pathlib import Path

BEGIN = "<!-- BEGIN GENERATED {block}: python -m cityresearch.data._docs -->"
END = "<!-- END GENERATED {block} -->"
CFF_BEGIN = "  # BEGIN GENERATED {block}: python -m cityresearch.data._docs"
CFF_END = "  # END GENERATED {block}"
_RAW = "https://raw.githubusercontent.com/"


def _specs():
    from cityresearch.data import _spec

    return _spec.all_specs()


def _meta(s):
    """Licence, citation, repository and one URL of a spec's source."""
    from cityresearch.data import _spec

    if s.kind == "curated":
        return s.licence, s.citation, "cityresearch (package data)", ""
    recs = _spec.records(s)
    repos = sorted({r.repo for r in recs})
    repo = repos[0] if len(repos) == 1 else f"{len(repos)} repositories ({', '.join(repos)})"
    return recs[0].license, recs[0].citation, repo, recs[0].url if len(repos) == 1 else ""


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def readme_table() -> str:
    """Markdown table of every dataset for the project README.

    Returns
    -------
    str
        One row per dataset: name, what it is, source, licence, coverage.
    """
    lines = ["| dataset | what | source | licence | coverage |", "|---|---|---|---|---|"]
    for s in _specs().values():
        lic, _, repo, _ = _meta(s)
        if s.licence_note:
            lic = f"{lic}; **{s.licence_note.split(':', 1)[-1].split(';')[0].strip()}**"
        kind = "files" if s.file_only else ("geo" if s.geo else "table")
        lines.append(
            f"| `{s.name}` | {_cell(s.title)} ({kind}) | {_cell(repo)} | {_cell(lic)} "
            f"| {_cell(s.coverage)} |"
        )
    return "\n".join(lines)


def dataset_sections() -> str:
    """Markdown sections, one per dataset, for ``data/README.md``.

    Returns
    -------
    str
        For each dataset: source and files (with pinned URLs), licence and
        citation, coverage, caveats, dependencies, version and the schema
        with dtypes and units.
    """
    from cityresearch.data import _spec

    out = []
    for s in _specs().values():
        lic, cit, repo, _ = _meta(s)
        parts = [f"### `{s.name}`: {s.title}", ""]
        if s.kind == "curated":
            files = [
                f"`cityresearch/data/curated/{f}` (SHA-256 "
                f"`{_spec.curated_table()[f]['sha256'][:12]}...`)"
                for f in s.files
            ]
        else:
            recs = _spec.records(s)
            files = [f"[`{r.path}`]({r.url})" for r in recs[:4]]
            if len(recs) > 4:
                files.append(f"and {len(recs) - 4} more (`data.fetch({s.name!r})`)")
        parts.append(f"- **Source**: {repo}; files: {', '.join(files)}")
        parts.append(f"- **Licence**: {lic}")
        if s.licence_note:
            parts.append(f"- **Terms to show with every use**: {s.licence_note}")
        parts.append(f"- **Citation**: {cit}")
        parts.append(f"- **Coverage**: {s.coverage}")
        if s.caveats:
            parts.append(f"- **Caveats**: {s.caveats}")
        load = (
            f"`data.load({s.name!r})` returns the verified local paths"
            if s.file_only
            else f"`data.load({s.name!r})`"
        )
        deps = f"; depends on {', '.join(f'`{d}`' for d in s.depends_on)}" if s.depends_on else ""
        parts.append(f"- **Load**: {load} (spec version {s.version}{deps})")
        if s.schema:
            parts += ["", "| column | dtype | unit | meaning |", "|---|---|---|---|"]
            parts += [
                f"| `{c.name}` | {c.dtype} | {_cell(c.unit)} | {_cell(c.description)} |"
                for c in s.schema
            ]
        out.append("\n".join(parts))
    return "\n\n".join(out)


def data_page_html(*, status: bool = True, links: bool = True) -> str:
    """HTML body of the report's data page: every dataset and every pinned file.

    Parameters
    ----------
    status : bool
        Include each file's retrieval date and verification (reads the cache).
    links : bool
        Link each dataset's source to its pinned file (off when the page
        lists the files' addresses elsewhere).

    Returns
    -------
    str
        An HTML fragment (headings and tables, no ``<html>`` wrapper).
    """
    import datetime as _dt

    from cityresearch.data import _fetch
    from cityresearch.data import status as _status

    esc = html.escape
    rows = []
    for s in _specs().values():
        lic, cit, repo, url = _meta(s)
        note = f"<br><b>{esc(s.licence_note)}</b>" if s.licence_note else ""
        link = f"<a href='{esc(url)}'>{esc(repo)}</a>" if url and links else esc(repo)
        rows.append(
            f"<tr><td><code>{esc(s.name)}</code></td><td>{esc(s.title)}</td>"
            f"<td>{link}</td><td>{esc(lic)}{note}</td><td>{esc(cit)}</td>"
            f"<td>{esc(s.coverage)}</td><td>{esc(s.caveats)}</td></tr>"
        )
    body = [
        (
            "<h2>Datasets</h2><table><tr><th>dataset</th><th>what</th><th>source</th>"
            "<th>licence</th><th>citation</th><th>coverage</th><th>caveats</th></tr>"
        ),
        *rows,
        "</table>",
    ]
    if status:
        st = _status().set_index("path")
        files = []
        for r in _fetch.registry().values():
            p = _fetch.cached_path(r)
            got = (
                _dt.datetime.fromtimestamp(p.stat().st_mtime, _dt.UTC).strftime("%Y-%m-%d")
                if p.is_file()
                else "not cached"
            )
            ok = bool(st.loc[r.path, "verified"].any())
            files.append(
                f"<tr><td>{esc(r.kind)}</td><td><a href='{esc(r.url)}'>"
                f"{esc(r.repo)}/{esc(r.path)}</a></td><td>{esc(r.license)}</td>"
                f"<td><code>{r.sha256}</code></td><td>{got}</td>"
                f"<td>{'yes' if ok else 'no'}</td></tr>"
            )
        body += [
            (
                "<h2>Files</h2><p>Every file is downloaded from a pinned address and verified "
                "by SHA-256 before use; curated tables ship in the package and are hash-listed "
                "the same way.</p><table><tr><th>kind</th><th>file</th><th>licence</th>"
                "<th>SHA-256</th><th>retrieved</th><th>verified</th></tr>"
            ),
            *files,
            "</table>",
        ]
    return "".join(body)


def curated_tables_html() -> str:
    """HTML table of the curated tables shipped in the package, from their specs.

    Returns
    -------
    str
        One row per curated file: file name, data rows (counted in the file),
        the spec's description, licence and citation, and the SHA-256 the
        file was checked against.

    Raises
    ------
    HashMismatchError
        A curated file differs from its listed hash.
    """
    from cityresearch.data import _spec

    esc = html.escape
    rows = []
    for s in _specs().values():
        if s.kind != "curated":
            continue
        for file in s.files:
            path = _spec.verified_curated(file)
            with open(path, encoding="utf-8", newline="") as f:
                n = max(sum(1 for _ in csv.reader(f)) - 1, 0)
            rows.append(
                f"<tr><td><code>{esc(file)}</code></td><td>{n}</td>"
                f"<td>{esc(s.description)}</td><td>{esc(s.licence)}</td>"
                f"<td>{esc(s.citation)}</td>"
                f"<td><code>{_spec.curated_table()[file]['sha256']}</code></td></tr>"
            )
    return (
        "<table><tr><th>file</th><th>rows</th><th>content and source</th><th>licence</th>"
        f"<th>citation</th><th>SHA-256</th></tr>{''.join(rows)}</table>"
    )


def citation_references(known_text: str) -> str:
    """YAML reference entries for ``CITATION.cff``: sources not named in ``known_text``.

    Parameters
    ----------
    known_text : str
        The hand-written part of ``CITATION.cff``; a source repository
        (``<owner>/<repo>`` of a file key) that appears in it is covered.

    Returns
    -------
    str
        One ``- type: data`` entry per uncovered repository of the file
        table (``registry.csv`` and the specs' pinned files), in key order,
        indented as items of ``references:``, with the citation as title,
        the repository (or pinned URL), the commit, the licence and the
        datasets that read it; an empty string when every source is covered.
    """
    from cityresearch.data import _fetch, _spec

    by_repo: dict[str, list] = {}
    for r in sorted(_fetch.registry().values(), key=lambda r: r.key):
        by_repo.setdefault(r.repo, []).append(r)
    users: dict[str, set[str]] = {}
    for s in _specs().values():
        for r in _spec.records(s):
            users.setdefault(r.repo, set()).add(s.name)
    out = []
    for repo, recs in by_repo.items():
        if repo in known_text:
            continue
        first = recs[0]
        lines = [
            "  - type: data",
            f"    title: {json.dumps(first.citation, ensure_ascii=False)}",
            "    authors:",
            f"      - name: {json.dumps(repo.split('/')[0], ensure_ascii=False)}",
        ]
        if first.url.startswith(_RAW):
            lines.append(f'    repository: "https://github.com/{repo}"')
            lines.append(f"    commit: {json.dumps(first.key.split('/')[2])}")
        else:
            lines.append(f"    url: {json.dumps(first.url)}")
        licences = sorted({r.license for r in recs})
        names = ", ".join(sorted(users.get(repo, ()))) or "none"
        note = (
            f"Source {repo}; licence: {'; '.join(licences)}; {len(recs)} pinned file(s); "
            f"datasets: {names}. Generated from the dataset specs."
        )
        lines.append(f"    notes: {json.dumps(note, ensure_ascii=False)}")
        out.append("\n".join(lines))
    return "\n".join(out)


def _replace_cff(text: str, block: str = "references") -> str:
    begin, end = CFF_BEGIN.format(block=block), CFF_END.format(block=block)
    if begin not in text or end not in text:
        raise ValueError(f"markers of the generated block {block!r} are missing in CITATION.cff")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    content = citation_references(head + tail)
    body = f"{content}\n" if content else ""
    return f"{head}{begin}\n{body}{end}{tail}"


def _replace(text: str, block: str, content: str) -> str:
    begin, end = BEGIN.format(block=block), END.format(block=block)
    if begin not in text or end not in text:
        raise ValueError(f"markers of the generated block {block!r} are missing")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{content}\n{end}{tail}"


def render(root: Path) -> dict[Path, str]:
    """Return the regenerated text of each documentation file under ``root``.

    Parameters
    ----------
    root : pathlib.Path
        The repository root (holding ``README.md``, ``data/README.md`` and
        ``CITATION.cff``).

    Returns
    -------
    dict of pathlib.Path to str
    """
    readme, data_readme = root / "README.md", root / "data" / "README.md"
    cff = root / "CITATION.cff"
    return {
        readme: _replace(readme.read_text("utf-8"), "datasets", readme_table()),
        data_readme: _replace(data_readme.read_text("utf-8"), "datasets", dataset_sections()),
        cff: _replace_cff(cff.read_text("utf-8")),
    }


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) the generated documentation blocks."""
    argv = sys.argv[1:] if argv is None else argv
    root = Path.cwd()
    stale = []
    for path, text in render(root).items():
        if path.read_text("utf-8") != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(text, encoding="utf-8")
    if "--check" in argv and stale:
        print("out of date: " + ", ".join(map(str, stale)))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
