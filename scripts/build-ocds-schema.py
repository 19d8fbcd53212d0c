#!/usr/bin/env python3
"""Rebuilds portal/reference_data/ocds/release-schema-patched.json: the OCDS 1.1 release schema with the
extensions the portal declares applied to it, so our releases can be checked offline against every field we use.

Each extension folder in portal/reference_data/ocds/extensions/ holds that extension's release-schema.json, a
JSON Merge Patch (RFC 7386): objects merge key by key, any other value replaces, null deletes. The patches are
applied in EXTENSIONS order; none sets a key another sets, so the order does not change the result. The result
keeps the core schema's id, so the release package schema finds it under that address.
Run it from anywhere: `python scripts/build-ocds-schema.py`.
"""

import copy
import json
from pathlib import Path

OCDS = Path(__file__).resolve().parent.parent / "portal" / "reference_data" / "ocds"
PATCHED = OCDS / "release-schema-patched.json"
# The extensions portal.opendata.ocds declares (and that Find a Tender publishes with), by folder name.
EXTENSIONS = [
    "ocds_lots_extension", "ocds_suitability_extension", "ocds_awardCriteria_extension",
    "ocds_selectionCriteria_extension", "ocds_contractTerms_extension", "ocds_subcontracting_extension",
    "ocds_otherRequirements_extension", "ocds_uk_extension", "ocds_metrics_extension",
    "ocds_partyDetails_scale_extension",
]


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patched_schema() -> dict:
    schema = json.loads((OCDS / "release-schema.json").read_text(encoding="utf-8"))
    for name in EXTENSIONS:
        patch = json.loads((OCDS / "extensions" / name / "release-schema.json").read_text(encoding="utf-8"))
        schema = merge_patch(schema, patch)
    return schema


def schema_text() -> str:
    return json.dumps(patched_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    PATCHED.write_text(schema_text(), encoding="utf-8")
