"""Every response the buyer may read on one opportunity, in full: by supplier and by question.

A named contact is part of a response only when the organisation agreed that the buyer may see it; the page and
the spreadsheet show `contact` and nothing else, so without consent there is nothing to show.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from portal.models import Interest, MarketAnswer, MarketQuestion, Organisation
from portal.services.interest import shown_to_buyer


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class SupplierResponse:
    interest_id: int
    organisation: Organisation
    contact: Contact | None  # None unless the organisation agreed to share it
    open_to_partnering: bool
    sent_at: datetime
    changed_at: datetime
    answers: dict[int, str]  # by question id


@dataclass(frozen=True)
class Responses:
    questions: list[MarketQuestion]  # the questions asked now, then removed questions that have answers
    suppliers: list[SupplierResponse]  # in the order they were sent

    def answers_to(self, question: MarketQuestion) -> list[tuple[SupplierResponse, str]]:
        return [(supplier, supplier.answers[question.id]) for supplier in self.suppliers if question.id in supplier.answers]


def _contact(interest: Interest) -> Contact | None:
    if not interest.share_contact:
        return None
    return Contact(interest.contact_name, interest.contact_email, interest.contact_phone)


def for_opportunity(session: Session, opportunity_id: int) -> Responses:
    rows = session.exec(shown_to_buyer(select(Interest, Organisation)
                                       .join(Organisation, Organisation.id == Interest.organisation_id))
                        .where(Interest.opportunity_id == opportunity_id)
                        .order_by(Interest.submitted_at, Interest.id)).all()
    by_interest: dict[int, dict[int, str]] = {}
    for answer in session.exec(select(MarketAnswer).where(
            col(MarketAnswer.interest_id).in_([interest.id for interest, _ in rows]))).all():
        by_interest.setdefault(answer.interest_id, {})[answer.question_id] = answer.text
    suppliers = [SupplierResponse(interest.id, organisation, _contact(interest), interest.open_to_partnering,
                                  interest.submitted_at, interest.updated_at, by_interest.get(interest.id, {}))
                 for interest, organisation in rows]
    answered = {question_id for answers in by_interest.values() for question_id in answers}
    questions = session.exec(select(MarketQuestion).where(MarketQuestion.opportunity_id == opportunity_id)
                             .order_by(col(MarketQuestion.removed_at).is_not(None), MarketQuestion.position,
                                       MarketQuestion.id)).all()
    return Responses([q for q in questions if q.removed_at is None or q.id in answered], suppliers)
