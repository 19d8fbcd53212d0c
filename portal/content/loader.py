"""Read and check every content file, then write them all to the database in one transaction."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import frontmatter
import yaml
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from portal.content import store
from portal.content.schema import (
    SLUG_PATTERN,
    BuyerFile,
    GlossaryEntry,
    GuidanceFile,
    MissionFile,
    OpportunityFile,
)


T = TypeVar("T", bound=BaseModel)


class ContentError(Exception):
    """One or more content files are invalid. `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ContentItem(Generic[T]):
    slug: str
    path: Path
    meta: T
    body: str


@dataclass
class ContentBundle:
    buyers: list[ContentItem[BuyerFile]] = field(default_factory=list)
    missions: list[ContentItem[MissionFile]] = field(default_factory=list)
    opportunities: list[ContentItem[OpportunityFile]] = field(default_factory=list)
    guidance: list[ContentItem[GuidanceFile]] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)


FOLDERS = {
    "buyers": BuyerFile,
    "missions": MissionFile,
    "opportunities": OpportunityFile,
    "guidance": GuidanceFile,
}


def read_content(content_dir: str | Path) -> ContentBundle:
    """Parse and check every file; raise ContentError listing every problem found."""
    root = Path(content_dir)
    if not root.is_dir():
        raise ContentError([f"{root}: content folder not found"])
    bundle, problems = ContentBundle(), []
    for folder, schema in FOLDERS.items():
        for path in sorted((root / folder).glob("*.md")):
            item = _read_markdown(path, schema, problems)
            if item is not None:
                getattr(bundle, folder).append(item)
    bundle.glossary = _read_glossary(root / "glossary.yaml", problems)
    problems.extend(_cross_reference_problems(bundle))
    if problems:
        raise ContentError(problems)
    return bundle


def load_content(engine, content_dir: str | Path, ocid_prefix: str) -> dict[str, int]:
    """Check all content, then upsert it. Nothing is written unless every file is valid."""
    bundle = read_content(content_dir)
    with Session(engine) as session, session.begin():
        return store.save_bundle(session, bundle, ocid_prefix)


def _read_markdown(path: Path, schema: type[BaseModel], problems: list[str]):
    slug = path.stem
    if not re.match(SLUG_PATTERN, slug):
        problems.append(f"{path}: file name: use lower-case letters, digits and hyphens only")
        return None
    try:
        post = frontmatter.load(path)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as error:
        problems.append(f"{path}: front matter: not valid YAML ({_first_line(error)})")
        return None
    try:
        meta = schema.model_validate(post.metadata)
    except ValidationError as error:
        problems.extend(f"{path}: {_describe(e)}" for e in error.errors())
        return None
    return ContentItem(slug=slug, path=path, meta=meta, body=post.content.strip())


def _read_glossary(path: Path, problems: list[str]) -> list[GlossaryEntry]:
    if not path.exists():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        problems.append(f"{path}: not valid YAML ({_first_line(error)})")
        return []
    if not isinstance(raw, list):
        problems.append(f"{path}: must be a list of terms")
        return []
    entries = []
    for position, entry in enumerate(raw, start=1):
        try:
            entries.append(GlossaryEntry.model_validate(entry))
        except ValidationError as error:
            problems.extend(f"{path}: entry {position}: {_describe(e)}" for e in error.errors())
    return entries


def _cross_reference_problems(bundle: ContentBundle) -> list[str]:
    problems = []
    buyers = {item.slug for item in bundle.buyers}
    outcome_owner: dict[str, str] = {}
    for mission in bundle.missions:
        if mission.meta.owner and mission.meta.owner not in buyers:
            problems.append(f"{mission.path}: owner: no buyer called '{mission.meta.owner}'")
        for outcome in mission.meta.outcomes:
            if outcome.slug in outcome_owner:
                problems.append(f"{mission.path}: outcomes: slug '{outcome.slug}' is already used")
            outcome_owner[outcome.slug] = mission.slug
    ocids: dict[str, Path] = {}
    for item in bundle.opportunities:
        meta = item.meta
        if meta.buyer not in buyers:
            problems.append(f"{item.path}: buyer: no buyer called '{meta.buyer}'")
        for slug in meta.missions:
            if not any(m.slug == slug for m in bundle.missions):
                problems.append(f"{item.path}: missions: no mission called '{slug}'")
        for slug in meta.outcomes:
            if slug not in outcome_owner:
                problems.append(f"{item.path}: outcomes: no outcome called '{slug}'")
            elif outcome_owner[slug] not in meta.missions:
                problems.append(
                    f"{item.path}: outcomes: '{slug}' belongs to mission '{outcome_owner[slug]}', "
                    "which is not in this item's missions"
                )
        for ask in meta.bidding.social_value:
            if ask.mission and ask.mission not in meta.missions:
                problems.append(f"{item.path}: bidding.social_value: mission '{ask.mission}' is not in this item's missions")
        if meta.ocid:
            if meta.ocid in ocids:
                problems.append(f"{item.path}: ocid: already used by {ocids[meta.ocid]}")
            ocids[meta.ocid] = item.path
    terms = [entry.term.lower() for entry in bundle.glossary]
    problems.extend(
        f"glossary.yaml: term '{term}' appears more than once" for term in sorted({t for t in terms if terms.count(t) > 1})
    )
    return problems


def _describe(error: dict) -> str:
    location = ".".join(str(part) for part in error["loc"]) or "front matter"
    message = error["msg"].removeprefix("Value error, ")
    return f"{location}: {message}"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
