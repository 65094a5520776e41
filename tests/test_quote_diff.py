import time

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.quote_diff import DIFF_OPS, diff_ratio, reconstruct, tokenize, word_diff


def check_well_formed(a: str, b: str, chunks) -> None:
    assert reconstruct(chunks) == (a, b)
    for op, text in chunks:
        assert op in DIFF_OPS
        assert text, "no empty chunk"
    for (op1, _), (op2, _) in zip(chunks, chunks[1:]):
        assert op1 != op2, "adjacent chunks with the same op are merged"
        assert (op1, op2) != ("insert", "delete"), "a deletion comes before its insertion"


def test_known_small_diff():
    a = "never tanks, never planes"
    b = "never tanks, always planes"
    assert word_diff(a, b) == [
        ("equal", "never tanks, "),
        ("delete", "never"),
        ("insert", "always"),
        ("equal", " planes"),
    ]


def test_whole_words_not_characters():
    chunks = word_diff("we are planning", "we are planting")
    assert ("delete", "planning") in chunks
    assert ("insert", "planting") in chunks


def test_punctuation_change():
    chunks = word_diff("Nothing is excluded.", "Nothing is excluded!")
    assert chunks == [("equal", "Nothing is excluded"), ("delete", "."), ("insert", "!")]


def test_insertion_and_deletion_only():
    assert word_diff("we will send troops", "we will not send troops") == [
        ("equal", "we will "),
        ("insert", "not "),
        ("equal", "send troops"),
    ]
    assert word_diff("we will not send troops", "we will send troops") == [
        ("equal", "we will "),
        ("delete", "not "),
        ("equal", "send troops"),
    ]


def test_empty_strings():
    assert word_diff("", "") == []
    assert word_diff("", "hello") == [("insert", "hello")]
    assert word_diff("hello", "") == [("delete", "hello")]
    assert word_diff("same", "same") == [("equal", "same")]


def test_unicode_and_french():
    a = "Rien ne doit être exclu."
    b = "Rien ne doit être écarté."
    assert word_diff(a, b) == [
        ("equal", "Rien ne doit être "),
        ("delete", "exclu"),
        ("insert", "écarté"),
        ("equal", "."),
    ]
    check_well_formed("日本語 テキスト 🙂", "日本語 文章 🙂", word_diff("日本語 テキスト 🙂", "日本語 文章 🙂"))


def test_markup_and_control_characters_are_data():
    a = "[bold]never[/bold]\x00 tanks\x1b[31m"
    b = "[bold]always[/bold]\x00 tanks\x1b[32m"
    chunks = word_diff(a, b)
    check_well_formed(a, b, chunks)
    assert ("delete", "never") in chunks and ("insert", "always") in chunks
    assert chunks[0] == ("equal", "[bold]")


def test_tokenize_covers_every_character():
    text = "Hello, world!  [b]x[/b]\n\ttab"
    assert "".join(tokenize(text)) == text
    assert tokenize("never tanks, never") == ["never", " ", "tanks", ", ", "never"]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_word_diff_reconstructs_any_text(a, b):
    check_well_formed(a, b, word_diff(a, b))


words = st.sampled_from(["never", "always", "tanks", "planes", "troops", "we", "will", "not", "é", "\x00", "[b]"])
seps = st.sampled_from([" ", ", ", ". ", "\n", "  ", "!", ""])
texts = st.lists(st.tuples(words, seps), max_size=40).map(lambda pairs: "".join(w + s for w, s in pairs))


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_word_diff_reconstructs_wordy_text(a, b):
    chunks = word_diff(a, b)
    check_well_formed(a, b, chunks)
    ratio = diff_ratio(a, b)
    assert 0.0 <= ratio <= 1.0


@given(st.text())
def test_diff_with_itself(a):
    assert word_diff(a, a) == ([("equal", a)] if a else [])
    assert diff_ratio(a, a) == 1.0


def test_diff_ratio_range():
    assert diff_ratio("", "") == 1.0
    assert diff_ratio("abc", "") == 0.0
    assert diff_ratio("alpha beta", "gamma delta") < 0.5
    r = diff_ratio("never tanks, never planes", "never tanks, always planes")
    assert 0.5 < r < 1.0


def _long_text(n: int, seed: int) -> str:
    import random

    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(2000)]
    weights = [1 / (i + 1) for i in range(2000)]
    return " ".join(rng.choices(vocab, weights, k=n))


def test_long_texts_are_fast():
    a = _long_text(10_000, 1)
    tokens = a.split(" ")
    b = " ".join(t if i % 50 else "changed" for i, t in enumerate(tokens))
    unrelated = _long_text(10_000, 2)
    repetitive_a = "the " * 10_000
    repetitive_b = "the " * 5_000 + "a " + "the " * 5_000
    start = time.perf_counter()
    for x, y in [(a, b), (a, unrelated), (repetitive_a, repetitive_b), ("a b " * 5000, "b a " * 5000)]:
        check_well_formed(x, y, word_diff(x, y))
        diff_ratio(x, y)
    assert time.perf_counter() - start < 1.0
    assert diff_ratio(a, b) > 0.9
    assert sum(1 for op, _ in word_diff(repetitive_a, repetitive_b) if op != "equal") == 1


@settings(max_examples=300, deadline=None)
@given(texts, texts, st.sampled_from([0, 1, 4, 20]))
def test_fallbacks_still_reconstruct(a, b, budget):
    """With a tiny budget the anchor, sentence and whole-region fallbacks are used; all stay exact."""
    import tracker.domain.quote_diff as quote_diff

    saved = quote_diff._BUDGET
    quote_diff._BUDGET = budget
    try:
        check_well_formed(a, b, word_diff(a, b))
    finally:
        quote_diff._BUDGET = saved


def test_anchor_fallback_keeps_a_useful_diff():
    import tracker.domain.quote_diff as quote_diff

    a = "alpha the beta the gamma the delta"
    b = "alpha the beta a gamma the delta"
    saved = quote_diff._BUDGET
    quote_diff._BUDGET = 0
    try:
        chunks = word_diff(a, b)
    finally:
        quote_diff._BUDGET = saved
    check_well_formed(a, b, chunks)
    assert [c for c in chunks if c[0] != "equal"] == [("delete", "the"), ("insert", "a")]
