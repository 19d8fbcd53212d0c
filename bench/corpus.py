"""Synthetic opportunities whose words come from real notices.

Text comes from word-bigram Markov chains trained on the real notice titles (for titles) and descriptions
(for summaries, "why" and bodies), so vocabulary, word frequencies and common phrases are those of UK
procurement notices. Facets are random but plausible. Document `i` depends only on (seed, i), so a corpus of
10,000 is the first 10,000 documents of the corpus of 100,000.

Documents have the shape of `portal.search.document_for(...)`, and are made one at a time (an iterator).
"""

import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from portal import reference
from portal.bidding.social_value import THEMES
from portal.places import authorities
from portal.search.documents import VALUE_BANDS, Facets, value_band

from bench import notices

SEED = 2026
TODAY = date(2026, 10, 1)  # the "today" of every benchmark search; published dates fall in the year before

KINDS = {"problem-statement": 35, "innovation-challenge": 20, "pipeline-item": 45}
STAGES = {"pipeline": 35, "engagement": 30, "tender": 18, "awarded": 12, "cancelled": 5}
# Rough weights by population and public spending, so London and the South East publish more.
REGION_WEIGHTS = {"TLC": 4, "TLD": 11, "TLE": 8, "TLF": 7, "TLG": 9, "TLH": 9,
                  "TLI": 14, "TLJ": 14, "TLK": 8, "TLL": 5, "TLM": 8, "TLN": 3}
BUYER_COUNT = 200
# Buyers often publish through a directorate; used to make ~200 buyers from the ~140 real buyer names.
DIRECTORATES = ("Adult Social Care", "Children's Services", "Estates and Facilities", "Highways", "Digital Services",
                "Public Health", "Housing", "Environment")
NOT_STATED_SHARE = 0.15
SME_SHARE = 0.65
VCSE_SHARE = 0.30
NO_CLOSING_SHARE = 0.25
AREA_SHARE = 0.7  # items naming a council area
# Where an opportunity was published (Facets.source, models.Source): the portal itself or an imported notice.
SOURCES = {"portal": 40, "contracts-finder": 40, "find-a-tender": 20}
SOCIAL_VALUE_THEMES = [theme.slug for theme in THEMES]

# slug: (short title, title, outcome titles). The first seven are the portal's own missions (content/missions/).
MISSIONS = {
    "camden-diversity": ("Diversity", "By 2030, those holding positions of power in Camden are as diverse as our community",
                         ("Leaders in Camden reflect the people who live here",
                          "More public spend goes to businesses and charities led by under-represented groups")),
    "camden-estates": ("Estates", "By 2030, Camden's estates and their neighbourhoods are healthy, sustainable and unlock creativity",
                       ("Homes on our estates are warm, dry and cheap to heat", "Estates have green, safe spaces that people use")),
    "camden-food": ("Food", "By 2030, everyone eats well every day with nutritious, affordable, sustainable food",
                    ("Fewer families go without enough food", "Children eat a healthy meal at school every day")),
    "camden-young-people": ("Young people", "By 2025, every young person has access to economic opportunity",
                            ("Young people find good work, apprenticeships or training",
                             "Young people feel safe in their neighbourhood")),
    "good-jobs": ("Good jobs", "Good jobs and skills for everyone, in every town",
                  ("Adults gain skills that lead to better-paid work",
                   "Everyone can get online and use digital services with confidence")),
    "healthier-lives": ("Healthier lives", "Everyone lives a longer, healthier life, and the gap between areas closes",
                        ("More illness is prevented or caught early",
                         "People get care closer to home and leave hospital sooner")),
    "net-zero": ("Net zero", "Cut the carbon emissions of public services to net zero",
                 ("Public buildings and homes use less energy and no fossil-fuel heating",
                  "Fleets and journeys are zero-emission")),
    "safer-streets": ("Safer streets", "Streets, parks and transport where everyone feels safe, day and night",
                      ("Fewer people are victims of violence", "Women and girls feel safe travelling at night")),
    "affordable-homes": ("Homes", "A secure, affordable and decent home for everyone",
                         ("Fewer households live in temporary accommodation", "Private rented homes meet decent standards")),
    "clean-air": ("Clean air", "Air that is safe to breathe in every neighbourhood",
                  ("Fewer schools are near roads with dirty air", "More journeys are made on foot and by bike")),
    "high-streets": ("High streets", "Thriving high streets and town centres",
                     ("Fewer empty shops on high streets", "Local firms win more public contracts")),
    "best-start": ("Best start", "Every child has the best start in life",
                   ("More children are ready for school", "Families get help early, before problems grow")),
}

