"""The portal's PostgreSQL search backend in the search benchmark, on a throwaway cluster (scripts/throwaway-postgres.sh).

The tables come from the portal's own migrations and the entries from PostgresIndex.rebuild, as in production;
only the opportunity rows themselves are left out, since search reads nothing else.
"""

import tempfile
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.db import upgrade_database
from portal.search.postgres_backend import PostgresIndex

from bench.http_data import start_postgres, stop_postgres
from bench.http_server import free_port

SEARCH_TABLES = ("search_entry", "search_word")


class Cluster:
    """One PostgreSQL server for the whole run, and a fresh database for each corpus size."""

    def __init__(self, parent: Path | None = None):
        # A folder of its own: the server may run as another user, who cannot enter a private working folder.
        self.folder = Path(tempfile.mkdtemp(prefix="portal-bench-pg-", dir=parent))
        self.url = start_postgres(self.folder, free_port())
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")

    def index(self, name: str) -> PostgresIndex:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine = create_engine(make_url(self.url).set(database=name))
        upgrade_database(engine)
        return PostgresIndex(engine)

    def version(self) -> str:
        with self.admin.connect() as connection:
            return connection.execute(text("SHOW server_version")).scalar_one()

    def close(self) -> None:
        self.admin.dispose()
        stop_postgres(self.folder)


def build(index: PostgresIndex, documents: Iterable[dict]) -> None:
    """Fill the index as `flask reindex` does, then gather planner statistics (as the FTS5 build runs ANALYZE)."""
    index.rebuild(documents)
    with index.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in SEARCH_TABLES:
            connection.execute(text(f"VACUUM ANALYZE {table}"))


def size_bytes(index: PostgresIndex) -> int:
    """Tables, GIN and trigram indexes and TOAST of the search tables."""
    with index.engine.connect() as connection:
        return sum(connection.execute(text("SELECT pg_total_relation_size(:t)"), {"t": table}).scalar_one()
                   for table in SEARCH_TABLES)


def drop(cluster: Cluster, index: PostgresIndex, name: str) -> None:
    index.engine.dispose()
    with cluster.admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
