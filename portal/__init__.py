"""The Opportunity Portal: public-sector opportunities in plain English, found early."""

from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from portal import auth, config, db, logs, presenters, security
from portal.services import reading_age  # noqa: F401 - stores each opportunity's reading age when it is saved
from portal.services import search_text  # noqa: F401 - and its plain text
from portal.accounts_cli import create_admin_command
from portal.alerts_cli import send_alerts_command
from portal.backup import backup_command, restore_command
from portal.content.cli import load_content_command, reindex_command
from portal.opendata.import_cli import import_notices_command
from portal.services.accounts import use_password_hash_method

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    root = Path(__file__).resolve().parent.parent
    app = Flask(__name__, template_folder=str(root / "templates"), static_folder=str(root / "static"))
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)

    use_password_hash_method(app.config["PASSWORD_HASH_METHOD"])
    logs.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    presenters.register(app)
    app.cli.add_command(load_content_command)
    app.cli.add_command(reindex_command)
    app.cli.add_command(send_alerts_command)
    app.cli.add_command(import_notices_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

    from portal.web import register_blueprints

    register_blueprints(app)
    return app
