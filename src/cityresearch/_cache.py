"""Moved to :mod:`cityresearch.data._cache` (kept importable for existing code)."""

from cityresearch.data._cache import cached_frame, derive_key, load_or_build  # noqa: F401
