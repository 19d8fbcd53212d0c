"""An imported award notice is a contract awarded, not a planned purchase, and its bid deadline is not engagement."""

from datetime import date

from portal.models import OpportunityKind, Source, Stage
from tests.factories import make_buyer, make_mission, make_opportunity
from tests.web.conftest import soup


def caption(page) -> str:
    return " ".join(page.select_one(".govuk-caption-l").get_text().split())


def award_notice(session, **fields):
    buyer = make_buyer(session)
    values = dict(source=Source.CONTRACTS_FINDER, kind=OpportunityKind.PIPELINE_ITEM, stage=Stage.AWARDED,
                  engagement_closes_on=date(2026, 10, 1), market_year=2026, market_quarter=3,
                  source_url="https://www.contractsfinder.service.gov.uk/Notice/0b1c2d3e-0000-4000-8000-000000000001")
    return make_opportunity(session, buyer, [make_mission(session)], **(values | fields))


def test_an_award_notice_says_a_contract_was_awarded(client, session):
    item = award_notice(session)
    page = soup(client.get(f"/opportunities/{item.slug}"))
    assert caption(page).startswith("Contract awarded by ")
    assert "Planned purchase" not in page.get_text()
    facts = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
             for row in page.select(".portal-facts .govuk-summary-list__row")}
    assert "Goes to market" not in facts and "Engagement closes" not in facts
    assert facts["Bidding closes"].startswith("1 October 2026")
    steps = [(li.select_one(".portal-timeline__state").get_text(), li.select_one(".portal-timeline__title").get_text(),
              li.select_one(".portal-timeline__detail").get_text()) for li in page.select("ol.portal-timeline li")]
    assert steps == [("Done", "Planned", "Published on 1 November 2026."),
                     ("Done", "Open for bids (tender)", "Bids closed on 1 October 2026."),
                     ("Now", "Contract awarded", "A contract has been awarded.")]


def test_an_award_notice_is_not_planned_spend(client, session):
    item = award_notice(session)
    page = soup(client.get(f"/missions/{item.missions[0].slug}"))
    assert page.select_one("#mission-spend-table") is None
    assert "No purchases with a date are planned" in page.get_text()


def test_a_planned_purchase_still_says_planned_purchase(client, session):
    item = award_notice(session, stage=Stage.TENDER, engagement_closes_on=date(2026, 12, 1))
    page = soup(client.get(f"/opportunities/{item.slug}"))
    assert caption(page).startswith("Planned purchase from ")
    assert "Bids close on 1 December 2026." in page.select_one("ol.portal-timeline").get_text()
