"""The OCDS publishers we recognise, and how a notice's publisher is worked out.

A release is recognised by its ocid prefix first (each publisher registers its own with the Open Contracting
Partnership), then by the web address of its notices (a document, the release's uri or the publisher's uri),
then by the publisher's name in the package. Anything else is imported under the publisher's own name.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from portal.models import Source
from portal.opendata.json_values import dict_of, text_of


@dataclass(frozen=True)
class Publisher:
    source: Source
    label: str
    ocid_prefixes: tuple[str, ...]
    hosts: tuple[str, ...]  # the publisher's own web sites, without "www."
    names: tuple[str, ...]  # how packages name the publisher, lower case


PUBLISHERS = (
    Publisher(Source.CONTRACTS_FINDER, "Contracts Finder", ("ocds-b5fd17",), ("contractsfinder.service.gov.uk",),
              ("contracts finder", "crown commercial service")),
    Publisher(Source.FIND_A_TENDER, "Find a Tender", ("ocds-h6vhtk",), ("find-tender.service.gov.uk",),
              ("find a tender", "find a tender service")),
    Publisher(Source.PUBLIC_CONTRACTS_SCOTLAND, "Public Contracts Scotland", ("ocds-r6ebe6",),
              ("publiccontractsscotland.gov.uk",), ("public contracts scotland",)),
    Publisher(Source.SELL2WALES, "Sell2Wales", ("ocds-kuma6s",), ("sell2wales.gov.wales", "sell2wales.gov.uk"),
              ("sell2wales", "gwerthwchigymru")),
    Publisher(Source.ETENDERS_NI, "eTendersNI", (), ("etendersni.gov.uk",), ("etendersni", "etenders ni")),
)
BY_SOURCE = {publisher.source: publisher for publisher in PUBLISHERS}
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class Recognised:
    source: Source
    name: str | None = None  # the publisher's own name, for Source.OTHER


def recognise(ocid: str, urls: list[str], package: dict) -> Recognised | None:
    """The publisher of a release; None when neither the ocid, the links nor the package say who it is."""
    lowered = ocid.lower()
    for publisher in PUBLISHERS:
        if any(lowered.startswith(prefix + "-") or lowered == prefix for prefix in publisher.ocid_prefixes):
            return Recognised(publisher.source)
    hosts = {host_of(url) for url in urls} - {""}
    for publisher in PUBLISHERS:
        if hosts & set(publisher.hosts):
            return Recognised(publisher.source)
    named = dict_of(package.get("publisher"))
    name = " ".join(text_of(named.get("name")).split())
    for publisher in PUBLISHERS:
        if name.casefold() in publisher.names or host_of(text_of(named.get("uri"))) in publisher.hosts:
            return Recognised(publisher.source)
    if name:
        return Recognised(Source.OTHER, name[:MAX_NAME_LENGTH])
    return None


def host_of(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "") if url.startswith(("https://", "http://")) else ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def label_of(source: str, name: str | None = None) -> str:
    """How a page names where a notice came from."""
    if source == Source.OTHER:
        return name or "another publisher"
    if source == Source.PORTAL:
        return "this portal"
    publisher = BY_SOURCE.get(source)
    return publisher.label if publisher else source
