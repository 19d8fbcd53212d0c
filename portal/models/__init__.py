"""Database tables, one module per area. Import them from here."""

from portal.models.accounts import Invitation, LegalForm, OrganisationSize, Role, UpdateEmails, User, is_sme, is_vcse
from portal.models.awards import KPI, Award, AwardStatus, AwardSupplier, KPIResult, Rating
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
    QuestionStatus,
    SavedSearch,
)
from portal.models.meetings import MeetingSlot
from portal.models.messages import Conversation, MessagingSetting, PartnerMessage
from portal.models.review import PreviewLink, ReviewEvent, ReviewState, ReviewStep, StaffRole
from portal.models.search import SearchBacklog, SearchEntry, SearchWord
from portal.models.sounding import MarketAnswer, MarketQuestion
from portal.models.stop_notices import StopKind, StopNotice
from portal.models.voice import Contribution, ContributionReport, ContributionStatus, MattersToMe, WhatChanged

__all__ = [
    "Award", "AwardStatus", "AwardSupplier", "KPI", "KPIResult", "Rating",
    "AlertDelivery", "SearchBacklog", "SearchEntry", "SearchWord", "Booking", "BookingStatus", "BuyerType", "ChallengePhase", "EngagementEvent", "EventKind",
    "Follow", "GlossaryTerm", "GuidancePage", "Interest", "Invitation", "LegalForm", "MAX_POUNDS", "MeetingSlot", "Mission", "Notification", "Opportunity",
    "OpportunityKind", "OpportunityMission", "OpportunityOutcome", "OpportunityRegion", "OpportunityVersion", "Organisation",
    "OrganisationKind", "OrganisationSize", "Outcome", "Question", "QuestionStatus", "Role", "SavedSearch", "Source", "Stage", "Status",
    "UpdateEmails", "User", "is_sme", "is_vcse", "utcnow",
    "Conversation", "MessagingSetting", "PartnerMessage",
    "MarketAnswer", "MarketQuestion",
    "StopKind", "StopNotice",
    "Contribution", "ContributionReport", "ContributionStatus", "MattersToMe", "WhatChanged",
    "PreviewLink", "ReviewEvent", "ReviewState", "ReviewStep", "StaffRole",
]
