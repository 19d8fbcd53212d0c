"""Accounts: sign-up, sign-in, password reset and invitations. Passwords are only ever stored hashed."""

import hashlib
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal.clock import as_utc
from portal.services import interest
from portal.slugs import unique_slug
from portal.models import Invitation, Organisation, OrganisationKind, Role, User, utcnow

INVITATION_DAYS = 14
CONFIRMATION_DAYS = 3
# How passwords are hashed: werkzeug's scrypt unless the app's PASSWORD_HASH_METHOD says otherwise (create_app sets
# it for the process; only the tests choose a cheaper one). Existing hashes are checked by the method they name.
_hash_method = "scrypt"
# Checked against when no account matches, so a wrong email takes as long as a wrong password (one per method).
_dummy_hashes: dict[str, str] = {}


def use_password_hash_method(method: str) -> None:
    global _hash_method
    generate_password_hash("", method=method)  # an unknown method fails here, when the app starts
    _hash_method = method


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_hash_method)


def _dummy_hash() -> str:
    if _hash_method not in _dummy_hashes:
        _dummy_hashes[_hash_method] = hash_password("not a real password")
    return _dummy_hashes[_hash_method]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


@dataclass(frozen=True)
class SupplierDetails:
    organisation_name: str
    size: str
    legal_form: str
    registration_number: str | None
    regions_served: list[str]
    capabilities: list[str]
    website: str | None
    one_line: str


def apply_supplier_details(organisation: Organisation, details: SupplierDetails) -> None:
    organisation.name = details.organisation_name
    organisation.size = details.size
    organisation.legal_form = details.legal_form
    organisation.registration_number = details.registration_number or None
    organisation.regions_served = list(details.regions_served)
    organisation.region = details.regions_served[0] if details.regions_served else ""
    organisation.capabilities = list(details.capabilities)
    organisation.website = details.website or None
    organisation.one_line = details.one_line
    organisation.updated_at = utcnow()


def sign_up_supplier(session: Session, name: str, email: str, password: str, details: SupplierDetails) -> User | None:
    """Create a person and their organisation in one transaction, to be confirmed by email. None if the email is
    already registered."""
    if find_user(session, email) is not None:
        return None
    organisation = Organisation(slug=unique_slug(session, Organisation, details.organisation_name, "organisation"), name="", kind=OrganisationKind.SUPPLIER,
                                org_type="", region="")
    apply_supplier_details(organisation, details)
    session.add(organisation)
    session.flush()
    user = User(email=normalise_email(email), name=name.strip(), password_hash=hash_password(password),
                role=Role.SUPPLIER, organisation_id=organisation.id)
    session.add(user)
    session.commit()
    return user


@dataclass(frozen=True)
class BiddingDetails:
    """What "How you match" compares with an opportunity's conditions. None or empty where not given."""
    turnover_band: str | None
    staff_count: int | None
    insurance: dict[str, int]  # kind -> amount in pounds
    accreditations: list[str]
    joins_consortia: bool | None


def bidding_details(organisation: Organisation) -> BiddingDetails:
    insurance = {item["kind"]: item["amount"] for item in organisation.insurance or []
                 if isinstance(item, dict) and "kind" in item and "amount" in item}
    return BiddingDetails(organisation.turnover_band, organisation.staff_count, insurance,
                          list(organisation.accreditations or []), organisation.joins_consortia)


def has_bidding_details(organisation: Organisation) -> bool:
    return bidding_details(organisation) != BiddingDetails(None, None, {}, [], None)


def update_organisation(session: Session, organisation: Organisation, details: SupplierDetails,
                        bidding: BiddingDetails | None = None) -> None:
    apply_supplier_details(organisation, details)
    if bidding is not None:
        organisation.turnover_band = bidding.turnover_band
        organisation.staff_count = bidding.staff_count
        organisation.insurance = [{"kind": kind, "amount": amount} for kind, amount in bidding.insurance.items()]
        organisation.accreditations = list(bidding.accreditations)
        organisation.joins_consortia = bidding.joins_consortia
    session.add(organisation)
    session.commit()


# Password reset: the token carries a fingerprint of the current password hash, so it stops
# working as soon as the password changes (single use) and after PASSWORD_RESET_HOURS (time limit).

def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="password-reset")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"user": user.id, "fp": _fingerprint(user)})


