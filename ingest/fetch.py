"""HTTP fetching with manners: a descriptive User-Agent, timeouts, a size cap, bounded retries."""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import requests

DEFAULT_USER_AGENT = "dealwire/0.1 (+https://github.com/dealwire/dealwire; news research crawler)"
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_ACCEPTED_TYPES = ("html", "xml", "rss", "atom", "text/plain")


class FetchError(RuntimeError):
    """A URL could not be fetched; the message is fit for raw.fetch_log."""

    def __init__(self, message: str, http_status: int | None = None, nbytes: int = 0):
        super().__init__(message)
        self.http_status = http_status
        self.nbytes = nbytes


class DisallowedByRobots(FetchError):
    """robots.txt forbids this URL for our User-Agent: skipped, not retried."""


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


@dataclass
class Fetcher:
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_attempts: int = 3
    backoff_s: float = 0.5
    max_redirects: int = 5
    min_host_interval_s: float = 1.0  # politeness floor between two requests to one host
    respect_robots: bool = True

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.user_agent
        self.session.max_redirects = self.max_redirects
        self._robots: dict[str, RobotFileParser] = {}
        self._next_request_at: dict[str, float] = {}

    def get(self, url: str, validators: tuple[str | None, str | None] | None = None) -> Response:
        """GET with retries. `validators` (ETag, Last-Modified) from an earlier fetch make it conditional:
        an unchanged page answers 304 with no body."""
        headers = {}
        if validators:
            etag, last_modified = validators
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        if not url.startswith(("http://", "https://")):
            raise FetchError(f"refusing non-http(s) URL {url!r}")
        if self.respect_robots and not self._robots_for(url).can_fetch(self.user_agent, url):
            raise DisallowedByRobots(f"disallowed by robots.txt for {self.user_agent.split('/')[0]}")
        started_at = datetime.now(timezone.utc).replace(tzinfo=None)
        clock = time.monotonic()
        for attempt in range(1, self.max_attempts + 1):
            try:
                response = self._get_once(url, headers)
            except (requests.ConnectionError, requests.Timeout) as error:
                if attempt == self.max_attempts:
                    raise FetchError(f"{type(error).__name__} after {attempt} attempts: {error}") from error
                self._sleep_before_retry(attempt, None)
                continue
            except requests.TooManyRedirects as error:
                raise FetchError(f"too many redirects (>{self.max_redirects})") from error
            except requests.RequestException as error:
                raise FetchError(f"{type(error).__name__}: {error}") from error
            if response.status_code in _RETRY_STATUSES and attempt < self.max_attempts:
                self._sleep_before_retry(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} for {url}", http_status=response.status_code)
            if response.status_code == 304:
                response.close()
                return Response(url=response.url, status=304, content=b"", content_type="", header_charset=None,
                                started_at=started_at, elapsed_ms=int((time.monotonic() - clock) * 1000),
                                etag=validators[0] if validators else None,
                                last_modified=validators[1] if validators else None)
            content_type = response.headers.get("Content-Type", "").lower()
            if content_type and not any(kind in content_type for kind in _ACCEPTED_TYPES):
                raise FetchError(f"skipped content type {content_type!r}", http_status=response.status_code)
            content = self._read_capped(response)
            return Response(url=response.url, status=response.status_code, content=content,
                            content_type=content_type, header_charset=response.encoding
                            if "charset" in content_type else None, started_at=started_at,
                            elapsed_ms=int((time.monotonic() - clock) * 1000),
                            etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"))
        raise AssertionError("unreachable")

    def _robots_for(self, url: str) -> RobotFileParser:
        """robots.txt of the URL's host, fetched once per host (RFC 9309: 4xx allows all, 5xx forbids all)."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            parser = RobotFileParser(host + "/robots.txt")
            try:
                self._wait_for_host(host)
                response = self.session.get(host + "/robots.txt",
                                            timeout=(self.connect_timeout_s, self.read_timeout_s))
                if response.status_code >= 500:
                    parser.disallow_all = True
                elif response.status_code >= 400:
                    parser.allow_all = True
                else:
                    parser.parse(response.text.splitlines())
            except requests.RequestException:
                parser.allow_all = True  # the page request itself will report the host as unreachable
            self._robots[host] = parser
        return self._robots[host]

    def _wait_for_host(self, host: str) -> None:
        """Keep at least min_host_interval_s (or the site's Crawl-delay) between requests to a host."""
        robots = self._robots.get(host)
        delay = robots.crawl_delay(self.user_agent) if robots else None
        interval = max(self.min_host_interval_s, min(float(delay or 0), 30.0))
        wait = self._next_request_at.get(host, 0.0) - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._next_request_at[host] = time.monotonic() + interval

    def _get_once(self, url: str, headers: dict[str, str]) -> requests.Response:
        parts = urlsplit(url)
        self._wait_for_host(f"{parts.scheme}://{parts.netloc}")
        response = self.session.get(url, headers=headers, timeout=(self.connect_timeout_s, self.read_timeout_s), stream=True)
        for hop in response.history + [response]:
            if not hop.url.startswith(("http://", "https://")):
                raise FetchError(f"redirect to a non-http(s) URL {hop.url!r}")
        return response

    def _read_capped(self, response: requests.Response) -> bytes:
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"response larger than {self.max_bytes} bytes", response.status_code, size)
                chunks.append(chunk)
        except requests.RequestException as error:
            raise FetchError(f"body cut off after {size} bytes: {error}", response.status_code, size) from error
        finally:
            response.close()
        return b"".join(chunks)

    def _sleep_before_retry(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff_s * (2 ** (attempt - 1)) * (1 + random.random() * 0.25)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), 30.0))
        time.sleep(delay)


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
