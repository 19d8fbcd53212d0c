"""A supplier organisation's interest in an opportunity: its answers to the buyer's questions, a named contact if
the organisation agrees, and the public list of interested suppliers.

A draft is the organisation's own. Once sent, the buyer (and, if the organisation chose it, the public list) sees
it, but only while the person who sent it has confirmed their email address: `shown_to_buyer` is the one rule
every count, list and export uses.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.models import Interest, MarketAnswer, MarketQuestion, Opportunity, Organisation, User, utcnow
from portal.services import engagement_window, market_questions, notifications

SUMMARY_WORDS = 40  # of each answer, in the buyer's notice; the responses page has them in full


class EngagementClosed(Exception):
    """Engagement has closed: nothing more can be sent. The message says when it closed."""


@dataclass(frozen=True)
class Reply:
    """What a supplier saves or sends: answers by question id, their choices, and a contact they may share."""
    answers: dict[int, str] = field(default_factory=dict)
    open_to_partnering: bool = False
    listed_publicly: bool = False
    share_contact: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    keep_updated: bool = False  # the person follows the opportunity; unticked, they stop


@dataclass(frozen=True)
class Saved:
    interest: Interest
    sent: bool  # sent to the buyer (now or before), not a draft
    shown_to_buyer: bool  # the buyer can read it now
    newly_shown: bool  # the buyer has just been told about it for the first time


def shown_to_buyer(statement):
    """`statement` narrowed to interest the buyer may see: sent, by a person whose email address is confirmed."""
    return (statement.join(User, User.id == Interest.submitted_by_id)
            .where(col(Interest.submitted_at).is_not(None), col(User.email_confirmed_at).is_not(None)))


def get(session: Session, opportunity_id: int, organisation_id: int) -> Interest | None:
    return session.exec(select(Interest).where(
        Interest.opportunity_id == opportunity_id, Interest.organisation_id == organisation_id)).first()


def answers(session: Session, interest_id: int) -> dict[int, str]:
    """The organisation's answers, by question id."""
    return dict(session.exec(select(MarketAnswer.question_id, MarketAnswer.text)
                             .where(MarketAnswer.interest_id == interest_id)).all())


def is_shown(session: Session, interest: Interest) -> bool:
    if interest.submitted_at is None or interest.submitted_by_id is None:
        return False
    sender = session.get(User, interest.submitted_by_id)
    return sender is not None and sender.email_confirmed_at is not None


def save(session: Session, opportunity: Opportunity, person: User, reply: Reply, *, send: bool, today: date) -> Saved:
    """Keep the organisation's reply. Sending shows it to the buyer, who is told; once sent, every later save is
    sent too (the buyer sees one version, never an older one). Refused once engagement has closed."""
    if not engagement_window.is_open(opportunity, today):
        raise EngagementClosed(engagement_window.closed_message(opportunity))
    interest = get(session, opportunity.id, person.organisation_id) or Interest(
        opportunity_id=opportunity.id, organisation_id=person.organisation_id)
    was_shown = interest.id is not None and is_shown(session, interest)
    before = _as_buyer_sees(interest, answers(session, interest.id) if interest.id else {})
    sending = send or interest.submitted_at is not None
    interest.open_to_partnering, interest.listed_publicly = reply.open_to_partnering, reply.listed_publicly
    interest.share_contact = reply.share_contact
    interest.contact_name, interest.contact_email, interest.contact_phone = (
        (reply.contact_name.strip(), reply.contact_email.strip(), reply.contact_phone.strip())
        if reply.share_contact else ("", "", ""))
    if sending:
        interest.submitted_at = interest.submitted_at or utcnow()
        interest.submitted_by_id = person.id
    session.add(interest)
    session.flush()
    questions = market_questions.current(session, opportunity.id)
    now_answers = _store_answers(session, interest, questions, reply.answers)
    changed = before != _as_buyer_sees(interest, now_answers)
    if changed:
        interest.updated_at = utcnow()
    if reply.keep_updated:
        notifications.follow(session, person.id, opportunity.id, commit=False)
    else:
        notifications.unfollow(session, person.id, opportunity.id, commit=False)
    shown = sending and person.email_confirmed_at is not None
    if shown and not was_shown:
        _tell_buyer_it_arrived(session, opportunity, interest, questions, now_answers)
    elif shown and changed:
        _tell_buyer_it_changed(session, opportunity, interest, questions, before, now_answers)
    session.commit()
    return Saved(interest, sending, shown, shown and not was_shown)


def _store_answers(session: Session, interest: Interest, questions: list[MarketQuestion],
                   given: dict[int, str]) -> dict[int, str]:
    """Answers to the questions asked now; an empty answer removes the old one. Answers to questions the buyer has
    since removed stay as they were. Returns every answer the interest now holds."""
    stored = {answer.question_id: answer for answer in session.exec(
        select(MarketAnswer).where(MarketAnswer.interest_id == interest.id)).all()}
    for question in questions:
        text = (given.get(question.id) or "").strip()
        answer = stored.get(question.id)
        if not text:
            if answer is not None:
                session.delete(answer)
                del stored[question.id]
        elif answer is None or answer.text != text:
            answer = answer or MarketAnswer(interest_id=interest.id, question_id=question.id)
            answer.text, answer.updated_at = text, utcnow()
            session.add(answer)
            stored[question.id] = answer
    return {question_id: answer.text for question_id, answer in stored.items()}


