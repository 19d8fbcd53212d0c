"""The only module that writes to the index.

The live index is the folder named in the CURRENT file inside the index directory. A rebuild writes a
complete new folder beside it and then replaces CURRENT in one atomic rename, so a failed (or killed)
rebuild leaves the old index serving searches. Rebuilds in several processes take turns (REBUILD.lock),
and a writer waits at most WRITE_TIMEOUT_SECONDS for Whoosh's write lock before giving up (the caller
then queues the change: see services/indexing).
"""

import fcntl
import logging
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from portal.models import Opportunity, Status
from portal.search.documents import document_for
from portal.search.schema import SCHEMA

POINTER = "CURRENT"
REBUILD_LOCK = "REBUILD.lock"
WRITE_TIMEOUT_SECONDS = 2
log = logging.getLogger(__name__)


def live_folder(index_dir: str | Path) -> Path:
    """The folder of the live index, making an empty index first if there is none."""
    root = Path(index_dir)
    folder = _pointed_to(root)
    if folder is not None:
        return folder
    with _rebuild_lock(root):
        return _pointed_to(root) or _build(root, [])  # another process may have made it while this one waited


def _pointed_to(root: Path) -> Path | None:
    pointer = root / POINTER
    if pointer.exists():
        folder = root / pointer.read_text(encoding="utf-8").strip()
        # A table of contents shows a committed index. (Not whoosh's exists_in: it opens the newest one,
        # which a writer in another thread or process may be replacing at that moment.)
        if any(folder.glob("_MAIN_*.toc")):
            return folder
    return None


@contextmanager
def _rebuild_lock(root: Path) -> Iterator[None]:
    """One rebuild at a time across processes. The operating system releases it if the holder dies."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / REBUILD_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_live(index_dir: str | Path):
    return whoosh_index.open_dir(str(live_folder(index_dir)))


def index_opportunity(index_dir: str | Path, opportunity: Opportunity) -> None:
    """Add or replace one opportunity; anything not published is removed instead."""
    if opportunity.status != Status.PUBLISHED:
        remove_opportunity(index_dir, opportunity.id)
        return
    document = document_for(opportunity)
    with open_live(index_dir).writer(timeout=WRITE_TIMEOUT_SECONDS) as writer:
        writer.update_document(**document)


def index_opportunities(
    index_dir: str | Path, opportunities: Iterable[Opportunity], removed_ids: Iterable[int] = ()
) -> None:
    """Add or replace many opportunities, and remove others, with one writer and one commit."""
    with open_live(index_dir).writer(timeout=WRITE_TIMEOUT_SECONDS) as writer:
        for opportunity in opportunities:
            if opportunity.status == Status.PUBLISHED:
                writer.update_document(**document_for(opportunity))
            else:
                writer.delete_by_term("id", str(opportunity.id))
        for opportunity_id in removed_ids:
            writer.delete_by_term("id", str(opportunity_id))


def remove_opportunity(index_dir: str | Path, opportunity_id: int) -> None:
    with open_live(index_dir).writer(timeout=WRITE_TIMEOUT_SECONDS) as writer:
        writer.delete_by_term("id", str(opportunity_id))


def rebuild(index_dir: str | Path, documents: Iterable[dict]) -> Path:
    """Build a fresh index from `documents` beside the live one, then swap it in. Leftovers of rebuilds
    that were killed part-way are removed."""
    root = Path(index_dir)
    with _rebuild_lock(root):
        return _build(root, documents)


def _build(root: Path, documents: Iterable[dict]) -> Path:
    name = f"index-{uuid.uuid4().hex}"
    folder = root / name
    folder.mkdir()
    try:
        new_index = whoosh_index.create_in(str(folder), SCHEMA)
        writer = new_index.writer(limitmb=256)
        try:
            for document in documents:
                writer.add_document(**document)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _point_to(root, name)
    _remove_old_folders(root, keep=name)
    return folder


def _point_to(root: Path, name: str) -> None:
    temporary = root / f"{POINTER}.{uuid.uuid4().hex}"
    temporary.write_text(name, encoding="utf-8")
    os.replace(temporary, root / POINTER)


def _remove_old_folders(root: Path, keep: str) -> None:
    for folder in root.glob("index-*"):
        if folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)
