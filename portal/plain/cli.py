"""`python -m portal.plain FILE [FILE...]`: check files for plain English and print a report for each.

`-` reads standard input. `--json` prints a JSON list of {"file": ..., "report": {...}}. The exit code is 0,
or 1 if a file could not be read (the others are still checked).
`python -m portal.plain --evaluate [FILE]` runs the checker over its evaluation set (data/evaluation.csv, or FILE)
and prints precision and recall, with each sentence it got wrong.
"""

import argparse
import json
import sys

from portal.plain.checker import LONG_SENTENCE_WORDS, check
from portal.plain.evaluation import evaluate, format_evaluation
from portal.plain.report import Report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.plain", description="Check texts for plain English.")
    parser.add_argument("files", nargs="*", metavar="FILE", help="a text or Markdown file; - for standard input")
    parser.add_argument("--evaluate", action="store_true",
                        help="measure precision and recall on the evaluation set (or on the CSV file given)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a readable report")
    parser.add_argument("--max-words", type=int, help="say whether each file has more words than this")
    parser.add_argument("--glossary", help="the glossary YAML file (default: content/glossary.yaml)")
    args = parser.parse_args(argv)
    if args.evaluate:
        result = evaluate(*args.files[:1], glossary_path=args.glossary)
        print(format_evaluation(result))
        return 0
    if not args.files:
        parser.error("name at least one FILE, or use --evaluate")

    results, failed = [], False
    for name in args.files:
        try:
            text = _read(name)
        except OSError as error:
            print(f"{name}: could not read it: {error.strerror or error}", file=sys.stderr)
            failed = True
            continue
        results.append((name, check(text, max_words=args.max_words, glossary_path=args.glossary)))

    if args.json:
        print(json.dumps([{"file": name, "report": report.to_dict()} for name, report in results],
                         indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(format_report(name, report) for name, report in results))
    return 1 if failed else 0


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.buffer.read().decode("utf-8", errors="replace")
    with open(name, "rb") as file:
        return file.read().decode("utf-8", errors="replace")


def format_report(name: str, report: Report) -> str:
    """The report as lines of plain text."""
    lines = [name if name != "-" else "(standard input)", "=" * min(len(name), 70)]
    if report.reading_age is None:
        lines.append("Reading age: " + ("too short to score" if report.words else "no text to check"))
    else:
        lines.append(f"Reading age: {report.reading_age_text} ({report.reading_level}; "
                     f"Flesch-Kincaid grade {report.grade})")
    lines.append(f"Words: {report.words}")
    for limit in report.word_limits:
        lines.append(f"Word limit: {limit.limit} ({'over' if limit.over else 'within'})")
    lines.append(f"Sentences: {report.sentences}")
    lines.append(f"Score: {report.score} out of 100")
    lines.append("")
    lines.extend(f"- {message}" for message in report.messages)

    if report.long_sentences:
        lines += ["", f"Sentences over {LONG_SENTENCE_WORDS} words:"]
        lines.extend(f"  at {item.start}: {item.words} words: {item.text}" for item in report.long_sentences)
    if report.passive:
        lines += ["", "Passive voice (say who does what):"]
        lines.extend(f"  at {item.start}: \"{item.phrase}\"" for item in report.passive)
    if report.phrases:
        lines += ["", "Words and phrases:"]
        for hit in report.phrases:
            lines.append(f"  at {hit.start}: \"{hit.phrase}\": {hit.advice}")
            if hit.definition:
                lines.append(f"      Glossary: {hit.definition}")
    return "\n".join(lines)
