"""The dataset specs: parametrised over every spec, no hard-coded counts."""

import csv
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from cityresearch import data, regions
from cityresearch.data import _docs, _fetch, _spec

ROOT = Path(__file__).resolve().parents[1]
SPECS = _spec.all_specs()
PARSED = [n for n, s in SPECS.items() if not s.file_only]
FILE_ONLY = [n for n, s in SPECS.items() if s.file_only]
DOC_FILES = {"README.md", "LICENSE"}


@pytest.mark.parametrize("name", list(SPECS))
def test_spec_is_complete(name):
    s = SPECS[name]
    assert s.title and s.coverage and s.kind
    assert s.version >= 1
    assert set(s.depends_on) <= set(SPECS) and name not in s.depends_on
    if not s.file_only:
        assert s.schema, "a parsed dataset documents its columns"
        assert len({c.name for c in s.schema}) == len(s.schema)
        for c in s.schema:
            assert c.dtype in ("str", "int", "float", "bool", "geometry")
    # every pattern resolves to pinned (or hash-listed curated) files
    hashes = _spec.input_hashes(s)
    assert hashes and all(len(h) == 64 for h in hashes.values())
    lic = data.datasets().set_index("name").loc[name, "license"]
    assert lic


def test_every_pinned_file_belongs_to_a_dataset():
    claimed = {r.key for s in SPECS.values() for r in _spec.records(s)}
    unclaimed = [
        k
        for k, r in _fetch.registry().items()
        if k not in claimed and r.path.rsplit("/", 1)[-1] not in DOC_FILES
    ]
    assert unclaimed == []


@pytest.mark.data
def test_every_mirrored_kind_has_a_dataset(mirror):
    rows = list(csv.DictReader((mirror / "MANIFEST.csv").open(encoding="utf-8")))
    assert {r["kind"] for r in rows} <= {s.kind for s in SPECS.values()}


@pytest.mark.data
@pytest.mark.parametrize("name", PARSED)
def test_loaded_frame_matches_its_schema(name):
    frame = data.load(name)
    _spec.check_schema(SPECS[name], frame)  # also after the (Geo)Parquet round trip
    assert len(frame) > 0
    if SPECS[name].geo:
        assert frame.crs.to_epsg() == 4326


@pytest.mark.data
@pytest.mark.parametrize("name", FILE_ONLY)
def test_file_only_dataset_gives_verified_paths(name):
    paths = data.load(name)
    recs = {r.path: r for r in _spec.records(SPECS[name])}
    assert set(paths) == set(recs)
    for path, local in paths.items():
        assert _fetch._sha256(local) == recs[path].sha256


def test_cache_keys_are_derived_from_version_files_and_dependencies(monkeypatch):
    before = {n: data.cache_key(n) for n in SPECS}
    assert len(set(before.values())) == len(before)  # no two datasets share a key
    bumped = dict(SPECS)
    bumped["district_panel"] = dataclasses.replace(SPECS["district_panel"], version=99)
    monkeypatch.setattr(_spec, "_all", lambda: bumped)
    _spec.cache_key.cache_clear()
    try:
        after = {n: data.cache_key(n) for n in SPECS}
    finally:
        _spec.cache_key.cache_clear()
    changed = {n for n in SPECS if after[n] != before[n]}
    # the bumped dataset and those depending on it, nothing else
    assert changed == {"district_panel", "grdp_per_capita"}


def test_cache_key_follows_a_file_hash(monkeypatch):
    key = data.cache_key("code_crosswalk")
    reg = dict(_fetch.registry())
    (rec,) = _spec.records(SPECS["code_crosswalk"])
    reg[rec.key] = dataclasses.replace(rec, sha256="0" * 64)
    monkeypatch.setattr(_fetch, "registry", lambda: reg)
    _spec.cache_key.cache_clear()
    try:
        assert data.cache_key("code_crosswalk") != key
    finally:
        _spec.cache_key.cache_clear()


def test_docs_match_the_specs():
    for path, text in _docs.render(ROOT).items():
        assert path.read_text("utf-8") == text, (
            f"{path.relative_to(ROOT)} is out of date: run `python -m cityresearch.data._docs`"
        )


