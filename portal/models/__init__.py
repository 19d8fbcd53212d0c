"""Database tables, one module per area. Import them from here."""

from portal.models.accounts import Invitation, Role, SupplierType, User
from portal.models.catalogue import (
    BuyerType,
    ChallengePhase,
    GlossaryTerm,
    GuidancePage,
    MAX_POUNDS,
    Mission,
    Opportunity,
    OpportunityKind,
    OpportunityMission,
    OpportunityOutcome,
    OpportunityRegion,
    OpportunityVersion,
    Organisation,
    OrganisationKind,
    Outcome,
    Source,
    Stage,
    Status,
    utcnow,
)
from portal.models.engagement import (
    AlertDelivery,
    Booking,
    BookingStatus,
    EngagementEvent,
    EventKind,
    Follow,
    Interest,
    Notification,
    Question,
    SavedSearch,
)
from portal.models.search import SearchBacklog, SearchEntry, SearchWord
from portal.models.sounding import MarketAnswer, MarketQuestion

__all__ = [
    "AlertDelivery", "SearchBacklog", "SearchEntry", "SearchWord", "Booking", "BookingStatus", "BuyerType", "ChallengePhase", "EngagementEvent", "EventKind",
    "Follow", "GlossaryTerm", "GuidancePage", "Interest", "Invitation", "MAX_POUNDS", "Mission", "Notification", "Opportunity",
    "OpportunityKind", "OpportunityMission", "OpportunityOutcome", "OpportunityRegion", "OpportunityVersion", "Organisation",
    "OrganisationKind", "Outcome", "Question", "Role", "SavedSearch", "Source", "Stage", "Status", "SupplierType", "User",
    "utcnow",
    "MarketAnswer", "MarketQuestion",
]
