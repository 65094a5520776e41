"""Markdown for reports: a question, an actor, or both, as GitHub-flavoured markdown.

``write_markdown`` is the one entry point; the command line (``tracker export
markdown``) and the interface's ``E`` both call it.

For a question: title, description, a table of each actor's stance as of a
date, the movers (who reached each level first and how late the others
followed), then the timeline: date at its precision, actor, stance, a change
marker with the elapsed time, the quote as a blockquote with its language, the
paraphrase, the context and the source as a link. For an actor: a table of its
stance on each question, then the same story per question. Optionally a
Mermaid ``timeline`` block per question.

User text can never change the structure of the output. Every piece of it goes
through one of the escaping functions below (:func:`inline`, :func:`cell`,
:func:`lines`, :func:`blockquote`, :func:`link`, :func:`mermaid_text`):
HTML-significant characters become entities, markdown punctuation is
backslash-escaped, pipes are escaped, newlines cannot start a block or leave a
table cell, control characters become visible symbols, and text that a
GitHub-style parser would turn into a link (``https://``, ``www.``, ``a@b``)
is broken up with escapes. Only a source's own URL becomes a link, and only
when it is a plain ``http(s)`` address.
"""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import date
from itertools import takewhile
from operator import attrgetter
from typing import IO

from tracker.domain.changes import Change, change_between, with_previous
from tracker.domain.dates import FuzzyDate, as_of_bound, elapsed_words
from tracker.domain.models import Actor, Question, Scale, Source, Statement
from tracker.domain.movers import Reached, as_of as latest_as_of, reach_by_level
from tracker.domain.text import printable
from tracker.domain.validation import slugify
from tracker.formats.second_core import aside
from tracker.store import Store, reads

__all__ = [
    "blockquote",
    "cell",
    "default_filename",
    "inline",
    "lines",
    "link",
    "mermaid_text",
    "render_markdown",
    "safe_url",
    "write_markdown",
]

# A report of every question with at least this many statements writes half of it on a
# second core (``two_cores``): below, the fork costs more than it saves.
TWO_CORES_FROM = 20_000

# ---------------------------------------------------------------------- escaping

# One translation table does the character-level work in C: control characters
# become the visible symbols ``printable`` uses (ESC -> ␛; C1 controls and bidi
# overrides -> <U+XXXX>, itself entity-escaped), HTML-significant characters
# become entities, and the punctuation that markdown (or GitHub: ``$`` for math,
# ``@`` for e-mail autolinks) gives a meaning is backslash-escaped.
_PUNCTUATION = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "|": "\\|",
    "~": "\\~",
    "#": "\\#",
    "$": "\\$",
    "@": "\\@",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
}


def _escape_chars(text: str) -> str:
    return "".join(_PUNCTUATION.get(ch, ch) for ch in text)


def _control_table(one_line: bool) -> dict[int, str]:
    table: dict[int, str] = {}
    controls = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
    for code in controls:
        shown = printable(chr(code), one_line=one_line)
        if shown != chr(code):
            table[code] = _escape_chars(shown)
    table.update({ord(ch): escaped for ch, escaped in _PUNCTUATION.items()})
    # Unicode line and paragraph separators: line ends to some renderers and editors, so
    # treated as a newline (a space on one line), never left to chance.
    table.update({0x2028: " " if one_line else "\n", 0x2029: " " if one_line else "\n"})
    return table


_ONE_LINE = str.maketrans(_control_table(one_line=True))  # newlines and tabs become spaces
_MULTI_LINE = str.maketrans(_control_table(one_line=False))  # newlines and tabs kept


def _finder(codes: Iterable[int]) -> Callable[[str], bool]:
    """A test of whether a text holds any of some characters (the codes a translation
    table changes, and so on).

    Most text has nothing to escape, and finding that out must cost little. A regular
    expression looks at each character in turn, at some cost each. Text made of Latin-1
    characters alone (most text in Western languages) is its own Latin-1 encoding, a copy
    of its bytes: ``bytes.translate`` with a table that changes the codes sought, and only
    those, says in one pass (a table look-up a byte, in C) whether any is there. Other
    text goes to the regular expression.
    """
    codes = sorted(set(codes))
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    search = re.compile("[" + "".join(parts) + "]").search
    marks = bytes(b ^ 1 if b in codes else b for b in range(256))  # changes the codes sought

    def finds(text: str) -> bool:
        encoded = text.encode("latin-1", "ignore")  # drops what is not Latin-1 (no exception)
        if len(encoded) == len(text):  # all Latin-1: each byte is a character's code
            return encoded.translate(marks) != encoded
        return search(text) is not None

    return finds


