"""Progress for long commands: a bar with counts and time left in a terminal, plain log lines otherwise.

    with progress("Importing notices", total=len(files)) as step:
        for file in files:
            ...
            step()          # one more done
"""

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("portal.progress")
LOG_EVERY_SECONDS = 10.0


@contextmanager
def progress(label: str, total: int | None = None, stream=None) -> Iterator[Callable[[int], None]]:
    """Yields step(done=1). Draws a bar when `stream` (default stderr) is a terminal; otherwise logs a line
    every LOG_EVERY_SECONDS and one at the end, so logs of scheduled runs show it is moving."""
    stream = stream or sys.stderr
    if _is_terminal(stream):
        # rich is imported here, not at the top: only commands draw bars, and every web worker imports this module.
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("left"), TimeRemainingColumn(), transient=False) as bar:
            task = bar.add_task(label, total=total)
            yield lambda done=1: bar.advance(task, done)
        return
    counted, started = 0, time.monotonic()
    last = started

    def step(done: int = 1) -> None:
        nonlocal counted, last
        counted += done
        now = time.monotonic()
        if now - last >= LOG_EVERY_SECONDS:
            last = now
            log.info("%s: %s", label, _so_far(counted, total, now - started))

    yield step
    log.info("%s: finished, %s", label, _so_far(counted, total, time.monotonic() - started))


def _so_far(counted: int, total: int | None, seconds: float) -> str:
    done = f"{counted} of {total}" if total else f"{counted}"
    if total and counted and counted < total:
        left = seconds / counted * (total - counted)
        return f"{done} done, about {left:.0f} seconds left"
    return f"{done} done in {seconds:.0f} seconds"


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
