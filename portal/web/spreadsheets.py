"""Buyers' downloads as spreadsheets: who responded, and who booked an event.

UTF-8 with a byte order mark, so Excel reads accents and curly quotes correctly (LibreOffice does either way), times
in UK time in one format, and nothing a spreadsheet could run as a formula. Contact details are filled in only where
the organisation agreed.
"""

import csv
import io
from collections.abc import Iterable

from portal import reference
from portal.opendata.csv_export import LIST_SEPARATOR, safe_cell
from portal.presenters import legal_form, organisation_size, spreadsheet_time
from portal.services.market_responses import Responses

BYTE_ORDER_MARK = "\ufeff"
RESPONSE_COLUMNS = ("Opportunity", "Organisation", "Size", "Type", "Regions", "About them", "Contact name",
                    "Contact email", "Contact phone", "Website", "Open to partnering", "Registered at (UK time)")
BOOKING_COLUMNS = ("Name", "Email", "Organisation", "Status", "Booked at (UK time)")


def spreadsheet_text(rows: Iterable[Iterable]) -> str:
    """Rows (the first is the headings) as CSV text that spreadsheets open cleanly and safely."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return BYTE_ORDER_MARK + buffer.getvalue()


def _question_heading(question) -> str:
    return question.text if question.removed_at is None else f"{question.text} (question since removed)"


def responses_csv_text(title: str, responses: Responses) -> str:
    """One row per organisation, one column per question."""
    rows = [(*RESPONSE_COLUMNS, *(_question_heading(question) for question in responses.questions))]
    for supplier in responses.suppliers:
        organisation, contact = supplier.organisation, supplier.contact
        rows.append((
            title, organisation.name, organisation_size(organisation.size), legal_form(organisation.legal_form),
            LIST_SEPARATOR.join(reference.region_name(code) for code in organisation.regions_served), organisation.one_line,
            contact.name if contact else "", contact.email if contact else "", contact.phone if contact else "",
            organisation.website or "", "Yes" if supplier.open_to_partnering else "No",
            spreadsheet_time(supplier.sent_at),
            *(supplier.answers.get(question.id, "") for question in responses.questions)))
    return spreadsheet_text(rows)


def bookings_csv_text(people) -> str:
    """`people`: (booking, user, organisation) rows, as `events.people_booked` gives them."""
    return spreadsheet_text([BOOKING_COLUMNS] + [
        (user.name, user.email, organisation.name if organisation else "", booking.status,
         spreadsheet_time(booking.created_at)) for booking, user, organisation in people])
