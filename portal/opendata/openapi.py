"""The OpenAPI 3.1 description of the JSON API and the data files, written by hand."""

from portal import reference
from portal.models import OpportunityKind, Source, Stage
from portal.search.documents import VALUE_BANDS
from portal.search.query import CLOSING_WINDOWS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SORTS

JSON = "application/json"


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _slug_path(description: str) -> dict:
    return {"name": "slug", "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": "^[a-z0-9-]+$"}}


def _json_response(description: str, ref: str) -> dict:
    return {"description": description, "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


SEARCH_PARAMETERS = [
    _query("q", f"Words to search for. Longer searches are cut to {MAX_QUERY_LENGTH} characters.",
           {"type": "string"}),
    _query("kind", "Kind of opportunity.", {"type": "string", "enum": [k.value for k in OpportunityKind]}),
    _query("stage", "Stage of the procurement.", {"type": "string", "enum": [s.value for s in Stage]}),
    _query("mission", "A mission's slug, as in /missions/<slug>.", {"type": "string"}),
    _query("buyer", "A buyer's slug, as in /buyers/<slug>.", {"type": "string"}),
    _query("region", "Where the work is: an ITL1 region code.", {"type": "string", "enum": list(reference.regions())}),
    _query("cpv", "Type of work: a two-digit CPV division, such as 85 for health and social work.",
           {"type": "string", "pattern": "^[0-9]{2}$"}),
    _query("value", "Value band.", {"type": "string", "enum": list(VALUE_BANDS)}),
    _query("sme", "Only opportunities suitable for small and medium-sized firms.", {"type": "string", "enum": ["yes"]}),
    _query("vcse", "Only opportunities suitable for charities and social enterprises.",
           {"type": "string", "enum": ["yes"]}),
    _query("closing", "Engagement closes within this many days.",
           {"type": "string", "enum": [str(days) for days in CLOSING_WINDOWS]}),
    _query("source", "Where it was published: on this portal, or a copy of a Contracts Finder or Find a Tender notice.",
           {"type": "string", "enum": [s.value for s in Source]}),
    _query("sort", "Order of results.", {"type": "string", "enum": list(SORTS), "default": "relevance"}),
    _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
    _query("size", "Results per page.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE,
                                         "default": DEFAULT_PAGE_SIZE}),
]

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
SCHEMAS = {
    "Opportunity": {
        "type": "object",
        "required": ["slug", "ocid", "kind", "title", "summary", "buyer", "missions", "regions", "cpv", "value",
                     "published", "engagement_closes", "approach_to_market", "stage", "suitable_for_sme",
                     "suitable_for_vcse", "source", "updated", "links"],
        "properties": {
            "slug": {"type": "string"},
            "ocid": {"type": "string", "description": "Open Contracting identifier: one per procurement."},
            "kind": {"type": "string", "enum": [k.value for k in OpportunityKind]},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "buyer": {"type": "object", "required": ["slug", "name"],
                      "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}},
            "missions": {"type": "array", "items": {
                "type": "object", "required": ["slug", "title", "short_title"],
                "properties": {"slug": {"type": "string"}, "title": {"type": "string"}, "short_title": {"type": "string"}}}},
            "regions": {"type": "array", "items": {
                "type": "object", "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}},
            "cpv": {"type": "object", "required": ["code", "label"],
                    "properties": {"code": {"type": "string"}, "label": {"type": "string"}}},
            "value": {"type": "object", "required": ["min", "max", "stated"], "description": "Whole pounds.",
                      "properties": {"min": {"type": ["integer", "null"]}, "max": {"type": ["integer", "null"]},
                                     "stated": {"type": "boolean"}}},
            "published": NULLABLE_DATE,
            "engagement_closes": NULLABLE_DATE,
            "approach_to_market": {
                "type": ["object", "null"], "description": "When the buyer expects to invite bids.",
                "required": ["financial_year_quarter", "starts", "label"],
                "properties": {"financial_year_quarter": {"type": "string", "examples": ["2027-28 Q2"]},
                               "starts": {"type": "string", "format": "date"},
                               "label": {"type": "string", "examples": ["July to September 2027"]}}},
            "stage": {"type": "string", "enum": [s.value for s in Stage]},
            "suitable_for_sme": {"type": "boolean"},
            "suitable_for_vcse": {"type": "boolean"},
            "contract_length_months": {"type": ["integer", "null"]},
            "source": {"type": "string", "enum": [s.value for s in Source],
                       "description": "portal, or the service a copied notice came from."},
            "source_url": {"type": ["string", "null"]},
            "updated": {"type": "string", "format": "date-time"},
            "links": {"type": "object", "required": ["self", "page"],
                      "properties": {"self": {"type": "string"}, "page": {"type": "string"},
                                     "ocds": {"type": "string"}}},
        },
    },
    "OpportunityDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/Opportunity"},
            {"type": "object", "required": ["why_markdown", "brief_markdown", "outcomes", "phases"],
             "properties": {
                 "why_markdown": {"type": "string", "description": "Why the buyer is buying this, in Markdown."},
                 "brief_markdown": {"type": "string", "description": "The full brief, in Markdown."},
                 "outcomes": {"type": "array", "items": {
                     "type": "object", "required": ["slug", "title"],
                     "properties": {"slug": {"type": "string"}, "title": {"type": "string"}}}},
                 "phases": {"type": "array", "items": {
                     "type": "object", "required": ["name", "starts", "ends", "funding", "description"],
                     "properties": {"name": {"type": "string"}, "starts": {"type": "string", "format": "date"},
                                    "ends": {"type": "string", "format": "date"},
                                    "funding": {"type": ["integer", "null"]}, "description": {"type": "string"}}}},
             }},
        ],
    },
    "SearchResults": {
        "type": "object",
        "required": ["results", "total", "page", "pages", "size", "suggestion", "links"],
        "properties": {
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Opportunity"}},
            "total": {"type": "integer", "description": "How many opportunities match, on every page."},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "size": {"type": "integer"},
            "suggestion": {"type": ["string", "null"], "description": "A spelling suggestion for q, if any."},
            "notices": {"type": "array", "items": {"type": "string"}},
            "links": {"type": "object", "required": ["self", "first", "last"],
                      "properties": {name: {"type": "string"} for name in ("self", "first", "last", "next", "prev")}},
        },
    },
    "Errors": {
        "type": "object",
        "required": ["errors"],
        "properties": {"errors": {"type": "array", "items": {
            "type": "object", "required": ["message"],
            "properties": {"parameter": {"type": "string"}, "message": {"type": "string"},
                           "allowed": {"type": "array", "items": {"type": "string"}}}}}},
    },
}


