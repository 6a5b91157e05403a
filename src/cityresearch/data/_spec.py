"""Declarative dataset specs (private; the public API is in :mod:`cityresearch.data`).

A :class:`Dataset` says everything the data layer needs to know about one
dataset: the files it is read from (declared in the spec itself as
:class:`PinnedFile` entries with URL, SHA-256, size, licence and citation;
or patterns over the pinned file table; or curated files shipped in the
package), the parser, the schema with units, a version and the datasets it
depends on. Each module of :mod:`cityresearch.data.specs` defines
``DATASETS``; they are discovered, and the files they pin join the file
table that fetching, ``cityresearch data status``, the report and the
generated documentation read. So adding a dataset, even from a new source,
is adding a spec (and its test), nothing else.

Cache keys are derived, never hand-set: ``cache_key(spec)`` hashes the spec's
name and version, the SHA-256 of every file it reads and the keys of the
datasets it depends on. A new file, a bumped spec version or a changed
dependency gives a new key; nothing else does.
"""

from __future__ import annotations

import csv
import fnmatch
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from cityresearch._errors import (
    DatasetNotFoundError,
    HashMismatchError,
    ValidationError,
)
from cityresearch.data import _fetch
from cityresearch.data._cache import derive_key


@dataclass(frozen=True)
class Column:
    """One column of a dataset's schema.

    ``dtype`` is one of ``"str"``, ``"int"``, ``"float"``, ``"bool"``,
    ``"geometry"``; ``unit`` is empty for codes and names.
    """

    name: str
    dtype: str
    unit: str = ""
    description: str = ""


_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PinnedFile:
    """One external file a spec reads, pinned by address and content.

    Declared in a spec's ``pinned`` tuple; it joins the package's file table
    under the spec's ``kind``, so :func:`cityresearch.data.fetch`,
    ``cityresearch data status``, the report's data page and the generated
    documentation see it like a row of ``_resources/registry.csv``.

    Attributes
    ----------
    key : str
        Relative path ``<owner>/<repo>/<commit>/<path>`` for a file in a
        repository (or ``<host>/<record>/<path>`` for an archive): the layout
        of the mirror (``CITYRESEARCH_DATA_MIRROR``) and of the cache. It
        names exactly one file, so it includes the commit or version.
    url : str
        The pinned ``https://`` download address (percent-encoded).
    sha256 : str
        SHA-256 of the file, 64 lowercase hex digits; verified on every fetch.
    bytes : int
        Size of the file in bytes.
    license : str
        The file's licence (an SPDX identifier where there is one, else what
        the source states).
    citation : str
        How to cite the source; it is shown in captions, the data page and
        the generated ``CITATION.cff`` references.

    Raises
    ------
    ValidationError
        On construction (when the spec module is imported): a key that is
        not a clean relative path, a URL that is not ``https://``, a hash
        that is not 64 hex digits, a size below 1, or an empty licence or
        citation.

    Examples
    --------
    >>> f = PinnedFile(
    ...     key="owner/repo/0123abc/data/table.csv",
    ...     url="https://raw.githubusercontent.com/owner/repo/0123abc/data/table.csv",
    ...     sha256="a" * 64, bytes=120, license="CC-BY-4.0", citation="Owner (2024), table",
    ... )
    >>> f.record("demo").repo, f.record("demo").path
    ('owner/repo', 'data/table.csv')
    """

    key: str
    url: str
    sha256: str
    bytes: int
    license: str
    citation: str

    def __post_init__(self) -> None:
        parts = self.key.split("/")
        if (
            not self.key
            or self.key.startswith("/")
            or "\\" in self.key
            or len(parts) < 2
            or any(p in ("", ".", "..") for p in parts)
        ):
            raise ValidationError(
                f"pinned file key {self.key!r} must be a relative path of at least two "
                "parts without '.', '..' or empty parts, e.g. "
                "'<owner>/<repo>/<commit>/<path>'"
            )
        if not self.url.startswith("https://"):
            raise ValidationError(
                f"pinned file {self.key!r}: url {self.url!r} must be an https:// address"
            )
        if not _SHA256.fullmatch(self.sha256):
            raise ValidationError(
                f"pinned file {self.key!r}: sha256 {self.sha256!r} must be 64 lowercase hex "
                "digits (compute it with `sha256sum FILE`)"
            )
        if not isinstance(self.bytes, int) or isinstance(self.bytes, bool) or self.bytes < 1:
            raise ValidationError(
                f"pinned file {self.key!r}: bytes {self.bytes!r} must be the file size, a "
                "positive integer"
            )
        for name in ("license", "citation"):
            if not str(getattr(self, name)).strip():
                raise ValidationError(
                    f"pinned file {self.key!r}: {name} is empty; state the source's {name}"
                )

    def record(self, kind: str) -> _fetch.FileRecord:
        """The file-table row of this file under the source ``kind``.

        Parameters
        ----------
        kind : str
            The declaring spec's ``kind``.

        Returns
        -------
        FileRecord
        """
        return _fetch.FileRecord(
            kind, self.key, self.sha256, self.bytes, self.license, self.citation, self.url
        )


