"""The database the HTTP benchmark serves: the demonstration content plus synthetic opportunities.

The content is loaded and the index built with the portal's own commands (`load-content`, `reindex`); only the
synthetic rows are written here, in one transaction, attached to the buyers, missions and outcomes the content
loaded. Their text and facets come from bench/corpus.py (words learnt from real notices).
"""

import os
import random
import subprocess
import sys
import time
import zlib
from collections import defaultdict
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from portal import reference
from portal.db import make_engine
from portal.models import (
    Mission,
    Opportunity,
    OpportunityKind,
    OpportunityMission,
    OpportunityOutcome,
    OpportunityRegion,
    Organisation,
    OrganisationKind,
    Outcome,
    Source,
    Status,
)
from portal.slugs import slugify
from portal.services.search_text import plain_text_of

from bench import corpus

PROJECT_ROOT = Path(__file__).resolve().parent.parent
THROWAWAY_POSTGRES = PROJECT_ROOT / "scripts" / "throwaway-postgres.sh"
SLUG_PREFIX = "bench-"  # every synthetic opportunity's slug starts with this
NOTICE_SITES = {  # the imported notices of the corpus link back to their (made-up) notice on these sites
    Source.CONTRACTS_FINDER: "https://www.contractsfinder.service.gov.uk/Notice/",
    Source.FIND_A_TENDER: "https://www.find-tender.service.gov.uk/Notice/",
}


