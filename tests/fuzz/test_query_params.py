"""Query strings and addresses: the search page, listings, the feed, data files and the API, with hostile values."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.checks import assert_safe
from tests.fuzz.conftest import ROLES
from tests.fuzz.strategies import fuzz_settings, fuzz_value, huge_ids

pytestmark = pytest.mark.fuzz

SEARCH_PAGES = ["/search", "/search/feed.atom", "/api/opportunities", "/opportunities", "/data/ocds/releases.json",
                "/data/opportunities.csv", "/missions", "/buyers", "/guidance", "/", "/data", "/sign-in",
                "/saved-searches/new", "/dashboard", "/buyer", "/admin", "/buyer/pipeline"]
PARAMETERS = ["q", "kind", "stage", "mission", "buyer", "region", "cpv", "value", "closing", "source", "sme", "vcse",
              "lot_value", "min_turnover", "social_value", "consortia", "reserved_vcse", "pays_within_30",
              "sort", "page", "size", "next"]
GOOD_VALUES = {
    "q": ["food", "heat pumps", "<script>alert(1)</script>", '"quoted phrase"', "food AND NOT", "fo*", "(", "title:x"],
    "kind": ["problem-statement", "pipeline-item", "innovation-challenge"],
    "stage": ["pipeline", "engagement"], "mission": ["fuzz-mission"], "buyer": ["fuzz-council"],
    "region": ["TLI", "TLJ"], "cpv": ["85", "85311000-2"], "value": ["under-100k"], "closing": ["7", "30"],
    "source": ["portal"], "sme": ["yes"], "vcse": ["yes"], "sort": ["newest", "closing", "relevance"],
    "lot_value": ["25000", "2000000"], "min_turnover": ["none", "500000"], "social_value": ["wellbeing"],
    "consortia": ["yes"], "reserved_vcse": ["yes"], "pays_within_30": ["yes"],
    "page": ["1", "2", "10000"], "size": ["1", "50", "100"], "next": ["/dashboard"],
}

parameter_value = st.one_of(fuzz_value, st.sampled_from(sorted({v for vs in GOOD_VALUES.values() for v in vs})))
query = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.sampled_from(PARAMETERS), fuzz_value), parameter_value),
    max_size=6,
)


@fuzz_settings(max_examples=120)
@given(path=st.sampled_from(SEARCH_PAGES), pairs=query, role=st.sampled_from(ROLES),
       partial=st.booleans())
def test_query_parameters(world, path, pairs, role, partial):
    """Every parameter, known or not, repeated or not, with any value, on every page that reads the query string."""
    headers = {"HX-Request": "true"} if partial else {}
    query_string = "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs)
    response = world.client(role).get(path, query_string=query_string, headers=headers)
    assert_safe(response, f"GET {path}?{query_string[:300]}")


@fuzz_settings(max_examples=60)
@given(number=huge_ids, role=st.sampled_from(ROLES), template=st.sampled_from([
    "GET /events/{}", "GET /events/{}/calendar.ics", "GET /buyer/opportunities/{}", "GET /buyer/opportunities/{}/edit",
    "GET /buyer/opportunities/{}/preview", "GET /buyer/opportunities/{}/interest.csv", "GET /buyer/opportunities/{}/responses",
    "GET /buyer/opportunities/{}/events/new", "POST /events/{}/book", "POST /events/{}/cancel",
    "POST /buyer/questions/{}/answer", "POST /buyer/questions/{}/reject", "POST /buyer/events/{}/outcome", "POST /saved-searches/{}/delete",
    "POST /buyer/opportunities/{}/publish", "POST /buyer/opportunities/{}/edit",
    "GET /buyer/events/{}/bookings", "GET /buyer/events/{}/bookings.csv", "GET /buyer/opportunities/{}/meetings",
    "POST /buyer/meetings/{}/remove",
]))
def test_route_ids(world, number, role, template):
    """Numbers in addresses, up to far beyond what a database integer holds."""
    method, path = template.format(number).split(" ")
    response = world.client(role).open(path, method=method, data={"answer": "Yes.", "what_we_heard": "A lot."})
    assert_safe(response, f"{method} {path}")


@fuzz_settings(max_examples=60)
@given(slug=fuzz_value, role=st.sampled_from(ROLES), template=st.sampled_from([
    "GET /opportunities/{}", "GET /opportunities/{}/ocds.json", "GET /api/opportunities/{}", "GET /missions/{}",
    "GET /buyers/{}", "GET /guidance/{}", "GET /admin/buyers/{}/invite", "POST /opportunities/{}/interest",
    "POST /opportunities/{}/questions", "POST /opportunities/{}/follow", "GET /buyer/opportunities/new/{}",
    "GET /opportunities/{}/meetings", "POST /opportunities/{}/meetings/book",
]))
def test_slugs(world, slug, role, template):
    """Any text where an address expects a slug."""
    method, path = template.split(" ")
    path = path.format(quote(slug, safe=""))
    response = world.client(role).open(path, method=method, data={"question": "When?"})
    assert_safe(response, f"{method} {path[:300]}")
