"""Review before publish through the web: editors submit, publishers publish or ask for changes, private preview
links, the history, and who may see or do any of it."""

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from portal.mail import wait_for_background_mail
from portal.models import Opportunity, Organisation, ReviewEvent, Status, User
from tests.factories import make_buyer, make_opportunity
from tests.web.helpers import csrf_token, make_buyer_user, make_supplier, post, sign_in


def outbox(app) -> list[str]:
    wait_for_background_mail()
    folder = Path(app.config["OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default).get_content() for p in files]


def _named(app, user, name, staff_role):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        person = session.get(User, user.id)
        person.name, person.staff_role = name, staff_role
        session.add(person)
        session.commit()
        return person


@pytest.fixture
def office(app, session):
    buyer = make_buyer(session)
    publisher = _named(app, make_buyer_user(app, buyer, "pat@council.example"), "Pat Publisher", "publisher")
    editor = _named(app, make_buyer_user(app, buyer, "eddie@council.example"), "Eddie Editor", "editor")
    draft = make_opportunity(session, buyer, status=Status.DRAFT, published_on=None, written_by_id=editor.id)
    return buyer, publisher, editor, draft


def _status(app, opportunity_id):
    with Session(app.extensions["engine"]) as session:
        return session.get(Opportunity, opportunity_id).status


def test_an_editor_cannot_publish_unless_the_organisation_allows_it_and_they_wrote_it(app, client, office):
    buyer, publisher, editor, draft = office
    sign_in(client, "eddie@council.example")
    assert post(client, f"/buyer/opportunities/{draft.id}/publish").status_code == 403
    assert _status(app, draft.id) == Status.DRAFT
    manage = client.get(f"/buyer/opportunities/{draft.id}").get_data(as_text=True)
    assert "Submit for review" in manage and ">Publish</button>" not in manage

    sign_in(client, "pat@council.example")
    assert post(client, "/buyer/staff/editors-publish", {"allowed": "y"}).status_code == 303
    sign_in(client, "eddie@council.example")
    with Session(app.extensions["engine"]) as session:
        someone_elses = make_opportunity(session, session.get(Organisation, buyer.id), status=Status.DRAFT,
                                         written_by_id=publisher.id)
        someone_elses_id = someone_elses.id
    assert post(client, f"/buyer/opportunities/{someone_elses_id}/publish").status_code == 403
    assert post(client, f"/buyer/opportunities/{draft.id}/publish").status_code == 303
    assert _status(app, draft.id) == Status.PUBLISHED


def test_an_editor_cannot_publish_pending_changes_withdraw_or_answer(app, client, session, office):
    buyer, publisher, editor, _draft = office
    live = make_opportunity(session, buyer, written_by_id=editor.id)
    live.pending = {"title": "New"}
    session.add(live)
    session.commit()
    sign_in(client, "eddie@council.example")
    assert post(client, f"/buyer/opportunities/{live.id}/changes").status_code == 403
    assert post(client, f"/buyer/opportunities/{live.id}/withdraw", {"reason": "No"}).status_code == 403
    assert post(client, f"/buyer/opportunities/{live.id}/close").status_code == 403
    assert post(client, "/buyer/pipeline").status_code == 403
    session.refresh(live)
    assert live.status == Status.PUBLISHED and live.pending == {"title": "New"}


def test_submit_emails_publishers_and_asking_for_changes_emails_the_editor(app, client, office):
    buyer, publisher, editor, draft = office
    sign_in(client, "eddie@council.example")
    assert post(client, f"/buyer/opportunities/{draft.id}/submit").status_code == 303
    [to_publisher] = outbox(app)
    assert "Eddie Editor asked you to review" in to_publisher
    assert f"/buyer/opportunities/{draft.id}/review" in to_publisher
    assert post(client, f"/buyer/opportunities/{draft.id}/review", {"comment": "Fine"}).status_code == 403

    sign_in(client, "pat@council.example")
    page = client.get(f"/buyer/opportunities/{draft.id}/review")
    assert page.status_code == 200 and "Approve and publish" in page.get_data(as_text=True)
    empty = post(client, f"/buyer/opportunities/{draft.id}/review", {"comment": "   "})
    assert empty.status_code == 400
    assert "Say what needs to change" in empty.get_data(as_text=True)
    sent = post(client, f"/buyer/opportunities/{draft.id}/review",
                {"comment": "Say what <b>MTFS</b> means."})
    assert sent.status_code == 303
    to_editor = outbox(app)[-1]
    assert "Pat Publisher asked for changes" in to_editor and "Say what <b>MTFS</b> means." in to_editor
    assert f"/buyer/opportunities/{draft.id}/edit" in to_editor

    assert post(client, f"/buyer/opportunities/{draft.id}/publish").status_code == 303
    history = BeautifulSoup(client.get(f"/buyer/opportunities/{draft.id}").get_data(as_text=True), "html.parser")
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")]
            for row in history.select("#review-history ~ table tbody tr")]
    assert [(row[0].split(" Say")[0], row[1]) for row in rows] == [
        ("Submitted for review", "Eddie Editor"), ("Changes asked for", "Pat Publisher"),
        ("Approved and published", "Pat Publisher")]
    assert "Say what <b>MTFS</b> means." in rows[1][0]
    assert all(re.search(r"\d{4}", row[2]) for row in rows)


def test_other_organisations_suppliers_and_strangers_see_nothing(app, client, session, office):
    buyer, publisher, editor, draft = office
    other = make_buyer(session)
    make_buyer_user(app, other, "olga@other.example")
    paths = [f"/buyer/opportunities/{draft.id}/review"]
    posts = [f"/buyer/opportunities/{draft.id}/submit", f"/buyer/opportunities/{draft.id}/preview-links",
             f"/buyer/opportunities/{draft.id}/review"]
    sign_in(client, "olga@other.example")
    assert all(client.get(path).status_code == 404 for path in paths)
    assert all(post(client, path, {"comment": "x"}).status_code == 404 for path in posts)
    assert "Eddie Editor" not in client.get("/buyer/staff").get_data(as_text=True)
    make_supplier(app)
    sign_in(client)
    assert all(client.get(path).status_code == 403 for path in paths + ["/buyer/staff"])
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    assert client.get(paths[0]).status_code == 302
    assert session.exec(select(ReviewEvent)).all() == []


def _make_link(client, opportunity_id) -> str:
    made = post(client, f"/buyer/opportunities/{opportunity_id}/preview-links", follow_redirects=True)
    return re.search(r"/draft-preview/([\w-]+)", made.get_data(as_text=True)).group(1)


def test_a_preview_link_shows_the_draft_until_revoked(app, client, office):
    buyer, publisher, editor, draft = office
    sign_in(client, "eddie@council.example")
    token = _make_link(client, draft.id)
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    shown = client.get(f"/draft-preview/{token}")
    assert shown.status_code == 200 and shown.headers["X-Robots-Tag"].startswith("noindex")
    page = BeautifulSoup(shown.get_data(as_text=True), "html.parser")
    assert page.select_one('meta[name="robots"]')["content"].startswith("noindex")
    assert "Draft preview, not published" in page.select_one("#draft-preview").get_text()
    assert page.select_one("h1").get_text(strip=True) == draft.title
    facts = [dt.get_text(strip=True) for dt in page.select("#key-facts + dl dt")]
    assert facts[:2] == ["Stage", "Value"] and {"Where", "Reading age", "Reference"} <= set(facts), \
        "the same key facts as the public page, from the same partial"
    assert "Published" not in facts, "a draft has no published date yet"
    assert client.get(f"/draft-preview/{token}x").status_code == 404
    assert client.get("/draft-preview/" + "a" * 300).status_code == 404
    assert client.get(f"/opportunities/{draft.slug}").status_code == 404

    sign_in(client, "eddie@council.example")
    with Session(app.extensions["engine"]) as session:
        from portal.models import PreviewLink
        link_id = session.exec(select(PreviewLink.id)).one()
    assert post(client, f"/buyer/opportunities/{draft.id}/preview-links/{link_id}/revoke").status_code == 303
    assert post(client, f"/buyer/opportunities/{draft.id}/preview-links/{link_id}/revoke").status_code == 404
    gone = client.get(f"/draft-preview/{token}")
    assert gone.status_code == 410 and "no longer works" in gone.get_data(as_text=True)
    history = client.get(f"/buyer/opportunities/{draft.id}/edit").get_data(as_text=True)
    assert "Preview link made" in history and "Preview link revoked" in history


def test_a_preview_link_expires_after_30_days(app, client, office):
    buyer, publisher, editor, draft = office
    sign_in(client, "pat@council.example")
    token = _make_link(client, draft.id)
    assert client.get(f"/draft-preview/{token}").status_code == 200
    from portal.models import utcnow
    app.config["NOW"] = utcnow() + timedelta(days=30, minutes=1)
    assert client.get(f"/draft-preview/{token}").status_code == 410


def test_publishers_change_roles_but_keep_one_publisher(app, client, office):
    buyer, publisher, editor, draft = office
    sign_in(client, "eddie@council.example")
    assert post(client, f"/buyer/staff/{publisher.id}/role", {f"person-{publisher.id}-staff_role": "editor"}).status_code == 403
    assert post(client, "/buyer/staff/editors-publish", {"allowed": "y"}).status_code == 403
    sign_in(client, "pat@council.example")
    refused = post(client, f"/buyer/staff/{publisher.id}/role", {f"person-{publisher.id}-staff_role": "editor"},
                   follow_redirects=True)
    assert "at least one publisher" in refused.get_data(as_text=True)
    bad = post(client, f"/buyer/staff/{editor.id}/role", {f"person-{editor.id}-staff_role": "<script>"})
    assert bad.status_code == 400
    assert post(client, f"/buyer/staff/{editor.id}/role", {f"person-{editor.id}-staff_role": "publisher"}).status_code == 303
    assert post(client, "/buyer/staff/999999/role", {"person-999999-staff_role": "editor"}).status_code == 404
    with Session(app.extensions["engine"]) as session:
        assert session.get(User, editor.id).staff_role == "publisher"
        assert session.get(User, publisher.id).staff_role == "publisher"


def test_administrators_choose_the_role_when_inviting_staff(app, client, session):
    from portal.services import accounts
    buyer = make_buyer(session, slug="leeds")
    accounts.create_admin(session, "admin@portal.example", "Admin", "correct horse battery staple")
    sign_in(client, "admin@portal.example")
    assert post(client, "/admin/buyers/leeds/invite", {"email": "new@leeds.example"}).status_code == 400
    assert post(client, "/admin/buyers/leeds/invite", {"email": "new@leeds.example", "staff_role": "editor"}).status_code == 303
    from portal.models import Invitation
    assert session.exec(select(Invitation.staff_role)).one() == "editor"


def test_the_new_preview_link_is_shown_once_in_a_labelled_box_not_in_the_banner(app, client, office):
    buyer, publisher, editor, draft = office
    sign_in(client, "eddie@council.example")
    made = post(client, f"/buyer/opportunities/{draft.id}/preview-links", follow_redirects=True)
    page = BeautifulSoup(made.get_data(as_text=True), "html.parser")
    box = page.select_one("#new-preview-link-address")
    assert box is not None and box.has_attr("readonly")
    assert re.fullmatch(r"https?://[^/]+/draft-preview/[\w-]+", box["value"])
    assert page.select_one('label[for="new-preview-link-address"]').get_text(strip=True) == "Your new preview link"
    assert "copy it" in page.select_one(f"#{box['aria-describedby']}").get_text()
    banner = page.select_one("#confirmation").get_text()
    assert "Preview link made." in banner and "draft-preview" not in banner  # a long address there would not wrap
    again = BeautifulSoup(client.get(f"/buyer/opportunities/{draft.id}").get_data(as_text=True), "html.parser")
    assert again.select_one("#new-preview-link") is None, "shown once"


MEETING_TIMES = {"day": "24", "month": "11", "year": "2026", "first_start": "10am", "minutes": "30", "count": "2",
                 "how": "in-person", "place": "Town Hall"}


def _slots(app, opportunity_id):
    from portal.models import MeetingSlot
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(MeetingSlot).where(MeetingSlot.opportunity_id == opportunity_id)).all()


