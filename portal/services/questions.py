"""Questions from suppliers, moderated by the buyer: published in the buyer's words with an answer, for everyone and
without the asker's name, or rejected with a reason that only the asker's organisation sees. What the supplier wrote
is kept, and never made public."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from portal.models import Opportunity, Question, QuestionStatus, utcnow
from portal.presenters import long_date
from portal.services import engagement_window
from portal.services.notifications import followers, link, notify, tell_buyer

MAX_QUESTION_WORDS = 100
MAX_ANSWER_WORDS = 300
MAX_REASON_WORDS = 100


@dataclass(frozen=True)
class PublicQuestion:
    """All that anyone may see of a question: the buyer's wording and answer, never the original or the asker."""
    text: str
    answer: str
    answered_at: datetime
    answer_changed_at: datetime | None


def public(question: Question) -> PublicQuestion:
    return PublicQuestion(question.published_text, question.answer, question.answered_at, question.answer_changed_at)


IS_PUBLISHED = col(Question.status) == QuestionStatus.PUBLISHED


def ask(session: Session, opportunity_id: int, organisation_id: int, user_id: int, text: str) -> Question:
    """A question waits for the buyer, whose staff are told."""
    question = Question(opportunity_id=opportunity_id, organisation_id=organisation_id, asked_by_id=user_id,
                        text=text.strip())
    session.add(question)
    opportunity = session.get(Opportunity, opportunity_id)
    tell_buyer(session, opportunity.id, f"New question about \u201c{opportunity.title}\u201d", details=question.text,
               to=link("buyer.manage", opportunity_id=opportunity.id, _anchor="questions"))
    session.commit()
    return question


def publish(session: Session, question: Question, text: str, answer: str) -> bool:
    """Publish a waiting question, worded as the buyer chose, with its answer; the asker and the followers are told.
    False if the question was already published or rejected."""
    if question.status != QuestionStatus.WAITING:
        return False
    question.status = QuestionStatus.PUBLISHED
    question.published_text, question.answer, question.answered_at = text.strip(), answer.strip(), utcnow()
    opportunity = session.get(Opportunity, question.opportunity_id)
    details = _published_details(question)
    reworded = "\n\nThe buyer changed the wording of your question before publishing it." if question.edited else ""
    notify(session, {question.asked_by_id}, opportunity.id,
           f"Your question about \u201c{opportunity.title}\u201d has been answered.", details=details + reworded,
           to=_questions(opportunity))
    notify(session, followers(session, opportunity.id) - {question.asked_by_id}, opportunity.id,
           f"A question about \u201c{opportunity.title}\u201d has been answered.", details=details,
           to=_questions(opportunity))
    session.add(question)
    session.commit()
    return True


def change_published(session: Session, question: Question, text: str, answer: str) -> bool:
    """Change a published question or its answer; the asker and the followers are told what it says now.
    False if the question is not published, or nothing changed."""
    text, answer = text.strip(), answer.strip()
    if question.status != QuestionStatus.PUBLISHED or (text, answer) == (question.published_text, question.answer):
        return False
    question.published_text, question.answer, question.answer_changed_at = text, answer, utcnow()
    opportunity = session.get(Opportunity, question.opportunity_id)
    notify(session, followers(session, opportunity.id) | {question.asked_by_id}, opportunity.id,
           f"The buyer changed a published answer about \u201c{opportunity.title}\u201d.",
           details=_published_details(question), to=_questions(opportunity))
    session.add(question)
    session.commit()
    return True


def reject(session: Session, question: Question, reason: str, today: date) -> bool:
    """Decide not to publish a waiting question; the asker is told why and what they can do.
    False if the question was already published or rejected."""
    if question.status != QuestionStatus.WAITING:
        return False
    question.status, question.rejection_reason, question.rejected_at = QuestionStatus.REJECTED, reason.strip(), utcnow()
    opportunity = session.get(Opportunity, question.opportunity_id)
    notify(session, {question.asked_by_id}, opportunity.id,
           f"Your question about \u201c{opportunity.title}\u201d was not published.",
           details=f"Your question: {question.text}\n\nThe buyer's reason: {question.rejection_reason}\n\n"
                   f"What you can do: {_what_next(opportunity, today)}", to=_questions(opportunity))
    session.add(question)
    session.commit()
    return True


def _what_next(opportunity: Opportunity, today: date) -> str:
    if not engagement_window.questions_open(opportunity, today):
        return ("questions about this opportunity have closed, so you cannot ask again there. Follow it to hear "
                "about events and changes.")
    until = (f" until questions close on {long_date(opportunity.questions_close_on)}"
             if opportunity.questions_close_on is not None else "")
    return (f"ask again on the opportunity page{until}. Ask more generally, so that the answer helps every supplier, "
            "and leave out anything you want kept private.")


def _published_details(question: Question) -> str:
    return f"Question: {question.published_text}\n\nAnswer: {question.answer}"


def _questions(opportunity: Opportunity) -> dict:
    return link("opportunities.show", slug=opportunity.slug, _anchor="questions")


def published(session: Session, opportunity_id: int) -> list[PublicQuestion]:
    """The opportunity's published questions, newest answer first."""
    query = select(Question).where(Question.opportunity_id == opportunity_id, IS_PUBLISHED)
    return [public(q) for q in session.exec(query.order_by(col(Question.answered_at).desc())).all()]


def asked_by_organisation(session: Session, organisation_id: int) -> list[Question]:
    return list(session.exec(select(Question).where(Question.organisation_id == organisation_id)
                             .order_by(col(Question.asked_at).desc())).all())
