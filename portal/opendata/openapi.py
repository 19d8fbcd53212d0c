"""The OpenAPI 3.1 description of the JSON API and the data files, written by hand.

The API checks query parameters against this description (api_params.check_parameters), so the server accepts
exactly what it says. Values that come from the portal's data (missions, buyers) are listed as they are now.
"""

from portal import reference
from portal.bidding.facts import MAX_LOTS
from portal.bidding.social_value import OUTCOMES, THEMES
from portal.bidding.vocabulary import (
    ACCREDITATIONS,
    CriterionType,
    InsuranceKind,
    PaymentFrequency,
    Reserved,
    Tupe,
    ValueBasis,
)
from portal.models import OpportunityKind, Rating, Source, Stage
from portal.search.query import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    NO_MINIMUM,
    PROMPT_PAYMENT_DAYS,
    SORTS,
)
from portal.services.open_data import RELEASES_PER_PAGE
from portal.slugs import SLUG_PATTERN
from portal.web.params import MAX_PAGE

JSON = "application/json"
OPEN_TO_ALL_SITES = {"Access-Control-Allow-Origin": {
    "description": "Always *: any website may read the response.", "schema": {"type": "string", "const": "*"}}}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _one_of(values, **extra) -> dict:
    # An empty enum is not valid JSON Schema; with nothing to choose from, no value is accepted.
    return {"type": "string", "enum": list(values), **extra} if values else {"type": "string", "not": {}}


def _page(description: str) -> dict:
    return _query("page", description, {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1})


def _slug_path(description: str) -> dict:
    return {"name": "slug", "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": SLUG_PATTERN}}


def _response(description: str, media_type: str, schema: dict) -> dict:
    return {"description": description, "headers": OPEN_TO_ALL_SITES, "content": {media_type: {"schema": schema}}}


def _json_response(description: str, ref: str) -> dict:
    return _response(description, JSON, {"$ref": f"#/components/schemas/{ref}"})


RELEASE_PAGE_PARAMETERS = [_page("Page number, from 1. A page past the last one is 404.")]


def search_parameters(choices: dict[str, dict[str, str]]) -> list[dict]:
    """The search's query parameters. `choices` comes from services.search.filter_choices()."""
    return [
        _query("q", f"Words to search for, up to {MAX_QUERY_LENGTH} characters.",
               {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH}),
        _query("kind", "Kind of opportunity.", _one_of(choices["kind"])),
        _query("stage", "Stage of the procurement.", _one_of(choices["stage"])),
        _query("mission", "A mission's slug, as in /missions/<slug>.", _one_of(choices["mission"])),
        _query("buyer", "A buyer's slug, as in /buyers/<slug>.", _one_of(choices["buyer"])),
        _query("region", "Where the work is: an ITL1 region code.", _one_of(choices["region"])),
        _query("area", "Where the work is: a local authority's code (mySociety's list, as in the search page's "
                       "council area filter). A county's work is found from its districts and the other way round.",
               _one_of(choices["area"])),
        _query("cpv", "Type of work: a two-digit division of the CPV 2008 list, such as 85 for health and social "
                      "work services. Only the divisions in that list are accepted.",
               _one_of(sorted(choices["cpv"]))),
        _query("value", "Value band.", _one_of(choices["value"])),
        _query("sme", "yes: only opportunities suitable for small and medium-sized firms.", _one_of(["yes"])),
        _query("vcse", "yes: only opportunities suitable for charities and social enterprises.", _one_of(["yes"])),
        _query("closing", "Engagement closes within this many days.", _one_of(choices["closing"])),
        _query("source", "Where it was published: on this portal, or a copy of a Contracts Finder or Find a Tender "
                         "notice.", _one_of(choices["source"])),
        _query("lot_value", "Whole pounds: only opportunities with a lot worth at most this much (its highest value, "
                            "over the whole contract where the value is given a year and the length is known), or, "
                            "with no lots, worth at most this much themselves. A value not stated never matches.",
               _one_of(choices["lot_value"])),
        _query("min_turnover", f"{NO_MINIMUM}: only opportunities asking for no minimum yearly turnover. Whole pounds: "
                               "only those asking for at most this much, or for none.",
               _one_of(choices["min_turnover"])),
        _query("social_value", "A theme of the UK Social Value Model: only opportunities with a social value ask "
                               "in it.", _one_of(choices["social_value"])),
        _query("consortia", "yes: only opportunities that welcome groups of organisations bidding together.",
               _one_of(["yes"])),
        _query("reserved_vcse", "yes: only opportunities reserved for charities and social enterprises (VCSEs), alone "
                                "or with small and medium-sized firms.", _one_of(["yes"])),
        _query("pays_within_30", f"yes: only opportunities whose buyer pays invoices within {PROMPT_PAYMENT_DAYS} "
                                 "days.", _one_of(["yes"])),
        _query("closed", "yes: include opportunities that are closed, awarded or cancelled. Without it only those "
                         "planned, open for engagement or open for bids are listed.", _one_of(["yes"])),
        _query("sort", "Order of results.", _one_of(SORTS, default="relevance")),
        _page("Page number, from 1. A page past the last one is 404."),
        _query("size", "Results per page.",
               {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}),
    ]


