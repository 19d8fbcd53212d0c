"""Paging politely through a publisher's OCDS API: `links.next` from page to page.

Polite: at most one request every `min_interval` seconds, a User-Agent that names the portal, retries with
growing waits (or the server's Retry-After) on time-outs, 429 and 5xx, and next links followed only on the same
site. Resumable: after each page is saved, the address of the next one is written to a small state file, keyed by
the address the import started from, so a stopped import carries on there. When the last page has no next link,
its own address is kept, so the next run reads it again and follows any pages added since.
"""

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit


MAX_PAGE_BYTES = 50 * 1024 * 1024
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 120.0


class FetchProblem(Exception):
    """A page could not be fetched or read; the message says why, `url` which page."""

    url = ""


@dataclass
class Page:
    url: str
    data: object
    next_url: str | None


@dataclass
class Fetcher:
    user_agent: str
    min_interval: float = 1.0  # seconds between requests
    retries: int = 4
    backoff: float = 2.0  # the first wait; each retry waits twice as long
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self):
        import requests  # here, not at the top: web workers import this module, but only notice imports fetch

        self.session = requests.Session()
        self.session.headers.update({"User-Agent": self.user_agent, "Accept": "application/json"})
        self._last = None

    def get_json(self, url: str) -> object:
        import requests

        for attempt in range(self.retries + 1):
            self._wait_turn()
            try:
                response = self.session.get(url, timeout=self.timeout)
            except requests.RequestException as error:
                if attempt == self.retries:
                    raise FetchProblem(f"could not reach it after {attempt + 1} tries ({type(error).__name__})") from None
                self.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                after = _retry_after(response)
                self.sleep(after if after is not None else self.backoff * 2**attempt)
                continue
            if response.status_code != 200:
                raise FetchProblem(f"the server answered {response.status_code}"
                                   + (f" after {attempt + 1} tries" if attempt else ""))
            if len(response.content) > MAX_PAGE_BYTES:
                raise FetchProblem("the page is more than 50 MB")
            try:
                return response.json()
            except ValueError:
                raise FetchProblem("the page is not JSON") from None
        raise FetchProblem("no answer")  # not reached: the last attempt returns or raises

    def _wait_turn(self) -> None:
        if self._last is not None:
            waited = self.clock() - self._last
            if waited < self.min_interval:
                self.sleep(self.min_interval - waited)
        self._last = self.clock()


def next_link(page_url: str, data) -> str | None:
    """The page's links.next, when it is on the same site."""
    links = data.get("links") if isinstance(data, dict) else None
    target = links.get("next") if isinstance(links, dict) else None
    if not isinstance(target, str) or not target.strip():
        return None
    target = urljoin(page_url, target.strip())
    here, there = urlsplit(page_url), urlsplit(target)
    if (there.scheme, there.netloc) != (here.scheme, here.netloc) or target == page_url:
        return None
    return target


def pages(fetcher: Fetcher, start_url: str, state: "ResumeState", max_pages: int | None = None) -> Iterator[Page]:
    """Each page from where the last run stopped (or start_url). The caller saves it, then calls state.done(page)."""
    url, seen = state.resume_from(start_url), set()
    while url and url not in seen and (max_pages is None or len(seen) < max_pages):
        seen.add(url)
        try:
            data = fetcher.get_json(url)
        except FetchProblem as problem:
            problem.url = url
            raise
        page = Page(url, data, next_link(url, data))
        yield page
        url = page.next_url


class ResumeState:
    """Where each API import got to, in a JSON file: {start url: next page url}."""

    def __init__(self, path: Path | None):
        self.path = path
        self.start_url = None

    def _read(self) -> dict:
        if self.path is None or not self.path.exists():
            return {}
        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            return {}
        return found if isinstance(found, dict) else {}

    def resume_from(self, start_url: str) -> str:
        self.start_url = start_url
        stored = self._read().get(start_url)
        return stored if isinstance(stored, str) and stored.startswith(("https://", "http://")) else start_url

    def done(self, page: Page) -> None:
        if self.path is None:
            return
        stored = self._read() | {self.start_url: page.next_url or page.url}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(stored, indent=1, sort_keys=True), encoding="utf-8")
        temporary.replace(self.path)


def _retry_after(response) -> float | None:
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
