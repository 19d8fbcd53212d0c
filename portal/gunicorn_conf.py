"""gunicorn settings for `make serve-prod`: several worker processes behind a proxy.

Each setting can be overridden on the command line or with GUNICORN_CMD_ARGS. A top-level name that matches a
gunicorn setting (`config` is one) is read as that setting, so imports keep clear of those names.
"""

import multiprocessing
import os

from portal.config import forwarded_allow_ips as trusted_proxies, log_format

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2)))
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 20
max_requests = 5000  # recycle workers now and then so no leak can grow for ever
max_requests_jitter = 500
forwarded_allow_ips = trusted_proxies()  # the app believes X-Forwarded-* from the same proxies only
accesslog = None if log_format() == "json" else "-"  # in JSON mode the portal logs each request itself
errorlog = "-"


def post_worker_init(worker):
    """Before a worker takes requests: start sending the search backlog to the index in the background (see
    portal/index_catch_up.py). The plain-English checker's word lists load only where something is checked or
    saved: pages show the stored reading age."""
    from portal import index_catch_up

    index_catch_up.start(worker.wsgi)
