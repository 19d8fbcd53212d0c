"""The roll-up of KPI results to outcomes and missions, the KPI chart's scale, SME and VCSE spend, and the 3-KPI rule."""

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from sqlmodel import Session

from portal.models import KPI, Award, AwardSupplier, KPIResult, Rating, Status
from portal.services import award_reports, awards
from portal.services.performance import OutcomeProgress, Progress, kpi_chart, latest_rating_label, outcome_progress
from tests.factories import make_buyer, make_mission, make_opportunity

TODAY = date(2026, 11, 22)
G, A, R, I, O = (Rating.GOOD, Rating.APPROACHING_TARGET, Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE, Rating.OTHER)


@pytest.mark.parametrize("ratings, target_date, progress, overdue, words", [
    ([], None, Progress.NO_RESULT, False, "No result has been published yet."),
    ([], date(2027, 1, 1), Progress.NO_RESULT, False, "No result has been published yet."),
    ([], TODAY, Progress.NO_RESULT, False, "No result has been published yet."),
    ([], date(2025, 12, 31), Progress.NO_RESULT, True,
     "The target date, 31 December 2025, has passed and no result has been published."),
    ([O], date(2025, 12, 31), Progress.NO_RESULT, True,
     "The target date, 31 December 2025, has passed and no result has been published."),
    ([G], None, Progress.ON_TRACK, False, "1 of 1 latest results rated good or approaching target."),
    ([G, A, O], date(2025, 1, 1), Progress.ON_TRACK, False, "2 of 2 latest results rated good or approaching target."),
    ([G, R], None, Progress.OFF_TRACK, False, "1 of 2 latest results rated requires improvement or inadequate."),
    ([I], date(2025, 1, 1), Progress.OFF_TRACK, False, "1 of 1 latest results rated requires improvement or inadequate."),
    ([A, I, R, O], None, Progress.OFF_TRACK, False, "2 of 3 latest results rated requires improvement or inadequate."),
])
def test_the_roll_up_rule(ratings, target_date, progress, overdue, words):
    assert outcome_progress(ratings, target_date, TODAY) == OutcomeProgress(progress, overdue, words)


def test_other_shows_its_note():
    assert latest_rating_label(O, "Not rated yet") == "Other: Not rated yet"
    assert latest_rating_label(O) == "Other" and latest_rating_label(A) == "Approaching target"


def _result(end, observed, rating=G):
    return KPIResult(period_start=date(end.year, end.month, 1), period_end=end, observed=observed, rating=rating,
                     published_at=datetime(2026, 1, 1, tzinfo=timezone.utc))


def test_the_chart_puts_results_in_date_order_on_one_scale_with_the_target():
    kpi = KPI(title="T", measure="M", unit="%", target=100, frequency="monthly",
              results=[_result(date(2026, 3, 31), 110), _result(date(2026, 1, 31), 55, R)])
    chart = kpi_chart(kpi)
    assert [(bar.observed, bar.rating, bar.width) for bar in chart.bars] == \
        [(55, "Requires improvement", 45.5), (110, "Good", 90.9)]
    assert chart.target_at == 82.6
    assert kpi_chart(KPI(title="T", measure="M", unit="%", target=0, frequency="monthly", results=[])).bars == []


@pytest.mark.parametrize("value, kpis, needed", [
    (None, 0, 0), (5_000_000, 0, 0), (5_000_001, 0, 3), (12_000_000, 2, 1), (12_000_000, 3, 0), (12_000_000, 5, 0)])
def test_contracts_over_5_million_need_3_kpis(value, kpis, needed):
    award = Award(value=value, awarded_on=TODAY,
                  kpis=[KPI(title="T", measure="M", unit="%", target=1, frequency="monthly") for _ in range(kpis)])
    assert awards.kpis_needed(award) == needed


def test_supplier_descriptions_and_names():
    assert award_reports.describe_supplier(AwardSupplier(name="A", size="small", is_vcse=True, region="TLI")) == \
        "Small business, a voluntary, community or social enterprise (VCSE), based in London"
    assert award_reports.describe_supplier(AwardSupplier(name="A")) == ""
    award = Award(awarded_on=TODAY, suppliers=[AwardSupplier(name=n) for n in ("A", "B", "C")])
    assert awards.supplier_names(award) == "A, B and C"


def test_small_supplier_spend_and_outcome_roll_up_count_only_published_items(session: Session):
    buyer = make_buyer(session)
    mission = make_mission(session, buyer, outcomes=2)
    first, second = mission.outcomes
    shown = make_opportunity(session, buyer, [mission])
    hidden = make_opportunity(session, buyer, [mission], status=Status.WITHDRAWN)
    shown.outcomes, hidden.outcomes = [first], [first, second]
    for item, rating in ((shown, G), (hidden, I)):
        award = Award(opportunity_id=item.id, value=1_000_000, awarded_on=TODAY,
                      suppliers=[AwardSupplier(name="Small", size="small", is_vcse=True),
                                 AwardSupplier(name="Big", size="large", is_vcse=False)])
        award.kpis = [KPI(title="T", measure="M", unit="%", target=1, frequency="monthly",
                          results=[_result(date(2026, 9, 30), 1, R), _result(date(2026, 10, 31), 1, rating)])]
        session.add(award)
    session.commit()
    assert award_reports.small_supplier_spend(session, mission_id=mission.id) == award_reports.SmallSupplierSpend(1_000_000, 500_000, 500_000, 1)
    assert award_reports.small_supplier_spend(session, buyer_id=buyer.id).awards == 1
    progress = award_reports.outcome_progress_for(session, mission.outcomes, TODAY)
    assert (progress[first.id].progress, progress[second.id].progress) == (Progress.ON_TRACK, Progress.NO_RESULT)
    assert award_reports.mission_progress_for(session, mission, TODAY).progress == Progress.ON_TRACK
