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
from portal.clock import from_london, today
from portal.db import get_session
from portal.forms.buyers import AnswerForm, EventForm, OutcomeForm, PipelineUploadForm, brief_form
from portal.forms.engagement import ActionForm
from portal.markdown_render import render_markdown
from portal.models import EngagementEvent, Organisation, OpportunityKind, Question
from portal.opendata.csv_export import safe_cell
from portal.services import buyer_items, events, market_questions, market_responses, pipeline_upload, questions
from portal.services.missions import mission_choices
from portal.services.pipeline import financial_year_of, planned_spend
from portal.web.buyer_brief import MAX_CHECKED_CHARACTERS, brief_data, form_data, plain_report, suggested_questions
from portal.web.responses_csv import responses_csv_text

bp = Blueprint("buyer", __name__, url_prefix="/buyer")


def _organisation() -> Organisation:
    return get_session().get(Organisation, current_user.organisation_id)


def _own_or_404(opportunity_id: int):
    opportunity = buyer_items.get_own(get_session(), current_user.organisation_id, opportunity_id)
    if opportunity is None:
        abort(404)
    return opportunity


def _form(kind: str, opportunity=None, **kwargs):
    template = templates(current_app.config["CONTENT_DIR"])[kind]
    missions = mission_choices(get_session())
    return template, brief_form(template, kind, missions, financial_year_of(today()), today=today(),
                                saved_questions_close=opportunity.questions_close_on if opportunity else None, **kwargs)


@bp.get("")
@buyer_required
def dashboard():
    return render_template("buyer/dashboard.html", organisation=_organisation(),
                           items=buyer_items.own_items(get_session(), current_user.organisation_id),
                           kinds=[(k.value, templates(current_app.config["CONTENT_DIR"])[k.value]) for k in OpportunityKind])


@bp.route("/opportunities/new/<kind>", methods=["GET", "POST"])
@buyer_required
def new(kind: str):
    if kind not in set(OpportunityKind):
        abort(404)
    suggested = suggested_questions(templates(current_app.config["CONTENT_DIR"])[kind])
    template, form = _form(kind, data=None if request.method == "POST" else suggested)
    if form.validate_on_submit():
        opportunity = buyer_items.save_draft(get_session(), current_app.extensions["search"], _organisation(),
                                             brief_data(form, template, kind), current_app.config["OCID_PREFIX"])
        flash("Draft saved. Check the preview, then publish when you are ready.", "success")
        return redirect(url_for("buyer.preview", opportunity_id=opportunity.id), 303)
    return render_template("buyer/edit.html", form=form, template=template, kind=kind, opportunity=None,
                           report=plain_report(template, request.form) if request.method == "POST" else None), \
        400 if form.errors else 200