def _object(properties: dict, required=None, **extra) -> dict:
    """An object with exactly these properties: every one is required unless `required` says otherwise."""
    return {"type": "object", "required": list(properties if required is None else required),
            "properties": properties, "additionalProperties": False, **extra}


STRING = {"type": "string"}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
POUNDS = {"type": ["integer", "null"], "minimum": 0}
NULLABLE_BOOLEAN = {"type": ["boolean", "null"], "description": "null: the buyer has not said."}
NULLABLE_STRING = {"type": ["string", "null"]}
VALUE_BASIS = {"type": "string", "enum": [b.value for b in ValueBasis],
               "description": "total: the value is for the whole contract; per-year: for each year of it."}
WHOLE_VALUE = {**_object({"min": POUNDS, "max": POUNDS}), "type": ["object", "null"],
               "description": "The whole contract's value: the value itself when it is a total, or a yearly value "
                              "times the contract's length. null when no value is stated, or when a yearly value's "
                              "length is not known."}


def _nullable_enum(values, description: str = "") -> dict:
    schema = {"type": ["string", "null"], "enum": [*values, None]}
    return schema | ({"description": description} if description else {})


CAN_WE_BID = _object({
    "lots": {"type": "array", "maxItems": MAX_LOTS, "items": _object({
        "number": {"type": "integer", "minimum": 1},
        "title": STRING,
        "description": STRING,
        "value": _object({"min": POUNDS, "max": POUNDS, "basis": VALUE_BASIS, "total": WHOLE_VALUE}),
        "contract_length_months": {"type": ["integer", "null"]},
        "regions": {"type": "array", "items": _object({"code": STRING, "name": STRING})},
    })},
    "max_lots_per_bidder": {"type": ["integer", "null"], "minimum": 1},
    "min_turnover": {**POUNDS, "description": "The lowest yearly turnover a supplier needs, in whole pounds."},
    "insurance": {"type": "array", "items": _object({
        "kind": {"type": "string", "enum": [k.value for k in InsuranceKind]}, "label": STRING,
        "amount": {"type": "integer", "minimum": 1, "description": "The lowest cover, in whole pounds."}})},
    "accreditations": {"type": "array", "items": _object({"slug": {"type": "string", "enum": list(ACCREDITATIONS)},
                                                          "label": STRING})},
    "other_accreditations": {**NULLABLE_STRING, "description": "Other accreditations, in the buyer's words."},
    "consortia_welcome": {**NULLABLE_BOOLEAN, "description": "Whether organisations may bid together as a group."},
    "may_combine": {**NULLABLE_BOOLEAN, "description": "Whether a group, or a supplier with subcontractors, may "
                                                       "meet the conditions together."},
    "payment_days": {"type": ["integer", "null"], "minimum": 0, "description": "Invoices are paid within this "
                                                                               "many days."},
    "payment_frequency": _nullable_enum([f.value for f in PaymentFrequency]),
    "e_invoicing": {**NULLABLE_BOOLEAN, "description": "Whether electronic invoices are accepted."},
    "tupe": _nullable_enum([t.value for t in Tupe], "Whether staff are likely to move to the new supplier (TUPE)."),
    "subcontracting_allowed": NULLABLE_BOOLEAN,
    "small_firm_share": {"type": ["integer", "null"], "minimum": 0, "maximum": 100,
                         "description": "The share of the value, in per cent, the buyer wants to go to SMEs or VCSEs."},
    "reserved_for": {"type": "array", "items": {"type": "string", "enum": [r.value for r in Reserved]},
                     "description": "Who the contract is reserved for; empty when it is open to all."},
    "split_for_small_suppliers": {**NULLABLE_BOOLEAN, "description": "Whether the contract is split to suit "
                                                                     "small suppliers."},
    "not_split_reason": NULLABLE_STRING,
    "criteria": {"type": "array", "description": "How bids will be judged; the weights add up to 100.",
                 "items": _object({"type": {"type": "string", "enum": [c.value for c in CriterionType]},
                                   "name": STRING, "description": STRING,
                                   "weight": {"type": "integer", "minimum": 0, "maximum": 100}})},
    "social_value": {"type": "array", "description": "What the buyer asks for, from the UK Social Value Model.",
                     "items": _object({
                         "theme": _object({"slug": {"type": "string", "enum": [t.slug for t in THEMES]},
                                           "name": STRING}),
                         "outcome": _object({"slug": {"type": "string", "enum": [o.slug for o in OUTCOMES]},
                                             "name": STRING}),
                         "mission": {**NULLABLE_STRING, "description": "One of the buyer's missions, by slug."},
                         "wish": STRING})},
}, description="Whether a small supplier can realistically bid. Empty lists and nulls mean the buyer has not said.")

