"""The reading age is worked out when an opportunity is saved and stored, so pages only read the number."""

import sys

from bs4 import BeautifulSoup
from sqlmodel import select

from portal import presenters
from portal.models import Opportunity
from portal.plain import about_reading_age
from portal.services.reading_age import reading_age_of
from tests.factories import make_buyer, make_opportunity

HARD = ("The procurement of multidisciplinary interventions necessitates comprehensive consideration of "
        "organisational interdependencies, notwithstanding considerable implementation complexities.")
EASY = "We want hot meals for children. They should taste good. Kids can help us choose."


def stored_age(session, opportunity_id):
    session.expire_all()
    return session.exec(select(Opportunity.reading_age).where(Opportunity.id == opportunity_id)).one()


def test_a_new_opportunity_has_its_reading_age_stored(session):
    item = make_opportunity(session, make_buyer(session), summary=EASY, why_md=EASY, body_md=EASY)
    assert stored_age(session, item.id) == reading_age_of(EASY, EASY, EASY) is not None


def test_changing_the_brief_works_the_reading_age_out_again(session):
    item = make_opportunity(session, make_buyer(session), summary=EASY, why_md=EASY, body_md=EASY)
    easy_age = stored_age(session, item.id)
    item = session.get(Opportunity, item.id)
    item.body_md = HARD
    session.add(item)
    session.commit()
    hard_age = stored_age(session, item.id)
    assert hard_age == reading_age_of(EASY, EASY, HARD) and hard_age > easy_age


def test_other_changes_leave_the_reading_age_alone(session, monkeypatch):
    item = make_opportunity(session, make_buyer(session), summary=EASY, why_md=EASY, body_md=EASY)
    monkeypatch.setattr("portal.services.reading_age.reading_age_of", lambda *texts: 99)
    item = session.get(Opportunity, item.id)
    item.title = "A new title"
    session.add(item)
    session.commit()
    assert stored_age(session, item.id) != 99


def test_the_page_shows_the_stored_reading_age_without_checking_again(client, session, monkeypatch):
    item = make_opportunity(session, make_buyer(session), summary=EASY, why_md=EASY, body_md=EASY)
    stored = session.get(Opportunity, item.id)
    stored.reading_age = 17  # as if scored so; nothing on the page may score it again
    session.add(stored)
    session.commit()

    def no_checking(*args, **kwargs):
        raise AssertionError("the page checked the text again")

    monkeypatch.setattr("portal.services.reading_age.reading_age_of", no_checking)
    page = BeautifulSoup(client.get(f"/opportunities/{item.slug}").get_data(as_text=True), "html.parser")
    assert page.select_one("#reading-age").get_text(" ", strip=True) == "About 17 (from our plain English check)"


def test_an_opportunity_too_short_to_score_says_so():
    assert presenters.reading_age(Opportunity(reading_age=None)) == "too short to score"
    assert presenters.reading_age(Opportunity(reading_age=12)) == about_reading_age(12) == "about 12"


def test_showing_reading_ages_does_not_load_the_checker():
    """Only the light parts of the plain-English package load with the presenters; the checker waits for a check."""
    import importlib
    import subprocess

    code = ("import sys, portal.presenters, portal.plain; from portal.models import Opportunity;"
            "portal.presenters.reading_age(Opportunity(reading_age=9));"
            "print('portal.plain.checker' in sys.modules, 'textstat' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(importlib.import_module("portal").__path__[0].rsplit("/", 1)[0])})
    assert done.stdout.split() == ["False", "False"]
