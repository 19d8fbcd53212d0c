"""Load and fault tests against gunicorn with several workers, on a loopback port.

One server, loaded with the real content/, is shared by every test here; SQLite by default, PostgreSQL
when TEST_DATABASE_URL is set (tests/databases.py).
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from portal.services import accounts
from tests.databases import drop_database, new_database
from tests.load.client import Client
from tests.load.server import Portal, free_port, portal_environment
from tests.load.state import published_slugs

SUPPLIERS = 8
PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.load)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("load-portal")
    database_url = new_database(folder)
    port = free_port()
    server = Portal(url=f"http://127.0.0.1:{port}", database_url=database_url, index_dir=folder / "search_index",
                    env=portal_environment(folder, database_url, port), log_path=folder / "gunicorn.log")
    try:
        loaded = server.flask("load-content", timeout=180)
        assert loaded.returncode == 0, loaded.stdout + loaded.stderr
        server.start()
        warm = server.warm_up(f"/opportunities/{published_slugs(server.engine, 1)[0][1]}")
        print(f"\nEvery worker served an opportunity page after {warm:.1f} s of warming up")
        yield server
    finally:
        server.stop()
        server.dispose_engine()
        drop_database(database_url)


@pytest.fixture(autouse=True)
def gunicorn_log_on_failure(request):
    """When a test here fails, show the end of gunicorn's log (tracebacks of any 500 are there)."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and "portal" in request.fixturenames:
        print("---- gunicorn log (last lines) ----")
        print(request.getfixturevalue("portal").log_tail())


@dataclass(frozen=True)
class Supplier:
    user_id: int
    organisation_id: int
    email: str
    client: Client


@pytest.fixture(scope="session")
def suppliers(portal) -> list[Supplier]:
    """Supplier accounts made in the database, each signed in once through the real form.

    Sign-in is rate-limited (20 a minute per address in each worker), so the sessions are shared by every test here.
    """
    made = []
    with Session(portal.engine, expire_on_commit=False) as session:
        for number in range(SUPPLIERS):
            user = accounts.sign_up_supplier(session, f"Load Tester {number}", f"load-{number}@example.org", PASSWORD,
                                             accounts.SupplierDetails(
                                                 organisation_name=f"Load Test Supplier {number}",
                                                 size="small", legal_form="company", registration_number=None,
                                                 regions_served=["TLI"], capabilities=["55"], website=None,
                                                 one_line="We test things under load."))
            user.email_confirmed_at = user.created_at
            session.add(user)
            session.commit()
            made.append(user)

    def signed_in(user) -> Supplier:
        client = Client(portal.url)
        client.sign_in(user.email, PASSWORD)
        return Supplier(user.id, user.organisation_id, user.email, client)

    with ThreadPoolExecutor(SUPPLIERS) as pool:
        return list(pool.map(signed_in, made))
