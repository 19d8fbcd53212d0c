"""Buyers' pages: their items, the brief editor, publishing, and what suppliers did. Only their own items."""

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from portal.auth import buyer_required
from portal.briefs import templates
from portal.clock import from_london, now, today
from portal.db import get_session
from portal.forms.buyers import (
    AnswerForm,
    EventForm,
    OutcomeForm,
    PipelineUploadForm,
    RejectQuestionForm,
    SavedDates,
    UpdateEmailsForm,
    add_phase,
    brief_form,
    for_question,
    moderation_forms,
)
from portal.forms import phase_rows
from portal.forms.engagement import ActionForm
from portal.markdown_render import render_markdown
from portal.models import EngagementEvent, Opportunity, Organisation, OpportunityKind, Question, QuestionStatus, Status, UpdateEmails
from portal.opendata.csv_export import safe_cell
from portal.places.authorities import name_of as authority_name
from portal.places.tagging import default_areas
from portal.presenters import london_time
from portal.services import (
    awards,
    buyer_items,
    engagement_window,
    events,
    market_questions,
    market_responses,
    notifications,
    pipeline_upload,
    questions,
    review,
    update_emails,
    withdrawals,
)
from portal.services.missions import mission_choices
from portal.services.pipeline import planned_spend
from portal.timeline import what_happens_next
from portal.web.buyer_brief import (MAX_CHECKED_CHARACTERS, brief_data, form_data, plain_report, score_change,
                                    suggested_questions)
from portal.web.confirmations import confirm
from portal.web.spreadsheets import bookings_csv_text, responses_csv_text

bp = Blueprint("buyer", __name__, url_prefix="/buyer")


def _organisation() -> Organisation:
    return get_session().get(Organisation, current_user.organisation_id)


def _own_or_404(opportunity_id: int):
    opportunity = buyer_items.get_own(get_session(), current_user.organisation_id, opportunity_id)
    if opportunity is None:
        abort(404)
    return opportunity


def _may_publish_or_403(opportunity=None) -> None:
    """Anything that makes text public: publishers, or an editor where review.may_publish allows."""
    if not review.may_publish(current_user, _organisation(), opportunity):
        abort(403)


def _form(kind: str, **kwargs):
    template = templates(current_app.config["CONTENT_DIR"])[kind]
    missions = mission_choices(get_session())
    return template, brief_form(template, kind, missions, today(), **kwargs)


def _phase_rows_changed(kind: str, opportunity=None, **kwargs):
    """The editor again with a phase row added or removed, if that is what the buyer pressed; nothing is saved."""
    change = phase_rows.requested(request.form) if request.method == "POST" and kind == "innovation-challenge" else None
    if change is None:
        return None
    template, form = _form(kind, formdata=change.formdata, **kwargs)
    added = change.adding and add_phase(form)
    return render_template("buyer/edit.html", form=form, template=template, kind=kind, opportunity=opportunity,
                           action_form=ActionForm(), report=plain_report(template, request.form),
                           added_phase=len(form.phases) - 1 if added else None), 400 if change.adding and not added else 200


EMAIL_SETTING = {
    UpdateEmails.INSTANT: "We will email you straight away about new interest, questions and bookings.",
    UpdateEmails.DAILY: "We will email you a summary of new interest, questions and bookings once a day.",
    UpdateEmails.NEVER: "We will not email you about new interest, questions and bookings. "
                        "You will still see them on your opportunities page.",
}


def _address(notification, opportunity_slug: str | None) -> str | None:
    where = update_emails.target(notification, opportunity_slug)
    return url_for(where[0], **where[1]) if where else None


@bp.get("")
@buyer_required
def dashboard():
    updates = [(notification, _address(notification, slug))
               for notification, slug in notifications.recent(get_session(), current_user.id)]
    return render_template("buyer/dashboard.html", organisation=_organisation(),
                           items=buyer_items.own_items(get_session(), current_user.organisation_id),
                           kinds=[(k.value, templates(current_app.config["CONTENT_DIR"])[k.value]) for k in OpportunityKind],
                           updates=updates, email_setting=EMAIL_SETTING[current_user.update_emails])