@dataclass(frozen=True)
class Dataset:
    """One dataset: files, parser, schema, version, dependencies and documentation.

    Attributes
    ----------
    name : str
        What :func:`cityresearch.data.load` takes (``"poverty_kabkota"``).
    title : str
        One line for tables.
    kind : str
        The source kind in the file table (licence and citation come from it),
        or ``"curated"`` for tables shipped in the package.
    files : tuple of str
        Glob patterns over the keys ``<owner>/<repo>/<commit>/<path>`` of the
        pinned files of ``kind`` (or, for curated data, file names in
        ``cityresearch/data/curated``). Each must match at least one file.
        Empty when the spec lists its files in ``pinned``.
    pinned : tuple of PinnedFile
        Files the spec declares itself (URL, SHA-256, size, licence,
        citation): a dataset from a new source needs no row in
        ``_resources/registry.csv``. They are read in addition to ``files``.
    parse : callable or None
        ``parse(paths, deps)`` -> frame, given the verified local paths (in
        key order) and the frames of ``depends_on`` by name. ``None`` makes a
        file-only dataset: :func:`~cityresearch.data.load` returns its paths.
    schema : tuple of Column
        The columns of the parsed frame, in order, with dtypes and units.
    version : int
        Bump when the parser's output changes; it is part of the cache key.
    depends_on : tuple of str
        Datasets whose frames the parser needs.
    geo : bool
        The parsed frame is a GeoDataFrame.
    coverage, caveats : str
        Documentation (rendered into the README and the report's data page).
    licence_note : str
        Terms to show wherever the data are used (e.g. non-commercial).
    description : str
        Curated tables: what the table holds and where its facts come from
        (rendered on the report's data page).
    licence, citation : str
        Curated tables: their licence and citation (external datasets take
        both from the pinned file table, so these stay empty there).
    """

    name: str
    title: str
    kind: str
    files: tuple[str, ...] = ()
    parse: Callable | None = None
    schema: tuple[Column, ...] = ()
    version: int = 1
    depends_on: tuple[str, ...] = ()
    geo: bool = False
    coverage: str = ""
    caveats: str = ""
    licence_note: str = ""
    cache: bool = field(default=True)
    description: str = ""
    licence: str = ""
    citation: str = ""
    pinned: tuple[PinnedFile, ...] = ()

    def __post_init__(self) -> None:
        if self.pinned and self.kind == "curated":
            raise ValidationError(
                f"dataset {self.name!r}: curated tables ship in the package and cannot "
                "declare pinned files; give the spec the kind of its source"
            )
        if any(not isinstance(p, PinnedFile) for p in self.pinned):
            raise ValidationError(
                f"dataset {self.name!r}: pinned must be a tuple of PinnedFile, got "
                f"{[type(p).__name__ for p in self.pinned]}"
            )
        if not self.files and not self.pinned:
            raise ValidationError(
                f"dataset {self.name!r} reads no file: declare pinned=(PinnedFile(...),) "
                "or give files= patterns over the pinned file table"
            )

    @property
    def file_only(self) -> bool:
        """True for datasets whose files are used as they are (no parser)."""
        return self.parse is None


