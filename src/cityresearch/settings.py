"""Settings of cityresearch: where data is cached, mirrored and downloaded from.

Each setting is a module attribute; ``None`` means "use the environment
variable, else the default". Set them in code (``cityresearch.settings.offline
= True``) or in the environment, which is how CI and notebooks do it:

``CITYRESEARCH_CACHE``
    Folder of the per-user data cache. Default: the platform's user cache
    folder (``~/.cache/cityresearch`` on Linux), via :func:`pooch.os_cache`.
``CITYRESEARCH_DATA_MIRROR``
    A folder laid out as ``<owner>/<repo>/<commit>/<path>`` holding byte-identical
    copies of the registry's files. When set, files are copied from it instead
    of downloaded, and verified by the same SHA-256.
``CITYRESEARCH_BASE_URL``
    Where files are downloaded from. Default ``https://raw.githubusercontent.com/``;
    the registry's keys are appended to it.
``CITYRESEARCH_OFFLINE``
    ``1`` forbids any download: files must be cached or mirrored.
"""

from __future__ import annotations

import os
from pathlib import Path

cache_folder: str | os.PathLike | None = None
data_mirror: str | os.PathLike | None = None
base_url: str | None = None
offline: bool | None = None

DEFAULT_BASE_URL = "https://raw.githubusercontent.com/"


def get_cache_folder() -> Path:
    """Return the folder of the data cache (created on first use)."""
    value = cache_folder or os.environ.get("CITYRESEARCH_CACHE")
    if not value:
        from cityresearch._imports import quiet_import

        value = quiet_import("pooch").os_cache("cityresearch")
    return Path(value).expanduser()


def get_data_mirror() -> Path | None:
    """Return the offline mirror folder, or None when no mirror is set."""
    value = data_mirror or os.environ.get("CITYRESEARCH_DATA_MIRROR")
    return Path(value).expanduser() if value else None


def get_base_url() -> str:
    """Return the base URL that registry keys are appended to."""
    value = base_url or os.environ.get("CITYRESEARCH_BASE_URL") or DEFAULT_BASE_URL
    return value if value.endswith("/") else value + "/"


def is_offline() -> bool:
    """Return True when downloads are forbidden."""
    if offline is not None:
        return bool(offline)
    return os.environ.get("CITYRESEARCH_OFFLINE", "").lower() in {"1", "true", "yes"}
