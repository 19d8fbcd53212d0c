"""What changed in an opportunity's "can we bid?" facts, in the words followers and the change log read."""

from collections.abc import Mapping

SECTIONS = (
    (("lots", "max_lots_per_bidder"), "the lots have changed"),
    (("conditions",), "what suppliers need to take part has changed"),
    (("terms",), "the contract terms have changed"),
    (("criteria",), "how bids will be judged has changed"),
    (("social_value",), "the social value asks have changed"),
)


def what_changed(before: Mapping | None, after: Mapping | None) -> list[str]:
    """One plain line for each part of the facts that differs (facts as stored: BidFacts.to_json())."""
    before, after = before or {}, after or {}
    return [line for keys, line in SECTIONS if any(before.get(key) != after.get(key) for key in keys)]
