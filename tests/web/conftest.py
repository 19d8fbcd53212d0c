from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session

from portal.models import GlossaryTerm, GuidancePage, OpportunityKind, Stage, Status
from tests.factories import make_buyer, make_mission, make_opportunity


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def portal_data(app):
    """Two buyers, two missions and a spread of opportunities, some not public."""
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="London Borough of Camden")
        kent = make_buyer(session, slug="kent", name="Kent County Council", org_type="county-council", region="TLJ")
        food = make_mission(session, owner=camden, slug="food", short_title="Food")
        net_zero = make_mission(session, slug="net-zero", short_title="Net zero")
        opportunities = [
            make_opportunity(session, camden, [food], slug=f"food-{i}", title=f"Food project {i}",
                             published_on=date(2026, 10, i + 1))
            for i in range(6)
        ]
        opportunities.append(make_opportunity(
            session, kent, [net_zero], slug="heat-pumps", title="Heat pumps for schools",
            kind=OpportunityKind.PIPELINE_ITEM, stage=Stage.PIPELINE, market_year=2027, market_quarter=3,
            value_min=None, value_max=None, engagement_closes_on=date(2026, 11, 25), published_on=date(2026, 11, 20),
        ))
        opportunities.append(make_opportunity(
            session, kent, [net_zero], slug="solar-challenge", title="Solar challenge",
            kind=OpportunityKind.INNOVATION_CHALLENGE, engagement_closes_on=date(2026, 11, 1),
            phases=[dict(name="Discovery", starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 1), funding=20_000)],
        ))
        make_opportunity(session, kent, [net_zero], slug="secret-draft", title="Secret draft", status=Status.DRAFT)
        make_opportunity(session, kent, [net_zero], slug="withdrawn-one", title="Withdrawn one", status=Status.WITHDRAWN)
        session.add(GuidancePage(slug="how-to-work-with-us", title="How to work with us", summary="Help.", body_md="## Start\n\nRead this."))
        session.add(GuidancePage(slug="about-the-demo-content", title="About the demo content", summary="Demo.", body_md="Invented."))
        session.add(GlossaryTerm(slug="lot", term="Lot", definition="A part of a bigger contract."))
        session.commit()
        return {"buyers": [camden, kent], "missions": [food, net_zero], "opportunities": opportunities}
