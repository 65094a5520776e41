"""Plain records passed between the store, the domain and the faces.

They are frozen dataclasses: the store builds them from rows, the domain
computes over them, the command line and the interface show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