def flask(env: dict, *args: str) -> str:
    """Run `flask --app portal ARGS` with env; its output, or an error with that output."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def build(env: dict, size: int, seed: int) -> dict:
    """Load the content, add `size` synthetic opportunities, rebuild the index. Returns timings and counts."""
    figures = {}
    started = time.perf_counter()
    figures["load_content_output"] = flask(env, "load-content").splitlines()
    figures["load_content_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    documents = list(corpus.documents(size, seed))
    figures["generate_s"] = round(time.perf_counter() - started, 1)

    engine = make_engine(env["DATABASE_URL"])
    try:
        started = time.perf_counter()
        figures["inserted"] = insert_opportunities(engine, documents, seed)
        figures["insert_s"] = round(time.perf_counter() - started, 1)
        with engine.connect() as connection:
            figures["published_in_database"] = connection.execute(
                select(func.count()).select_from(Opportunity).where(Opportunity.status == Status.PUBLISHED)
            ).scalar_one()
            figures["database_version"] = database_version(connection)
    finally:
        engine.dispose()

    started = time.perf_counter()
    figures["reindex_output"] = flask(env, "reindex")
    figures["reindex_s"] = round(time.perf_counter() - started, 1)
    return figures


def insert_opportunities(engine, documents: list[dict], seed: int) -> int:
    """Insert one published opportunity per corpus document, with its missions, outcomes and regions."""
    with engine.begin() as connection:
        buyers = connection.execute(
            select(Organisation.slug, Organisation.id).where(Organisation.kind == OrganisationKind.BUYER)
            .order_by(Organisation.slug)
        ).all()
        missions = dict(connection.execute(select(Mission.slug, Mission.id).order_by(Mission.slug)).all())
        outcomes = defaultdict(list)
        for mission_id, outcome_id in connection.execute(
                select(Outcome.mission_id, Outcome.id).order_by(Outcome.mission_id, Outcome.position)):
            outcomes[mission_id].append(outcome_id)
        if not buyers or not missions:
            raise RuntimeError("load-content left no buyers or no missions to attach the synthetic opportunities to")

        rows, links = [], []
        for number, doc in enumerate(documents):
            row, mission_ids, outcome_ids, regions = _row(doc, number, seed, buyers, missions, outcomes)
            rows.append(row)
            links.append((mission_ids, outcome_ids, regions))
        table = Opportunity.__table__
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = connection.execute(returning, rows).scalars().all()

        mission_rows, outcome_rows, region_rows = [], [], []
        for opportunity_id, (mission_ids, outcome_ids, regions) in zip(ids, links):
            mission_rows += [{"opportunity_id": opportunity_id, "mission_id": m} for m in mission_ids]
            outcome_rows += [{"opportunity_id": opportunity_id, "outcome_id": o} for o in outcome_ids]
            region_rows += [{"opportunity_id": opportunity_id, "region_code": r} for r in regions]
        connection.execute(insert(OpportunityMission.__table__), mission_rows)
        if outcome_rows:
            connection.execute(insert(OpportunityOutcome.__table__), outcome_rows)
        connection.execute(insert(OpportunityRegion.__table__), region_rows)
    return len(ids)


def _row(doc: dict, number: int, seed: int, buyers: list, missions: dict, outcomes: dict) -> tuple:
    """A corpus document as an opportunity row, and the ids of its missions, outcomes and regions.

    The corpus knows about 200 buyers and 12 missions; each is mapped, always the same way, onto one that the
    content loaded (its own slug when the content has it)."""
    facets = doc["facets"]
    rng = random.Random(seed * 7_919 + number)
    mission_ids = sorted({missions.get(slug) or _pick(list(missions.values()), slug) for slug in facets["missions"]})
    outcome_ids = [rng.choice(outcomes[m]) for m in mission_ids if outcomes[m]]
    published = date.fromordinal(facets["published"])
    published_at = datetime(published.year, published.month, published.day, 9, tzinfo=timezone.utc)
    source = facets["source"]
    pipeline = facets["kind"] == OpportunityKind.PIPELINE_ITEM
    financial_year = published.year if published.month >= 4 else published.year - 1
    row = {
        "slug": f"{SLUG_PREFIX}{number + 1}-{slugify(doc['title'], length=100, fallback='opportunity')}",
        "ocid": f"ocds-b3nch0-{number + 1}",
        "kind": facets["kind"],
        "title": doc["title"][:200],
        "summary": doc["summary"][:600],
        "body_md": doc["body"],
        "plain_text": plain_text_of(doc["summary"][:600], doc["body"]),
        "why_md": doc["why"],
        "buyer_id": _pick(buyers, facets["buyer"])[1],
        "cpv_code": _cpv_code(facets["cpv_division"], rng),
        "value_min": None,
        "value_max": facets["value"],
        "published_on": published,
        "engagement_closes_on": date.fromordinal(facets["closes"]) if facets["closes"] else None,
        "market_year": financial_year + rng.randint(0, 2) if pipeline else None,
        "market_quarter": rng.randint(1, 4) if pipeline else None,
        "contract_length_months": rng.choice((12, 24, 36, 48, 60)) if pipeline else None,
        "likely_route": rng.choice(("open procedure", "a framework", "not decided")) if pipeline else "",
        "brief_answers": {},
        "area_codes": doc["area_codes"],
        "plain_score": None,
        "suitable_for_sme": facets["sme"],
        "suitable_for_vcse": facets["vcse"],
        "stage": facets["stage"],
        "status": Status.PUBLISHED,
        "first_published_at": published_at,
        "source": source,
        "source_url": f"{NOTICE_SITES[source]}{number + 1:08d}" if source in NOTICE_SITES else None,
        "source_release_id": None,
        "source_release_date": None,
        "created_at": published_at,
        "updated_at": published_at,
    }
    return row, mission_ids, outcome_ids, list(facets["regions"])


def _pick(items: list, key: str):
    """The same item for the same key, every run."""
    return items[zlib.crc32(key.encode()) % len(items)]


def _cpv_code(division: str, rng: random.Random) -> str:
    codes = _codes_by_division().get(division)
    if not codes:
        raise RuntimeError(f"bench corpus CPV division {division!r} has no code in the portal's CPV list")
    return rng.choice(codes)


_CODES: dict[str, list[str]] = {}


def _codes_by_division() -> dict[str, list[str]]:
    if not _CODES:
        for code in sorted(reference.cpv_codes()):
            _CODES.setdefault(code[:2], []).append(code)
    return _CODES


def database_version(connection) -> str:
    if connection.dialect.name == "sqlite":
        return "SQLite " + connection.execute(text("select sqlite_version()")).scalar_one()
    return "PostgreSQL " + connection.execute(text("show server_version")).scalar_one()


def sample_slugs(database_url: str) -> dict:
    """One demonstration opportunity (with the most engagement events) and one synthetic one, by slug."""
    from portal.models import EngagementEvent

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            demo = connection.execute(
                select(Opportunity.slug).outerjoin(EngagementEvent, EngagementEvent.opportunity_id == Opportunity.id)
                .where(Opportunity.status == Status.PUBLISHED, ~Opportunity.slug.startswith(SLUG_PREFIX))
                .group_by(Opportunity.slug).order_by(func.count(EngagementEvent.id).desc(), Opportunity.slug).limit(1)
            ).scalar_one()
            synthetic = connection.execute(
                select(Opportunity.slug).where(Opportunity.slug.startswith(f"{SLUG_PREFIX}1-"))
            ).scalar_one()
    finally:
        engine.dispose()
    return {"demo": demo, "synthetic": synthetic}


def start_postgres(folder: Path, port: int) -> str:
    """A throwaway PostgreSQL cluster in `folder` (scripts/throwaway-postgres.sh); returns its DATABASE_URL."""
    done = subprocess.run([str(THROWAWAY_POSTGRES), "start", str(folder), str(port)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"throwaway PostgreSQL did not start:\n{done.stdout}{done.stderr}")
    url = done.stdout.strip().splitlines()[-1]
    make_url(url)  # fails here, clearly, if the script printed something else
    return url


def stop_postgres(folder: Path) -> None:
    subprocess.run([str(THROWAWAY_POSTGRES), "stop", str(folder)], capture_output=True, text=True, check=False)


def environment(database_url: str, workdir: Path, secret_key: str) -> dict:
    """The environment every portal process of one run gets: its own database, index, outbox and key."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(workdir / "index"),
        "OUTBOX_DIR": str(workdir / "outbox"),
        "SECRET_KEY": secret_key,
        "PYTHONUNBUFFERED": "1",
    }
