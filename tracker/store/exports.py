"""The reads an export makes: everything needed to write a dataset file, sorted for clean diffs.

The JSONL and CSV writers (``tracker.formats``) and the dataset layout of sync
(``tracker.store.dataset``) read through :func:`export_rows`: each kind of record comes
as a stream of rows, never all held in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from tracker.store.rows import position_filter


def export_rows(conn: sqlite3.Connection, *, actor_id: int | None = None, question_id: int | None = None) -> dict[str, Iterator]:
    """Everything needed to write a dataset, sorted for clean diffs.

    With a filter, only the positions that match, and the actors, questions,
    sources and scales those positions need.
    """
    where, args = position_filter(actor_id, question_id)
    filtered = bool(where)
    cond = (" WHERE " + " AND ".join(where)) if where else ""

    if filtered:
        conn.execute("DROP TABLE IF EXISTS temp.export_positions")
        conn.execute(f"CREATE TEMP TABLE export_positions AS SELECT p.id FROM positions p{cond}", args)
        conn.execute(
            "CREATE TEMP VIEW IF NOT EXISTS export_actor_ids AS WITH RECURSIVE ids(id) AS ("
            " SELECT actor_id FROM positions WHERE id IN (SELECT id FROM temp.export_positions)"
            " UNION SELECT a.parent_id FROM actors a JOIN ids ON a.id = ids.id WHERE a.parent_id IS NOT NULL)"
            " SELECT id FROM ids"
        )
        pos_filter = " WHERE p.id IN (SELECT id FROM temp.export_positions)"
        actor_filter = " WHERE a.id IN (SELECT id FROM temp.export_actor_ids)"
        question_filter = " WHERE q.id IN (SELECT question_id FROM positions WHERE id IN (SELECT id FROM temp.export_positions))"
        source_filter = " WHERE s.id IN (SELECT source_id FROM positions WHERE id IN (SELECT id FROM temp.export_positions))"
        scale_filter = " WHERE s.id IN (SELECT scale_id FROM questions WHERE id IN (SELECT question_id FROM positions WHERE id IN (SELECT id FROM temp.export_positions)))"
    else:
        pos_filter = actor_filter = question_filter = source_filter = scale_filter = ""

    def scales():
        for s in conn.execute(f"SELECT id, uid, key, name, description FROM scales s{scale_filter} ORDER BY key").fetchall():
            levels = conn.execute(
                "SELECT key, label, description, colour FROM levels WHERE scale_id = ? ORDER BY rank", (s["id"],)
            ).fetchall()
            yield dict(s) | {"levels": [dict(lv) for lv in levels]}

    def actors():
        yield from conn.execute(
            "SELECT a.uid, a.slug, a.name, a.kind, a.country, p.slug AS parent,"
            " (SELECT json_group_array(alias) FROM (SELECT alias FROM actor_aliases WHERE actor_id = a.id ORDER BY id)) AS aliases"
            f" FROM actors a LEFT JOIN actors p ON p.id = a.parent_id{actor_filter} ORDER BY a.slug"
        )

    def questions():
        yield from conn.execute(
            "SELECT q.uid, q.slug, q.title, q.description, s.key AS scale, q.tags"
            f" FROM questions q JOIN scales s ON s.id = q.scale_id{question_filter} ORDER BY q.slug"
        )

    def sources():
        yield from conn.execute(
            f"SELECT s.uid, s.url, s.title, s.outlet, s.published, s.language FROM sources s{source_filter} ORDER BY s.uid"
        )

    def positions():
        yield from conn.execute(
            "SELECT p.uid, a.slug AS actor, q.slug AS question, l.key AS stance, l.label AS stance_label, p.date,"
            " p.quote, p.quote_lang, p.paraphrase, p.context, s.uid AS source, s.url AS source_url,"
            " s.title AS source_title, s.outlet AS outlet, p.confidence, p.notes, p.tags"
            " FROM positions p JOIN actors a ON a.id = p.actor_id JOIN questions q ON q.id = p.question_id"
            " JOIN levels l ON l.id = p.level_id LEFT JOIN sources s ON s.id = p.source_id"
            f"{pos_filter} ORDER BY q.slug, a.slug, p.date_start, p.date_end, p.uid"
        )

    return {"scale": scales(), "actor": actors(), "question": questions(), "source": sources(), "position": positions()}
