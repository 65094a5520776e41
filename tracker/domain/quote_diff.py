"""A word-level diff of two quotes.

Texts are split into tokens: words (runs of word characters) and the runs of
everything else between them (whitespace, punctuation, control characters,
markup brackets...). Every character belongs to exactly one token, so joining
the "equal" and "delete" chunks gives back the first text and joining the
"equal" and "insert" chunks gives back the second, exactly. Texts are data:
markup such as ``[bold]`` is diffed like any other characters.

How it stays fast on long texts: ``difflib.SequenceMatcher`` (with
``autojunk=False``) is run over *word units* (a word together with the
separator that follows it), so that the ubiquitous " " token does not make the
matcher quadratic. Each replaced region is then narrowed at the finer level of
words and separators, so "never tanks" -> "always tanks" reports "never" ->
"always" with the space kept as equal. When matching word units would be too
costly (long texts dominated by a few very frequent words), the texts are first
cut at anchors, the word units found exactly once in each text (as in patience
diff), and the pieces between anchors are diffed on their own. Without any
anchor, the texts are compared sentence by sentence; as a last resort a region
is reported as replaced as a whole (still exact, just coarser).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from difflib import SequenceMatcher

DIFF_OPS = ("equal", "delete", "insert")

Chunk = tuple[str, str]

# Finest level: a word, or a run of anything else.
_FINE = re.compile(r"\w+|\W+")
# Word units: an optional leading run of non-word characters (only at the very
# start), then a word with the non-word run that follows it.
_UNIT = re.compile(r"\W+|\w+\W*")
# Sentences: text up to and including a run of . ! ? or newlines, and the
# whitespace after it.
_SENTENCE = re.compile(r"[^.!?\n]*[.!?\n]+\s*|[^.!?\n]+")

# Upper bound on the inner-loop work of one SequenceMatcher pass, estimated as
# sum over tokens of count_in_a * count_in_b.
_BUDGET = 2_000_000


def tokenize(text: str) -> list[str]:
    """Split ``text`` into words and the separators between them."""
    return _FINE.findall(text)


def _matcher(a_tokens: list[str], b_tokens: list[str]) -> SequenceMatcher:
    from difflib import SequenceMatcher  # here: a report, which shows no diff, never loads it

    return SequenceMatcher(None, a_tokens, b_tokens, autojunk=False)


def _cost(a_tokens: list[str], b_tokens: list[str]) -> int:
    counts_b = Counter(b_tokens)
    return sum(n * counts_b.get(tok, 0) for tok, n in Counter(a_tokens).items())


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: list[str], b: list[str], limit: int) -> int:
    """Common trailing tokens, not reaching into the first ``limit`` tokens."""
    n = min(len(a), len(b)) - limit
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


def _trim(a: str, b: str) -> list[Chunk]:
    """Replace ``a`` by ``b``, keeping their common leading and trailing fine tokens equal."""
    ta, tb = _FINE.findall(a), _FINE.findall(b)
    p = _common_prefix(ta, tb)
    s = _common_suffix(ta, tb, p)
    return [
        ("equal", "".join(ta[:p])),
        ("delete", "".join(ta[p : len(ta) - s])),
        ("insert", "".join(tb[p : len(tb) - s])),
        ("equal", "".join(ta[len(ta) - s :])),
    ]


def _anchors(ta: list[str], tb: list[str]) -> list[tuple[int, int]]:
    """Patience anchors: tokens found exactly once in each list, kept in the same order in both.

    Returns ``(i, j)`` index pairs, increasing in both ``i`` and ``j`` (the
    longest such chain, found by patience sorting).
    """
    counts_a = Counter(ta)
    counts_b = Counter(tb)
    where_b = {tok: j for j, tok in enumerate(tb) if counts_b[tok] == 1}
    pairs = [(i, where_b[tok]) for i, tok in enumerate(ta) if counts_a[tok] == 1 and tok in where_b]
    # Longest increasing subsequence of the j's.
    tails: list[int] = []  # tails[k]: index in pairs of the smallest tail of a chain of length k + 1
    back: list[int] = [-1] * len(pairs)
    for n, (_i, j) in enumerate(pairs):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if pairs[tails[mid]][1] < j:
                lo = mid + 1
            else:
                hi = mid
        back[n] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(n)
        else:
            tails[lo] = n
    chain: list[tuple[int, int]] = []
    n = tails[-1] if tails else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    chain.reverse()
    return chain


def _diff_tokens(
    ta: list[str],
    tb: list[str],
    refine: Callable[[str, str], list[Chunk]],
) -> list[Chunk] | None:
    """Diff two token lists; ``None`` when it would be too costly and nothing anchors it."""
    p = _common_prefix(ta, tb)
    s = _common_suffix(ta, tb, p)
    mid_a, mid_b = ta[p : len(ta) - s], tb[p : len(tb) - s]
    chunks: list[Chunk] = [("equal", "".join(ta[:p]))]
    if not (mid_a and mid_b):
        chunks.append(("delete", "".join(mid_a)))
        chunks.append(("insert", "".join(mid_b)))
    elif _cost(mid_a, mid_b) <= _BUDGET:
        for tag, i1, i2, j1, j2 in _matcher(mid_a, mid_b).get_opcodes():
            old, new = "".join(mid_a[i1:i2]), "".join(mid_b[j1:j2])
            if tag == "equal":
                chunks.append(("equal", old))
            elif tag == "replace":
                chunks.extend(refine(old, new))
            else:
                chunks.append(("delete", old))
                chunks.append(("insert", new))
    else:
        anchors = _anchors(mid_a, mid_b)
        if not anchors:
            return None
        i0 = j0 = 0
        for i, j in [*anchors, (len(mid_a), len(mid_b))]:
            gap_a, gap_b = mid_a[i0:i], mid_b[j0:j]
            if gap_a or gap_b:
                gap = _diff_tokens(gap_a, gap_b, refine)
                chunks.extend(gap if gap is not None else refine("".join(gap_a), "".join(gap_b)))
            if i < len(mid_a):
                chunks.append(("equal", mid_a[i]))
            i0, j0 = i + 1, j + 1
    chunks.append(("equal", "".join(ta[len(ta) - s :])))
    return chunks


def _diff_with(
    a: str,
    b: str,
    pattern: re.Pattern[str],
    refine: Callable[[str, str], list[Chunk]],
) -> list[Chunk] | None:
    """Diff over the tokens of ``pattern``; ``None`` when that would be too costly."""
    return _diff_tokens(pattern.findall(a), pattern.findall(b), refine)


def _diff_units(a: str, b: str) -> list[Chunk] | None:
    return _diff_with(a, b, _UNIT, _trim)


def _refine_sentences(a: str, b: str) -> list[Chunk]:
    chunks = _diff_units(a, b)
    return chunks if chunks is not None else _trim(a, b)


def _normalise(chunks: list[Chunk]) -> list[Chunk]:
    """Drop empty chunks and merge neighbours; a run of changes becomes one delete then one insert."""
    out: list[Chunk] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(("delete", "".join(deleted)))
            deleted.clear()
        if inserted:
            out.append(("insert", "".join(inserted)))
            inserted.clear()

    for op, text in chunks:
        if not text:
            continue
        if op == "equal":
            flush()
            if out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1] + text)
            else:
                out.append(("equal", text))
        elif op == "delete":
            deleted.append(text)
        else:
            inserted.append(text)
    flush()
    return out


def word_diff(a: str, b: str) -> list[Chunk]:
    """Return ``[(op, text), ...]`` with op in "equal", "delete", "insert".

    Adjacent chunks with the same op are merged, no chunk is empty, and within
    a changed region the deletion comes before the insertion.
    """
    if a == b:
        return [("equal", a)] if a else []
    chunks = _diff_units(a, b)
    if chunks is None:
        chunks = _diff_with(a, b, _SENTENCE, _refine_sentences)
    if chunks is None:
        chunks = _trim(a, b)
    return _normalise(chunks)


def diff_ratio(a: str, b: str) -> float:
    """Similarity of the two texts, 0.0 (nothing shared) to 1.0 (identical).

    The share of characters kept as "equal" by :func:`word_diff`, relative to
    the combined length (the same measure as ``SequenceMatcher.ratio``).
    """
    if a == b:
        return 1.0
    kept = sum(len(text) for op, text in word_diff(a, b) if op == "equal")
    return 2.0 * kept / (len(a) + len(b))


def reconstruct(chunks: list[Chunk]) -> tuple[str, str]:
    """Return ``(a, b)`` rebuilt from a :func:`word_diff` result."""
    a = "".join(text for op, text in chunks if op in ("equal", "delete"))
    b = "".join(text for op, text in chunks if op in ("equal", "insert"))
    return a, b


def shown_apart(chunks: list[Chunk]) -> list[Chunk]:
    """The chunks of :func:`word_diff` to be shown one after the other, with a ``("gap", " ")``
    between a deletion and the insertion that follows it when neither has whitespace at
    that edge: "guerre" struck out then "contrer" underlined must not read "guerrecontrer"
    once colour and style are gone (copied text, a screen reader, a monochrome terminal).

    Display only: the gap is in neither text, so :func:`reconstruct` is not for this list.
    (An equal chunk always touches its neighbours in both texts: only the edge between a
    deletion and an insertion can join two words that no text joins.)
    """
    out: list[Chunk] = []
    for op, text in chunks:
        if op == "insert" and out and out[-1][0] == "delete" and text and out[-1][1]:
            if not out[-1][1][-1].isspace() and not text[0].isspace():
                out.append(("gap", " "))
        out.append((op, text))
    return out
