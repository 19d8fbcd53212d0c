"""The reading age of what the public reads about an opportunity (summary, why and brief), worked out whenever
one is saved with any of them changed, and stored in `Opportunity.reading_age`.

Pages then show the stored number, so a web worker that only shows pages never loads the plain-English
checker's word lists; only a process that saves an opportunity does. A mapper event rather than a call in each
saving service, because opportunities are saved in many places (buyers' editor, content files, imports).
"""

from sqlalchemy import event, inspect

from portal.models import Opportunity

CHECKED_FIELDS = ("summary", "why_md", "body_md")


def reading_age_of(summary: str | None, why_md: str | None, body_md: str | None) -> int | None:
    """None when the text is too short to score."""
    from portal import plain  # the word lists load at the first check, in the processes that save only

    return plain.check(f"{summary or ''}\n\n{why_md or ''}\n\n{body_md or ''}").reading_age


@event.listens_for(Opportunity, "before_insert")
def _score_new(mapper, connection, opportunity: Opportunity) -> None:
    opportunity.reading_age = reading_age_of(opportunity.summary, opportunity.why_md, opportunity.body_md)


@event.listens_for(Opportunity, "before_update")
def _score_changed(mapper, connection, opportunity: Opportunity) -> None:
    state = inspect(opportunity)
    if any(state.attrs[name].history.has_changes() for name in CHECKED_FIELDS):
        opportunity.reading_age = reading_age_of(opportunity.summary, opportunity.why_md, opportunity.body_md)
