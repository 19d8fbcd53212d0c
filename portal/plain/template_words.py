"""Words the portal's own brief templates ask buyers to use are never reported.

The labels, hints and headings of content/templates/*.yaml are read (again whenever a file there changes), and
any listed word or phrase they use becomes an "ignore" entry: if the form asks "What outcomes do you want?", the
checker must not then flag "outcomes". Other forms of a word are covered too, as they are matched through it.
"""

import functools
import logging
from pathlib import Path

import yaml

from portal.plain.phrases import Entry, Lexicon, key_of

log = logging.getLogger(__name__)

_LONGEST_PHRASE = 5  # words


def template_lexicon(templates_dir: Path, listed: frozenset[str]) -> Lexicon:
    """An "ignore" entry for each key in `listed` that the templates' labels, hints or headings use."""
    try:
        files = sorted(templates_dir.glob("*.yaml"))
        signature = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    except OSError:
        return {}
    return _ignored(signature, listed)


@functools.lru_cache(maxsize=8)
def _ignored(signature: tuple, listed: frozenset[str]) -> Lexicon:
    used: set[str] = set()
    for path, _mtime, _size in signature:
        for text in _template_texts(Path(path)):
            keys = key_of(text).split(" ")
            for size in range(1, _LONGEST_PHRASE + 1):
                for i in range(len(keys) - size + 1):
                    phrase = " ".join(keys[i:i + size])
                    used.add(phrase)
                    if phrase.endswith("s"):
                        used.add(phrase[:-1])
    # Phrases of short words only ("it is") are grammar, not vocabulary: the rules for them still apply.
    return {key: [Entry("ignore", "templates")] for key in used & listed if any(len(w) > 3 for w in key.split(" "))}


def _template_texts(path: Path) -> list[str]:
    try:
        template = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        log.warning("Plain-language checker: template %s not read: %s", path, error)
        return []
    sections = template.get("sections") if isinstance(template, dict) else None
    return [str(section.get(part)) for section in sections or [] if isinstance(section, dict)
            for part in ("label", "hint", "heading") if section.get(part)]
