"""Moved to :mod:`cityresearch.data._fetch` (kept importable for existing code)."""

from cityresearch.data._fetch import *
from cityresearch.data._fetch import (  # noqa: F401
    FileRecord,
    _sha256,
    cached_path,
    csv_registry,
    fetch_file,
    find,
    is_verified,
    kinds,
    merge_tables,
    registry,
)
