"""One PostgreSQL search as one statement: matching, ranking, every filter group's counts and the page shown.

Matching and ranking follow `ranking` over the query's vocabulary concepts (see vocabulary): words typed at full
weight, terms the vocabulary added at EXPANDED_WEIGHT, the typed words as a phrase adding PHRASE_BOOST, and an entry
matching every concept of a search of several lifted by ALL_WORDS_BONUS (and counted, for "all_words").

Nothing is copied into the process, so memory does not grow with the number of opportunities and a change is
seen by the next search on every machine. The answers are those of `query.matches` and
`query.values_for_counting` (see filtering.filter_and_count), written in SQL over each entry's `tokens`:
"group=value" for each value the entry counts towards in every group but "closing" (ticked filters count "yes"),
written at index time (entry_tokens), so a filter is one look along a short array and the counts one grouped
pass over them, instead of reading the facets once per group:

- the filters applied are query.applied_filters: those chosen, and "open" unless closed ones are asked for;
- a group is counted over the entries failing no applied filter but those it leaves out (query.ignored_by: its own,
  and "open" too for the stage group), so each value shows what choosing it would give;
- "closing", which depends on the day, and "lot_value", chosen as a number, are matched from the facets, and the
  closing-date windows are counted from each entry's closing date;
- an entry is kept when some group counts it;
- the page is the entries failing none, in order, with their sort keys so the order can be checked after;
- only what can reach the page is ranked, since ranking reads each document: nothing when sorted by something
  else, and for several concepts only the entries matching all of them when enough of them pass (see _matched).
"""

from portal.search import vocabulary
from portal.search.query import (CLOSING_WINDOWS, FILTER_NAMES, TICK_FILTERS, SearchQuery, ignored_by,
                                 values_for_counting)
from portal.search.ranking import ALL_WORDS_BONUS, PHRASE_BOOST
from portal.search.snippets import MARK_END, MARK_START  # stand-ins for <mark>, swapped in after escaping
from portal.search.vocabulary import EXPANDED_WEIGHT

CONFIG = "english"
# ts_rank weights in the order {D, C, B, A}: relative to the title, as Whoosh's field boosts 1, 1.5, 2 and 4.
WEIGHTS = "{0.25, 0.375, 0.5, 1.0}"
NORMALISATION = 1  # rank divided by 1 + log(length): long texts do not win on length alone
YES = "yes"
NO = "no"
HEADLINE_OPTIONS = (f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=35, MinWords=15,"
                    " FragmentDelimiter=\" … \"")
# The closing-date windows an entry counts towards (query.values_for_counting), worked out after the filters from
# the `closes` carried past them (SORTED_FACTS), since they depend on the day.
CLOSING_VALUES = ("ARRAY(SELECT d::text FROM unnest(ARRAY[" + ", ".join(map(str, CLOSING_WINDOWS)) + "]) d"
                  " WHERE closes BETWEEN :today AND :today + d)")
# Filters whose chosen value is a number, not one of the counted values: query.matches.
NUMBER_MATCHES = {
    "closing": "(f->>'closes')::int BETWEEN :today AND :today + :chosen_closing",
    "lot_value": "(f->>'lot_value')::bigint <= :chosen_lot_value",
}
# Only these facts are carried past the filters, as plain columns (the counts read `tokens`), so the matched rows
# stay narrow.
SORTED_FACTS = ("(f->>'closes')::int AS closes, (f->>'published')::float8 AS published,"
                " (f->>'value')::float8 AS value")
OPEN = "(closes IS NOT NULL AND closes >= :today)"
# Four ascending keys per sort, the last ones breaking ties: filtering.sort_without_relevance, or relevance.
SORT_KEYS = {
    "relevance": ("-rank::float8", "-published", "0", "-id"),
    "closing": (f"CASE WHEN {OPEN} THEN 0 ELSE 1 END", f"CASE WHEN {OPEN} THEN closes::float8 ELSE 0 END",
                "-published", "-id"),
    "value": ("CASE WHEN value IS NULL THEN 1 ELSE 0 END", "-coalesce(value, 0)", "-published", "-id"),
    "newest": ("-published", "-id", "0", "0"),
}


DAY_DEPENDENT = "closing"  # counted from the facets at search time; every other group from the stored tokens


def entry_tokens(facets: dict) -> list[str]:
    """"group=value" for every value the entry counts towards, but for the group that depends on the day."""
    return [f"{name}={_token_value(value)}" for name in FILTER_NAMES if name != DAY_DEPENDENT
            for value in values_for_counting(name, facets, 0)]


def _token_value(value) -> str:
    if value is True:
        return YES
    return NO if value is False else str(value)


def tsquery_sql(words: list[str]) -> tuple[str, dict]:
    """A tsquery matching any of the words (as the Whoosh parser's OR group does), with its parameters."""
    parts = [f"plainto_tsquery('{CONFIG}', :w{i})" for i in range(len(words))]
    return " || ".join(parts), {f"w{i}": word for i, word in enumerate(words)}


