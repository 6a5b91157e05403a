"""Registry of external files and their hash-verified download (private).

Public entry points live in :mod:`cityresearch.data`.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from cityresearch import settings
from cityresearch._errors import (
    DataUnavailableError,
    DatasetNotFoundError,
    HashMismatchError,
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
            return base + pinned[len(settings.DEFAULT_BASE_URL):]
        return pinned

    @property
    def repo(self) -> str:
        return "/".join(self.key.split("/")[:2])

    @property
    def path(self) -> str:
        return "/".join(self.key.split("/")[3:])


@lru_cache(maxsize=1)
def registry() -> dict[str, FileRecord]:
    """Return every registered file by key."""
    text = resources.files("cityresearch").joinpath("_resources/registry.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    out = {}
    for r in rows:
        out[r["key"]] = FileRecord(
            r["kind"], r["key"], r["sha256"], int(r["bytes"]), r["license"], r["citation"],
            r.get("url", ""),
        )
    return out


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


def fetch_file(record: FileRecord, *, progressbar: bool = False) -> Path:
    """Return the local path of a verified copy of ``record``.

    Order: the cache (if its hash matches), the mirror folder (if set), the
    pinned URL (unless offline). Every file that enters the cache is checked
    against its SHA-256 by pooch; a mismatch raises :class:`HashMismatchError`
    and the file is not kept.
    """
    import pooch

    path = cached_path(record)
    if path.is_file() and _sha256(path) == record.sha256:
        return path
    mirror = settings.get_data_mirror()
    if mirror is not None:
        source = mirror / record.key
        if not source.is_file():
            raise DataUnavailableError(
                f"{record.key} is not in the data mirror {mirror}. Point "
                "CITYRESEARCH_DATA_MIRROR at a complete mirror, or unset it to download."
            )

        def downloader(url, output_file, pooch_obj):  # noqa: ARG001 (pooch's signature)
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
        path=settings.get_cache_folder(),
        base_url=settings.get_base_url(),
        registry={record.key: f"sha256:{record.sha256}"},
        urls={record.key: record.url},
    )
    logger = pooch.get_logger()
    level = logger.level
    if mirror is not None:  # pooch would announce a download; it is a local copy
        logger.setLevel("WARNING")
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
    except OSError as exc:  # requests' ConnectionError is an OSError
        raise DataUnavailableError(
            f"could not download {record.url} ({exc.__class__.__name__}: {exc}). "
            "Check the internet connection, or set CITYRESEARCH_DATA_MIRROR to a "
            "folder holding the files."
        ) from exc
    finally:
        logger.setLevel(level)
