"""Who may make an item public: publishers always; editors only when their organisation allows it and they wrote it."""

import pytest

from portal.models import Opportunity, Organisation, ReviewState, Status, User
from portal.services import review


def person(user_id, staff_role, organisation_id=1, role="buyer"):
    return User(id=user_id, email=f"{user_id}@x.example", name="X", password_hash="", role=role,
                organisation_id=organisation_id, staff_role=staff_role)


@pytest.mark.parametrize("allowed, written_by, user, expected", [
    (False, 2, person(1, "publisher"), True),
    (False, 2, person(2, "editor"), False),
    (True, 2, person(2, "editor"), True),
    (True, 3, person(2, "editor"), False),
    (True, 2, person(2, "publisher", organisation_id=9), False),
    (True, 2, person(2, "publisher", role="supplier"), False),
])
def test_may_publish(allowed, written_by, user, expected):
    organisation = Organisation(id=1, slug="o", name="O", kind="buyer", region="TLI", editors_publish_own=allowed)
    item = Opportunity(buyer_id=1, written_by_id=written_by)
    assert review.may_publish(user, organisation, item) is expected


def test_what_can_be_submitted():
    assert review.cannot_submit(Opportunity(status=Status.DRAFT, review_state=ReviewState.NONE)) is None
    assert review.cannot_submit(Opportunity(status=Status.DRAFT, review_state=ReviewState.CHANGES_REQUESTED)) is None
    assert "already waiting" in review.cannot_submit(Opportunity(status=Status.DRAFT,
                                                                 review_state=ReviewState.SUBMITTED))
    assert "nothing to submit" in review.cannot_submit(Opportunity(status=Status.PUBLISHED, pending=None))
    assert review.cannot_submit(Opportunity(status=Status.PUBLISHED, pending={"title": "New"})) is None
