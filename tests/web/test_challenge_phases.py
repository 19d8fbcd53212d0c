"""A challenge has any number of phases, up to a limit: the buyer adds and removes rows without JavaScript, and
everything typed is kept."""

import pytest
from sqlmodel import Session, select

from portal.forms.buyers import MAX_PHASES, PHASE_ROWS
from portal.forms.phase_rows import without_row
from portal.models import Opportunity
from tests.web.conftest import soup
from tests.web.helpers import post
from tests.web.test_buyers import CHALLENGE, camden_client, world  # noqa: F401 (fixtures)
from werkzeug.datastructures import MultiDict

NEW = "/buyer/opportunities/new/innovation-challenge"


def phases(count: int, start: int = 0) -> dict:
    """`count` filled phase rows, a month each from February 2027."""
    rows = {}
    for number in range(start, start + count):
        month = number % 12 + 1
        rows |= {f"phases-{number}-name": f"Phase called {number + 1}", f"phases-{number}-starts": f"2027-{month:02}-01",
                 f"phases-{number}-ends": f"2027-{month:02}-20", f"phases-{number}-funding": f"£{number + 1},000"}
    return rows


def challenge(**rows) -> dict:
    return {**{k: v for k, v in CHALLENGE.items() if not k.startswith("phases-")}, **rows}


def names(page) -> list[str]:
    return [field["value"] for field in page.select("input[name^=phases-][name$=-name]")]


def test_a_new_challenge_starts_with_three_empty_rows_and_an_add_button(camden_client):
    page = soup(camden_client.get(NEW))
    assert names(page) == [""] * PHASE_ROWS
    assert page.find("button", string="Add another phase")["value"] == "add"
    assert len(page.select("button[name=phases_action][value^=remove-]")) == PHASE_ROWS


def test_other_kinds_have_no_phases(camden_client):
    page = soup(camden_client.get("/buyer/opportunities/new/problem-statement"))
    assert page.select_one("#phases") is None and page.select("button[name=phases_action]") == []


def test_add_another_phase_keeps_everything_typed_and_saves_nothing(app, camden_client):
    sent = challenge(**phases(3), phases_action="add", title="Keep this <b>title</b>")
    response = post(camden_client, NEW, sent)
    assert response.status_code == 200
    page = soup(response)
    assert names(page) == ["Phase called 1", "Phase called 2", "Phase called 3", ""]
    assert page.select_one("#phases-2-funding")["value"] == "£3,000"
    assert page.select_one("#title")["value"] == "Keep this <b>title</b>"
    assert page.select_one("#problem").get_text().strip() == CHALLENGE["problem"]
    assert page.select_one(".govuk-error-summary") is None, "adding a row is not a mistake"
    assert page.select_one("#phase-4").get_text() == "Phase 4"
    assert [field["id"] for field in page.select("input[autofocus]")] == ["phases-3-name"], "the new row has the focus"
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Opportunity).where(Opportunity.kind == "innovation-challenge")).all() == []


def test_remove_takes_out_that_row_and_keeps_the_rest_in_order(camden_client):
    response = post(camden_client, NEW, challenge(**phases(4), phases_action="remove-1"))
    assert response.status_code == 200
    page = soup(response)
    assert names(page) == ["Phase called 1", "Phase called 3", "Phase called 4"]
    assert page.select_one("#phases-1-starts")["value"] == "2027-03-01", "the row after moved up with its dates"
    assert page.select_one("#phases-2-funding")["value"] == "£4,000"
    assert page.select_one("#title")["value"] == CHALLENGE["title"]


def test_removing_the_only_row_leaves_an_empty_one_and_no_remove_button(camden_client):
    page = soup(post(camden_client, NEW, challenge(**phases(1), phases_action="remove-0")))
    assert names(page) == [""]
    assert page.select("button[value^=remove-]") == []


@pytest.mark.parametrize("action", ["remove-99", "remove-x", "remove--1", "delete", "<script>"])
def test_a_strange_action_is_treated_as_save(camden_client, action):
    response = post(camden_client, NEW, challenge(**phases(2), phases_action=action))
    assert response.status_code == 303 or (response.status_code == 200 and names(soup(response))[:2] == [
        "Phase called 1", "Phase called 2"])


