"""BPS WebAPI client: find a variable, fetch its dynamic table, get a tidy frame.

BPS (Badan Pusat Statistik, Statistics Indonesia) publishes its "tabel
dinamis" through the WebAPI at ``https://webapi.bps.go.id/v1/api/``; a free
key is issued at https://webapi.bps.go.id/developer/. This module asks it for
lists and tables and returns frames keyed by the toolkit's region codes.

Terms
-----
domain
    The BPS site a table belongs to: ``"0000"`` national, ``"3500"`` a
    province (Jawa Timur), ``"3505"`` a kabupaten/kota (Kabupaten Blitar).
variable (``var``)
    A dynamic table's measure, e.g. 413 (Indeks Pembangunan Manusia).
vertical variable (``vervar``)
    The table's rows, mostly regions, identified by their BPS code
    (``9999`` is the total of the domain).
derived variable (``turvar``)
    A breakdown of the variable (sex, urban/rural; ``0`` "Tidak Ada" when none).
period (``th``) and derived period (``turth``)
    Year ids (``117`` is 2017: not the year itself) and sub-periods
    (``0`` "Tahun", months, quarters).
``datacontent``
    The values, keyed by the concatenated ids ``vervar var turvar th turth``
    without a separator (``7315`` ``31`` ``0`` ``99`` ``0`` -> ``"7315310990"``).
    They are decoded by building every key from the label lists, never by
    splitting a key at guessed positions; a key that fits no combination, or
    two, is an error.

The key
-------
Taken from the ``key`` argument or the ``BPS_API_KEY`` environment variable.
The API puts it in the URL path, so every URL this module shows, logs, caches
or puts in an error message has it replaced by ``***``.

Reproducibility
---------------
Every response is stored in the cache folder (``<cache>/bps-api``) with its
provenance: the request without the key, the retrieval time (UTC) and the
SHA-256 of the body. A later call with the same request reads the stored
response, with no network and no key, so a notebook rerun gives identical
numbers; ``refresh=True`` asks the API again and reports what changed.
:func:`provenance` lists every stored response for a report's data page.

This module does not read static tables (HTML in JSON), publications or
press releases, and does not convert BPS codes issued after 2018 for the new
Papua provinces (labels are matched by name when the code and name disagree).
"""

from __future__ import annotations

import hashlib
import http.client
import itertools
import json
import logging
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from cityresearch import settings
from cityresearch._errors import (
    BPSAPIError,
    BPSKeyError,
    BPSRequestError,
    ListNotAvailableError,
    MalformedResponseError,
    UnknownVariableError,
    ValidationError,
    user_stacklevel,
)
from cityresearch._tidy import attr_table, parse_numbers, place_regions, split_mark, tidy_frame

__all__ = [
    "BPSClient",
    "DEFAULT_BASE_URL",
    "provenance",
    "decode_table",
    "scrub",
]

log = logging.getLogger(__name__)

#: The WebAPI root that request paths are appended to.
DEFAULT_BASE_URL = "https://webapi.bps.go.id/v1/api/"
_USER_AGENT = (
    "Mozilla/5.0 (compatible; cityresearch/0.1; +https://github.com/cityresearch/cityresearch)"
)
_KEY_IN_URL = re.compile(r"(/key/)([^/?#]+)|([?&]key=)([^&#]+)", re.I)
_LIST_MODELS = {"var", "subject", "subcat", "th", "turth", "turvar", "vervar", "unit", "data"}


def scrub(text: object, key: str | None = None) -> str:
    """Replace an API key in a URL or message by ``***``.

    Both the path form (``.../key/ABC/``) and the query form (``key=ABC``) are
    scrubbed, and any other occurrence of ``key`` when it is given.

    Parameters
    ----------
    text : object
        A URL, message or exception (converted with ``str``).
    key : str, optional
        The API key to hide wherever it occurs.

    Returns
    -------
    str
        ``text`` with the key replaced by ``***``.

    Examples
    --------
    >>> scrub("https://webapi.bps.go.id/v1/api/list/model/var/domain/0000/key/abc123/")
    'https://webapi.bps.go.id/v1/api/list/model/var/domain/0000/key/***/'
    >>> scrub("failed: key=abc123&x=1 (abc123)", key="abc123")
    'failed: key=***&x=1 (***)'
    """
    s = str(text)
    if key:
        s = s.replace(key, "***")
        s = s.replace(urllib.parse.quote(key, safe=""), "***")
    return _KEY_IN_URL.sub(lambda m: (m.group(1) or m.group(3)) + "***", s)


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _segment(value) -> str:
    s = str(value)
    if not s or "/" in s:
        raise ValidationError(f"request value {s!r} is empty or contains '/'")
    return urllib.parse.quote(s, safe=";:,")


def _cache_folder(folder=None) -> Path:
    return Path(folder) if folder is not None else settings.get_cache_folder() / "bps-api"


