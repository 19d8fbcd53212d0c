"""Awards read from an OCDS release, as plain data.

Award records are not stored yet: `awards_in` is where the importer reads them, so they can be saved as awards
once the award models land (see importer._awards_found). Values keep their currency.
"""

from portal.opendata.json_values import dicts_of, moment_of, text_of


def awards_in(release) -> list[dict]:
    """Each award the release states: id, title, status, date, value and currency, and supplier names."""
    if not isinstance(release, dict):
        return []
    found = []
    for award in dicts_of(release.get("awards")):
        value = award.get("value") if isinstance(award.get("value"), dict) else {}
        amount = value.get("amount")
        found.append({
            "id": text_of(award.get("id")),
            "title": text_of(award.get("title")),
            "status": text_of(award.get("status")),
            "date": moment_of(award.get("date")),
            "amount": amount if isinstance(amount, int | float) and not isinstance(amount, bool) else None,
            "currency": text_of(value.get("currency")).upper() or None,
            "suppliers": [name for s in dicts_of(award.get("suppliers")) if (name := text_of(s.get("name")))],
        })
    return found
