"""Tests of the BPS WebAPI client against a local server on 127.0.0.1.

Nothing here touches the network: the server answers with the recorded
answers of the stadata_flutter_sdk fixtures (kind ``bps_webapi_fixture``),
plus scripted faults. Expected values are read from the fixture files.
"""

import hashlib
import json
import logging
from datetime import datetime

import pytest

from cityresearch import bps, data
from cityresearch._bpsreplay import ReplayServer
from cityresearch._errors import (
    BPSKeyError,
    BPSRequestError,
    ListNotAvailableError,
    MalformedResponseError,
    UnknownVariableError,
    ValidationError,
)

pytestmark = pytest.mark.data

KEY = "s3cr3tKEY42"


@pytest.fixture(scope="module")
def fixtures():
    paths = data.fetch("bps_webapi_fixture")
    return {
        p.name.replace("_fixture.json", ""): json.loads(p.read_text("utf-8"))
        for p in paths
        if p.suffix == ".json"
    }


@pytest.fixture
def server():
    with ReplayServer(KEY, delay=1.0) as s:
        yield s


@pytest.fixture
def client(server, tmp_path):
    return bps.BPSClient(
        KEY,
        base_url=server.url,
        cache_folder=tmp_path / "bps",
        timeout=0.4,
        retries=2,
        backoff=0.01,
    )


def _no_key_anywhere(folder):
    for p in folder.rglob("*"):
        if p.is_file():
            assert KEY.encode() not in p.read_bytes(), p


# ------------------------------------------------------------------ decoding


def test_table_values_equal_fixture(client, fixtures):
    fx = fixtures["dynamic_table_detail"]
    t = client.table(31, domain="7315", years=[1999, 2000, 2001])
    # keys built by hand from the ids: vervar 7315, var 31, turvar 0, th, turth 0
    expected = {
        1999: fx["datacontent"]["7315310990"],
        2000: fx["datacontent"]["73153101000"],
        2001: fx["datacontent"]["73153101010"],
    }
    assert dict(zip(t["year"], t["value"], strict=True)) == {
        1999: 308669.0,
        2000: 311595.0,
        2001: 312473.0,
    }
    assert dict(zip(t["year"], t["value"], strict=True)) == expected
    assert set(t["bps_code"]) == {"7315"} and set(t["name"]) == {"Kabupaten Pinrang"}
    assert set(t["unit"]) == {"Jiwa"} and set(t["variable"]) == {"Jumlah Penduduk"}
    assert set(t["period"]) == {"Tahun"} and t["matched"].all()
    assert list(t["th_id"]) == [99, 100, 101]
    assert t.attrs["unplaced"].empty


def test_decode_uses_label_lists_not_positions(fixtures):
    fx = json.loads(json.dumps(fixtures["dynamic_table_detail"]))
    # ids of different lengths: vervar 7315 / 73, turvar 0 / 150 -- a split by
    # position would go wrong; the decoder builds keys from the lists.
    fx["vervar"] = [{"val": 7315, "label": "Pinrang"}, {"val": 73, "label": "X"}]
    fx["turvar"] = [{"val": 0, "label": "Tidak Ada"}, {"val": 150, "label": "Laki-laki"}]
    fx["datacontent"] = {"7315310990": 1, "7331150990": 2}  # 73|31|150|99|0
    t = bps.decode_table(fx)
    row = t[t["value"] == 2].iloc[0]
    assert (row["vervar_id"], row["turvar_id"], row["th_id"]) == (73, 150, 99)
    assert row["derived_variable"] == "Laki-laki"


