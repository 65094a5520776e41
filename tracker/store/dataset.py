"""The SQL of a shared dataset (``tracker sync``, see tracker/sync): the rows as its
layout writes them, with the time each was last changed; the positions the revision
log says were deleted (its tombstones); the deletions a sync applies; and the one
revision the program writes itself, for a value a merge set aside."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator

from tracker.store.exports import export_rows

# The columns a revision's before and after hold, as the schema's triggers write them.
_REVISED_COLUMNS = {
    "positions": (
        "id", "uid", "actor_id", "question_id", "level_id", "date", "date_start", "date_end", "precision", "quote",
        "quote_lang", "paraphrase", "context", "source_id", "confidence", "notes", "tags", "created_at", "updated_at",
    ),
    "actors": ("id", "uid", "slug", "name", "kind", "country", "parent_id", "created_at", "updated_at"),
    "questions": ("id", "uid", "slug", "title", "description", "scale_id", "tags", "created_at", "updated_at"),
    "sources": ("id", "uid", "url", "title", "outlet", "published", "language", "created_at", "updated_at"),
}  # fmt: skip


def layout_rows(conn: sqlite3.Connection) -> dict[str, Iterator]:
    """Every row of the file as the layout writes it: the export's scales, actors,
    questions and sources (each with ``updated_at``; scales have none: ""), and the
    positions with theirs, by question slug, then date, then uid."""
    data = export_rows(conn)
    data.pop("position").close()  # a generator not started: its query never ran

    def timed(kind: str, table: str) -> Iterator[dict]:
        times = dict(conn.execute(f"SELECT uid, updated_at FROM {table}").fetchall())
        for row in data[kind]:
            yield dict(row) | {"updated_at": times.get(row["uid"]) or ""}

    def positions() -> Iterator[sqlite3.Row]:
        yield from conn.execute(
            "SELECT p.uid, a.slug AS actor, q.slug AS question, l.key AS stance, p.date, p.quote, p.quote_lang,"
            " p.paraphrase, p.context, s.uid AS source, p.confidence, p.notes, p.tags, p.updated_at"
            " FROM positions p JOIN questions q ON q.id = p.question_id JOIN actors a ON a.id = p.actor_id"
            " JOIN levels l ON l.id = p.level_id LEFT JOIN sources s ON s.id = p.source_id"
            " ORDER BY q.slug, p.date_start, p.uid"
        )

    return {
        "scale": (dict(s) | {"updated_at": ""} for s in data["scale"]),
        "actor": timed("actor", "actors"),
        "question": timed("question", "questions"),
        "source": timed("source", "sources"),
        "position": positions(),
    }


def deleted_positions(conn: sqlite3.Connection) -> dict[str, str]:
    """uid -> time of the last deletion, for each position the revision log says was
    deleted and that the file does not hold now."""
    return dict(
        conn.execute(
            "SELECT r.row_uid, max(r.at) FROM revisions r WHERE r.table_name = 'positions' AND r.action = 'delete'"
            " AND NOT EXISTS (SELECT 1 FROM positions p WHERE p.uid = r.row_uid) GROUP BY r.row_uid"
        ).fetchall()
    )


def actor_id(conn: sqlite3.Connection, slug: str) -> int | None:
    row = conn.execute("SELECT id FROM actors WHERE slug = ?", (slug,)).fetchone()
    return None if row is None else row[0]


def delete_positions(conn: sqlite3.Connection, uids: Iterable[str]) -> int:
    """Delete the positions with these uids (logged by the schema's trigger); how many were."""
    count = 0
    for uid in uids:
        count += conn.execute("DELETE FROM positions WHERE uid = ?", (uid,)).rowcount
    return count


def revised_row(conn: sqlite3.Connection, table: str, uid: str) -> dict | None:
    """The row as a revision holds it (the triggers' columns), or None."""
    columns = _REVISED_COLUMNS[table]
    row = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE uid = ?", (uid,)).fetchone()
    return None if row is None else dict(zip(columns, row))


def log_set_aside(conn: sqlite3.Connection, table: str, uid: str, before: dict, after: dict, at: str) -> None:
    """A revision of action 'update' from ``before`` (the row with the value a merge set
    aside) to ``after`` (the row as it is): the only revision the program writes itself,
    for the side whose value won, where no change of the row makes a trigger log it."""
    conn.execute(
        "INSERT INTO revisions(at, table_name, row_uid, action, before, after) VALUES (?, ?, ?, 'update', ?, ?)",
        (at, table, uid, json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)),
    )
