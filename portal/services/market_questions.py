"""The buyer's own questions to suppliers on an opportunity (market sounding), kept in step with the brief editor.

Editing keeps a question, and the answers to it, while its text is unchanged: the buyer may reorder questions or
change a word limit. A question whose text changes is a new question, since the old answers may not answer it.
A question the buyer takes away is deleted if nobody has answered it. If someone has, it is kept but removed:
suppliers no longer see it, and the buyer still reads the answers already given, marked as answers to a question
they removed. Nothing a supplier wrote is lost by an edit.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from portal.models import MarketAnswer, MarketQuestion, utcnow

MAX_QUESTIONS = 5
MAX_QUESTION_CHARACTERS = 300
MIN_WORDS, MAX_WORDS, DEFAULT_WORDS = 50, 500, 200


@dataclass(frozen=True)
class QuestionValues:
    text: str
    max_words: int = DEFAULT_WORDS


def same_text(text: str) -> str:
    """What counts as the same question: the words, ignoring spacing."""
    return " ".join(text.split())


def current(session: Session, opportunity_id: int | None) -> list[MarketQuestion]:
    """The questions suppliers are asked now, in order."""
    if opportunity_id is None:
        return []
    return list(session.exec(select(MarketQuestion).where(
        MarketQuestion.opportunity_id == opportunity_id, col(MarketQuestion.removed_at).is_(None))
        .order_by(MarketQuestion.position, MarketQuestion.id)).all())


def answered_ids(session: Session, question_ids: list[int]) -> set[int]:
    if not question_ids:
        return set()
    return set(session.exec(select(MarketAnswer.question_id).distinct()
                            .where(col(MarketAnswer.question_id).in_(question_ids))).all())


def sync(session: Session, opportunity_id: int, wanted: list[QuestionValues]) -> None:
    """Make the opportunity's questions `wanted`, in that order (see the module's note). Nothing is committed."""
    existing = list(session.exec(select(MarketQuestion).where(MarketQuestion.opportunity_id == opportunity_id)
                                 .order_by(col(MarketQuestion.removed_at).is_not(None), MarketQuestion.id)).all())
    by_text: dict[str, MarketQuestion] = {}
    for question in existing:
        by_text.setdefault(same_text(question.text), question)
    kept = set()
    for position, values in enumerate(wanted):
        question = by_text.pop(same_text(values.text), None)
        if question is None:
            question = MarketQuestion(opportunity_id=opportunity_id)
        question.text, question.max_words, question.position, question.removed_at = (
            same_text(values.text), values.max_words, position, None)
        session.add(question)
        kept.add(id(question))
    dropped = [question for question in existing if id(question) not in kept]
    answered = answered_ids(session, [question.id for question in dropped])
    for question in dropped:
        if question.id not in answered:
            session.delete(question)
        elif question.removed_at is None:
            question.removed_at = utcnow()
            session.add(question)