class BPSClient:
    """A client of the BPS WebAPI with a response cache and provenance.

    Parameters
    ----------
    key : str, optional
        The WebAPI key; default the ``BPS_API_KEY`` environment variable.
        Only needed for requests not yet in the cache.
    lang : {"ind", "eng"}
        Language of labels.
    base_url : str, optional
        The API root (default :data:`DEFAULT_BASE_URL`; tests point it at a
        local server). Not part of the cache key, so recorded responses replay
        against any server.
    cache_folder : path, optional
        Where responses are stored (default ``<cityresearch cache>/bps-api``).
    timeout : float
        Seconds to wait for a connection and for each read.
    retries : int
        Further attempts after a timeout, a truncated body, a 5xx or a 429
        (rate limit) answer.
    backoff : float
        Seconds before the first retry; doubled each time. A ``Retry-After``
        header (429) is honoured up to 60 s.

    Raises
    ------
    ValidationError
        An unknown ``lang``, a ``timeout`` <= 0 or a negative ``retries`` or
        ``backoff``.
    BPSKeyError
        A key that is empty or contains ``/``.

    Examples
    --------
    With a key from https://webapi.bps.go.id/developer/ in ``BPS_API_KEY``:

    >>> client = BPSClient()  # doctest: +SKIP
    >>> client.variables(keyword="kemiskinan", domain="3500")  # doctest: +SKIP
    >>> client.table(621, domain="3500", years=[2019, 2020])  # doctest: +SKIP

    Offline, against the recorded answers of the local replay server (the
    fixture files are fetched from the data registry, so this is not run as a
    test):

    >>> import tempfile
    >>> from cityresearch._bpsreplay import ReplayServer
    >>> with ReplayServer("demo-key") as server:  # doctest: +SKIP
    ...     client = BPSClient("demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp())
    ...     t = client.table(31, domain="7315", years=[2000])
    >>> t[["name", "year", "variable", "value", "unit"]].values.tolist()  # doctest: +SKIP
    [['Kabupaten Pinrang', 2000, 'Jumlah Penduduk', 311595.0, 'Jiwa']]
    """

    def __init__(
        self,
        key: str | None = None,
        *,
        lang: str = "ind",
        base_url: str | None = None,
        cache_folder=None,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 1.0,
    ):
        if lang not in ("ind", "eng"):
            raise ValidationError(f"lang must be 'ind' or 'eng', not {lang!r}")
        if timeout <= 0 or retries < 0 or backoff < 0:
            raise ValidationError(
                "timeout must be > 0, retries and backoff >= 0; "
                f"got timeout={timeout}, retries={retries}, backoff={backoff}"
            )
        self._key = key if key is not None else os.environ.get("BPS_API_KEY") or None
        if self._key is not None and (not str(self._key).strip() or "/" in str(self._key)):
            raise BPSKeyError(
                "the BPS API key is empty or contains '/'; copy the key from "
                "https://webapi.bps.go.id/developer/ (it is letters and digits)"
            )
        self.lang = lang
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/") + "/"
        self.cache_folder = _cache_folder(cache_folder)
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self._used: dict[str, dict] = {}

    def __repr__(self) -> str:  # never show the key
        has = "set" if self._key else "not set"
        return f"BPSClient(base_url={self.base_url!r}, lang={self.lang!r}, key {has})"

    # ------------------------------------------------------------ transport

    def _path(self, parts: list[tuple[str, object]], head: str = "list") -> str:
        segs = [head]
        for name, value in parts:
            if value is None:
                continue
            segs += [name, _segment(value)]
        return "/".join(segs)

    def _entry(self, path: str) -> tuple[Path, Path]:
        h = hashlib.sha256(path.encode()).hexdigest()[:24]
        return self.cache_folder / f"{h}.json", self.cache_folder / f"{h}.body"

    def _download(self, path: str) -> bytes:
        if not self._key:
            raise BPSKeyError(
                f"request {path!r} is not in the cache and no BPS API key is set: get a free key "
                "at https://webapi.bps.go.id/developer/ and set the BPS_API_KEY environment "
                "variable (or pass key=)."
            )
        url = f"{self.base_url}{path}/key/{urllib.parse.quote(self._key, safe='')}/"
        shown = scrub(url, self._key)
        last = ""
        for attempt in range(self.retries + 1):
            wait = self.backoff * (2**attempt)
            error: BPSAPIError | None = None
            try:
                log.info("GET %s (attempt %d)", shown, attempt + 1)
                req = urllib.request.Request(
                    url, headers={"User-Agent": _USER_AGENT, "Accept": "application/json"}
                )
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                    body = resp.read()
                return body
            except urllib.error.HTTPError as e:
                code = e.code
                retry_after = e.headers.get("Retry-After") if e.headers else None
                try:
                    detail = e.read(2000).decode("utf-8", "replace")
                except Exception:  # noqa: BLE001 (any failure to read the error body)
                    detail = ""
                e.close()
                if code in (401, 403):
                    error = BPSKeyError(
                        f"the BPS WebAPI refused {shown} (HTTP {code}): check the key at "
                        "https://webapi.bps.go.id/developer/"
                    )
                elif code == 429 or code >= 500:
                    last = f"HTTP {code}"
                    if code == 429 and retry_after and retry_after.strip().isdigit():
                        wait = min(float(retry_after), 60.0)
                else:
                    error = BPSAPIError(
                        f"the BPS WebAPI answered HTTP {code} to {shown}: "
                        f"{scrub(detail, self._key)[:200]}"
                    )
            except TimeoutError:
                last = f"no answer within {self.timeout:g} s"
            except http.client.IncompleteRead as e:
                last = f"truncated body ({len(e.partial)} bytes received)"
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException) as e:
                reason = getattr(e, "reason", e)
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    last = f"no answer within {self.timeout:g} s"
                else:
                    last = scrub(f"{type(reason).__name__}: {reason}", self._key)
            if error is not None:
                raise error
            if attempt < self.retries:
                log.warning("BPS WebAPI %s: %s; retrying in %.2g s", shown, last, wait)
                time.sleep(wait)
        raise BPSRequestError(
            f"the BPS WebAPI did not answer {shown} after {self.retries + 1} attempts "
            f"(last: {last}); nothing was cached. Try again later or raise timeout=/retries=."
        )

    def get(self, path: str, *, refresh: bool = False) -> dict:
        """Return the JSON answer to a request path, from the cache if stored.

        Parameters
        ----------
        path : str
            The request without the key and the API root, e.g.
            ``"list/model/var/lang/ind/domain/0000/page/1"``.
        refresh : bool
            Ask the API again even when the answer is stored; the new answer
            replaces the stored one and ``attrs`` of the table functions report
            what changed.

        Returns
        -------
        dict
            The parsed JSON, after the API's own error answers were turned into
            named errors.

        Raises
        ------
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.
        ListNotAvailableError
            The API answers that the list is not available.
        BPSAPIError
            Any other error answer of the API (HTTP 4xx, ``status: Error``).

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> sorted(client.get("list/model/unit/domain/0000"))  # doctest: +SKIP
        ['data', 'data-availability', 'status']
        """
        meta_path, body_path = self._entry(path)
        previous = None
        if meta_path.is_file() and body_path.is_file():
            meta = json.loads(meta_path.read_text("utf-8"))
            body = body_path.read_bytes()
            intact = hashlib.sha256(body).hexdigest() == meta.get("sha256")
            if not intact:
                warnings.warn(
                    f"the stored BPS response for {path!r} does not match its "
                    "SHA-256 (damaged cache); fetching it again.",
                    stacklevel=user_stacklevel(),
                )
            elif not refresh:
                self._used[path] = meta
                return self._interpret(body, path)
            else:
                previous = meta
        body = self._download(path)
        parsed = self._interpret(body, path)  # raises before caching a bad answer
        meta = {
            "request": f"{path}/key/***/",
            "api": scrub(self.base_url),
            "retrieved_at": _utc_now(),
            "sha256": hashlib.sha256(body).hexdigest(),
            "bytes": len(body),
        }
        if previous is not None:
            meta["previous_sha256"] = previous["sha256"]
            meta["previous_retrieved_at"] = previous["retrieved_at"]
            meta["changed"] = previous["sha256"] != meta["sha256"]
        self.cache_folder.mkdir(parents=True, exist_ok=True)
        tag = f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        for target, data in (
            (body_path, body),
            (meta_path, json.dumps(meta, indent=1).encode("utf-8")),
        ):
            tmp = target.with_name(target.name + tag)
            tmp.write_bytes(data)
            os.replace(tmp, target)
        self._used[path] = meta
        return parsed

    def _interpret(self, body: bytes, path: str) -> dict:
        try:
            obj = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            start = body[:80].decode("utf-8", "replace").strip()
            hint = (
                " (an HTML page: a firewall or maintenance page?)" if start.startswith("<") else ""
            )
            raise MalformedResponseError(
                f"the answer to {path!r} is not JSON{hint}: {type(e).__name__} at byte "
                f"{getattr(e, 'pos', '?')} of {len(body)}; it may be truncated. Try again "
                "with refresh=True."
            ) from None
        if not isinstance(obj, dict) or "status" not in obj:
            raise MalformedResponseError(
                f"the answer to {path!r} has no 'status' field; it is not a BPS WebAPI answer"
            )
        if str(obj["status"]).upper() != "OK":
            msg = scrub(str(obj.get("message", "")), self._key)
            if re.search(r"\bkey\b|not allowed|unauthori[sz]ed|token", msg, re.I):
                raise BPSKeyError(
                    f"the BPS WebAPI refused the key ({msg!r}); check it at "
                    "https://webapi.bps.go.id/developer/"
                )
            raise BPSAPIError(f"the BPS WebAPI answered an error to {path!r}: {msg!r}")
        avail = obj.get("data-availability", "available")
        if avail in ("list-not-available", "not-available", "unavailable"):
            raise ListNotAvailableError(
                f"the BPS WebAPI has no data for {path!r} ({avail!r}); check the domain, "
                "variable and years with variables(), periods() and domains()."
            )
        return obj

    # ------------------------------------------------------------ lists

    def _list(
        self, model: str, parts: list, *, refresh: bool, all_pages: bool = True
    ) -> pd.DataFrame:
        rows, page, pages = [], 1, 1
        while page <= pages:
            path = self._path(
                [("model", model), ("lang", self.lang)]
                + parts
                + ([("page", page)] if all_pages else [])
            )
            obj = self.get(path, refresh=refresh)
            data = obj.get("data")
            if (
                not isinstance(data, list)
                or len(data) != 2
                or not isinstance(data[0], dict)
                or not isinstance(data[1], list)
            ):
                raise MalformedResponseError(
                    f"the answer to {path!r} is not a list answer ([paging, items])"
                )
            rows += data[1]
            pages = int(data[0].get("pages", 1) or 1) if all_pages else 1
            page += 1
        return pd.DataFrame(rows)

    def subjects(self, *, domain: str = "0000", refresh: bool = False) -> pd.DataFrame:
        """List the subjects (topics) of a domain.

        Parameters
        ----------
        domain : str
            ``"0000"`` (national), a province (``"3500"``) or kab/kota domain.
        refresh : bool
            Ask the API again instead of reading stored answers.

        Returns
        -------
        pandas.DataFrame
            ``sub_id``, ``title``, ``subcat_id``, ``subcat`` as the API gives them.

        Raises
        ------
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> client.subjects()[["sub_id", "title"]].head(2).values.tolist()  # doctest: +SKIP
        [[40, 'Gender'], [153, 'Geografi']]
        """
        return self._list("subject", [("domain", _domain(domain))], refresh=refresh)

    def variables(
        self,
        *,
        domain: str = "0000",
        keyword: str | None = None,
        subject: int | None = None,
        refresh: bool = False,
    ) -> pd.DataFrame:
        """Find dynamic-table variables by keyword and/or subject.

        Parameters
        ----------
        domain : str
            Domain whose variables are listed (``"0000"`` national).
        keyword : str, optional
            Words that must all appear in the title, notes or subject name
            (case-insensitive, matched here over every page of the list).
        subject : int, optional
            A ``sub_id`` from :meth:`subjects` (asked of the API).
        refresh : bool
            Ask the API again.

        Returns
        -------
        pandas.DataFrame
            One row per variable: ``var_id``, ``title``, ``sub_id``, ``sub_name``,
            ``unit``, ``vertical``, ``notes`` (HTML removed) and the API's other
            fields; duplicates the API lists twice appear once.

        Raises
        ------
        ListNotAvailableError
            The domain publishes no variables (for that subject).
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> v = client.variables(keyword="miskin")  # doctest: +SKIP
        >>> v[["var_id", "title"]].values.tolist()[0]  # doctest: +SKIP
        [192, 'Persentase Penduduk Miskin (P0) Menurut Provinsi dan Daerah']
        """
        parts: list[tuple[str, object]] = [("domain", _domain(domain))]
        if subject is not None:
            parts.append(("subject", int(subject)))
        if keyword:
            first = max(re.split(r"\s+", keyword.strip()), key=len)
            parts.append(("keyword", first))  # narrowed by the API, then by every word here
        df = self._list("var", parts, refresh=refresh)
        if df.empty:
            return df
        if "var_id" not in df:
            raise MalformedResponseError("the variable list has no 'var_id' field")
        df = df.drop_duplicates(subset=["var_id"]).reset_index(drop=True)
        if "notes" in df:
            df["notes"] = df["notes"].map(_plain)
        if keyword:
            words = [w for w in re.split(r"\s+", keyword.lower()) if w]
            hay = (
                df.get("title", "").astype(str)
                + " "
                + df.get("notes", "").astype(str)
                + " "
                + df.get("sub_name", "").astype(str)
            ).str.lower()
            mask = pd.Series(True, index=df.index)
            for w in words:
                mask &= hay.str.contains(w, regex=False)
            df = df[mask].reset_index(drop=True)
        return df

    def periods(self, var: int, *, domain: str = "0000", refresh: bool = False) -> pd.DataFrame:
        """List the periods (years) a variable is published for.

        Parameters
        ----------
        var : int
            The variable id (from :meth:`variables`).
        domain : str
            ``"0000"`` (national), a province (``"3500"``) or kab/kota domain.
        refresh : bool
            Ask the API again instead of reading stored answers.

        Returns
        -------
        pandas.DataFrame
            ``th_id`` (the id the API wants) and ``year`` (int), sorted by year.

        Raises
        ------
        UnknownVariableError
            The API has no periods for ``var`` in ``domain``.
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> client.periods(31, domain="7315").head(3).values.tolist()  # doctest: +SKIP
        [[99, 1999], [100, 2000], [101, 2001]]
        """
        try:
            df = self._list("th", [("domain", _domain(domain)), ("var", int(var))], refresh=refresh)
        except ListNotAvailableError:
            raise UnknownVariableError(
                f"BPS variable {var} is not published for domain {domain}; find variables with "
                "variables(keyword=...) for that domain."
            ) from None
        if df.empty or not {"th_id", "th"} <= set(df.columns):
            raise UnknownVariableError(f"BPS variable {var} has no periods in domain {domain}")
        out = pd.DataFrame({"th_id": df["th_id"].astype(int), "year": df["th"].map(_year_of)})
        return out.drop_duplicates().sort_values("year", ignore_index=True)

    def derived_periods(
        self, var: int | None = None, *, domain: str = "0000", refresh: bool = False
    ) -> pd.DataFrame:
        """List derived periods (``turth``: year, quarters, months) of a domain or variable.

        Parameters
        ----------
        var : int, optional
            Restrict to the ones of this variable (default: the whole domain).
        domain : str
            ``"0000"`` (national), a province (``"3500"``) or kab/kota domain.
        refresh : bool
            Ask the API again instead of reading stored answers.

        Returns
        -------
        pandas.DataFrame
            ``turth_id``, ``turth`` (label), ``group_turth_id``, ``name_group_turth``.

        Raises
        ------
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> client.derived_periods().head(2).values.tolist()  # doctest: +SKIP
        [[1, '2024', 1, 'Tahunan'], [2, '2023', 1, 'Tahunan']]
        """
        parts = [("domain", _domain(domain)), ("var", None if var is None else int(var))]
        return self._list("turth", parts, refresh=refresh)

    def vertical_variables(
        self, var: int | None = None, *, domain: str = "0000", refresh: bool = False
    ) -> pd.DataFrame:
        """List vertical variables (the rows of tables, mostly regions).

        Parameters
        ----------
        var : int, optional
            Restrict to the ones of this variable (default: the whole domain).
        domain : str
            ``"0000"`` (national), a province (``"3500"``) or kab/kota domain.
        refresh : bool
            Ask the API again instead of reading stored answers.

        Returns
        -------
        pandas.DataFrame
            The API's fields (``kode_ver_id`` or ``vervar_id``, ``vervar``
            label, groups) plus the placed region columns (``level``,
            ``bps_code``, ``name``, ``matched`` ...). Labels that match no
            region are kept with ``matched`` False and reported.

        Raises
        ------
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.

        Warns
        -----
        UserWarning
            Labels that match no region (listed; their rows are kept).

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> vv = client.vertical_variables()  # doctest: +SKIP
        >>> vv[["vervar", "bps_code", "matched"]].head(1).values.tolist()  # doctest: +SKIP
        [['Banggai Laut', '7211', True]]
        """
        parts = [("domain", _domain(domain)), ("var", None if var is None else int(var))]
        df = self._list("vervar", parts, refresh=refresh)
        if df.empty:
            return df
        idcol = "kode_ver_id" if "kode_ver_id" in df else "vervar_id"
        if idcol not in df or "vervar" not in df:
            raise MalformedResponseError("the vertical-variable list has no id or label field")
        placed = _place_vervar(
            df[idcol].astype(str).tolist(), df["vervar"].astype(str).tolist(), _domain(domain)
        )
        out = pd.concat(
            [df.reset_index(drop=True), placed.drop(columns=["region"]).reset_index(drop=True)],
            axis=1,
        )
        if (~out["matched"]).any():
            bad = out.loc[~out["matched"], "vervar"].tolist()
            warnings.warn(
                f"{len(bad)} vertical-variable labels matched no region: {bad[:10]} "
                "(kept with matched=False)",
                stacklevel=user_stacklevel(),
            )
        return out

    def derived_variables(
        self, var: int | None = None, *, domain: str = "0000", refresh: bool = False
    ) -> pd.DataFrame:
        """List derived variables (``turvar``: breakdowns such as sex or sector).

        Parameters
        ----------
        var : int, optional
            Restrict to the ones of this variable (default: the whole domain).
        domain : str
            ``"0000"`` (national), a province (``"3500"``) or kab/kota domain.
        refresh : bool
            Ask the API again instead of reading stored answers.

        Returns
        -------
        pandas.DataFrame
            ``turvar_id``, ``turvar`` (label), ``group_turvar_id``, ``name_group_turvar``.

        Raises
        ------
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> list(client.derived_variables().columns[:2])  # doctest: +SKIP
        ['turvar_id', 'turvar']
        """
        parts = [("domain", _domain(domain)), ("var", None if var is None else int(var))]
        return self._list("turvar", parts, refresh=refresh)

    def units(self, *, domain: str = "0000", refresh: bool = False) -> pd.DataFrame:
        """List the units of measurement of a domain.

        Parameters
        ----------
        domain : str
            ``"0000"`` (national), a province (``"3500"``) or kab/kota domain.
        refresh : bool
            Ask the API again instead of reading stored answers.

        Returns
        -------
        pandas.DataFrame
            ``unit_id`` and ``unit`` (label, e.g. "Orang").

        Raises
        ------
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> client.units().head(2).values.tolist()  # doctest: +SKIP
        [[0, 'Tidak Ada Satuan'], [1, 'Orang']]
        """
        return self._list("unit", [("domain", _domain(domain))], refresh=refresh)

    def domains(
        self, kind: str = "all", *, province: str | None = None, refresh: bool = False
    ) -> pd.DataFrame:
        """List BPS domains: national, provinces and kabupaten/kota.

        Parameters
        ----------
        kind : {"all", "prov", "kab", "kabbyprov"}
            Which domains; ``"kabbyprov"`` needs ``province``.
        province : str, optional
            A province domain (``"3500"``) or 2-digit BPS code (``"35"``).

        refresh : bool
            Ask the API again instead of reading stored answers.

        Returns
        -------
        pandas.DataFrame
            ``domain_id``, ``domain_name``, ``domain_url``.

        Raises
        ------
        ValidationError
            An unknown ``kind``, or ``"kabbyprov"`` without ``province``.
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> client.domains()["domain_name"].head(2).tolist()  # doctest: +SKIP
        ['Banggai Kepulauan', 'Banggai']
        """
        if kind not in ("all", "prov", "kab", "kabbyprov"):
            raise ValidationError(f"kind must be 'all', 'prov', 'kab' or 'kabbyprov', not {kind!r}")
        parts: list[tuple[str, object]] = [("type", kind)]
        if kind == "kabbyprov":
            if province is None:
                raise ValidationError("kind='kabbyprov' needs province= (e.g. '3500')")
            parts.append(("prov", _domain(str(province).ljust(4, "0"))))
        obj = self.get(self._path(parts, head="domain"), refresh=refresh)
        data = obj.get("data")
        if not isinstance(data, list) or len(data) != 2 or not isinstance(data[1], list):
            raise MalformedResponseError("the domain list is not [paging, items]")
        return pd.DataFrame(data[1])

    # ------------------------------------------------------------ tables

    def table(
        self,
        var: int,
        *,
        domain: str = "0000",
        years: int | list[int] | None = None,
        th: int | list[int] | None = None,
        turvar: int | list[int] | None = None,
        refresh: bool = False,
        max_periods: int | None = None,
    ) -> pd.DataFrame:
        """Fetch a dynamic table and return it as a tidy long frame.

        Parameters
        ----------
        var : int
            The variable id (from :meth:`variables`).
        domain : str
            ``"0000"`` national, a province or a kab/kota domain.
        years : int or list of int, optional
            Calendar years; turned into period ids with :meth:`periods`.
            Default: every published year.
        th : int or list of int, optional
            Period ids given directly instead of ``years``.
        turvar : int or list of int, optional
            Restrict to some derived variables.
        refresh : bool
            Ask the API again; ``attrs["changes"]`` lists values that changed.
        max_periods : int, optional
            Periods per request (the API allows 3 for ``"0000"`` and 2 for
            other domains, the default).

        Returns
        -------
        pandas.DataFrame
            :data:`TIDY_COLUMNS` (``value`` in ``unit``; ``flag`` ``*``/``**``
            where a year or period label carries BPS's provisional marks;
            ``variable`` and ``derived_variable`` are labels) plus the ids
            ``var_id``, ``vervar_id``, ``turvar_id``, ``th_id``, ``turth_id``
            and ``request``. ``attrs``: ``unplaced`` (region labels that
            match no region; their rows are kept with ``matched`` False),
            ``missing_periods``, ``changes`` (with ``refresh=True``),
            ``provenance``.

        Raises
        ------
        UnknownVariableError
            ``var`` is not published for ``domain``.
        ValidationError
            Requested years the variable does not have (the message lists those it has).
        ListNotAvailableError
            The API answers that the table is not available.
        BPSKeyError
            No key is set and the answer is not stored, or the API refused the key.
        BPSRequestError
            No usable answer after the retries (timeouts, 5xx, 429).
        MalformedResponseError
            The answer is not in the API's documented shape, or a
            ``datacontent`` key fits no (or more than one) label combination.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> t = client.table(31, domain="7315", years=[2000])  # doctest: +SKIP
        >>> t[["name", "year", "variable", "value", "unit"]].values.tolist()  # doctest: +SKIP
        [['Kabupaten Pinrang', 2000, 'Jumlah Penduduk', 311595.0, 'Jiwa']]
        """
        dom = _domain(domain)
        if years is not None and th is not None:
            raise ValidationError("pass years= or th=, not both")
        if th is None:
            per = self.periods(var, domain=dom, refresh=refresh)
            if years is None:
                th = per["th_id"].tolist()
            else:
                years = [years] if isinstance(years, (int, str)) else list(years)
                want = [_year_of(y) for y in years]
                have = dict(zip(per["year"], per["th_id"], strict=True))
                missing = [y for y in want if y not in have]
                if missing:
                    raise ValidationError(
                        f"BPS variable {var} (domain {dom}) has no data for {missing}; it has "
                        f"{min(have)}-{max(have)} ({len(have)} years): {sorted(have)}"
                    )
                th = [have[y] for y in want]
        th = [int(t) for t in ([th] if isinstance(th, (int, str)) else th)]
        if not th:
            raise ValidationError("no periods requested")
        per_req = max_periods or (3 if dom == "0000" else 2)
        tv = None
        if turvar is not None:
            tv = ";".join(
                str(int(t)) for t in ([turvar] if isinstance(turvar, (int, str)) else turvar)
            )
        frames, missing_periods, provenance_rows = [], [], []
        old = self._stored_values(var, dom, th, tv, per_req) if refresh else None
        for i in range(0, len(th), per_req):
            chunk = th[i : i + per_req]
            path = self._path(
                [
                    ("model", "data"),
                    ("lang", self.lang),
                    ("domain", dom),
                    ("var", int(var)),
                    ("turvar", tv),
                    ("th", ";".join(map(str, chunk))),
                ]
            )
            try:
                obj = self.get(path, refresh=refresh)
            except ListNotAvailableError:
                missing_periods += chunk
                continue
            df = decode_table(obj, domain=dom, request=path)
            extra = sorted(set(df["th_id"]) - set(chunk))
            if extra:
                warnings.warn(
                    f"the answer to {path!r} holds periods {extra} that were not "
                    "requested; they are left out (they come with their own request)",
                    stacklevel=user_stacklevel(),
                )
                df = df[df["th_id"].isin(chunk)]
            missing_periods += [t for t in chunk if t not in set(df["th_id"])]
            frames.append(df)
            provenance_rows.append(self._used[path])
        if not frames:
            raise ListNotAvailableError(
                f"BPS variable {var} has no data in domain {dom} for periods {th}"
            )
        unplaced = [pd.DataFrame(f.attrs.get("unplaced", pd.DataFrame())) for f in frames]
        for f in frames:
            f.attrs = {}
        out = pd.concat(frames, ignore_index=True)
        un = pd.concat(unplaced).drop_duplicates(subset=["region"]).reset_index(drop=True)
        out.attrs["unplaced"] = attr_table(un)
        out.attrs["missing_periods"] = missing_periods
        out.attrs["provenance"] = attr_table(pd.DataFrame(provenance_rows))
        if missing_periods:
            warnings.warn(
                f"BPS variable {var} (domain {dom}): no values for period ids {missing_periods}",
                stacklevel=user_stacklevel(),
            )
        if not un.empty:
            warnings.warn(
                f"BPS variable {var} (domain {dom}): {len(un)} row labels matched no region "
                f"({un['region'].tolist()[:10]}); kept with matched=False, see attrs['unplaced']",
                stacklevel=user_stacklevel(),
            )
        if refresh:
            out.attrs["changes"] = attr_table(_changes(old, out))
            n = len(out.attrs["changes"])
            if old is not None:
                log.info("refresh of BPS variable %s: %d values changed", var, n)
                if n:
                    warnings.warn(
                        f"refresh of BPS variable {var} (domain {dom}): {n} values "
                        "changed or appeared since the stored answer; see "
                        "attrs['changes']",
                        stacklevel=user_stacklevel(),
                    )
        return out

    def _stored_values(self, var, dom, th, tv, per_req):
        frames = []
        for i in range(0, len(th), per_req):
            chunk = th[i : i + per_req]
            path = self._path(
                [
                    ("model", "data"),
                    ("lang", self.lang),
                    ("domain", dom),
                    ("var", int(var)),
                    ("turvar", tv),
                    ("th", ";".join(map(str, chunk))),
                ]
            )
            meta_path, body_path = self._entry(path)
            if not body_path.is_file():
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    frames.append(
                        decode_table(
                            self._interpret(body_path.read_bytes(), path), domain=dom, request=path
                        )
                    )
            except BPSAPIError:
                continue
        for f in frames:
            f.attrs = {}
        return pd.concat(frames, ignore_index=True) if frames else None

    def provenance(self) -> pd.DataFrame:
        """List the responses this client used (read or fetched) in this session.

        Returns
        -------
        pandas.DataFrame
            The columns of :func:`provenance`, one row per request used.

        Examples
        --------
        >>> import tempfile
        >>> from cityresearch._bpsreplay import ReplayServer  # recorded answers
        >>> server = ReplayServer("demo-key").__enter__()  # doctest: +SKIP
        >>> client = BPSClient(  # doctest: +SKIP
        ...     "demo-key", base_url=server.url, cache_folder=tempfile.mkdtemp()
        ... )
        >>> _ = client.table(31, domain="7315", years=[2000])  # doctest: +SKIP
        >>> client.provenance()[["model", "domain", "var"]].values.tolist()  # doctest: +SKIP
        [['data', '7315', '31'], ['th', '7315', '31']]
        """
        return _provenance_frame(list(self._used.values()))


