"""Behind a proxy: X-Forwarded-For and X-Forwarded-Proto are believed only from FORWARDED_ALLOW_IPS, so sign-in
limits and logs see the real client's address and nobody else can pretend to be someone else."""

from ipaddress import ip_address, ip_network

from werkzeug.middleware.proxy_fix import ProxyFix


def parse_networks(setting: str) -> list | None:
    """Addresses and networks from "127.0.0.1,10.0.0.0/8"; None for "*" (every peer is a trusted proxy)."""
    names = [name.strip() for name in setting.split(",") if name.strip()]
    if "*" in names:
        return None
    return [ip_network(name, strict=False) for name in names]


class TrustedProxyFix:
    """ProxyFix for requests that come from a trusted proxy (one hop); the request untouched otherwise."""

    def __init__(self, app, networks: list | None):
        self.app = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1)
        self.networks = networks

    def __call__(self, environ, start_response):
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)

    def _trusted(self, peer: str) -> bool:
        if self.networks is None:
            return True
        try:
            address = ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.networks)