def test_report_data_page_lists_every_dataset_and_the_nc_licence():
    page = _docs.data_page_html(status=False)
    for name in SPECS:
        assert f"<code>{name}</code>" in page
    assert "non-commercial" in page


def test_sources_carry_licences_and_terms():
    src = data.sources(["poverty_kabkota"])
    assert src["license"].item().startswith("CC-BY-NC-SA-4.0")
    assert "non-commercial" in src["licence_note"].item()
    by_dataset = data.sources(["district_panel"])  # dataset names work too
    assert by_dataset["kind"].tolist() == ["grdp"] and by_dataset["licence_note"].item() == ""
    allsrc = data.sources()
    assert set(allsrc["kind"]) == set(_fetch.kinds()) | {"curated"}


def test_credit_line_keeps_the_terms():
    line = data.credit("poverty_kabkota", "district_panel")
    assert "Miranti" in line and "non-commercial use only" in line
    assert "doi:10.5281/zenodo.4428102" in line and "CC-BY-4.0" in line


def test_curated_tables_are_hash_listed_and_inside_the_package():
    table = _spec.curated_table()
    curated = [s for s in SPECS.values() if s.kind == "curated"]
    assert {f for s in curated for f in s.files} == set(table)
    for file, row in table.items():
        path = _spec.curated_path(file)
        assert ROOT / "src" / "cityresearch" in path.parents  # not the repository's data/
        assert _fetch._sha256(path) == row["sha256"] and path.stat().st_size == int(row["bytes"])
    st = data.status()
    assert st.loc[st["kind"] == "curated", "verified"].all()


def test_every_shipped_curated_table_is_described_by_its_spec():
    """Adding a curated table is one spec: description, licence and citation live there."""
    import html

    shipped = sorted(p.name for p in data.CURATED_DIR.glob("*.csv"))
    assert set(shipped) == set(_spec.curated_table())
    page = _docs.curated_tables_html()
    for file in shipped:
        s = _spec.curated_spec(file)
        assert s.kind == "curated" and file in s.files
        assert len(s.description) > 40 and s.licence and s.citation
        assert html.escape(s.description) in page and html.escape(s.licence) in page
        with open(_spec.curated_path(file), encoding="utf-8", newline="") as f:
            n_rows = len(list(csv.reader(f))) - 1
        assert f"<td><code>{file}</code></td><td>{n_rows}</td>" in page
    for s in SPECS.values():  # external datasets take licence and citation from the registry
        if s.kind != "curated":
            assert not (s.description or s.licence or s.citation), s.name
    st = data.status().set_index("path")
    for file in shipped:
        assert st.loc[f"curated/{file}", "license"] == _spec.curated_spec(file).licence


def test_curated_table_without_a_spec_is_refused():
    from cityresearch._errors import DatasetNotFoundError

    with pytest.raises(DatasetNotFoundError, match="specs/curated.py"):
        _spec.curated_spec("nobody.csv")


def test_pin_curated_adds_the_row_of_a_new_table(tmp_path, monkeypatch):
    """The curate script's pin_curated lists a new table's hash; nothing else is hand-edited."""
    import hashlib

    folder = tmp_path / "curated"
    folder.mkdir()
    (folder / "new.csv").write_text("bps_code,x\n3505,1\n", "utf-8")
    res = tmp_path / "_resources"
    res.mkdir()
    (res / "curated.csv").write_text("file,sha256,bytes\n", "utf-8")
    spec = dataclasses.replace(SPECS["smart_city_cohorts"], name="new", files=("new.csv",))
    monkeypatch.setattr(_spec, "curated_path", lambda f: folder / f)
    monkeypatch.setattr(_spec, "_all", lambda: {"new": spec})
    try:
        row = _spec.pin_curated("new.csv", resources_dir=res)
    finally:
        _spec.curated_table.cache_clear()
    want = hashlib.sha256(b"bps_code,x\n3505,1\n").hexdigest()
    assert row == {"file": "new.csv", "sha256": want, "bytes": "18"}  # 11 + 7 bytes
    assert (res / "curated.csv").read_text("utf-8") == f"file,sha256,bytes\nnew.csv,{want},18\n"