def _changes(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    keys = ["vervar_id", "var_id", "turvar_id", "th_id", "turth_id"]
    cols = keys + ["region", "year", "period", "value"]
    if old is None:
        return pd.DataFrame(columns=cols + ["old_value", "change"])
    m = old[keys + ["value"]].merge(
        new[cols], on=keys, how="outer", suffixes=("_old", ""), indicator=True
    )
    m = m.rename(columns={"value_old": "old_value"})
    changed = (m["_merge"] != "both") | ~(
        (m["old_value"] == m["value"]) | (m["old_value"].isna() & m["value"].isna())
    )
    m["change"] = (
        m["_merge"]
        .map({"both": "value changed", "left_only": "withdrawn", "right_only": "new"})
        .astype(str)
    )
    return m.loc[changed, cols + ["old_value", "change"]].reset_index(drop=True)


def _domain(domain) -> str:
    d = str(domain).strip()
    if not re.fullmatch(r"\d{4}", d):
        raise ValidationError(
            f"domain must be 4 digits: '0000' national, '3500' a province, '3505' a "
            f"kabupaten/kota; not {domain!r}"
        )
    return d


def _year_of(value) -> int:
    m = re.search(r"(1[89]\d\d|20\d\d)", str(value))
    if not m:
        raise MalformedResponseError(f"period label {value!r} holds no year")
    return int(m.group(1))


def _plain(text) -> str:
    import html

    s = html.unescape(html.unescape(str(text or "")))
    s = re.sub(r"<[^>]+>", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _place_vervar(ids: list[str], labels: list[str], domain: str) -> pd.DataFrame:
    """Place vertical-variable rows: by BPS code when code and label agree,
    by label when they do not (codes of another vintage), never by position."""
    from cityresearch.regions import normalise_name

    by_code = place_regions(ids)
    by_label = place_regions(labels)
    rows = []
    for i, (code, label) in enumerate(zip(ids, labels, strict=True)):
        c, lab = by_code.iloc[i].copy(), by_label.iloc[i].copy()
        c["region"] = label
        if code == "9999" and domain != "0000":
            d = place_regions([domain])
            r = d.iloc[0].copy()
            r["region"] = label
            r["match_note"] = f"9999: the total of domain {domain}"
            rows.append(r)
        elif c["matched"] and c["level"] in ("kabkota", "provinsi"):
            agree = (not lab["matched"]) or (
                lab["bps_code"] == c["bps_code"]
                and lab["prov_kemendagri_code"] == c["prov_kemendagri_code"]
            )
            if not agree and lab["matched"]:
                lab["region"] = label
                lab["match_note"] = (
                    f"code {code} is {c['name']} in the registry but the label "
                    f"reads {label!r}: placed by the label"
                )
                rows.append(lab)
                continue
            if not lab["matched"] and normalise_name(label)[1]:
                c["match_note"] = f"placed by code {code}; label {label!r} not recognised"
            rows.append(c)
        elif c["matched"]:
            rows.append(c)
        else:
            lab["region"] = label
            rows.append(lab)
    return pd.DataFrame(rows).reset_index(drop=True)


def decode_table(obj: dict, *, domain: str = "0000", request: str = "") -> pd.DataFrame:
    """Decode a ``model=data`` answer into a tidy long frame.

    Every ``datacontent`` key is built from the label lists (``vervar``,
    ``var``, ``turvar``, ``tahun``, ``turtahun``) by concatenating their ids;
    the keys of the answer are looked up among them, never split by position.

    Parameters
    ----------
    obj : dict
        The parsed JSON answer.
    domain : str
        The domain asked for (``9999`` rows are its total).
    request : str
        The request (without key), stored in column ``request``.

    Returns
    -------
    pandas.DataFrame
        See :meth:`BPSClient.table`.

    Raises
    ------
    MalformedResponseError
        A label list is missing or not ``[{val, label}, ...]``; a
        ``datacontent`` key fits no combination of ids, or fits two.
    ListNotAvailableError
        The answer says the table is not available.

    Examples
    --------
    >>> obj = {"status": "OK", "data-availability": "available",
    ...        "var": [{"val": 31, "label": "Jumlah Penduduk", "unit": "Jiwa"}],
    ...        "turvar": [{"val": 0, "label": "Tidak Ada"}],
    ...        "vervar": [{"val": 7315, "label": "Pinrang"}],
    ...        "tahun": [{"val": 99, "label": "1999"}],
    ...        "turtahun": [{"val": 0, "label": "Tahun"}],
    ...        "datacontent": {"7315310990": 308669}}
    >>> decode_table(obj)[["bps_code", "name", "year", "value", "unit"]]
      bps_code               name  year     value  unit
    0     7315  Kabupaten Pinrang  1999  308669.0  Jiwa
    """
    if not isinstance(obj, dict):
        raise MalformedResponseError("a model=data answer must be a JSON object")
    avail = obj.get("data-availability", "available")
    if avail != "available":
        raise ListNotAvailableError(f"the table {request!r} is {avail!r}")
    dims = {}
    for name in ("vervar", "var", "turvar", "tahun", "turtahun"):
        lst = obj.get(name)
        if (
            not isinstance(lst, list)
            or not lst
            or not all(isinstance(d, dict) and "val" in d and "label" in d for d in lst)
        ):
            raise MalformedResponseError(
                f"the answer to {request or 'model=data'!r} has no valid '{name}' label list "
                "(a non-empty list of {val, label}); it may be truncated or of another model"
            )
        dims[name] = lst
    content = obj.get("datacontent")
    if not isinstance(content, dict):
        raise MalformedResponseError(f"the answer to {request!r} has no 'datacontent' object")
    index: dict[str, tuple] = {}
    clashes: dict[str, list] = {}
    for combo in itertools.product(
        *(range(len(dims[n])) for n in ("vervar", "var", "turvar", "tahun", "turtahun"))
    ):
        key = "".join(
            str(dims[n][i]["val"])
            for n, i in zip(("vervar", "var", "turvar", "tahun", "turtahun"), combo, strict=True)
        )
        if key in index:
            clashes.setdefault(key, [index[key]]).append(combo)
        else:
            index[key] = combo
    unknown = [k for k in content if k not in index]
    if unknown:
        raise MalformedResponseError(
            f"{len(unknown)} of {len(content)} datacontent keys of {request!r} fit no "
            f"combination of the label lists (e.g. {unknown[:3]}); the answer is inconsistent"
        )
    amb = [k for k in content if k in clashes]
    if amb:
        k = amb[0]
        fits = [
            {
                n: dims[n][i]["val"]
                for n, i in zip(("vervar", "var", "turvar", "tahun", "turtahun"), c, strict=True)
            }
            for c in clashes[k]
        ]
        raise MalformedResponseError(
            f"datacontent key {k!r} of {request!r} fits {len(fits)} id combinations "
            f"({fits}); it cannot be decoded without guessing"
        )
    keys = list(content)
    combos = [index[k] for k in keys]
    raw = [content[k] for k in keys]
    values, markers, flags_v, bad = parse_numbers(
        [v if v is not None else "" for v in raw], decimal=".", what="datacontent values"
    )
    if bad:
        raise MalformedResponseError(
            f"datacontent values of {request!r} that are not numbers: "
            f"{[(keys[i], raw[i]) for i in bad[:3]]}"
        )
    vv, var_, tv, th, tt = (dims[n] for n in ("vervar", "var", "turvar", "tahun", "turtahun"))
    vlab = [str(d["label"]) for d in vv]
    placed = _place_vervar([str(d["val"]) for d in vv], vlab, domain)
    rec: dict[str, Any] = {"label_index": [c[0] for c in combos]}
    year_labels = [split_mark(d["label"]) for d in th]
    period_labels = [split_mark(d["label"]) for d in tt]
    rec["year"] = [_year_of(year_labels[c[3]][0]) for c in combos]
    rec["period"] = [period_labels[c[4]][0] for c in combos]
    rec["variable"] = [_plain(var_[c[1]]["label"]) for c in combos]
    rec["derived_variable"] = [_plain(tv[c[2]]["label"]) for c in combos]
    rec["value"] = values
    rec["unit"] = [var_[c[1]].get("unit") for c in combos]
    rec["flag"] = [
        max(year_labels[c[3]][1], period_labels[c[4]][1], fl, key=len)
        for c, fl in zip(combos, flags_v, strict=True)
    ]
    rec["marker"] = markers
    rec["source_row"] = keys
    rec["var_id"] = [var_[c[1]]["val"] for c in combos]
    rec["vervar_id"] = [vv[c[0]]["val"] for c in combos]
    rec["turvar_id"] = [tv[c[2]]["val"] for c in combos]
    rec["th_id"] = [th[c[3]]["val"] for c in combos]
    rec["turth_id"] = [tt[c[4]]["val"] for c in combos]
    rec["request"] = f"{request}/key/***/" if request else ""
    out = tidy_frame(pd.DataFrame(rec), placed)
    out = out.sort_values(
        ["vervar_id", "turvar_id", "th_id", "turth_id"], kind="stable", ignore_index=True
    )
    out.attrs["unplaced"] = attr_table(placed[~placed["matched"]])
    out.attrs["label_vervar"] = obj.get("labelvervar")
    return out


def _provenance_frame(metas: list[dict]) -> pd.DataFrame:
    cols = [
        "request",
        "model",
        "domain",
        "var",
        "retrieved_at",
        "sha256",
        "bytes",
        "api",
        "changed",
    ]
    rows = []
    for m in metas:
        req = m.get("request", "")
        parts = req.split("/")
        get = lambda k: parts[parts.index(k) + 1] if k in parts[:-1] else None  # noqa: E731
        head = parts[0] == "domain"
        rows.append(
            {
                "request": req,
                "model": "domain" if head else get("model"),
                "domain": None if head else get("domain"),
                "var": get("var"),
                "retrieved_at": m.get("retrieved_at"),
                "sha256": m.get("sha256"),
                "bytes": m.get("bytes"),
                "api": m.get("api"),
                "changed": m.get("changed"),
            }
        )
    return pd.DataFrame(rows, columns=cols).sort_values(
        ["model", "domain", "var", "request"], ignore_index=True, na_position="first"
    )


def provenance(
    *, cache_folder: str | os.PathLike | None = None, model: str | None = None
) -> pd.DataFrame:
    """List every stored BPS WebAPI response with its provenance.

    For the data page of a report: what was asked (without the key), from
    which API root, when, and the SHA-256 of the stored answer.

    Parameters
    ----------
    cache_folder : path, optional
        Default ``<cityresearch cache>/bps-api``.
    model : str, optional
        Only this model (``"data"`` lists the dynamic tables used).

    Returns
    -------
    pandas.DataFrame
        ``request``, ``model``, ``domain``, ``var``, ``retrieved_at`` (UTC,
        ISO 8601), ``sha256``, ``bytes``, ``api``, ``changed`` (True/False
        after a refresh, else missing). Empty when nothing is stored.

    Examples
    --------
    >>> import tempfile
    >>> from cityresearch import bps
    >>> bps.provenance(cache_folder=tempfile.mkdtemp()).empty  # nothing stored yet
    True
    """
    folder = _cache_folder(cache_folder)
    metas = []
    if folder.is_dir():
        for p in sorted(folder.glob("*.json")):
            try:
                metas.append(json.loads(p.read_text("utf-8")))
            except (OSError, json.JSONDecodeError):
                warnings.warn(
                    f"unreadable provenance record {p.name} skipped", stacklevel=user_stacklevel()
                )
    df = _provenance_frame(metas)
    if model is not None:
        df = df[df["model"] == model].reset_index(drop=True)
    return df
