"""Helpers for Flask client tests of signed-in pages."""

from bs4 import BeautifulSoup
from sqlmodel import Session

from portal.services import accounts

PASSWORD = "correct horse battery staple"


def csrf_token(client) -> str:
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    return page.select_one('meta[name="csrf-token"]')["content"]


def post(client, path: str, data: dict | None = None, **kwargs):
    """POST with the CSRF token a real form would carry."""
    return client.post(path, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def make_supplier(app, email: str = "amy@example.org", organisation: str = "Good Food CIC",
                  size: str = "micro", legal_form: str = "community-interest-company"):
    """A supplier who has signed up and confirmed their email address."""
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        user = accounts.sign_up_supplier(session, "Amy Example", email, PASSWORD, accounts.SupplierDetails(
            organisation_name=organisation, size=size, legal_form=legal_form, registration_number=None,
            regions_served=["TLI"], capabilities=["55"], website=None, one_line="We cook with families."))
        if user is not None:
            assert accounts.confirm_email(session, accounts.make_confirmation_token(user, app.config["SECRET_KEY"]),
                                          app.config["SECRET_KEY"]) == user
        return user


def sign_in(client, email: str = "amy@example.org"):
    response = post(client, "/sign-in", {"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def make_buyer_user(app, organisation, email: str):
    """A member of staff of a buyer organisation, as an administrator's invitation would make them."""
    from portal.models import Invitation, Role, User
    from portal.services import accounts as account_service
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        admin = account_service.create_admin(session, f"admin-for-{email}", "Admin", PASSWORD)
        token = account_service.invite(session, admin, organisation.id, email, Role.BUYER)
        invitation = account_service.open_invitation(session, token)
        assert isinstance(invitation, Invitation)
        user = account_service.accept_invitation(session, invitation, "Buyer Person", PASSWORD)
        assert isinstance(user, User)
        return user
