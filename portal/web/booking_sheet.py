"""Who booked an event, as a spreadsheet: UTF-8 with a byte order mark so Excel reads names correctly, and nothing a
spreadsheet could run as a formula."""

import csv
import io

from portal.clock import london
from portal.opendata.csv_export import safe_cell

BOM = "\ufeff"
COLUMNS = ("Name", "Email", "Organisation", "Status", "Booked at (UK time)")


def bookings_csv_text(people) -> str:
    """`people`: (booking, user, organisation) rows, as `events.people_booked` gives them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for booking, user, organisation in people:
        writer.writerow([safe_cell(value) for value in (
            user.name, user.email, organisation.name if organisation else "", booking.status,
            f"{london(booking.created_at):%Y-%m-%d %H:%M}")])
    return BOM + buffer.getvalue()