def test_decode_refuses_ambiguous_key(fixtures):
    fx = json.loads(json.dumps(fixtures["dynamic_table_detail"]))
    fx["vervar"] = [{"val": 1, "label": "Aceh"}, {"val": 11, "label": "Sumatera Utara"}]
    fx["var"] = [{"val": 1, "label": "v", "unit": "u"}]
    fx["turvar"] = [{"val": 10, "label": "a"}, {"val": 0, "label": "b"}]
    fx["tahun"] = [{"val": 99, "label": "1999"}]
    fx["datacontent"] = {"1110990": 5}  # 1|1|10|99|0 and 11|1|0|99|0
    with pytest.raises(MalformedResponseError, match="fits 2 id combinations"):
        bps.decode_table(fx)


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda fx: fx.pop("turtahun"), "turtahun"),
        (lambda fx: fx.update(vervar=[]), "vervar"),
        (lambda fx: fx.update(datacontent={"999999": 1}), "fit no combination"),
        (lambda fx: fx.update(datacontent=[1, 2]), "datacontent"),
        (lambda fx: fx.update(datacontent={"7315310990": "abc"}), "not numbers"),
        (
            lambda fx: fx.update(
                tahun=[{"val": 99, "label": "Tahun"}], datacontent={"7315310990": 1}
            ),
            "holds no year",
        ),
    ],
)
def test_decode_malformed(fixtures, change, match):
    fx = json.loads(json.dumps(fixtures["dynamic_table_detail"]))
    change(fx)
    with pytest.raises(MalformedResponseError, match=match):
        bps.decode_table(fx, request="list/model/data/x")


def test_provisional_flag_and_missing_marker(fixtures):
    fx = json.loads(json.dumps(fixtures["dynamic_table_detail"]))
    fx["tahun"][2]["label"] = "2001*"
    fx["datacontent"]["73153101000"] = "-"
    t = bps.decode_table(fx)
    by_year = t.set_index("year")
    assert by_year.loc[2001, "flag"] == "*" and by_year.loc[2001, "provisional"]
    assert not by_year.loc[1999, "provisional"]
    assert (
        by_year.loc[2000, "marker"] == "-"
        and by_year.loc[2000, "value"] != by_year.loc[2000, "value"]
    )


def test_unmatched_and_conflicting_region_labels(fixtures):
    fx = json.loads(json.dumps(fixtures["dynamic_table_detail"]))
    fx["vervar"] = [
        {"val": 7315, "label": "Pinrang"},
        {"val": 1234, "label": "Atlantis"},
        {"val": 3505, "label": "Kota Blitar"},
    ]
    fx["datacontent"] = {"7315310990": 1, "1234310990": 2, "3505310990": 3}
    t = bps.decode_table(fx)
    assert len(t) == 3  # nothing dropped
    atl = t[t["value"] == 2].iloc[0]
    assert not atl["matched"] and atl["region"] == "Atlantis"
    assert list(t.attrs["unplaced"]["region"]) == ["Atlantis"]
    # code 3505 is Kabupaten Blitar, the label says Kota Blitar: placed by the label
    blitar = t[t["value"] == 3].iloc[0]
    assert blitar["bps_code"] == "3572"


# ------------------------------------------------------------------ discovery


def test_variables_keyword_and_duplicates(client, fixtures):
    allv = client.variables()
    listed = [v["var_id"] for v in fixtures["variable_list"]["data"][1]]
    assert len(listed) == 10 and len(set(listed)) == 8
    assert sorted(allv["var_id"]) == sorted(set(listed))
    found = client.variables(keyword="penduduk miskin")
    assert list(found["var_id"]) == [192]
    assert "&lt;" not in " ".join(allv["notes"])  # HTML removed


def test_lists(client, fixtures):
    per = client.periods(543)  # a variable not recorded in the table: the period list
    assert list(per["year"]) == list(range(2008, 2018))
    assert dict(zip(per["year"], per["th_id"], strict=True))[2017] == 117
    dv = client.derived_variables(192)
    assert dict(zip(dv["turvar_id"], dv["turvar"], strict=True))[3204] == "Jawa Timur"
    dp = client.derived_periods()
    assert list(dp["turth"][:3]) == ["2024", "2023", "2022"]
    assert list(client.subjects()["title"]) == ["Gender", "Geografi", "Iklim"]
    assert dict(zip(client.units()["unit_id"], client.units()["unit"], strict=True))[7] == "Persen"
    dom = client.domains()
    assert dom.loc[dom["domain_id"] == "7204", "domain_name"].item() == "Poso"


def test_vertical_variables_placed(client):
    vv = client.vertical_variables(domain="7200")
    codes = dict(zip(vv["vervar"].str.strip(), vv["bps_code"], strict=True))
    assert codes["Palu City"] == "7271" and codes["Banggai Laut"] == "7211"
    total = vv[vv["kode_ver_id"] == 9999].iloc[0]
    assert total["level"] == "provinsi" and total["name"] == "Sulawesi Tengah"


