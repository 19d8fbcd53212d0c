"""A buyer's forms: the brief editor for each kind, publishing and rejecting questions, events and their outcomes, and
the pipeline upload."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from sqlmodel import Session

from portal.briefs import templates
from portal.config import PROJECT_ROOT
from portal.models import Question
from portal.services import questions
from tests.fuzz.checks import accepted, assert_pages_safe, assert_safe, landing, markup_problems, submit
from tests.fuzz.strategies import HOSTILE, MARKUP, checkboxes, choice, form, fuzz_settings, fuzz_value, words

pytestmark = pytest.mark.fuzz

TEMPLATES = templates(PROJECT_ROOT / "content")
ticks = st.sampled_from(["y", "", "on", "false"])
money = st.one_of(st.integers(min_value=0, max_value=10**7).map(str), st.just(""))
dates = st.sampled_from(["2027-01-20", "2026-12-31", "", "0001-01-01", "9999-12-31"])
# Markdown a buyer might write, and Markdown built to get raw HTML, scripts or bad links through.
markdown = st.one_of(
    words("We want fewer missed meals.", "## Heading\n\nA paragraph with **bold** and a [link](https://example.org)."),
    st.sampled_from([
        "Text\n\n<script>alert(1)</script>\n\nMore",
        "<div markdown=\"1\">\n<img src=x onerror=alert(1)>\n</div>",
        "[a](javascript:alert(1)) [b](<javascript:alert(1)>) [c][r]\n\n[r]: javascript:alert(1)",
        "![x](javascript:alert(1))",
        "<a href='&#106;avascript:alert(1)'>x</a>",
        "*[HTML]: <script>alert(1)</script>\n\nHTML here",
        "| a | b |\n|---|---|\n| <script>alert(1)</script> | <b onclick=alert(1)>x</b> |",
        "> " * 9 + "nine quotes deep (the deepest allowed is ten)",
        "\n".join("    " * depth + "- item" for depth in range(9)),
        "```\n<script>alert(1)</script>\n```",
    ]),
)


def brief(kind: str) -> st.SearchStrategy:
    sections = {section.name: markdown for section in TEMPLATES[kind].sections}
    fields = dict(
        title=words("Healthy school meals", "Food & drink"), summary=words("Meals for children in schools."),
        why=markdown, missions=checkboxes("fuzz-mission"), cpv=st.sampled_from(["85311000-2", "85311000", "72000000-5"]),
        regions=checkboxes("TLI", "TLJ", "TLC"), value_min=money, value_max=money, engagement_closes=dates,
        financial_year=st.just("2027"), quarter=st.just("3"), contract_length_months=st.sampled_from(["", "12", "600"]),
        likely_route=words("Open procedure"), stage=choice("pipeline", "engagement", "tender"),
        suitable_for_sme=ticks, suitable_for_vcse=ticks, **sections,
    )
    if kind == "innovation-challenge":
        fields |= {
            "phases-0-name": words("Discovery"), "phases-0-starts": st.just("2027-01-01"),
            "phases-0-ends": st.just("2027-03-01"), "phases-0-funding": money,
            # A second phase left empty: the fuzzing fills in some of its fields and not others.
            "phases-1-name": st.just(""), "phases-1-starts": st.just(""), "phases-1-ends": st.just(""),
            "phases-1-funding": st.just(""),
        }
    return form(**fields)


def public_pages(world, slug: str) -> list[str]:
    return [f"/opportunities/{slug}", "/search?q=meals", "/search/feed.atom", f"/buyers/{world.buyer_slug}",
            f"/api/opportunities/{slug}"]


@fuzz_settings(max_examples=25)
@given(kind=st.sampled_from(sorted(TEMPLATES)), data=st.data())
def test_new_brief(world, kind, data):
    client = world.client("buyer")
    response = submit(client, f"/buyer/opportunities/new/{kind}", data.draw(brief(kind)))
    if accepted(response):
        assert_pages_safe(client, landing(response), "/buyer")


@fuzz_settings(max_examples=30)
@given(which=st.sampled_from(["problem", "challenge", "pipeline"]), data=st.data())
def test_edit_published_brief(world, which, data):
    """Changes to a published item go straight to its public page, the search results and the feed."""
    client = world.client("buyer")
    opportunity_id, slug = getattr(world, f"{which}_id"), getattr(world, f"{which}_slug")
    kind = {"problem": "problem-statement", "challenge": "innovation-challenge", "pipeline": "pipeline-item"}[which]
    response = submit(client, f"/buyer/opportunities/{opportunity_id}/edit", data.draw(brief(kind)))
    if accepted(response):
        assert_pages_safe(client, landing(response), f"/buyer/opportunities/{opportunity_id}")
        assert_pages_safe(world.client("anonymous"), *public_pages(world, slug))


def _new_question(world) -> int:
    """Another waiting question from the fuzz supplier, as each rejection needs one."""
    with Session(world.app.extensions["engine"]) as session:
        first = session.get(Question, world.question_id)
        return questions.ask(session, first.opportunity_id, first.organisation_id, first.asked_by_id, "Is there a budget?").id


@fuzz_settings(max_examples=25)
@given(drawn=st.data())
def test_answer_question(world, drawn):
    prefix = f"publish-{world.question_id}"
    data = drawn.draw(form(**{f"{prefix}-question": words("When does it start?"), f"{prefix}-answer": markdown}))
    response = submit(world.client("buyer"), f"/buyer/questions/{world.question_id}/answer", data)
    if accepted(response):
        assert_pages_safe(world.client("buyer"), landing(response))
        assert_pages_safe(world.client("supplier"), "/dashboard")
        assert_pages_safe(world.client("anonymous"), f"/opportunities/{world.problem_slug}", f"/buyers/{world.buyer_slug}")


@fuzz_settings(max_examples=15)
@given(drawn=st.data())
def test_reject_question(world, drawn):
    question_id = _new_question(world)
    data = drawn.draw(form(**{f"reject-{question_id}-reason": markdown}))
    response = submit(world.client("buyer"), f"/buyer/questions/{question_id}/reject", data)
    if accepted(response):
        assert_pages_safe(world.client("buyer"), landing(response))
        assert_pages_safe(world.client("supplier"), "/dashboard")


@fuzz_settings(max_examples=25)
@given(data=form(kind=choice("webinar", "in-person", "one-to-one"), title=words("Meet the buyer"), description=markdown,
                 starts=st.sampled_from(["2027-01-20T10:00", "2027-01-20 10:00"]), ends=st.just("2027-01-20T11:00"),
                 booking_deadline=st.just("2027-01-19T10:00"), location=words("Town Hall, High Street"),
                 online_link=st.sampled_from(["", "https://example.org/meet?a=1&b=<x>"]),
                 capacity=st.sampled_from(["1", "30", "10000"])))
def test_new_event(world, data):
    client = world.client("buyer")
    response = submit(client, f"/buyer/opportunities/{world.problem_id}/events/new", data)
    if accepted(response):
        assert_pages_safe(client, landing(response))
        anonymous = world.client("anonymous")
        page = anonymous.get(f"/opportunities/{world.problem_slug}")
        assert_safe(page, "the opportunity page")
        links = BeautifulSoup(page.get_data(as_text=True), "html.parser").select('a[href^="/events/"]')
        newest = max((link["href"] for link in links), key=lambda href: int(href.rsplit("/", 1)[-1]))
        assert_pages_safe(anonymous, newest, f"{newest}/calendar.ics")


@fuzz_settings(max_examples=20)
@given(data=form(materials=markdown, what_we_heard=markdown))
def test_event_outcome(world, data):
    response = submit(world.client("buyer"), f"/buyer/events/{world.ended_event_id}/outcome", data)
    if accepted(response):
        assert_pages_safe(world.client("anonymous"), f"/events/{world.ended_event_id}")


PIPELINE_ROW = dict(
    reference=st.sampled_from(["", "fuzz-pipeline"]), title=st.sampled_from(["School meals", *MARKUP]),
    summary=st.sampled_from(["We plan to buy meals.", *MARKUP]), financial_year=st.sampled_from(["2027-28", "2028-29"]),
    quarter=st.sampled_from(["1", "4"]), value_min=st.sampled_from(["", "250000", "£250,000"]),
    value_max=st.sampled_from(["", "£6,000,000", "9000000"]), contract_length_months=st.sampled_from(["", "36"]),
    likely_route=st.sampled_from(["Open procedure", *MARKUP]), status=st.sampled_from(["planned", "in engagement"]),
    cpv=st.sampled_from(["55524000-9", "85311100"]), regions=st.sampled_from(["London", "TLI; South East"]),
    missions=st.sampled_from(["", "fuzz-mission"]), suitable_for_sme=st.sampled_from(["yes", "no"]),
    suitable_for_vcse=st.sampled_from(["yes", "no"]),
)
raw_files = st.sampled_from([b"", b"\x00\x01\x02", b"\xff\xfe\x00t\x00i", "t\u00eftle\n\u00e9".encode("latin-1"),
                             b"reference,title\n" + b"a," * 5000, b'"unclosed,quote\n', b"=cmd|' /C calc'!A0,x\n"])


@fuzz_settings(max_examples=30)
@given(rows=st.tuples(st.lists(st.fixed_dictionaries(PIPELINE_ROW | {"reference": st.just("")}), max_size=2),
                     form(**PIPELINE_ROW)).map(lambda rows: [*rows[0], rows[1]]),
       columns=st.sampled_from([list(PIPELINE_ROW), list(PIPELINE_ROW), [*PIPELINE_ROW, "unknown"],
                                list(PIPELINE_ROW)[::-1], list(PIPELINE_ROW)[1:]]),
       raw=st.one_of(st.none(), st.none(), raw_files),
       bom=st.booleans(), filename=st.sampled_from(["pipeline.csv", "pipeline.csv", "pipeline.csv", "pipeline.xlsx", "", "../../etc/passwd", "a\x00.csv"]))
def test_pipeline_upload(world, rows, columns, raw, bom, filename):
    if raw is None:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({name: value if isinstance(value, str) else ";".join(value) for name, value in row.items()}
                         for row in rows)
        raw = ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8", "surrogatepass")
    client = world.client("buyer")
    response = submit(client, "/buyer/pipeline", {"file": (io.BytesIO(raw), filename)},
                      content_type="multipart/form-data")
    if accepted(response):
        assert_pages_safe(client, landing(response))
        assert_pages_safe(world.client("anonymous"), "/opportunities?kind=pipeline-item", "/search?kind=pipeline-item",
                          "/data/opportunities.csv", f"/buyers/{world.buyer_slug}")


@fuzz_settings(max_examples=40)
@given(text=st.one_of(st.sampled_from(HOSTILE), markdown, fuzz_value), field=st.sampled_from(["why", "problem", "", "1x"]),
       kind=st.sampled_from(["problem-statement", "pipeline-item", "nonsense", ""]))
def test_markdown_preview_and_check(world, text, field, kind):
    """The editor's live preview renders any text as safe HTML; the plain English check reads any text."""
    client = world.client("buyer")
    preview = submit(client, "/buyer/preview-markdown", {"field": field, field: text}, headers={"HX-Request": "true"})
    assert not markup_problems(preview.get_data(as_text=True)), preview.get_data(as_text=True)[:500]
    submit(client, "/buyer/check", {"kind": kind, "summary": text, "why": text, "problem": text},
           headers={"HX-Request": "true"})

