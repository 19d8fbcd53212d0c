from types import SimpleNamespace
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import limiter, sign_in_account_key, supplier_required
from portal.db import get_session
from portal.forms.engagement import ActionForm
from portal.forms.accounts import (
    InviteForm,
    JoinForm,
    NewPasswordForm,
    CONSORTIUM_ANSWERS,
    ProfileForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
    insurance_field_name,
)
from portal.forms.messages import MessagingSettingForm
from portal.mail import send_email, send_email_in_background
from portal.models import Organisation, Role
from portal.presenters import ROLE_HOMES
from portal.security import external_url
from portal.services import accounts, partner_messages

bp = Blueprint("accounts", __name__)


def _safe_next(default: str) -> str:
    """Only follow `next` to a path on this site, written on one line."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if (target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc
            and "\\" not in target and target.isprintable()):
        return target
    return default


def _hours(hours: int) -> str:
    return "1 hour" if hours == 1 else f"{hours} hours"


def _home(user) -> str:
    return url_for(ROLE_HOMES.get(user.role, ROLE_HOMES["supplier"])[0])


def _start_session(user) -> None:
    session.clear()  # a new session on sign-in, so an old session id can't be reused
    login_user(user)


def _details(form) -> accounts.SupplierDetails:
    return accounts.SupplierDetails(
        organisation_name=form.organisation_name.data.strip(), size=form.size.data, legal_form=form.legal_form.data,
        registration_number=form.registration_number.data or None, regions_served=form.regions_served.data,
        capabilities=form.capabilities.data or [], website=form.website.data or None, one_line=form.one_line.data.strip(),
    )


@bp.route("/sign-up", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], error_message="Too many accounts asked for")
def sign_up():
    """The same answer, and an email, whether or not the address already has an account."""
    form = SignUpForm()
    if form.validate_on_submit():
        user = accounts.sign_up_supplier(get_session(), form.name.data, form.email.data, form.password.data, _details(form))
        return answer_sign_up(user, form.email.data, form.password.data)
    return render_template("accounts/sign_up.html", form=form), 400 if form.errors else 200


def answer_sign_up(user, email: str, password: str):
    """Every sign-up gets the same page, whether or not the address already had an account: a new account is sent
    its confirmation link, an existing one an email saying someone tried (after the same time hashing takes)."""
    if user is not None:
        _send_confirmation(user)
    else:
        accounts.pretend_to_hash(password)
        send_email_in_background(
            accounts.normalise_email(email), "You already have an Opportunity Portal account",
            "Someone, perhaps you, tried to create an account with this email address. It already has one.\n\n"
            f"Sign in: {external_url('accounts.sign_in')}\n\n"
            f"Forgotten your password? Reset it: {external_url('accounts.request_reset')}\n\n"
            "If it was not you, you can ignore this email: nothing has changed.")
    return render_template("accounts/confirm_sent.html", email=email)


def _send_confirmation(user) -> None:
    token = accounts.make_confirmation_token(user, current_app.config["SECRET_KEY"])
    send_email_in_background(
        user.email, "Confirm your email address for the Opportunity Portal",
        f"Use this link to confirm your email address and start using your account. It works for "
        f"{accounts.CONFIRMATION_DAYS} days:\n\n{external_url('accounts.confirm_email', token=token)}\n\n"
        "If you did not create an account, you can ignore this email.")


@bp.get("/confirm-email/<token>")
def confirm_email(token: str):
    user = accounts.confirm_email(get_session(), token, current_app.config["SECRET_KEY"])
    if user is None:
        return render_template("accounts/confirm_invalid.html"), 400
    _start_session(user)
    can = ("say what problems mean to you" if user.role == Role.RESIDENT
           else "register interest, ask questions and book events")
    flash(f"Your email address is confirmed and your account is ready. You can now {can}.", "success")
    return redirect(_home(user), 303)


@bp.post("/confirm-email/resend")
@login_required
@limiter.limit("5 per hour", error_message="Too many new links asked for")
def resend_confirmation():
    """A new confirmation link for the signed-in person, who goes back to the page they were on."""
    if not ActionForm().validate_on_submit():
        abort(400)
    if current_user.email_confirmed_at is None:
        _send_confirmation(current_user)
        flash(f"We have sent a new link to {current_user.email}. It works for {accounts.CONFIRMATION_DAYS} days.",
              "success")
    else:
        flash("Your email address is already confirmed.", "success")
    return redirect(_safe_next(_home(current_user)), 303)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per minute; 100 per hour", methods=["POST"], error_message="Too many sign-in attempts")
@limiter.limit("5 per minute; 20 per hour", methods=["POST"], key_func=sign_in_account_key,
               error_message="Too many sign-in attempts")
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(get_session(), form.email.data, form.password.data)
        if user is not None and user.email_confirmed_at is None:
            _send_confirmation(user)
            form.email.errors.append("Confirm your email address first: we have sent you a new link")
        elif user is not None:
            _start_session(user)
            return redirect(_safe_next(_home(user)), 303)
        else:  # the same message whether or not the email has an account
            form.email.errors.append("Enter a correct email address and password")
    return render_template("accounts/sign_in.html", form=form), 400 if form.errors else 200


@bp.post("/sign-out")
def sign_out():
    """Ends every session of this person, on every device, not only this one."""
    if current_user.is_authenticated:
        accounts.end_sessions(get_session(), current_user)
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("home.index"), 303)


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit("5 per minute; 20 per hour", methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = accounts.find_user(get_session(), form.email.data)
        if user is not None:
            token = accounts.make_reset_token(user, current_app.config["SECRET_KEY"])
            link = external_url("accounts.reset_password", token=token)
            hours = current_app.config["PASSWORD_RESET_HOURS"]
            send_email_in_background(user.email, "Reset your Opportunity Portal password",
                       f"Use this link to choose a new password. It works once, for {_hours(hours)}:\n\n{link}\n\n"
                       "If you did not ask to reset your password, you can ignore this email.")
        # The same answer whether or not the email has an account.
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/request_reset.html", form=form), 400 if form.errors else 200


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    db = get_session()
    user = accounts.user_for_reset_token(db, token, current_app.config["SECRET_KEY"],
                                          current_app.config["PASSWORD_RESET_HOURS"] * 3600)
    if user is None:
        return render_template("accounts/reset_invalid.html"), 400
    form = NewPasswordForm(context_words=(user.email, user.name))
    if form.validate_on_submit():
        accounts.set_password(db, user, form.password.data)
        logout_user()
        session.clear()
        flash("Your password has been changed, and you have been signed out everywhere. Sign in with your new "
              "password.", "success")
        return redirect(url_for("accounts.sign_in"), 303)
    return render_template("accounts/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/organisation", methods=["GET", "POST"])
@supplier_required
def organisation():
    db = get_session()
    organisation = db.get(Organisation, current_user.organisation_id)
    form = ProfileForm(obj=None if request.method == "POST" else _form_data(organisation))
    if form.validate_on_submit():
        accounts.update_organisation(db, organisation, _details(form), _bidding_details(form))
        flash("Your organisation's profile has been saved.", "success")
        return redirect(url_for("accounts.organisation"), 303)
    messaging_form = MessagingSettingForm(  # a form of its own: not filled from the profile form's post
        formdata=None, data={"accepts_messages": partner_messages.setting(db, organisation.id).accepts_messages})
    return render_template("accounts/organisation.html", form=form, organisation=organisation,
                           messaging_form=messaging_form), 400 if form.errors else 200


def _bidding_details(form: ProfileForm) -> accounts.BiddingDetails:
    return accounts.BiddingDetails(
        turnover_band=form.turnover_band.data or None, staff_count=form.staff_count.number,
        insurance=form.insurance(), accreditations=form.accreditations.data or [],
        joins_consortia=CONSORTIUM_ANSWERS.get(form.joins_consortia.data),
    )


def _form_data(organisation: Organisation) -> SimpleNamespace:
    bidding = accounts.bidding_details(organisation)
    return SimpleNamespace(
        organisation_name=organisation.name, size=organisation.size, legal_form=organisation.legal_form,
        registration_number=organisation.registration_number, regions_served=organisation.regions_served,
        capabilities=organisation.capabilities, website=organisation.website, one_line=organisation.one_line,
        turnover_band=bidding.turnover_band,
        staff_count=None if bidding.staff_count is None else str(bidding.staff_count),
        **{insurance_field_name(kind): f"£{amount:,}" for kind, amount in bidding.insurance.items()},
        accreditations=bidding.accreditations,
        joins_consortia={True: "yes", False: "no"}.get(bidding.joins_consortia),
    )


@bp.route("/organisation/invite", methods=["GET", "POST"])
@supplier_required
@limiter.limit("20 per hour", methods=["POST"])
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        db = get_session()
        token = accounts.invite_colleague(db, current_user, form.email.data)
        organisation = db.get(Organisation, current_user.organisation_id)
        send_email(form.email.data, f"Join {organisation.name} on the Opportunity Portal",
                   f"{current_user.name} has invited you to join {organisation.name} on the Opportunity Portal.\n\n"
                   f"Use this link within {accounts.INVITATION_DAYS} days:\n\n{external_url('accounts.join', token=token)}")
        flash(f"We have sent an invitation to {form.email.data}.", "success")
        return redirect(url_for("accounts.organisation"), 303)
    return render_template("accounts/invite.html", form=form), 400 if form.errors else 200


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    db = get_session()
    invitation = accounts.open_invitation(db, token)
    if invitation is None:
        abort(404)
    organisation = db.get(Organisation, invitation.organisation_id)
    form = JoinForm(context_words=(invitation.email, organisation.name))
    if form.validate_on_submit():
        user = accounts.accept_invitation(db, invitation, form.name.data, form.password.data)
        if user is None:
            flash("An account already uses this email address. Sign in instead.", "info")
            return redirect(url_for("accounts.sign_in"), 303)
        _start_session(user)
        flash(f"Welcome. You have joined {organisation.name}.", "success")
        return redirect(_home(user), 303)
    return render_template("accounts/join.html", form=form, invitation=invitation, organisation=organisation), \
        400 if form.errors else 200