def openapi_document(server_url: str) -> dict:
    bad_request = _json_response("A parameter had a value we cannot use. Each error says which and why.", "Errors")
    not_found = _json_response("There is no such opportunity or page.", "Errors")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Opportunity Portal open data",
            "version": "1.0.0",
            "description": "Read-only access to public-sector opportunities: the same search as the website, "
                           "single opportunities, and the data files. No key is needed.",
            "license": {"name": "Open Government Licence v3.0",
                        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/opportunities": {"get": {
                "summary": "Search opportunities",
                "description": "The same results, filters, sorting and pages as the search page.",
                "parameters": SEARCH_PARAMETERS,
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
                "description": "100 releases a page, oldest first. links.next and links.prev point to the "
                               "pages either side.",
                "parameters": [_query("page", "Page number, from 1.", {"type": "integer", "minimum": 1})],
                "responses": {
                    "200": {"description": "An OCDS 1.1 release package.",
                            "content": {JSON: {"schema": {"type": "object"}}}},
                    "400": bad_request, "404": not_found,
                },
            }},
            "/opportunities/{slug}/ocds.json": {"get": {
                "summary": "One opportunity as an OCDS 1.1 release package",
                "parameters": [_slug_path("The opportunity's slug.")],
                "responses": {
                    "200": {"description": "An OCDS 1.1 release package with one release.",
                            "content": {JSON: {"schema": {"type": "object"}}}},
                    "404": not_found,
                },
            }},
            "/data/opportunities.csv": {"get": {
                "summary": "Every opportunity published on this portal, one row each",
                "responses": {"200": {"description": "A CSV file in UTF-8 with a header row.",
                                      "content": {"text/csv": {"schema": {"type": "string"}}}}},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }
