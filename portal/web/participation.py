"""Taking part in an opportunity: registering interest, asking questions, following."""

from flask import Blueprint, abort
from flask_login import current_user

from portal.auth import supplier_required
from portal.clock import today
from portal.db import get_session
from portal.forms.engagement import ActionForm, QuestionForm, interest_form
from portal.services import engagement_window, interest, market_questions, notifications, opportunities, questions
from portal.web.confirmations import confirm
from portal.web.opportunity_page import render_opportunity, takes_entries

bp = Blueprint("participation", __name__)


def _published_or_404(slug: str):
    opportunity = opportunities.get_published(get_session(), slug)
    if opportunity is None:
        abort(404)
    return opportunity


def _back(slug: str, place: str, message: str, category: str = "success"):
    return confirm(message, "opportunities.show", place=place, category=category, slug=slug)


def _refused_when_closed(opportunity, place: str):
    """Once engagement has closed nothing more is accepted: the page says so where the person was."""
    if engagement_window.is_open(opportunity, today()):
        return None
    return confirm(engagement_window.closed_message(opportunity), "opportunities.show", place=place, category="info",
                   slug=opportunity.slug)


@bp.post("/opportunities/<slug>/interest")
@supplier_required
def register_interest(slug: str):
    opportunity = _published_or_404(slug)
    if refused := _refused_when_closed(opportunity, "take-part"):
        return refused
    session = get_session()
    form = interest_form(market_questions.current(session, opportunity.id))
    if not form.validate_on_submit() or (form.sending and not form.ready_to_send()):
        return render_opportunity(opportunity, interest_form=form, status=400)
    try:
        saved = interest.save(session, opportunity, current_user, form.reply(), send=form.sending, today=today())
    except interest.EngagementClosed as closed:
        return _back(slug, "take-part", str(closed), category="info")
    return _back(slug, "take-part", _saved_message(saved, form, opportunity))


def _saved_message(saved, form, opportunity) -> str:
    entry = takes_entries(opportunity)
    what = "entry" if entry else "interest"
    if not saved.sent:
        too_long = form.too_long()
        button = "Send your entry" if entry else "Send to the buyer"
        return (f"Draft saved. The buyer cannot see it until you choose \u201c{button}\u201d."
                + (f" Shorten your {_answers_to(too_long)} before you send: {'it is' if len(too_long) == 1 else 'they are'}"
                   " over the word limit." if too_long else ""))
    if not saved.shown_to_buyer:
        return (f"Saved. {opportunity.buyer.name} will see your {what} once you confirm your email address: use the "
                "link we emailed you.")
    listed = " Your organisation is on the public list." if saved.interest.listed_publicly else ""
    if saved.newly_shown:
        return f"Your {what} has been sent to {opportunity.buyer.name}.{listed}"
    return f"Your changes have been sent to {opportunity.buyer.name}.{listed}"


def _answers_to(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"answer to question {numbers[0]}"
    return f"answers to questions {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


@bp.post("/opportunities/<slug>/interest/withdraw")
@supplier_required
def withdraw_interest(slug: str):
    opportunity = _published_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    interest.withdraw(get_session(), opportunity.id, current_user.organisation_id)
    return _back(slug, "take-part", "Your interest has been withdrawn.")


@bp.post("/opportunities/<slug>/questions")
@supplier_required
def ask_question(slug: str):
    opportunity = _published_or_404(slug)
    if not engagement_window.questions_open(opportunity, today()):
        return _back(slug, "questions", engagement_window.questions_closed_message(opportunity, today()), "important")
    form = QuestionForm()
    if not form.validate_on_submit():
        return render_opportunity(opportunity, question_form=form, status=400)
    questions.ask(get_session(), opportunity.id, current_user.organisation_id, current_user.id, form.question.data)
    return _back(slug, "questions", "Your question has been sent to the buyer. If they publish it, it will appear "
                 "on this page with their answer, without your name. Follow it on your dashboard.")


@bp.post("/opportunities/<slug>/follow")
@supplier_required
def follow(slug: str):
    opportunity = _published_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    notifications.follow(get_session(), current_user.id, opportunity.id)
    return _back(slug, "take-part", "You are following this opportunity. We will email you about answers, events and changes.")


@bp.post("/opportunities/<slug>/unfollow")
@supplier_required
def unfollow(slug: str):
    opportunity = _published_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    notifications.unfollow(get_session(), current_user.id, opportunity.id)
    return _back(slug, "take-part", "You have stopped following this opportunity.")