def test_years_not_published(client):
    with pytest.raises(ValidationError, match=r"no data for \[1990\].*1999-2001"):
        client.table(31, domain="7315", years=[1990])


@pytest.mark.parametrize("bad", ["35", "jatim", "00000", 3500.5])
def test_domain_validation(client, bad):
    with pytest.raises(ValidationError, match="domain must be 4 digits"):
        client.table(31, domain=bad, th=[99])


# ------------------------------------------------------------------ errors


def test_bad_key(server, tmp_path):
    c = bps.BPSClient("wrongkey", base_url=server.url, cache_folder=tmp_path)
    with pytest.raises(BPSKeyError, match="refused the key") as e:
        c.variables()
    assert "wrongkey" not in str(e.value)
    assert not list(tmp_path.glob("*.body"))  # an error answer is not cached


def test_no_key(server, tmp_path, monkeypatch):
    monkeypatch.delenv("BPS_API_KEY", raising=False)
    c = bps.BPSClient(base_url=server.url, cache_folder=tmp_path)
    with pytest.raises(BPSKeyError, match="BPS_API_KEY"):
        c.variables()
    with pytest.raises(BPSKeyError, match="empty"):
        bps.BPSClient("  ")


def test_key_from_environment(server, tmp_path, monkeypatch):
    monkeypatch.setenv("BPS_API_KEY", KEY)
    c = bps.BPSClient(base_url=server.url, cache_folder=tmp_path)
    assert 192 in set(c.variables()["var_id"])
    assert KEY not in repr(c)


def test_list_not_available(client, server, fixtures):
    server.script("model/var", [fixtures["list_unavailable"]])
    with pytest.raises(ListNotAvailableError, match="list-not-available"):
        client.variables(domain="9471")
    server.script("model/turvar", [fixtures["unavailable"]])
    with pytest.raises(ListNotAvailableError, match="not-available"):
        client.derived_variables(domain="9471")


def test_unknown_variable(client, server, fixtures):
    server.script("model/th", [fixtures["list_unavailable"]])
    with pytest.raises(UnknownVariableError, match="variable 99999 is not published"):
        client.table(99999, domain="0000", years=[2017])


def test_api_error_message(client, server, fixtures):
    server.script("model/unit", [fixtures["error"]])
    with pytest.raises(bps.BPSAPIError, match="There is something wrong"):
        client.units()


@pytest.mark.parametrize(
    "fault, match", [("html", "not JSON .an HTML page"), ("cut-json", "not JSON")]
)
def test_malformed_bodies(client, server, fault, match):
    server.script("model/subject", [fault])
    with pytest.raises(MalformedResponseError, match=match):
        client.subjects()


@pytest.mark.parametrize("faults", [[500], [503, 502], [429], [429, 500], ["truncate"], ["slow"]])
def test_retries_then_success(client, server, faults):
    server.script("model/data", list(faults))
    t = client.table(31, domain="7315", th=[99])
    assert t["value"].tolist() == [308669.0]
    data_requests = [r for r in server.requests if "model/data" in r]
    assert len(data_requests) == len(faults) + 1


@pytest.mark.parametrize(
    "fault, match",
    [
        (500, "HTTP 500"),
        (429, "HTTP 429"),
        ("truncate", "truncated body"),
        ("slow", "no answer within"),
    ],
)
def test_gives_up_without_leaking_key(client, server, tmp_path, caplog, fault, match):
    server.script("model/data", [fault] * 3)
    with caplog.at_level(logging.DEBUG), pytest.raises(BPSRequestError, match=match) as e:
        client.table(31, domain="7315", th=[99])
    assert "after 3 attempts" in str(e.value) and "/key/***/" in str(e.value)
    assert KEY not in str(e.value) and e.value.__context__ is None
    assert KEY not in caplog.text and "/key/***/" in caplog.text
    assert not list((tmp_path / "bps").glob("*data*"))
    _no_key_anywhere(tmp_path)


def test_http_4xx_is_not_retried(client, server):
    server.script("model/subject", [404])
    with pytest.raises(bps.BPSAPIError, match="HTTP 404"):
        client.subjects()
    assert len([r for r in server.requests if "model/subject" in r]) == 1


def test_connection_refused(tmp_path):
    with ReplayServer(KEY) as s:
        url = s.url
    c = bps.BPSClient(
        KEY, base_url=url, cache_folder=tmp_path, timeout=0.3, retries=1, backoff=0.01
    )
    with pytest.raises(BPSRequestError, match="ConnectionRefused") as e:
        c.subjects()
    assert KEY not in str(e.value)


