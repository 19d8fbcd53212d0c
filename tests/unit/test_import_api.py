"""`import-notices URL`: paging through a publisher's OCDS API, against a fake API on this machine."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import Session, select

from portal.models import Opportunity
from portal.opendata.api_fetch import Fetcher, ResumeState, next_link
from portal.opendata.importer import import_from_api
from portal.services.notices import Outcome
from tests.fixtures.ocds_publishers import ocds_release, release_package


class FakeApi:
    """Three pages of releases linked by links.next; `failures` answers 503 that many times to a path first."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []  # (path, user agent)
        self.failures: dict[str, int] = {}
        self.pages: dict[str, object] = {}
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                api.requests.append((self.path, self.headers.get("User-Agent", "")))
                if api.failures.get(self.path, 0) > 0:
                    api.failures[self.path] -= 1
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                page = api.pages.get(self.path)
                body = (page if isinstance(page, str) else json.dumps(page)).encode() if page is not None else b""
                self.send_response(200 if page is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        for number in (1, 2, 3):
            releases = [ocds_release(f"ocds-r6ebe6-00000{number}{i}", f"r{number}{i}") for i in range(2)]
            package = release_package(*releases)
            if number < 3:
                package["links"] = {"next": f"{self.url}/releases?page={number + 1}"}
            self.pages[f"/releases?page={number}"] = package
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture
def api():
    fake = FakeApi()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def fetcher():
    waits = []
    fetcher = Fetcher(user_agent="OpportunityPortal-notice-importer/1.0 (+http://test)", min_interval=0.5,
                      backoff=0.25, retries=2, timeout=5, sleep=waits.append)
    fetcher.waits = waits
    return fetcher


def fetch(app, api, fetcher, state, **options):
    return import_from_api(app.extensions["engine"], app.extensions["search"], f"{api.url}/releases?page=1", fetcher,
                           state, **options)


def imported(app) -> int:
    with Session(app.extensions["engine"]) as session:
        return len(session.exec(select(Opportunity.id)).all())


def test_pages_are_followed_politely_with_retries_and_a_user_agent(app, api, fetcher, tmp_path):
    api.failures["/releases?page=2"] = 1

    report = fetch(app, api, fetcher, ResumeState(tmp_path / "state.json"))

    assert report.counts[Outcome.CREATED] == 6 and not report.problems
    assert api.paths() == ["/releases?page=1", "/releases?page=2", "/releases?page=2", "/releases?page=3"]
    assert {agent for _, agent in api.requests} == {"OpportunityPortal-notice-importer/1.0 (+http://test)"}
    assert 0 in fetcher.waits, "the 503's Retry-After: 0 was honoured"
    assert sum(1 for wait in fetcher.waits if 0 < wait <= 0.5) >= 2, "requests were spaced out"
    assert [f.file for f in report.files] == [f"{api.url}/releases?page={n}" for n in (1, 2, 3)]


def test_a_stopped_import_resumes_where_it_stopped(app, api, fetcher, tmp_path):
    state = ResumeState(tmp_path / "state.json")

    first = fetch(app, api, fetcher, state, max_pages=1)
    second = fetch(app, api, fetcher, state)
    third = fetch(app, api, fetcher, state)

    assert first.counts[Outcome.CREATED] == 2 and second.counts[Outcome.CREATED] == 4
    assert api.paths() == ["/releases?page=1", "/releases?page=2", "/releases?page=3", "/releases?page=3"]
    assert third.counts[Outcome.UNCHANGED] == 2 and third.counts[Outcome.CREATED] == 0
    assert imported(app) == 6


def test_a_failing_page_is_refused_after_the_retries_and_the_import_resumes_there(app, api, fetcher, tmp_path):
    state = ResumeState(tmp_path / "state.json")
    api.failures["/releases?page=2"] = 5

    failed = fetch(app, api, fetcher, state)
    api.failures.clear()
    resumed = fetch(app, api, fetcher, state)

    assert [str(p) for p in failed.problems] == [f"{api.url}/releases?page=2: the server answered 503 after 3 tries"]
    assert failed.counts[Outcome.CREATED] == 2 and resumed.counts[Outcome.CREATED] == 4
    assert api.paths()[-2:] == ["/releases?page=2", "/releases?page=3"]


def test_a_dry_run_saves_nothing_and_does_not_move_the_resume_point(app, api, fetcher, tmp_path):
    state = ResumeState(tmp_path / "state.json")
    report = fetch(app, api, fetcher, state, dry_run=True)
    assert report.counts[Outcome.CREATED] == 6 and imported(app) == 0
    assert not (tmp_path / "state.json").exists()


def test_a_page_that_is_not_ocds_is_refused(app, api, fetcher, tmp_path):
    api.pages["/releases?page=2"] = "<html>maintenance</html>"
    report = fetch(app, api, fetcher, ResumeState(tmp_path / "state.json"))
    assert [str(p) for p in report.problems] == [f"{api.url}/releases?page=2: the page is not JSON"]


def test_an_unreachable_api_is_refused_not_crashed(app, fetcher, tmp_path):
    report = import_from_api(app.extensions["engine"], app.extensions["search"], "http://127.0.0.1:9/releases",
                             fetcher, ResumeState(tmp_path / "state.json"))
    assert len(report.problems) == 1 and "could not reach it after 3 tries" in str(report.problems[0])


@pytest.mark.parametrize(("data", "expected"), [
    ({"links": {"next": "https://api.example.org/r?page=2"}}, "https://api.example.org/r?page=2"),
    ({"links": {"next": "/r?page=2"}}, "https://api.example.org/r?page=2"),
    ({"links": {"next": "https://elsewhere.example.com/r?page=2"}}, None),  # never led off the publisher's site
    ({"links": {"next": "https://api.example.org/r?page=1"}}, None),  # a page that points at itself
    ({"links": {"next": 5}}, None), ({"links": []}, None), ([], None),
])
def test_next_links_stay_on_the_publishers_site(data, expected):
    assert next_link("https://api.example.org/r?page=1", data) == expected


def test_a_broken_state_file_starts_again_from_the_start(tmp_path):
    (tmp_path / "state.json").write_text("{not json")
    assert ResumeState(tmp_path / "state.json").resume_from("https://api.example.org/r") == "https://api.example.org/r"


def test_the_command_fetches_from_a_url(runner, api, app, monkeypatch):
    monkeypatch.setattr("portal.opendata.api_fetch.time.sleep", lambda seconds: None)
    result = runner.invoke(args=["import-notices", "--wait", "0", f"{api.url}/releases?page=1"])
    assert result.exit_code == 0, result.output
    assert "Notices imported: 6 created" in result.output
    assert api.requests[0][1].startswith("OpportunityPortal-notice-importer/")