@bp.route("/settings", methods=["GET", "POST"])
@buyer_required
def settings():
    form = UpdateEmailsForm(data=None if request.method == "POST" else {"update_emails": current_user.update_emails})
    if form.validate_on_submit():
        choice = UpdateEmails(form.update_emails.data)
        update_emails.set_choice(get_session(), current_user, choice)
        return confirm(EMAIL_SETTING[choice], "buyer.settings")
    return render_template("buyer/settings.html", form=form), 400 if form.errors else 200


@bp.route("/opportunities/new/<kind>", methods=["GET", "POST"])
@buyer_required
def new(kind: str):
    if kind not in set(OpportunityKind):
        abort(404)
    suggested = suggested_questions(templates(current_app.config["CONTENT_DIR"])[kind]) | {
        "areas": ", ".join(authority_name(code) for code in default_areas(_organisation()))}
    if changed := _phase_rows_changed(kind):
        return changed
    template, form = _form(kind, data=None if request.method == "POST" else suggested)
    if form.validate_on_submit():
        opportunity = review.save_draft(get_session(), current_app.extensions["search"], _organisation(),
                                        brief_data(form, template, kind), current_app.config["OCID_PREFIX"], current_user)
        flash("Draft saved. Check the preview, then publish when you are ready.", "success")
        return redirect(url_for("buyer.preview", opportunity_id=opportunity.id), 303)
    return render_template("buyer/edit.html", form=form, template=template, kind=kind, opportunity=None,
                           report=plain_report(template, request.form) if request.method == "POST" else None), \
        400 if form.errors else 200


