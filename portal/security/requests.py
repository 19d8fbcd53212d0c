"""Checks every request passes before a view sees it."""

from flask import request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from portal.security.text import clean_text, has_control_characters

# Ids are 32-bit on PostgreSQL; a larger number in an address can name nothing, so it is simply not found.
LARGEST_ID = 2_147_483_647


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: a whole number from 0 to LARGEST_ID, anything else is a 404."""

    def __init__(self, map, fixed_digits=0, min=0, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def clean_query_parameters() -> None:
    """Control characters are removed from query parameters, so no view or search sees a NUL byte; an address
    whose path holds one names no page."""
    if has_control_characters(request.path) or not request.path.isprintable():
        request.routing_exception = NotFound()  # answered like any unknown address, in JSON under /api/
    args = request.args
    if any(has_control_characters(key) or has_control_characters(value) for key, value in args.items(multi=True)):
        request.args = ImmutableMultiDict(
            [(clean_text(key), clean_text(value)) for key, value in args.items(multi=True)])
