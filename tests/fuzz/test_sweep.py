"""Every awkward value in every field of a kind at once, form by form.

The Hypothesis tests explore combinations, but in a form of twenty fields a few dozen examples rarely put one
particular value in one particular field. This sweep makes sure each value meets each field: it puts the value in
every text field (or every number, or date field) of a form that is otherwise good, posts it, and reads back what
was stored.
"""

import pytest

from tests.fuzz.checks import accepted, assert_pages_safe, landing, submit
from tests.fuzz.strategies import ODD_DATES, TOO_LONG

pytestmark = pytest.mark.fuzz

TEXT_VALUES = ["\x01", "\x00 \x0b", "   ", "<script>alert(1)</script>", "[x](javascript:alert(1))",
               "\u202eevil\u202c", "Tea\x00 and\x1b cake", "> " * 12 + "deep", TOO_LONG[0], TOO_LONG[3]]
NUMBER_VALUES = ["2147483648", str(2**63), "-1", "1e309", "£50,000", "99999999999"]
DATE_VALUES = [value for value in ODD_DATES]

PHASE = {"phases-0-name": "Discovery", "phases-0-starts": "2027-01-01", "phases-0-ends": "2027-03-01",
         "phases-0-funding": "5000"}
BRIEF = dict(title="Healthy school meals", summary="Meals for children.", why="Children go hungry.",
             missions=["fuzz-mission"], cpv="85311000-2", regions=["TLI"], value_min="1000", value_max="2000",
             engagement_closes="2027-01-20", financial_year="2027", quarter="3", contract_length_months="12",
             likely_route="Open procedure", stage="engagement", problem="Too few meals.", who_it_affects="Children.",
             outcomes_wanted="Fewer hungry children.", market_questions="What works?", eligibility="Anyone.",
             how_to_enter="Write to us.", judging_criteria="Impact.", what_we_plan_to_buy="Meals.")
BRIEF_TEXT = ["title", "summary", "why", "likely_route", "problem", "who_it_affects", "outcomes_wanted",
              "market_questions", "eligibility", "how_to_enter", "judging_criteria", "what_we_plan_to_buy",
              "phases-0-name"]
BIDDING = {"lots-0-title": "North", "lots-0-description": "Schools in the north.", "lots-0-value_min": "£5,000",
           "lots-0-value_basis": "per-year", "min_turnover": "10000", "insurance_public_liability": "1000000",
           "other_accreditations": "A clean kitchen.", "payment_days": "14", "split_for_small_suppliers": "no",
           "not_split_reason": "One kitchen.", "criteria-0-type": "quality", "criteria-0-name": "Quality",
           "criteria-0-description": "How good.", "criteria-0-weight": "90", "criteria-1-type": "social-value",
           "criteria-1-name": "Social value", "criteria-1-weight": "10", "social_value-0-outcome": "environment",
           "social_value-0-wish": "Less food waste."}
BIDDING_TEXT = ["lots-0-title", "lots-0-description", "other_accreditations", "not_split_reason", "criteria-0-name",
                "criteria-0-description", "social_value-0-wish"]

