"""People who sign in, and invitations to join an organisation."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portal.models.catalogue import utcnow


class Role(StrEnum):
    SUPPLIER = "supplier"
    BUYER = "buyer"
    ADMIN = "admin"


class UpdateEmails(StrEnum):
    """How often buyers' staff are emailed about new interest, questions and bookings."""
    INSTANT = "instant"
    DAILY = "daily"
    NEVER = "never"


class SupplierType(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    CHARITY = "charity"
    SOCIAL_ENTERPRISE = "social-enterprise"
    COMMUNITY_INTEREST_COMPANY = "community-interest-company"
    COMMUNITY_GROUP = "community-group"

    @property
    def is_vcse(self) -> bool:
        return self in VCSE_TYPES

    @property
    def is_sme(self) -> bool:
        return self in (SupplierType.MICRO, SupplierType.SMALL, SupplierType.MEDIUM)


VCSE_TYPES = frozenset({
    SupplierType.CHARITY, SupplierType.SOCIAL_ENTERPRISE, SupplierType.COMMUNITY_INTEREST_COMPANY,
    SupplierType.COMMUNITY_GROUP,
})


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
    token_hash: str = Field(unique=True, max_length=64)  # sha256 of the emailed token
    created_at: datetime = Field(default_factory=utcnow)
    accepted_at: datetime | None = None