_ONE_LINE_ANY = _finder(_ONE_LINE)
_MULTI_LINE_ANY = _finder(_MULTI_LINE)
# Plain text: nothing to escape, and no ":" or "/" (which a link needs, see _autolinks); on
# several lines, no newline either. Such text needs only a strip and a look for "www.".
_ONE_LINE_NOT_PLAIN = _finder([*_ONE_LINE, ord(":"), ord("/")])
_MULTI_LINE_NOT_PLAIN = _finder([*_MULTI_LINE, ord(":"), ord("/"), ord("\n")])


def _one_line(text: str) -> str:
    """``text.translate(_ONE_LINE)``, without the work when nothing in it changes."""
    return text.translate(_ONE_LINE) if _ONE_LINE_ANY(text) else text


def _multi_line(text: str) -> str:
    """``text.translate(_MULTI_LINE)``, without the work when nothing in it changes."""
    return text.translate(_MULTI_LINE) if _MULTI_LINE_ANY(text) else text


# Text that a GFM parser would turn into a link on its own: a scheme followed by
# ":", "www." and protocol-relative "//". A backslash after the scheme, after
# "www" or between the slashes breaks the match; the rendered text is unchanged.
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|xmpp)(?=:)|www(?=\.)|/(?=/)")

# What would open a block at the start of a line: a list or thematic-break
# marker ("-", "+"), a setext underline ("="), an ordered-list number ("1." or
# "1)"). "#", ">", "*", "_", "`", "~", "|" and "<" are escaped everywhere.
_LINE_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))", re.MULTILINE)
_NEWLINES = re.compile(r"\r\n?")


def _line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def _autolinks(escaped: str) -> str:
    # A match needs a ":" (after a scheme), "//", or "www." in any case (only "w" and "W"
    # are a "w" to a case-insensitive match): cheap tests that skip the pattern on most text.
    if ":" in escaped or "//" in escaped or ("." in escaped and ("ww" in escaped or "W" in escaped)):
        return _AUTOLINK.sub(r"\g<0>\\", escaped)
    return escaped


def inline(text: str | None) -> str:
    """User text on one line, safe anywhere inline: a paragraph, a heading, link text.

    Newlines and tabs become spaces, control characters visible symbols; the
    result renders as the text itself, with no markup, HTML or link.
    """
    if not text:
        return ""
    if not _ONE_LINE_NOT_PLAIN(text):
        text = text.strip()
        return _AUTOLINK.sub(r"\g<0>\\", text) if "." in text and ("ww" in text or "W" in text) else text
    return _autolinks(_one_line(text).strip())


def cell(text: str | None) -> str:
    """User text for a table cell or another short field that repeats (a name, a
    label, an outlet): the same as :func:`inline`, which already escapes ``|``.
    A report remembers each (``_Doc.cell``), since it names the same actors again
    and again."""
    return inline(text)


def link(text: str, url: str | None) -> str:
    """``[text](url)`` when ``url`` is a safe http(s) address, else the text alone (escaped)."""
    label = inline(text)
    target = safe_url(url)
    if target is None:
        return label
    return f"[{label or inline(url)}]({target})"


def lines(text: str | None) -> list[str]:
    """User text that may span lines, as markdown lines for a paragraph.

    Each line is escaped like :func:`inline`, loses its leading whitespace (which
    could make it code), gets its block-opening first character escaped, and ends
    with a hard break so that the line structure survives; a blank line starts a
    new paragraph and is returned as ``""``.
    """
    if not text:
        return []
    if not _MULTI_LINE_NOT_PLAIN(text):  # one line with nothing to escape (the usual case)
        escaped = text.strip()
        if "." in escaped and ("ww" in escaped or "W" in escaped):
            escaped = _AUTOLINK.sub(r"\g<0>\\", escaped)
    else:
        if "\r" in text:
            text = _NEWLINES.sub("\n", text)
        # Translated before stripping: str.strip() would drop control characters such as \x1f.
        escaped = _autolinks(_multi_line(text)).strip()
    if "\n" not in escaped:  # one line (the usual case): no splitting, no blank lines
        if not escaped:
            return []
        first = escaped[0]
        if first in "-+=" or first.isdecimal():  # what _LINE_START can match
            escaped = _LINE_START.sub(_line_start, escaped)
        return [escaped]
    result: list[str] = []
    for raw in escaped.split("\n"):
        line = raw.strip(" \t")
        if not line:
            if result and result[-1] != "":
                result.append("")
            continue
        line = _LINE_START.sub(_line_start, line)
        if result and result[-1] != "":
            result[-1] += "\\"  # a hard break after the previous line of the same paragraph
        result.append(line)
    return result


def blockquote(text: str | None) -> list[str]:
    """User text as the lines of a blockquote (``> ``), nested blocks impossible."""
    return ["> " + line if line else ">" for line in lines(text)]