CURATED_PACKAGE = "cityresearch.data"


@lru_cache(maxsize=1)
def curated_table() -> dict[str, dict[str, str]]:
    """The hash list of curated tables shipped in the package, by file name.

    Each row has ``file``, ``sha256`` and ``bytes``; licence, citation and
    description are in the table's spec (:func:`curated_spec`).
    """
    text = resources.files("cityresearch").joinpath("_resources/curated.csv").read_text("utf-8")
    return {r["file"]: r for r in csv.DictReader(text.splitlines())}


def curated_spec(file: str) -> Dataset:
    """Return the spec of the curated dataset that reads ``file``.

    Raises
    ------
    DatasetNotFoundError
        No curated spec lists the file.
    """
    for spec in _all().values():
        if spec.kind == "curated" and file in spec.files:
            return spec
    raise DatasetNotFoundError(
        f"curated table {file!r} has no spec; add a Dataset(kind='curated', files=({file!r},), "
        "...) to cityresearch/data/specs/curated.py"
    )


def curated_path(file: str) -> Path:
    """Path of a curated table inside the installed package (not verified)."""
    return Path(str(resources.files(CURATED_PACKAGE).joinpath("curated", file)))


def verified_curated(file: str) -> Path:
    """Return the path of a curated table after checking its listed SHA-256.

    Raises
    ------
    DatasetNotFoundError
        The file is not in the hash list or not in the installed package.
    HashMismatchError
        The file differs from its listed hash (edited without re-pinning).
    """
    row = curated_table().get(file)
    path = curated_path(file)
    if row is None or not path.is_file():
        raise DatasetNotFoundError(
            f"curated table {file!r} is not shipped with this installation of cityresearch "
            f"(looked in {path.parent}); reinstall the package."
        )
    got = _fetch._sha256(path)
    if got != row["sha256"]:
        raise HashMismatchError(
            f"curated table {path} has SHA-256 {got}, but _resources/curated.csv lists "
            f"{row['sha256']}. If you edited it on purpose, rebuild it with its data/curate_*.py "
            "script (which re-pins the hash); otherwise reinstall cityresearch."
        )
    return path


