"""A small HTTP client for the load tests: one cookie session per client, standard library only.

Every request has a timeout, opens its own connection and never follows redirects, so a test sees the 303
that acknowledges a write.
"""

import http.client
import re
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

REQUEST_TIMEOUT_SECONDS = 10
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
# A worker killed mid-request drops its connections: these are the errors that can cause.
CONNECTION_LOST = (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine, http.client.IncompleteRead)


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Tally:
    """What one client saw: every status, every failure, and how many requests were retried."""
    statuses: Counter = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    retries: int = 0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def add(self, other: "Tally") -> "Tally":
        self.statuses.update(other.statuses)
        self.unexpected += other.unexpected
        self.failures += other.failures
        self.retries += other.retries
        return self


class Client:
    """One person's browser: a cookie jar and the CSRF token of their session.

    With `retry_lost_connections`, a request whose connection is reset or closed before an answer is sent
    once more (at most once): every write the tests make is idempotent, so repeating it is safe.
    """

    def __init__(self, base_url: str, retry_lost_connections: bool = False):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.retry_lost_connections = retry_lost_connections
        self.tally = Tally()

    def copy(self, retry_lost_connections: bool = False) -> "Client":
        """The same signed-in session with a fresh tally, for one test."""
        twin = Client(f"http://{self.host}:{self.port}", retry_lost_connections)
        twin.cookies, twin.csrf = dict(self.cookies), self.csrf
        return twin

    def get(self, path: str, expect: int = 200) -> Response | None:
        return self._request("GET", path, None, expect)

    def post(self, path: str, data: dict | None = None, expect: int = 303) -> Response | None:
        return self._request("POST", path, {"csrf_token": self.csrf, **(data or {})}, expect)

    def sign_in(self, email: str, password: str) -> None:
        self.refresh_csrf("/sign-in")
        response = self.post("/sign-in", {"email": email, "password": password})
        assert response is not None and response.status == 303, f"sign-in failed for {email}: {self.tally}"
        self.refresh_csrf("/")  # signing in starts a new session, with a new token

    def refresh_csrf(self, path: str) -> None:
        response = self.get(path)
        assert response is not None, self.tally.failures
        self.csrf = CSRF_META.search(response.text).group(1)

    def _request(self, method: str, path: str, form: dict | None, expect: int) -> Response | None:
        """The response, or None when the request failed (recorded in the tally)."""
        attempts = 2 if self.retry_lost_connections else 1
        for attempt in range(attempts):
            try:
                response = self._send(method, path, form)
            except CONNECTION_LOST as error:
                if attempt + 1 < attempts:
                    self.tally.retries += 1
                    continue
                self.tally.failures.append(f"{method} {path}: {error!r}")
                return None
            except OSError as error:  # a timeout or a refused connection: never retried
                self.tally.failures.append(f"{method} {path}: {error!r}")
                return None
            self.tally.statuses[response.status] += 1
            if response.status != expect or (expect == 303 and "/sign-in" in response.location and path != "/sign-in"):
                self.tally.unexpected.append(f"{method} {path}: {response.status} {response.location}".strip())
            return response
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, form: dict | None) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT_SECONDS)
        try:
            headers = {"Connection": "close"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            body = None
            if form is not None:
                body = urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Referer"] = f"http://{self.host}:{self.port}{path}"
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["expires"].startswith("Thu, 01 Jan 1970") or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response