# ------------------------------------------------------------------ cache and provenance


def test_rerun_is_offline_and_identical(server, client, tmp_path, monkeypatch):
    first = client.table(31, domain="7315", years=[1999, 2000, 2001])
    n = len(server.requests)
    monkeypatch.delenv("BPS_API_KEY", raising=False)
    offline = bps.BPSClient(base_url="http://127.0.0.1:9/v1/api/", cache_folder=tmp_path / "bps")
    again = offline.table(31, domain="7315", years=[1999, 2000, 2001])
    assert len(server.requests) == n  # nothing asked
    assert again.drop(columns=[]).equals(first)
    _no_key_anywhere(tmp_path)


def test_provenance_records(client, tmp_path):
    client.table(31, domain="7315", years=[1999, 2000, 2001])
    prov = bps.provenance(cache_folder=tmp_path / "bps")
    tables = bps.provenance(cache_folder=tmp_path / "bps", model="data")
    assert set(prov["model"]) == {"th", "data"} and len(tables) == 2
    assert set(tables["var"]) == {"31"} and set(tables["domain"]) == {"7315"}
    for row in prov.itertuples():
        assert row.request.endswith("/key/***/") and KEY not in row.request
        datetime.fromisoformat(row.retrieved_at)
    # the recorded SHA-256 is the hash of the stored answer
    for meta in (tmp_path / "bps").glob("*.json"):
        m = json.loads(meta.read_text())
        body = meta.with_suffix(".body").read_bytes()
        assert hashlib.sha256(body).hexdigest() == m["sha256"] and len(body) == m["bytes"]
    assert len(client.provenance()) == 3


def test_refresh_reports_changes(client, server, fixtures, tmp_path):
    client.table(31, domain="7315", th=[99])
    revised = json.loads(json.dumps(fixtures["dynamic_table_detail"]))
    revised["tahun"] = revised["tahun"][:1]
    revised["datacontent"] = {"7315310990": 308700}
    server.script("model/data", [revised])
    with pytest.warns(UserWarning, match="1 values changed"):
        t = client.table(31, domain="7315", th=[99], refresh=True)
    ch = t.attrs["changes"]
    assert ch[["old_value", "value"]].values.tolist() == [[308669.0, 308700.0]]
    tables = bps.provenance(cache_folder=tmp_path / "bps", model="data")
    assert tables["changed"].tolist() == [True]
    # unchanged refresh: nothing reported
    server.script("model/data", [revised])
    t2 = client.table(31, domain="7315", th=[99], refresh=True)
    assert t2.attrs["changes"].empty


def test_damaged_cache_is_refetched(client, server, tmp_path):
    client.subjects()
    body = next((tmp_path / "bps").glob("*.body"))
    body.write_bytes(body.read_bytes()[:-5] + b"XXXXX")
    with pytest.warns(UserWarning, match="does not match its SHA-256"):
        s = client.subjects()
    assert len(s) == 3
    assert len([r for r in server.requests if "model/subject" in r]) == 2


def test_scrub():
    assert bps.scrub("x/key/abc/y?key=abc&z=1", key="abc") == "x/key/***/y?key=***&z=1"
    assert (
        bps.scrub("https://h/v1/api/list/model/var/key/Zq9/")
        == "https://h/v1/api/list/model/var/key/***/"
    )


def test_report_data_page_lists_api_tables(server, tmp_path, monkeypatch):
    """The report's data page lists the WebAPI tables of the default cache, without the key."""
    from cityresearch import report

    monkeypatch.setenv("CITYRESEARCH_CACHE", str(tmp_path))
    assert "BPS WebAPI tables (0)" in report._api_tables_html()
    c = bps.BPSClient(key=KEY, base_url=server.url, cache_folder=tmp_path / "bps-api")
    c.table(31, domain="7315", years=[1999, 2000, 2001])
    page = report._api_tables_html()
    stored = bps.provenance(model="data")
    assert f"BPS WebAPI tables ({len(stored)})" in page and len(stored) == 2
    for row in stored.itertuples():
        assert row.sha256 in page and row.request.replace("&", "&amp;") in page
    assert KEY not in page
