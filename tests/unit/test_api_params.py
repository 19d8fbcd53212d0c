import pytest
from werkzeug.datastructures import MultiDict

from portal.opendata.openapi import RELEASE_PAGE_PARAMETERS, search_parameters
from portal.web.api_params import check_parameters

CHOICES = {"kind": {"pipeline-item": "Pipeline items"}, "stage": {"pipeline": "Pipeline"}, "mission": {},
           "buyer": {"camden": "Camden"}, "region": {"TLI": "London"}, "area": {"KEN": "Kent"},
           "cpv": {"85": "Health", "03": "Farming"},
           "value": {"not-stated": "Not stated"}, "closing": {"7": "Within 7 days"}, "source": {"portal": "Here"},
           "lot_value": {"25000": "Up to £25,000", "100000": "Up to £100,000"}, "min_turnover": {"none": "None"},
           "social_value": {"wellbeing": "Wellbeing"}}


def errors(query: str, parameters=None) -> list[dict]:
    args = MultiDict([tuple(pair.split("=", 1)) for pair in query.split("&") if pair])
    return check_parameters(args, parameters or search_parameters(CHOICES))


@pytest.mark.parametrize("query", ["", "page=1", "page=10000", "page=007", "size=50", "q=" + "x" * 200, "q=%20",
                                   "cpv=03", "cpv=85&sme=yes&vcse=yes&closing=7&sort=value", "unknown=ignored",
                                   "lot_value=25000&min_turnover=none&social_value=wellbeing&consortia=yes"
                                   "&reserved_vcse=yes&pays_within_30=yes", "area=KEN&closed=yes"])
def test_values_the_description_allows_are_accepted(query):
    assert errors(query) == []


@pytest.mark.parametrize("query, message", [
    ("page=0", "page must be a whole number from 1 to 10,000."),
    ("page=10001", "page must be a whole number from 1 to 10,000."),
    ("page=" + "9" * 5000, "page must be a whole number from 1 to 10,000."),
    ("page=-1", "page must be a whole number from 1 to 10,000."),
    ("page=1.0", "page must be a whole number from 1 to 10,000."),
    ("page=%201", "page must be a whole number from 1 to 10,000."),
    ("size=51", "size must be a whole number from 1 to 50."),
    ("q=" + "x" * 201, "q must be 200 characters or fewer."),
    ("cpv=00", "cpv must be one of the allowed values."),
    ("cpv=99", "cpv must be one of the allowed values."),
    ("sme=true", "sme must be yes, or left out."),
    ("consortia=no", "consortia must be yes, or left out."),
    ("lot_value=25", "lot_value must be one of the allowed values."),
    ("min_turnover=", "min_turnover is empty. Give it a value, or leave it out."),
    ("sme=", "sme is empty. Give it a value, or leave it out."),
    ("closing=", "closing is empty. Give it a value, or leave it out."),
    ("page=", "page is empty. Give it a value, or leave it out."),
    ("q=", "q is empty. Give it a value, or leave it out."),
    ("kind=pipeline-item&kind=pipeline-item", "Give kind only once."),
    ("mission=anything", "mission must be one of the allowed values."),
    ("area=Kent", "area must be KEN, or left out."),  # codes, not names; only one in CHOICES
    ("closed=no", "closed must be yes, or left out."),
])
def test_values_the_description_does_not_allow_are_refused(query, message):
    found = errors(query.replace("%20", " "))
    assert [e["message"] for e in found] == [message]
    assert found[0]["parameter"] == query.split("=")[0]


def test_refusing_a_listed_value_lists_what_is_allowed():
    assert errors("cpv=00")[0]["allowed"] == ["03", "85"]


def test_release_package_page_has_the_same_limits():
    assert errors("page=10001", RELEASE_PAGE_PARAMETERS)[0]["parameter"] == "page"
    assert errors("page=10000", RELEASE_PAGE_PARAMETERS) == []
