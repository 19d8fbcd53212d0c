from pathlib import Path
from textwrap import dedent

import pytest
from sqlmodel import Session, select

from portal.config import PROJECT_ROOT
from portal.content import ContentError, load_content, read_content
from portal.models import ChallengePhase, GlossaryTerm, Opportunity, Organisation, OpportunityKind

BUYER = """\
---
name: Test Borough Council
type: london-borough
region: TLI
website: https://www.example.org
---
We buy things for residents.
"""
MISSION = """\
---
title: By 2030, everyone eats well
short_title: Food
owner: test-borough
summary: Good food for all.
outcomes:
  - slug: fewer-hungry-families
    title: Fewer families go hungry
---
Why it matters.
"""
OPPORTUNITY = """\
---
title: Help families eat well
kind: problem-statement
buyer: test-borough
summary: Families struggle to afford food.
why: Because hunger harms children.
missions: [food]
outcomes: [fewer-hungry-families]
cpv: 85311000-2
regions: [TLI]
value:
  min: 10000
  max: 20000
published: 2026-10-01
engagement_closes: 2027-01-15
suitable_for_sme: true
suitable_for_vcse: true
stage: engagement
---
## The problem

Families go hungry.
"""
CHALLENGE = """\
---
title: Cut food waste
kind: innovation-challenge
buyer: test-borough
summary: Find ways to waste less food.
why: Waste costs money.
missions: [food]
cpv: 73000000-2
regions: [TLI, TLJ]
published: 2026-10-01
suitable_for_sme: true
suitable_for_vcse: false
stage: engagement
phases:
  - name: Discovery
    starts: 2027-01-01
    ends: 2027-03-31
    funding: 25000
---
Body.
"""
GUIDANCE = """\
---
title: How to work with us
summary: Help for small suppliers.
order: 1
---
Read this.
"""
GLOSSARY = """\
- term: Lot
  definition: A part of a contract.
- term: Tender
  definition: A formal offer.
  also_called: [bid]
"""


def write_tree(root: Path, replace: dict[str, str] | None = None) -> Path:
    """A valid content folder, with some files replaced or added."""
    files = {
        "buyers/test-borough.md": BUYER,
        "missions/food.md": MISSION,
        "opportunities/help-families.md": OPPORTUNITY,
        "opportunities/cut-food-waste.md": CHALLENGE,
        "guidance/how-to-work-with-us.md": GUIDANCE,
        "glossary.yaml": GLOSSARY,
    } | (replace or {})
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return root


def test_good_content_loads(app, tmp_path):
    engine = app.extensions["engine"]
    counts = load_content(engine, write_tree(tmp_path / "content"), "ocds-test00")
    assert counts == {"created": 7, "updated": 0, "unchanged": 0}  # 2 glossary terms
    with Session(engine) as session:
        opportunity = session.exec(select(Opportunity).where(Opportunity.slug == "help-families")).one()
        assert opportunity.ocid == "ocds-test00-help-families"
        assert opportunity.buyer.name == "Test Borough Council"
        assert [m.slug for m in opportunity.missions] == ["food"]
        assert [o.slug for o in opportunity.outcomes] == ["fewer-hungry-families"]
        assert (opportunity.value_min, opportunity.value_max) == (10_000, 20_000)
        challenge = session.exec(select(Opportunity).where(Opportunity.slug == "cut-food-waste")).one()
        assert challenge.kind == OpportunityKind.INNOVATION_CHALLENGE
        assert challenge.region_codes == ["TLI", "TLJ"]
        assert [(p.name, p.funding) for p in challenge.phases] == [("Discovery", 25_000)]
        assert challenge.value_min is None and challenge.value_max is None
        assert session.exec(select(GlossaryTerm).where(GlossaryTerm.slug == "tender")).one().also_called == "bid"


def test_loading_twice_changes_nothing(app, tmp_path):
    engine = app.extensions["engine"]
    root = write_tree(tmp_path / "content")
    load_content(engine, root, "ocds-test00")
    assert load_content(engine, root, "ocds-test00") == {"created": 0, "updated": 0, "unchanged": 7}
    with Session(engine) as session:
        assert len(session.exec(select(Opportunity)).all()) == 2
        assert len(session.exec(select(ChallengePhase)).all()) == 1


