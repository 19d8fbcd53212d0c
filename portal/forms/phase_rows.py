"""The challenge editor's "Add another phase" and "Remove" buttons, which work without JavaScript: each is a submit
button named `phases_action`, and the page comes back with the rows changed and everything else as it was typed.
Nothing is saved until the buyer presses the save button."""

import re
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

ACTION = "phases_action"
ADD = "add"
REMOVE = "remove-"
_ROW = re.compile(r"^phases-(\d+)-(.+)$")


@dataclass(frozen=True)
class RowChange:
    adding: bool
    removing: int | None  # the index of the row to remove, counting from 0
    formdata: MultiDict  # what was sent, with the removed row taken out and the rows after it moved up


def requested(formdata: MultiDict) -> RowChange | None:
    """The change the buyer asked for, or None if they pressed the save button (or sent something unknown)."""
    action = formdata.get(ACTION, "")
    if action == ADD:
        return RowChange(True, None, formdata)
    if action.startswith(REMOVE) and action.removeprefix(REMOVE).isdigit():
        index = int(action.removeprefix(REMOVE))
        return RowChange(False, index, without_row(formdata, index))
    return None


def without_row(formdata: MultiDict, index: int) -> MultiDict:
    """`formdata` without phase row `index`; the rows after it are renumbered so that the rows stay in order."""
    kept = MultiDict()
    for key, value in formdata.items(multi=True):
        match = _ROW.match(key)
        if match is None:
            kept.add(key, value)
            continue
        number, field = int(match.group(1)), match.group(2)
        if number != index:
            kept.add(f"phases-{number - 1 if number > index else number}-{field}", value)
    return kept
