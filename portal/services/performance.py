"""How contracts are doing against their KPIs, in words a resident can read, rolled up to the mission outcomes the
contracts work towards. The roll-up rule lives in one place: outcome_progress."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.models import Rating
from portal.presenters import long_date

RATING_LABELS = {
    Rating.GOOD: "Good",
    Rating.APPROACHING_TARGET: "Approaching target",
    Rating.REQUIRES_IMPROVEMENT: "Requires improvement",
    Rating.INADEQUATE: "Inadequate",
    Rating.OTHER: "Other",
}
ON_TRACK_RATINGS = {Rating.GOOD, Rating.APPROACHING_TARGET}
OFF_TRACK_RATINGS = {Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE}


class Progress(StrEnum):
    ON_TRACK = "on-track"
    OFF_TRACK = "off-track"
    NO_RESULT = "no-result"


PROGRESS_LABELS = {
    Progress.ON_TRACK: "Achieved or on track",
    Progress.OFF_TRACK: "Off track",
    Progress.NO_RESULT: "No result yet",
}
PROGRESS_TAG_COLOURS = {Progress.ON_TRACK: "govuk-tag--green", Progress.OFF_TRACK: "govuk-tag--red",
                        Progress.NO_RESULT: "govuk-tag--grey"}


@dataclass(frozen=True)
class OutcomeProgress:
    progress: str  # a Progress
    overdue: bool  # its target date has passed and nothing has a result
    explanation: str  # one plain sentence


def outcome_progress(latest_ratings: list[str], target_date: date | None, today: date) -> OutcomeProgress:
    """The roll-up rule. `latest_ratings` are the newest rating of each KPI of the contracts serving an outcome (or a
    mission). Any KPI rated requires improvement or inadequate puts it off track; otherwise a KPI rated good or
    approaching target puts it on track; ratings of "other" say nothing either way. With no such rating there is no
    result yet, and a target date that has passed says so."""
    off = sum(1 for rating in latest_ratings if rating in OFF_TRACK_RATINGS)
    on = sum(1 for rating in latest_ratings if rating in ON_TRACK_RATINGS)
    if off:
        return OutcomeProgress(Progress.OFF_TRACK, False,
                               f"{off} of {on + off} latest results rated requires improvement or inadequate.")
    if on:
        return OutcomeProgress(Progress.ON_TRACK, False,
                               f"{on} of {on} latest results rated good or approaching target.")
    if target_date and target_date < today:
        return OutcomeProgress(Progress.NO_RESULT, True,
                               f"The target date, {long_date(target_date)}, has passed and no result has been published.")
    return OutcomeProgress(Progress.NO_RESULT, False, "No result has been published yet.")


def latest_rating_label(rating: str, note: str = "") -> str:
    """"Good", or for "other" the buyer's note (or "Other")."""
    if rating == Rating.OTHER and note:
        return f"Other: {note}"
    return RATING_LABELS.get(rating, rating)


@dataclass(frozen=True)
class ChartBar:
    period: str  # "1 April 2026 to 30 June 2026"
    observed: float
    rating: str  # in words
    rating_code: str  # a Rating, for the bar's colour
    width: float  # of the chart's bar area, 0 to 100


@dataclass(frozen=True)
class KPIChart:
    """A KPI's results over time as bars on one scale, with the target's place on the same scale."""
    bars: list[ChartBar]
    target_at: float  # 0 to 100


def kpi_chart(kpi) -> KPIChart:
    results = sorted(kpi.results, key=lambda r: (r.period_end, r.published_at))
    largest = max([kpi.target] + [r.observed for r in results] + [0]) or 1
    scale = 100 / (largest * 1.1) if largest > 0 else 0
    bars = [ChartBar(f"{long_date(r.period_start)} to {long_date(r.period_end)}", r.observed,
                     latest_rating_label(r.rating, r.rating_note), r.rating, round(max(r.observed, 0) * scale, 1))
            for r in results]
    return KPIChart(bars, round(max(kpi.target, 0) * scale, 1))


RATING_TAG_COLOURS = {Rating.GOOD: "govuk-tag--green", Rating.APPROACHING_TARGET: "govuk-tag--blue",
                      Rating.REQUIRES_IMPROVEMENT: "govuk-tag--orange", Rating.INADEQUATE: "govuk-tag--red",
                      Rating.OTHER: "govuk-tag--grey"}
