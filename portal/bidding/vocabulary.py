"""The fixed choices behind "can we bid?" facts and suppliers' profiles, each with the words people see."""

from enum import StrEnum


class ValueBasis(StrEnum):
    """Whether a value range is for the whole contract or for each year of it."""
    TOTAL = "total"
    PER_YEAR = "per-year"


class InsuranceKind(StrEnum):
    EMPLOYERS_LIABILITY = "employers-liability"
    PUBLIC_LIABILITY = "public-liability"
    PROFESSIONAL_INDEMNITY = "professional-indemnity"


INSURANCE_LABELS = {
    "employers-liability": "Employer's liability insurance",
    "public-liability": "Public liability insurance",
    "professional-indemnity": "Professional indemnity insurance",
}
INSURANCE_HINTS = {
    "employers-liability": "covers claims from your own staff; the law asks most employers to hold at least £5 million",
    "public-liability": "covers claims from the public for injury or damage caused by your work",
    "professional-indemnity": "covers claims that your advice or design was wrong and cost someone money",
}

# Registrations and certificates buyers most often ask for. A buyer may name others in plain words.
ACCREDITATIONS = {
    "cqc": ("Registered with the Care Quality Commission (CQC)", "needed to provide regulated health or social care in England"),
    "ofsted": ("Registered with Ofsted", "needed to run childcare or children's homes in England"),
    "cyber-essentials": ("Cyber Essentials", "a government-backed certificate that you protect your computers against common attacks"),
    "cyber-essentials-plus": ("Cyber Essentials Plus", "Cyber Essentials with an independent test of your systems"),
    "enhanced-dbs": ("Enhanced DBS checks for staff", "criminal record checks for people who work with children or adults at risk"),
    "iso-9001": ("ISO 9001 (quality management)", "a certificate that you manage the quality of your work in a set way"),
    "iso-14001": ("ISO 14001 (environmental management)", "a certificate that you manage your effect on the environment"),
    "iso-27001": ("ISO 27001 (information security)", "a certificate that you keep information safe"),
    "food-hygiene-5": ("Food hygiene rating of 5", "the top rating from your local council's food safety inspection"),
    "chas": ("CHAS or another health and safety scheme (SSIP)", "shows you manage health and safety on site"),
    "living-wage-employer": ("Accredited Living Wage Employer", "you pay staff at least the real Living Wage set by the Living Wage Foundation"),
    "waste-carrier": ("Registered waste carrier", "needed to carry other people's waste"),
    "mcs": ("MCS certified installer", "needed to fit heat pumps and solar panels that qualify for grants"),
    "trustmark": ("TrustMark registered", "needed for many government-funded home improvement schemes"),
}


class TurnoverBand(StrEnum):
    """A supplier's annual turnover, as a band: suppliers rarely want to give the exact figure."""
    UNDER_100K = "under-100k"
    FROM_100K_TO_500K = "100k-500k"
    FROM_500K_TO_2M = "500k-2m"
    FROM_2M_TO_10M = "2m-10m"
    FROM_10M_TO_50M = "10m-50m"
    OVER_50M = "over-50m"


# Each band's lowest and highest turnover in pounds (None: no upper limit).
TURNOVER_BOUNDS = {
    "under-100k": (0, 99_999),
    "100k-500k": (100_000, 499_999),
    "500k-2m": (500_000, 1_999_999),
    "2m-10m": (2_000_000, 9_999_999),
    "10m-50m": (10_000_000, 49_999_999),
    "over-50m": (50_000_000, None),
}
TURNOVER_LABELS = {
    "under-100k": "Under £100,000",
    "100k-500k": "£100,000 to £499,999",
    "500k-2m": "£500,000 to £1,999,999",
    "2m-10m": "£2 million to £9,999,999",
    "10m-50m": "£10 million to £49,999,999",
    "over-50m": "£50 million or more",
}


class PaymentFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    MILESTONES = "milestones"
    ON_DELIVERY = "on-delivery"


PAYMENT_FREQUENCY_LABELS = {
    "monthly": "every month",
    "quarterly": "every three months",
    "milestones": "when agreed stages of the work are done",
    "on-delivery": "when the work or goods are delivered",
}


class Tupe(StrEnum):
    """Whether staff are likely to move to the new supplier under TUPE."""
    LIKELY = "likely"
    UNLIKELY = "unlikely"
    NOT_KNOWN = "not-known"


TUPE_LABELS = {
    "likely": "Likely: staff doing this work now may move to the new supplier, keeping their terms",
    "unlikely": "Unlikely: no staff are expected to move to the new supplier",
    "not-known": "Not known yet",
}


class Reserved(StrEnum):
    """Who a contract may be reserved for under the Procurement Act 2023."""
    VCSE = "vcse"
    SME_OR_VCSE = "sme-or-vcse"  # below-threshold contracts only
    SUPPORTED_EMPLOYMENT = "supported-employment"
    PUBLIC_SERVICE_MUTUAL = "public-service-mutual"


RESERVED_LABELS = {
    "vcse": "Voluntary, community and social enterprise organisations (VCSEs)",
    "sme-or-vcse": "Small and medium-sized firms (SMEs) and VCSEs",
    "supported-employment": "Supported employment providers (where at least a quarter of staff are disabled or disadvantaged)",
    "public-service-mutual": "Public service mutuals",
}
# The codes OCDS uses for each (otherRequirements extension, with "smeVcse" from the UK extension; the codelist is
# open, so "vcse" stands for a contract reserved to VCSEs alone).
RESERVED_OCDS_CODES = {"vcse": "vcse", "sme-or-vcse": "smeVcse", "supported-employment": "shelteredWorkshop", "public-service-mutual": "publicServiceMissionOrganization"}


class CriterionType(StrEnum):
    PRICE = "price"
    QUALITY = "quality"
    SOCIAL_VALUE = "social-value"


CRITERION_TYPE_LABELS = {"price": "Price", "quality": "Quality", "social-value": "Social value"}

# Reservations a VCSE may bid under.
OPEN_TO_VCSES = frozenset({Reserved.VCSE, Reserved.SME_OR_VCSE})
