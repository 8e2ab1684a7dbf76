"""HTTP fetching with manners.

A descriptive User-Agent with a contact URL, robots.txt per host, at most one request at a time to
one host with a minimum interval between two (or the site's Crawl-delay), connect and read timeouts,
a cap on the (decoded) response size, redirects followed by hand (http(s) only, bounded, loops
detected), HTML / XML content only, and retries with exponential backoff and jitter on connection
errors, 429 and 5xx, honouring Retry-After. One Fetcher may be shared by threads: requests to
different hosts run in parallel, requests to one host queue on that host's lock.
"""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests

DEFAULT_CONTACT = "https://github.com/dealwire/dealwire"


def build_user_agent(contact: str | None = None) -> str:
    """`dealwire/<version> (+<contact>; news research crawler)`: the product token robots.txt rules match."""
    return f"dealwire/0.1 (+{contact or DEFAULT_CONTACT}; news research crawler)"


DEFAULT_USER_AGENT = build_user_agent()
# Content types (substrings of the Content-Type header) worth reading; anything else is skipped unread.
PAGE_TYPES = ("html", "xml", "rss", "atom", "text/plain")
# Sitemaps also come as .xml.gz files, served as gzip or a generic binary type.
SITEMAP_TYPES = PAGE_TYPES + ("gzip", "octet-stream")
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: crawlers may ignore what follows the first 500 KiB
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_INCOMPLETE = re.compile(r"IncompleteRead\([^)]*\)")


class FetchError(RuntimeError):
    """A URL could not be fetched; the message is fit for raw.fetch_log."""

    def __init__(self, message: str, http_status: int | None = None, nbytes: int = 0):
        super().__init__(message)
        self.http_status = http_status
        self.nbytes = nbytes


class FetchSkipped(FetchError):
    """Deliberately not fetched (logged with outcome `skipped`, never retried)."""


class DisallowedByRobots(FetchSkipped):
    """robots.txt forbids this URL for our User-Agent."""


class UnwantedContentType(FetchSkipped):
    """Not HTML or XML (a PDF, an image, ...): the body is not read."""


class _Transient(Exception):
    """A failure worth retrying (connection refused or reset, timeout, body cut off)."""

    def __init__(self, message: str, nbytes: int = 0, http_status: int | None = None):
        super().__init__(message)
        self.nbytes = nbytes
        self.http_status = http_status


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str
    header_charset: str | None
    started_at: datetime
    elapsed_ms: int
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return decode_html(self.content, self.header_charset)


@dataclass(frozen=True)
class _Raw:
    status: int
    headers: requests.structures.CaseInsensitiveDict
    content: bytes = b""


@dataclass
class _Host:
    session: requests.Session
    lock: threading.RLock = field(default_factory=threading.RLock)
    robots: RobotFileParser | None = None
    next_request_at: float = 0.0  # time.monotonic() before which no request may start