SUMMARY_PROPERTIES = {
    "slug": STRING,
    "ocid": {"type": "string", "description": "Open Contracting identifier: one per procurement."},
    "kind": {"type": "string", "enum": [k.value for k in OpportunityKind]},
    "title": STRING,
    "summary": STRING,
    "buyer": _object({"slug": STRING, "name": STRING}),
    "missions": {"type": "array", "items": _object({"slug": STRING, "title": STRING, "short_title": STRING})},
    "regions": {"type": "array", "items": _object({"code": STRING, "name": STRING})},
    "cpv": _object({"code": STRING, "label": STRING}),
    "value": _object({"min": POUNDS, "max": POUNDS, "stated": {"type": "boolean"}, "basis": VALUE_BASIS,
                      "total": WHOLE_VALUE}, description="Whole pounds."),
    "published": NULLABLE_DATE,
    "engagement_closes": NULLABLE_DATE,
    "approach_to_market": {
        **_object({"financial_year_quarter": {"type": "string", "examples": ["2027-28 Q2"]},
                   "starts": DATE,
                   "label": {"type": "string", "examples": ["July to September 2027"]}}),
        "type": ["object", "null"], "description": "When the buyer expects to invite bids.",
    },
    "stage": {"type": "string", "enum": [s.value for s in Stage]},
    "suitable_for_sme": {"type": "boolean"},
    "suitable_for_vcse": {"type": "boolean"},
    "contract_length_months": {"type": ["integer", "null"]},
    "source": {"type": "string", "enum": [s.value for s in Source],
               "description": "portal, or the service a copied notice came from."},
    "source_url": {"type": ["string", "null"]},
    "updated": {"type": "string", "format": "date-time"},
    "links": _object({"self": URL, "page": URL, "ocds": URL}, required=["self", "page"],
                     description="ocds is there for opportunities published on this portal."),
}
DETAIL_PROPERTIES = {
    "why_markdown": {"type": "string", "description": "Why the buyer is buying this, in Markdown."},
    "brief_markdown": {"type": "string", "description": "The full brief, in Markdown."},
    "outcomes": {"type": "array", "items": _object({"slug": STRING, "title": STRING})},
    "can_we_bid": CAN_WE_BID,
    "phases": {"type": "array", "items": _object({"name": STRING, "starts": DATE, "ends": DATE, "funding": POUNDS,
                                                  "description": STRING})},
    "residents": _object({
        "matters": {"type": "integer", "minimum": 0, "description": "How many residents said this matters to them."},
        "comments": {"type": "integer", "minimum": 0, "description": "How many residents' comments are published."},
        "published_comments": {"type": "array", "items": _object({"text": STRING, "response": STRING}),
                               "description": "Each comment as the buyer's staff published it, with their official "
                                              "response (empty if none). Never a name or an email address."},
    }, description="What residents said, as counts and moderated text only."),
    "awards": {"type": "array", "description": "Who won, for how much, and the contract's KPIs with their results.",
               "items": _object({
                   "value": POUNDS, "currency": {"type": "string", "description": "ISO 4217 code: GBP unless an "
                                                 "imported notice states another currency (never converted)."},
                   "awarded_on": DATE, "contract_starts": NULLABLE_DATE,
                   "contract_ends": NULLABLE_DATE, "lot": NULLABLE_STRING,
                   "suppliers": {"type": "array", "items": _object({
                       "name": STRING,
                       "size": {"type": ["string", "null"], "enum": ["micro", "small", "medium", "large", None]},
                       "sme": NULLABLE_BOOLEAN, "vcse": NULLABLE_BOOLEAN, "region": NULLABLE_STRING})},
                   "kpis": {"type": "array", "items": _object({
                       "title": STRING, "measure": STRING, "unit": STRING, "target": {"type": "number"},
                       "frequency": STRING,
                       "results": {"type": "array", "items": _object({
                           "period_start": DATE, "period_end": DATE, "observed": {"type": "number"},
                           "rating": {"type": "string", "enum": [r.value for r in Rating]},
                           "rating_note": NULLABLE_STRING, "comment": STRING})}})},
               })},
}