def test_a_challenge_with_no_phase_rows_gets_a_message(camden_client):
    response = post(camden_client, NEW, challenge())
    assert response.status_code == 400
    summary = soup(response).select_one(".govuk-error-summary")
    assert "Give at least one phase a name, a start date and an end date" in summary.get_text()
    assert summary.select_one("a")["href"] == "#phases"


def test_twelve_phases_save_in_order_and_the_editor_shows_them_all(app, camden_client):
    response = post(camden_client, NEW, challenge(**phases(MAX_PHASES)))
    assert response.status_code == 303, soup(response).select_one(".govuk-error-summary")
    opportunity_id = int(response.headers["Location"].split("/")[3])
    with Session(app.extensions["engine"]) as session:
        saved = session.get(Opportunity, opportunity_id).phases
        assert [p.name for p in saved] == [f"Phase called {n}" for n in range(1, MAX_PHASES + 1)]
        assert saved[2].funding == 3000
    page = soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/edit"))
    assert len(names(page)) == MAX_PHASES
    assert page.find("button", string="Add another phase") is None
    assert "the most a challenge can have" in page.select_one("#phases-full").get_text()


def test_adding_beyond_the_maximum_gives_a_plain_message_and_keeps_the_rows(camden_client):
    response = post(camden_client, NEW, challenge(**phases(MAX_PHASES), phases_action="add"))
    assert response.status_code == 400
    page = soup(response)
    assert f"A challenge can have up to {MAX_PHASES} phases" in page.select_one(".govuk-error-summary").get_text()
    assert len(names(page)) == MAX_PHASES


def test_sending_more_than_the_maximum_gives_a_message_not_a_lost_row(camden_client):
    response = post(camden_client, NEW, challenge(**phases(MAX_PHASES + 1)))
    assert response.status_code == 400
    page = soup(response)
    assert f"A challenge can have up to {MAX_PHASES} phases" in page.select_one(".govuk-error-summary").get_text()
    assert names(page)[-1] == f"Phase called {MAX_PHASES + 1}"


def test_thousands_of_rows_are_cut_short_not_built(camden_client):
    response = post(camden_client, NEW, challenge(**phases(5000)))
    assert response.status_code == 400
    assert len(names(soup(response))) == MAX_PHASES + 1


def test_editing_adds_a_fourth_phase_to_a_saved_challenge(app, camden_client):
    response = post(camden_client, NEW, challenge(**phases(3)))
    opportunity_id = int(response.headers["Location"].split("/")[3])
    edit = f"/buyer/opportunities/{opportunity_id}/edit"
    page = soup(post(camden_client, edit, challenge(**phases(3), phases_action="add")))
    assert names(page) == ["Phase called 1", "Phase called 2", "Phase called 3", ""]
    assert post(camden_client, edit, challenge(**phases(4))).status_code == 303
    with Session(app.extensions["engine"]) as session:
        assert len(session.get(Opportunity, opportunity_id).phases) == 4
    assert post(camden_client, edit, challenge(**phases(4), phases_action="remove-0")).status_code == 200
    with Session(app.extensions["engine"]) as session:
        assert len(session.get(Opportunity, opportunity_id).phases) == 4, "removing a row saves nothing"


def test_another_buyers_challenge_and_suppliers_are_refused(app, client, camden_client, world):
    kent_item = world["kents_item"].id
    assert post(camden_client, f"/buyer/opportunities/{kent_item}/edit",
                challenge(**phases(2), phases_action="add")).status_code == 404
    assert post(client, NEW, challenge(phases_action="add")).status_code in (302, 403)


def test_funding_that_cannot_be_read_is_kept_with_a_message(camden_client):
    response = post(camden_client, NEW, challenge(**{**phases(1), "phases-0-funding": "lots"}))
    assert response.status_code == 400
    assert soup(response).select_one("#phases-0-funding")["value"] == "lots"


def test_without_row_renumbers_later_rows_and_leaves_other_fields():
    data = MultiDict([("title", "T"), ("phases-0-name", "A"), ("phases-1-name", "B"), ("phases-2-name", "C"),
                      ("regions", "TLI"), ("regions", "TLJ")])
    kept = without_row(data, 0)
    assert [kept["phases-0-name"], kept["phases-1-name"]] == ["B", "C"] and "phases-2-name" not in kept
    assert kept.getlist("regions") == ["TLI", "TLJ"] and kept["title"] == "T"