# A URL becomes a link only when it is a plain http(s) address: a scheme, a host,
# nothing invisible. The characters that could end the destination or be read as
# markdown or HTML are percent-encoded; "&" before something entity-like is
# backslash-escaped so that "&amp;" in a URL stays "&amp;".
# The host (and port) may not hold "@": "https://trusted.example@evil.example" goes to evil.example.
_URL_OK = re.compile(r"^https?://(?=[^/?#]*[^\W_])[\w.\-\[\]:]+(?:[/?#]\S*)?$", re.IGNORECASE)
# Invisible or direction-changing characters: a URL holding one is refused, not hidden in a link.
_URL_BAD = re.compile(r"[\s\u00ad\u2000-\u206f\ufeff]")
_URL_ENCODE = str.maketrans({ch: f"%{ord(ch):02X}" for ch in ' "<>\\^`{|}()[]*_'})
_URL_ENCODE_ANY = re.compile("[" + re.escape(' "<>\\^`{|}()[]*_') + "]")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Most addresses are plain: a lower-case scheme, a host (and port) of ASCII letters, digits,
# dots and hyphens, then only characters that none of the above refuses or changes. Such an
# address is its own destination, found so with one look instead of four.
_URL_PLAIN = re.compile(r"https?://(?=[^/?#]*[A-Za-z0-9])[A-Za-z0-9.:-]+(?:[/?#][A-Za-z0-9\-.~:/?#@!$'+,;=%]*)?")


def safe_url(url: str | None) -> str | None:
    """``url`` ready for a link destination, or ``None`` when it must not become a link."""
    if not url:
        return None
    if _URL_PLAIN.fullmatch(url):
        return url
    if not _URL_OK.match(url) or not url.isprintable() or _URL_BAD.search(url):
        return None
    if _URL_ENCODE_ANY.search(url):  # most addresses have nothing to encode
        url = url.translate(_URL_ENCODE)
    return _ENTITY_LIKE.sub("\\&", url) if "&" in url else url


# Mermaid's timeline lexer reads "#" and "%%" as comments, ":" as the event
# separator, ";" as the end of a title and a newline as the end of a statement;
# its labels may be read as HTML, and a backtick could close the code fence.
# Each is replaced by a look-alike that means nothing to it.
_MERMAID = str.maketrans(
    {
        ":": "\u2236",  # ∶ ratio
        "#": "\uff03",  # ＃
        ";": "\uff1b",  # ；
        "%": "\uff05",  # ％
        "<": "\u2039",  # ‹
        ">": "\u203a",  # ›
        "&": "\uff06",  # ＆
        "`": "\u02cb",  # ˋ
        "{": "(",
        "}": ")",
        "\\": "\u29f5",  # ⧵
        '"': "\u201d",
    }
)


def mermaid_text(text: str | None) -> str:
    """User text for a Mermaid timeline label: one line, nothing Mermaid would read as syntax."""
    if not text:
        return ""
    return " ".join(printable(text, one_line=True).translate(_MERMAID).split())


# ---------------------------------------------------------------------- words

