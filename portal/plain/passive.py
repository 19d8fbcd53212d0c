"""Passive-voice hints.

The heuristic, kept simple on purpose: a form of "to be" (am, is, are, was, were, be, been, being, and "'re"),
then a past participle, either next or after one other word ("was quickly written", "is not needed"). A past
participle is a word from a short list of irregular ones (written, made, given, ...) or a word ending in -ed
(4 letters or more) or -en (5 letters or more), apart from common words that only look like one ("need",
"indeed", "often", "children", "between").
The word in between may not be a determiner or "to": "is a trained team" and "is to strengthen" are not passive.
Participles that usually work as adjectives after "to be" ("we are interested", "the office is based in Leeds",
"we are committed to") count only when a "by" phrase follows ("we were pleased by the response").
It is a hint, not a verdict. Each hint stays inside one sentence.
"""

from portal.plain.text import Sentence

BE_FORMS = frozenset({"am", "is", "are", "was", "were", "be", "been", "being",
                      "isn't", "aren't", "wasn't", "weren't", "isn’t", "aren’t", "wasn’t", "weren’t"})

IRREGULAR_PARTICIPLES = frozenset({
    "arisen", "awoken", "beaten", "begun", "bent", "bitten", "blown", "born", "borne", "bought", "bound", "broken",
    "brought", "built", "burnt", "caught", "chosen", "cut", "dealt", "done", "drawn", "driven", "drunk", "eaten",
    "fallen", "fed", "felt", "forbidden", "forgiven", "forgotten", "fought", "found", "frozen", "given", "grown",
    "heard", "held", "hidden", "hit", "hung", "hurt", "kept", "laid", "led", "left", "lent", "lost",
    "made", "meant", "met", "mistaken", "overcome", "overseen", "overtaken", "overthrown", "overturned", "paid",
    "proven", "put", "quit", "ridden", "risen", "run", "said", "sent", "set", "shaken", "shown", "shut", "slain",
    "sold", "sought", "spent", "split", "spoken", "spread", "stolen", "stood", "struck", "stuck", "sung", "sunk",
    "swept", "sworn", "taken", "taught", "thought", "thrown", "told", "torn", "undergone", "understood",
    "undertaken", "undone", "upheld", "withdrawn", "withheld", "woken", "won", "worn", "written"
})

NOT_PARTICIPLES = frozenset({
    "alien", "aspen", "bed", "bleed", "bred", "breed", "brighten", "burden", "chicken", "children", "citizen",
    "dampen", "darken", "deafen", "deed", "deepen", "dozen", "eleven", "exceed", "fasten", "feed", "flatten",
    "frighten", "garden", "glisten", "golden", "greed", "happen", "harden", "hasten", "haven", "heaven", "heed",
    "hundred", "indeed", "kindred", "kitchen", "kitten", "lessen", "lighten", "linen", "listen", "loosen", "maiden",
    "naked", "need", "often", "oxygen", "pollen", "proceed", "quicken", "ragged", "raven", "ripen", "rugged",
    "sacred", "sadden", "seed", "seven", "sharpen", "shed", "shorten", "siren", "soften", "specimen", "speed",
    "strengthen", "succeed", "sudden", "threaten", "tighten", "token", "warden", "weaken", "weed", "wicked",
    "widen", "women", "wooden", "worsen"
})

ADJECTIVAL = frozenset({
    "interested", "pleased", "based", "concerned", "committed", "delighted", "involved", "located", "qualified",
    "experienced", "excited", "worried", "satisfied", "prepared", "dedicated", "determined", "engaged", "focused",
    "focussed", "tired", "bored", "surprised", "disappointed", "skilled", "registered", "accredited", "licensed",
    "insured", "limited", "closed", "united", "mixed", "varied", "detailed", "complicated", "settled",
    "connected", "related", "equipped", "placed", "positioned", "situated", "motivated", "inspired", "confused",
    "scared", "frightened", "embarrassed", "amazed", "annoyed", "ashamed", "grateful", "thrilled", "unemployed",
    "employed", "retired", "married", "self-employed", "talented", "gifted", "devoted", "entitled", "eligible",
    
})

_NOT_IN_BETWEEN = frozenset({"a", "an", "the", "this", "that", "these", "those", "my", "our", "your", "their",
                             "his", "her", "its", "some", "any", "no", "every", "each", "to"})


def _is_be(word: str) -> bool:
    return word in BE_FORMS or word.endswith(("'re", "’re"))


def _is_participle(word: str) -> bool:
    if word in IRREGULAR_PARTICIPLES:
        return True
    if word in NOT_PARTICIPLES or word in BE_FORMS:
        return False
    if len(word) >= 4 and word.endswith("ed"):
        return True
    return len(word) >= 5 and word.endswith("en") and not word.endswith("een")


def passive_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """(start, end) character offsets of each "to be ... participle" phrase in the sentence."""
    found = []
    lowered = [t.text.lower() for t in sentence.tokens]
    i = 0
    while i < len(lowered):
        if _is_be(lowered[i]):
            nxt = lowered[i + 1] if i + 1 < len(lowered) else ""
            after = lowered[i + 2] if i + 2 < len(lowered) else ""
            end = None
            if _is_participle(nxt):
                end = i + 1
            elif nxt and not _is_be(nxt) and nxt not in _NOT_IN_BETWEEN and _is_participle(after):
                end = i + 2
            if end is not None and lowered[end] in ADJECTIVAL and (end + 1 >= len(lowered) or lowered[end + 1] != "by"):
                end = None
            if end is not None:
                found.append((sentence.tokens[i].start, sentence.tokens[end].end))
                i = end + 1
                continue
        i += 1
    return found
