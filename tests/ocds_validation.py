"""Checking OCDS output against the official OCDS 1.1 schemas shipped in portal/reference_data/ocds/, offline.

Releases are checked against release-schema-patched.json: the core schema with the extensions we declare
(scripts/build-ocds-schema.py builds it), so the lots, award and selection criteria and contract terms are
checked too. It keeps the core schema's id, which is where the package schema looks for it."""

import csv
import json
from functools import cache
from importlib import resources

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4


def _ocds_file(name: str):
    return resources.files("portal.reference_data").joinpath("ocds").joinpath(name)


def _schema(name: str) -> dict:
    return json.loads(_ocds_file(name).read_text(encoding="utf-8"))


@cache
def package_validator() -> Draft4Validator:
    """The release package schema refers to the release schema by its web address: serve that from our copy."""
    release = _schema("release-schema-patched.json")
    registry = Registry().with_resource(release["id"], Resource.from_contents(release, default_specification=DRAFT4))
    return Draft4Validator(_schema("release-package-schema.json"), registry=registry,
                           format_checker=Draft4Validator.FORMAT_CHECKER)


def schema_errors(package: dict) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in package_validator().iter_errors(package)]


@cache
def codelist(name: str) -> frozenset[str]:
    with _ocds_file(name).open(encoding="utf-8") as f:
        return frozenset(row["Code"] for row in csv.DictReader(f))


@cache
def reserved_participation_codes() -> frozenset[str]:
    """The open reservedParticipation codelist with the UK extension's additions, and "vcse" (reserved to VCSEs
    alone), which no codelist has yet."""
    return (codelist("extensions/ocds_otherRequirements_extension/codelists/reservedParticipation.csv")
            | codelist("extensions/ocds_uk_extension/codelists/+reservedParticipation.csv") | {"vcse"})


def codelist_errors(package: dict) -> list[str]:
    """Open codelists are not enforced by the schema; we still keep to them."""
    errors = []
    for release in package["releases"]:
        milestones = release.get("planning", {}).get("milestones", []) + release["tender"].get("milestones", [])
        errors += [f"{release['id']}: milestone type {m['type']}" for m in milestones
                   if m["type"] not in codelist("milestoneType.csv")]
        errors += [f"{release['id']}: party role {role}" for party in release["parties"] for role in party["roles"]
                   if role not in codelist("partyRole.csv")]
        reserved = release["tender"].get("otherRequirements", {}).get("reservedParticipation", [])
        errors += [f"{release['id']}: reserved participation {code}" for code in reserved
                   if code not in reserved_participation_codes()]
    return errors


def assert_valid_package(package: dict) -> None:
    problems = schema_errors(package) + codelist_errors(package)
    assert not problems, "\n".join(problems)