_LANGUAGES = {
    "ar": "Arabic", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hu": "Hungarian",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "nl": "Dutch",
    "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}  # fmt: skip


# The language the report itself is written in. A quote in it needs no word on its language
# (the reader is reading it); a quote in any other is followed by "— in French".
REPORT_LANGUAGE = "en"


def _language(code: str) -> str:
    """What a quote in the language ``code`` is followed by: "French", "Portuguese (pt-BR)";
    nothing for the report's own language, any variety of it ("en-GB") included."""
    base = code.split("-")[0].lower()
    if base == REPORT_LANGUAGE:
        return ""
    name = _LANGUAGES.get(base)
    if name is None:
        return inline(code)
    return name if "-" not in code else f"{name} ({inline(code)})"


def _display(when: date | FuzzyDate) -> str:
    return when.display if isinstance(when, FuzzyDate) else FuzzyDate.from_date(when).display


_FIRST = "• first statement"


def marker(change: Change) -> str:
    """``▲ +2 shift, after 1 year 11 months``, ``= unchanged, same day``, ``• first statement``."""
    if change.before is None:
        return _FIRST
    if not change.elapsed:
        return change.marker
    if change.elapsed.startswith(("same", "about the same")):
        return f"{change.marker}, {change.elapsed}"
    return f"{change.marker}, after {change.elapsed}"


def _lag(leader: FuzzyDate, reached: FuzzyDate) -> str:
    """How long after the first mover (who reached the level on ``leader``) an actor did:
    ``**first**`` when on the same start day."""
    if reached.start == leader.start:
        return "**first**"
    lag = elapsed_words(leader, reached)
    if lag.startswith(("same", "about the same")):
        return lag
    return f"{lag} later"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ---------------------------------------------------------------------- the document


class _Memo(dict):
    """``memo[key]`` is ``make(key)``, worked out once: a report names the same actors,
    stances and languages again and again, and a look-up costs less than a call."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[str], str]):
        super().__init__()
        self.make = make

    def __missing__(self, key: str) -> str:
        value = self[key] = self.make(key)
        return value


_GAP = "\n\n"  # after a block: the end of its last line, and a blank line


class _Doc:
    """Markdown for one document, as the pieces of text to write one after the other (joined
    once, when written: a statement's quote, say, is copied into the output and nowhere
    else); blocks are separated by one blank line."""

    def __init__(self, out: IO[str]):
        self.out = out
        self.pieces: list[str] = []  # each block followed by _GAP
        self.written = False  # a blank line goes before the next block written
        # id(source) -> (the source, its line): a look-up that does not read the source (one
        # among thousands, far in memory); the source is kept, and so its id stays its own.
        self.sources: dict[int, tuple[Source, str]] = {}
        self.lags: dict[tuple[str, str], str] = {}  # (first mover's date, date reached) -> _lag
        self.cell = _Memo(cell)  # text -> cell(text)
        self.language = _Memo(_language)  # code -> _language(code)
        self.confidence = _Memo(_confidence)  # confidence -> what a statement's status line says of it
        self.folded = _Memo(str.casefold)  # an actor's name -> the same, case folded (the order of names)

    def block(self, block_lines: Sequence[str]) -> None:
        if block_lines:
            self.pieces += ("\n".join(block_lines), _GAP)

    def source(self, source: Source) -> str:
        """:func:`_source` of ``source``, worked out once per source of the document."""
        known = self.sources.get(id(source))
        if known is None:
            known = self.sources[id(source)] = (source, _source(source, self.cell))
        return known[1]

    def heading(self, level: int, text: str) -> None:
        self.block([f"{'#' * min(level, 6)} {text}"])

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
        width = len(header)
        for row in rows:
            assert len(row) == width
            out.append("| " + " | ".join(row) + " |")
        self.block(out)

    def flush(self) -> None:
        """Write what is buffered (a section at a time, so that a long report is not held whole)."""
        pieces = self.pieces
        if pieces:
            # One join: a blank line before (after what was written), a newline at the end
            # (where the last block's _GAP was).
            pieces[-1] = "\n"
            if self.written:
                pieces.insert(0, "\n")
            self.out.write("".join(pieces))
            self.written = True
            self.pieces = []

    close = flush


class _Question:
    """One question's data, loaded once: its scale, every statement on it (in timeline
    order), the change marker of each statement that follows one by the same actor (an
    actor's first statement has none: most of a large file's; the changes are made without
    the quote diffs, which a report does not show) and the movers (per level key, see
    :func:`tracker.domain.movers.reach_by_level`)."""

    def __init__(self, question: Question, scale: Scale, positions: list[Statement]):
        self.question = question
        self.scale = scale
        self.positions = positions  # in timeline order
        size = scale.size
        self.markers = {
            p.id: marker(change_between(before, p, size, with_diff=False))
            for before, p in with_previous(positions, in_order=True)
            if before is not None
        }
        self.movers = reach_by_level(positions, scale, in_order=True) if positions else {}
        # Each actor's first statement: a level reached with it was reached by entry (the
        # actor was there when the data first records it), not by a move.
        self.entries = set(dict(zip(map(_ACTOR_ID, reversed(positions)), map(_ID, reversed(positions)))).values())

    def by(self, hit: Statement) -> str:
        """How ``hit`` reached its level: ``move`` or ``entry`` (see :mod:`tracker.domain.movers`)."""
        return "entry" if hit.id in self.entries else "move"

    def status(self, position: Statement) -> str:
        """:func:`marker` of the change to ``position``."""
        return self.markers.get(position.id, _FIRST)


def _summary(positions: Sequence[Statement], *, by_actors: bool = True) -> str:
    """``13 statements by 11 actors, 25 Jan 2023 to 16 Mar 2024`` (no final stop)."""
    first, last = _first_and_last(positions)
    span = first.display if first.display == last.display else f"{first.display} to {last.display}"
    if not by_actors:
        return f"{_plural(len(positions), 'statement')}, {span}"
    actors = len(set(map(_ACTOR_ID, positions)))
    return f"{_plural(len(positions), 'statement')} by {_plural(actors, 'actor')}, {span}"


def _first_and_last(positions: Sequence[Statement]) -> tuple[FuzzyDate, FuzzyDate]:
    """The dates of the first and the last of ``positions`` (in timeline order: date start,
    date end, actor slug, id) in position order (date start, date end, id): the lowest id
    among those on the earliest dates, the highest among those on the latest. (Two dates of
    the same interval can read differently: "2024" and "c. 2024".)"""
    a, z = positions[0].date, positions[-1].date
    first = min(takewhile(lambda p: p.date.start == a.start and p.date.end == a.end, positions), key=_ID)
    last = max(takewhile(lambda p: p.date.start == z.start and p.date.end == z.end, reversed(positions)), key=_ID)
    return first.date, last.date


_ID = attrgetter("id")
_ACTOR_ID = attrgetter("actor_id")


def _stance_rows(doc: _Doc, data: _Question, bound: date, actor_id: int | None = None) -> list[str]:
    """Actor, stance, date stated, change: the latest position of each actor by ``bound``,
    as the lines of a table's body."""
    positions = data.positions if actor_id is None else [p for p in data.positions if p.actor_id == actor_id]
    latest = latest_as_of(positions, bound, in_order=True)
    markers, cell, folded = data.markers, doc.cell, doc.folded
    known = sorted([(-p.level.rank, folded[p.actor_name], p.actor_id, p) for p in latest.values()])
    rows = [
        f"| {cell[p.actor_name]} | {cell[p.level.label]} | {p.date.display} | {markers.get(p.id, _FIRST)} |"
        for _, _, _, p in known
    ]
    if positions[-1].date.start > bound:  # some actors may have spoken only later
        later = {p.actor_id: p.actor_name for p in positions if p.actor_id not in latest}
        rows += [f"| {cell[later[i]]} | — | no statement by then |  |" for i in sorted(later, key=lambda i: (later[i].casefold(), i))]
    return rows