_TOKEN = re.compile(r"£?\d[\d,.:/]*\d%?|£?\d%?|\w[\w'’&-]*\w|\w|[.!?;,:&/-]")
_SENTENCE_END = frozenset(".!?")
_ATTACHED = frozenset(".!?;,:")
_NOT_A_WORD = re.compile(r"[^\w£]+")  # "-" and "&" between words
START, END = "<s>", "</s>"


class Chain:
    """A word-bigram Markov chain; followers are kept with repetition, so choice() follows real frequencies."""

    def __init__(self, texts: Iterable[str]):
        followers = defaultdict(list)
        for text in texts:
            previous = START
            for token in _TOKEN.findall(text):
                followers[previous].append(token)
                previous = token
            followers[previous].append(END)
        self.followers = {token: tuple(following) for token, following in followers.items()}

    def words(self, rng: random.Random, count: int, joiner: str | None = None) -> list[str]:
        """Tokens holding `count` words. At the end of a source text the chain starts again, after `joiner`
        (titles) or a full stop (running text)."""
        followers, choice = self.followers, rng.choice
        tokens, words, previous = [], 0, START
        while words < count:
            token = choice(followers[previous])
            if token == END:
                if joiner and tokens and tokens[-1] != joiner:
                    tokens.append(joiner)
                elif not joiner and tokens and tokens[-1] not in _SENTENCE_END:
                    tokens.append(".")
                previous = START
                continue
            tokens.append(token)
            if token[0].isalnum() or token[0] == "£":
                words += 1
            previous = token
        return tokens


def render(tokens: list[str], paragraph_words: tuple[int, int] | None = None, rng: random.Random | None = None) -> str:
    """Tokens as text: punctuation attached, a capital after a full stop, optionally Markdown paragraphs."""
    parts, words, capital = [], 0, True
    limit = rng.randint(*paragraph_words) if paragraph_words else None
    for token in tokens:
        if token in _ATTACHED and parts:
            parts[-1] += token
        else:
            parts.append(token[:1].upper() + token[1:] if capital else token)
            words += 1
        capital = token in _SENTENCE_END
        if limit and capital and words >= limit:
            parts[-1] += "\n\n"
            words, limit = 0, rng.randint(*paragraph_words)
    text = " ".join(parts).replace("\n\n ", "\n\n").strip()
    return text


def _sentence(tokens: list[str]) -> list[str]:
    """Running text ends with a full stop."""
    while tokens and not tokens[-1][0].isalnum():
        tokens.pop()
    return [*tokens, "."]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class Buyer:
    slug: str
    name: str
    region: str


@dataclass(frozen=True)
class Model:
    titles: Chain
    text: Chain
    buyers: tuple[Buyer, ...]
    buyer_weights: tuple[float, ...]  # cumulative, Zipf-like: a few buyers publish much more than most
    cpv: tuple[tuple[str, str], ...]  # (division, label) with the frequencies of the real notices
    regions: tuple[str, ...]
    region_weights: tuple[float, ...]  # cumulative
    region_names: dict
    areas_by_region: dict  # ITL1 code: the codes of its councils
    missions: tuple[str, ...]
    mission_weights: tuple[float, ...]  # cumulative


