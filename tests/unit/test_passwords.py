"""The password rules: long enough, not one repeated character, not common, not the person's own details."""

import pytest
from sqlmodel import Session, select

from portal.models import User
from portal.services import passwords
from portal.services.passwords import password_problem

STRONG = "lantern pebble orchard"  # three random words
AMY = ("Amy Example", "amy.example@goodfood.example.org", "Good Food CIC")


def test_eleven_characters_are_too_few_and_twelve_are_enough():
    assert password_problem("tqzmvbrwkpl") == "Password must be 12 characters or more"
    assert password_problem("tqzmvbrwkplx") is None


def test_two_hundred_characters_are_the_most():
    words = "lantern pebble orchard "
    assert password_problem((words * 9)[:200]) is None
    assert password_problem((words * 9)[:201]) == "Password must be 200 characters or fewer"


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "AaAaAaAaAaAa", " " * 12, "7" * 30, "éÉéÉéÉéÉéÉéÉ"])
def test_one_character_repeated_is_refused(password):
    assert password_problem(password) == passwords.ONE_CHARACTER


@pytest.mark.parametrize("password", [" " * 10, "password12", "1234567890"])
def test_the_passwords_reported_as_accepted_are_refused(password):
    assert password_problem(password) == passwords.TOO_SHORT


@pytest.mark.parametrize("password", ["password1234", "PassWord1234", "QWERTYUIOP123", "1q2w3e4r5t6y",
                                      "   password   ", "\tletmein     "])
def test_common_passwords_are_refused_whatever_their_case_or_surrounding_spaces(password):
    assert password_problem(password) == passwords.COMMON


def test_the_common_password_list_is_loaded_once_into_a_frozenset():
    common = passwords.common_passwords()
    assert isinstance(common, frozenset) and len(common) == 30_000
    assert {"123456", "password", "qwertyuiop", "password1234"} <= common
    assert passwords.common_passwords() is common


@pytest.mark.parametrize("password", [STRONG, "Lantern Pebble Orchard", "correct horse battery staple",
                                      "tqzmvbrwkplx", "842619375048"])
def test_long_uncommon_passwords_pass_with_no_composition_rules(password):
    assert password_problem(password) is None
    assert password_problem(password, AMY) is None


@pytest.mark.parametrize("password", ["Amy Example 2026", "amyexample!!!!", "amy.example@goodfood.example.org",
                                      "AMY.EXAMPLE@2026", "Good Food CIC 2026", "Example12345678",
                                      "Opportunity Portal", "opportunityportal1", "PORTAL123456"])
def test_the_persons_name_email_organisation_or_the_portals_name_are_refused(password):
    assert password_problem(password, AMY) == passwords.ABOUT_YOU


def test_context_words_are_only_refused_for_that_person():
    assert password_problem("Amy Example 2026") is None
    assert password_problem("Amy Example 2026", ("Ben Other", "ben@example.org")) is None
    assert password_problem("Amy Example 2026", ("", None)) is None


def test_messages_say_what_to_do():
    for message in (passwords.ONE_CHARACTER, passwords.COMMON, passwords.ABOUT_YOU):
        assert message.startswith("Choose a password that is harder to guess") and "Three random words" in message
    assert passwords.HINT == "12 characters or more. Three random words together make a strong password that is easy to remember."


def test_create_admin_refuses_a_weak_password_with_the_same_message(app, runner):
    weak = runner.invoke(args=["create-admin", "root@example.org", "--password", "password1234"])
    assert weak.exit_code != 0 and passwords.COMMON in " ".join(weak.output.split())
    short = runner.invoke(args=["create-admin", "root@example.org"], input="short\nshort\n")
    assert short.exit_code != 0 and passwords.TOO_SHORT in short.output
    own_email = runner.invoke(args=["create-admin", "root@example.org", "--password", "root@example.org"])
    assert own_email.exit_code != 0 and "do not use your name, your email address" in " ".join(own_email.output.split())
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(User)).all() == []
    strong = runner.invoke(args=["create-admin", "root@example.org", "--password", STRONG])
    assert strong.exit_code == 0, strong.output
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(User.email)).all() == ["root@example.org"]