@bp.route("/opportunities/<int:opportunity_id>/edit", methods=["GET", "POST"])
@buyer_required
def edit(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    kind = opportunity.kind
    asked = market_questions.current(get_session(), opportunity.id)
    template, form = _form(kind, opportunity, data=None if request.method == "POST" else form_data(opportunity, asked))
    if form.validate_on_submit():
        buyer_items.save_draft(get_session(), current_app.extensions["search"], _organisation(),
                               brief_data(form, template, kind), current_app.config["OCID_PREFIX"], opportunity)
        flash("Changes saved." + (" They are live on the public page." if opportunity.status == "published" else ""), "success")
        return redirect(url_for("buyer.preview", opportunity_id=opportunity.id), 303)
    values = request.form if request.method == "POST" else form_data(opportunity, asked)
    return render_template("buyer/edit.html", form=form, template=template, kind=kind, opportunity=opportunity,
                           report=plain_report(template, values)), 400 if form.errors else 200


@bp.get("/opportunities/<int:opportunity_id>/preview")
@buyer_required
def preview(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    template = templates(current_app.config["CONTENT_DIR"])[opportunity.kind]
    report = plain_report(template, form_data(opportunity))
    return render_template("buyer/preview.html", opportunity=opportunity, action_form=ActionForm(), report=report)


@bp.post("/opportunities/<int:opportunity_id>/<any(publish, withdraw, close):action>")
@buyer_required
def change_status(opportunity_id: int, action: str):
    opportunity = _own_or_404(opportunity_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    index = current_app.extensions["search"]
    if action == "publish":
        buyer_items.publish(get_session(), index, opportunity, today())
        flash("Published. Suppliers and residents can now see it, and it appears in search.", "success")
    elif action == "withdraw":
        buyer_items.withdraw(get_session(), index, opportunity)
        flash("Withdrawn. It is no longer public.", "success")
    else:
        buyer_items.close_engagement(get_session(), index, opportunity, today())
        flash("Engagement is now closed.", "success")
    return redirect(url_for("buyer.manage", opportunity_id=opportunity.id), 303)


@bp.get("/opportunities/<int:opportunity_id>")
@buyer_required
def manage(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    return _manage_page(opportunity)


def _manage_page(opportunity, answer_forms=None, outcome_forms=None, status=200):
    session = get_session()
    return render_template(
        "buyer/manage.html", opportunity=opportunity, action_form=ActionForm(),
        report=buyer_items.interest_report(session, opportunity.id),
        questions=buyer_items.questions_for(session, opportunity.id), answer_forms=answer_forms or {},
        events=buyer_items.events_with_bookings(session, opportunity.id), outcome_forms=outcome_forms or {},
        versions=buyer_items.versions(session, opportunity.id),
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


@bp.post("/questions/<int:question_id>/answer")
@buyer_required
def answer(question_id: int):
    question = get_session().get(Question, question_id)
    opportunity = _own_or_404(question.opportunity_id) if question else abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _manage_page(opportunity, answer_forms={question_id: form}, status=400)
    questions.answer(get_session(), question_id, form.answer.data)
    flash("Answer published on the opportunity page, without the asker's name.", "success")
    return redirect(url_for("buyer.manage", opportunity_id=opportunity.id, _anchor="questions"), 303)


@bp.post("/events/<int:event_id>/outcome")
@buyer_required
def event_outcome(event_id: int):
    event = get_session().get(EngagementEvent, event_id)
    opportunity = _own_or_404(event.opportunity_id) if event else abort(404)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _manage_page(opportunity, outcome_forms={event_id: form}, status=400)
    events.publish_outcome(get_session(), event, form.materials.data or "", form.what_we_heard.data)
    flash("\u201cWhat we heard\u201d is published on the event page.", "success")
    return redirect(url_for("buyer.manage", opportunity_id=opportunity.id, _anchor="events"), 303)


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
    return render_template("buyer/_checker.html", report=plain_report(template, request.form))


@bp.get("/pipeline")
@buyer_required
def pipeline():
    return _pipeline_page(PipelineUploadForm())


def _pipeline_page(form, errors=(), status=200):
    session = get_session()
    return render_template("buyer/pipeline.html", form=form, errors=list(errors), columns=pipeline_upload.COLUMNS,
                           organisation=_organisation(),
                           pipeline=planned_spend(session, today(), buyer_id=current_user.organisation_id)), status


@bp.post("/pipeline")
@buyer_required
def upload_pipeline():
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
    if form.validate_on_submit():
        events.create_event(get_session(), opportunity, kind=form.kind.data, title=form.title.data.strip(),
                            description=form.description.data or "", starts_at=from_london(form.starts.data),
                            ends_at=from_london(form.ends.data), booking_deadline=from_london(form.booking_deadline.data),
                            location=(form.location.data or "").strip(), online_link=(form.online_link.data or "").strip(),
                            capacity=form.capacity.data)
        flash("Event added. Suppliers following this opportunity will hear about it.", "success")
        return redirect(url_for("buyer.manage", opportunity_id=opportunity.id, _anchor="events"), 303)
    return render_template("buyer/new_event.html", form=form, opportunity=opportunity), 400 if form.errors else 200
