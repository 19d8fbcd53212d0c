"""A required field filled with only spaces or control characters is empty once cleaned, so it is refused.

Found by the fuzz suite: a brief titled "\\x01" was saved with a blank title, and the Atom feed then failed with a
server error, since a feed entry must have a title.
"""

import pytest
from sqlmodel import Session

from portal.models import Opportunity
from tests.web.conftest import portal_data, soup  # noqa: F401  (fixture)
from tests.web.helpers import make_supplier, post, sign_in
from tests.web.test_buyers import GOOD_BRIEF, camden_client, create_draft, world  # noqa: F401  (fixtures)

BLANKS = ["   ", "\x00", "\x01\x0b \x7f", "\x1b\t"]


@pytest.mark.parametrize("blank", BLANKS)
def test_a_brief_with_a_blank_title_is_refused(app, camden_client, blank):
    response = post(camden_client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, "title": blank})
    assert response.status_code == 400
    assert "Enter a title" in soup(response).select_one(".govuk-error-summary").get_text()


def test_a_published_title_cannot_be_blanked_and_the_feed_keeps_working(app, camden_client):
    opportunity_id = create_draft(camden_client)
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish")
    response = post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit", {**GOOD_BRIEF, "title": "\x01"})
    assert response.status_code == 400
    with Session(app.extensions["engine"]) as session:
        assert session.get(Opportunity, opportunity_id).title == GOOD_BRIEF["title"]
    assert camden_client.get("/search/feed.atom").status_code == 200


@pytest.mark.parametrize("blank", BLANKS)
def test_supplier_forms_refuse_blank_required_text(app, client, portal_data, blank):  # noqa: F811
    make_supplier(app)
    sign_in(client)
    question = post(client, "/opportunities/food-1/questions", {"question": blank})
    assert question.status_code == 400
    assert "Enter your question" in soup(question).get_text()
    saved = post(client, "/saved-searches/new?q=food", {"name": blank, "frequency": "daily"})
    assert saved.status_code == 400
    assert "Enter a name for this search" in soup(saved).select_one(".govuk-error-summary").get_text()


def test_text_with_words_and_control_characters_is_still_accepted(app, camden_client):
    opportunity_id = create_draft(camden_client, title="\x01 Meals\x0b for all ")
    with Session(app.extensions["engine"]) as session:
        assert session.get(Opportunity, opportunity_id).title == "Meals for all"
