"""How well search finds what suppliers look for: the relevance set of relevance.yaml, scored per backend.

For each query, a hit is an expected opportunity among the first three results. Two figures:
- share found: the share of queries with a hit;
- mean reciprocal rank: the mean of 1 / the rank of the first expected opportunity in the first ten (0 if none).
A search that finds nothing but offers "did you mean" is scored on the suggestion, as a person would follow it.

`python -m portal.search.evaluate` loads content/ into a throwaway SQLite database, builds a tantivy and a Whoosh
index (and a PostgreSQL one when EVALUATE_DATABASE_URL names a PostgreSQL database), and prints both figures for
each. `make bench` runs it too.
"""

import os
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from sqlmodel import Session

from portal.search.query import SearchQuery

RELEVANCE_FILE = Path(__file__).with_name("relevance.yaml")
EVALUATION_DAY = date(2026, 11, 22)  # the seeded content's dates are written around it
TOP = 3
RANKED = 10


@dataclass(frozen=True)
class Case:
    text: str
    expected: tuple[str, ...]


@dataclass
class Figures:
    backend: str
    share_found: float = 0.0
    mean_reciprocal_rank: float = 0.0
    misses: list[tuple[str, list[str]]] = field(default_factory=list)  # (query, the first three found)

    def line(self) -> str:
        return (f"{self.backend:<9} share found {self.share_found:.3f}  mean reciprocal rank "
                f"{self.mean_reciprocal_rank:.3f}  ({len(self.misses)} missed)")


def cases(path: Path = RELEVANCE_FILE) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for number, entry in enumerate(data["queries"], 1):
        if (not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[0], str)
                or not isinstance(entry[1], list) or not entry[1]):
            raise ValueError(f"{path}: query {number} must be [words, [expected slugs]], not {entry!r}")
        found.append(Case(entry[0], tuple(entry[1])))
    return found


def evaluate(index, session: Session, today: date = EVALUATION_DAY, relevance: list[Case] | None = None) -> Figures:
    from portal.services.opportunities import published_in_order

    figures = Figures(index.name)
    relevance = relevance if relevance is not None else cases()
    found, reciprocal = 0, 0.0
    for case in relevance:
        result = index.search(SearchQuery(text=case.text, size=RANKED), today)
        if not result.ids and result.suggestion:
            result = index.search(SearchQuery(text=result.suggestion, size=RANKED), today)
        slugs = [row.slug for row in published_in_order(session, result.ids)]
        ranks = [rank for rank, slug in enumerate(slugs, 1) if slug in case.expected]
        if ranks and ranks[0] <= TOP:
            found += 1
        else:
            figures.misses.append((case.text, slugs[:TOP]))
        reciprocal += 1 / ranks[0] if ranks else 0.0
    figures.share_found = found / len(relevance)
    figures.mean_reciprocal_rank = reciprocal / len(relevance)
    return figures


def main() -> int:
    from portal import create_app
    from portal.config import PROJECT_ROOT
    from portal.content import load_content
    from portal.db import create_tables
    from portal.search import make_index
    from portal.services.indexing import rebuild_index

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder}/evaluate.db",
                          "SEARCH_INDEX_DIR": f"{folder}/index", "SEARCH_BACKEND": "whoosh",
                          "SECRET_KEY": "evaluate", "TODAY": EVALUATION_DAY})
        engine = app.extensions["engine"]
        create_tables(engine)
        load_content(engine, PROJECT_ROOT / "content", app.config["OCID_PREFIX"])
        backends = [("tantivy", f"{folder}/tantivy", engine), ("whoosh", f"{folder}/whoosh", engine)]
        if url := os.environ.get("EVALUATE_DATABASE_URL"):
            from portal.db import make_engine

            pg_engine = make_engine(url)
            create_tables(pg_engine)
            load_content(pg_engine, PROJECT_ROOT / "content", app.config["OCID_PREFIX"])
            backends.append(("postgres", "", pg_engine))
        for backend, index_dir, backend_engine in backends:
            index = make_index(backend, index_dir, backend_engine)
            with Session(backend_engine) as session:
                rebuild_index(session, index)
                figures = evaluate(index, session)
            print(figures.line())
            for text, top in figures.misses:
                print(f"    missed {text!r}: {', '.join(top) or 'nothing'}")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
