"""Word forms: stemming is safe when gunicorn's threads check text at the same time."""

import threading
from concurrent.futures import ThreadPoolExecutor

import snowballstemmer

from portal.plain import wordforms


def test_stemming_is_safe_from_many_threads_at_once():
    """Each thread has its own stemmer: one shared by a worker's threads broke under load (IndexError)."""
    words = [f"{base}{ending}" for base in ("procur", "utilis", "leverag", "commission", "deliver", "sustainabl") * 50
             for ending in ("e", "ed", "ing", "es", "ities")]
    expected = [snowballstemmer.stemmer("english").stemWord(word) for word in words]
    for _ in range(5):
        wordforms.stem.cache_clear()
        with ThreadPoolExecutor(max_workers=8) as pool:
            assert list(pool.map(wordforms.stem, words)) == expected


def test_each_thread_stems_with_its_own_stemmer():
    """A Snowball stemmer keeps its working state on itself: two threads must never share one."""
    both_running = threading.Barrier(2)

    def stemmer_of_this_thread(word):
        both_running.wait(timeout=10)  # so the two calls run on two threads
        wordforms.stem(word)
        return id(wordforms._local.stemmer)

    wordforms.stem.cache_clear()
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(stemmer_of_this_thread, "procured")
        second = pool.submit(stemmer_of_this_thread, "utilised")
        assert first.result() != second.result()
