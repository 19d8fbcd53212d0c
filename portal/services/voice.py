"""Residents' voice, as residents and the public see it: saying what a problem statement or a mission means to you,
"this matters to me", reporting a published contribution, and "You said, we did" once engagement has closed.

Everything a resident writes waits for the buyer's staff (see voice_moderation); the public sees only the moderated
text, and the display name only when the staff leave it on. Email addresses are never shown. Limits are counted in
the database, per person, so they hold across workers and restarts and a refusal can keep what was typed.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from portal.models import (
    Contribution,
    ContributionReport,
    ContributionStatus,
    MattersToMe,
    Mission,
    Opportunity,
    OpportunityKind,
    Question,
    QuestionStatus,
    Role,
    Status,
    User,
    WhatChanged,
    utcnow,
)
from portal.services import engagement_window
from portal.services.interest import count_sent as interest_count
from portal.services.notifications import link, notify, tell_buyer

MAX_WORDS = 300
MAX_CHARACTERS = 3000
CONTRIBUTIONS_PER_DAY = 5  # per person
REPORTS_PER_DAY = 20  # per person
REPORTS_TO_HIDE = 3  # from different people
DAY = timedelta(hours=24)
ANONYMOUS_NAME = "A resident"


class Refused(Exception):
    """Why a resident cannot do this, in words for them; status 403 for a rule, 429 for a limit."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Subject:
    """What a contribution is about: a problem statement or a mission."""
    opportunity: Opportunity | None = None
    mission: Mission | None = None

    @property
    def title(self) -> str:
        return self.opportunity.title if self.opportunity else self.mission.short_title

    @property
    def owner_id(self) -> int | None:
        """The organisation whose staff moderate it: the buyer, or the mission's organisation."""
        return self.opportunity.buyer_id if self.opportunity else self.mission.owner_id

    @property
    def page(self) -> dict:
        if self.opportunity:
            return link("opportunities.show", slug=self.opportunity.slug, _anchor="residents")
        return link("missions.show", slug=self.mission.slug, _anchor="residents")

    def where(self, model) -> tuple:
        if self.opportunity:
            return (model.opportunity_id == self.opportunity.id,)
        return (model.mission_id == self.mission.id,)


def takes_part(opportunity: Opportunity) -> bool:
    """Residents' voice is on published problem statements (missions always have it)."""
    return opportunity.kind == OpportunityKind.PROBLEM_STATEMENT and opportunity.status == Status.PUBLISHED


def closed_reason(subject: Subject, today: date) -> str | None:
    """Why nothing more can be said here, or None while residents can take part."""
    if subject.opportunity is not None:
        if not takes_part(subject.opportunity):
            return "Residents can only comment on published problem statements."
        if not engagement_window.is_open(subject.opportunity, today):
            return engagement_window.closed_message(subject.opportunity)
        return None
    if subject.mission.owner_id is None:
        return "This national mission has no organisation to read what residents say, so it does not take comments."
    return None


def _check_resident(user) -> None:
    if not user.is_authenticated or user.role != Role.RESIDENT:
        raise Refused("Only residents can do this. Sign in with a resident account.")
    if user.email_confirmed_at is None:
        raise Refused("Confirm your email address first: use the link we emailed you.")


def contribute(session: Session, user: User, subject: Subject, text: str, today: date,
               honeypot: str = "") -> Contribution | None:
    """Keep what a resident says for the buyer's staff to read first; the staff are told. Returns None, and keeps
    nothing, when the field only robots fill in was filled in: the robot is shown the usual thanks."""
    _check_resident(user)
    reason = closed_reason(subject, today)
    if reason:
        raise Refused(reason)
    if honeypot.strip():
        return None
    since = utcnow() - DAY
    sent = session.exec(select(func.count(Contribution.id)).where(
        Contribution.author_id == user.id, Contribution.created_at >= since)).one()
    if sent >= CONTRIBUTIONS_PER_DAY:
        raise Refused(f"You can send up to {CONTRIBUTIONS_PER_DAY} comments a day. Please try again tomorrow.", 429)
    contribution = Contribution(opportunity_id=subject.opportunity.id if subject.opportunity else None,
                                mission_id=subject.mission.id if subject.mission else None,
                                author_id=user.id, text=text.strip(), display_name=user.name[:60])
    session.add(contribution)
    _tell_staff(session, subject, f"A resident wrote about \u201c{subject.title}\u201d: check it before it is published",
                contribution.text)
    session.commit()
    return contribution


