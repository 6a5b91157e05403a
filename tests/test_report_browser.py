"""The report opens in a real browser without a network.

Headless Chromium (Debian package ``chromium``; ``.ci/run`` installs it) loads
``index.html`` and one notebook page of a freshly built report. Every request
that is not a local file is blocked and recorded; the test fails on any such
request and on any console error or uncaught exception, and saves a
screenshot of each page under the test's output folder.
Driven through the Chrome DevTools Protocol with ``websocket-client``.
"""

import base64
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from cityresearch import report

websocket = pytest.importorskip("websocket")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
    ),
]


class Browser:
    def __init__(self, profile_dir: Path):
        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile_dir}",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-sync",
                "about:blank",
            ],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        url = None
        deadline = time.time() + 60
        while time.time() < deadline and url is None:
            line = self.proc.stderr.readline()
            if "DevTools listening on" in line:
                url = line.split("DevTools listening on", 1)[1].strip()
        assert url, "chromium did not start"
        port = url.split(":")[2].split("/")[0]
        import urllib.request

        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json").read())
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.n = 0
        self.events = []

    def send(self, method, **params):
        self.n += 1
        my = self.n
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my:
                return msg.get("result", {})
            self._event(msg)

    def _event(self, msg):
        if msg.get("method") == "Fetch.requestPaused":
            p = msg["params"]
            url = p["request"]["url"]
            self.events.append(("request", url))
            self.n += 1
            if url.startswith(("file:", "data:", "about:")):
                self.ws.send(
                    json.dumps(
                        {
                            "id": self.n,
                            "method": "Fetch.continueRequest",
                            "params": {"requestId": p["requestId"]},
                        }
                    )
                )
            else:
                self.events.append(("blocked", url))
                self.ws.send(
                    json.dumps(
                        {
                            "id": self.n,
                            "method": "Fetch.failRequest",
                            "params": {
                                "requestId": p["requestId"],
                                "errorReason": "BlockedByClient",
                            },
                        }
                    )
                )
        elif msg.get("method") == "Runtime.consoleAPICalled" and msg["params"]["type"] == "error":
            self.events.append(("console", str(msg["params"]["args"])[:300]))
        elif msg.get("method") == "Runtime.exceptionThrown":
            self.events.append(("exception", str(msg["params"]["exceptionDetails"])[:300]))
        elif msg.get("method") == "Log.entryAdded" and msg["params"]["entry"]["level"] == "error":
            self.events.append(("log", msg["params"]["entry"].get("text", "")[:300]))

    def load(self, url, seconds=4.0):
        self.send("Page.navigate", url=url)
        end = time.time() + seconds
        self.ws.settimeout(0.5)
        while time.time() < end:
            try:
                self._event(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                pass
        self.ws.settimeout(60)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def test_report_loads_offline_without_errors(tmp_path, request):
    d = tmp_path / "nbs"
    d.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Offline study\n\n**Question.** Does it load? Yes.\n\nInline math $x^2$ and a table."
        ),
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nimport pandas as pd\n"
            "plt.plot([1, 2], [3, 4]); plt.show()\npd.DataFrame({'a': [1]})"
        ),
    ]
    nbformat.write(nb, d / "01_offline.ipynb")
    out = tmp_path / "reports"
    report.build_report(d, out, progressbar=False)
    shots = Path(tempfile.mkdtemp(prefix="screenshots-", dir=tmp_path))
    browser = Browser(tmp_path / "chrome-profile")
    try:
        for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
            browser.send(method)
        browser.send("Fetch.enable", patterns=[{"urlPattern": "*"}])
        for page in ("index.html", "01_offline.html", "data.html"):
            browser.load((out / page).resolve().as_uri())
            png = browser.send("Page.captureScreenshot", format="png")["data"]
            (shots / f"{page}.png").write_bytes(base64.b64decode(png))
            assert (shots / f"{page}.png").stat().st_size > 2_000
    finally:
        browser.close()
    requested = [u for k, u in browser.events if k == "request"]
    assert any(u.endswith("01_offline.html") for u in requested)
    problems = [e for e in browser.events if e[0] != "request"]
    assert problems == [], f"screenshots in {shots}: {problems[:5]}"