# role, address, a good post, its text, number and date fields, and the pages that show what it stored
FORMS = {
    "brief": ("buyer", "/buyer/opportunities/{problem_id}/edit", BRIEF, BRIEF_TEXT,
              ["value_min", "value_max", "contract_length_months"], ["engagement_closes"],
              ["/opportunities/{problem_slug}", "/search/feed.atom", "/search?q=meals", "/api/opportunities",
               "/data/ocds/releases.json", "/buyer/opportunities/{problem_id}"]),
    "challenge": ("buyer", "/buyer/opportunities/{challenge_id}/edit", BRIEF | PHASE, BRIEF_TEXT,
                  ["phases-0-funding"], ["phases-0-starts", "phases-0-ends"],
                  ["/opportunities/{challenge_slug}", "/search/feed.atom", "/opportunities/{challenge_slug}/ocds.json"]),
    "event": ("buyer", "/buyer/opportunities/{problem_id}/events/new",
              dict(kind="webinar", title="Meet the buyer", description="Come along.", starts="2027-01-20T10:00",
                   ends="2027-01-20T11:00", booking_deadline="2027-01-19T10:00", location="Town Hall",
                   online_link="https://example.org/meet", capacity="30"),
              ["title", "description", "location"], ["capacity"], ["starts", "ends", "booking_deadline"],
              ["/opportunities/{problem_slug}", "/buyer/opportunities/{problem_id}"]),
    "bidding": ("buyer", "/buyer/opportunities/{problem_id}/bidding", BIDDING, BIDDING_TEXT,
                ["lots-0-value_min", "min_turnover", "insurance_public_liability", "payment_days"], [],
                ["/buyer/opportunities/{problem_id}/bidding", "/opportunities/{problem_slug}"]),
    "outcome": ("buyer", "/buyer/events/{ended_event_id}/outcome", dict(materials="Slides.", what_we_heard="A lot."),
                ["materials", "what_we_heard"], [], [], ["/events/{ended_event_id}", "/events/{ended_event_id}/calendar.ics"]),
    "answer": ("buyer", "/buyer/questions/{question_id}/answer",
               {"publish-{question_id}-question": "When?", "publish-{question_id}-answer": "In spring."},
               ["publish-{question_id}-question", "publish-{question_id}-answer"], [], [],
               ["/opportunities/{problem_slug}", "/buyers/{buyer_slug}", "/dashboard"]),
    "question": ("supplier", "/opportunities/{problem_slug}/questions", dict(question="When?"), ["question"], [], [],
                 ["/buyer/opportunities/{problem_id}"]),
    "organisation": ("supplier", "/organisation",
                     dict(organisation_name="Fuzz Supplies CIC", size="micro", legal_form="community-interest-company",
                          regions_served=["TLI"], capabilities=["55"], website="https://example.org", one_line="We cook."),
                     ["organisation_name", "one_line", "website", "registration_number"], [], [],
                     ["/opportunities/{problem_slug}", "/buyer/opportunities/{problem_id}",
                      "/buyer/opportunities/{problem_id}/interest.csv", "/buyer/opportunities/{problem_id}/responses",
                      "/dashboard"]),
    "saved search": ("supplier", "/saved-searches/new", dict(name="Meals", frequency="daily", query="q=meals"),
                     ["name", "query"], [], [], ["/dashboard"]),
    "response to a resident": ("buyer", "/buyer/residents/{contribution_id}/respond", dict(response="Thank you."),
                               ["response"], [], [], ["/opportunities/{problem_slug}", "/api/opportunities/{problem_slug}",
                                                      "/buyer/residents/{contribution_id}"]),
    "what changed": ("buyer", "/buyer/residents/opportunities/{problem_id}/what-changed",
                     dict(what_changed="Evening opening."), ["what_changed"], [], [],
                     ["/buyer/residents/opportunities/{problem_id}/what-changed"]),
    "buyer organisation": ("admin", "/admin/buyers/new", dict(name="Fuzz District", org_type="nhs-trust", region="TLI"),
                           ["name"], [], [], ["/admin", "/buyers"]),
}


def _cases():
    for name, (_, _, _, text, numbers, dates, _) in FORMS.items():
        for fields, values in ((text, TEXT_VALUES), (numbers, NUMBER_VALUES), (dates, DATE_VALUES)):
            for value in values if fields else []:
                yield pytest.param(name, fields, value, id=f"{name}-{value[:12]!r}")


@pytest.mark.parametrize(("form_name", "fields", "value"), list(_cases()))
def test_every_field_of_a_kind_holds_an_awkward_value(world, form_name, fields, value):
    role, path, good, *_, pages = FORMS[form_name]
    client = world.client(role)
    names = vars(world)
    good = {name.format(**names): good_value for name, good_value in good.items()}  # some are named after an id
    fields = [name.format(**names) for name in fields]
    response = submit(client, path.format(**names), good | dict.fromkeys(fields, value),
                      what=f"{form_name} with {value[:40]!r} in {', '.join(fields)}")
    if accepted(response):
        assert_pages_safe(client, landing(response), *(page.format(**names) for page in pages))
        assert_pages_safe(world.client("anonymous"), *(page.format(**names) for page in pages
                                                       if not page.startswith(("/buyer", "/dashboard", "/admin"))))
