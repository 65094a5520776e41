"""Fuzzy look-up for the autocomplete fields: plain Python, no database.

A :class:`Candidate` is one actor, question or source with the names it can be
found by, folded once when the list is loaded. :func:`best_matches` ranks the
candidates for what was typed: an exact name first, then a prefix of the whole
name, of a word, a substring, and last the letters in order with gaps ("mcrn"
finds "Macron"), tighter matches first. Case and accents never matter.

Why not ``textual.fuzzy`` (the command palette's matcher): it folds case but not accents
("lopez" does not find "López", "etat" not "État"), it scores one string where a record
here has several names (a slug, aliases, a URL) and the dropdown says which one matched,
and it tries every placement of the letters, some four to six times slower than this
over two thousand actors a keystroke (measured when this was written, Textual 8.2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.domain.text import fold

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Name:
    """One folded name, with its words joined by single spaces after a leading one."""

    text: str
    words: str

    @classmethod
    def of(cls, name: str) -> Name:
        folded = fold(name)
        return cls(folded, " " + " ".join(_WORD.findall(folded)))


@dataclass(frozen=True)
class Candidate:
    record: object  # the Actor, Question or Source
    label: str  # what the field shows once chosen: a name, a title, a URL
    detail: str = ""  # the dim second part of its dropdown line: slug, kind, outlet…
    names: tuple[str, ...] = ()  # everything it can be found by, the label first
    folded: tuple[Name, ...] = field(default=(), compare=False, repr=False)
    joined: str = field(default="", compare=False, repr=False)  # for a quick rejection

    @classmethod
    def make(cls, record: object, label: str, detail: str = "", names: tuple[str, ...] = ()) -> Candidate:
        every = tuple(dict.fromkeys(n for n in (label, *names) if n))
        folded = tuple(Name.of(n) for n in every)
        return cls(record, label, detail, every, folded, "\x00".join(n.text for n in folded))


@dataclass(frozen=True)
class Match:
    score: float
    candidate: Candidate
    name: str  # the name that matched best: the label, a slug, an alias…


def _span(query: str, text: str) -> tuple[int, int] | None:
    """(start, length) of the shortest stretch of ``text`` holding the letters of ``query`` in order."""
    best = None
    start = text.find(query[0])
    while start != -1:
        pos = start
        for ch in query[1:]:
            pos = text.find(ch, pos + 1)
            if pos == -1:
                return best  # no later start can succeed either
        length = pos - start + 1
        if best is None or length < best[1]:
            best = (start, length)
            if length == len(query):
                return best
        start = text.find(query[0], start + 1)
    return best


def score(query: str, name: Name) -> float:
    """How well the folded ``query`` matches ``name``: 0 for not at all, 100 for equal."""
    text = name.text
    if not query or not text:
        return 0.0
    if text == query:
        return 100.0
    closeness = len(query) / len(text)  # in (0, 1): the more of the name typed, the better
    if text.startswith(query):
        return 90.0 + closeness
    if " " + query in name.words:
        return 80.0 + closeness
    if query in text:
        return 70.0 + closeness
    squeezed = query.replace(" ", "")
    if not squeezed:
        return 0.0
    found = _span(squeezed, text)
    if found is None:
        return 0.0
    start, length = found
    at_word_start = start == 0 or not text[start - 1].isalnum()
    return 10.0 + (5.0 if at_word_start else 0.0) + 45.0 * len(squeezed) / length


def best_matches(typed: str, candidates: list[Candidate], limit: int = 6) -> list[Match]:
    """The best ``limit`` candidates for ``typed``, best first."""
    query = fold(typed.strip())
    squeezed = query.replace(" ", "")
    if not squeezed:
        return []
    # The letters in order within one name: a cheap test that rejects most candidates.
    in_order = re.compile("[^\x00]*?".join(re.escape(c) for c in squeezed)).search
    found: list[Match] = []
    for cand in candidates:
        if in_order(cand.joined) is None:
            continue
        best = 0.0
        best_name = ""
        for name, folded in zip(cand.names, cand.folded):
            s = score(query, folded)
            if s > best:
                best, best_name = s, name
        if best > 0:
            found.append(Match(best, cand, best_name))
    found.sort(key=lambda m: (-m.score, len(m.candidate.label), m.candidate.label.casefold()))
    return found[:limit]


def exact_match(typed: str, candidates: list[Candidate]) -> Candidate | None:
    """The one candidate that has a name equal to ``typed`` (case and accents aside), if only one has."""
    query = fold(typed.strip())
    if not query:
        return None
    hits = [c for c in candidates if any(n.text == query for n in c.folded)]
    return hits[0] if len(hits) == 1 else None


# ---------------------------------------------------------------- the records the forms look up


def actor_candidate(actor) -> Candidate:
    """An Actor, found by its name, slug and aliases."""
    detail = " · ".join(p for p in (actor.slug, actor.kind, actor.country or "") if p)
    return Candidate.make(actor, actor.name, detail, (actor.slug, *actor.aliases))


def question_candidate(question) -> Candidate:
    """A Question, found by its title and slug."""
    return Candidate.make(question, question.title, f"{question.slug} · {question.scale_key}", (question.slug,))


def source_candidate(source) -> Candidate:
    """A Source, found by its URL, title and outlet."""
    label = source.title or source.url or f"source {source.id}"
    published = source.published.display if source.published else ""
    detail = " · ".join(p for p in (source.outlet, published, source.url if source.title else "") if p)
    return Candidate.make(source, label, detail, tuple(p for p in (source.url, source.title, source.outlet) if p))
