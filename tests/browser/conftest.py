"""A live portal, loaded with the real content, for Playwright tests in a real browser."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

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
def live_server(content_app):
    server = make_server("127.0.0.1", 0, content_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server