@cache
def model() -> Model:
    real = notices.load()
    rng = random.Random(SEED)
    regions = tuple(sorted(reference.regions()))
    region_weights = tuple(_cumulative(REGION_WEIGHTS.get(code, 5) for code in regions))

    def any_region():
        return rng.choices(regions, cum_weights=region_weights)[0]

    names = [(name.title() if name.isupper() else name, region) for name, region in real.buyers]
    buyers = [Buyer(_slug(name), name, region or any_region()) for name, region in names]
    for i in range(max(0, BUYER_COUNT - len(buyers))):
        name, region = names[i % len(names)]
        name = f"{name}: {DIRECTORATES[(i // len(names)) % len(DIRECTORATES)]}"
        buyers.append(Buyer(_slug(name), name, region or any_region()))
    rng.shuffle(buyers)
    missions = tuple(MISSIONS)
    return Model(
        titles=Chain(real.titles),
        text=Chain(real.descriptions),
        buyers=tuple(buyers),
        buyer_weights=tuple(_cumulative(1 / (rank + 1) ** 0.8 for rank in range(len(buyers)))),
        cpv=real.cpv,
        regions=regions,
        region_weights=region_weights,
        region_names={code: r.name for code, r in reference.regions().items()},
        areas_by_region=_areas_by_region(),
        missions=missions,
        mission_weights=tuple(_cumulative(1 / (rank + 1) ** 0.5 for rank in range(len(missions)))),
    )


def _areas_by_region() -> dict[str, tuple[str, ...]]:
    found = defaultdict(list)
    for authority in authorities.authorities().values():
        found[authority.region_code].append(authority.code)
    return {region: tuple(sorted(codes)) for region, codes in found.items()}


def _cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def document(i: int, seed: int = SEED, today: date = TODAY) -> dict:
    """Document number i (ids start at 1)."""
    m = model()
    rng = random.Random(seed * 1_000_003 + i)
    choices = rng.choices

    kind = choices(list(KINDS), weights=list(KINDS.values()))[0]
    stage = choices(list(STAGES), weights=list(STAGES.values()))[0]
    buyer = choices(m.buyers, cum_weights=m.buyer_weights)[0]
    missions = set(choices(m.missions, cum_weights=m.mission_weights, k=1 if rng.random() < 0.7 else 2))
    regions = [buyer.region if rng.random() < 0.8 else choices(m.regions, cum_weights=m.region_weights)[0]]
    for _ in range(choices((0, 1, 2), weights=(60, 25, 15))[0]):
        region = choices(m.regions, cum_weights=m.region_weights)[0]
        if region not in regions:
            regions.append(region)
    division, cpv_label = rng.choice(m.cpv)
    value = None if rng.random() < NOT_STATED_SHARE else int(round(10 ** rng.uniform(3.7, 7.8), -3))
    published = today - timedelta(days=rng.randrange(365))
    closes = None if rng.random() < NO_CLOSING_SHARE else published + timedelta(days=rng.randint(14, 150))

    title = render(m.titles.words(rng, rng.randint(8, 12), joiner="-"))
    summary = render(_sentence(m.text.words(rng, rng.randint(32, 48))))
    why = render(_sentence(m.text.words(rng, rng.randint(60, 150))))
    body = render(_sentence(m.text.words(rng, rng.randint(250, 400))), paragraph_words=(50, 110), rng=rng)
    # "Can we bid?" facts, drawn after the text so documents keep the words they had before these facets existed.
    lot_value = None if value is None or rng.random() < 0.1 else int(value * rng.choice((1.0, 1.0, 0.5, 0.25)))
    min_turnover = choices((None, 0, 50_000, 250_000, 1_000_000, 5_000_000), weights=(40, 25, 10, 10, 10, 5))[0]
    themes = tuple(sorted(set(rng.sample(SOCIAL_VALUE_THEMES, choices((0, 1, 2), weights=(50, 35, 15))[0]))))
    payment_days = choices((None, 14, 30, 60), weights=(50, 10, 30, 10))[0]
    # Council areas, drawn last for the same reason: most items name one council in their first region.
    in_region = m.areas_by_region.get(regions[0], ())
    area_codes = (rng.choice(in_region),) if in_region and rng.random() < AREA_SHARE else ()
    keywords = [
        buyer.name,
        *(f"{MISSIONS[slug][0]} {MISSIONS[slug][1]}" for slug in sorted(missions)),
        *(outcome for slug in sorted(missions) for outcome in MISSIONS[slug][2]),
        *(m.region_names[code] for code in regions),
        *(authorities.name_of(code) for code in area_codes),
        cpv_label,
    ]
    values = {
        "kind": kind,
        "stage": stage,
        "buyer": buyer.slug,
        "missions": tuple(sorted(missions)),
        "regions": tuple(regions),
        "areas": tuple(sorted(authorities.covered_by(area_codes))),
        "cpv_division": division,
        "value_band": value_band(None, value),
        "value": value,
        "sme": rng.random() < SME_SHARE,
        "vcse": rng.random() < VCSE_SHARE,
        "published": published.toordinal(),
        "closes": closes.toordinal() if closes else None,
        "source": choices(list(SOURCES), weights=list(SOURCES.values()))[0],
        "lot_value": lot_value,
        "min_turnover": min_turnover,
        "social_value_themes": themes,
        "consortia": rng.random() < 0.3,
        "reserved_vcse": rng.random() < 0.05,
        "payment_days": payment_days,
        "open": stage not in ("awarded", "cancelled"),
    }
    facets = _facets(values)
    return {
        "id": str(i + 1),
        "title": title,
        "summary": summary,
        "keywords": " ".join(keywords),
        "why": why,
        "body": body,
        "facets": asdict(facets),  # what document_for() gives
        "area_codes": list(area_codes),  # what the buyer chose; facets["areas"] adds what they cover
    }