def _as_buyer_sees(interest: Interest, answer_texts: dict[int, str]) -> tuple[bool, list[str], dict[int, str]]:
    return interest.open_to_partnering, _contact_lines(interest), dict(answer_texts)


def _contact_lines(interest: Interest) -> list[str]:
    if not interest.share_contact:
        return ["They chose not to share a named contact."]
    return [f"Contact: {interest.contact_name}", f"Email: {interest.contact_email}"] + (
        [f"Phone: {interest.contact_phone}"] if interest.contact_phone else [])


def _partnering_line(interest: Interest) -> str:
    return ("They are open to partnering with other organisations." if interest.open_to_partnering
            else "They are not looking for partners.")


def _shortened(text: str) -> str:
    words = text.split()
    return " ".join(words[:SUMMARY_WORDS]) + (" \u2026" if len(words) > SUMMARY_WORDS else "")


def _answer_lines(questions: list[MarketQuestion], answer_texts: dict[int, str]) -> list[str]:
    lines = []
    for question in questions:
        if question.id in answer_texts:
            lines += ["", question.text, _shortened(answer_texts[question.id]) or "(answer taken away)"]
    return lines


def _link_to(interest: Interest) -> dict:
    return notifications.link("buyer.responses", opportunity_id=interest.opportunity_id, _anchor=f"response-{interest.id}")


def _organisation_name(session: Session, interest: Interest) -> str:
    return session.get(Organisation, interest.organisation_id).name


def _tell_buyer_it_arrived(session, opportunity, interest, questions, answer_texts) -> None:
    lines = _contact_lines(interest) + [_partnering_line(interest)] + _answer_lines(questions, answer_texts)
    notifications.tell_buyer(session, opportunity.id,
               f"{_organisation_name(session, interest)} registered interest in \u201c{opportunity.title}\u201d",
               details="\n".join(lines), to=_link_to(interest))


def _tell_buyer_it_changed(session, opportunity, interest, questions, before, answer_texts) -> None:
    """A shorter notice: only what changed."""
    partnering_before, contact_before, answers_before = before
    lines = _contact_lines(interest) if contact_before != _contact_lines(interest) else []
    if partnering_before != interest.open_to_partnering:
        lines.append(_partnering_line(interest))
    changed = {question.id: answer_texts.get(question.id, "") for question in questions
               if answers_before.get(question.id, "") != answer_texts.get(question.id, "")}
    notifications.tell_buyer(session, opportunity.id,
               f"{_organisation_name(session, interest)} changed their response to \u201c{opportunity.title}\u201d",
               details="\n".join(lines + _answer_lines(questions, changed)).strip(), to=_link_to(interest))


def announce_confirmed(session: Session, person: User) -> None:
    """A person has just confirmed their email address: the buyers of what they had already sent now see it, and
    are told. The caller commits."""
    sent = session.exec(select(Interest).where(Interest.submitted_by_id == person.id,
                                               col(Interest.submitted_at).is_not(None))).all()
    for interest in sent:
        opportunity = session.get(Opportunity, interest.opportunity_id)
        _tell_buyer_it_arrived(session, opportunity, interest, market_questions.current(session, opportunity.id),
                               answers(session, interest.id))


def withdraw(session: Session, opportunity_id: int, organisation_id: int) -> bool:
    """Take the interest and its answers away, from the buyer too."""
    interest = get(session, opportunity_id, organisation_id)
    if interest is None:
        return False
    session.delete(interest)
    session.commit()
    return True


@dataclass(frozen=True)
class InterestSummary:
    count: int
    public: list[Organisation]
    partnering: list[Organisation]  # publicly listed and open to partnering


def count_sent(session: Session, opportunity_id: int) -> int:
    """How many organisations have sent their interest (as the buyer sees it)."""
    return session.exec(shown_to_buyer(select(func.count(Interest.id))).where(Interest.opportunity_id == opportunity_id)).one()


def summary(session: Session, opportunity_id: int) -> InterestSummary:
    """What everyone may see: how many organisations have sent their interest, and those who chose to be listed."""
    count = count_sent(session, opportunity_id)
    rows = session.exec(shown_to_buyer(
        select(Organisation, Interest.open_to_partnering)
        .join(Interest, Interest.organisation_id == Organisation.id))
        .where(Interest.opportunity_id == opportunity_id, col(Interest.listed_publicly).is_(True))
        .order_by(Organisation.name)
    ).all()
    return InterestSummary(count, [org for org, _ in rows], [org for org, partnering in rows if partnering])