def concept_sql(concepts: list[vocabulary.Concept]) -> tuple[str, str, str, dict]:
    """tsqueries for the concepts (see vocabulary): (typed words, any concept, every concept), with parameters.
    An alternative of several words matches all of them (plainto_tsquery); stop words alone match nothing."""
    typed, any_parts, params = [], [], {}
    for c, concept in enumerate(concepts):
        alternatives = []
        for a, alternative in enumerate(concept.alternatives):
            params[f"c{c}a{a}"] = alternative.text
            alternatives.append(f"plainto_tsquery('{CONFIG}', :c{c}a{a})")
        typed.append(alternatives[0])
        any_parts.append("(" + " || ".join(alternatives) + ")")
    return " || ".join(typed), " || ".join(any_parts), " && ".join(any_parts), params


def _matched(concepts: list[vocabulary.Concept], typed: str, shown: str, ranked: bool, page_end: int
             ) -> tuple[str, str, dict]:
    """The entries matching any concept, as (common table expressions the statement needs or "", statement,
    parameters).

    Ranked, each gets its rank and whether it matches every concept (see ranking). Only entries that can be shown
    are ranked: those passing `shown` (every applied filter); the others are there for the counts alone. A search of
    several concepts ranks only the entries matching every concept when at least `page_end` shown entries do: their
    ALL_WORDS_BONUS puts all of them above any other, so the page is among them, and the rest need no reading."""
    typed_query, any_query, every_query, params = concept_sql(concepts)
    params |= {"weights": WEIGHTS, "phrase": typed, "page_end": page_end}
    # A subquery, not a common table expression, so the planner sees the queries and can estimate how many match.
    q = (f"(SELECT {typed_query} AS typed, {any_query} AS any, {every_query} AS every,"
         f" phraseto_tsquery('{CONFIG}', :phrase) AS phrase) q")
    if not ranked:
        return "", ("SELECT s.opportunity_id AS id, s.facets AS f, s.tokens, 0 AS rank, false AS every"
                    f" FROM search_entry s, {q} WHERE s.document @@ q.any"), params

    def rank(tsquery: str) -> str:
        return f"ts_rank(CAST(:weights AS float4[]), e.d, e.{tsquery}, {NORMALISATION})"

    # `facts` only names the facets `f`, as the filter conditions in `shown` call them.
    facts = "search_entry s CROSS JOIN LATERAL (SELECT s.facets AS f) facts"
    if len(concepts) > 1:
        # The GIN index finds the entries matching every concept without reading a document.
        ctes = (f"every_match AS (SELECT s.opportunity_id AS id, {shown} AS shown FROM {facts}, {q}"
                " WHERE s.document @@ q.every), enough AS (SELECT count(*) FILTER (WHERE shown) >= :page_end AS yes"
                " FROM every_match)")
        every = "s.opportunity_id IN (SELECT id FROM every_match)"  # a hash of their ids, probed once an entry
        read = f"{shown} AND ({every} OR NOT (SELECT yes FROM enough))"
    else:
        ctes, every, read = "", "false", shown
    # The GIN index finds the entries without reading their documents; the document of each one ranked is then read
    # out of TOAST once (the `|| ''` copy, kept by OFFSET 0) rather than once for every ranking term and test below.
    statement = (
        f"SELECT e.id, e.f, e.tokens,"
        f" {rank('typed')} + {EXPANDED_WEIGHT} * {rank('any')}"
        f" + CASE WHEN e.d @@ e.phrase THEN {PHRASE_BOOST} * {rank('phrase')} ELSE 0 END"
        f" + CASE WHEN e.every_concept THEN {ALL_WORDS_BONUS} ELSE 0 END AS rank, e.every_concept AS every"
        f" FROM (SELECT s.opportunity_id AS id, facts.f, s.tokens, {every} AS every_concept,"
        f" CASE WHEN {read} THEN s.document || ''::tsvector END AS d, q.typed, q.any, q.phrase"
        f" FROM {facts} CROSS JOIN {q} WHERE s.document @@ q.any OFFSET 0) e"
    )
    return ctes, statement, params


