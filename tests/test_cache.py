"""Parsed-cache integrity (trustworthy inputs): hashes, rebuilds, concurrency, read-only caches."""

import errno
import json
import threading
import warnings

import pandas as pd
import pytest

from cityresearch import data, settings
from cityresearch._errors import CacheWarning, DataUnavailableError
from cityresearch.data import _cache, _fetch

KEY = (
    "englandrc/IndonesiaCrosswalk/1a556d225306a7bdcddce7b0fd4d27bdf8f5fe88/"
    "csv/crosswalk_kabupaten.csv"
)


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache and no remembered warnings or in-memory frames."""
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(_fetch, "_WARNED", set())
    monkeypatch.setattr(_fetch, "_FALLBACK", {})
    monkeypatch.setattr(_cache, "_MEMORY", {})
    return tmp_path / "cache"


def _entry(name):
    (manifest,) = (settings.get_cache_folder() / "parsed").glob(f"{name}-*.json")
    meta = json.loads(manifest.read_text())
    return manifest, manifest.parent / meta["file"], meta


@pytest.mark.data
def test_manifest_records_frame_and_input_hashes(fresh, mirror):
    cw = data.load("code_crosswalk")
    _manifest, parquet, meta = _entry("code_crosswalk")
    assert meta["key"] == data.cache_key("code_crosswalk")
    assert meta["inputs"][KEY] == _fetch.registry()[KEY].sha256
    assert meta["sha256"] == _fetch._sha256(parquet) and meta["bytes"] == parquet.stat().st_size
    assert len(cw) == 514


@pytest.mark.data
@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "manifest", "missing"])
def test_damaged_cache_is_rebuilt_with_a_warning(fresh, mirror, damage):
    good = data.load("code_crosswalk")
    manifest, parquet, _meta = _entry("code_crosswalk")
    raw = parquet.read_bytes()
    if damage == "flip":  # one bit in the middle of the data pages
        i = len(raw) // 2
        parquet.write_bytes(raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1 :])
    elif damage == "truncate":
        parquet.write_bytes(raw[: len(raw) // 3])
    elif damage == "empty":
        parquet.write_bytes(b"")
    elif damage == "manifest":
        manifest.write_text("{not json")
    else:
        parquet.unlink()
    with pytest.warns(CacheWarning, match="code_crosswalk.*corrupt.*rebuilt"):
        again = data.load("code_crosswalk")
    pd.testing.assert_frame_equal(again, good)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)  # repaired: no warning the next time
        pd.testing.assert_frame_equal(data.load("code_crosswalk"), good)


def test_corrupt_geoparquet_is_rebuilt(fresh):
    import geopandas as gpd
    import shapely

    calls = []

    def build():
        calls.append(1)
        return gpd.GeoDataFrame(
            {"kode": ["35.05", "35.72"]},
            crs="EPSG:4326",
            geometry=[shapely.box(112, -8.3, 112.5, -8), shapely.box(0, 0, 1, 1)],
        )

    good = _cache.load_or_build("geo", "g" * 16, {}, build, geo=True)
    _, parquet, _ = _entry("geo")
    raw = bytearray(parquet.read_bytes())
    raw[len(raw) // 2] ^= 0x80
    parquet.write_bytes(bytes(raw))
    with pytest.warns(CacheWarning, match="SHA-256"):
        again = _cache.load_or_build("geo", "g" * 16, {}, build, geo=True)
    assert calls == [1, 1] and again.geom_equals(good).all() and again.crs == good.crs


def test_concurrent_writers_in_threads(fresh):
    frame = pd.DataFrame({"a": range(20000), "b": [str(i) for i in range(20000)]})
    results, errors = [], []
    start = threading.Barrier(8)

    def work():
        try:
            start.wait()
            results.append(_cache.load_or_build("threads", "k" * 16, {}, lambda: frame.copy()))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 8 and all(r.equals(frame) for r in results)
    folder = fresh / "parsed"
    assert not list(folder.glob(".*.tmp"))  # every temporary file was moved or removed
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        assert _cache.load_or_build("threads", "k" * 16, {}, lambda: 1 / 0).equals(frame)


def test_concurrent_writers_in_processes(fresh, tmp_path):
    import subprocess
    import sys

    # Each writer reports its own result, then leaves with os._exit: pyarrow's thread pool can
    # abort ("terminate called without an active exception") during interpreter teardown on a
    # loaded machine, after the work under test is done; that crash is not what is tested here.
    code = (
        "import os, sys; import pandas as pd; from cityresearch.data import _cache; "
        "f = pd.DataFrame({'a': range(50000)}); "
        "r = _cache.load_or_build('procs', 'p' * 16, {}, lambda: f); "
        "print('ok' if r.equals(f) else 'differs', flush=True); os._exit(0)"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    assert [p.communicate()[0].strip() for p in procs] == ["ok", "ok", "ok"]
    out = _cache.load_or_build("procs", "p" * 16, {}, lambda: 1 / 0)
    assert out["a"].tolist() == list(range(50000))


@pytest.mark.data
def test_read_only_cache_works_in_memory_with_one_warning(tmp_path, monkeypatch, mirror):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(_fetch, "_WARNED", set())
    monkeypatch.setattr(_fetch, "_FALLBACK", {})
    monkeypatch.setattr(_cache, "_MEMORY", {})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cw = data.load("code_crosswalk")
        again = data.load("code_crosswalk")
        hist = data.load("code_history")
    ours = [w for w in caught if issubclass(w.category, CacheWarning)]
    assert len(ours) == 1 and "cannot be written" in str(ours[0].message)
    assert "CITYRESEARCH_CACHE" in str(ours[0].message)
    assert len(cw) == 514 and again.equals(cw) and hist["bps_code"].nunique() == 514
    assert not (blocker / "cache").exists()


@pytest.mark.data
def test_non_network_errors_are_not_reported_as_downloads(fresh, mirror, monkeypatch):
    def no_space(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_fetch.shutil, "copyfile", no_space)
    with pytest.raises(OSError, match="No space left") as info:
        data.fetch(KEY)
    assert not isinstance(info.value, DataUnavailableError)
    assert "download" not in str(info.value)


def test_network_errors_are_reported_as_downloads(isolated, monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("CITYRESEARCH_BASE_URL", f"http://127.0.0.1:{port}/")
    with pytest.raises(DataUnavailableError, match="could not download .*ConnectionError"):
        data.fetch(KEY)
