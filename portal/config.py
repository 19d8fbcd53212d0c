"""Settings. The only module that reads environment variables."""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def from_environment() -> dict:
    """Settings from the environment, with defaults that make `make run` work unconfigured."""
    instance = PROJECT_ROOT / "instance"
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'portal.sqlite3'}"),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(PROJECT_ROOT / "search_index")),
        "CONTENT_DIR": os.environ.get("CONTENT_DIR", str(PROJECT_ROOT / "content")),
        # Without SECRET_KEY a random key is made per process: sessions then end on restart.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
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
    }
