"""Signing in: Flask-Login for the session, Flask-Limiter for attempts, and role checks."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user

from portal.db import get_session
from portal.models import Role, User
from portal.security.requests import LARGEST_ID

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

limiter = Limiter(key_func=get_remote_address, default_limits=[])


@login_manager.user_loader
def load_user(session_user_id: str) -> User | None:
    """The person a session belongs to, while the session's version is still theirs (see User.get_id)."""
    user_id, _, version = session_user_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or int(user_id) > LARGEST_ID:
        return None
    user = get_session().get(User, int(user_id))
    return user if user is not None and user.session_version == int(version) else None


def sign_in_account_key() -> str:
    """Sign-in attempts are also counted per account, so one person's guessing can't lock out everyone behind
    the same address, and many addresses can't guess one password."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:320]


def role_required(role: Role):
    """Signed in with this role and, for suppliers and buyers, an organisation; everyone else is sent to sign in or
    refused."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for(login_manager.login_view, next=_return_path()))
            if current_user.role != role or (role in (Role.SUPPLIER, Role.BUYER) and current_user.organisation_id is None):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


supplier_required = role_required(Role.SUPPLIER)
buyer_required = role_required(Role.BUYER)
admin_required = role_required(Role.ADMIN)
resident_required = role_required(Role.RESIDENT)


def _return_path() -> str:
    """Where to come back to after signing in: this page, or for a form post the page the form was on."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return "/"


def init_app(app) -> None:
    login_manager.init_app(app)
    limiter.init_app(app)
