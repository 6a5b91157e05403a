"""The file table of external files and their hash-verified download (private).

The file table (:func:`registry`) is one table merged from two places: the rows
of ``_resources/registry.csv`` (the files pinned before specs could declare
their own) and the ``pinned`` files declared by the dataset specs
(:class:`~cityresearch.data._spec.PinnedFile`). Each file has a dataset kind,
a key (``<owner>/<repo>/<commit>/<path>`` or another relative path: the mirror
and cache layout), an explicit pinned URL, SHA-256, size, licence and
citation. A key declared twice with different content (hash or size) is
refused with a :class:`ValidationError`. Public entry points live in
:mod:`cityresearch.data`.

Errors are reported for what they are: a failed download (network, HTTP
status) is a :class:`DataUnavailableError` that says "could not download"; a
cache folder that cannot be written is not a download problem: the file is
then kept in a temporary folder for this session, with one
:class:`CacheWarning`.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from cityresearch import settings
from cityresearch._errors import (
    CacheWarning,
    DatasetNotFoundError,
    DataUnavailableError,
    HashMismatchError,
    ValidationError,
    user_stacklevel,
)


@dataclass(frozen=True)
class FileRecord:
    """One pinned external file.

    ``key`` is ``<owner>/<repo>/<commit>/<path>``: the URL path under the base
    URL, the mirror layout and the cache layout at once.
    """

    kind: str
    key: str
    sha256: str
    bytes: int
    license: str
    citation: str
    pinned_url: str = ""

    @property
    def url(self) -> str:
        """The download address: the pinned URL (percent-encoded), with its
        ``https://raw.githubusercontent.com/`` prefix replaced when
        ``CITYRESEARCH_BASE_URL`` points elsewhere (a private mirror, a test server)."""
        pinned = self.pinned_url or settings.DEFAULT_BASE_URL + self.key
        base = settings.get_base_url()
        if base != settings.DEFAULT_BASE_URL and pinned.startswith(settings.DEFAULT_BASE_URL):
            return base + pinned[len(settings.DEFAULT_BASE_URL) :]
        return pinned

    @property
    def repo(self) -> str:
        return "/".join(self.key.split("/")[:2])

    @property
    def path(self) -> str:
        return "/".join(self.key.split("/")[3:])


@lru_cache(maxsize=1)
def csv_registry() -> dict[str, FileRecord]:
    """Return the files pinned in ``_resources/registry.csv``, by key."""
    text = resources.files("cityresearch").joinpath("_resources/registry.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    out = {}
    for r in rows:
        out[r["key"]] = FileRecord(
            r["kind"],
            r["key"],
            r["sha256"],
            int(r["bytes"]),
            r["license"],
            r["citation"],
            r.get("url", ""),
        )
    return out


def merge_tables(
    base: dict[str, FileRecord], declared: list[tuple[str, FileRecord]]
) -> dict[str, FileRecord]:
    """Merge spec-declared files into the file table, refusing conflicting keys.

    Parameters
    ----------
    base : dict of str to FileRecord
        The files of ``registry.csv`` by key.
    declared : list of (str, FileRecord)
        ``(where, record)`` for each file a spec declares; ``where`` names the
        declaring spec for the error message.

    Returns
    -------
    dict of str to FileRecord
        ``base`` plus every declared key not already in it (a key declared
        again with the same SHA-256 and size keeps its first record).

    Raises
    ------
    ValidationError
        A key declared twice with a different SHA-256 or size.
    """
    out = dict(base)
    origin = dict.fromkeys(base, "_resources/registry.csv")
    for where, rec in declared:
        first = out.get(rec.key)
        if first is None:
            out[rec.key] = rec
            origin[rec.key] = where
        elif (first.sha256, first.bytes) != (rec.sha256, rec.bytes):
            raise ValidationError(
                f"pinned file {rec.key!r} is declared twice with different content: "
                f"{origin[rec.key]} pins sha256 {first.sha256} ({first.bytes} bytes), "
                f"{where} pins sha256 {rec.sha256} ({rec.bytes} bytes). A key names one "
                "file: give the new file its own key (its commit or version is part of "
                "it), or correct the hash."
            )
    return out


@lru_cache(maxsize=1)
def registry() -> dict[str, FileRecord]:
    """Return every pinned file by key: ``registry.csv`` and the specs' ``pinned`` files.

    Raises
    ------
    ValidationError
        A key is declared twice with different hashes.
    """
    from cityresearch.data import _spec

    declared = [
        (f"dataset {s.name!r}", p.record(s.kind))
        for s in _spec.all_specs().values()
        for p in s.pinned
    ]
    return merge_tables(csv_registry(), declared)


def kinds() -> list[str]:
    """Return the dataset kinds (``boundaries``, ``codes``, ``grdp`` ...)."""
    return sorted({r.kind for r in registry().values()})


def find(name: str) -> list[FileRecord]:
    """Return the records of a dataset kind, a key, or a path ending.

    Raises
    ------
    DatasetNotFoundError
        When nothing in the registry has that name.
    """
    reg = registry()
    if name in reg:
        return [reg[name]]
    hits = [r for r in reg.values() if r.kind == name]
    if not hits:
        hits = [r for r in reg.values() if r.key.endswith("/" + name.lstrip("/"))]
    if not hits:
        raise DatasetNotFoundError(
            f"no dataset or file named {name!r} in the cityresearch registry; "
            f"known kinds: {', '.join(kinds())} (see `cityresearch data status`)."
        )
    return hits


def cached_path(record: FileRecord) -> Path:
    """Where a file lives in the cache (whether or not it is there)."""
    return settings.get_cache_folder() / record.key


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_verified(record: FileRecord) -> bool:
    """True when the cached copy exists and has the pinned SHA-256."""
    path = cached_path(record)
    return path.is_file() and _sha256(path) == record.sha256


_FALLBACK: dict[str, Path] = {}
_WARNED: set[str] = set()


def warn_once(folder: Path, exc: BaseException, what: str) -> None:
    """One :class:`CacheWarning` per process and folder that cannot be written."""
    if str(folder) in _WARNED:
        return
    _WARNED.add(str(folder))
    warnings.warn(
        f"the cityresearch cache folder {folder} cannot be written "
        f"({exc.__class__.__name__}: {exc}); {what}. Set CITYRESEARCH_CACHE to a "
        "writable folder to keep results between sessions.",
        CacheWarning,
        stacklevel=user_stacklevel(),
    )


def writable(folder: Path) -> OSError | None:
    """Return None when ``folder`` can be created and written, else the error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return exc
    return None


