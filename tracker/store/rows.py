"""Rows to records: the SELECTs whose columns the converters below expect."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from tracker.domain.dates import FuzzyDate, from_edtf
from tracker.domain.models import Actor, Level, Position, Question, Source, Statement

ACTOR_SELECT = """
SELECT a.id, a.uid, a.slug, a.name, a.kind, a.country, p.slug AS parent_slug,
       (SELECT json_group_array(alias) FROM (
            SELECT alias FROM actor_aliases WHERE actor_id = a.id ORDER BY id)) AS aliases
FROM actors a LEFT JOIN actors p ON p.id = a.parent_id
"""

QUESTION_SELECT = """
SELECT q.id, q.uid, q.slug, q.title, q.description, q.tags, s.key AS scale_key
FROM questions q JOIN scales s ON s.id = q.scale_id
"""

SOURCE_COLUMNS = "s.id, s.uid, s.url, s.title, s.outlet, s.published, s.language"

POSITION_SELECT = """
SELECT p.id, p.uid, p.actor_id, a.slug AS actor_slug, a.name AS actor_name,
       p.question_id, q.slug AS question_slug, q.title AS question_title,
       l.key AS level_key, l.label AS level_label, l.rank AS level_rank,
       l.description AS level_description, l.colour AS level_colour,
       p.date, p.quote, p.quote_lang, p.paraphrase, p.context, p.confidence, p.notes, p.tags,
       s.id AS source_id, s.uid AS source_uid, s.url AS source_url, s.title AS source_title,
       s.outlet AS source_outlet, s.published AS source_published, s.language AS source_language