def user_for_reset_token(session: Session, token: str, secret_key: str, max_age_seconds: int) -> User | None:
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age_seconds)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = session.get(User, data.get("user")) if isinstance(data.get("user"), int) else None
    if user is None or data.get("fp") != _fingerprint(user):
        return None
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """A new password ends every session of the person. The emailed reset link proves the address too."""
    user.password_hash = hash_password(password)
    _mark_confirmed(session, user)
    user.session_version += 1
    session.add(user)
    session.commit()


def end_sessions(session: Session, user: User) -> None:
    """Sign the person out everywhere: every session cookie they hold stops working."""
    user.session_version += 1
    session.add(user)
    session.commit()


def pretend_to_hash(password: str) -> None:
    """Take as long as making an account does, when no account is made."""
    hash_password(password)


# Confirming an email address: the link carries the user and the address, signed, for CONFIRMATION_DAYS.

def _confirmation_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="confirm-email")


def make_confirmation_token(user: User, secret_key: str) -> str:
    return _confirmation_serializer(secret_key).dumps({"user": user.id, "email": user.email})


def confirm_email(session: Session, token: str, secret_key: str) -> User | None:
    """The person the link was sent to, now confirmed; None for a link that is wrong or too old."""
    try:
        data = _confirmation_serializer(secret_key).loads(token, max_age=CONFIRMATION_DAYS * 86400)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    user = session.get(User, data["user"])
    if user is None or user.email != data.get("email"):
        return None
    if user.email_confirmed_at is None:
        _mark_confirmed(session, user)
        session.add(user)
        session.commit()
    return user


def _mark_confirmed(session: Session, user: User) -> None:
    """The address is proven: what the person already sent to buyers can now be shown to them."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        interest.announce_confirmed(session, user)


# Invitations: the emailed token is random; only its hash is stored.

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_colleague(session: Session, inviter: User, email: str) -> str:
    """A colleague joins with the inviter's role, and for buyers' staff the inviter's staff role, so an editor
    cannot make a publisher; a publisher can change a colleague's role afterwards."""
    return invite(session, inviter, inviter.organisation_id, email, Role(inviter.role), inviter.staff_role)


def invite(session: Session, inviter: User, organisation_id: int, email: str, role: Role,
           staff_role: str = "publisher") -> str:
    """An emailed invitation to join an organisation with a role (and for buyers' staff, a review.StaffRole);
    returns the token for the link."""
    token = secrets.token_urlsafe(32)
    session.add(Invitation(organisation_id=organisation_id, email=normalise_email(email), invited_by_id=inviter.id,
                           token_hash=_token_hash(token), role=role, staff_role=staff_role))
    session.commit()
    return token


def create_admin(session: Session, email: str, name: str, password: str) -> User | None:
    if find_user(session, email) is not None:
        return None
    user = User(email=normalise_email(email), name=name.strip(), password_hash=hash_password(password), role=Role.ADMIN,
                email_confirmed_at=utcnow())
    session.add(user)
    session.commit()
    return user


def open_invitation(session: Session, token: str) -> Invitation | None:
    invitation = session.exec(select(Invitation).where(Invitation.token_hash == _token_hash(token))).first()
    if invitation is None or invitation.accepted_at is not None:
        return None
    if (utcnow() - as_utc(invitation.created_at)).days >= INVITATION_DAYS:
        return None
    return invitation


def accept_invitation(session: Session, invitation: Invitation, name: str, password: str) -> User | None:
    if find_user(session, invitation.email) is not None:
        return None
    user = User(email=invitation.email, name=name.strip(), password_hash=hash_password(password),
                role=invitation.role, staff_role=invitation.staff_role, organisation_id=invitation.organisation_id,
                email_confirmed_at=utcnow())  # the invitation came to this address
    invitation.accepted_at = utcnow()
    session.add_all([user, invitation])
    session.commit()
    return user


def sign_up_resident(session: Session, display_name: str, email: str, password: str) -> User | None:
    """A resident takes part in residents' voice and belongs to no organisation. Like every account it is confirmed
    by email before it can be used. None if the email is already registered."""
    if find_user(session, email) is not None:
        return None
    user = User(email=normalise_email(email), name=display_name.strip(), password_hash=hash_password(password),
                role=Role.RESIDENT)
    session.add(user)
    session.commit()
    return user
