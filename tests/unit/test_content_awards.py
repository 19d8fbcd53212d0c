"""Awards, KPIs and results in content files, and measurable targets on missions and outcomes: they load, load again
without changes, replace only what a content load made, and bad ones fail loudly with the file and the field."""

from datetime import date

import pytest
from sqlmodel import Session, select

from portal.content import ContentError, load_content
from portal.models import KPI, Award, AwardSupplier, KPIResult, Mission, Opportunity, Outcome
from tests.unit.test_content_loader import MISSION, OPPORTUNITY, write_tree

AWARDS = """\
awards:
  - suppliers:
      - name: Good Food CIC
        size: micro
        vcse: true
        region: TLI
    value: 18000
    awarded: 2026-09-01
    contract_starts: 2026-10-01
    contract_ends: 2027-09-30
    kpis:
      - title: Families reached
        measure: Families who came to a cooking session.
        unit: families
        target: 40
        frequency: quarterly
        results:
          - period_start: 2026-10-01
            period_end: 2026-10-31
            observed: 22
            rating: requires-improvement
            comment: Fewer came than planned.
"""
AWARDED = OPPORTUNITY.replace("stage: engagement\n", "stage: awarded\n" + AWARDS)
TARGETS = MISSION.replace("owner: test-borough\n", "owner: test-borough\nmeasure: Families going hungry\n"
                          "baseline: 12%\ntarget: 6\ntarget_date: 2030-03-31\n").replace(
    "    title: Fewer families go hungry\n", "    title: Fewer families go hungry\n    target: 500 fewer families\n"
                                            "    target_date: 2025-12-31\n")


def test_awards_and_targets_load_and_loading_again_changes_nothing(app, tmp_path):
    engine = app.extensions["engine"]
    root = write_tree(tmp_path / "content", {"opportunities/help-families.md": AWARDED, "missions/food.md": TARGETS})
    load_content(engine, root, "ocds-test00")
    with Session(engine) as session:
        award = session.exec(select(Award)).one()
        assert (award.value, award.awarded_on, award.source_award_id) == (18_000, date(2026, 9, 1), "content-1")
        assert [(s.name, s.size, s.is_vcse, s.region) for s in award.suppliers] == [("Good Food CIC", "micro", True, "TLI")]
        [kpi] = award.kpis
        assert (kpi.title, kpi.target, [r.rating for r in kpi.results]) == ("Families reached", 40, ["requires-improvement"])
        mission = session.exec(select(Mission)).one()
        assert (mission.measure, mission.baseline, mission.target, mission.target_date) == \
            ("Families going hungry", "12%", "6", date(2030, 3, 31))
        assert session.exec(select(Outcome)).one().target == "500 fewer families"
    assert load_content(engine, root, "ocds-test00")["updated"] == 0


def test_an_edited_award_replaces_the_content_award_and_keeps_a_buyers_own(app, tmp_path):
    engine = app.extensions["engine"]
    root = write_tree(tmp_path / "content", {"opportunities/help-families.md": AWARDED})
    load_content(engine, root, "ocds-test00")
    with Session(engine) as session:
        item = session.exec(select(Opportunity).where(Opportunity.slug == "help-families")).one()
        session.add(Award(opportunity_id=item.id, value=5, awarded_on=date(2026, 10, 1),
                          suppliers=[AwardSupplier(name="Recorded on the portal")]))
        session.commit()
    write_tree(root, {"opportunities/help-families.md": AWARDED.replace("observed: 22", "observed: 41").replace(
        "rating: requires-improvement", "rating: good")})
    assert load_content(engine, root, "ocds-test00")["updated"] == 1
    with Session(engine) as session:
        assert sorted(s.name for s in session.exec(select(AwardSupplier))) == ["Good Food CIC", "Recorded on the portal"]
        assert [(r.observed, r.rating) for r in session.exec(select(KPIResult))] == [(41, "good")]
        assert len(session.exec(select(KPI)).all()) == 1


BAD_AWARDS = [
    (AWARDED.replace("stage: awarded", "stage: tender"), ["awards", "awarded stage"]),
    (AWARDED.replace("value: 18000", "value: 6000000"), ["kpis", "at least 3 KPIs"]),
    (AWARDED.replace("contract_ends: 2027-09-30", "contract_ends: 2026-01-01"), ["contract_ends", "end after it starts"]),
    (AWARDED.replace("size: micro", "size: enormous"), ["suppliers.0.size"]),
    (AWARDED.replace("region: TLI", "region: XX9"), ["region", "XX9"]),
    (AWARDED.replace("frequency: quarterly", "frequency: hourly"), ["frequency", "quarterly"]),
    (AWARDED.replace("rating: requires-improvement", "rating: brilliant"), ["rating"]),
    (AWARDED.replace("rating: requires-improvement", "rating: other"), ["rating_note", "other"]),
    (AWARDED.replace("period_end: 2026-10-31", "period_end: 2026-09-30"), ["period_end", "end after it starts"]),
    (AWARDED.replace("observed: 22", "observed: lots"), ["observed"]),
    (AWARDED.replace("      - name: Good Food CIC\n        size: micro\n        vcse: true\n        region: TLI\n",
                     "      []\n").replace("suppliers:\n", "suppliers:\n"), ["suppliers"]),
    (AWARDED.replace("    value: 18000\n", "    value: 18000\n    lot: 3\n"), ["lot", "number of one of the item's lots"]),
]


@pytest.mark.parametrize("text, expected", BAD_AWARDS)
def test_bad_awards_fail_loudly_naming_file_and_field(app, tmp_path, text, expected):
    root = write_tree(tmp_path / "content", {"opportunities/help-families.md": text})
    with pytest.raises(ContentError) as raised:
        load_content(app.extensions["engine"], root, "ocds-test00")
    for word in ["help-families.md", *expected]:
        assert word in str(raised.value)