FROM positions p
JOIN actors a ON a.id = p.actor_id
JOIN questions q ON q.id = p.question_id
JOIN levels l ON l.id = p.level_id
LEFT JOIN sources s ON s.id = p.source_id
"""


def actor(row: sqlite3.Row) -> Actor:
    return Actor(
        id=row["id"],
        uid=row["uid"],
        slug=row["slug"],
        name=row["name"],
        kind=row["kind"],
        country=row["country"],
        parent_slug=row["parent_slug"],
        aliases=tuple(json.loads(row["aliases"])),
    )


def question(row: sqlite3.Row) -> Question:
    return Question(
        id=row["id"],
        uid=row["uid"],
        slug=row["slug"],
        title=row["title"],
        scale_key=row["scale_key"],
        description=row["description"],
        tags=tuple(json.loads(row["tags"])),
    )


def source(row: sqlite3.Row, prefix: str = "") -> Source | None:
    if row[prefix + "id"] is None:
        return None
    published = row[prefix + "published"]
    return Source(
        id=row[prefix + "id"],
        uid=row[prefix + "uid"],
        url=row[prefix + "url"],
        title=row[prefix + "title"],
        outlet=row[prefix + "outlet"],
        published=from_edtf(published) if published else None,
        language=row[prefix + "language"],
    )


def position(row: sqlite3.Row) -> Position:
    return Position(
        id=row["id"],
        uid=row["uid"],
        actor_id=row["actor_id"],
        actor_slug=row["actor_slug"],
        actor_name=row["actor_name"],
        question_id=row["question_id"],
        question_slug=row["question_slug"],
        question_title=row["question_title"],
        level=Level(
            key=row["level_key"],
            label=row["level_label"],
            rank=row["level_rank"],
            description=row["level_description"],
            colour=row["level_colour"],
        ),
        date=from_edtf(row["date"]),
        quote=row["quote"],
        quote_lang=row["quote_lang"],
        paraphrase=row["paraphrase"],
        context=row["context"],
        source=source(row, "source_"),
        confidence=row["confidence"],
        notes=row["notes"],
        tags=tuple(json.loads(row["tags"])),
    )


@dataclass(frozen=True)
class Narrowing:
    """What a filter keeps of the positions: any of these actors, any of these questions, any
    of these stance levels, by key, whatever their scale (an empty set keeps them all), and dates that start within
    ``since``..``until`` (either left open with None) and before ``before``."""

    actor_ids: frozenset[int] = frozenset()
    question_ids: frozenset[int] = frozenset()
    level_keys: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None
    before: date | None = None


def position_filter(
    actor_id: int | None, question_id: int | None, alias: str = "p", narrowing: Narrowing | None = None
) -> tuple[list[str], list]:
    """WHERE terms and arguments that keep the positions of one actor and/or one question,
    and, with ``narrowing``, only those it keeps."""
    prefix = f"{alias}." if alias else ""
    where, args = [], []
    if actor_id is not None:
        where.append(f"{prefix}actor_id = ?")
        args.append(actor_id)
    if question_id is not None:
        where.append(f"{prefix}question_id = ?")
        args.append(question_id)
    if narrowing is not None:
        for column, ids in (("actor_id", narrowing.actor_ids), ("question_id", narrowing.question_ids)):
            if ids:
                where.append(f"{prefix}{column} IN ({', '.join('?' * len(ids))})")
                args.extend(sorted(ids))
        if narrowing.level_keys:
            keys = sorted(narrowing.level_keys)
            where.append(f"{prefix}level_id IN (SELECT id FROM levels WHERE key IN ({', '.join('?' * len(keys))}))")
            args.extend(keys)
        for op, bound in ((">=", narrowing.since), ("<=", narrowing.until), ("<", narrowing.before)):
            if bound is not None:
                where.append(f"{prefix}date_start {op} ?")
                args.append(bound.isoformat())
    return where, args

# ---------------------------------------------------------------------- report reads
#
# A report reads every position of a question, an actor or the whole file: 100,000 rows
# and more. It shows no uid, notes or tags, and knows the question it is about, so it reads
# Statement records (tuples) made from plain rows of STATEMENT_COLUMNS; what they refer to
# is read once (the actors, levels and sources, each date) and shared between them.

STATEMENT_COLUMNS = (
    "p.id, p.actor_id, p.question_id, p.level_id, p.date, p.quote, p.quote_lang, p.paraphrase, p.context, "
    "p.source_id, p.confidence"
)
LEAN_ACTOR_COLUMNS = "id, slug, name"
LEAN_LEVEL_COLUMNS = "id, key, label, rank, description, colour"
LEAN_SOURCE_COLUMNS = "id, uid, url, title, outlet, published, language"


def level_tuple(row: tuple) -> Level:
    """A row of :data:`LEAN_LEVEL_COLUMNS` (its id left aside)."""
    _id, key, label, rank, description, colour = row
    return Level(key=key, label=label, rank=rank, description=description, colour=colour)


def source_tuple(row: tuple) -> Source:
    """A row of :data:`LEAN_SOURCE_COLUMNS`.

    Made without the dataclass ``__init__``, which sets the fields one ``object.__setattr__``
    at a time: the record gets its instance dictionary whole, the same frozen record at a
    fraction of the cost. (A new dictionary, not ``__dict__`` filled in place: that one
    shares its keys with the class, and Python 3.11 then reads every attribute of the record
    the slow, unspecialised way.)
    """
    id_, uid, url, title, outlet, published, language = row
    record = object.__new__(Source)
    object.__setattr__(record, "__dict__", {
        "id": id_, "uid": uid, "url": url, "title": title, "outlet": outlet,
        "published": from_edtf(published) if published else None, "language": language,
    })  # fmt: skip
    return record


def statements(
    found: list[tuple],
    actors: dict[int, tuple[str, str, int]],
    levels: dict[int, Level],
    sources: dict[int, Source],
    dates: Mapping[str, tuple[FuzzyDate, int]],
) -> list[Statement]:
    """Statements from rows of :data:`STATEMENT_COLUMNS`, in timeline order (date start, date
    end, actor slug, id), given what the rows refer to: ``actors`` as (slug, name, rank of the
    slug among them), ``levels``, ``sources`` and ``dates`` (each date text as its date and an
    integer in the order of its start, then its end).

    The order is that of integer keys made from those integers and the id, one per row:
    sorting by them compares two integers where the timeline order would compare two dates,
    two more dates, two slugs and two ids.
    """
    new = tuple.__new__
    records: list[Statement] = []
    keys: list[int] = []
    record, key = records.append, keys.append
    width = len(actors)
    for (id_, actor_id, question_id, level_id, date, quote, quote_lang,
         paraphrase, context, source_id, confidence) in found:  # fmt: skip
        slug, name, actor_rank = actors[actor_id]
        fuzzy, date_order = dates[date]
        key(((date_order * width + actor_rank) << 64) + id_)  # an id (a rowid) fits in 64 bits, signed
        record(new(Statement, (
            id_, actor_id, slug, name, question_id, levels[level_id], fuzzy, quote, quote_lang,
            paraphrase, context, None if source_id is None else sources[source_id], confidence,
        )))  # fmt: skip
    return [records[i] for i in sorted(range(len(keys)), key=keys.__getitem__)]
