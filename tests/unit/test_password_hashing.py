"""Passwords are hashed with scrypt in the real settings; the tests' cheaper method is theirs alone."""

import pytest
from sqlmodel import Session

from portal import config, create_app
from portal.services import accounts
from tests.conftest import TEST_PASSWORD_HASH_METHOD, make_test_config
from tests.databases import drop_database

DETAILS = accounts.SupplierDetails(organisation_name="Good Food CIC", size="micro", legal_form="company",
                                   registration_number=None, regions_served=["TLI"], capabilities=["55"], website=None,
                                   one_line="We cook.")


@pytest.fixture
def restore_method():
    """Put the tests' method back afterwards, as the next app made would."""
    yield
    accounts.use_password_hash_method(TEST_PASSWORD_HASH_METHOD)


def real_settings_app(tmp_path):
    settings = make_test_config(tmp_path)
    del settings["PASSWORD_HASH_METHOD"]  # as from the environment, like a real server
    return create_app(settings)


def test_the_real_settings_hash_with_scrypt(tmp_path, restore_method):
    assert config.from_environment()["PASSWORD_HASH_METHOD"] == "scrypt"
    app = real_settings_app(tmp_path)
    try:
        with Session(app.extensions["engine"]) as session:
            user = accounts.sign_up_supplier(session, "Amy", "amy@example.org", "lantern pebble orchard", DETAILS)
            assert user.password_hash.startswith("scrypt:32768:8:1$")
            assert accounts.authenticate(session, "amy@example.org", "lantern pebble orchard") == user
            assert accounts.authenticate(session, "amy@example.org", "lantern pebble orchards") is None
        # A wrong email is checked against a hash made the same way, so it takes as long as a wrong password.
        assert accounts._dummy_hash().startswith("scrypt:32768:8:1$")
    finally:
        app.extensions["engine"].dispose()
        drop_database(app.config["DATABASE_URL"])


def test_the_tests_use_a_cheap_method_and_hashes_from_either_still_work(tmp_path, restore_method):
    accounts.use_password_hash_method("scrypt")
    app = create_app(make_test_config(tmp_path))  # each app sets the method for the process
    try:
        with Session(app.extensions["engine"]) as session:
            cheap = accounts.sign_up_supplier(session, "Amy", "amy@example.org", "lantern pebble orchard", DETAILS)
            assert cheap.password_hash.startswith(TEST_PASSWORD_HASH_METHOD + "$")
            accounts.use_password_hash_method("scrypt")  # hashes are checked by the method they name
            assert accounts.authenticate(session, "amy@example.org", "lantern pebble orchard") == cheap
    finally:
        app.extensions["engine"].dispose()
        drop_database(app.config["DATABASE_URL"])


def test_an_unknown_method_stops_the_app_starting(tmp_path, restore_method):
    with pytest.raises(ValueError):
        create_app(make_test_config(tmp_path, PASSWORD_HASH_METHOD="md5-please"))
