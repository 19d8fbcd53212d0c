"""A supplier's forms: organisation profile, invitations, interest, questions, follows, bookings and saved searches."""

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.checks import accepted, assert_pages_safe, assert_safe, landing, submit
from tests.fuzz.strategies import choice, form, fuzz_settings, fuzz_value, new_emails, words
from tests.fuzz.test_anonymous_forms import supplier_profile

pytestmark = pytest.mark.fuzz

ticks = st.sampled_from(["y", "yes", "on", "true", "1", "", "false", "0", "n"])


def public_pages(world) -> list[str]:
    return [f"/opportunities/{world.problem_slug}", "/search?q=fuzz", "/search/feed.atom?q=fuzz"]


@fuzz_settings(max_examples=30)
@given(data=form(**supplier_profile))
def test_organisation_profile(world, data):
    client = world.client("supplier")
    response = submit(client, "/organisation", data)
    if accepted(response):
        assert_pages_safe(client, landing(response), "/dashboard", *public_pages(world))
        assert_pages_safe(world.client("buyer"), f"/buyer/opportunities/{world.problem_id}",
                          f"/buyer/opportunities/{world.problem_id}/interest.csv",
                          f"/buyer/opportunities/{world.problem_id}/responses")


@fuzz_settings(max_examples=25)
@given(data=form(email=st.one_of(new_emails, st.sampled_from(["a@b.co", "x@example.org\r\nBcc: y@example.org"]))))
def test_invite_colleague(world, data):
    client = world.client("supplier")
    assert_safe(client.get("/organisation/invite"), "GET /organisation/invite")
    submit(client, "/organisation/invite", data)
    world.assert_mail_sent()


@fuzz_settings(max_examples=40)
@given(action=st.sampled_from(["interest", "interest/withdraw", "follow", "unfollow"]),
       data=form(keep_updated=ticks, open_to_partnering=ticks, listed_publicly=ticks, share_contact=ticks,
                 contact_name=words("Amy Example"), contact_email=words("amy@example.org"),
                 contact_phone=words("020 7946 0000", "+44 (0)7700 900000"), action=choice("send", "draft")),
       slug_of=st.sampled_from(["problem_slug", "challenge_slug", "pipeline_slug"]))
def test_interest_and_follows(world, action, data, slug_of):
    client = world.client("supplier")
    slug = getattr(world, slug_of)
    response = submit(client, f"/opportunities/{slug}/{action}", data)
    if accepted(response):
        assert_pages_safe(client, landing(response), "/dashboard")
    # The public list stays on, so the organisation's profile is shown where other tests look for it.
    submit(client, f"/opportunities/{world.problem_slug}/interest", {"listed_publicly": "y"})


@fuzz_settings(max_examples=40)
@given(data=form(question=st.one_of(words("When does it start?", "Is there a budget?"),
                                    st.sampled_from(["- " * 40, "> " * 200 + "deep", "line\nbreak\n\n# heading"]))))
def test_questions(world, data):
    client = world.client("supplier")
    response = submit(client, f"/opportunities/{world.problem_slug}/questions", data)
    if accepted(response):
        assert_pages_safe(client, landing(response), "/dashboard")
        assert_pages_safe(world.client("buyer"), f"/buyer/opportunities/{world.problem_id}")


@fuzz_settings(max_examples=20)
@given(action=st.sampled_from(["book", "cancel"]), data=form(extra=fuzz_value))
def test_event_booking(world, action, data):
    client = world.client("supplier")
    response = submit(client, f"/events/{world.event_id}/{action}", data)
    if accepted(response):
        assert_pages_safe(client, landing(response), f"/events/{world.event_id}/calendar.ics", "/dashboard")


searches = st.lists(st.tuples(st.sampled_from(["q", "kind", "region", "sme", "sort", "page", "mission", "value"]),
                              st.one_of(st.sampled_from(["food", "TLI", "yes", "<script>alert(1)</script>",
                                                         "problem-statement", "fuzz-mission"]), fuzz_value)),
                    max_size=4).map(urlencode)


@fuzz_settings(max_examples=50)
@given(data=form(name=words("Food in London", "Heat & power"), frequency=st.sampled_from(["daily", "weekly"]),
                 query=searches), shown=searches)
def test_saved_searches(world, data, shown):
    client = world.client("supplier")
    assert_safe(client.get(f"/saved-searches/new?{shown}"), "GET /saved-searches/new")
    response = submit(client, "/saved-searches/new", data)
    if accepted(response):
        page = client.get(landing(response))
        assert_safe(page, "GET /dashboard")
        # The links to every saved search and its feed work, whatever was saved.
        links = BeautifulSoup(page.get_data(as_text=True), "html.parser").select('a[href^="/search"]')
        assert_pages_safe(client, *[link["href"] for link in links[-4:]])
