"""Where an article's quotations are, and the sentences around them (French, English and
German conventions): the first two steps of :func:`tracker.domain.quotes.find_quotes`.

Plain Python: no SQL, no Textual.

1. :func:`quotation_spans`, the quotation marks: « » (with or without no-break spaces
   inside), “ ”, "…", „ “, ‚ ‘, ‹ ›. A quotation left open at the end of a paragraph whose
   next paragraph opens with the same mark goes on there (the news convention); marks nested
   inside stay inside; fewer than three words (scare quotes) is not a quotation, nor is a
   title ("un essai intitulé « … »", "a report titled “…”"). A span is ``(start, end)`` of
   the text inside, without the marks. An apostrophe inside a word (aujourd’hui, it’s)
   opens nothing.
2. :func:`sentence_spans`, cut on the text with every quotation blanked out
   (:func:`mask_quotations`), so a full stop inside a quotation never ends the sentence
   that carries it.
"""

from __future__ import annotations

import re

MIN_WORDS = 3

# opening mark -> the closing marks it takes
_PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“”", "‚": "‘’", "‹": "›"}
_SPACES = " \u00a0\u202f\u2009\t"
_NESTED_OPEN = {"«": "»", "“": "”", "„": "“", "‚": "‘", "‹": "›", "‘": "’"}


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _can_open(text: str, i: int) -> bool:
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after in "\n":
        return False
    if mark == '"' or mark == "‚":
        # a straight quote opens after a space or an opening punctuation, before a non-space
        return not _is_word(before) and before not in ".,;!?" and after not in _SPACES
    if mark == "“":
        return not _is_word(before)  # in German, “ after a word closes „…
    return True


def _can_close(text: str, i: int, opener: str) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    before = text[i - 1] if i > 0 else " "
    if opener == '"':
        return not _is_word(after) and before not in _SPACES + "\n"
    if opener == "‚":
        return not _is_word(after)  # ‘ is also an apostrophe-like mark in words
    return True


def _paragraph_goes_on(text: str, newline: int, opener: str) -> int | None:
    """The index just after the opening mark of the next paragraph when it opens with
    ``opener`` (a continued quotation), else None."""
    j = newline
    while j < len(text) and text[j] in "\n" + _SPACES:
        j += 1
    if j < len(text) and text[j] == opener and opener in "«“„\"":
        return j + 1
    return None


def _close(text: str, start: int, opener: str) -> tuple[int | None, int]:
    """The index of the mark closing the quotation opened just before ``start`` (None when
    it is never closed), and where the search stopped. Nested quotations (other marks) are
    stepped over."""
    closers = _PAIRS[opener]
    i = start
    n = len(text)
    nested: list[str] = []
    while i < n:
        ch = text[i]
        if ch == "\n":
            go_on = _paragraph_goes_on(text, i, opener)
            if go_on is None:
                return None, i
            nested.clear()
            i = go_on
            continue
        if nested:
            if ch == nested[-1]:
                nested.pop()
            elif ch in closers and _can_close(text, i, opener) and ch not in "“":
                return i, i  # the inner one was never closed: the outer mark still closes
            i += 1
            continue
        if ch in closers and _can_close(text, i, opener):
            return i, i
        if ch in _NESTED_OPEN and ch != opener and ch not in closers and (ch != "‘" or not _is_word(text[i - 1])):
            nested.append(_NESTED_OPEN[ch])
        i += 1
    return None, n


def _count_words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’\-][^\W_]+)*", text))


# A title in quotation marks ("a report titled “Defending Tomorrow”") is not a quotation.
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:intitulée?s?|titled|entitled|baptisée?s?|dubbed|nommée?s?|(?:so-)?called|named|Titel|Motto|genannte[nm]?|"
    r"(?:the|his|her|their) (?:book|report|film|novel|album|song|memoir|essay|op-ed)|"
    r"(?:le|son|leur|un) (?:livre|rapport|film|roman|essai|album)|(?:la|sa) (?:chanson|série|tribune)|"
    r"(?:das|sein|ihr) (?:Buch|Papier)|(?:der|sein|ihr) (?:Bericht|Film|Roman|Essay))[\s\u00a0\u202f,:]*)$",
    re.IGNORECASE,
)


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quotation of three words or more, marks excluded, in order."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    # Where a search for a mark's closing one ran out: another opening mark of that kind
    # before there would run out at the same place, so it is not searched again (a text full
    # of unclosed marks stays linear).
    unclosed: dict[str, int] = {}
    while i < n:
        ch = text[i]
        if ch in _PAIRS and i >= unclosed.get(ch, -1) and _can_open(text, i):
            end, stopped = _close(text, i + 1, ch)
            if end is None:
                unclosed[ch] = stopped
            if end is not None:
                start = i + 1
                s, e = start, end
                while s < e and text[s] in _SPACES:
                    s += 1
                while e > s and text[e - 1] in _SPACES:
                    e -= 1
                if _count_words(text[s:e]) >= MIN_WORDS and not _TITLE_BEFORE.search(text, max(0, i - 40), i):
                    spans.append((s, e))
                i = end + 1
                continue
        i += 1
    return spans


# ---------------------------------------------------------------------- sentences

_MASK = "\u2588"  # stands for a quotation's characters in the masked text
_BOUNDARY = re.compile(r"(?<=[.!?…])[\u2588\"”»“’]?[\s\u00a0]+(?=[\u2588A-ZÀ-ÖØ-Þ])|\n+")
_ABBREVIATIONS = ("M.", "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Mme.", "Prof.", "z.B.", "u.a.", "Jr.", "Gen.", "Sen.", "Rep.")


def mask_quotations(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each quotation's inside and its marks turned to
    ``_MASK`` (not the spaces beside): same offsets, and a sentence still ends before a quotation
    that opens the next."""
    chars = list(text)
    for s, e in spans:
        lo = s - 1
        while lo > 0 and text[lo] in _SPACES:
            lo -= 1
        hi = e
        while hi < len(text) - 1 and text[hi] in _SPACES:
            hi += 1
        for k in range(max(lo, 0), min(hi + 1, len(text))):
            if chars[k] != "\n" and not (k == e - 1 and text[k] == "."):
                chars[k] = _MASK  # a full stop closing the quotation is kept: it ends the sentence
    return "".join(chars)


def sentence_spans(masked: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``masked`` (see :func:`mask_quotations`), in order."""
    cuts = [0]
    for m in _BOUNDARY.finditer(masked):
        before = masked[max(0, m.start() - 12) : m.start()].split()
        word = before[-1] if before else ""
        if word in _ABBREVIATIONS or re.fullmatch(r"[A-Z]\.", word):
            continue
        cuts.append(m.start())
        cuts.append(m.end())
    cuts.append(len(masked))
    return [(cuts[k], cuts[k + 1]) for k in range(0, len(cuts), 2) if cuts[k] < cuts[k + 1]]