def test_only_those_who_may_publish_offer_meeting_times_which_are_public_at_once(app, client, session, office):
    buyer, publisher, editor, _draft = office
    live = make_opportunity(session, buyer, written_by_id=editor.id)
    url = f"/buyer/opportunities/{live.id}/meetings"
    sign_in(client, "eddie@council.example")
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    assert "only a publisher" in page.select_one("#publishers-offer-times").get_text()
    assert page.select_one("#first_start") is None, "no form an editor cannot send"
    assert post(client, url, MEETING_TIMES).status_code == 403
    assert post(client, url, {"first_start": "<script>x</script>"}).status_code == 403
    assert _slots(app, live.id) == []

    sign_in(client, "pat@council.example")
    assert BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser").select_one("#first_start")
    assert post(client, url, MEETING_TIMES).status_code == 303
    assert len(_slots(app, live.id)) == 2

    # An editor may still take away a free time they see is wrong: that makes nothing new public.
    sign_in(client, "eddie@council.example")
    slot_id = _slots(app, live.id)[0].id
    assert post(client, f"/buyer/meetings/{slot_id}/remove").status_code == 303
    assert len(_slots(app, live.id)) == 1

    sign_in(client, "pat@council.example")
    assert post(client, "/buyer/staff/editors-publish", {"allowed": "y"}).status_code == 303
    sign_in(client, "eddie@council.example")
    assert post(client, url, MEETING_TIMES | {"first_start": "2pm"}).status_code == 303, "their own item, now allowed"
    assert len(_slots(app, live.id)) == 3
