"""Contracts Finder published some descriptions with their line breaks as the letters "rn"; the import puts them back."""

import json
from pathlib import Path

import pytest

from portal.opendata.notice_text import clean_description, summary_of

NOTICES = Path(__file__).parents[1] / "data" / "notices" / "contracts-finder-2025" / "releases-EnglishData.json"


@pytest.mark.parametrize("published, cleaned", [
    ("the service.rnrnThe aim", "the service.\n\nThe aim"),
    ("Additional information: rnThe event", "Additional information:\n\nThe event"),
    ("three sites.rn      rn      At Rowley", "three sites.\n\nAt Rowley"),
    ("the portal:rnrnhttps://example.org/tender", "the portal:\n\nhttps://example.org/tender"),
    ("Lots:rnLot 1: Beds.rnLot 2: Hoists", "Lots:\n\nLot 1: Beds.\n\nLot 2: Hoists"),
    # Joined to a word, only where the description has lost its breaks elsewhere too.
    ("into lots.rnLot 2: associated productsrnLot 3: Rental", "into lots.\n\nLot 2: associated products\n\nLot 3: Rental"),
    ("We use ModernGov.", "We use ModernGov."),
    ("Northern Housing Consortium will govern and learn.", "Northern Housing Consortium will govern and learn."),
    ("Ends 3rn of May.", "Ends 3rn of May."),
    ("Return to the stern.", "Return to the stern."),
])
def test_lost_line_breaks_are_put_back(published, cleaned):
    assert clean_description(published) == cleaned


def test_no_summary_from_the_sample_notices_shows_lost_breaks():
    releases = json.loads(NOTICES.read_text(encoding="utf-8"))["releases"]
    descriptions = [clean_description(r.get("tender", {}).get("description")) for r in releases]
    mangled = [d for d in descriptions if ".rn" in d or ":rn" in d or " rn" in d]
    assert [d for d in descriptions if "\n\n" in d], "the sample should hold descriptions with paragraphs"
    assert mangled == []
    assert all("rnrn" not in summary_of(d) for d in descriptions)
