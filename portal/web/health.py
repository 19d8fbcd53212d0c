"""GET /health for load balancers and monitoring: 200 when the database and search index work, else 503."""

from flask import Blueprint, current_app, jsonify

from portal.auth import limiter
from portal.services import health as health_service

bp = Blueprint("health", __name__)


@bp.get("/health")
@limiter.exempt  # monitors poll often, from one address
def health():
    checks = health_service.run_checks(current_app.extensions["engine"], current_app.extensions["search"])
    healthy = health_service.all_ok(checks)
    response = jsonify(
        status="ok" if healthy else "failing",
        checks={name: check.as_dict() for name, check in checks.items()},
    )
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
