"""Reading guidance pages and the glossary."""

from sqlmodel import Session, select

from portal.models import GlossaryTerm, GuidancePage


def list_pages(session: Session) -> list[GuidancePage]:
    return list(session.exec(select(GuidancePage).order_by(GuidancePage.position)).all())


def get_page(session: Session, slug: str) -> GuidancePage | None:
    return session.exec(select(GuidancePage).where(GuidancePage.slug == slug)).first()


def glossary(session: Session) -> list[GlossaryTerm]:
    terms = session.exec(select(GlossaryTerm)).all()
    return sorted(terms, key=lambda t: t.term.lower())
