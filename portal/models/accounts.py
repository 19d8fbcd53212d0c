"""People who sign in, invitations to join an organisation, and what a supplier organisation says it is."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class Role(StrEnum):
    SUPPLIER = "supplier"
    BUYER = "buyer"
    ADMIN = "admin"
    RESIDENT = "resident"  # takes part in residents' voice; belongs to no organisation


class UpdateEmails(StrEnum):
    """How often buyers' staff are emailed about new interest, questions and bookings."""
    INSTANT = "instant"
    DAILY = "daily"
    NEVER = "never"


class OrganisationSize(StrEnum):
    """A supplier organisation's size, as UK public buyers count it (see SIZE_HINTS in portal/forms/accounts.py)."""
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class LegalForm(StrEnum):
    """What kind of body a supplier organisation is in law."""
    COMPANY = "company"
    COMMUNITY_INTEREST_COMPANY = "community-interest-company"
    CHARITY = "charity"
    CHARITABLE_INCORPORATED_ORGANISATION = "charitable-incorporated-organisation"
    CO_OPERATIVE = "co-operative"
    MUTUAL = "mutual"
    COMMUNITY_GROUP = "community-group"  # a voluntary or community group that is not registered
    SOLE_TRADER = "sole-trader"
    OTHER = "other"


SME_SIZES = frozenset({OrganisationSize.MICRO, OrganisationSize.SMALL, OrganisationSize.MEDIUM})
# Voluntary, community and social enterprise organisations: the legal forms that exist for a social purpose.
VCSE_FORMS = frozenset({
    LegalForm.COMMUNITY_INTEREST_COMPANY, LegalForm.CHARITY, LegalForm.CHARITABLE_INCORPORATED_ORGANISATION,
    LegalForm.CO_OPERATIVE, LegalForm.MUTUAL, LegalForm.COMMUNITY_GROUP,
})


def is_sme(size: str | None) -> bool:
    """A size not given yet (None) does not count as an SME."""
    return size in SME_SIZES


def is_vcse(legal_form: str | None) -> bool:
    """A legal form not given yet (None), "other", a company or a sole trader does not count as a VCSE."""
    return legal_form in VCSE_FORMS


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, index=True, max_length=320)  # stored lower-case
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=300)
    role: str = Field(default=Role.SUPPLIER, max_length=20)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_dashboard_visit: datetime | None = None
    # None until the person follows the link emailed when they signed up.
    email_confirmed_at: datetime | None = None
    # Part of the session's user id: moving it on ends every session of this person (sign-out, new password).
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Buyers' staff choose; suppliers' updates go out with every send-alerts run whatever this says.
    update_emails: str = Field(default=UpdateEmails.INSTANT, max_length=10, sa_column_kwargs={"server_default": "instant"})
    # Buyers' staff only: a review.StaffRole. Editors write and submit for review; publishers approve and publish.
    staff_role: str = Field(default="publisher", max_length=20, sa_column_kwargs={"server_default": "publisher"})

    # Flask-Login's user interface
    is_active: bool = True
    is_anonymous: bool = False
    is_authenticated: bool = True

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class Invitation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    email: str = Field(max_length=320)
    invited_by_id: int = Field(foreign_key="user.id")
    role: str = Field(default=Role.SUPPLIER, max_length=20)  # buyers' staff are invited by an administrator
    staff_role: str = Field(default="publisher", max_length=20, sa_column_kwargs={"server_default": "publisher"})
    token_hash: str = Field(unique=True, max_length=64)  # sha256 of the emailed token
    created_at: datetime = Field(default_factory=utcnow)
    accepted_at: datetime | None = None