@dataclass
class Fetcher:
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0  # per read from the socket, not for the whole body
    max_bytes: int = 5 * 1024 * 1024  # of the decoded body
    max_attempts: int = 3
    backoff_s: float = 0.5  # first retry after about this long, doubling after that
    max_redirects: int = 5
    min_host_interval_s: float = 1.0  # politeness floor between two requests to one host
    respect_robots: bool = True
    max_retry_after_s: float = 30.0  # a longer Retry-After is an error, not a wait
    max_workers: int = 4  # hosts fetched in parallel by collect_source

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            for host in self._hosts.values():
                host.session.close()
            self._hosts.clear()

    def get(self, url: str, validators: tuple[str | None, str | None] | None = None, *,
            accept: tuple[str, ...] = PAGE_TYPES) -> Response:
        """GET with retries and redirects. `validators` (ETag, Last-Modified) from an earlier fetch make it
        conditional: an unchanged page answers 304 with no body. `accept`: wanted Content-Type substrings."""
        headers = {}
        if validators:
            etag, last_modified = validators
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        if not _is_http(url):
            raise FetchError(f"refusing non-http(s) URL {url!r}")
        started_at = datetime.now(timezone.utc).replace(tzinfo=None)
        clock = time.monotonic()
        chain = [url]
        while True:
            self._check_robots(chain[-1])
            raw = self._get_with_retries(chain[-1], headers, accept)
            if raw.status not in _REDIRECT_STATUSES:
                break
            chain.append(self._redirect_target(chain, raw))
        elapsed_ms = int((time.monotonic() - clock) * 1000)
        if raw.status == 304:
            return Response(url=chain[-1], status=304, content=b"", content_type="", header_charset=None,
                            started_at=started_at, elapsed_ms=elapsed_ms,
                            etag=validators[0] if validators else None,
                            last_modified=validators[1] if validators else None)
        content_type = raw.headers.get("Content-Type", "").lower()
        charset = re.search(r"charset\s*=\s*[\"']?([\w-]+)", content_type)
        return Response(url=chain[-1], status=raw.status, content=raw.content, content_type=content_type,
                        header_charset=charset.group(1) if charset else None, started_at=started_at,
                        elapsed_ms=elapsed_ms, etag=raw.headers.get("ETag"),
                        last_modified=raw.headers.get("Last-Modified"))

    def _redirect_target(self, chain: list[str], raw: _Raw) -> str:
        location = raw.headers.get("Location")
        if not location:
            raise FetchError(f"HTTP {raw.status} redirect without a Location header", raw.status)
        target = urljoin(chain[-1], location.strip())
        if not _is_http(target):
            raise FetchError(f"redirect to a non-http(s) URL {target!r}", raw.status)
        if target in chain:
            raise FetchError(f"redirect loop: {' -> '.join(chain + [target])}", raw.status)
        if len(chain) > self.max_redirects:
            raise FetchError(f"too many redirects (>{self.max_redirects})", raw.status)
        return target

    def _get_with_retries(self, url: str, headers: dict[str, str], accept: tuple[str, ...]) -> _Raw:
        for attempt in range(1, self.max_attempts + 1):
            last = attempt == self.max_attempts
            try:
                raw = self._attempt(url, headers, accept)
            except _Transient as error:
                if last:
                    raise FetchError(f"{error} (gave up after {attempt} attempts)", error.http_status,
                                     error.nbytes) from None
                self._pause(url, attempt, None, None)
                continue
            if raw.status == 429 or raw.status >= 500:
                if last:
                    raise FetchError(f"HTTP {raw.status} for {url} (gave up after {attempt} attempts)", raw.status)
                self._pause(url, attempt, raw.headers.get("Retry-After"), raw.status)
                continue
            if raw.status >= 400:  # other client errors are final: no retry
                raise FetchError(f"HTTP {raw.status} for {url}", raw.status)
            return raw
        raise AssertionError("unreachable")

    def _pause(self, url: str, attempt: int, retry_after: str | None, status: int | None) -> None:
        """Schedule the retry: the host's next request waits for the backoff (or Retry-After, if longer)."""
        asked = parse_retry_after(retry_after)
        if asked is not None and asked > self.max_retry_after_s:
            raise FetchError(f"HTTP {status} for {url} with Retry-After {asked:.0f} s, longer than the "
                             f"{self.max_retry_after_s:g} s we wait", status)
        delay = retry_delay(attempt, self.backoff_s, asked)
        host = self._host(url)
        with host.lock:
            host.next_request_at = max(host.next_request_at, time.monotonic() + delay)

    def _attempt(self, url: str, headers: dict[str, str], accept: tuple[str, ...]) -> _Raw:
        """One request, holding the host's lock until the body is read: never two at once to one host."""
        host = self._host(url)
        with host.lock:
            self._wait_for_host(host)
            try:
                response = host.session.get(url, headers=headers, timeout=(self.connect_timeout_s, self.read_timeout_s),
                                            stream=True, allow_redirects=False)
            except requests.ConnectTimeout as error:
                raise _Transient(f"ConnectTimeout: no connection within {self.connect_timeout_s:g} s") from error
            except requests.ReadTimeout as error:
                raise _Transient(f"ReadTimeout: no response within {self.read_timeout_s:g} s") from error
            except requests.ConnectionError as error:
                raise _Transient(f"ConnectionError: {_reason(error)}") from error
            except requests.RequestException as error:
                raise FetchError(f"{type(error).__name__}: {error}") from error
            try:
                status = response.status_code
                if status in _REDIRECT_STATUSES or status == 304 or status >= 400 or status < 200:
                    return _Raw(status, response.headers)
                content_type = response.headers.get("Content-Type", "").lower()
                if content_type and not any(kind in content_type for kind in accept):
                    raise UnwantedContentType(f"content type {content_type.split(';')[0]!r} is not HTML or XML",
                                              status)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes and not response.headers.get(
                        "Content-Encoding"):
                    raise FetchError(f"response larger than {self.max_bytes} bytes (Content-Length {declared})",
                                     status)
                return _Raw(status, response.headers, self._read_capped(response))
            finally:
                response.close()

    def _read_capped(self, response: requests.Response) -> bytes:
        """The decoded body, read in chunks and abandoned as soon as it passes max_bytes."""
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"response larger than {self.max_bytes} bytes: stopped reading",
                                     response.status_code, size)
                chunks.append(chunk)
        except requests.ConnectionError as error:  # requests reports a read timeout mid-body as this
            status = response.status_code
            if "timed out" in str(error):
                raise _Transient(f"ReadTimeout: body stalled for {self.read_timeout_s:g} s{_after(size)}",
                                 size, status) from error
            raise _Transient(f"ConnectionError{_after(size)} of the body: {_reason(error)}", size, status) from error
        except requests.exceptions.ChunkedEncodingError as error:  # reset or closed before Content-Length
            raise _Transient(f"body cut off{_after(size)}: {_reason(error)}", size, response.status_code) from error
        except requests.RequestException as error:  # e.g. ContentDecodingError: a broken gzip stream
            raise FetchError(f"{type(error).__name__}{_after(size)}: {error}", response.status_code,
                             size) from error
        return b"".join(chunks)

    def seconds_until_ready(self, url: str) -> float:
        """How long until the URL's host may be asked again (interval, Crawl-delay, backoff); 0 if now."""
        with self._lock:
            host = self._hosts.get(host_key(url))
        return max(0.0, host.next_request_at - time.monotonic()) if host else 0.0

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        with self._lock:
            if key not in self._hosts:
                session = requests.Session()
                session.headers["User-Agent"] = self.user_agent
                session.max_redirects = self.max_redirects
                self._hosts[key] = _Host(session)
            return self._hosts[key]

    def robots_pending(self, url: str) -> bool:
        """True while the URL's host robots.txt is still to be read (a scheduler may read it first)."""
        if not self.respect_robots:
            return False
        with self._lock:
            host = self._hosts.get(host_key(url))
        return host is None or host.robots is None

    def load_robots(self, url: str) -> None:
        """Read (once) the robots.txt of the URL's host."""
        host = self._host(url)
        with host.lock:
            if host.robots is None:
                host.robots = self._fetch_robots(host, url)

    def _check_robots(self, url: str) -> None:
        if not self.respect_robots:
            return
        self.load_robots(url)
        if not self._host(url).robots.can_fetch(self.user_agent, url):
            raise DisallowedByRobots(f"disallowed by robots.txt for {self.user_agent.split('/')[0]}")

    def _fetch_robots(self, host: _Host, url: str) -> RobotFileParser:
        """robots.txt of the URL's host, fetched once per host (RFC 9309: 4xx allows all, 5xx forbids all)."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = RobotFileParser(robots_url)
        self._wait_for_host(host)
        try:
            with host.session.get(robots_url, timeout=(self.connect_timeout_s, self.read_timeout_s),
                                  stream=True) as response:
                if response.status_code >= 500:
                    parser.disallow_all = True
                elif response.status_code >= 400:
                    parser.allow_all = True
                else:
                    body = b""
                    for chunk in response.iter_content(64 * 1024):
                        body += chunk
                        if len(body) >= ROBOTS_MAX_BYTES:
                            break
                    parser.parse(decode_html(body[:ROBOTS_MAX_BYTES]).splitlines())
        except requests.RequestException:
            parser.allow_all = True  # the page request itself will report the host as unreachable
        return parser

    def _wait_for_host(self, host: _Host) -> None:
        """Keep at least min_host_interval_s (or the site's Crawl-delay) between requests to a host.
        The caller holds host.lock."""
        delay = host.robots.crawl_delay(self.user_agent) if host.robots else None
        interval = max(self.min_host_interval_s, min(float(delay or 0), 30.0))
        wait = host.next_request_at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        host.next_request_at = time.monotonic() + interval


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delay-seconds or an HTTP date); None if absent or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def retry_delay(attempt: int, backoff_s: float, retry_after_s: float | None = None,
                rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter (0.5x to 1.5x of backoff_s * 2^(attempt-1)), never below Retry-After."""
    delay = backoff_s * 2 ** (attempt - 1) * (0.5 + rand())
    return max(delay, retry_after_s) if retry_after_s is not None else delay


def host_key(url: str) -> str:
    """What politeness counts per: scheme, host and port."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _is_http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _after(size: int) -> str:
    # urllib3 drops a partly read chunk when it fails, so 0 often means "within the first chunk".
    return f" after {size} bytes" if size else ""


def _reason(error: BaseException) -> str:
    """The useful part of a requests/urllib3 error chain: '[Errno 111] Connection refused',
    'IncompleteRead(200 bytes read, 800 more expected)', rather than three nested reprs."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno is not None and current.strerror:
            return f"[Errno {current.errno}] {current.strerror}"
        linked = (*current.args, getattr(current, "reason", None), current.__cause__, current.__context__)
        pending.extend(item for item in linked if isinstance(item, BaseException))
    text = str(error)
    match = _INCOMPLETE.search(text)
    return match.group(0) if match else text[:200]


def decode_html(content: bytes, header_charset: str | None = None) -> str:
    """Bytes -> text: BOM, HTTP header charset, <meta charset>, then UTF-8 / GB18030 / Big5 trials."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if content.startswith(bom):
            return content[len(bom):].decode(codec, errors="replace")
    declared = [header_charset] if header_charset else []
    match = _META_CHARSET.search(content[:4096])
    if match:
        declared.append(match.group(1).decode("ascii"))
    for codec in declared:
        codec = _widen(codec)
        try:
            return content.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any byte string, Big5 bytes included: pick the reading that looks like text.
    candidates = [content.decode(codec, errors="replace") for codec in ("gb18030", "big5hkscs")]
    return max(candidates, key=_chinese_text_score)


# Very frequent characters in news text, in both scripts.
_FREQUENT = set("的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出会會可也对對生能而子"
                "那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當"
                "没沒动動面起看定天分还還进進好小部其些主样樣理心本前开開但因只从從想实實资資投亿億万萬美元公司")


def _chinese_text_score(text: str) -> int:
    frequent = sum(1 for ch in text if ch in _FREQUENT)
    garbage = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    return frequent - 10 * garbage


def _widen(codec: str) -> str:
    """Pages labelled gb2312/gbk routinely use characters only GB18030 has; big5 likewise cp950."""
    codec = codec.lower().strip()
    return {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "iso-8859-1": "cp1252"}.get(codec, codec)
