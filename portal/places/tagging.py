"""Which council areas an organisation or an opportunity is in, when nobody has said: a council's own area, found
from its name; an opportunity's, from its buyer."""

from portal import reference
from portal.places import authorities

NATIONS = {"england", "scotland", "wales", "northern ireland", "united kingdom", "uk", "gb", "great britain"}


def own_area(organisation_name: str) -> str | None:
    """The local authority an organisation is, if its name names one exactly ("Kent County Council", "London
    Borough of Camden"); None for a department, an NHS trust or a supplier."""
    authority = authorities.find(organisation_name)
    return authority.code if authority else None


def default_areas(buyer) -> list[str]:
    """A council's items are in its own area unless its buyer says otherwise; other buyers' cover their regions."""
    return [buyer.area_code] if getattr(buyer, "area_code", None) else []


def is_region_name(place: str) -> bool:
    """Whether a place is one of the twelve UK regions or a nation, which notices write where a town would go."""
    name = " ".join(place.lower().split())
    return name in NATIONS or any(name == region.name.lower() for region in reference.regions().values())
