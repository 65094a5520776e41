"""Rows to records: the SELECTs whose columns the converters below expect."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import repeat
from operator import add, itemgetter, lshift, mul
from datetime import date
from typing import Any

from tracker.domain.dates import FuzzyDate, from_edtf
from tracker.domain.models import Actor, Level, Position, Question, Source, Statement
from tracker.domain.text import printable
from tracker.errors import OutOfShape

ACTOR_SELECT = """
SELECT a.id, a.uid, a.slug, a.name, a.kind, a.country, p.slug AS parent_slug,
       (SELECT json_group_array(iif(typeof(alias) = 'blob', NULL, alias)) FROM (  -- JSON holds no blob: null, refused below
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
       p.level_id, l.key AS level_key, l.label AS level_label, l.rank AS level_rank,
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


# ---------------------------------------------------------------------- values out of shape
#
# Another program can write anything the schema allows (and, with its checks turned off,
# more): tags that are no list of texts, a date that is no date, a rank that is no number.
# Such a value stops the read here, where rows become records, with one line that names
# the row; `tracker check` (tracker.store.shape) lists them all, with advice.


def shown(value: object) -> str:
    """A stored value as a message quotes it: printable, on one line, cut short."""
    if isinstance(value, bytes):
        text = f"a blob of {len(value)} bytes"
    elif isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        text = repr(text)
    else:
        text = repr(value)
    return printable(text, one_line=True)


def out_of_shape(table: str, row_id: object, what: str, found: object) -> OutOfShape:
    return OutOfShape(
        f"{table} row {row_id}: {what} (found {shown(found)}); the file was changed by another program:"
        " run `tracker check` for what to do"
    )


def tags(text: object, table: str, row_id: object) -> tuple[str, ...]:
    """The tags column read: a JSON list of texts, or OutOfShape."""
    return _texts(text, table, row_id, "tags is not a list of texts")


def _texts(text: object, table: str, row_id: object, problem: str) -> tuple[str, ...]:
    """A JSON list of texts read, or OutOfShape saying ``problem``."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        value = None
    if type(value) is list and all(type(t) is str for t in value):
        return tuple(value)
    raise out_of_shape(table, row_id, problem, text)


def stored_date(text: object, table: str, row_id: object, column: str = "date") -> FuzzyDate:
    """A stored date read, or OutOfShape."""
    if type(text) is str:
        try:
            return from_edtf(text)
        except ValueError:  # DateError is a ValueError
            pass
    raise out_of_shape(table, row_id, f"{column} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", text)


def rank(value: object, level_id: object) -> int:
    """A level's rank read: a whole number, or OutOfShape. (Ranks that are not 0..n-1 still
    order the levels; `tracker check` reports them.)"""
    if type(value) is int and value >= 0:
        return value
    raise out_of_shape("levels", level_id, "rank is not a whole number", value)


def level(row) -> Level:
    """A row of the levels table (``SELECT *``) as a Level, or OutOfShape."""
    for name in ("key", "label", "description", "colour"):
        if type(row[name]) is not str:
            raise out_of_shape("levels", row["id"], f"{name} is not a text", row[name])
    return Level(row["key"], row["label"], rank(row["rank"], row["id"]), row["description"], row["colour"])


def aliases(text: object, actor_id: object) -> tuple[str, ...]:
    """An actor's aliases as read (a JSON list of texts), or OutOfShape."""
    return _texts(text, "actors", actor_id, "aliases are not texts")


def _columns(row: sqlite3.Row, names: tuple[str, ...], prefix: str = "") -> dict[str, Any]:
    """The columns ``prefix + name`` of ``row`` by ``name``: a model's fields stored as they are."""
    return {name: row[prefix + name] for name in names}


def actor(row: sqlite3.Row) -> Actor:
    fields = _columns(row, ("id", "uid", "slug", "name", "kind", "country", "parent_slug"))
    return Actor(**fields, aliases=aliases(row["aliases"], row["id"]))


def question(row: sqlite3.Row) -> Question:
    fields = _columns(row, ("id", "uid", "slug", "title", "scale_key", "description"))
    return Question(**fields, tags=tags(row["tags"], "questions", row["id"]))


def source(row: sqlite3.Row, prefix: str = "") -> Source | None:
    if row[prefix + "id"] is None:
        return None
    published = row[prefix + "published"]
    fields = _columns(row, ("id", "uid", "url", "title", "outlet", "language"), prefix)
    return Source(
        **fields, published=stored_date(published, "sources", row[prefix + "id"], "published") if published else None
    )


# The texts of a position, and of what it names, that a screen or report shows: (column of
# POSITION_SELECT, table it comes from, column holding that table's row id, its name there).
_POSITION_TEXTS = tuple(("positions", "id", c, c) for c in ("quote", "quote_lang", "paraphrase", "context", "notes")) + (
    ("actors", "actor_id", "actor_name", "name"),
    ("questions", "question_id", "question_title", "title"),
    ("levels", "level_id", "level_key", "key"),
    ("levels", "level_id", "level_label", "label"),
)


def texts(row: sqlite3.Row) -> None:
    """OutOfShape unless each text of a POSITION_SELECT row is a text (a blob written by
    another program would stop a screen or report later, far from its row)."""
    for table, id_column, column, name in _POSITION_TEXTS:
        if type(row[column]) is not str:
            raise out_of_shape(table, row[id_column], f"{name} is not a text", row[column])


def position(row: sqlite3.Row) -> Position:
    texts(row)
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
            rank=rank(row["level_rank"], row["level_id"]),
            description=row["level_description"],
            colour=row["level_colour"],
        ),
        date=stored_date(row["date"], "positions", row["id"]),
        quote=row["quote"],
        quote_lang=row["quote_lang"],
        paraphrase=row["paraphrase"],
        context=row["context"],
        source=source(row, "source_"),
        confidence=row["confidence"],
        notes=row["notes"],
        tags=tags(row["tags"], "positions", row["id"]),
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