def _tell_staff(session: Session, subject: Subject, message: str, details: str) -> None:
    to = link("buyer_voice.index")
    if subject.opportunity is not None:
        tell_buyer(session, subject.opportunity.id, message, details=details, to=to)
    elif subject.owner_id is not None:
        staff = set(session.exec(select(User.id).where(User.organisation_id == subject.owner_id,
                                                       User.role == Role.BUYER)).all())
        notify(session, staff, None, message, details=details, to=to)


def say_it_matters(session: Session, user: User, subject: Subject, today: date) -> bool:
    """Count this person once; False if they had already said so."""
    _check_resident(user)
    reason = closed_reason(subject, today)
    if reason:
        raise Refused(reason)
    if has_said_it_matters(session, user.id, subject):
        return False
    session.add(MattersToMe(user_id=user.id, opportunity_id=subject.opportunity.id if subject.opportunity else None,
                            mission_id=subject.mission.id if subject.mission else None))
    try:
        session.commit()
    except IntegrityError:  # the same person, twice at once
        session.rollback()
        return False
    return True


def has_said_it_matters(session: Session, user_id: int, subject: Subject) -> bool:
    return session.exec(select(MattersToMe.id).where(MattersToMe.user_id == user_id,
                                                     *subject.where(MattersToMe))).first() is not None


def matters_count(session: Session, subject: Subject) -> int:
    return session.exec(select(func.count(MattersToMe.id)).where(*subject.where(MattersToMe))).one()


def report(session: Session, user: User, contribution: Contribution, reason: str) -> bool:
    """Anyone signed in can report a published contribution, once. The staff are told; when REPORTS_TO_HIDE people
    have reported it, it is hidden until the staff look at it again. True if it is now hidden."""
    if not user.is_authenticated:
        raise Refused("Sign in to report a comment.")
    if contribution.status != ContributionStatus.PUBLISHED:
        raise Refused("This comment is not published, so it cannot be reported.", 404)
    already = session.exec(select(ContributionReport.id).where(ContributionReport.contribution_id == contribution.id,
                                                               ContributionReport.user_id == user.id)).first()
    if already is not None:
        return False
    today_count = session.exec(select(func.count(ContributionReport.id)).where(
        ContributionReport.user_id == user.id, ContributionReport.created_at >= utcnow() - DAY)).one()
    if today_count >= REPORTS_PER_DAY:
        raise Refused(f"You can report up to {REPORTS_PER_DAY} comments a day. Please try again tomorrow.", 429)
    session.add(ContributionReport(contribution_id=contribution.id, user_id=user.id, reason=reason.strip()))
    session.flush()
    hidden = open_reports(session, contribution.id) >= REPORTS_TO_HIDE
    if hidden:
        contribution.status = ContributionStatus.HIDDEN
        session.add(contribution)
    subject = subject_of(session, contribution)
    _tell_staff(session, subject, f"A resident's comment on \u201c{subject.title}\u201d was reported"
                + (f" by {REPORTS_TO_HIDE} people and is hidden until you look at it" if hidden else ""),
                contribution.published_text)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return hidden


def open_reports(session: Session, contribution_id: int) -> int:
    return session.exec(select(func.count(ContributionReport.id)).where(
        ContributionReport.contribution_id == contribution_id, col(ContributionReport.dismissed).is_(False))).one()


def subject_of(session: Session, contribution: Contribution) -> Subject:
    if contribution.opportunity_id is not None:
        return Subject(opportunity=session.get(Opportunity, contribution.opportunity_id))
    return Subject(mission=session.get(Mission, contribution.mission_id))


