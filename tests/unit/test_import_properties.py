"""Property tests: random valid and broken OCDS releases never crash the import, every refusal names its reasons,
and importing the same files again changes nothing."""

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.opendata.importer import import_notices
from portal.opendata.notice_files import FileProblem, releases_in_text
from portal.opendata.ocds_mapping import NoticeProblem, read_release
from portal.services.notices import Outcome
from tests.fixtures.ocds_publishers import ocds_release, release_package

PROPERTY = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**18, 10**18) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
# Values that look like OCDS, so the mapping gets past its first checks and into the details.
plausible = st.sampled_from([
    "GBP", "EUR", "xx", "", "UK", "GB", "UKL22", "TLM", "2026-09-01T10:00:00Z", "2026-13-45", "<p>a &amp; b</p>",
    "https://example.org/n/1", "javascript:x", "ocds-r6ebe6-1", "ocds-kuma6s-1", "tenderNotice", "active",
    "cancelled", "complete", "45000000-7",
]) | st.integers(-5, 10**16) | st.floats(allow_nan=True, allow_infinity=True)
values = json_values | plausible | st.dictionaries(st.sampled_from(["amount", "currency", "region", "url"]), plausible)

TOP_KEYS = ["ocid", "id", "date", "tag", "buyer", "parties", "tender", "planning", "awards", "uri", "title"]
TENDER_KEYS = ["title", "description", "value", "minValue", "maxValue", "lots", "items", "documents", "status",
               "tenderPeriod", "suitability", "contractPeriod", "classification"]


@st.composite
def releases(draw):
    """A valid release, with some keys removed and some replaced by anything at all."""
    release = ocds_release()
    for key in draw(st.lists(st.sampled_from(TOP_KEYS), max_size=3)):
        release.pop(key, None)
    for key in draw(st.lists(st.sampled_from(TOP_KEYS), max_size=2)):
        release[key] = draw(values)
    if isinstance(release.get("tender"), dict):
        tender = dict(release["tender"])
        for key in draw(st.lists(st.sampled_from(TENDER_KEYS), max_size=4)):
            tender[key] = draw(values | st.lists(st.dictionaries(
                st.sampled_from(["id", "value", "deliveryAddresses", "url", "documentType"]), values), max_size=3))
        release["tender"] = tender
    return release


@settings(PROPERTY, max_examples=300)
@given(releases() | values)
def test_any_release_is_mapped_or_refused_with_reasons(release):
    try:
        mapped = read_release(release, {"publisher": {"name": "Example Portal"}})
    except NoticeProblem as problem:
        assert problem.reasons and all(reason.strip() for reason in problem.reasons)
        return
    assert mapped.notice.title and mapped.notice.release_id and mapped.notice.ocid
    assert all(warning.strip() for warning in mapped.warnings)


@PROPERTY
@given(st.text(max_size=200) | st.binary(max_size=100).map(lambda b: b.decode("latin-1")))
def test_any_text_is_read_or_refused_as_a_file_problem(text):
    try:
        found = releases_in_text(text, json_lines=text.startswith("{"))
    except FileProblem as problem:
        assert problem.reason
        return
    assert all(item.problem is None or item.problem.strip() for item in found)


_ocids = itertools.count(1)


@settings(PROPERTY, max_examples=25)
@given(st.lists(releases(), min_size=1, max_size=4))
def test_importing_random_releases_twice_changes_nothing_the_second_time(app, tmp_path_factory, batch):
    for release in batch:  # one procurement each: two releases of one ocid on the same date are another matter
        if isinstance(release, dict) and isinstance(release.get("ocid"), str):
            release["ocid"] = f"ocds-r6ebe6-{next(_ocids)}"
    folder = tmp_path_factory.mktemp("releases")
    (folder / "package.json").write_text(json.dumps(release_package(*batch)), encoding="utf-8")
    paths = [str(folder)]

    first = import_notices(app.extensions["engine"], app.extensions["search"], paths)
    again = import_notices(app.extensions["engine"], app.extensions["search"], paths)

    assert all(problem.reason.strip() for problem in first.problems)
    assert again.counts[Outcome.CREATED] == again.counts[Outcome.UPDATED] == 0
    assert again.counts[Outcome.UNCHANGED] == first.counts[Outcome.CREATED] + first.counts[Outcome.UPDATED]
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
