"""How well the checker flags jargon, measured on a fixed set of sentences (data/evaluation.csv).

Each row is a sentence and the words or phrases the checker should flag in it (lower case, separated by ";"),
or nothing for a plain sentence. A flag is a reported word or phrase (passive voice and long sentences are not
counted). Precision is the share of flags that were expected; recall is the share of expected flags found.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from portal.plain.checker import check
from portal.plain.phrases import DATA_DIR

EVALUATION_SET = DATA_DIR / "evaluation.csv"


@dataclass(frozen=True)
class Miss:
    sentence: str
    missed: tuple[str, ...]  # expected, not flagged
    extra: tuple[str, ...]  # flagged, not expected


@dataclass(frozen=True)
class Evaluation:
    sentences: int
    true_positives: int
    false_positives: int
    false_negatives: int
    misses: tuple[Miss, ...]

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def evaluate(path: str | Path = EVALUATION_SET, glossary_path: str | Path | None = None) -> Evaluation:
    with Path(path).open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    true_positives = false_positives = false_negatives = 0
    misses = []
    for row in rows:
        expected = {phrase.strip().lower() for phrase in (row["expected"] or "").split(";") if phrase.strip()}
        flagged = {hit.phrase.lower() for hit in check(row["sentence"], glossary_path=glossary_path).phrases}
        true_positives += len(expected & flagged)
        false_positives += len(flagged - expected)
        false_negatives += len(expected - flagged)
        if expected != flagged:
            misses.append(Miss(row["sentence"], tuple(sorted(expected - flagged)), tuple(sorted(flagged - expected))))
    return Evaluation(len(rows), true_positives, false_positives, false_negatives, tuple(misses))


def format_evaluation(result: Evaluation) -> str:
    lines = [f"Sentences: {result.sentences}",
             f"Precision: {result.precision:.2f} ({result.true_positives} of "
             f"{result.true_positives + result.false_positives} flags were expected)",
             f"Recall: {result.recall:.2f} ({result.true_positives} of "
             f"{result.true_positives + result.false_negatives} expected flags were found)"]
    for miss in result.misses:
        lines.append(f"- {miss.sentence}")
        if miss.missed:
            lines.append(f"    not flagged: {', '.join(miss.missed)}")
        if miss.extra:
            lines.append(f"    flagged, not expected: {', '.join(miss.extra)}")
    return "\n".join(lines)