@dataclass(frozen=True)
class PublicContribution:
    """All that anyone may see of a contribution."""
    id: int
    name: str
    text: str
    shortened: bool  # the staff published part of it
    response: str
    published_at: datetime | None


def public(contribution: Contribution) -> PublicContribution:
    return PublicContribution(contribution.id, contribution.display_name if contribution.show_name else ANONYMOUS_NAME,
                              contribution.published_text, bool(contribution.redaction_reason),
                              contribution.official_response, contribution.decided_at)


def published(session: Session, subject: Subject) -> list[PublicContribution]:
    rows = session.exec(select(Contribution).where(*subject.where(Contribution),
                                                   Contribution.status == ContributionStatus.PUBLISHED)
                        .order_by(col(Contribution.decided_at), col(Contribution.id))).all()
    return [public(row) for row in rows]


def published_count(session: Session, subject: Subject) -> int:
    return session.exec(select(func.count(Contribution.id)).where(
        *subject.where(Contribution), Contribution.status == ContributionStatus.PUBLISHED)).one()


@dataclass(frozen=True)
class ResidentsVoice:
    """The residents' part of an item or mission page."""
    subject: Subject
    contributions: list[PublicContribution]
    matters: int
    said_it_matters: bool
    closed: str | None  # why residents cannot take part now; None while they can
    you_said_we_did: "YouSaidWeDid | None"


@dataclass(frozen=True)
class YouSaidWeDid:
    """After engagement: what residents and suppliers said, in counts and approved text, and what changed."""
    resident_comments: int
    matters: int
    supplier_interest: int
    supplier_questions: int
    what_changed: str


def what_changed(session: Session, opportunity_id: int) -> str:
    row = session.get(WhatChanged, opportunity_id)
    return row.text if row else ""


def page_view(session: Session, subject: Subject, user, today: date) -> ResidentsVoice:
    matters = matters_count(session, subject)
    contributions = published(session, subject)
    said = user.is_authenticated and has_said_it_matters(session, user.id, subject)
    closed = closed_reason(subject, today)
    after = None
    if subject.opportunity is not None and closed and takes_part(subject.opportunity):
        questions = session.exec(select(func.count(Question.id)).where(
            Question.opportunity_id == subject.opportunity.id, Question.status == QuestionStatus.PUBLISHED)).one()
        after = YouSaidWeDid(len(contributions), matters, interest_count(session, subject.opportunity.id),
                             questions, what_changed(session, subject.opportunity.id))
    return ResidentsVoice(subject, contributions, matters, said, closed, after)


@dataclass(frozen=True)
class OwnContribution:
    contribution: Contribution
    title: str
    page: dict


def for_resident(session: Session, user_id: int) -> list[OwnContribution]:
    """A resident's own contributions, newest first, with where each was made."""
    rows = session.exec(select(Contribution).where(Contribution.author_id == user_id)
                        .order_by(col(Contribution.created_at).desc(), col(Contribution.id).desc())).all()
    found = []
    for row in rows:
        subject = subject_of(session, row)
        found.append(OwnContribution(row, subject.title, subject.page))
    return found


def find_subject(session: Session, area: str, slug: str) -> Subject | None:
    """A published problem statement ("opportunities") or a mission ("missions") by its address."""
    from portal.services import missions, opportunities  # imported here: both import the catalogue at load
    if area == "missions":
        mission = missions.get_mission(session, slug)
        return Subject(mission=mission) if mission else None
    opportunity = opportunities.get_published(session, slug)
    return Subject(opportunity=opportunity) if opportunity and takes_part(opportunity) else None


def open_data(session: Session, subject: Subject) -> dict:
    """Residents' voice as open data: counts and the moderated text with any official response. No names, no email
    addresses, nothing waiting, rejected or hidden."""
    comments = published(session, subject)
    return {"matters": matters_count(session, subject), "comments": len(comments),
            "published_comments": [{"text": c.text, "response": c.response} for c in comments]}
