"""How every backend ranks a search, so all three answer alike.

Items matching every concept of the query (each word typed, or a term the vocabulary gives for it) come first: a
constant ALL_WORDS_BONUS lifts them above any item matching only some, and the search page shows them apart. Among
them the usual scores decide: title matches strongest (the field weights), words typed above terms the vocabulary
added (vocabulary.EXPANDED_WEIGHT), and the typed words close together in the title or summary add PHRASE_BOOST.
"""

ALL_WORDS_BONUS = 1000.0
PHRASE_BOOST = 3.0
PHRASE_SLOP = 2  # words between the typed words still counted as close together
PHRASE_FIELDS = ("title", "summary")
