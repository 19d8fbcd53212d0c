"""An opportunity's public values as one plain dict, and what changed between two of them, in words.

The same dict is an item's pending change (Opportunity.pending) and each version's snapshot, so a change is described
by comparing the snapshot the public saw with the one about to be published."""

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape

from portal.bidding.changes import what_changed
from portal.presenters import STAGE_LABELS, contract_length, long_date, market_quarter, value_range
from portal.places.authorities import name_of as authority_name
from portal.reference import region_name

SCALARS = ("title", "summary", "why_md", "body_md", "cpv_code", "value_min", "value_max", "value_basis",
           "engagement_closes_on", "questions_close_on", "market_year", "market_quarter", "contract_length_months",
           "likely_route", "area_codes", "stage", "suitable_for_sme", "suitable_for_vcse", "plain_score")
DATES = ("engagement_closes_on", "questions_close_on")
# What a version recorded before a field was versioned stands for: the value every item had then.
UNRECORDED = {"value_basis": "total", "area_codes": []}


@dataclass(frozen=True)
class Labels:
    """Names the sentences need that the values do not hold: brief sections' headings, missions' short titles."""
    sections: Mapping[str, str] = field(default_factory=dict)
    missions: Mapping[str, str] = field(default_factory=dict)


def public_values(opportunity) -> dict:
    """Everything the public sees of an item that its buyer edits, as JSON (dates as ISO text)."""
    values = {name: getattr(opportunity, name) for name in SCALARS}
    values |= {
        "brief_answers": dict(opportunity.brief_answers or {}),
        "bid_facts": dict(opportunity.bid_facts or {}),
        "missions": sorted(m.slug for m in opportunity.missions),
        "regions": sorted(opportunity.region_codes),
        "phases": [{"name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on, "funding": p.funding,
                    "description": p.description} for p in opportunity.phases],
    }
    return as_json(values)


def as_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _quoted(text: str | None) -> str:
    return f"\u201c{text}\u201d" if text else "not given"


def _moved(what: str, before: str, after: str, missing: str = "") -> str:
    if not before:
        return f"{what} was set to {after}"
    if not after:
        return f"{what} ({before}) was removed" + (f"; {missing}" if missing else "")
    return f"{what} moved from {before} to {after}"


def _added_removed(what: str, before: list[str], after: list[str], name) -> str | None:
    added = [name(item) for item in after if item not in before]
    removed = [name(item) for item in before if item not in after]
    parts = ([f"added {', '.join(added)}"] if added else []) + ([f"removed {', '.join(removed)}"] if removed else [])
    return f"{what}: {'; '.join(parts)}" if parts else None


def _text(what: str, before: str, after: str) -> str:
    if not before:
        return f"{what} was added"
    if not after:
        return f"{what} was removed"
    return f"{what} was rewritten"


def _when(values: Mapping) -> str:
    if not values.get("market_year") or not values.get("market_quarter"):
        return "not decided"
    return market_quarter(values["market_year"], values["market_quarter"])


def _value(values: Mapping) -> str:
    return value_range(values.get("value_min"), values.get("value_max"), values.get("value_basis") or "total",
                       values.get("contract_length_months"))


def _phases(before: list[dict], after: list[dict]) -> list[str]:
    names_before, names_after = [p["name"] for p in before], [p["name"] for p in after]
    lines = [line] if (line := _added_removed("Phases", names_before, names_after, str)) else []
    old = {p["name"]: p for p in before}
    lines += [f"The phase \u201c{p['name']}\u201d changed" for p in after if p["name"] in old and old[p["name"]] != p]
    return lines