def test_edited_curated_table_is_refused(tmp_path, monkeypatch):
    from cityresearch._errors import HashMismatchError

    copy = tmp_path / "curated"
    copy.mkdir()
    text = _spec.curated_path("smart_city_cohorts.csv").read_text("utf-8")
    (copy / "smart_city_cohorts.csv").write_text(text.replace("Pelalawan", "Pelalawen"), "utf-8")
    monkeypatch.setattr(_spec, "curated_path", lambda f: copy / f)
    with pytest.raises(HashMismatchError, match="curate_"):
        data.load("smart_city_cohorts")


@pytest.mark.slow
def test_installed_copy_ships_and_loads_curated_tables(tmp_path):
    """A non-editable build (setuptools build_py, as a wheel gets it) loads the curated tables."""
    import shutil

    pytest.importorskip(
        "setuptools",
        reason="the build backend is not in this environment "
        "(Python 3.12+ venvs come without setuptools)",
    )
    src = tmp_path / "checkout"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__"))
    lib = tmp_path / "lib"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from setuptools import setup; setup()",
            "-q",
            "build_py",
            "--build-lib",
            str(lib),
        ],
        cwd=src,
        check=True,
        capture_output=True,
    )
    for file in _spec.curated_table():
        assert (lib / "cityresearch" / "data" / "curated" / file).is_file()
    for spec in SPECS.values():
        if spec.parse is not None:
            assert (lib / (spec.parse.__module__.replace(".", "/") + ".py")).is_file()
    code = (
        "import cityresearch.data as d; c = d.load('smart_city_cohorts'); "
        "q = d.load('service_quality'); print(d.__file__, len(c), len(q))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(lib), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0].startswith(str(lib)) and out[1:] == ["98", "893"]


@pytest.mark.data
def test_adding_a_dataset_is_one_spec_module(tmp_path, monkeypatch, mirror):
    """Proof that it grows: a new module in the specs package is all a dataset needs."""
    from cityresearch.data import specs

    pkg = tmp_path / "extra"
    pkg.mkdir()
    (pkg / "zz_demo_provinces.py").write_text(
        "from cityresearch.data._spec import Column, Dataset\n"
        "def _parse(paths, deps):\n"
        "    import pandas as pd\n"
        "    return pd.read_csv(paths[0], dtype=str)[['kode_bps', 'nama_bps']]\n"
        "DATASETS = [Dataset(name='demo_provinces', title='demo', kind='codes',\n"
        "    files=('englandrc/IndonesiaCrosswalk/*/csv/crosswalk_provinsi.csv',),\n"
        "    parse=_parse, schema=(Column('kode_bps', 'str'), Column('nama_bps', 'str')),\n"
        "    coverage='34 provinces')]\n"
    )
    monkeypatch.setattr(specs, "__path__", [*specs.__path__, str(pkg)])
    _spec._all.cache_clear()
    try:
        assert "demo_provinces" in set(data.datasets()["name"])
        demo = data.load("demo_provinces")
        assert demo.set_index("kode_bps").loc["35", "nama_bps"] == "JAWA TIMUR"
        assert "`demo_provinces`" in _docs.readme_table()
    finally:
        monkeypatch.undo()
        _spec._all.cache_clear()
        _spec.cache_key.cache_clear()
    assert "demo_provinces" not in set(data.datasets()["name"])


@pytest.mark.data
def test_registry_joins_boundaries_in_memory(monkeypatch):
    """A registry change is served at once: the join is not cached with the shapes."""
    kab = data.load_boundaries("kabkota")
    table = regions.region_table()
    table.loc[table["bps_code"] == "3505", "name"] = "Kabupaten Blitar (renamed)"
    monkeypatch.setattr(regions, "region_table", lambda: table.copy())
    again = data.load_boundaries("kabkota").set_index("bps_code")
    assert again.loc["3505", "name"] == "Kabupaten Blitar (renamed)"
    assert again.geometry.loc["3505"].equals(kab.set_index("bps_code").geometry.loc["3505"])


@pytest.mark.data
def test_registry_key_follows_registry_inputs(monkeypatch):
    key = regions.registry_key()
    monkeypatch.setattr(regions, "REGISTRY_VERSION", regions.REGISTRY_VERSION + 1)
    assert regions.registry_key() != key


def test_unknown_dataset_lists_the_names():
    from cityresearch._errors import DatasetNotFoundError

    with pytest.raises(DatasetNotFoundError, match="poverty_kabkota"):
        data.load("poverty")


# --- files pinned in the spec itself (issue #14: a new source is one spec) -----------------

_NEW_CSV = b"kode,nilai_idr_bn\n3501,12.5\n3502,7.25\n3503,0.5\n"
_NEW_KEY = "example-org/new-source/0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c/data/values.csv"
_SPEC_MODULE = """
from cityresearch.data._spec import Column, Dataset, PinnedFile

CALLS = []


def _parse(paths, deps):
    import pandas as pd

    CALLS.append(paths)
    return pd.read_csv(paths[0], dtype={{"kode": str}}).rename(columns={{"kode": "bps_code"}})


DATASETS = [
    Dataset(
        name="zz_new_source",
        title="a dataset from a repository the file table does not know",
        kind="zz_new_source",
        pinned=(
            PinnedFile(
                key={key!r},
                url="https://raw.githubusercontent.com/" + {key!r},
                sha256={sha!r},
                bytes={size},
                license="CC-BY-4.0",
                citation="Example Org (2026), new source values",
            ),
        ),
        parse=_parse,
        schema=(Column("bps_code", "str"), Column("nilai_idr_bn", "float", "IDR billion")),
        coverage="3 kab/kota",
    )
]
"""


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def new_source(tmp_path, monkeypatch):
    """A spec module (outside the package) pinning a file served by a tmp mirror."""
    from cityresearch.data import specs

    mirror = tmp_path / "mirror"
    (mirror / _NEW_KEY).parent.mkdir(parents=True)
    (mirror / _NEW_KEY).write_bytes(_NEW_CSV)
    pkg = tmp_path / "extra"
    pkg.mkdir()
    (pkg / "zz_new_source.py").write_text(
        _SPEC_MODULE.format(key=_NEW_KEY, sha=_sha(_NEW_CSV), size=len(_NEW_CSV))
    )
    monkeypatch.setenv("CITYRESEARCH_DATA_MIRROR", str(mirror))
    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(specs, "__path__", [*specs.__path__, str(pkg)])

    def clear():
        _spec._all.cache_clear()
        _spec.cache_key.cache_clear()
        _fetch.registry.cache_clear()
        sys.modules.pop("cityresearch.data.specs.zz_new_source", None)

    clear()
    yield mirror
    monkeypatch.undo()
    clear()


def test_a_spec_declared_file_is_fetched_verified_parsed_and_cached(new_source, tmp_path):
    frame = data.load("zz_new_source")
    # values as written in the file, units from the spec
    assert frame["bps_code"].tolist() == ["3501", "3502", "3503"]
    assert frame["nilai_idr_bn"].tolist() == [12.5, 7.25, 0.5]
    module = sys.modules["cityresearch.data.specs.zz_new_source"]
    assert len(module.CALLS) == 1
    (path,) = module.CALLS[0]
    # the verified copy lies in the cache under the key, byte-identical to the mirror's
    assert path == tmp_path / "cache" / _NEW_KEY and path.read_bytes() == _NEW_CSV
    again = data.load("zz_new_source")  # from the parsed cache: the parser is not run again
    assert len(module.CALLS) == 1 and again.equals(frame)
    # the file joined the one file table that everything else reads
    rec = _fetch.registry()[_NEW_KEY]
    assert (rec.kind, rec.sha256, rec.bytes) == ("zz_new_source", _sha(_NEW_CSV), len(_NEW_CSV))
    assert data.fetch("zz_new_source") == [path] == data.fetch("data/values.csv")
    st = data.status().set_index("path").loc["data/values.csv"]
    assert (st["kind"], bool(st["verified"]), st["license"]) == ("zz_new_source", True, "CC-BY-4.0")
    assert data.sources(["zz_new_source"])["repo"].item() == "example-org/new-source"
    assert "Example Org (2026)" in data.credit("zz_new_source")
    assert "`zz_new_source`" in _docs.readme_table()
    assert "example-org/new-source" in _docs.data_page_html(status=True)


def test_a_spec_declared_file_with_the_wrong_content_is_rejected(new_source):
    from cityresearch._errors import HashMismatchError

    (new_source / _NEW_KEY).write_bytes(_NEW_CSV.replace(b"12.5", b"99.9"))
    with pytest.raises(HashMismatchError, match="values.csv"):
        data.load("zz_new_source")


def test_a_new_source_gets_a_generated_citation_reference(new_source):
    import yaml

    text = _docs.render(ROOT)[ROOT / "CITATION.cff"]
    refs = yaml.safe_load(text)["references"]
    (mine,) = [r for r in refs if "example-org/new-source" in r.get("notes", "")]
    assert mine["title"] == "Example Org (2026), new source values"
    assert mine["authors"] == [{"name": "example-org"}]
    assert mine["repository"] == "https://github.com/example-org/new-source"
    assert mine["commit"] == _NEW_KEY.split("/")[2]
    assert "CC-BY-4.0" in mine["notes"] and "zz_new_source" in mine["notes"]
    # sources already referenced by hand are not repeated
    assert sum("englandrc/IndonesiaCrosswalk" in str(r) for r in refs) == 1


def test_a_key_declared_twice_with_different_hashes_is_refused(tmp_path, monkeypatch):
    from cityresearch._errors import ValidationError
    from cityresearch.data import specs

    (rec,) = _spec.records(SPECS["code_crosswalk"])
    same = _spec.PinnedFile(rec.key, rec.url, rec.sha256, rec.bytes, "MIT", "again")
    merged = _fetch.merge_tables(_fetch.csv_registry(), [("dataset 'x'", same.record("x"))])
    assert merged[rec.key] == rec  # the same file declared again: one row, the first
    other = dataclasses.replace(same, sha256="0" * 64)
    with pytest.raises(ValidationError, match=r"declared twice.*registry\.csv.*dataset 'y'"):
        _fetch.merge_tables(_fetch.csv_registry(), [("dataset 'y'", other.record("y"))])
    # and through discovery: the file table is refused when it is built
    pkg = tmp_path / "extra"
    pkg.mkdir()
    (pkg / "zz_conflict.py").write_text(
        "from cityresearch.data._spec import Dataset, PinnedFile\n"
        f"F = PinnedFile({rec.key!r}, {rec.url!r}, {'0' * 64!r}, {rec.bytes}, 'MIT', 'c')\n"
        "DATASETS = [Dataset(name='zz_conflict', title='t', kind='codes', pinned=(F,),"
        " coverage='c')]\n"
    )
    monkeypatch.setattr(specs, "__path__", [*specs.__path__, str(pkg)])
    _spec._all.cache_clear()
    _fetch.registry.cache_clear()
    try:
        with pytest.raises(ValidationError, match="zz_conflict"):
            _fetch.registry()
    finally:
        monkeypatch.undo()
        _spec._all.cache_clear()
        _fetch.registry.cache_clear()
        sys.modules.pop("cityresearch.data.specs.zz_conflict", None)
    assert _fetch.registry()[rec.key] == rec


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"key": "../escape/file.csv"}, "relative path"),
        ({"key": "/abs/owner/file.csv"}, "relative path"),
        ({"key": "single"}, "relative path"),
        ({"url": "http://example.org/f.csv"}, "https://"),
        ({"sha256": "ABC"}, "64 lowercase hex"),
        ({"bytes": 0}, "positive integer"),
        ({"license": " "}, "license is empty"),
        ({"citation": ""}, "citation is empty"),
    ],
)
def test_a_badly_pinned_file_is_refused_when_declared(change, match):
    from cityresearch._errors import ValidationError

    good = {
        "key": "o/r/c/f.csv",
        "url": "https://example.org/f.csv",
        "sha256": "a" * 64,
        "bytes": 1,
        "license": "MIT",
        "citation": "c",
    }
    _spec.PinnedFile(**good)  # valid as given
    with pytest.raises(ValidationError, match=match):
        _spec.PinnedFile(**{**good, **change})


def test_a_spec_without_files_is_refused():
    from cityresearch._errors import ValidationError

    with pytest.raises(ValidationError, match="reads no file"):
        _spec.Dataset(name="x", title="t", kind="k")
    with pytest.raises(ValidationError, match="tuple of PinnedFile"):
        _spec.Dataset(name="x", title="t", kind="k", pinned=("o/r/c/f.csv",))  # type: ignore[arg-type]