def test_edited_content_updates_in_place(app, tmp_path):
    engine = app.extensions["engine"]
    root = write_tree(tmp_path / "content")
    load_content(engine, root, "ocds-test00")
    write_tree(root, {"opportunities/cut-food-waste.md": CHALLENGE.replace("regions: [TLI, TLJ]", "regions: [TLK]").replace(
        "    funding: 25000\n", "    funding: 25000\n  - name: Pilot\n    starts: 2027-04-01\n    ends: 2027-09-30\n")})
    assert load_content(engine, root, "ocds-test00")["updated"] == 1
    with Session(engine) as session:
        challenge = session.exec(select(Opportunity).where(Opportunity.slug == "cut-food-waste")).one()
        assert challenge.region_codes == ["TLK"]
        assert [p.name for p in challenge.phases] == ["Discovery", "Pilot"]


BAD_FILES = [
    # (file to replace, new text, words the message must contain)
    ("opportunities/help-families.md", OPPORTUNITY.replace("85311000-2", "99999999-9"), ["help-families.md", "cpv", "99999999-9"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("[TLI]", "[XX1]"), ["help-families.md", "regions", "XX1"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("Families struggle to afford food.", "word " * 51), ["help-families.md", "summary", "50 words"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("kind: problem-statement\n", ""), ["help-families.md", "kind", "required"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("kind: problem-statement", "kind: tender"), ["help-families.md", "kind"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("buyer: test-borough", "buyer: nobody"), ["help-families.md", "buyer", "nobody"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("missions: [food]", "missions: [space]"), ["help-families.md", "missions", "space"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("min: 10000", "min: 90000"), ["help-families.md", "value", "min"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("stage: engagement", "stage: engagement\ncolour: blue"), ["help-families.md", "colour"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("published: 2026-10-01", "published: someday"), ["help-families.md", "published"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("engagement_closes: 2027-01-15", "engagement_closes: 2026-01-15"), ["help-families.md", "engagement_closes"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("kind: problem-statement", "kind: pipeline-item"), ["help-families.md", "approach_to_market"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("stage: engagement", "stage: engagement\napproach_to_market:\n  financial_year: 2027-29\n  quarter: 5"), ["help-families.md", "financial_year", "quarter"]),
    ("opportunities/help-families.md", OPPORTUNITY.replace("title: Help", "title: [Help"), ["help-families.md", "YAML"]),
    ("opportunities/cut-food-waste.md", CHALLENGE.split("phases:")[0] + "---\nBody.\n", ["cut-food-waste.md", "phase"]),
    ("opportunities/cut-food-waste.md", CHALLENGE.replace("ends: 2027-03-31", "ends: 2026-03-31"), ["cut-food-waste.md", "phases.0", "end before"]),
    ("opportunities/Bad_Name.md", OPPORTUNITY, ["Bad_Name.md", "file name"]),
    ("missions/food.md", MISSION.replace("owner: test-borough", "owner: ghost"), ["food.md", "owner", "ghost"]),
    ("buyers/test-borough.md", BUYER.replace("type: london-borough", "type: castle"), ["test-borough.md", "type"]),
    ("buyers/test-borough.md", BUYER.replace("https://www.example.org", "javascript:alert(1)"), ["test-borough.md", "website"]),
    ("glossary.yaml", GLOSSARY + "- term: lot\n  definition: Again.\n", ["glossary.yaml", "lot"]),
    ("glossary.yaml", "- term: Lot\n", ["glossary.yaml", "definition"]),
]


@pytest.mark.parametrize("name, text, expected", BAD_FILES)
def test_bad_content_fails_loudly_naming_file_and_field(app, tmp_path, name, text, expected):
    root = write_tree(tmp_path / "content", {name: text})
    with pytest.raises(ContentError) as raised:
        load_content(app.extensions["engine"], root, "ocds-test00")
    message = str(raised.value)
    for word in expected:
        assert word in message
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Organisation)).all() == [], "nothing is written when any file is bad"


def test_outcome_must_belong_to_the_items_missions(tmp_path):
    other_mission = MISSION.replace("short_title: Food", "short_title: Other").replace("fewer-hungry-families", "other-outcome")
    root = write_tree(tmp_path / "content", {
        "missions/other.md": other_mission,
        "opportunities/help-families.md": OPPORTUNITY.replace("[fewer-hungry-families]", "[other-outcome]"),
    })
    with pytest.raises(ContentError, match="belongs to mission 'other'"):
        read_content(root)


def test_missing_folder_is_reported(tmp_path):
    with pytest.raises(ContentError, match="content folder not found"):
        read_content(tmp_path / "nowhere")


def test_cli_reports_problems_and_exits_non_zero(runner, tmp_path):
    root = write_tree(tmp_path / "content", {"opportunities/help_families.md": "---\ntitle: x\n---\n"})
    result = runner.invoke(args=["load-content", str(root)])
    assert result.exit_code == 1
    assert "help_families.md" in result.output and "file name" in result.output


def test_cli_loads_content(runner, app, tmp_path):
    result = runner.invoke(args=["load-content", str(write_tree(tmp_path / "content"))])
    assert result.exit_code == 0, result.output
    assert "7 created" in result.output


def test_the_real_content_folder_is_valid_and_rich_enough():
    bundle = read_content(PROJECT_ROOT / "content")
    published = [o for o in bundle.opportunities if o.meta.status == "published"]
    assert len(published) >= 40
    assert len(bundle.buyers) >= 6
    assert len(bundle.missions) >= 5
    assert {o.meta.kind for o in published} == set(OpportunityKind)
    assert len({r for o in published for r in o.meta.regions}) >= 6
    assert any(o.meta.value is None for o in published)
    assert {o.meta.stage for o in published} >= {"pipeline", "engagement", "tender", "awarded", "cancelled"}
    assert any(o.meta.suitable_for_vcse for o in published) and any(not o.meta.suitable_for_sme for o in published)
    assert {g.slug for g in bundle.guidance} >= {"how-to-work-with-us", "accessibility-statement", "privacy-notice"}
    assert len(bundle.glossary) >= 30
    assert {b.meta.type for b in bundle.buyers} >= {"london-borough", "county-council", "combined-authority", "nhs-trust", "central-department"}


def test_questions_to_suppliers_load_and_leave_a_buyers_own_alone(app, tmp_path):
    from portal.models import MarketQuestion

    engine = app.extensions["engine"]
    asked = OPPORTUNITY.replace("stage: engagement\n", "stage: engagement\nmarket_questions:\n"
                                "  - text: How would   you reach families?\n    max_words: 100\n  - text: What would it cost?\n")
    root = write_tree(tmp_path / "content", {"opportunities/help-families.md": asked})
    load_content(engine, root, "ocds-test00")
    assert load_content(engine, root, "ocds-test00")["unchanged"] == 7, "loading twice changes nothing"
    with Session(engine) as session:
        questions = session.exec(select(MarketQuestion).order_by(MarketQuestion.position)).all()
        assert [(q.text, q.max_words) for q in questions] == [("How would you reach families?", 100),
                                                              ("What would it cost?", 200)]
        challenge = session.exec(select(Opportunity).where(Opportunity.slug == "cut-food-waste")).one()
        session.add(MarketQuestion(opportunity_id=challenge.id, text="A buyer's own question?"))
        session.commit()
    load_content(engine, root, "ocds-test00")
    with Session(engine) as session:
        assert len(session.exec(select(MarketQuestion)).all()) == 3, "a file without questions leaves them alone"


@pytest.mark.parametrize("entry, words", [
    ("  - text: Too short a limit?\n    max_words: 10\n", ["help-families.md", "market_questions.0.max_words", "50"]),
    ("  - text: ''\n", ["help-families.md", "market_questions.0.text"]),
    ("  - text: Fine?\n" * 6, ["help-families.md", "market_questions", "5"]),
])
def test_bad_questions_to_suppliers_fail_loudly(app, tmp_path, entry, words):
    bad = OPPORTUNITY.replace("stage: engagement\n", f"stage: engagement\nmarket_questions:\n{entry}")
    with pytest.raises(ContentError) as error:
        read_content(write_tree(tmp_path / "content", {"opportunities/help-families.md": bad}))
    for word in words:
        assert word in str(error.value)
