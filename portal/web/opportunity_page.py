"""Everything the opportunity page shows, for the page itself and for forms that re-show it with errors."""

import logging
from dataclasses import dataclass

from flask import current_app, render_template
from flask_login import current_user
from markupsafe import Markup
from pydantic import ValidationError

from portal.bidding.facts import BidFacts, facts_of
from portal.bidding.matching import how_you_match
from portal.bidding.summary import can_we_bid
from portal.briefs import templates
from portal.clock import now, today
from portal.db import get_session
from portal.forms.engagement import ActionForm, InterestForm, QuestionForm, interest_values
from portal.forms.engagement import interest_form as build_interest_form
from portal.models import OpportunityKind, Organisation, Role, Stage
from portal.services import (
    accounts,
    award_reports,
    awards,
    buyer_items,
    engagement_window,
    events,
    interest,
    market_questions,
    meeting_slots,
    notifications,
    partner_messages,
    questions,
    voice,
    withdrawals,
)
from portal.services.performance import RATING_TAG_COLOURS, latest_rating_label
from portal.timeline import timeline, what_happens_next

log = logging.getLogger(__name__)


def _facts(opportunity) -> BidFacts:
    """Facts stored before a rule was tightened must not take the page down: show none, and log it."""
    try:
        return facts_of(opportunity)
    except ValidationError as error:
        log.warning("opportunity %s has bid facts that no longer pass the rules: %s", opportunity.slug, error)
        return BidFacts()


def _sections(kind: str) -> dict[str, str]:
    found = templates(current_app.config["CONTENT_DIR"]).get(kind)
    return {section.name: section.heading for section in found.sections} if found else {}


def takes_entries(opportunity) -> bool:
    """An innovation challenge is entered on its page: registering interest with answers to the challenge's questions
    is the entry, and the page says so. At the tender stage entries go through the tender documents instead."""
    return opportunity.kind == OpportunityKind.INNOVATION_CHALLENGE and opportunity.stage != Stage.TENDER


@dataclass(frozen=True)
class OpportunityPage:
    title: str
    summary: str
    content: Markup  # the page inside its layout
    has_errors: bool = False


def render_opportunity(opportunity, question_form: QuestionForm | None = None, status: int = 200,
                       interest_form: InterestForm | None = None):
    return render_page(page_of(opportunity, question_form, interest_form)), status


def render_page(page: OpportunityPage):
    return render_template("opportunities/show.html", page=page)


def page_of(opportunity, question_form: QuestionForm | None = None,
            interest_form: InterestForm | None = None) -> OpportunityPage:
    """The page as the person asking sees it."""
    session = get_session()
    is_supplier = current_user.is_authenticated and current_user.role == Role.SUPPLIER and current_user.organisation_id
    own_interest = interest.get(session, opportunity.id, current_user.organisation_id) if is_supplier else None
    own_answers = interest.answers(session, own_interest.id) if own_interest else {}
    following = is_supplier and notifications.is_following(session, current_user.id, opportunity.id)
    asked = market_questions.current(session, opportunity.id)
    if interest_form is None:
        shown = interest_values(own_interest, own_answers, current_user, following) if is_supplier else None
        interest_form = build_interest_form(asked, formdata=None, data=shown)
    event_list = events.events_for(session, opportunity.id)
    facts = _facts(opportunity)
    organisation = session.get(Organisation, current_user.organisation_id) if is_supplier else None
    shown_awards = award_reports.shown_awards(session, opportunity.id)
    content = render_template(
        "opportunities/_page.html",
        opportunity=opportunity,
        today=today(),
        is_supplier=is_supplier,
        own_interest=own_interest,
        own_answers=own_answers,
        own_interest_shown=own_interest is not None and interest.is_shown(session, own_interest),
        market_questions=asked,
        interest_form=interest_form,
        question_form=question_form or QuestionForm(),
        action_form=ActionForm(),
        following=following,
        interest_summary=interest.summary(session, opportunity.id),
        message_partners=partner_messages.reachable_partners(session, opportunity, current_user),
        answered=questions.published(session, opportunity.id),
        questions_closed=None if engagement_window.questions_open(opportunity, today())
        else engagement_window.questions_closed_message(opportunity, today()),
        events=[(event, events.places(session, event.id)) for event in event_list],
        meeting_times=meeting_slots.times_to_come(session, opportunity.id, now()),
        timeline=award_reports.award_timeline(timeline(opportunity, event_list, today()), shown_awards),
        awards=shown_awards, frequencies=awards.FREQUENCIES, rating_colours=RATING_TAG_COLOURS,
        latest_label=latest_rating_label,
        engagement_open=engagement_window.is_open(opportunity, today()),
        entries=takes_entries(opportunity),
        engagement_closed=engagement_window.closed_message(opportunity),
        next_steps=what_happens_next(opportunity),
        change_log=buyer_items.change_log(session, opportunity.id, _sections(opportunity.kind)),
        stop_notice=withdrawals.public_notice(session, opportunity),
        can_we_bid=can_we_bid(opportunity, facts),
        matches=how_you_match(facts, opportunity, organisation) if organisation else None,
        profile_has_bidding_details=organisation is not None and accounts.has_bidding_details(organisation),
        residents=voice.page_view(session, voice.Subject(opportunity=opportunity), current_user, today())
        if voice.takes_part(opportunity) else None,
    )
    return OpportunityPage(opportunity.title, opportunity.summary, Markup(content),
                           has_errors=bool((question_form and question_form.errors) or interest_form.errors))
