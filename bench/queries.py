"""Benchmark queries: runs of 1-4 words cut from real notice titles, and plausible filter pairs.

Both are deterministic for a seed. A run never starts or ends with a stop word and never crosses a
number or code ("UOW822"), so queries look like what people type: "school catering", "winter light trail".
"""

import random
import re

from whoosh.analysis import STOP_WORDS

from portal.search.documents import VALUE_BANDS
from portal.search.query import CLOSING_WINDOWS, FILTER_NAMES

from bench import corpus, notices

DEFAULT_COUNT = 200
LENGTH_WEIGHTS = {1: 25, 2: 40, 3: 25, 4: 10}
# How often each filter is picked; people filter by place, stage and kind more than by buyer.
FILTER_WEIGHTS = {"region": 3, "stage": 3, "kind": 2, "mission": 2, "sme": 2, "value": 2,
                  "cpv": 1.5, "closing": 1.5, "vcse": 1, "buyer": 1, "source": 1}
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]|\S+")


def _is_edge_word(word: str) -> bool:
    return len(word) >= 3 and word not in STOP_WORDS


def phrases() -> dict[int, list[str]]:
    """Every run of 1-4 words in the real titles, by length, sorted so sampling is deterministic."""
    runs = {length: set() for length in LENGTH_WEIGHTS}
    for title in notices.load().titles:
        segment = []
        for token in _WORD.findall(title) + ["0"]:
            if token.isalpha() or (token[0].isalpha() and token.replace("'", "").replace("-", "").isalpha()):
                segment.append(token.lower())
                continue
            for start in range(len(segment)):
                for length in LENGTH_WEIGHTS:
                    run = segment[start:start + length]
                    if len(run) == length and _is_edge_word(run[0]) and _is_edge_word(run[-1]):
                        runs[length].add(" ".join(run))
            segment = []
    return {length: sorted(found) for length, found in runs.items()}


def make_queries(count: int = DEFAULT_COUNT, seed: int = corpus.SEED) -> list[str]:
    rng = random.Random(seed)
    pools = phrases()
    for pool in pools.values():
        rng.shuffle(pool)
    lengths, weights = list(LENGTH_WEIGHTS), list(LENGTH_WEIGHTS.values())
    chosen, seen = [], set()
    while len(chosen) < count and any(pools.values()):
        length = rng.choices(lengths, weights=weights)[0]
        if pools[length]:
            query = pools[length].pop()
            if query not in seen:
                seen.add(query)
                chosen.append(query)
    return chosen


def make_filters(count: int = DEFAULT_COUNT, seed: int = corpus.SEED) -> list[dict]:
    """`count` pairs of filters, as keyword arguments for portal.search.SearchQuery."""
    rng = random.Random(seed + 1)
    m = corpus.model()
    busiest_buyers = [b.slug for b in m.buyers[:40]]  # model().buyers is in order of publishing weight
    divisions = sorted({division for division, _ in m.cpv})
    values = {
        "kind": lambda: rng.choice(list(corpus.KINDS)),
        "stage": lambda: rng.choices(list(corpus.STAGES), weights=list(corpus.STAGES.values()))[0],
        "mission": lambda: rng.choice(m.missions),
        "buyer": lambda: rng.choice(busiest_buyers),
        "region": lambda: rng.choice(m.regions),
        "cpv": lambda: rng.choice(divisions),
        "value": lambda: rng.choice(list(VALUE_BANDS)),
        "sme": lambda: True,
        "vcse": lambda: True,
        "closing": lambda: rng.choice(CLOSING_WINDOWS),
        "source": lambda: rng.choice(list(corpus.SOURCES)),
    }
    weighted = {name: weight for name, weight in FILTER_WEIGHTS.items() if name in FILTER_NAMES}
    names, weights = list(weighted), list(weighted.values())
    pairs = []
    for _ in range(count):
        first = rng.choices(names, weights=weights)[0]
        second = first
        while second == first:
            second = rng.choices(names, weights=weights)[0]
        pairs.append({name: values[name]() for name in (first, second)})
    return pairs


if __name__ == "__main__":
    for query, filters in zip(make_queries(), make_filters()):
        print(f"{query!r:45} {filters}")
