"""The JSON API and the data files against their own OpenAPI description, checked with schemathesis.

Requests go to the Flask app through WSGI (no network), on the real content/ folder so answers hold real data.
Each check fails on any 5xx, on a body or header that does not match the description, on a status the
description does not give, on a valid request refused and on an invalid one accepted.
"""

from urllib.parse import unquote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from schemathesis.generation import GenerationMode

from portal.security.text import has_control_characters

OPERATIONS = ["/api/opportunities", "/api/opportunities/{slug}", "/data/ocds/releases.json",
              "/opportunities/{slug}/ocds.json", "/data/opportunities.csv"]
CASES = [(path, GenerationMode.POSITIVE) for path in OPERATIONS] + [
    # Negative cases need a parameter to break; the CSV file takes none.
    (path, GenerationMode.NEGATIVE) for path in OPERATIONS if path != "/data/opportunities.csv"]
EXAMPLES = settings(max_examples=50, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))


def no_control_characters(case) -> bool:
    """Before any view runs, the app removes control characters from query values (security/requests.py), so a q
    of control characters alone arrives empty and is refused though the description allows it. Cases with one are
    left out; tests/web/test_hardening.py covers them."""
    # Generated path parameters are kept already quoted for the address.
    values = [*(unquote(str(v)) for v in (case.path_parameters or {}).values()), *(case.query or {}).values()]
    return not any(isinstance(value, str) and has_control_characters(value) for value in values)


@pytest.fixture
def api_schema(content_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", content_app)


# One Hypothesis run per operation and mode, from schemathesis's own strategies. (schemathesis.pytest.from_fixture
# with @schema.parametrize() would do the same, but fails on pytest 9.2, whose test items have no `_nodeid`.)
@pytest.mark.parametrize("path, mode", CASES, ids=[f"{path}-{mode.value}" for path, mode in CASES])
def test_api_matches_its_description(api_schema, path, mode):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode).filter(no_control_characters))
    @EXAMPLES
    def check(case):
        case.call_and_validate()

    check()


def test_every_listed_value_and_every_opportunity_match_the_description(api_schema):
    """Generated values rarely find results or an existing slug, so every listed value and every slug is tried too."""
    search = api_schema["/api/opportunities"]["GET"]
    found = set()
    for parameter in search.definition.raw["parameters"]:
        for value in parameter["schema"].get("enum", []):
            body = search.Case(query={parameter["name"]: value, "size": 50}).call_and_validate().json()
            found |= {result["slug"] for result in body["results"]}
    assert len(found) > 20, "the content holds real opportunities"
    for path in ("/api/opportunities/{slug}", "/opportunities/{slug}/ocds.json"):
        operation = api_schema[path]["GET"]
        for slug in sorted(found):
            operation.Case(path_parameters={"slug": slug}).call_and_validate()
    releases = api_schema["/data/ocds/releases.json"]["GET"]
    assert releases.Case().call_and_validate().json()["releases"]


def _edges(schema: dict) -> tuple[list, list]:
    """Values just inside and just outside a parameter's described limits."""
    if schema["type"] == "integer":
        return [schema["minimum"], schema["maximum"]], [schema["minimum"] - 1, schema["maximum"] + 1]
    if "maxLength" in schema:
        return ["a", "a" * schema["maxLength"]], ["", "a" * (schema["maxLength"] + 1)]
    return [], []


@pytest.mark.parametrize("path", ["/api/opportunities", "/data/ocds/releases.json"])
def test_values_are_accepted_up_to_the_described_limits_and_no_further(api_schema, path):
    operation = api_schema[path]["GET"]
    for parameter in operation.definition.raw["parameters"]:
        inside, outside = _edges(parameter["schema"])
        for value in inside:
            response = operation.Case(query={parameter["name"]: value}).call_and_validate()
            assert response.status_code in (200, 404), (parameter["name"], value)  # 404: a page past the last
        for value in outside:
            response = operation.Case(query={parameter["name"]: value}).call_and_validate()
            assert response.status_code == 400, (parameter["name"], value)


@pytest.mark.parametrize("path", ["/api/opportunities", "/api/opportunities/school-meals", "/data/ocds/releases.json",
                                  "/opportunities/school-meals/ocds.json", "/data/opportunities.csv"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods_get_405_as_described(content_app, path, method):
    client = content_app.test_client()
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert _validator(client, "MethodNotAllowed").is_valid(response.get_json())


def _validator(client, response_name: str) -> Draft202012Validator:
    components = client.get("/api/openapi.json").get_json()["components"]
    schema = components["responses"][response_name]["content"]["application/json"]["schema"]
    return Draft202012Validator(schema | {"components": components})
