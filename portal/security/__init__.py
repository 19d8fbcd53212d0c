"""Security settings in one place: headers, cookies, trusted hosts and proxies."""

from portal.security.addresses import external_url, trusted_hosts
from portal.security.headers import add_security_headers
from portal.security.proxy import TrustedProxyFix, parse_networks
from portal.security.requests import IdConverter, clean_query_parameters

__all__ = ["external_url", "init_app"]


def init_app(app) -> None:
    secure = app.config["BASE_URL"].startswith("https://")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        TRUSTED_HOSTS=trusted_hosts(app.config["BASE_URL"], app.config.get("TRUSTED_HOSTS_EXTRA", "")),
    )
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.wsgi_app = TrustedProxyFix(app.wsgi_app, parse_networks(app.config.get("FORWARDED_ALLOW_IPS", "")))
    app.before_request(clean_query_parameters)
    app.after_request(add_security_headers)
    app.jinja_env.globals["external_url"] = external_url
