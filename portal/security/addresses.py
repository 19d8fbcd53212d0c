"""The portal's own address. Every absolute link (emails, feeds, CSV, OCDS, OpenAPI, calendar files) is built from
BASE_URL, never from the Host header of a request, and requests for any other host are refused."""

from ipaddress import ip_address
from urllib.parse import urlsplit

from flask import current_app

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def external_url(endpoint: str, **values) -> str:
    """The absolute address of an endpoint, on BASE_URL."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    anchor = values.pop("_anchor", None)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def trusted_hosts(base_url: str, extra: str) -> list[str]:
    """BASE_URL's host and any listed in TRUSTED_HOSTS. A loopback BASE_URL (the default, for `make run`)
    also accepts the other loopback names, so http://localhost:5000 works as well as http://127.0.0.1:5000."""
    host = urlsplit(base_url).hostname or ""
    hosts = [host, *(name.strip() for name in extra.split(",") if name.strip())]
    if _is_loopback(host):
        hosts += [name for name in LOOPBACK_NAMES if name not in hosts]
    return hosts


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