def search_sql(query: SearchQuery, concepts: list[vocabulary.Concept], typed: str, today: int, offset: int
               ) -> tuple[str, dict]:
    """The statement and its parameters, for the concepts of the typed text (none: every entry). It returns one
    row: the total, [[group, value, count], ...], the page as [[id, key1, key2, key3, key4, extract or null], ...]
    (the extract only when words were searched for) and how many results match every concept (null unless ranked
    by relevance with two concepts or more)."""
    params: dict = {"today": today, "limit": query.size, "offset": offset}
    applied = query.applied_filters()
    conditions = {}
    for name, wanted in applied.items():
        if name in NUMBER_MATCHES:
            params[f"chosen_{name}"] = int(wanted)
            conditions[name] = f"coalesce({NUMBER_MATCHES[name]}, false)"
        else:
            params[f"chosen_{name}"] = f"{name}={_token_value(wanted)}"
            conditions[name] = f"coalesce(:chosen_{name} = ANY(tokens), false)"
    passes = [f"{condition} AS passes_{name}" for name, condition in conditions.items()]

    sort = query.sort if query.sort in SORT_KEYS and (concepts or query.sort != "relevance") else "newest"
    if concepts:
        ctes, matched, matched_params = _matched(concepts, typed, " AND ".join(conditions.values()) or "true",
                                                 sort == "relevance", offset + query.size)
        _, any_query, _, _ = concept_sql(concepts)
        params |= matched_params | {"options": HEADLINE_OPTIONS}
        # Worked out for the page only, from the plain text stored at index time; terms the vocabulary added are
        # marked too, as the other backends do.
        headline = f"CASE WHEN plain <> '' THEN ts_headline('{CONFIG}', plain, {any_query}, :options) END"
    else:
        ctes = ""
        matched = "SELECT opportunity_id AS id, facets AS f, tokens, 0 AS rank, false AS every FROM search_entry"
        headline = "NULL"
    fails = {name: f"(NOT passes_{name})::int" for name in applied}
    failed = " + ".join(fails.values()) or "0"

    def failing_only(names) -> str:
        """The entry fails no applied filter but these."""
        within = [fails[name] for name in names if name in applied]
        return f"failed = {' + '.join(within)}" if within else "failed = 0"

    # Which applied filters an entry fails, one bit each; a group counts the entries failing none but its own.
    bits = {name: 1 << i for i, name in enumerate(applied)}
    failed_mask = " + ".join(f"{fails[name]} * {bit}" for name, bit in bits.items()) or "0"
    leaves_out = {name: sum(bits.get(left_out, 0) for left_out in ignored_by(name)) for name in FILTER_NAMES}
    cases = "".join(f"WHEN '{name}' THEN {mask} " for name, mask in leaves_out.items() if mask)
    allowed = f"CASE split_part(t, '=', 1) {cases}ELSE 0 END" if cases else "0"
    # Tokens are grouped with the filters their entries fail first, so which group counts them is asked once per
    # token and mask rather than once per entry.
    counted = [
        f"SELECT split_part(t, '=', 1) AS name, substr(t, strpos(t, '=') + 1) AS value, sum(n) AS n"
        f" FROM (SELECT t, mask, count(*) AS n FROM kept, unnest(tokens) t GROUP BY t, mask) grouped"
        f" WHERE mask = 0 OR mask & ~({allowed}) = 0 GROUP BY t",
        f"SELECT '{DAY_DEPENDENT}' AS name, v AS value, count(*) AS n FROM kept, unnest({CLOSING_VALUES}) v"
        f" WHERE {failing_only(ignored_by(DAY_DEPENDENT))} GROUP BY v",
    ]
    # Every entry some group counts: failing at most one filter, or only filters one group leaves out together.
    kept = " OR ".join(["failed <= 1", *sorted({failing_only(ignored_by(name)) for name in FILTER_NAMES
                                                if len(ignored_by(name) & applied.keys()) > 1})])
    keys = SORT_KEYS[sort]
    all_words = ("(SELECT count(*) FROM kept WHERE failed = 0 AND every)" if len(concepts) > 1 and sort == "relevance"
                 else "NULL::bigint")
    statement = f"""
        WITH {ctes + ',' if ctes else ''} checked AS (
            SELECT id, {SORTED_FACTS}, tokens, rank, every{''.join(', ' + p for p in passes)} FROM ({matched}) matched
        ), kept AS MATERIALIZED (
            SELECT * FROM (SELECT *, {failed} AS failed, {failed_mask} AS mask FROM checked) scored WHERE {kept}
        ), counted AS (
            {' UNION ALL '.join(counted)}
        ), page AS (
            SELECT id, {', '.join(f'{key} AS k{i}' for i, key in enumerate(keys))}
            FROM kept WHERE failed = 0 ORDER BY k0, k1, k2, k3 LIMIT :limit OFFSET :offset
        )
        SELECT (SELECT count(*) FROM kept WHERE failed = 0),
               (SELECT json_agg(json_build_array(name, value, n)) FROM counted),
               (SELECT json_agg(json_build_array(id, k0, k1, k2, k3, {headline}))
                FROM page JOIN search_entry ON opportunity_id = id),
               {all_words}
    """
    return statement, params


def counted_key(name: str, value: str):
    """A counted value as filter_and_count gives it: days as a number, ticked filters as True."""
    if name == "closing":
        return int(value)
    if name == "open":
        return value == YES
    return True if name in TICK_FILTERS else value
