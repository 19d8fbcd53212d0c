import pytest

from tests.web.conftest import soup
from tests.web.helpers import make_supplier, sign_in


@pytest.fixture
def failing_app(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")
    return app


def test_unexpected_errors_show_a_helpful_500_without_details(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body
    assert "secret internal detail" not in body and "Traceback" not in body


def test_wrong_method_gets_a_plain_page(client):
    response = client.post("/opportunities")
    assert response.status_code in (400, 405)
    assert soup(response).h1 is not None


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert client.get("/nope").headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path, status", [("/", 200), ("/search", 200), ("/sign-in", 200), ("/no-such-page", 404)])
def test_html_pages_are_never_stored_by_browsers_or_proxies(client, path, status):
    response = client.get(path)
    assert response.status_code == status and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"


def test_signed_in_pages_are_never_stored(app, client):
    make_supplier(app)
    sign_in(client)
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_assets_may_be_cached(client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_pages_carry_a_csrf_token_for_forms_and_htmx(client):
    token = soup(client.get("/")).select_one('meta[name="csrf-token"]')["content"]
    assert len(token) > 20


def test_static_assets_are_served(client):
    assert client.get("/static/vendor/govuk-frontend/govuk-frontend.min.css").status_code == 200
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200


def test_no_inline_scripts_or_styles_so_the_csp_holds(client):
    page = soup(client.get("/"))
    assert all(script.get("src") for script in page.find_all("script"))
    assert not page.find_all("style") and not page.select("[style]")
