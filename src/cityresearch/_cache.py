"""Parquet cache of parsed data (private).

A parsed frame is stored as ``<cache>/parsed/<name>-<tag>.parquet`` where the
tag hashes the parser version and the SHA-256 of every source file, so a new
source or parser never reads a stale cache.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable

from cityresearch import settings

PARSER_VERSION = "6"


def cached_frame(name: str, source_hashes: Iterable[str], build: Callable, *, geo: bool = False):
    """Return ``build()``, read from the Parquet cache when it exists."""
    tag = hashlib.sha256(
        (PARSER_VERSION + "".join(sorted(source_hashes))).encode()
    ).hexdigest()[:16]
    path = settings.get_cache_folder() / "parsed" / f"{name}-{tag}.parquet"
    if path.is_file():
        if geo:
            import geopandas

            return geopandas.read_parquet(path)
        import pandas as pd

        return pd.read_parquet(path)
    frame = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)
    return frame
