"""The data layer's download, mirror and hash checks, for real."""

import functools
import hashlib
import http.server
import shutil
import threading

import pytest

from cityresearch import data, settings
from cityresearch._errors import (
    DataUnavailableError,
    DatasetNotFoundError,
    HashMismatchError,
)
from cityresearch.data._fetch import find, registry

KEY = (
    "englandrc/IndonesiaCrosswalk/1a556d225306a7bdcddce7b0fd4d27bdf8f5fe88/"
    "csv/crosswalk_provinsi.csv"
)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_registry_pins_every_file():
    import csv

    reg = registry()
    mirror = settings.get_data_mirror()
    manifest = mirror / "MANIFEST.csv" if mirror else None
    if (
        manifest is not None and manifest.is_file()
    ):  # every mirrored file is registered, with the same hash and URL
        rows = list(csv.DictReader(manifest.open(encoding="utf-8")))
        assert len(reg) == len(rows)
        for m in rows:
            rec = reg["/".join([m["owner"], m["repo"], m["commit"], m["path"]])]
            assert (rec.sha256, rec.pinned_url) == (m["sha256"], m["url"])
    assert {"boundaries", "codes", "grdp", "grdp_pc", "reference"} <= {r.kind for r in reg.values()}
    for r in reg.values():
        assert len(r.sha256) == 64 and int(r.sha256, 16) >= 0
        assert r.license and r.citation
        assert r.url.startswith("https://raw.githubusercontent.com/")


def test_mirror_copy_is_verified(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path))
    (path,) = data.fetch(KEY)
    assert path == tmp_path / KEY
    assert sha(path) == registry()[KEY].sha256
    st = data.status().set_index("path")
    assert bool(st.loc["csv/crosswalk_provinsi.csv", "verified"])
    assert not bool(st.loc["gdp/gdp_pc.csv", "cached"])


def test_corrupt_mirror_file_is_rejected(mirror, tmp_path, monkeypatch):
    bad_mirror = tmp_path / "mirror"
    target = bad_mirror / KEY
    target.parent.mkdir(parents=True)
    target.write_bytes((mirror / KEY).read_bytes().replace(b"ACEH", b"ACEX"))
    monkeypatch.setenv("CITYRESEARCH_DATA_MIRROR", str(bad_mirror))
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path / "cache"))
    with pytest.raises(HashMismatchError, match="wrong SHA-256 and was rejected"):
        data.fetch(KEY)
    assert not (tmp_path / "cache" / KEY).exists()


def test_offline_without_cache_or_mirror(isolated, monkeypatch):
    monkeypatch.setenv("CITYRESEARCH_OFFLINE", "1")
    with pytest.raises(DataUnavailableError, match="CITYRESEARCH_DATA_MIRROR"):
        data.fetch(KEY)


def test_missing_from_mirror(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYRESEARCH_DATA_MIRROR", str(tmp_path / "empty"))
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path / "cache"))
    with pytest.raises(DataUnavailableError, match="not in the data mirror"):
        data.fetch(KEY)


def test_unknown_dataset():
    with pytest.raises(DatasetNotFoundError, match="known kinds: .*boundaries.*codes"):
        data.fetch("census_2030")
    kinds = [r.kind for r in registry().values()]
    assert len(find("boundaries")) == kinds.count("boundaries") > 1
    assert [r.path for r in find("gdp/gdp_pc.csv")] == ["gdp/gdp_pc.csv"]


@pytest.mark.data
def test_fetch_by_dataset_name():
    # a dataset name fetches exactly its spec's files
    assert [p.name for p in data.fetch("poverty_kabkota")] == ["poverty.csv"]


@pytest.fixture
def http_mirror(mirror, tmp_path):
    """A real HTTP server on 127.0.0.1 serving a copy of the mirror with one corrupt file."""
    root = tmp_path / "www"
    good = root / KEY
    good.parent.mkdir(parents=True)
    shutil.copyfile(mirror / KEY, good)
    bad_key = KEY.replace("crosswalk_provinsi", "historic_provinsi")
    (root / bad_key).write_bytes(b"kode_1961,nama_1961\n11,TAMPERED\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", bad_key
    server.shutdown()
    server.server_close()


def test_download_over_http(http_mirror, isolated, monkeypatch):
    url, bad_key = http_mirror
    monkeypatch.setenv("CITYRESEARCH_BASE_URL", url)
    (path,) = data.fetch(KEY, progressbar=False)
    assert sha(path) == registry()[KEY].sha256
    # second call: served from the cache, even with the server's file gone
    monkeypatch.setattr(settings, "offline", True)
    assert data.fetch(KEY)[0] == path
    monkeypatch.setattr(settings, "offline", None)
    with pytest.raises(HashMismatchError):
        data.fetch(bad_key)
    assert not (settings.get_cache_folder() / bad_key).exists()
    missing = KEY.replace("crosswalk_provinsi", "crosswalk_kabupaten")
    with pytest.raises(DataUnavailableError, match="could not download"):
        data.fetch(missing)
