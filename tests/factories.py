"""Plain functions that make rows for tests. Each commits and returns what it made."""

from datetime import date
from itertools import count

from sqlmodel import Session

from portal.models import (
    ChallengePhase,
    Mission,
    Opportunity,
    OpportunityKind,
    OpportunityRegion,
    Organisation,
    Outcome,
    Stage,
    Status,
)

_numbers = count(1)


def make_buyer(session: Session, **overrides) -> Organisation:
    n = next(_numbers)
    values = dict(slug=f"buyer-{n}", name=f"Borough Council {n}", org_type="london-borough", region="TLI",
                  description_md="We buy services for residents.")
    buyer = Organisation(**(values | overrides))
    session.add(buyer)
    session.commit()
    return buyer


def make_mission(session: Session, owner: Organisation | None = None, outcomes: int = 2, **overrides) -> Mission:
    n = next(_numbers)
    values = dict(slug=f"mission-{n}", title=f"By 2030, goal number {n} is met", short_title=f"Goal {n}",
                  summary="A long-term goal.", body_md="Why it matters.", owner_id=owner.id if owner else None)
    mission = Mission(**(values | overrides))
    mission.outcomes = [Outcome(slug=f"{mission.slug}-outcome-{i}", title=f"Outcome {i}", position=i) for i in range(outcomes)]
    session.add(mission)
    session.commit()
    return mission


def make_opportunity(session: Session, buyer: Organisation, missions: list[Mission] = (), **overrides) -> Opportunity:
    n = next(_numbers)
    values = dict(
        slug=f"opportunity-{n}", ocid=f"ocds-test00-{n}", kind=OpportunityKind.PROBLEM_STATEMENT,
        title=f"Opportunity number {n}", summary="A short plain summary.", body_md="## The problem\n\nIt is hard.",
        why_md="Because residents need it.", buyer_id=buyer.id, cpv_code="85311000-2",
        value_min=10_000, value_max=50_000, published_on=date(2026, 11, 1),
        engagement_closes_on=date(2026, 12, 15), stage=Stage.ENGAGEMENT, status=Status.PUBLISHED,
        suitable_for_sme=True, suitable_for_vcse=False,
    )
    regions = overrides.pop("regions", ["TLI"])
    phases = overrides.pop("phases", [])
    opportunity = Opportunity(**(values | overrides))
    opportunity.missions = list(missions)
    opportunity.regions = [OpportunityRegion(region_code=code) for code in regions]
    opportunity.phases = [ChallengePhase(position=i, **phase) for i, phase in enumerate(phases)]
    session.add(opportunity)
    session.commit()
    return opportunity


def make_supplier_user(session: Session, email: str, organisation: str, size: str = "micro",
                       regions: list[str] = ("TLI",), legal_form: str = "company", confirmed: bool = True):
    """A supplier and their organisation, as signing up makes them, with their email address confirmed unless
    `confirmed` is False."""
    from portal.models import utcnow
    from portal.services import accounts

    user = accounts.sign_up_supplier(session, "Someone", email, "long password here", accounts.SupplierDetails(
        organisation_name=organisation, size=size, legal_form=legal_form, registration_number=None,
        regions_served=list(regions), capabilities=["55"], website=None, one_line="We help."))
    if confirmed:
        user.email_confirmed_at = utcnow()
        session.add(user)
        session.commit()
    return user


def make_interest(session: Session, opportunity: Opportunity, person, *, send: bool = True, **reply):
    """The person's organisation registers interest (sent to the buyer unless `send` is False), as on a day when
    engagement is open. `reply` holds Reply's fields: answers, open_to_partnering, share_contact..."""
    from portal.services import interest
    from tests.conftest import TODAY

    return interest.save(session, opportunity, person, interest.Reply(**reply), send=send, today=TODAY).interest
