"""Administrators' forms, and every form posted by every role, allowed or not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.checks import accepted, assert_pages_safe, assert_safe, landing, submit
from tests.fuzz.conftest import ROLES
from tests.fuzz.strategies import choice, form, fuzz_settings, fuzz_value, new_emails, words

pytestmark = pytest.mark.fuzz


@fuzz_settings(max_examples=30)
@given(data=form(name=words("Fuzz District Council", "Ysbyty Gwynedd NHS Trust"),
                 org_type=choice("london-borough", "county-council", "nhs-trust", "central-department"),
                 region=choice("TLI", "TLJ", "TLL")))
def test_new_buyer_organisation(world, data):
    client = world.client("admin")
    response = submit(client, "/admin/buyers/new", data)
    if accepted(response):
        invite_page = landing(response)
        assert_pages_safe(client, invite_page, "/admin")
        assert_pages_safe(world.client("anonymous"), "/buyers", invite_page.replace("/admin", "").removesuffix("/invite"))


@fuzz_settings(max_examples=20)
@given(data=form(email=st.one_of(new_emails, st.sampled_from(["x@example.org\nBcc: y@example.org", "Ünï@example.org"]))))
def test_invite_buyer_staff(world, data):
    client = world.client("admin")
    response = submit(client, f"/admin/buyers/{world.buyer_slug}/invite", data)
    world.assert_mail_sent()
    if accepted(response):
        assert_pages_safe(client, landing(response))


# Every form in the portal. Each role posts to each, with values meant for any of them.
POSTS = [
    "/sign-up", "/sign-in", "/sign-out", "/password-reset", "/organisation", "/organisation/invite",
    "/opportunities/{problem_slug}/interest", "/opportunities/{problem_slug}/interest/withdraw",
    "/opportunities/{problem_slug}/questions", "/opportunities/{problem_slug}/follow",
    "/opportunities/{problem_slug}/unfollow", "/events/{event_id}/book", "/events/{event_id}/cancel",
    "/saved-searches/new", "/saved-searches/1/delete", "/buyer/opportunities/new/problem-statement",
    "/buyer/opportunities/new/innovation-challenge", "/buyer/opportunities/{pipeline_id}/edit",
    "/buyer/opportunities/{challenge_id}/close", "/buyer/questions/{question_id}/answer",
    "/buyer/questions/{question_id}/reject", "/buyer/events/{ended_event_id}/outcome", "/buyer/preview-markdown",
    "/buyer/check", "/buyer/pipeline", "/buyer/settings",
    "/buyer/opportunities/{problem_id}/events/new", "/admin/buyers/new", "/admin/buyers/{buyer_slug}/invite",
    "/join/not-a-token", "/password-reset/not-a-token",
    "/opportunities/{problem_slug}/meetings/book", "/opportunities/{problem_slug}/meetings/move",
    "/opportunities/{problem_slug}/meetings/cancel", "/buyer/opportunities/{problem_id}/meetings",
    "/residents/sign-up", "/opportunities/{problem_slug}/what-it-means-to-me", "/opportunities/{problem_slug}/matters-to-me",
    "/missions/fuzz-mission/what-it-means-to-me", "/missions/fuzz-mission/matters-to-me", "/residents/comments/{contribution_id}/report",
    "/buyer/residents/{contribution_id}/approve", "/buyer/residents/{contribution_id}/reject", "/buyer/residents/{contribution_id}/redact", "/buyer/residents/{contribution_id}/respond",
    "/buyer/residents/opportunities/{problem_id}/what-changed",
]
FIELD_NAMES = ["name", "email", "password", "confirm", "title", "summary", "why", "question", "answer", "query",
               "frequency", "kind", "field", "org_type", "region", "regions", "regions_served", "capacity", "starts",
               "value_min", "value_max", "phases-0-funding", "listed_publicly", "what_we_heard", "file", "update_emails",
               "slot", "day", "year", "first_start", "minutes", "count", "how", "place", "meeting_link",
               "display_name", "text", "consent", "website", "reason", "published_text", "hide_name", "response",
               "what_changed"]


@pytest.mark.parametrize("role", ROLES)
@fuzz_settings(max_examples=40)
@given(path=st.sampled_from(POSTS), data=st.dictionaries(st.sampled_from(FIELD_NAMES), fuzz_value, max_size=6),
       htmx=st.booleans())
def test_every_form_as_every_role(world, role, path, data, htmx):
    """No role gets a server error from any form, whether it may use the form or not."""
    path = path.format(**vars(world))
    client = world.client(role)
    headers = {"HX-Request": "true"} if htmx else {}
    submit(client, path, data, what=f"POST {path} as {role}", headers=headers)
    if path == "/sign-out" and role != "anonymous":
        world.clients[role] = world.sign_in(role)
    else:
        assert_safe(client.get(path, headers=headers), f"GET {path} as {role}")
