"""The themes and policy outcomes of the UK Social Value Model (Procurement Policy Note 06/20), which buyers choose
their social value asks from. PPN 002 (2025) keeps the rule that social value carries at least 10% of the score."""

from typing import NamedTuple

MINIMUM_WEIGHT = 10  # per cent of the total score


class Theme(NamedTuple):
    slug: str
    name: str


class Outcome(NamedTuple):
    slug: str
    theme: str
    name: str


THEMES = (
    Theme("covid-recovery", "COVID-19 recovery"),
    Theme("economic-inequality", "Tackling economic inequality"),
    Theme("climate-change", "Fighting climate change"),
    Theme("equal-opportunity", "Equal opportunity"),
    Theme("wellbeing", "Wellbeing"),
)

OUTCOMES = (
    Outcome("community-recovery", "covid-recovery", "Help local communities manage and recover from the effects of COVID-19"),
    Outcome("jobs-and-skills", "economic-inequality", "Create new businesses, new jobs and new skills"),
    Outcome("supply-chain", "economic-inequality", "Make supply chains stronger, with more small firms and VCSEs in them"),
    Outcome("environment", "climate-change", "Look after the environment and cut carbon emissions"),
    Outcome("disability-employment", "equal-opportunity", "Close the gap between disabled people's employment and everyone else's"),
    Outcome("workforce-inequality", "equal-opportunity", "Tackle unfair differences in who gets work and how they are paid"),
    Outcome("health-and-wellbeing", "wellbeing", "Improve health and wellbeing"),
    Outcome("community-cohesion", "wellbeing", "Bring communities together"),
)

THEME_NAMES = {t.slug: t.name for t in THEMES}
OUTCOMES_BY_SLUG = {o.slug: o for o in OUTCOMES}


def theme_of(outcome_slug: str) -> str | None:
    outcome = OUTCOMES_BY_SLUG.get(outcome_slug)
    return outcome.theme if outcome else None
