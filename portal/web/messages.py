"""Messages between suppliers about partnering: writing to a listed partner, conversations, replies, reports,
and whether an organisation gets messages at all."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from portal.auth import supplier_required
from portal.db import get_session
from portal.forms.messages import MessageForm, MessagingSettingForm, ReplyForm, ReportForm
from portal.models import Opportunity, Organisation, Status
from portal.services import opportunities, partner_message_reports, partner_messages
from portal.services.partner_messages import Refused
from portal.web.confirmations import confirm

bp = Blueprint("messages", __name__)


@bp.route("/opportunities/<slug>/partners/<organisation_slug>/message", methods=["GET", "POST"])
@supplier_required
def new(slug: str, organisation_slug: str):
    session = get_session()
    opportunity = opportunities.get_published(session, slug)
    recipient = opportunity and partner_messages.partner(session, opportunity.id, organisation_slug)
    if recipient is None:
        abort(404)
    form = MessageForm()
    page = dict(opportunity=opportunity, recipient=recipient, form=form,
                existing=partner_messages.between(session, opportunity.id, current_user.organisation_id, recipient.id))
    refusal = partner_messages.refusal_to_start(session, opportunity, current_user, recipient)
    if refusal and request.method == "GET":
        return render_template("messages/new.html", refusal=refusal, **page), 403
    if form.validate_on_submit():
        try:
            conversation = partner_messages.start(session, opportunity, current_user, recipient, form.message.data)
        except Refused as refused:
            form.message.errors.append(refused.message)
            return render_template("messages/new.html", **page), refused.status
        return confirm(f"Your message has been sent to {recipient.name}.", "messages.show", place="reply",
                       conversation_id=conversation.id)
    return render_template("messages/new.html", **page), 400 if form.errors else 200


@bp.get("/messages")
@supplier_required
def index():
    session = get_session()
    return render_template("messages/index.html", organisation=session.get(Organisation, current_user.organisation_id),
                           conversations=partner_messages.conversations_for(session, current_user.organisation_id))


def _own_conversation_or_404(conversation_id: int):
    conversation = partner_messages.get_for(get_session(), conversation_id, current_user.organisation_id)
    if conversation is None:
        abort(404)
    return conversation


def _render_conversation(conversation, form: ReplyForm, status: int = 200):
    session = get_session()
    ours = current_user.organisation_id
    return render_template(
        "messages/show.html",
        conversation=conversation,
        opportunity=session.get(Opportunity, conversation.opportunity_id),
        other=session.get(Organisation, partner_messages.other_side(conversation, ours)),
        we_started=conversation.starter_id == ours,
        thread=partner_messages.thread(session, conversation, ours),
        emails=partner_messages.revealed_emails(session, conversation, ours),
        refusal=partner_messages.refusal_to_send(session, conversation, current_user),
        form=form,
        published=Status.PUBLISHED,
    ), status


@bp.get("/messages/<int:conversation_id>")
@supplier_required
def show(conversation_id: int):
    return _render_conversation(_own_conversation_or_404(conversation_id), ReplyForm())


@bp.post("/messages/<int:conversation_id>/reply")
@supplier_required
def reply(conversation_id: int):
    conversation = _own_conversation_or_404(conversation_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _render_conversation(conversation, form, 400)
    try:
        partner_messages.send(get_session(), conversation, current_user, form.message.data)
    except Refused as refused:
        form.message.errors.append(refused.message)
        return _render_conversation(conversation, form, refused.status)
    return confirm("Your message has been sent.", "messages.show", place="reply", conversation_id=conversation_id)


@bp.route("/messages/<int:conversation_id>/report/<int:message_id>", methods=["GET", "POST"])
@supplier_required
def report(conversation_id: int, message_id: int):
    session = get_session()
    conversation = _own_conversation_or_404(conversation_id)
    message = partner_message_reports.reportable(session, conversation, message_id, current_user.organisation_id)
    if message is None:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        partner_message_reports.report(session, message, current_user, form.reason.data or "")
        return confirm("Thank you. You have reported the message. An administrator will look at it.",
                       "messages.show", conversation_id=conversation_id)
    sender = session.get(Organisation, message.sender_organisation_id)
    return render_template("messages/report.html", conversation=conversation, message=message, sender=sender,
                           form=form), 400 if form.errors else 200


@bp.post("/organisation/messages")
@supplier_required
def setting():
    form = MessagingSettingForm()
    if not form.validate_on_submit():
        abort(400)
    accepts = bool(form.accepts_messages.data)
    partner_messages.set_accepts_messages(get_session(), current_user.organisation_id, accepts)
    return confirm("Other suppliers can message you about partnering." if accepts else
                   "Other suppliers can no longer message you about partnering.",
                   "accounts.organisation", place="messages-setting")
