"""gunicorn settings for `make serve-prod`: several worker processes behind a proxy.

Each setting can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2)))
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 20
max_requests = 5000  # recycle workers now and then so no leak can grow for ever
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