_STANCE_HEAD = ["| Actor | Stance | Stated | Change |", "| --- | --- | --- | --- |"]


def _same_movers(a: tuple[list[Reached], list[Statement]], b: tuple[list[Reached], list[Statement]], entries: set[int]) -> bool:
    """Whether two levels have the same movers: the same actors reaching them on the same
    dates (so with the same lags) in the same way (by a move, or by entry: the statements
    ``entries``), and the same actors not yet."""
    (reached_a, never_a), (reached_b, never_b) = a, b
    if len(reached_a) != len(reached_b) or len(never_a) != len(never_b):
        return False
    for (hit_a, _), (hit_b, _) in zip(reached_a, reached_b):
        if hit_a.id != hit_b.id and (hit_a.actor_id != hit_b.actor_id or hit_a.date != hit_b.date or hit_a.id in entries or hit_b.id in entries):
            return False
    return all(p.actor_id == q.actor_id for p, q in zip(never_a, never_b))


def _movers_tables(doc: _Doc, data: _Question, level: int) -> None:
    """One table per level that someone reached; a level whose table would repeat
    the one before it (same actors, same dates) is named under it instead."""
    if _only_one_actor(doc, data):
        return
    doc.heading(level, "Movers")
    if not data.movers:
        bottom = data.scale.levels[0].label if data.scale.levels else "the lowest level"
        doc.block([f"No actor has moved above “{inline(bottom)}” yet."])
        return
    doc.block([
        "Who reached each level first, and how long the others took to follow: by a *move* from a lower stance,"
        " or by *entry* when the actor's first recorded statement is already there."
    ])
    groups: list[tuple[list[str], tuple[list[Reached], list[Statement]]]] = []
    for key, movers in data.movers.items():
        if groups and _same_movers(groups[-1][1], movers, data.entries):
            groups[-1][0].append(key)
        else:
            groups.append(([key], movers))
    # The same actor often reaches several levels with one statement, behind the same first
    # mover: the same row, made once. Per first mover's date, per position id: the row.
    rows_after: dict[str, dict[int, str]] = {}
    lags, cell = doc.lags, doc.cell
    for keys, (reached, never) in groups:
        labels = [f"“{inline(data.scale.level(k).label)}”" for k in keys]
        doc.heading(level + 1, f"Reached {labels[0]} or beyond")
        if len(labels) > 1:
            doc.block([f"The same actors reached {_and(labels[1:])} on the same dates."])
        table = ["| Actor | Reached | By | Lag | Latest stance |", "| --- | --- | --- | --- | --- |"]
        if reached:
            leader = reached[0][0].date
            rows = rows_after.get(leader.edtf)
            if rows is None:
                rows = rows_after[leader.edtf] = {}
            append = table.append
            for hit, latest in reached:
                row = rows.get(hit.id)
                if row is None:
                    reached_on = hit.date
                    key = (leader.edtf, reached_on.edtf)  # the canonical texts say all about the dates
                    lag = lags.get(key)
                    if lag is None:
                        lag = lags[key] = _lag(leader, reached_on)
                    row = rows[hit.id] = (
                        f"| {cell[hit.actor_name]} | {reached_on.display} | {data.by(hit)} | {lag} | {cell[latest.level.label]} |"
                    )
                append(row)
        doc.block(table)
        if never:
            doc.block([f"Not yet: {', '.join([cell[p.actor_name] for p in never])}."])