SCHEMAS = {
    "Opportunity": _object(SUMMARY_PROPERTIES),
    "OpportunityDetail": _object(SUMMARY_PROPERTIES | DETAIL_PROPERTIES),
    "SearchResults": _object({
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Opportunity"}},
        "total": {"type": "integer", "minimum": 0, "description": "How many opportunities match, on every page."},
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "pages": {"type": "integer", "minimum": 1},
        "size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        "suggestion": {"type": ["string", "null"], "description": "A spelling suggestion for q, if any."},
        "links": _object({name: URL for name in ("self", "first", "last", "next", "prev")},
                         required=["self", "first", "last"]),
    }),
    "ReleasePackage": {
        "type": "object", "description": "An OCDS 1.1 release package; see the OCDS release package schema.",
        "required": ["uri", "version", "publishedDate", "publisher", "license", "publicationPolicy", "releases"],
        "properties": {
            "uri": URL, "version": {"type": "string", "const": "1.1"},
            "extensions": {"type": "array", "items": URL},
            "publishedDate": {"type": "string", "format": "date-time"},
            "publisher": {"type": "object", "required": ["name"], "properties": {"name": STRING, "uri": URL}},
            "license": URL, "publicationPolicy": URL,
            "releases": {"type": "array", "items": {"type": "object", "required": ["ocid", "id", "date", "tag"]}},
            "links": _object({"next": URL, "prev": URL}, required=[],
                             description=f"The pages either side, {RELEASES_PER_PAGE} releases a page."),
        },
    },
    "Errors": _object({"errors": {"type": "array", "minItems": 1, "items": _object(
        {"parameter": {"type": "string", "description": "The query parameter at fault, if it was one."},
         "message": {"type": "string", "description": "What was wrong, in plain words."},
         "allowed": {"type": "array", "items": STRING,
                     "description": "For a parameter with a list of values: every value it accepts."}},
        required=["message"])}}),
}


