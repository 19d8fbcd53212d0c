"""Settings. The only module that reads environment variables."""

import os
import secrets
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _instance_secret_key(path: Path) -> str:
    """The key in `path`, made on first use. Several processes starting at once all end up with the same key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(50):  # another process may be writing it this instant
            key = path.read_text(encoding="utf-8").strip()
            if key:
                return key
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY") from None
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key)
    return key


def log_format() -> str:
    """"text" (the default) or "json": one JSON object per line, for log collectors. gunicorn_conf reads it too."""
    return os.environ.get("LOG_FORMAT", "text").strip().lower()


def forwarded_allow_ips() -> str:
    """The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed ("*" for any). gunicorn_conf reads it too."""
    return os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def from_environment() -> dict:
    """Settings from the environment, with defaults that make `make run` work unconfigured."""
    instance = PROJECT_ROOT / "instance"
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'portal.sqlite3'}"),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(PROJECT_ROOT / "search_index")),
        # "tantivy" (an index folder on disk, the default), "whoosh" (the same in pure Python, for machines without
        # tantivy's native wheel) or "postgres" (full-text search in the PostgreSQL database itself).
        "SEARCH_BACKEND": os.environ.get("SEARCH_BACKEND", "tantivy"),
        # How long a PostgreSQL search may take before it gives up and the page says so (0: no limit).
        "SEARCH_TIMEOUT_SECONDS": float(os.environ.get("SEARCH_TIMEOUT_SECONDS", "5")),
        # How often each gunicorn worker sends the search backlog to the index (0: never in the background).
        "SEARCH_CATCH_UP_SECONDS": float(os.environ.get("SEARCH_CATCH_UP_SECONDS", "15")),
        # How long each process keeps what visitors see alike (the home page, the search filters' choices, an
        # opportunity's page for those not signed in) before reading it again (0: never kept). A change this process
        # commits shows at once; one committed by another process or machine within this time.
        "KEPT_PAGES_SECONDS": float(os.environ.get("KEPT_PAGES_SECONDS", "60")),
        "CONTENT_DIR": os.environ.get("CONTENT_DIR", str(PROJECT_ROOT / "content")),
        # Without SECRET_KEY a random key is made once and kept in instance/secret_key, shared by every worker.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret_key(instance / "secret_key"),
        # The address people use to reach the portal: every absolute link is built from it, and requests for any
        # other host are refused (TRUSTED_HOSTS adds more names, comma-separated).
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "TRUSTED_HOSTS_EXTRA": os.environ.get("TRUSTED_HOSTS", ""),
        "FORWARDED_ALLOW_IPS": forwarded_allow_ips(),
        "OCID_PREFIX": os.environ.get("OCID_PREFIX", "ocds-0pp0rt"),
        "PAGE_SIZE": 20,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # no request body over 2 MB (uploads included)
        # Email: with no MAIL_SERVER, messages are written to OUTBOX_DIR instead of being sent.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "true").lower() in ("1", "true", "yes"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Opportunity Portal <no-reply@localhost>"),
        "OUTBOX_DIR": os.environ.get("OUTBOX_DIR", str(PROJECT_ROOT / "outbox")),
        # Rate limits are kept in memory per process unless RATELIMIT_STORAGE_URI names a shared store.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "PASSWORD_RESET_HOURS": 1,
        # werkzeug's scrypt (N=32768, r=8, p=1): deliberately slow. The tests set a cheap method to run quickly.
        "PASSWORD_HASH_METHOD": "scrypt",
        "LOG_FORMAT": log_format(),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").strip().upper(),
    }