def _only_one_actor(doc: _Doc, data: _Question) -> bool:
    """When a single actor has spoken on the question, say so instead of a movers section:
    with no one to compare with, its only "mover" would be itself, first at every level."""
    actors = {p.actor_id for p in data.positions}
    if len(actors) != 1:
        return False
    doc.block([f"Only {inline(data.positions[0].actor_name)} has spoken on this question so far: no movers to compare."])
    return True


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _actor_movers(doc: _Doc, data: _Question, actor: Actor, level: int) -> None:
    """For one actor: per level it reached, when, who was first, and its lag.
    Consecutive levels with the same answer share a row."""
    if _only_one_actor(doc, data):
        return
    doc.heading(level, "Movers")
    groups: list[tuple[list[str], list[str]]] = []  # (level labels, the other cells)
    for key, (reached, never) in data.movers.items():
        mine = next((hit for hit, _ in reached if hit.actor_id == actor.id), None)
        if mine is None and not any(p.actor_id == actor.id for p in never):
            continue
        if reached:
            leader = reached[0][0].date
            firsts = [hit for hit, _ in reached if hit.date.start == leader.start]
            first = f"{', '.join(inline(hit.actor_name) for hit in firsts)} ({firsts[0].date.display})"
        else:
            first = ""
        label = cell(data.scale.level(key).label)
        rest = [mine.date.display, data.by(mine), first, _lag(leader, mine.date)] if mine is not None else ["not yet", "", first, ""]
        if groups and groups[-1][1] == rest:
            groups[-1][0].append(label)
        else:
            groups.append(([label], rest))
    rows = [[labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]}", *rest] for labels, rest in groups]
    if not rows:
        bottom = data.scale.levels[0].label if data.scale.levels else "the lowest level"
        doc.block([f"No actor has moved above “{inline(bottom)}” yet."])
        return
    doc.block([f"When {inline(actor.name)} reached each level, against the first actor to reach it."])
    doc.table(("Level", "Reached", "By", "First to reach it", "Lag"), rows)


_NO_SOURCE = "*Source:* none recorded."


def _source(source: Source, cell: _Memo) -> str:
    """``*Source:* [title](url), outlet, date.``; the title in quotes when there is no safe URL
    (``cell``: the document's :func:`cell` of each outlet)."""
    target = safe_url(source.url)
    if target is not None:
        head = f"[{inline(source.title) or inline(source.url)}]({target})"
    else:
        head = f"“{inline(source.title)}”" if source.title.strip() else ""
    pieces = [head, cell[source.outlet], source.published.display if source.published else ""]
    text = "*Source:* " + ", ".join([piece for piece in pieces if piece])
    if source.url and target is None:
        text += f" (address, not a web link: {inline(source.url)})"
    return text + "."


def _confidence(confidence: str) -> str:
    """What a statement's status line says of its confidence: nothing when confirmed."""
    return "" if confidence == "confirmed" else f" · confidence: {cell(confidence)}"


def _entry(doc: _Doc, p: Statement, markers: dict[int, str], heading: str, show_actor: bool) -> None:
    """One statement of a timeline, added to the document under a ``heading`` (``### ``): the
    date, actor and stance, the change marker (from ``markers``; an actor's first statement
    has none), the quote, the paraphrase, the context and the source, each its own block."""
    id_, _, _, name, _, stance, when, quote, lang, paraphrase, context, source, confidence = p
    cell, pieces = doc.cell, doc.pieces
    if show_actor:
        pieces += (heading, when.display, " · ", cell[name], " · ", cell[stance.label], _GAP)
    else:
        pieces += (heading, when.display, " · ", cell[stance.label], _GAP)
    pieces += (markers.get(id_, _FIRST), doc.confidence[confidence], ".", _GAP)
    if quote:
        body = lines(quote)
        if len(body) == 1:  # the usual quote
            pieces += ("> ", body[0])
        elif body:
            pieces.append("\n".join(["> " + line if line else ">" for line in body]))
        language = doc.language[lang] if lang else ""
        if language:
            pieces += ("\n>\n> — in " if body else ">\n> — in ", language)
        if body or language:
            pieces.append(_GAP)
    if paraphrase:
        said = lines(paraphrase)
        if said:
            pieces += ("*Paraphrase:* " if quote else "*In substance:* ", "\n".join(said), _GAP)
    if context:
        told = lines(context)
        if told:
            pieces += ("*Context:* ", "\n".join(told), _GAP)
    if source is None:
        pieces += (_NO_SOURCE, _GAP)
    else:  # one article backs many statements: its line is made once
        known = doc.sources.get(id(source))
        pieces += (doc.source(source) if known is None else known[1], _GAP)