def describe(before: Mapping, after: Mapping, labels: Labels = Labels()) -> list[str]:
    """Sentences saying what changed from `before` to `after`, with the old and new values, in page order. A name
    `before` lacks (an old version's snapshot) counts as unchanged, so history written before it was kept says
    nothing false."""
    def changed(name):
        if name not in before and name not in UNRECORDED:
            return False
        return before.get(name, UNRECORDED.get(name)) != after.get(name, UNRECORDED.get(name))

    lines = []
    if changed("title"):
        lines.append(f"The title changed from {_quoted(before['title'])} to {_quoted(after['title'])}")
    if changed("summary"):
        lines.append(_text("The summary", before["summary"], after["summary"]))
    if changed("why_md"):
        lines.append(_text("The section \u2018Why we are buying this\u2019", before["why_md"], after["why_md"]))
    if "brief_answers" in before:
        old, new = before["brief_answers"], after.get("brief_answers", {})
        for name in list(dict.fromkeys([*labels.sections, *old, *new])):
            if (old.get(name) or "") != (new.get(name) or ""):
                heading = labels.sections.get(name, name.replace("_", " ").capitalize())
                lines.append(_text(f"The section \u2018{heading}\u2019", old.get(name) or "", new.get(name) or ""))
    if changed("stage"):
        lines.append(f"The stage changed from {_quoted(STAGE_LABELS.get(before['stage'], before['stage']))} to "
                     f"{_quoted(STAGE_LABELS.get(after['stage'], after['stage']))}")
    if changed("engagement_closed_at") and after.get("engagement_closed_at"):
        was = long_date(day(before.get("engagement_closes_on")))
        lines.append(f"Engagement closed early, on {long_date(day(after['engagement_closes_on']))}"
                     + (f" (it was due to close on {was})" if changed("engagement_closes_on") and was else ""))
    elif changed("engagement_closes_on"):
        lines.append(_moved("The closing date", long_date(day(before["engagement_closes_on"])),
                            long_date(day(after["engagement_closes_on"]))))
    if changed("questions_close_on"):
        lines.append(_moved("The last day for questions", long_date(day(before["questions_close_on"])),
                            long_date(day(after["questions_close_on"])), "questions close with engagement"))
    if changed("market_year") or changed("market_quarter"):
        lines.append(f"When it goes to market moved from {_when(before)} to {_when(after)}")
    if any(changed(name) for name in ("value_min", "value_max", "value_basis")) or (
            after.get("value_basis") == "per-year" and changed("contract_length_months")):
        lines.append(f"The value changed from {_value(before | {k: before.get(k, v) for k, v in UNRECORDED.items()})}"
                     f" to {_value(after)}")
    if changed("contract_length_months"):
        lines.append(f"The contract length changed from {contract_length(before['contract_length_months']) or 'not given'}"
                     f" to {contract_length(after['contract_length_months']) or 'not given'}")
    if changed("likely_route"):
        lines.append(f"The likely route changed from {_quoted(before['likely_route'])} to {_quoted(after['likely_route'])}")
    if changed("cpv_code"):
        lines.append(f"The CPV code changed from {before['cpv_code']} to {after['cpv_code']}")
    for name, who in (("suitable_for_sme", "small and medium businesses"), ("suitable_for_vcse", "charities and social enterprises")):
        if changed(name):
            lines.append(f"It is {'now' if after[name] else 'no longer'} marked as suitable for {who}")
    if changed("regions"):
        lines.append(_added_removed("Regions", before["regions"], after["regions"], region_name))
    if changed("area_codes"):
        lines.append(_added_removed("Council areas", before.get("area_codes", []), after.get("area_codes", []),
                                    authority_name))
    if changed("missions"):
        lines.append(_added_removed("Missions", before["missions"], after["missions"],
                                    lambda slug: labels.missions.get(slug, slug)))
    if changed("phases"):
        lines += _phases(before["phases"], after["phases"])
    if changed("bid_facts"):
        lines += [line[0].upper() + line[1:] for line in what_changed(before["bid_facts"], after["bid_facts"])]
    return [line for line in lines if line]


@dataclass(frozen=True)
class Rewrite:
    """A section whose text changed: its name, and the change as escaped HTML with <del> and <ins>."""
    section: str
    before: str
    after: str

    @property
    def marked(self) -> Markup:
        return word_diff(self.before, self.after)


def rewrites(before: Mapping, after: Mapping, labels: Labels = Labels()) -> list[Rewrite]:
    """The texts that changed between two snapshots that both kept their text, for the change log's side-by-side."""
    if "summary" not in before or "summary" not in after:
        return []
    pairs = [("The summary", before["summary"], after["summary"]),
             ("Why we are buying this", before["why_md"], after["why_md"])]
    old, new = before.get("brief_answers", {}), after.get("brief_answers", {})
    pairs += [(labels.sections.get(name, name.replace("_", " ").capitalize()), old.get(name) or "", new.get(name) or "")
              for name in dict.fromkeys([*labels.sections, *old, *new])]
    return [Rewrite(name, old_text, new_text) for name, old_text, new_text in pairs if old_text != new_text]


def word_diff(before: str, after: str) -> Markup:
    """The new text with removed words in <del> and added words in <ins>; every word escaped."""
    old, new = re.findall(r"\s+|\S+\s*", before), re.findall(r"\s+|\S+\s*", after)  # each word with its space
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(escape("".join(new[j1:j2])))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format("".join(old[i1:i2])))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format("".join(new[j1:j2])))
    return Markup("").join(out)
