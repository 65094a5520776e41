"""The words of a report: language names, dates, change markers, lags, plurals, summaries
and the line that cites a source."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import takewhile
from operator import attrgetter

from tracker.domain.changes import Change
from tracker.domain.dates import FuzzyDate
from tracker.domain.durations import elapsed_words
from tracker.domain.models import Source, Statement
from tracker.formats.markdown.escape import cell, inline, safe_url

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


def language_name(code: str) -> str:
    """What a quote in the language ``code`` is followed by: "French", "Portuguese (pt-BR)";
    nothing for the report's own language, any variety of it ("en-GB") included."""
    base = code.split("-")[0].lower()
    if base == REPORT_LANGUAGE:
        return ""
    name = _LANGUAGES.get(base)
    if name is None:
        return inline(code)
    return name if "-" not in code else f"{name} ({inline(code)})"


def display(when: date | FuzzyDate) -> str:
    return when.display if isinstance(when, FuzzyDate) else FuzzyDate.from_date(when).display


FIRST = "• first statement"


def marker(change: Change) -> str:
    """``▲ +2 shift, after 1 year 11 months``, ``= unchanged, same day``, ``• first statement``."""
    if change.before is None:
        return FIRST
    if not change.elapsed:
        return change.marker
    if change.elapsed.startswith(("same", "about the same")):
        return f"{change.marker}, {change.elapsed}"
    return f"{change.marker}, after {change.elapsed}"


def lag_words(leader: FuzzyDate, reached: FuzzyDate) -> str:
    """How long after the first mover (who reached the level on ``leader``) an actor did:
    ``**first**`` when on the same start day."""
    if reached.start == leader.start:
        return "**first**"
    lag = elapsed_words(leader, reached)
    if lag.startswith(("same", "about the same")):
        return lag
    return f"{lag} later"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(positions: Sequence[Statement], *, by_actors: bool = True) -> str:
    """``13 statements by 11 actors, 25 Jan 2023 to 16 Mar 2024`` (no final stop)."""
    first, last = first_and_last(positions)
    span = first.display if first.display == last.display else f"{first.display} to {last.display}"
    if not by_actors:
        return f"{plural(len(positions), 'statement')}, {span}"
    actors = len(set(map(ACTOR_ID, positions)))
    return f"{plural(len(positions), 'statement')} by {plural(actors, 'actor')}, {span}"


def first_and_last(positions: Sequence[Statement]) -> tuple[FuzzyDate, FuzzyDate]:
    """The dates of the first and the last of ``positions`` (in timeline order: date start,
    date end, actor slug, id) in position order (date start, date end, id): the lowest id
    among those on the earliest dates, the highest among those on the latest. (Two dates of
    the same interval can read differently: "2024" and "c. 2024".)"""
    a, z = positions[0].date, positions[-1].date
    first = min(takewhile(lambda p: p.date.start == a.start and p.date.end == a.end, positions), key=ID)
    last = max(takewhile(lambda p: p.date.start == z.start and p.date.end == z.end, reversed(positions)), key=ID)
    return first.date, last.date


ID = attrgetter("id")
ACTOR_ID = attrgetter("actor_id")


def and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


NO_SOURCE = "*Source:* none recorded."


def source_line(source: Source, cell: Mapping[str, str]) -> str:
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


def confidence_words(confidence: str) -> str:
    """What a statement's status line says of its confidence: nothing when confirmed."""
    return "" if confidence == "confirmed" else f" · confidence: {cell(confidence)}"
