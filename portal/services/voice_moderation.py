"""Residents' voice, as the buyer's staff see it: every contribution is read before it is public. The staff approve
it, reject it with a reason the resident sees, or publish part of it with a reason; what the resident wrote is kept
and shown to the staff next to what was published. Reported contributions come back here, and the staff can answer
a published contribution officially and say what changed because of what people said."""

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, select

from portal.mail import Email
from portal.models import Contribution, ContributionReport, ContributionStatus, Mission, Opportunity, User, WhatChanged, utcnow
from portal.services.voice import Subject, subject_of

MAX_REASON_CHARACTERS = 1000
MAX_RESPONSE_WORDS = 300
ORDER = (ContributionStatus.HIDDEN, ContributionStatus.WAITING, ContributionStatus.PUBLISHED, ContributionStatus.REJECTED)


@dataclass(frozen=True)
class StaffRow:
    contribution: Contribution
    subject: Subject
    reports: list[ContributionReport]


def _owned_clause(organisation_id: int):
    own_opportunities = select(Opportunity.id).where(Opportunity.buyer_id == organisation_id)
    own_missions = select(Mission.id).where(Mission.owner_id == organisation_id)
    return or_(col(Contribution.opportunity_id).in_(own_opportunities), col(Contribution.mission_id).in_(own_missions))


def get_own(session: Session, organisation_id: int, contribution_id: int) -> Contribution | None:
    """A contribution on one of the organisation's items or missions; None for anyone else's."""
    return session.exec(select(Contribution).where(Contribution.id == contribution_id,
                                                   _owned_clause(organisation_id))).first()


def reports(session: Session, contribution_id: int) -> list[ContributionReport]:
    return list(session.exec(select(ContributionReport).where(ContributionReport.contribution_id == contribution_id)
                             .order_by(col(ContributionReport.created_at))).all())


def row(session: Session, contribution: Contribution) -> StaffRow:
    return StaffRow(contribution, subject_of(session, contribution), reports(session, contribution.id))


def for_organisation(session: Session, organisation_id: int) -> dict[str, list[StaffRow]]:
    """The organisation's contributions by state: hidden after reports first, then those waiting, oldest first."""
    found = session.exec(select(Contribution).where(_owned_clause(organisation_id))
                         .order_by(col(Contribution.created_at), col(Contribution.id))).all()
    grouped = {status: [] for status in ORDER}
    for contribution in found:
        grouped[contribution.status].append(row(session, contribution))
    return grouped


def _decided(contribution: Contribution, staff: User) -> None:
    contribution.decided_at, contribution.decided_by_id = utcnow(), staff.id


def _dismiss_reports(session: Session, contribution: Contribution) -> None:
    for report in reports(session, contribution.id):
        report.dismissed = True
        session.add(report)


def approve(session: Session, contribution: Contribution, staff: User, show_name: bool) -> bool:
    """Publish a waiting contribution as written, or publish a hidden one again (its reports are dismissed).
    False if it is already published or was rejected."""
    if contribution.status not in (ContributionStatus.WAITING, ContributionStatus.HIDDEN):
        return False
    if contribution.status == ContributionStatus.WAITING:
        contribution.published_text = contribution.text
    else:
        _dismiss_reports(session, contribution)
    contribution.status, contribution.show_name = ContributionStatus.PUBLISHED, show_name
    _decided(contribution, staff)
    session.add(contribution)
    session.commit()
    return True


def reject(session: Session, contribution: Contribution, staff: User, reason: str) -> Email | None:
    """Do not publish a waiting or hidden contribution; the resident sees why on their page and by email.
    None if it was already decided that way or is published (redact it instead)."""
    if contribution.status not in (ContributionStatus.WAITING, ContributionStatus.HIDDEN):
        return None
    contribution.status, contribution.rejection_reason = ContributionStatus.REJECTED, reason.strip()
    _decided(contribution, staff)
    session.add(contribution)
    email = _email_author(session, contribution, "was not published",
                          f"What you wrote:\n{contribution.text}\n\nThe reason: {contribution.rejection_reason}\n\n"
                          "You can write again, leaving out anything personal about other people.")
    session.commit()
    return email


def redact(session: Session, contribution: Contribution, staff: User, text: str, reason: str,
           show_name: bool) -> Email | None:
    """Publish part of a contribution, with a reason the resident sees. What they wrote is kept for the staff.
    None if it was rejected, or the text is not shorter or different."""
    text = text.strip()
    if contribution.status == ContributionStatus.REJECTED or text == contribution.text:
        return None
    if contribution.status == ContributionStatus.HIDDEN:
        _dismiss_reports(session, contribution)
    contribution.status, contribution.published_text = ContributionStatus.PUBLISHED, text
    contribution.redaction_reason, contribution.show_name = reason.strip(), show_name
    _decided(contribution, staff)
    session.add(contribution)
    email = _email_author(session, contribution, "was published with some parts taken out",
                          f"What is published:\n{text}\n\nWhy parts were taken out: {contribution.redaction_reason}")
    session.commit()
    return email


def respond(session: Session, contribution: Contribution, text: str) -> bool:
    """The buyer's official response under a published contribution; False if it is not published."""
    if contribution.status != ContributionStatus.PUBLISHED:
        return False
    contribution.official_response, contribution.responded_at = text.strip(), utcnow()
    session.add(contribution)
    session.commit()
    return True


def save_what_changed(session: Session, opportunity: Opportunity, text: str) -> None:
    found = session.get(WhatChanged, opportunity.id) or WhatChanged(opportunity_id=opportunity.id)
    found.text, found.updated_at = text.strip(), utcnow()
    session.add(found)
    session.commit()


def _email_author(session: Session, contribution: Contribution, what: str, details: str) -> Email:
    author = session.get(User, contribution.author_id)
    subject = subject_of(session, contribution)
    return Email(author.email, f"Your comment about \u201c{subject.title}\u201d {what}",
                 f"Hello {author.name},\n\nYour comment about \u201c{subject.title}\u201d {what}.\n\n{details}\n\n"
                 "You can see all your comments and what happened to them when you sign in.")