def _mermaid(doc: _Doc, title: str, positions: Sequence[Statement], *, show_actor: bool) -> None:
    out = ["```mermaid", "timeline"]
    if mermaid_text(title):
        out.append(f"    title {mermaid_text(title)}")
    year = None
    period: str | None = None
    events: list[str] = []

    def flush() -> None:
        if period is not None:
            out.append(f"        {period} : " + " : ".join(events))

    for p in positions:
        if p.date.start.year != year:
            flush()
            period, events = None, []
            year = p.date.start.year
            out.append(f"    section {year}")
        if p.date.display != period:
            flush()
            period, events = p.date.display, []
        label = mermaid_text(p.level.label) or "?"
        events.append(f"{mermaid_text(p.actor_name)} — {label}" if show_actor else label)
    flush()
    out.append("```")
    doc.block(out)


def _timeline(doc: _Doc, data: _Question, level: int, *, actor_id: int | None, mermaid: bool, title: str) -> int:
    timeline = data.positions if actor_id is None else [p for p in data.positions if p.actor_id == actor_id]
    doc.heading(level, "Timeline")
    if not timeline:
        doc.block(["No statements recorded yet."])
        return 0
    if mermaid:
        _mermaid(doc, title, timeline, show_actor=actor_id is None)
    heading = "#" * min(level + 1, 6) + " "
    show_actor = actor_id is None
    markers = data.markers
    for p in timeline:
        _entry(doc, p, markers, heading, show_actor)
    return len(timeline)


def _question_section(doc: _Doc, data: _Question, level: int, when: date | FuzzyDate, bound: date, *, mermaid: bool) -> int:
    q = data.question
    doc.heading(level, inline(q.title))
    doc.block(lines(q.description))
    if not data.positions:
        doc.block(["No statements recorded yet."])
        return 0
    doc.block([f"*{_summary(data.positions)}.*"])
    doc.heading(level + 1, f"Where each actor stands as of {_display(when)}")
    doc.block(_STANCE_HEAD + _stance_rows(doc, data, bound))
    _movers_tables(doc, data, level + 1)
    return _timeline(doc, data, level + 1, actor_id=None, mermaid=mermaid, title=q.title)


def _actor_intro(store: Store, actor: Actor) -> str:
    parts = [actor.kind.capitalize()]
    if actor.country:
        parts.append(inline(actor.country))
    if actor.parent_slug:
        try:
            parent = store.resolve_actor(actor.parent_slug).name
        except Exception:  # a parent that cannot be read is left out, never fatal
            parent = actor.parent_slug
        parts.append(f"part of {inline(parent)}")
    return f"*{', '.join(parts)}.*"


def _load(store: Store, question: Question, scales: dict[str, Scale], positions: list[Statement] | None = None) -> _Question:
    scale = scales.get(question.scale_key) or store.scale(question.scale_key)
    scales[question.scale_key] = scale
    if positions is None:
        positions = reads.statements(store.conn, question_id=question.id)
    return _Question(question, scale, positions)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a report makes hundreds of thousands of objects,
    none in a cycle, and each collection would walk them all again. Memory is unchanged
    (reference counting frees them); the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_markdown(
    store: Store,
    out: IO[str],
    *,
    question_id: int | None = None,
    actor_id: int | None = None,
    as_of: date | FuzzyDate | None = None,
    mermaid: bool = False,
    two_cores: bool = False,
) -> int:
    """Write the markdown report to ``out``; returns the number of statements in its timelines.

    With ``question_id``: that question. With ``actor_id``: that actor on each
    question it has spoken on. With both: that one story. With neither: every
    question, one section each. ``as_of`` (a day, or a date at its precision:
    "as of Feb 2024" includes all of February; default today) sets the stance
    tables; the movers and timelines cover every statement. ``two_cores``: a report of
    every question from TWO_CORES_FROM statements writes its second half in a forked
    process meanwhile (see tracker.formats.second_core); never from a program with
    threads of its own (the interface), which a fork would copy mid-flight.
    """
    with _no_gc():
        return _write_markdown(
            store, out, question_id=question_id, actor_id=actor_id, as_of=as_of, mermaid=mermaid, two_cores=two_cores
        )


