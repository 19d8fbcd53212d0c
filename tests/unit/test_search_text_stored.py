"""An opportunity's summary and brief are kept as plain text when saved, so search results quote them without
rendering Markdown."""

from sqlmodel import select

from portal.models import Opportunity
from portal.services.search_text import plain_text_of, stored_plain_text
from tests.factories import make_buyer, make_opportunity

BRIEF = "## What we need\n\n- **Hot** meals\n- <b>Fresh</b> fruit <script>alert(1)</script>"


def stored(session, opportunity_id):
    session.expire_all()
    return session.exec(select(Opportunity.plain_text).where(Opportunity.id == opportunity_id)).one()


def test_a_new_opportunity_keeps_its_summary_and_brief_as_plain_text(session):
    item = make_opportunity(session, make_buyer(session), summary="School meals.", body_md=BRIEF)
    text = stored(session, item.id)
    assert text == plain_text_of("School meals.", BRIEF)
    assert text.startswith("School meals. What we need")
    assert "Hot meals" in text and "**" not in text and "<" not in text and "alert" not in text


def test_changing_the_brief_or_summary_stores_the_text_again(session):
    item = make_opportunity(session, make_buyer(session), summary="School meals.", body_md=BRIEF)
    item = session.get(Opportunity, item.id)
    item.body_md = "Now *lunch* clubs."
    session.add(item)
    session.commit()
    assert stored(session, item.id) == "School meals. Now lunch clubs."
    item = session.get(Opportunity, item.id)
    item.summary = "After-school clubs."
    session.add(item)
    session.commit()
    assert stored(session, item.id) == "After-school clubs. Now lunch clubs."


def test_other_changes_leave_the_stored_text_alone(session, monkeypatch):
    item = make_opportunity(session, make_buyer(session), summary="School meals.", body_md=BRIEF)
    monkeypatch.setattr("portal.services.search_text.plain_text_of", lambda *texts: "changed")
    item = session.get(Opportunity, item.id)
    item.title = "A new title"
    session.add(item)
    session.commit()
    assert stored(session, item.id) == plain_text_of("School meals.", BRIEF)


def test_a_row_written_without_it_gets_it_worked_out_and_stored_at_its_next_save(session):
    item = make_opportunity(session, make_buyer(session), summary="School meals.", body_md="Hot *meals*.")
    session.exec(Opportunity.__table__.update().where(Opportunity.id == item.id).values(plain_text=None))
    session.commit()
    session.expire_all()
    item = session.get(Opportunity, item.id)
    assert item.plain_text is None
    assert stored_plain_text(item) == "School meals. Hot meals."
    item.title = "A new title"
    session.add(item)
    session.commit()
    assert stored(session, item.id) == "School meals. Hot meals."
