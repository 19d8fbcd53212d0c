"""`flask --app portal create-admin EMAIL`: make a portal administrator, who can add buyers and invite their staff."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from portal.db import upgrade_database
from portal.services.accounts import create_admin


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Portal administrator")
@click.password_option(help="At least 10 characters; you are asked for it if you leave this out.")
@with_appcontext
def create_admin_command(email: str, name: str, password: str):
    if len(password) < 10:
        raise click.BadParameter("Password must be at least 10 characters", param_hint="--password")
    engine = current_app.extensions["engine"]
    upgrade_database(engine)
    with Session(engine) as session:
        if create_admin(session, email, name, password) is None:
            raise click.ClickException(f"An account already uses {email}.")
    click.echo(f"Administrator {email} created. Sign in at /sign-in, then go to /admin.")
