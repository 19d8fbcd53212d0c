"""Hypothesis strategies for hostile form and query values.

A form example starts from values that pass validation (some of them carrying markup, so they are stored and shown
again) and replaces fields with random text, hostile strings, wrong types, repeated values or nothing at all.
"""

import itertools

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# Markup and links that must never come back out of the site as live HTML.
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click]( JaVaScRiPt:alert(1) )",
    "<iframe src=javascript:alert(1)></iframe>",
    "<div hx-get='/fuzz-hx' hx-trigger='load'>x</div>",
    "<div>\n<script>alert(1)</script>\n</div>",
    "Plain words then <b onmouseover=alert(1)>bold</b>",
    "`<script>alert(1)</script>` in code",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</script>",
]
# Everything else a careless or malicious person might type.
HOSTILE = MARKUP + [
    "- " * 500,
    ">" * 1000 + " deep",
    "* " * 300 + "x",
    "1. " * 300 + "x",
    "' OR 1=1 --",
    "Robert'); DROP TABLE opportunity;--",
    "%00", "\x00", "a\x00b", "%0d%0aSet-Cookie: x=1",
    "line\nbreak", "line\r\nbreak", "\rcarriage", "tab\there", "\x1b[31mred", "\x7f\x85\u2028\u2029",
    "\u202eevil.exe", "\u200b", "\ufeffbom", "مرحبا بالعالم", "👩‍👩‍👧‍👦🏴‍☠️", "Ｆｕｌｌｗｉｄｔｈ",
    "{{ 7 * 7 }}", "{% raw %}", "${7*7}", "%s%s%s%n",
    "x" * 100_000,
    ("word " * 2000).strip(),
    " ", "",
]
# Options that no radio button, select or checkbox ever offered.
UNKNOWN_CHOICES = ["other", "WEBINAR", "Problem-Statement", "none", "null", "__proto__", "TLZ", "tli", "2099", "5"]
WRONG_TYPES = UNKNOWN_CHOICES + [
    str(2**63), str(2**63 - 1), str(2**31), str(2**31 - 1), str(2**64), "9" * 40, "-1", "-9223372036854775809",
    "0", "00", "1.5", "1e309", "NaN", "inf", "£50,000", "50,000", "1_000", " 7 ", "٣", "１２", "true", "[]", "{}",
]

# Just past the limits the forms and columns set (100, 120, 150, 200, 300, 500, 1,000 characters and more).
TOO_LONG = ["x" * n for n in (101, 121, 151, 201, 301, 501, 1001, 20_001)] + ["Long name " * 30]

# Sent, but nothing once spaces and control characters are taken out.
BLANK = ["", " ", "\x00", "\x01\x0b", "\t \x7f", "\x1b"]
# Text that passes a quick look: blank once cleaned, other scripts and directions, template syntax.
ODD_TEXT = ["\x01", "\x00 \x0b", " \x7f ", "مرحبا بالعالم", "👩‍👩‍👧‍👦 team", "\u202eevil\u202c", "{{ 7 * 7 }}", "\u200b",
            "Ω≈ç√∫", "Café crème"]
# Dates at the ends of the calendar, and ones that do not exist.
ODD_DATES = ["0001-01-01", "9999-12-31", "1900-02-29", "2027-02-30", "2027-13-01", "27-01-20", "20/01/2027",
             "0001-01-01T00:00", "9999-12-31T23:59", "2027-03-28T01:30", "2027-01-20T25:00"]

# Hypothesis' default alphabet already holds control characters and NUL; these make them likely.
control_text = st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=8)
# The same without line breaks, which a one-line field refuses: what is left should be stripped and accepted.
inline_control_text = st.text(st.characters(codec="utf-8", categories=["Cc", "Cf"], exclude_characters="\r\n\x85"),
                              min_size=1, max_size=8)
random_text = st.text(st.characters(codec="utf-8"), max_size=40)

fuzz_value = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(WRONG_TYPES),
    random_text,
    st.tuples(st.sampled_from(["Fair ", "Food ", ""]), control_text, st.sampled_from(["", " name"])).map("".join),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)

MISSING = object()


def _mutation(valid: st.SearchStrategy) -> st.SearchStrategy:
    """What replaces a good value: something hostile, wrong, repeated, or nothing at all."""
    return st.one_of(
        fuzz_value,
        fuzz_value,
        st.sampled_from(TOO_LONG),
        st.sampled_from(BLANK),
        st.sampled_from(ODD_DATES),
        st.just(MISSING),
        st.lists(st.one_of(valid, fuzz_value), min_size=2, max_size=3),
    )


def form(**fields: st.SearchStrategy) -> st.SearchStrategy:
    """A whole form post: good values (some carrying markup), with a few fields spoiled, now and then an extra field.

    Spoiling only a few fields at a time means a good share of examples pass validation, so what they carry is
    stored and then read back on the pages that show it.
    """
    @st.composite
    def build(draw):
        data = {name: draw(valid) for name, valid in fields.items()}
        # Mostly one field spoiled, so the hostile value meets that field's own checks and, if they let it through,
        # the database and every page that shows it.
        spoiled = min(len(fields), draw(st.sampled_from([0, 0, 0, 1, 1, 1, 2, 3])))
        for name in draw(st.lists(st.sampled_from(sorted(fields)), min_size=spoiled, max_size=spoiled, unique=True)):
            data[name] = draw(_mutation(fields[name]))
        for name, value in draw(st.dictionaries(st.sampled_from(["unknown", "id", "organisation_id", "user_id"]),
                                                fuzz_value, max_size=1)).items():
            data.setdefault(name, value)
        return {name: value for name, value in data.items() if value is not MISSING}
    return build()


def choice(*values: str) -> st.SearchStrategy:
    """A radio or select value from the real options (a mutation may swap in one that was never offered)."""
    return st.sampled_from(values)


def words(*plain: str) -> st.SearchStrategy:
    """Free text that should pass validation: plain words, markup short enough to be accepted and stored, or words
    with control characters in them (which the forms strip), or odd text that a form may or may not accept."""
    return st.one_of(
        st.sampled_from(plain),
        st.sampled_from(MARKUP),
        st.tuples(st.sampled_from(plain), inline_control_text, st.sampled_from(plain)).map(" ".join),
        st.sampled_from(ODD_TEXT),
    )


def checkboxes(*values: str) -> st.SearchStrategy:
    return st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)


_serial = itertools.count(1)
# A new address each time it is drawn, so sign-ups and invitations are not refused as duplicates.
new_emails = st.just(None).map(lambda _: f"fuzz{next(_serial)}@example.org")

huge_ids = st.one_of(
    st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30]),
    st.integers(min_value=0, max_value=2**80),
)


def fuzz_settings(max_examples: int):
    """Bounded and repeatable: the same examples on every run, on every machine."""
    return settings(derandomize=True, max_examples=max_examples, deadline=None, database=None,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])
