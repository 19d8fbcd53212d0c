"""Progress for long commands: log lines when not in a terminal, a bar when in one."""

import io
import logging

from portal import progress as progress_module
from portal.progress import progress


def test_without_a_terminal_it_logs_periodic_lines_and_a_last_one(caplog, monkeypatch):
    ticks = iter([0.0, 4.0, 11.0, 12.0, 18.0, 30.0])  # the start, each of 4 steps, the end
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(ticks))
    caplog.set_level(logging.INFO, logger="portal.progress")

    with progress("Importing notice files", total=4, stream=io.StringIO()) as step:
        for _ in range(4):
            step()

    assert [record.getMessage() for record in caplog.records] == [
        "Importing notice files: 2 of 4 done, about 11 seconds left",
        "Importing notice files: finished, 4 of 4 done in 30 seconds",
    ]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_in_a_terminal_it_draws_a_bar_and_logs_nothing(caplog):
    caplog.set_level(logging.INFO, logger="portal.progress")
    with progress("Rebuilding the search index", total=3, stream=Terminal()) as step:
        step(3)
    assert caplog.records == []