def _write_markdown(
    store: Store,
    out: IO[str],
    *,
    question_id: int | None,
    actor_id: int | None,
    as_of: date | FuzzyDate | None,
    mermaid: bool,
    two_cores: bool,
) -> int:
    when = as_of if as_of is not None else date.today()
    bound = as_of_bound(when) if isinstance(when, FuzzyDate) else when
    doc = _Doc(out)
    scales: dict[str, Scale] = {}
    count = 0

    if question_id is not None and actor_id is None:
        data = _load(store, store.question(question_id), scales)
        count = _question_section(doc, data, 1, when, bound, mermaid=mermaid)
        doc.close()
        return count

    if actor_id is not None:
        actor = store.actor(actor_id)
        if question_id is not None:
            question = store.question(question_id)
            doc.heading(1, f"{inline(actor.name)} on {inline(question.title)}")
            doc.block(lines(question.description))
            data = _load(store, question, scales)
            mine = [p for p in data.positions if p.actor_id == actor.id]
            if not mine:
                doc.block([f"No statements by {inline(actor.name)} on this question yet."])
                doc.close()
                return 0
            doc.block([f"*{_summary(mine, by_actors=False)}.*"])
            doc.heading(2, f"Stance as of {_display(when)}")
            doc.block(_STANCE_HEAD + _stance_rows(doc, data, bound, actor.id))
            _actor_movers(doc, data, actor, 2)
            count = _timeline(doc, data, 2, actor_id=actor.id, mermaid=mermaid, title=f"{actor.name} on {question.title}")
            doc.close()
            return count

        doc.heading(1, inline(actor.name))
        doc.block([_actor_intro(store, actor)])
        own = reads.statements(store.conn, actor_id=actor.id)
        if not own:
            doc.block([f"No statements by {inline(actor.name)} yet."])
            doc.close()
            return 0
        question_ids = {p.question_id for p in own}
        questions = [q for q in store.questions() if q.id in question_ids]
        loaded = [_load(store, q, scales) for q in questions]
        doc.block([f"*{_summary(own, by_actors=False)}, on {_plural(len(questions), 'question')}.*"])
        doc.heading(2, f"Where {inline(actor.name)} stands as of {_display(when)}")
        rows = []
        for data in loaded:
            latest = latest_as_of([p for p in data.positions if p.actor_id == actor.id], bound, in_order=True).get(actor.id)
            if latest is None:
                rows.append([cell(data.question.title), "—", "no statement by then", ""])
            else:
                rows.append([cell(data.question.title), cell(latest.level.label), latest.date.display, data.status(latest)])
        doc.table(("Question", "Stance", "Stated", "Change"), rows)
        doc.flush()
        for data in loaded:
            doc.heading(2, inline(data.question.title))
            doc.block(lines(data.question.description))
            _actor_movers(doc, data, actor, 3)
            count += _timeline(doc, data, 3, actor_id=actor.id, mermaid=mermaid, title=data.question.title)
            doc.flush()
        doc.close()
        return count

    # Neither: every question, one section each.
    questions = store.questions()
    by_question = reads.statements_by_question(store.conn)
    doc.heading(1, "Stated positions")
    total = by_question.total
    doc.block([f"*{_plural(len(questions), 'question')}, {_plural(total, 'statement')}; stances as of {_display(when)}.*"])
    doc.flush()
    scales.update((scale.key, scale) for scale in store.scales())  # all read: a second core reads nothing

    def sections(into: _Doc, chosen: Sequence[Question]) -> int:
        written = 0
        for question in chosen:
            data = _load(store, question, scales, by_question.get(question.id, []))
            written += _question_section(into, data, 2, when, bound, mermaid=mermaid)
            into.flush()
        into.close()
        return written

    def rest(file: IO[str]) -> int:
        into = _Doc(file)
        into.written = True  # it goes on after the first half
        return sections(into, questions[split:])

    split = _first_half(questions, by_question) if two_cores and total >= TWO_CORES_FROM else len(questions)
    with aside(rest) if split < len(questions) else nullcontext() as other:
        count = sections(doc, questions[:split])
        taken = other.take(out) if other is not None else None
    if split < len(questions):
        count += rest(out) if taken is None else taken
    return count


def _first_half(questions: Sequence[Question], by_question: reads.StatementsByQuestion) -> int:
    """Where to cut the questions so that both halves hold about as many statements."""
    half, seen = by_question.total / 2, 0
    for index, question in enumerate(questions):
        seen += by_question.count(question.id)
        if seen >= half:
            return index + 1
    return len(questions)


def render_markdown(store: Store, **options) -> str:
    """:func:`write_markdown` into a string."""
    buffer = io.StringIO()
    write_markdown(store, buffer, **options)
    return buffer.getvalue()


def default_filename(store: Store, question_id: int | None = None, actor_id: int | None = None) -> str:
    """A file name for the report: ``ground-troops.md``, ``macron.md``, ``macron-ground-troops.md``, ``positions.md``."""
    parts = []
    if actor_id is not None:
        actor = store.actor(actor_id)
        parts.append(slugify(actor.slug) or f"actor-{actor.id}")
    if question_id is not None:
        question = store.question(question_id)
        parts.append(slugify(question.slug) or f"question-{question.id}")
    return ("-".join(parts) or "positions") + ".md"
