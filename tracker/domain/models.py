"""Plain records passed between the store, the domain and the faces.

They are frozen dataclasses: the store builds them from rows, the domain
computes over them, the command line and the interface show them. Reports read
positions as :class:`Statement` tuples, lighter to make by the hundred thousand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from tracker.domain.dates import FuzzyDate

ACTOR_KINDS = ("person", "government", "organisation", "party", "alliance", "other")
CONFIDENCES = ("confirmed", "reported", "inferred")


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    rank: int
    description: str = ""
    colour: str = ""


@dataclass(frozen=True)
class Scale:
    key: str
    name: str
    levels: tuple[Level, ...]
    description: str = ""
    uid: str = ""

    def level(self, key: str) -> Level:
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(key)

    @property
    def size(self) -> int:
        return len(self.levels)


@dataclass(frozen=True)
class Actor:
    id: int
    uid: str
    slug: str
    name: str
    kind: str = "other"
    country: str | None = None
    parent_slug: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: int
    uid: str
    slug: str
    title: str
    scale_key: str = "commitment"
    description: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    id: int
    uid: str
    url: str | None = None
    title: str = ""
    outlet: str = ""
    published: FuzzyDate | None = None
    language: str = ""


@dataclass(frozen=True)
class Position:
    """One statement. ``level`` is the stance on the question's scale."""

    id: int
    uid: str
    actor_id: int
    actor_slug: str
    actor_name: str
    question_id: int
    question_slug: str
    question_title: str
    level: Level
    date: FuzzyDate
    quote: str = ""
    quote_lang: str = ""
    paraphrase: str = ""
    context: str = ""
    source: Source | None = None
    confidence: str = "confirmed"
    notes: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


class Statement(NamedTuple):
    """A position as a report shows it: a :class:`Position` less its uid, notes and tags and
    its question's slug and title (a report knows its question). A report reads 100,000
    and more of them, and a tuple is the cheapest record to make; the domain's functions on
    positions (changes, movers) take these as well, reading the same fields."""

    id: int
    actor_id: int
    actor_slug: str
    actor_name: str
    question_id: int
    level: Level
    date: FuzzyDate
    quote: str
    quote_lang: str
    paraphrase: str
    context: str
    source: Source | None
    confidence: str