DESCRIPTION = f"""Read-only access to public-sector opportunities: the same search as the website, single \
opportunities, and the data files. No key is needed.

Query parameters are checked against this description. A value it does not allow is refused with 400 and an \
Errors body that names the parameter: that includes a parameter given with no value (leave it out instead) or \
given twice. Page numbers go up to {MAX_PAGE:,}; a page past the last one is 404.

Every address answers GET and HEAD (and OPTIONS, which lists them). Any other method gets 405 with an Allow \
header and an Errors body (components/responses/MethodNotAllowed). An address under /api/ that does not exist \
gets 404 with an Errors body. Every answer to GET carries Access-Control-Allow-Origin: *."""


def openapi_document(server_url: str, choices: dict[str, dict[str, str]]) -> dict:
    """`choices` comes from services.search.filter_choices(): the search filters' values as they are now."""
    bad_request = {"$ref": "#/components/responses/BadRequest"}
    not_found = {"$ref": "#/components/responses/NotFound"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Opportunity Portal open data",
            "version": "1.2.0",
            "description": DESCRIPTION,
            "license": {"name": "Open Government Licence v3.0",
                        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/opportunities": {"get": {
                "summary": "Search opportunities",
                "description": "The same results, filters, sorting and pages as the search page.",
                "parameters": search_parameters(choices),
                "responses": {"200": _json_response("A page of results.", "SearchResults"),
                              "400": bad_request, "404": not_found},
            }},
            "/api/opportunities/{slug}": {"get": {
                "summary": "One opportunity",
                "parameters": [_slug_path("The opportunity's slug, as in /opportunities/<slug>.")],
                "responses": {"200": _json_response("The opportunity.", "OpportunityDetail"), "404": not_found},
            }},
            "/data/ocds/releases.json": {"get": {
                "summary": "Every opportunity published on this portal, as an OCDS 1.1 release package",
                "description": f"{RELEASES_PER_PAGE} releases a page, oldest first. links.next and links.prev "
                               "point to the pages either side.",
                "parameters": RELEASE_PAGE_PARAMETERS,
                "responses": {"200": _json_response("An OCDS 1.1 release package.", "ReleasePackage"),
                              "400": bad_request, "404": not_found},
            }},
            "/opportunities/{slug}/ocds.json": {"get": {
                "summary": "One opportunity as an OCDS 1.1 release package",
                "parameters": [_slug_path("The opportunity's slug.")],
                "responses": {"200": _json_response("An OCDS 1.1 release package with one release.",
                                                    "ReleasePackage"),
                              "404": not_found},
            }},
            "/data/opportunities.csv": {"get": {
                "summary": "Every opportunity published on this portal, one row each",
                "responses": {"200": _response("A CSV file in UTF-8 with a header row.", "text/csv",
                                               {"type": "string"})},
            }},
        },
        "components": {
            "schemas": SCHEMAS,
            "responses": {
                "BadRequest": _json_response("A parameter had a value we cannot use. Each error says which and why.",
                                             "Errors"),
                "NotFound": _json_response("There is no such opportunity or page.", "Errors"),
                "MethodNotAllowed": {**_json_response("Any method but GET, HEAD and OPTIONS.", "Errors"),
                                     "headers": OPEN_TO_ALL_SITES | {"Allow": {
                                         "description": "The methods this address answers.",
                                         "schema": {"type": "string"}}}},
            },
        },
    }
