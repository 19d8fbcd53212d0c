"""Residents' voice rules: nothing public before approval, redaction keeps the original, three reports from different
people hide a comment, a resident's daily limit, the honeypot, and who may take part."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from portal.models import Contribution, ContributionStatus, Role, User, utcnow
from portal.services import accounts, voice, voice_moderation
from portal.services.voice import CONTRIBUTIONS_PER_DAY, REPORTS_TO_HIDE, Refused, Subject
from tests.conftest import TODAY
from tests.factories import make_buyer, make_mission, make_opportunity, make_supplier_user


def resident(session, address: str, confirmed: bool = True) -> User:
    user = accounts.sign_up_resident(session, address.split("@")[0].title(), address, "long password here")
    if confirmed:
        user.email_confirmed_at = utcnow()
        session.add(user)
        session.commit()
    return user


@pytest.fixture
def world(app, session):
    with app.test_request_context():
        buyer = make_buyer(session)
        opportunity = make_opportunity(session, buyer)
        staff = User(email="staff@council.example.org", name="Staff", password_hash="x", role=Role.BUYER,
                     organisation_id=buyer.id, email_confirmed_at=utcnow())
        session.add(staff)
        session.commit()
        yield {"subject": Subject(opportunity=opportunity), "staff": staff, "rita": resident(session, "rita@example.org"),
               "buyer": buyer}


def say(session, world, text="It matters to my family.", user=None, honeypot=""):
    return voice.contribute(session, user or world["rita"], world["subject"], text, TODAY, honeypot)


def test_a_contribution_waits_and_is_not_public_until_approved(session, world):
    contribution = say(session, world)
    assert contribution.status == ContributionStatus.WAITING
    assert voice.published(session, world["subject"]) == []
    assert voice_moderation.approve(session, contribution, world["staff"], show_name=True)
    [shown] = voice.published(session, world["subject"])
    assert (shown.text, shown.name) == ("It matters to my family.", "Rita")
    assert not voice_moderation.approve(session, contribution, world["staff"], show_name=True)  # once


def test_rejected_is_never_public_and_cannot_then_be_published(session, world):
    contribution = say(session, world)
    email = voice_moderation.reject(session, contribution, world["staff"], "Names a neighbour.")
    assert email.to == "rita@example.org" and "Names a neighbour." in email.body
    assert voice.published(session, world["subject"]) == []
    assert not voice_moderation.approve(session, contribution, world["staff"], show_name=True)
    assert voice_moderation.redact(session, contribution, world["staff"], "Part", "Reason", True) is None
    assert voice_moderation.reject(session, contribution, world["staff"], "Again") is None


def test_redaction_keeps_the_original_and_can_hide_the_name(session, world):
    contribution = say(session, world, "Useful part. Bob at number 4 is rude.")
    assert voice_moderation.redact(session, contribution, world["staff"], "Useful part.", "Named a neighbour.",
                                   show_name=False) is not None
    assert contribution.text == "Useful part. Bob at number 4 is rude."
    [shown] = voice.published(session, world["subject"])
    assert (shown.text, shown.name, shown.shortened) == ("Useful part.", voice.ANONYMOUS_NAME, True)


def test_redaction_must_change_the_text(session, world):
    contribution = say(session, world, "Same.")
    assert voice_moderation.redact(session, contribution, world["staff"], "Same.", "x", True) is None
    assert contribution.status == ContributionStatus.WAITING


def test_three_reports_from_different_people_hide_it(session, world):
    contribution = say(session, world)
    voice_moderation.approve(session, contribution, world["staff"], show_name=True)
    reporters = [resident(session, f"r{n}@example.org") for n in range(REPORTS_TO_HIDE)]
    assert not voice.report(session, reporters[0], contribution, "rude")
    assert not voice.report(session, reporters[0], contribution, "rude")  # the same person counts once
    assert not voice.report(session, reporters[1], contribution, "")
    assert contribution.status == ContributionStatus.PUBLISHED
    assert voice.report(session, reporters[2], contribution, "")
    assert contribution.status == ContributionStatus.HIDDEN
    assert voice.published(session, world["subject"]) == []
    with pytest.raises(Refused):  # hidden: no more reports
        voice.report(session, world["rita"], contribution, "")
    assert voice_moderation.approve(session, contribution, world["staff"], show_name=True)  # looked at again
    assert voice.open_reports(session, contribution.id) == 0
    assert len(voice_moderation.reports(session, contribution.id)) == REPORTS_TO_HIDE


def test_only_published_comments_can_be_reported(session, world):
    contribution = say(session, world)
    with pytest.raises(Refused):
        voice.report(session, world["rita"], contribution, "")


def test_daily_limit_counts_the_last_24_hours(session, world):
    for _ in range(CONTRIBUTIONS_PER_DAY):
        say(session, world)
    with pytest.raises(Refused) as refused:
        say(session, world)
    assert refused.value.status == 429
    for row in session.exec(select(Contribution)).all():
        row.created_at = utcnow() - timedelta(hours=25)
        session.add(row)
    session.commit()
    assert say(session, world) is not None


def test_the_honeypot_keeps_nothing(session, world):
    assert say(session, world, honeypot="http://spam.example") is None
    assert session.exec(select(Contribution)).all() == []


@pytest.mark.parametrize("who", ["supplier", "unconfirmed", "buyer"])
def test_only_confirmed_residents_take_part(session, world, who):
    user = {"supplier": lambda: make_supplier_user(session, "s@example.org", "Org"),
            "unconfirmed": lambda: resident(session, "u@example.org", confirmed=False),
            "buyer": lambda: world["staff"]}[who]()
    with pytest.raises(Refused):
        say(session, world, user=user)
    with pytest.raises(Refused):
        voice.say_it_matters(session, user, world["subject"], TODAY)


def test_this_matters_to_me_once_per_person(session, world):
    assert voice.say_it_matters(session, world["rita"], world["subject"], TODAY)
    assert not voice.say_it_matters(session, world["rita"], world["subject"], TODAY)
    assert voice.matters_count(session, world["subject"]) == 1


def test_closed_engagement_takes_no_more(session, world):
    closed = make_opportunity(session, world["buyer"], engagement_closes_on=date(2026, 11, 1))
    with pytest.raises(Refused):
        voice.contribute(session, world["rita"], Subject(opportunity=closed), "Text", TODAY)


def test_a_mission_without_an_organisation_takes_no_comments(session, world):
    with pytest.raises(Refused):
        voice.contribute(session, world["rita"], Subject(mission=make_mission(session, None)), "Text", TODAY)


def test_staff_only_see_their_own_organisations_comments(session, world):
    contribution = say(session, world)
    other = make_buyer(session)
    assert voice_moderation.get_own(session, other.id, contribution.id) is None
    assert voice_moderation.get_own(session, world["buyer"].id, contribution.id) == contribution
    mission = make_mission(session, other)
    on_mission = voice.contribute(session, world["rita"], Subject(mission=mission), "Text", TODAY)
    assert voice_moderation.get_own(session, other.id, on_mission.id) == on_mission
    assert [row.contribution.id for row in voice_moderation.for_organisation(session, other.id)["waiting"]] == [on_mission.id]
