"""Turning the brief editor's form into BriefData and back."""

from collections.abc import Mapping
from pathlib import Path

from flask import current_app

from portal import plain

from portal.briefs import Template, compose
from portal.places.authorities import name_of as authority_name
from portal.services.buyer_items import BriefData
from portal.services.phases import PhaseValues


MAX_CHECKED_CHARACTERS = 20_000


def plain_report(template: Template, values: Mapping[str, str]) -> plain.Report:
    """The plain-language check of everything a reader will see (the title too), with each field's word limit."""
    limits = {"summary": 50, "why": 200} | {section.name: section.max_words for section in template.sections}
    labels = {"title": "Title", "summary": "Summary", "why": "Why you are buying this"}
    labels |= {section.name: section.label for section in template.sections}
    texts = {name: str(values.get(name) or "")[:MAX_CHECKED_CHARACTERS] for name in labels}
    return plain.check(texts, limits, labels=labels,
                       glossary_path=Path(current_app.config["CONTENT_DIR"]) / "glossary.yaml")


def _previous(values: Mapping[str, str], name: str) -> int | None:
    text = str(values.get(name) or "").strip()
    return int(text) if text.isdigit() and len(text) <= 3 else None


def score_change(report: plain.Report, values: Mapping[str, str]) -> str:
    """What changed since the check the page shows (posted back as checked_reading_age and checked_score), in
    words for the live region: "Reading age now 11, was 14. Score now 85 out of 100, was 70." Empty if nothing did."""
    age, score = _previous(values, "checked_reading_age"), _previous(values, "checked_score")
    said = []
    if report.reading_age is not None and report.reading_age != age:
        said.append(f"Reading age now {report.reading_age}" + (f", was {age}." if age is not None else "."))
    elif report.reading_age is None and age is not None:
        said.append(f"Too short for a reading age now, was {age}.")
    new_score = report.score if report.words else None
    if new_score is not None and new_score != score:
        said.append(f"Score now {new_score} out of 100" + (f", was {score}." if score is not None else "."))
    return " ".join(said)


def brief_data(form, template: Template, kind: str) -> BriefData:
    answers = {section.name: (form[section.name].data or "").strip() for section in template.sections}
    year = int(form.financial_year.data) if form.financial_year.data else None
    quarter = int(form.quarter.data) if form.quarter.data else None
    return BriefData(
        kind=kind, title=form.title.data.strip(), summary=form.summary.data.strip(), why_md=form.why.data.strip(),
        body_md=compose(template, answers), answers=answers, missions=form.missions.data or [],
        cpv_code=form.cpv.data, regions=form.regions.data, value_min=form.value_min.data, value_max=form.value_max.data,
        value_basis=form.value_basis.data,
        engagement_closes_on=form.engagement_closes.data, market_year=year, market_quarter=quarter,
        contract_length_months=form.contract_length_months.data, likely_route=(form.likely_route.data or "").strip(),
        area_codes=form.areas.codes, stage=form.stage.data, suitable_for_sme=form.suitable_for_sme.data, suitable_for_vcse=form.suitable_for_vcse.data,
        plain_score=plain_report(template, {"title": form.title.data, "summary": form.summary.data,
                                            "why": form.why.data, **answers}).score,
        phases=[PhaseValues(row.form.name.data.strip(), row.form.starts.data, row.form.ends.data, row.form.funding.data)
                for row in getattr(form, "phases", []) if row.form.filled()],
        questions_close_on=form.questions_close.data,
        market_questions=[row.form.values() for row in form.questions_to_suppliers if row.form.filled()],
    )


def form_data(opportunity, questions=()) -> dict:
    """The editor's values for a saved brief; `questions` are the questions it asks suppliers now."""
    return {
        "title": opportunity.title, "summary": opportunity.summary, "why": opportunity.why_md,
        "missions": [m.slug for m in opportunity.missions], "cpv": opportunity.cpv_code,
        "regions": opportunity.region_codes, "value_min": opportunity.value_min, "value_max": opportunity.value_max,
        "value_basis": opportunity.value_basis,
        "engagement_closes": opportunity.engagement_closes_on,
        "financial_year": str(opportunity.market_year) if opportunity.market_year else "",
        "quarter": str(opportunity.market_quarter) if opportunity.market_quarter else "",
        "contract_length_months": opportunity.contract_length_months, "likely_route": opportunity.likely_route,
        "areas": ", ".join(authority_name(code) for code in opportunity.area_codes or []), "stage": opportunity.stage, "suitable_for_sme": opportunity.suitable_for_sme,
        "suitable_for_vcse": opportunity.suitable_for_vcse, **opportunity.brief_answers,
        "phases": [{"name": p.name, "starts": p.starts_on, "ends": p.ends_on, "funding": p.funding} for p in opportunity.phases],
        "questions_close": opportunity.questions_close_on,
        "questions_to_suppliers": [{"text": q.text, "max_words": q.max_words} for q in questions],
    }


def suggested_questions(template: Template) -> dict:
    """A new brief starts with the template's suggested questions to suppliers, for the buyer to change."""
    return {"questions_to_suppliers": [{"text": q.text, "max_words": q.max_words} for q in template.market_questions]}