def _facets(values: dict) -> Facets:
    """The portal's Facets from the values made here; a field the benchmark does not know about is an error."""
    unknown = [f.name for f in fields(Facets) if f.name not in values]
    if unknown:
        raise RuntimeError(f"bench/corpus.py makes no value for Facets field(s) {unknown}: add them to document()")
    return Facets(**{f.name: values[f.name] for f in fields(Facets)})


def documents(count: int, seed: int = SEED, today: date = TODAY) -> Iterator[dict]:
    for i in range(count):
        yield document(i, seed, today)


def write_jsonl(path: Path, docs: Iterable[dict]) -> dict:
    """Write documents one per line; returns average lengths in words."""
    totals, count = defaultdict(int), 0
    with open(path, "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
            count += 1
            for name in ("title", "summary", "why", "body", "keywords"):
                totals[name] += sum(1 for word in doc[name].split() if not _NOT_A_WORD.fullmatch(word))
    return {"documents": count, **{f"{name}_words_mean": round(totals[name] / max(count, 1), 1) for name in totals}}


def read_jsonl(path: Path, count: int) -> Iterator[dict]:
    """The first `count` documents of a file made by write_jsonl, with tuples where document_for has them."""
    with open(path, encoding="utf-8") as f:
        for _, line in zip(range(count), f):
            doc = json.loads(line)
            facets = doc["facets"]
            facets["missions"] = tuple(facets["missions"])
            facets["regions"] = tuple(facets["regions"])
            facets["areas"] = tuple(facets["areas"])
            del doc["area_codes"]  # for the database (bench/http_data.py); indexes get facets["areas"]
            facets["social_value_themes"] = tuple(facets["social_value_themes"])
            yield doc


def vocabulary_size() -> int:
    m = model()
    return len({t.lower() for chain in (m.titles, m.text) for t in chain.followers if t[0].isalnum()})


assert set(KINDS) == {"problem-statement", "innovation-challenge", "pipeline-item"}
assert "not-stated" in VALUE_BANDS
