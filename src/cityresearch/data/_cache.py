"""Parquet cache of parsed data, with recorded hashes (private).

A parsed frame is stored in ``<cache>/parsed/`` as two files:

``<name>-<key>.json``
    A manifest: the dataset name, the cache key, the SHA-256 of every input
    (raw files, curated files, dependencies' keys) and the name, size and
    SHA-256 of the Parquet file holding the frame.
``<name>-<key>-<sha12>.parquet``
    The frame (GeoParquet for geometry), named by its own content hash.

The key is derived from the inputs (see :func:`cityresearch.data.cache_key`),
so a new source file, spec version or dependency never reads a stale entry.
Every read checks the Parquet file against the manifest: a flipped bit, a
truncated or unreadable file or manifest is rebuilt from the verified raw
files, with a :class:`~cityresearch.CacheWarning`.

Writes are atomic and safe across threads and processes: each writer writes
to its own unique temporary file (:func:`tempfile.mkstemp`) and moves it into
place with :func:`os.replace`; content-named Parquet files mean that a reader
never pairs a manifest with another writer's data. A cache that cannot be
written (read-only folder, full disk) still works: frames are computed in
memory, kept for the session, and one warning says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from cityresearch import settings
from cityresearch._errors import CacheWarning, user_stacklevel

#: Frames computed while the cache could not be written, by (folder, name, key).
_MEMORY: dict[tuple[str, str, str], Any] = {}


def derive_key(parts: Mapping[str, object]) -> str:
    """Return a 16-hex-digit key of a JSON-serialisable description of inputs."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _folder() -> Path:
    return settings.get_cache_folder() / "parsed"


def _atomic_write(folder: Path, final: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, final)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _to_bytes(frame, geo: bool) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def _from_bytes(data: bytes, geo: bool):
    if geo:
        import geopandas

        return geopandas.read_parquet(io.BytesIO(data))
    import pandas as pd

    return pd.read_parquet(io.BytesIO(data))


def manifest_path(name: str, key: str) -> Path:
    """Where the manifest of a parsed frame lives (whether or not it is there)."""
    return _folder() / f"{name}-{key}.json"


def _read(name: str, key: str, geo: bool):
    """Return the cached frame, None when absent; raise ValueError when corrupt."""
    mpath = manifest_path(name, key)
    if not mpath.is_file():
        return None
    try:
        manifest = json.loads(mpath.read_text("utf-8"))
        data_path = mpath.parent / manifest["file"]
        expected = manifest["sha256"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"its manifest {mpath.name} is unreadable ({exc})") from exc
    try:
        data = data_path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{data_path.name} cannot be read ({exc.__class__.__name__})") from exc
    got = hashlib.sha256(data).hexdigest()
    if got != expected:
        raise ValueError(
            f"{data_path.name} has SHA-256 {got[:12]}..., the manifest records {expected[:12]}..."
        )
    try:
        return _from_bytes(data, geo)
    except Exception as exc:
        raise ValueError(
            f"{data_path.name} cannot be parsed ({exc.__class__.__name__}: {exc})"
        ) from exc


def _write(name: str, key: str, inputs: Mapping[str, str], frame, geo: bool) -> None:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    data = _to_bytes(frame, geo)
    sha = hashlib.sha256(data).hexdigest()
    data_path = folder / f"{name}-{key}-{sha[:12]}.parquet"
    _atomic_write(folder, data_path, data)  # always: a same-named file may be the corrupt one
    manifest = {
        "name": name,
        "key": key,
        "inputs": dict(inputs),
        "file": data_path.name,
        "bytes": len(data),
        "sha256": sha,
    }
    _atomic_write(
        folder, manifest_path(name, key), json.dumps(manifest, indent=1, sort_keys=True).encode()
    )


def load_or_build(
    name: str, key: str, inputs: Mapping[str, str], build: Callable, *, geo: bool = False
):
    """Return the frame cached under ``(name, key)``, building and storing it if needed.

    Parameters
    ----------
    name : str
        Dataset name (file-name safe).
    key : str
        Cache key derived from every input (see :func:`derive_key`).
    inputs : mapping of str to str
        What the key was derived from (recorded in the manifest for audit).
    build : callable
        Returns the frame from the verified raw files.
    geo : bool
        The frame is a GeoDataFrame (stored as GeoParquet).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame

    Warns
    -----
    CacheWarning
        When a cached file was corrupt or unreadable (it is rebuilt), or the
        cache cannot be written (the frame is kept in memory for the session;
        one warning per folder).
    """
    folder = str(_folder())
    memo = _MEMORY.get((folder, name, key))
    if memo is not None:
        return memo.copy()
    try:
        frame = _read(name, key, geo)
    except ValueError as exc:
        warnings.warn(
            f"the parsed cache of {name!r} is corrupt: {exc}; it is rebuilt from "
            "the verified raw files.",
            CacheWarning,
            stacklevel=user_stacklevel(),
        )
        frame = None
    if frame is not None:
        return frame
    frame = build()
    try:
        _write(name, key, inputs, frame, geo)
    except OSError as exc:
        from cityresearch.data._fetch import warn_once

        warn_once(
            settings.get_cache_folder(),
            exc,
            "parsed data are computed in memory and kept for this session only",
        )
        _MEMORY[(folder, name, key)] = frame
        return frame.copy()
    return frame


def cached_frame(name: str, source_hashes: Iterable[str], build: Callable, *, geo: bool = False):
    """Return ``build()``, cached under a key derived from ``name`` and ``source_hashes``.

    Kept for callers outside the data layer (map layers); datasets use
    :func:`load_or_build` with keys derived from their specs.

    Parameters
    ----------
    name : str
        Name of the cached frame.
    source_hashes : iterable of str
        Hashes or keys of everything the frame is computed from.
    build : callable
        Returns the frame.
    geo : bool
        The frame is a GeoDataFrame.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
    """
    hashes = sorted(source_hashes)
    inputs = {f"input{i}": h for i, h in enumerate(hashes)}
    return load_or_build(name, derive_key({"name": name, "inputs": hashes}), inputs, build, geo=geo)
