"""Rows to records: the SELECTs whose columns the converters below expect."""

from __future__ import annotations

import json
import sqlite3

from tracker.domain.dates import from_edtf
from tracker.domain.models import Actor, Level, Position, Question, Source

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


def position_filter(actor_id: int | None, question_id: int | None, alias: str = "p") -> tuple[list[str], list]:
    """WHERE terms and arguments that keep the positions of one actor and/or one question."""
    prefix = f"{alias}." if alias else ""
    where, args = [], []
    if actor_id is not None:
        where.append(f"{prefix}actor_id = ?")
        args.append(actor_id)
    if question_id is not None:
        where.append(f"{prefix}question_id = ?")
        args.append(question_id)
    return where, args
