"""A live portal, loaded with the real content, for Playwright tests in a real browser."""

import email
import email.policy
import os
import re
import shutil
import threading
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.mail import wait_for_background_mail

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


def system_browser() -> str | None:
    """PORTAL_BROWSER, else Debian's Chromium, else None (Playwright's own browser, if installed)."""
    configured = os.environ.get("PORTAL_BROWSER")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # No skipping: if no browser can be found, launching fails and every browser test fails loudly.
    executable = system_browser()
    if executable:
        return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}
    return browser_type_launch_args


@pytest.fixture(scope="session")
def live_server(content_app, tmp_path_factory):
    server = make_server("127.0.0.1", 0, content_app, threaded=True)
    address = f"http://127.0.0.1:{server.server_port}"
    # Emails link to the server the browser uses, and land where the journeys can read them.
    content_app.config.update(BASE_URL=address, OUTBOX_DIR=str(tmp_path_factory.mktemp("outbox")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield address
    server.shutdown()


def _outbox(app) -> list[tuple[str, EmailMessage]]:
    """Every email sent so far, oldest first, each with its file name (which starts with the moment it was sent)."""
    wait_for_background_mail()
    return [(path.name, email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
            for path in sorted(Path(app.config["OUTBOX_DIR"]).glob("*.eml"))]


def plain_text(message: EmailMessage) -> str:
    """An email's text, without any attachment such as a calendar file."""
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def read_email(content_app):
    """The newest email sent to an address, as text."""
    def read(to: str) -> str:
        for _name, message in reversed(_outbox(content_app)):
            if message["To"] == to:
                return plain_text(message)
        raise AssertionError(f"no email to {to}")
    return read


@pytest.fixture
def read_emails(content_app):
    """Every email sent to an address since a moment (by default, since the test began), oldest first."""
    began = datetime.now(timezone.utc)

    def read(to: str, since: datetime = began) -> list[EmailMessage]:
        mark = since.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%f")  # as the outbox names its files
        return [message for name, message in _outbox(content_app) if name >= mark and message["To"] == to]
    return read


def link_in(message: str, path_start: str) -> str:
    """The path of the first link in an email that starts with path_start."""
    return re.search(rf"https?://[^/\s]+({re.escape(path_start)}\S*)", message).group(1)


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server
