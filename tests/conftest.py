"""Test set-up: use the offline data mirror beside the checkout and a test cache.

CI sets CITYRESEARCH_DATA_MIRROR itself; for a developer's run the mirror at
../shared/data is used when present. Nothing here touches the network.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_MIRROR = ROOT.parent / "shared" / "data"
if "CITYRESEARCH_DATA_MIRROR" not in os.environ and _MIRROR.is_dir():
    os.environ["CITYRESEARCH_DATA_MIRROR"] = str(_MIRROR)
os.environ.setdefault("CITYRESEARCH_CACHE", str(ROOT / ".cache" / "cityresearch"))


@pytest.fixture
def mirror() -> Path:
    path = os.environ.get("CITYRESEARCH_DATA_MIRROR")
    if not path:
        pytest.skip("no data mirror configured")
    return Path(path)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """An empty cache and no mirror: what a new user's machine has."""
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CITYRESEARCH_DATA_MIRROR", raising=False)
    return tmp_path
