"""`flask --app portal create-admin EMAIL`: make a portal administrator, who can add buyers and invite their staff."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from portal.db import upgrade_database
from portal.services.accounts import create_admin
from portal.services.passwords import MIN_LENGTH, password_problem


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Portal administrator")
@click.password_option(help=f"{MIN_LENGTH} characters or more, not a common password; three random words work well. "
                            "You are asked for it if you leave this out.")
@with_appcontext
def create_admin_command(email: str, name: str, password: str):
    problem = password_problem(password, (email, name))
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    engine = current_app.extensions["engine"]
    upgrade_database(engine)
    with Session(engine) as session:
        if create_admin(session, email, name, password) is None:
            raise click.ClickException(f"An account already uses {email}.")
    click.echo(f"Administrator {email} created. Sign in at /sign-in, then go to /admin.")