# Texts are cast: a blob another program wrote reads as its text, or, when it is no UTF-8,
# fails the read (reads.py says so in one line) rather than a report later.
STATEMENT_COLUMNS = (
    "p.id, p.actor_id, p.question_id, p.level_id, p.date, CAST(p.quote AS TEXT), CAST(p.quote_lang AS TEXT),"
    " CAST(p.paraphrase AS TEXT), CAST(p.context AS TEXT), p.source_id, p.confidence"
)
LEAN_ACTOR_COLUMNS = "id, slug, name"
LEAN_LEVEL_COLUMNS = "id, key, label, rank, description, colour"
LEAN_SOURCE_COLUMNS = "id, uid, url, title, outlet, published, language"


def level_tuple(row: tuple) -> Level:
    """A row of :data:`LEAN_LEVEL_COLUMNS` (its id left aside)."""
    id_, key, label, rank_, description, colour = row
    for name, value in (("key", key), ("label", label), ("description", description), ("colour", colour)):
        if type(value) is not str:
            raise out_of_shape("levels", id_, f"{name} is not a text", value)
    return Level(key=key, label=label, rank=rank(rank_, id_), description=description, colour=colour)


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
        "published": stored_date(published, "sources", id_, "published") if published else None, "language": language,
    })  # fmt: skip
    return record


def statements_from_rows(
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
    two more dates, two slugs and two ids. The records are made a column at a time, each by
    one of Python's own loops (``map``, ``zip``), which run no bytecode per row: a quarter
    less time than a loop over the rows (a report reads a hundred thousand of them).
    """
    if not found:
        return []
    try:
        (ids, actor_ids, question_ids, level_ids, date_texts, quotes, quote_langs,
         paraphrases, contexts, source_ids, confidences) = zip(*found)  # fmt: skip
        named = list(map(actors.__getitem__, actor_ids))
        dated = list(map(dates.__getitem__, date_texts))
        cited = list(map(sources.get, source_ids))
        if cited.count(None) != source_ids.count(None):  # a source id that refers to no source
            raise KeyError(None)
        # ((date order * actors + actor rank) << 64) + id: an id (a rowid) fits in 64 bits, signed
        keys = list(map(add, map(lshift, map(add, map(mul, map(_ORDER, dated), repeat(len(actors))),
                                             map(_RANK, named)), repeat(64)), ids))  # fmt: skip
        records = list(map(tuple.__new__, repeat(Statement), zip(
            ids, actor_ids, map(_SLUG, named), map(_NAME, named), question_ids, map(levels.__getitem__, level_ids),
            map(_DATE, dated), quotes, quote_langs, paraphrases, contexts, cited, confidences,
        )))  # fmt: skip
    except (KeyError, ValueError, TypeError):
        raise _statement_error(found, actors, levels, sources, dates) from None
    return [records[i] for i in sorted(range(len(keys)), key=keys.__getitem__)]


_SLUG, _NAME, _RANK = itemgetter(0), itemgetter(1), itemgetter(2)  # of an actor's (slug, name, rank)
_DATE, _ORDER = itemgetter(0), itemgetter(1)  # of a date's (date, order)


def _statement_error(found: list[tuple], actors: Mapping, levels: Mapping, sources: Mapping, dates: Mapping) -> OutOfShape:
    """What is wrong with the first row of STATEMENT_COLUMNS in ``found`` that
    :func:`statements_from_rows` could not use."""
    for row in found:
        id_, actor_id, _question_id, level_id, date, *_rest, source_id, _confidence = row
        if actor_id not in actors:
            return out_of_shape("positions", id_, "actor_id refers to no actor", actor_id)
        if level_id not in levels:
            return out_of_shape("positions", id_, "level_id refers to no stance level", level_id)
        if source_id is not None and source_id not in sources:
            return out_of_shape("positions", id_, "source_id refers to no source", source_id)
        if type(id_) is not int:
            return out_of_shape("positions", id_, "id is not a whole number", id_)
        try:
            dates[date]
        except (KeyError, ValueError, TypeError):
            stored_date(date, "positions", id_)  # raises the OutOfShape that says what is wrong
            return out_of_shape("positions", id_, "a value is out of shape", date)
    return out_of_shape("positions", found[0][0], "a value is out of shape", None)
