"""Residents' comments in content files (`residents_said:`): they load as approved contributions by a demo resident
nobody can sign in as, load again without changes, replace only what a content load made, and bad ones fail loudly."""

from datetime import date

import pytest
from sqlmodel import Session, select

from portal.content import ContentError, load_content
from portal.content.voice_store import DEMO_RESIDENT_EMAIL
from portal.models import Contribution, ContributionStatus, Mission, Opportunity, Role, User
from portal.services import accounts, voice
from tests.conftest import TODAY
from tests.unit.test_content_loader import CHALLENGE, MISSION, OPPORTUNITY, write_tree
from tests.web.conftest import soup

SAID = """\
residents_said:
  - name: Maureen
    date: 2026-10-06
    said: I would not go to a lunch club on my own.
    response: Thank you. We have asked suppliers how they would reach people through neighbours.
  - name: D.O.
    date: 2026-10-02
    said: Phone befriending is no use to my deaf mother.
"""
ON_MISSION = "residents_said:\n  - name: Tom\n    date: 2026-10-28\n    said: Food near where people live matters.\n"


def with_said(text: str, said: str = SAID) -> str:
    return text.replace("\n---\n", "\n" + said + "---\n", 1)


def load(app, root):
    return load_content(app.extensions["engine"], root, "ocds-test00")


def contributions(app) -> list[tuple]:
    with Session(app.extensions["engine"]) as session:
        return [(c.id, c.display_name, c.published_text, c.status, c.official_response,
                 c.opportunity_id is not None, c.mission_id is not None)
                for c in session.exec(select(Contribution).order_by(Contribution.id))]


def test_residents_comments_load_as_published_and_loading_again_changes_nothing(app, tmp_path):
    root = write_tree(tmp_path / "content", {"opportunities/help-families.md": with_said(OPPORTUNITY),
                                             "missions/food.md": with_said(MISSION, ON_MISSION)})
    load(app, root)

    first = contributions(app)
    assert [row[1:] for row in first] == [
        ("Tom", "Food near where people live matters.", "published", "", False, True),
        ("D.O.", "Phone befriending is no use to my deaf mother.", "published", "", True, False),
        ("Maureen", "I would not go to a lunch club on my own.", "published",
         "Thank you. We have asked suppliers how they would reach people through neighbours.", True, False),
    ]
    assert load(app, root)["updated"] == 0
    assert contributions(app) == first
    with Session(app.extensions["engine"]) as session:
        item = session.exec(select(Opportunity).where(Opportunity.slug == "help-families")).one()
        shown = voice.published(session, voice.Subject(opportunity=item))
        assert [(c.name, c.published_at.date()) for c in shown] == [("D.O.", date(2026, 10, 2)),
                                                                    ("Maureen", date(2026, 10, 6))]
        mission = session.exec(select(Mission).where(Mission.slug == "food")).one()
        assert voice.published_count(session, voice.Subject(mission=mission)) == 1


def test_the_demo_resident_cannot_sign_in_or_take_part(app, tmp_path):
    load(app, write_tree(tmp_path / "content", {"opportunities/help-families.md": with_said(OPPORTUNITY)}))
    with Session(app.extensions["engine"]) as session:
        resident = session.exec(select(User).where(User.email == DEMO_RESIDENT_EMAIL)).one()
        assert (resident.role, resident.email_confirmed_at, resident.organisation_id) == (Role.RESIDENT, None, None)
        for password in ["", "!", resident.password_hash, "password"]:
            assert accounts.authenticate(session, DEMO_RESIDENT_EMAIL, password) is None
        item = session.exec(select(Opportunity).where(Opportunity.slug == "help-families")).one()
        with pytest.raises(voice.Refused):  # an unconfirmed address may not add comments
            voice.contribute(session, resident, voice.Subject(opportunity=item), "More, please.", TODAY)


def test_changing_the_file_replaces_only_content_comments(app, tmp_path):
    root = write_tree(tmp_path / "content", {"opportunities/help-families.md": with_said(OPPORTUNITY)})
    load(app, root)
    with Session(app.extensions["engine"]) as session:  # a real resident's comment, published by the staff
        item = session.exec(select(Opportunity).where(Opportunity.slug == "help-families")).one()
        real = User(email="ann@example.com", name="Ann", password_hash="x", role=Role.RESIDENT)
        session.add(real)
        session.flush()
        session.add(Contribution(opportunity_id=item.id, author_id=real.id, text="Mine", published_text="Mine",
                                 status=ContributionStatus.PUBLISHED, display_name="Ann"))
        session.commit()

    write_tree(root, {"opportunities/help-families.md": with_said(OPPORTUNITY, SAID.split("  - name: D.O.")[0])})
    assert load(app, root)["updated"] == 1

    assert [row[1] for row in contributions(app)] == ["Ann", "Maureen"]
    write_tree(root, {"opportunities/help-families.md": OPPORTUNITY})
    load(app, root)
    assert [row[1] for row in contributions(app)] == ["Ann"]


@pytest.mark.parametrize("file, text, problem", [
    ("opportunities/cut-food-waste.md", with_said(CHALLENGE), "only problem statements take residents' comments"),
    ("opportunities/help-families.md", with_said(OPPORTUNITY, SAID.replace("2026-10-02", "2026-09-30")),
     "cannot be approved before the item was published"),
    ("opportunities/help-families.md", with_said(OPPORTUNITY, SAID.replace("D.O.", "do@example.com")),
     "never an email address"),
    ("opportunities/help-families.md", with_said(OPPORTUNITY, SAID.replace("Phone befriending", "word " * 301)),
     "300 words or fewer"),
    ("opportunities/help-families.md", with_said(OPPORTUNITY, SAID.replace("    said: Phone befriending is no use "
                                                                          "to my deaf mother.\n", "")),
     "residents_said.1.said: Field required"),
    ("missions/food.md", with_said(MISSION.replace("owner: test-borough\n", ""), ON_MISSION),
     "only a mission with an owner takes residents' comments"),
])
def test_bad_comments_fail_loudly_with_the_file(app, tmp_path, file, text, problem):
    with pytest.raises(ContentError) as failed:
        load(app, write_tree(tmp_path / "content", {file: text}))
    assert any(file in line and problem in line for line in failed.value.problems), failed.value.problems
    assert contributions(app) == []


def test_the_demo_shows_residents_voice(content_app):
    client = content_app.test_client()
    item = soup(client.get("/opportunities/hackney-loneliness-older-people"))
    assert "Maureen" in item.get_text() and "whole week without speaking to anyone" in item.get_text()
    assert "several people told us the same thing" in item.get_text().lower()
    assert "Kentish Town" in soup(client.get("/missions/camden-food")).get_text()
    assert DEMO_RESIDENT_EMAIL not in item.get_text()