@lru_cache(maxsize=1)
def _all() -> dict[str, Dataset]:
    from cityresearch.data import specs as sources

    out: dict[str, Dataset] = {}
    for info in sorted(pkgutil.iter_modules(sources.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{sources.__name__}.{info.name}")
        for spec in getattr(module, "DATASETS", ()):
            if spec.name in out:
                raise ValidationError(
                    f"dataset {spec.name!r} is defined twice (second time in {module.__name__})"
                )
            out[spec.name] = spec
    return out


def all_specs() -> dict[str, Dataset]:
    """Every dataset spec, by name (sorted)."""
    return dict(sorted(_all().items()))


def get(name: str) -> Dataset:
    """Return the spec of a dataset.

    Raises
    ------
    DatasetNotFoundError
        When no dataset has that name; the message lists the names.
    """
    specs = _all()
    if name not in specs:
        raise DatasetNotFoundError(
            f"no dataset named {name!r}; datasets: {', '.join(sorted(specs))} "
            "(see cityresearch.data.datasets())."
        )
    return specs[name]


def records(spec: Dataset) -> list[_fetch.FileRecord]:
    """The pinned files of an external dataset, in key order.

    Its ``pinned`` files (by key) and the files of its ``kind`` that match
    its ``files`` patterns, from the one merged file table.

    Raises
    ------
    DatasetNotFoundError
        A pattern that matches no pinned file.
    """
    if spec.kind == "curated":
        return []
    reg = _fetch.registry()
    out: list[_fetch.FileRecord] = [reg[p.key] for p in spec.pinned]
    for pattern in spec.files:
        hits = [
            r for k, r in reg.items() if r.kind == spec.kind and fnmatch.fnmatchcase(k, pattern)
        ]
        if not hits:
            raise DatasetNotFoundError(
                f"dataset {spec.name!r}: no pinned file of kind {spec.kind!r} matches "
                f"{pattern!r}; declare the file in the spec (pinned=(PinnedFile(...),)) "
                "or correct the pattern"
            )
        out.extend(h for h in hits if h not in out)
    return sorted(out, key=lambda r: r.key)


def input_hashes(spec: Dataset) -> dict[str, str]:
    """The SHA-256 of each file the dataset reads, by key (curated: by file name)."""
    if spec.kind == "curated":
        table = curated_table()
        missing = [f for f in spec.files if f not in table]
        if missing:
            raise DatasetNotFoundError(
                f"dataset {spec.name!r}: {missing} not listed in _resources/curated.csv"
            )
        return {f"curated/{f}": table[f]["sha256"] for f in spec.files}
    return {r.key: r.sha256 for r in records(spec)}


@cache
def cache_key(name: str) -> str:
    """The derived cache key of a dataset: spec version, file hashes, dependency keys."""
    return spec_key(get(name))


def spec_key(spec: Dataset) -> str:
    """The cache key of a spec object (:func:`cache_key` of its name when registered).

    Hashes the spec's name and version, the SHA-256 of its files and the
    cache keys of the datasets it depends on.
    """
    parts = {
        "name": spec.name,
        "version": spec.version,
        "files": input_hashes(spec),
        "depends_on": {d: cache_key(d) for d in spec.depends_on},
    }
    return derive_key(parts)


def local_paths(spec: Dataset) -> list[Path]:
    """Verified local paths of the dataset's files (fetched if needed)."""
    if spec.kind == "curated":
        return [verified_curated(f) for f in spec.files]
    return [_fetch.fetch_file(r) for r in records(spec)]


_CHECKS = {
    "str": lambda s: s.dtype == object or str(s.dtype) in ("string", "str"),
    "int": lambda s: str(s.dtype).lower().startswith(("int", "uint")),
    "float": lambda s: str(s.dtype).startswith("float"),
    "bool": lambda s: str(s.dtype) in ("bool", "boolean"),
    "geometry": lambda s: str(s.dtype) == "geometry",
}


def check_schema(spec: Dataset, frame) -> None:
    """Raise :class:`ValidationError` when ``frame`` does not have the spec's columns and dtypes."""
    names = [c.name for c in spec.schema]
    if list(frame.columns) != names:
        raise ValidationError(
            f"dataset {spec.name!r}: parser returned columns "
            f"{list(frame.columns)}, the spec says {names}"
        )
    for col in spec.schema:
        if col.dtype not in _CHECKS:
            raise ValidationError(
                f"dataset {spec.name!r}: unknown dtype {col.dtype!r} for column {col.name!r}"
            )
        if not _CHECKS[col.dtype](frame[col.name]):
            raise ValidationError(
                f"dataset {spec.name!r}: column {col.name!r} has dtype "
                f"{frame[col.name].dtype}, the spec says {col.dtype}"
            )


def pin_curated(file: str, *, resources_dir: Path | None = None) -> dict:
    """Re-pin a curated table: write its SHA-256 and size into ``_resources/curated.csv``.

    For the maintainers' curate scripts (``data/curate_*.py``), run from a
    source checkout after rebuilding the table.

    Parameters
    ----------
    file : str
        File name in ``cityresearch/data/curated``.
    resources_dir : pathlib.Path, optional
        Folder of ``curated.csv`` (default: the package's ``_resources``).

    Returns
    -------
    dict
        The updated (or added) row.

    Raises
    ------
    DatasetNotFoundError
        The file is not in the package, or no curated spec lists it.
    """
    folder = resources_dir or Path(str(resources.files("cityresearch").joinpath("_resources")))
    table = folder / "curated.csv"
    with open(table, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    hit = [r for r in rows if r["file"] == file]
    path = curated_path(file)
    if not hit:
        if not path.is_file():
            raise DatasetNotFoundError(
                f"{file!r} is neither listed in {table} nor in {path.parent}"
            )
        curated_spec(file)  # a table without a spec is refused
        rows.append({"file": file, "sha256": "", "bytes": ""})
        hit = rows[-1:]
    hit[0]["sha256"], hit[0]["bytes"] = _fetch._sha256(path), str(path.stat().st_size)
    with open(table, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "sha256", "bytes"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    curated_table.cache_clear()
    return hit[0]
