"""What every fuzzed response must satisfy: no server error, and no live markup that a person typed in."""

import re
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from hypothesis import event
from hypothesis.control import currently_in_test_context
from flask.testing import FlaskClient

# The site's own scripts are all files under /static/; nothing else may run.
OWN_SCRIPT = re.compile(r"^/static/[\w./-]+$")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
EMBEDDING_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what} gave {response.status_code}: {response.get_data(as_text=True)[:800]}"


def _bare(url: str) -> str:
    """A URL as a browser reads its scheme: spaces and control characters ignored, any case."""
    return re.sub(r"[\x00-\x20]", "", url).lower()


def markup_problems(html: str) -> list[str]:
    problems = []
    page = BeautifulSoup(html, "html.parser")
    for script in page.find_all("script"):
        if not OWN_SCRIPT.match(script.get("src", "")) or script.get_text().strip():
            problems.append(f"script not served by the site: {str(script)[:200]}")
    for tag in page.find_all(True):
        if tag.name in EMBEDDING_TAGS:
            problems.append(f"<{tag.name}> element: {str(tag)[:200]}")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                problems.append(f"event handler attribute {name}={value[:80]!r} on <{tag.name}>")
            if name.lower() in URL_ATTRIBUTES and _bare(value).startswith(UNSAFE_SCHEMES):
                problems.append(f"unsafe link {name}={value[:80]!r} on <{tag.name}>")
            if name.lower().startswith(("hx-", "data-hx-")) and "fuzz-hx" in value:
                problems.append(f"htmx attribute from input {name}={value[:80]!r} on <{tag.name}>")
    return problems


def assert_no_markup(response, what: str) -> None:
    if response.mimetype != "text/html":
        return
    problems = markup_problems(response.get_data(as_text=True))
    assert not problems, f"{what} shows markup from input: {problems}"


def assert_well_formed_xml(response, what: str) -> None:
    if response.status_code == 200:
        try:
            ElementTree.fromstring(response.get_data())
        except ElementTree.ParseError as error:
            raise AssertionError(f"{what} is not well-formed XML: {error}") from error


def assert_safe(response, what: str) -> None:
    assert_no_server_error(response, what)
    assert_no_markup(response, what)
    if response.mimetype == "application/atom+xml":
        assert_well_formed_xml(response, what)


def assert_pages_safe(client: FlaskClient, *paths: str) -> None:
    """Read back the pages that show what was just stored."""
    for path in paths:
        assert_safe(client.get(path), f"GET {path}")


def submit(client: FlaskClient, path: str, data: dict, what: str = "", **kwargs):
    response = client.post(path, data=data, **kwargs)
    assert_safe(response, what or f"POST {path}")
    if currently_in_test_context():
        event(f"{what or path}: {response.status_code}")  # shown by --hypothesis-show-statistics
    return response


def accepted(response) -> bool:
    return response.status_code in (302, 303)


def landing(response) -> str:
    """Where an accepted form sends the person, as a path this client can fetch."""
    location = response.headers.get("Location", "")
    return re.sub(r"^https?://[^/]+", "", location).split("#")[0]
