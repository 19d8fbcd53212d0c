"""Residents' voice for residents and everyone: a resident's account and page, saying what a problem means to you,
"this matters to me", and reporting a published comment."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth import limiter, resident_required
from portal.clock import today
from portal.db import get_session
from portal.forms.engagement import ActionForm
from portal.forms.voice import ContributionForm, ReportForm, ResidentSignUpForm
from portal.models import Contribution, ContributionStatus
from portal.services import accounts, voice
from portal.web.accounts import answer_sign_up
from portal.web.confirmations import confirm

bp = Blueprint("voice", __name__)
AREAS = "<any(opportunities,missions):area>"


@bp.route("/residents/sign-up", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], error_message="Too many accounts asked for")
def sign_up():
    """The same answer, and an email, whether or not the address already has an account."""
    form = ResidentSignUpForm()
    if form.validate_on_submit():
        user = accounts.sign_up_resident(get_session(), form.display_name.data, form.email.data, form.password.data)
        return answer_sign_up(user, form.email.data, form.password.data)
    return render_template("voice/sign_up.html", form=form), 400 if form.errors else 200


@bp.get("/residents")
@resident_required
def dashboard():
    return render_template("voice/dashboard.html", rows=voice.for_resident(get_session(), current_user.id))


def _subject_or_404(area: str, slug: str) -> voice.Subject:
    subject = voice.find_subject(get_session(), area, slug)
    if subject is None:
        abort(404)
    return subject


def _page_of(subject: voice.Subject) -> str:
    return url_for(subject.page["endpoint"], **subject.page["values"])


def _back_to_residents(subject: voice.Subject, message: str, category: str = "success"):
    """The page's "What residents say" section, opened on a banner."""
    values = {name: value for name, value in subject.page["values"].items() if name != "_anchor"}
    return confirm(message, subject.page["endpoint"], place="residents", category=category, **values)


@bp.route(f"/{AREAS}/<slug>/what-it-means-to-me", methods=["GET", "POST"])
def contribute(area: str, slug: str):
    subject = _subject_or_404(area, slug)
    form = ContributionForm()
    refusal = None
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.sign_in", next=request.path), 303)
        if form.validate_on_submit():
            try:
                voice.contribute(get_session(), current_user, subject, form.text.data, today(), form.website.data or "")
            except voice.Refused as refused:
                refusal = refused
            else:
                return confirm("Thank you. The council reads every comment before it is published. Your page shows "
                               "what happens to it.", "voice.dashboard")
    status = refusal.status if refusal else (400 if form.errors else 200)
    return render_template("voice/contribute.html", subject=subject, form=form, area=area, slug=slug,
                           refusal=refusal.message if refusal else None, closed=voice.closed_reason(subject, today()),
                           back=_page_of(subject)), status


@bp.post(f"/{AREAS}/<slug>/matters-to-me")
def matters(area: str, slug: str):
    subject = _subject_or_404(area, slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in", next=_page_of(subject)), 303)
    try:
        counted = voice.say_it_matters(get_session(), current_user, subject, today())
    except voice.Refused as refused:
        return _back_to_residents(subject, refused.message, "important")
    return _back_to_residents(subject, "Thank you: you said this matters to you." if counted
                              else "You have already said this matters to you.")


def _published_or_404(contribution_id: int) -> tuple[Contribution, voice.Subject]:
    session = get_session()
    contribution = session.get(Contribution, contribution_id)
    if contribution is None or contribution.status != ContributionStatus.PUBLISHED:
        abort(404)
    return contribution, voice.subject_of(session, contribution)


@bp.route("/residents/comments/<int:contribution_id>/report", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def report(contribution_id: int):
    contribution, subject = _published_or_404(contribution_id)
    form = ReportForm()
    if request.method == "POST" and not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in", next=request.path), 303)
    refusal = None
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            voice.report(get_session(), current_user, contribution, form.reason.data or "")
        except voice.Refused as refused:
            refusal = refused
        else:
            return _back_to_residents(subject, "Thank you. The council will look at this comment.")
    status = refusal.status if refusal else (400 if form.errors else 200)
    return render_template("voice/report.html", form=form, contribution=voice.public(contribution), subject=subject,
                           refusal=refusal.message if refusal else None, back=_page_of(subject)), status