@bp.route("/opportunities/<int:opportunity_id>/edit", methods=["GET", "POST"])
@buyer_required
def edit(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    draft = buyer_items.draft_of(get_session(), opportunity)  # a published item's pending change, if it has one
    kind = opportunity.kind
    saved = SavedDates(draft.engagement_closes_on, draft.market_year, draft.market_quarter, draft.questions_close_on)
    if changed := _phase_rows_changed(kind, draft, saved=saved, current_stage=draft.stage):
        return changed
    asked = market_questions.current(get_session(), opportunity.id)
    template, form = _form(kind, saved=saved, current_stage=draft.stage, data=None if request.method == "POST" else form_data(draft, asked))
    if form.validate_on_submit():
        review.save_draft(get_session(), current_app.extensions["search"], _organisation(),
                          brief_data(form, template, kind), current_app.config["OCID_PREFIX"], current_user, opportunity)
        flash("Changes saved. The public page will not change until you publish them." if opportunity.pending
              else "Changes saved.", "success")
        return redirect(url_for("buyer.preview", opportunity_id=opportunity.id), 303)
    values = request.form if request.method == "POST" else form_data(draft, asked)
    return render_template("buyer/edit.html", form=form, template=template, kind=kind, opportunity=draft,
                           action_form=ActionForm(), report=plain_report(template, values),
                           history=review.history(get_session(), opportunity.id)), \
        400 if form.errors else 200


@bp.get("/opportunities/<int:opportunity_id>/preview")
@buyer_required
def preview(opportunity_id: int):
    opportunity = buyer_items.draft_of(get_session(), _own_or_404(opportunity_id))
    template = templates(current_app.config["CONTENT_DIR"])[opportunity.kind]
    report = plain_report(template, form_data(opportunity))
    return render_template("buyer/preview.html", opportunity=opportunity, action_form=ActionForm(), report=report,
                           engagement_open=engagement_window.is_open(opportunity, today()),
                           engagement_closed=engagement_window.closed_message(opportunity),
                           next_steps=what_happens_next(opportunity))


def section_headings(kind: str) -> dict[str, str]:
    """A brief's sections by name, with the headings the public page and the change log use."""
    return {section.name: section.heading for section in templates(current_app.config["CONTENT_DIR"])[kind].sections}


@bp.route("/opportunities/<int:opportunity_id>/changes", methods=["GET", "POST"])
@buyer_required
def review_changes(opportunity_id: int):
    """Publishing a published item's pending change: the buyer sees every change in words first."""
    opportunity = _own_or_404(opportunity_id)
    if not opportunity.pending or opportunity.status != Status.PUBLISHED:
        return confirm("There are no changes to publish.", "buyer.manage", category="info",
                       opportunity_id=opportunity.id)
    form = ActionForm()
    sections = section_headings(opportunity.kind)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        _may_publish_or_403(opportunity)
        review.publish_changes(get_session(), current_app.extensions["search"], opportunity, current_user, sections)
        return confirm("Your changes are published. The public page shows them and its change log says what "
                       "changed. Followers will get one email listing the changes.", "buyer.manage",
                       opportunity_id=opportunity.id)
    return render_template("buyer/changes.html", opportunity=opportunity, action_form=form,
                           changes=buyer_items.pending_changes(get_session(), opportunity, sections),
                           followers=len(notifications.followers(get_session(), opportunity.id)))


@bp.post("/opportunities/<int:opportunity_id>/changes/discard")
@buyer_required
def discard_changes(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not review.discard_changes(get_session(), opportunity):
        return confirm("There were no changes to discard.", "buyer.manage", category="info",
                       opportunity_id=opportunity.id)
    return confirm("Your changes are discarded. The item is as it was last published.", "buyer.manage",
                   opportunity_id=opportunity.id)


# Withdrawing and cancelling ask for a reason first: see buyer_withdraw.
@bp.post("/opportunities/<int:opportunity_id>/<any(publish):action>")
@buyer_required
def change_status(opportunity_id: int, action: str):
    opportunity = _own_or_404(opportunity_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if opportunity.status == Status.PUBLISHED:
        return confirm("This is already published.", "buyer.manage", category="info", opportunity_id=opportunity.id)
    _may_publish_or_403(opportunity)
    review.publish(get_session(), current_app.extensions["search"], opportunity, current_user, today(),
                   section_headings(opportunity.kind))
    flash("Published. Suppliers and residents can now see it, and it appears in search.", "success")
    return redirect(url_for("buyer.manage", opportunity_id=opportunity.id), 303)


@bp.route("/opportunities/<int:opportunity_id>/close", methods=["GET", "POST"])
@buyer_required
def close_engagement(opportunity_id: int):
    """Closing engagement cannot be undone, so the buyer is asked first, on a page of its own."""
    opportunity = _own_or_404(opportunity_id)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        _may_publish_or_403(opportunity)
        if buyer_items.close_engagement(get_session(), current_app.extensions["search"], opportunity, today()):
            return confirm("Engagement is closed. Suppliers can no longer register interest, ask questions or book "
                           "places, and the public page says what happens next.", "buyer.manage",
                           opportunity_id=opportunity.id)
    if not engagement_window.is_open(opportunity, today()):
        return confirm(engagement_window.closed_message(opportunity) if opportunity.status == Status.PUBLISHED
                       else "Engagement starts when the item is published.", "buyer.manage", category="info",
                       opportunity_id=opportunity.id)
    return render_template("buyer/close.html", opportunity=opportunity, action_form=form, today=today(),
                           next_steps=what_happens_next(opportunity))


@bp.get("/opportunities/<int:opportunity_id>")
@buyer_required
def manage(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    return _manage_page(opportunity)


def _manage_page(opportunity, answer_forms=None, outcome_forms=None, status=200):
    """`answer_forms`: a question's publish or reject form that was sent with errors, by question id."""
    session = get_session()
    answer_forms = answer_forms or {}
    event_rows = buyer_items.events_with_bookings(session, opportunity.id)
    return render_template(
        "buyer/manage.html", opportunity=opportunity, action_form=ActionForm(),
        engagement_open=engagement_window.is_open(opportunity, today()),
        engagement_closed=engagement_window.closed_message(opportunity),
        report=buyer_items.interest_report(session, opportunity.id), answer_forms=answer_forms,
        questions=[(q, *moderation_forms(q, answer_forms.get(q.id)))
                   for q in buyer_items.questions_for(session, opportunity.id)],
        events=event_rows, outcome_forms=outcome_forms or {},
        ended={event.id for event, *_ in event_rows if events.has_ended(event, now())},
        versions=buyer_items.versions(session, opportunity.id),
        history=review.history(session, opportunity.id),
        preview_links=review.live_preview_links(session, opportunity.id, now()),
        stops=withdrawals.history(session, opportunity.id),
        awards=awards.awards_for(session, opportunity.id),
    ), status


@bp.get("/opportunities/<int:opportunity_id>/responses")
@buyer_required
def responses(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    return render_template("buyer/responses.html", opportunity=opportunity,
                           responses=market_responses.for_opportunity(get_session(), opportunity.id))


@bp.get("/opportunities/<int:opportunity_id>/interest.csv")
@buyer_required
def interest_csv(opportunity_id: int):
    """Every response in full, one row per organisation: the one export of who is interested."""
    opportunity = _own_or_404(opportunity_id)
    text = responses_csv_text(opportunity.title, market_responses.for_opportunity(get_session(), opportunity.id))
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="interest-{safe_cell(opportunity.slug)}.csv"'})


def _own_question_or_404(question_id: int) -> tuple[Question, Opportunity]:
    question = get_session().get(Question, question_id)
    return (question, _own_or_404(question.opportunity_id)) if question else abort(404)


def _back_to_questions(opportunity, message: str, category: str = "success"):
    return confirm(message, "buyer.manage", place="questions", category=category, opportunity_id=opportunity.id)


@bp.post("/questions/<int:question_id>/answer")
@buyer_required
def answer(question_id: int):
    """Publish a waiting question, reworded as the buyer chose, with an answer; or change a published one."""
    question, opportunity = _own_question_or_404(question_id)
    _may_publish_or_403(opportunity)
    form = for_question(AnswerForm, question_id)
    if not form.validate_on_submit():
        return _manage_page(opportunity, answer_forms={question_id: form}, status=400)
    if question.status == QuestionStatus.PUBLISHED:
        changed = questions.change_published(get_session(), question, form.question.data, form.answer.data)
        if not changed:
            return _back_to_questions(opportunity, "Nothing was changed.", "important")
        return _back_to_questions(opportunity, "Your changes are published. The asker and followers will be emailed.")
    if not questions.publish(get_session(), question, form.question.data, form.answer.data):
        return _back_to_questions(opportunity, "This question was rejected, so it cannot be published.", "important")
    return _back_to_questions(opportunity, "The question and your answer are published on the opportunity page, "
                              "without the asker's name. The asker and followers will be emailed.")


@bp.post("/questions/<int:question_id>/reject")
@buyer_required
def reject_question(question_id: int):
    question, opportunity = _own_question_or_404(question_id)
    form = for_question(RejectQuestionForm, question_id)
    if not form.validate_on_submit():
        return _manage_page(opportunity, answer_forms={question_id: form}, status=400)
    if not questions.reject(get_session(), question, form.reason.data, today()):
        already = ("This question was already rejected." if question.status == QuestionStatus.REJECTED else
                   "This question is published, so it cannot be rejected. You can change its wording or answer instead.")
        return _back_to_questions(opportunity, already, "important")
    return _back_to_questions(opportunity, "The question will not be published. The asker will be emailed your reason.")


def _own_event_or_404(event_id: int):
    event = get_session().get(EngagementEvent, event_id)
    return (event, _own_or_404(event.opportunity_id)) if event else abort(404)


@bp.get("/events/<int:event_id>/bookings")
@buyer_required
def event_bookings(event_id: int):
    event, opportunity = _own_event_or_404(event_id)
    return render_template("buyer/event_bookings.html", event=event, opportunity=opportunity,
                           people=events.people_booked(get_session(), event_id))


@bp.get("/events/<int:event_id>/bookings.csv")
@buyer_required
def event_bookings_csv(event_id: int):
    event, _opportunity = _own_event_or_404(event_id)
    return Response(bookings_csv_text(events.people_booked(get_session(), event_id)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="bookings-event-{event.id}.csv"'})


@bp.post("/events/<int:event_id>/outcome")
@buyer_required
def event_outcome(event_id: int):
    event, opportunity = _own_event_or_404(event_id)
    _may_publish_or_403(opportunity)
    if not events.has_ended(event, now()):
        return confirm(f"You can publish what you heard once the event has ended, after {london_time(event.ends_at)}.",
                       "buyer.manage", place="events", category="info", opportunity_id=opportunity.id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _manage_page(opportunity, outcome_forms={event_id: form}, status=400)
    events.publish_outcome(get_session(), event, form.materials.data or "", form.what_we_heard.data)
    return confirm("\u201cWhat we heard\u201d is published on the event page.", "buyer.manage", place="events",
                   opportunity_id=opportunity.id)


@bp.post("/preview-markdown")
@buyer_required
def preview_markdown():
    """htmx: one field's Markdown as it will look when published."""
    field = request.form.get("field", "")
    text = request.form.get(field, "")[:MAX_CHECKED_CHARACTERS] if field.isidentifier() else ""
    return render_template("buyer/_markdown_preview.html", html=render_markdown(text))


@bp.post("/check")
@buyer_required
def check():
    """htmx: the plain English check of the whole brief, as the buyer types."""
    kind = request.form.get("kind", "")
    if kind not in set(OpportunityKind):
        abort(400)
    template = templates(current_app.config["CONTENT_DIR"])[kind]
    report = plain_report(template, request.form)
    return render_template("buyer/_checker.html", report=report, announcement=score_change(report, request.form))


@bp.get("/pipeline")
@buyer_required
def pipeline():
    return _pipeline_page(PipelineUploadForm())


def _pipeline_page(form, errors=(), status=200):
    session = get_session()
    return render_template("buyer/pipeline.html", form=form, errors=list(errors), columns=pipeline_upload.COLUMNS | pipeline_upload.OPTIONAL_COLUMNS,
                           organisation=_organisation(),
                           pipeline=planned_spend(session, today(), buyer_id=current_user.organisation_id)), status


@bp.post("/pipeline")
@buyer_required
def upload_pipeline():
    _may_publish_or_403()  # it adds published items and changes published ones
    form = PipelineUploadForm()
    if not form.validate_on_submit():
        return _pipeline_page(form, status=400)
    result = pipeline_upload.apply_upload(get_session(), current_app.extensions["search"], _organisation(),
                                          form.file.data.read(pipeline_upload.MAX_BYTES + 1), today(),
                                          current_app.config["OCID_PREFIX"])
    if not result.ok:
        return _pipeline_page(form, result.errors, status=400)
    flash(f"Pipeline updated: {result.created} added, {result.updated} changed, {result.unchanged} unchanged.", "success")
    return redirect(url_for("buyer.pipeline"), 303)


@bp.get("/pipeline/example.csv")
@buyer_required
def pipeline_example():
    return send_from_directory(Path(current_app.config["CONTENT_DIR"]) / "templates", "pipeline-upload-example.csv",
                               mimetype="text/csv", as_attachment=True)


@bp.route("/opportunities/<int:opportunity_id>/events/new", methods=["GET", "POST"])
@buyer_required
def new_event(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    form = EventForm()
    if request.method == "POST":
        _may_publish_or_403(opportunity)  # an event is public as soon as it is added
    if form.validate_on_submit():
        events.create_event(get_session(), opportunity, kind=form.kind.data, title=form.title.data.strip(),
                            description=form.description.data or "", starts_at=from_london(form.starts.data),
                            ends_at=from_london(form.ends.data), booking_deadline=from_london(form.booking_deadline.data),
                            location=(form.location.data or "").strip(), online_link=(form.online_link.data or "").strip(),
                            capacity=form.capacity.data)
        return confirm("Event added. Suppliers following this opportunity will hear about it.", "buyer.manage",
                       place="events", opportunity_id=opportunity.id)
    return render_template("buyer/new_event.html", form=form, opportunity=opportunity), 400 if form.errors else 200
