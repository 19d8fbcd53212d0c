"""Questions from suppliers and the buyer's answers, published to everyone without the asker's name."""

from sqlmodel import Session, col, select

from portal.models import Opportunity, Question, utcnow
from portal.services.notifications import followers, link, notify

MAX_QUESTION_WORDS = 100


def ask(session: Session, opportunity_id: int, organisation_id: int, user_id: int, text: str) -> Question:
    question = Question(opportunity_id=opportunity_id, organisation_id=organisation_id, asked_by_id=user_id, text=text.strip())
    session.add(question)
    session.commit()
    return question


def answer(session: Session, question_id: int, text: str) -> Question:
    """Publish an answer; the asker and the opportunity's followers are told."""
    question = session.get(Question, question_id)
    question.answer = text.strip()
    question.answered_at = utcnow()
    opportunity = session.get(Opportunity, question.opportunity_id)
    notify(session, followers(session, question.opportunity_id) | {question.asked_by_id}, question.opportunity_id,
           f"A question about \u201c{opportunity.title}\u201d has been answered.",
           details=f"Question: {question.text}\n\nAnswer: {question.answer}",
           to=link("opportunities.show", slug=opportunity.slug, _anchor="questions"))
    session.add(question)
    session.commit()
    return question


def published(session: Session, opportunity_id: int) -> list[Question]:
    return list(session.exec(select(Question).where(
        Question.opportunity_id == opportunity_id, col(Question.answered_at).is_not(None)
    ).order_by(col(Question.answered_at).desc())).all())


def asked_by_organisation(session: Session, organisation_id: int) -> list[Question]:
    return list(session.exec(select(Question).where(Question.organisation_id == organisation_id)
                             .order_by(col(Question.asked_at).desc())).all())