def _session_folder(cache: Path) -> Path:
    if str(cache) not in _FALLBACK:
        _FALLBACK[str(cache)] = Path(tempfile.mkdtemp(prefix="cityresearch-"))
    return _FALLBACK[str(cache)]


def fetch_file(record: FileRecord, *, progressbar: bool = False) -> Path:
    """Return the local path of a verified copy of ``record``.

    Order: the cache (if its hash matches), the mirror folder (if set), the
    pinned URL (unless offline). Every file that enters the cache is checked
    against its SHA-256 by pooch; a mismatch raises :class:`HashMismatchError`
    and the file is not kept. When the cache folder cannot be written, the
    file is kept in a temporary folder for this session instead (one
    :class:`CacheWarning`).

    Raises
    ------
    HashMismatchError
        The mirrored or downloaded file has the wrong SHA-256.
    DataUnavailableError
        Offline without cache or mirror, missing from the mirror, or the
        download failed (network or HTTP error).
    """
    from cityresearch._imports import quiet_import

    pooch = quiet_import("pooch")
    path = cached_path(record)
    if path.is_file() and _sha256(path) == record.sha256:
        return path
    cache = settings.get_cache_folder()
    target = cache
    problem = writable(cache)
    if problem is not None:
        warn_once(
            cache, problem, "downloaded files are kept in a temporary folder for this session only"
        )
        target = _session_folder(cache)
        again = target / record.key
        if again.is_file() and _sha256(again) == record.sha256:
            return again
    mirror = settings.get_data_mirror()
    if mirror is not None:
        source = mirror / record.key
        if not source.is_file():
            raise DataUnavailableError(
                f"{record.key} is not in the data mirror {mirror}. Point "
                "CITYRESEARCH_DATA_MIRROR at a complete mirror, or unset it to download."
            )

        def downloader(url, output_file, pooch_obj):
            shutil.copyfile(source, output_file)

    elif settings.is_offline():
        raise DataUnavailableError(
            f"{record.key} is not cached and cityresearch is offline. Run "
            "`cityresearch data fetch` on a machine with internet, or set "
            "CITYRESEARCH_DATA_MIRROR to a folder holding the files."
        )
    else:
        downloader = pooch.HTTPDownloader(progressbar=progressbar, timeout=60)
    puppy = pooch.create(
        path=target,
        base_url=settings.get_base_url(),
        registry={record.key: f"sha256:{record.sha256}"},
        urls={record.key: record.url},
    )
    logger = pooch.get_logger()
    level = logger.level
    if mirror is not None:  # pooch would announce a download; it is a local copy
        logger.setLevel("WARNING")
    import requests

    try:
        return Path(puppy.fetch(record.key, downloader=downloader))
    except ValueError as exc:
        if "hash" not in str(exc).lower():
            raise
        raise HashMismatchError(
            f"{record.key} has the wrong SHA-256 and was rejected (expected "
            f"{record.sha256}). The download or mirror copy is corrupt or the "
            "source changed: delete it from the mirror/cache and fetch again; if it "
            "persists, report it, since the pinned file is the one results rely on."
        ) from exc
    except requests.exceptions.RequestException as exc:  # network and HTTP errors only
        raise DataUnavailableError(
            f"could not download {record.url} ({exc.__class__.__name__}: {exc}). "
            "Check the internet connection, or set CITYRESEARCH_DATA_MIRROR to a "
            "folder holding the files."
        ) from exc
    finally:
        logger.setLevel(level)
