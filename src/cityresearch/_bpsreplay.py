"""A local stand-in for the BPS WebAPI that serves recorded answers (private).

Used by the tests and by notebook 06 when no ``BPS_API_KEY`` is set: it
listens on the loopback address only (``127.0.0.1``, a free port) and answers
the request paths of :class:`cityresearch.bps.BPSClient` with the recorded
answers of a public BPS WebAPI SDK (kind ``bps_webapi_fixture`` in the data
registry, MIT licence). What it changes, and why:

- a recording holds one page of a list; it is served as the only page
  (``pages`` 1), so clients do not ask for pages nobody recorded;
- a recorded dynamic table is served trimmed to the periods (``th``) the
  request asks for, as the API does; its ``tahun`` list also answers the
  period list (``model=th``) of that variable and domain.

Faults can be scripted per request (HTTP status codes, a slow answer, a
truncated or non-JSON body) to test the client's retries and errors. The
server checks the key like the API does: a wrong key gets the API's
``{"status": "Error", ...}`` answer.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_FIXTURES = {
    "var": "variable_list_fixture.json",
    "vervar": "vertical_variable_list_fixture.json",
    "th": "period_list_fixture.json",
    "turth": "derived_period_list_fixture.json",
    "turvar": "derived_variable_list_fixture.json",
    "subject": "subject_list_fixture.json",
    "unit": "unit_list_fixture.json",
    "data": "dynamic_table_detail_fixture.json",
    "domain": "domain_list_fixture.json",
}

KEY_ERROR = {
    "status": "Error",
    "message": "You are not Allowed to take this action. Please re-check your key",
}


def fixture_dir() -> Path:
    """Folder of the recorded SDK answers (fetched and verified by the data layer)."""
    from cityresearch import data

    paths = data.fetch("bps_webapi_fixture")
    return next(p.parent for p in paths if p.name == "dynamic_table_detail_fixture.json")


def parse_path(path: str) -> dict:
    """Turn ``/v1/api/list/model/data/domain/7315/var/31/key/K/`` into a dict."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    if parts[:2] == ["v1", "api"]:
        parts = parts[2:]
    out = {"head": parts[0] if parts else ""}
    rest = parts[1:]
    for i in range(0, len(rest) - 1, 2):
        out[rest[i]] = rest[i + 1]
    return out


class ReplayServer:
    """Serve recorded BPS WebAPI answers on 127.0.0.1.

    Parameters
    ----------
    key : str
        The key the server accepts.
    recordings : dict, optional
        model -> JSON object; default the SDK recordings (:func:`fixture_dir`).
    delay : float
        Seconds a ``"slow"`` fault waits before answering.

    Examples
    --------
    >>> with ReplayServer() as server:                       # doctest: +SKIP
    ...     client = BPSClient("testkey", base_url=server.url)
    """

    def __init__(self, key: str = "testkey", *, recordings: dict | None = None, delay: float = 2.0):
        self.key = key
        self.delay = delay
        if recordings is None:
            folder = fixture_dir()
            recordings = {
                m: json.loads((folder / f).read_text("utf-8")) for m, f in _FIXTURES.items()
            }
        self.recordings = recordings
        self.faults: list[tuple[str, list]] = []
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- faults
    def script(self, contains: str, faults: list) -> None:
        """Answer the next requests whose path contains ``contains`` with ``faults``
        in turn: an HTTP status (``500``, ``429``), ``"slow"``, ``"truncate"``
        (a body shorter than its Content-Length), ``"html"`` (a non-JSON page),
        ``"cut-json"`` (complete transfer of half a JSON document) or a dict (sent
        as the JSON answer)."""
        with self._lock:
            self.faults.append((contains, list(faults)))

    def _fault_for(self, path: str):
        with self._lock:
            for contains, faults in self.faults:
                if contains in path and faults:
                    return faults.pop(0)
        return None

    # ---------------------------------------------------------------- answers
    def answer(self, path: str) -> tuple[int, bytes]:
        """Return (status, body) for a request path (no fault applied)."""
        q = parse_path(path)
        if q.get("key") != self.key:
            return 200, json.dumps(KEY_ERROR).encode()
        model = q.get("model") if q["head"] == "list" else q["head"]
        rec = self.recordings.get(model)
        if rec is None:
            return 404, b"404 - Unable to resolve the request"
        rec = json.loads(json.dumps(rec))  # a copy
        table = self.recordings.get("data")
        if (
            model == "th"
            and table
            and q.get("var")
            and any(str(v["val"]) == q["var"] for v in table.get("var", []))
        ):
            items = [{"th_id": t["val"], "th": t["label"]} for t in table["tahun"]]
            rec = {
                "status": "OK",
                "data-availability": "available",
                "data": [
                    {
                        "page": 1,
                        "pages": 1,
                        "per_page": 10,
                        "count": len(items),
                        "total": len(items),
                    },
                    items,
                ],
            }
        elif model == "data":
            if q.get("var") and not any(str(v["val"]) == q["var"] for v in rec.get("var", [])):
                return 200, json.dumps(
                    {"status": "OK", "data-availability": "list-not-available", "data": ""}
                ).encode()
            if q.get("th"):
                want = {int(t) for t in q["th"].replace("%3B", ";").split(";") if t}
                keep = [t for t in rec["tahun"] if int(t["val"]) in want]
                if not keep:
                    return 200, json.dumps(
                        {"status": "OK", "data-availability": "list-not-available", "data": ""}
                    ).encode()
                rec["tahun"] = keep
                allowed = {
                    f"{a['val']}{b['val']}{c['val']}{d['val']}{e['val']}"
                    for a, b, c, d, e in itertools.product(
                        rec["vervar"], rec["var"], rec["turvar"], keep, rec["turtahun"]
                    )
                }
                rec["datacontent"] = {k: v for k, v in rec["datacontent"].items() if k in allowed}
        elif isinstance(rec.get("data"), list) and len(rec["data"]) == 2:
            items = rec["data"][1]
            rec["data"][0] = {**rec["data"][0], "page": 1, "pages": 1, "count": len(items)}
        return 200, json.dumps(rec, ensure_ascii=False).encode("utf-8")

    # ---------------------------------------------------------------- server
    def __enter__(self) -> ReplayServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output and logs quiet
                pass

            def do_GET(self):  # noqa: N802 (http.server's name)
                owner.requests.append(self.path)
                fault = owner._fault_for(self.path)
                status, body = owner.answer(self.path)
                ctype = "application/json"
                if isinstance(fault, int):
                    status, body = fault, b'{"status":"Error","message":"server error"}'
                elif isinstance(fault, dict):
                    status, body = 200, json.dumps(fault).encode()
                elif fault == "slow":
                    time.sleep(owner.delay)
                elif fault == "html":
                    ctype, body = "text/html", b"<html><body>Perimeter WAF Block</body></html>"
                elif fault == "cut-json":
                    body = body[: len(body) // 2]
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if status == 429:
                    self.send_header("Retry-After", "0")
                if fault == "truncate":
                    self.send_header("Content-Length", str(len(body) + 500))
                    self.end_headers()
                    try:
                        self.wfile.write(body[: len(body) // 2])
                        self.wfile.flush()
                    except OSError:
                        pass
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:  # the client gave up (timeout)
                    pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the server."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None

    @property
    def url(self) -> str:
        """The API root to pass as ``base_url``."""
        if self._server is None:
            raise RuntimeError("the replay server is not running: use it in a with block")
        return f"http://127.0.0.1:{self._server.server_port}/v1/api/"
