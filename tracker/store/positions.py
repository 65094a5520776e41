"""Positions for the screens and commands: read in date order, a page at a time (each with
the one before it, for the interface's lists), as of a date, the one before a position, how
many, and the stances of a grid of cells; and written, one at a time, from values
``Store.position_values`` has checked.

``Store.positions``, ``Store.previous_position``, ``Store.count_positions``,
``Store.stances_as_of``, ``Store.add_position`` and ``Store.update_position`` are their
doors; the interface's lists read :func:`page_with_previous` on their store's connection.
(Reports read every position of a question at once through :mod:`tracker.store.reads`;
imports write many through :mod:`tracker.store.bulk`.)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date

from tracker.domain.models import Level, Position
from tracker.store import rows
from tracker.store.database import now_iso

# The columns of a position a person gives (all but its uid and times), as checked values.
FIELDS = (
    "actor_id", "question_id", "level_id", "date", "date_start", "date_end", "precision",
    "quote", "quote_lang", "paraphrase", "context", "source_id", "confidence", "notes", "tags",
)  # fmt: skip


def insert(conn: sqlite3.Connection, uid: str, values: dict) -> int:
    """A new position of checked ``values`` (by :data:`FIELDS`); its id."""
    now = now_iso()
    cur = conn.execute(
        f"INSERT INTO positions(uid, {', '.join(FIELDS)}, created_at, updated_at) VALUES (?, {', '.join('?' * len(FIELDS))}, ?, ?)",
        (uid, *(values[f] for f in FIELDS), now, now),
    )
    return cur.lastrowid


def update(conn: sqlite3.Connection, position_id: int, values: dict) -> None:
    """Position ``position_id`` given the checked ``values`` (by :data:`FIELDS`)."""
    conn.execute(
        f"UPDATE positions SET {', '.join(f'{f} = ?' for f in FIELDS)}, updated_at = ? WHERE id = ?",
        (*(values[f] for f in FIELDS), now_iso(), position_id),
    )


def in_date_order(
    conn: sqlite3.Connection,
    *,
    actor_id: int | None = None,
    question_id: int | None = None,
    as_of: date | None = None,
    limit: int | None = None,
    offset: int = 0,
    narrowing: rows.Narrowing | None = None,
) -> list[Position]:
    """Positions in date order; with ``as_of``, each actor's latest on each question by then;
    with ``narrowing``, only those it keeps (a filter of the timeline)."""
    if limit is not None and as_of is None:
        ids, args = _page_ids(actor_id, question_id, narrowing)
        sql = rows.POSITION_SELECT + f" WHERE p.id IN ({ids}) ORDER BY p.date_start, p.date_end, p.id"
        return [rows.position(r) for r in conn.execute(sql, [*args, limit, offset])]
    where, args = rows.position_filter(actor_id, question_id, narrowing=narrowing)
    if as_of is not None:
        bound = as_of.isoformat()
        where.append("p.date_start <= ?")
        args.append(bound)
        where.append(
            "NOT EXISTS (SELECT 1 FROM positions later WHERE later.actor_id = p.actor_id"
            " AND later.question_id = p.question_id AND later.date_start <= ?"
            " AND (later.date_start, later.date_end, later.id) > (p.date_start, p.date_end, p.id))"
        )
        args.append(bound)
    sql = rows.POSITION_SELECT
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY p.date_start, p.date_end, p.id"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    return [rows.position(r) for r in conn.execute(sql, args)]


def _page_ids(
    actor_id: int | None, question_id: int | None, narrowing: rows.Narrowing | None
) -> tuple[str, list]:
    """A statement for the ids of a page of positions in date order, and its arguments but
    the last two (the limit and the offset). The ids come from a covering index alone, so
    skipping even a million rows costs milliseconds; only the page's rows are then joined."""
    where, args = rows.position_filter(actor_id, question_id, alias="", narrowing=narrowing)
    sql = (
        "SELECT id FROM positions"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY date_start, date_end, id LIMIT ? OFFSET ?"
    )
    return sql, args


def page_with_previous(
    conn: sqlite3.Connection,
    *,
    actor_id: int | None = None,
    question_id: int | None = None,
    limit: int,
    offset: int = 0,
    narrowing: rows.Narrowing | None = None,
) -> list[tuple[Position | None, Position, int]]:
    """A page of positions in date order (as :func:`in_date_order`), each after the same
    actor's position on the same question just before it (as :func:`previous`, whatever
    ``narrowing`` keeps) and before the number of levels of its question's scale: what a
    list needs to show each one's change. Two statements for the page, not one a row or a
    question: the page's ids with their previous one's (an indexed look-up each) and their
    scale's size, then those rows."""
    ids, args = _page_ids(actor_id, question_id, narrowing)
    page = conn.execute(
        "SELECT c.id, (SELECT b.id FROM positions b WHERE b.question_id = c.question_id AND b.actor_id = c.actor_id"
        " AND (b.date_start, b.date_end, b.id) < (c.date_start, c.date_end, c.id)"
        " ORDER BY b.date_start DESC, b.date_end DESC, b.id DESC LIMIT 1),"
        " (SELECT count(*) FROM questions q JOIN levels l ON l.scale_id = q.scale_id WHERE q.id = c.question_id)"
        f" FROM positions c WHERE c.id IN ({ids}) ORDER BY c.date_start, c.date_end, c.id",
        [*args, limit, offset],
    ).fetchall()
    wanted = sorted({i for after, before, _ in page for i in (after, before) if i is not None})
    sql = rows.POSITION_SELECT + " WHERE p.id IN (SELECT value FROM json_each(?))"
    found = {r["id"]: rows.position(r) for r in conn.execute(sql, (json.dumps(wanted),))}
    # A row the join leaves out (a level another program deleted) is left out, as in_date_order does.
    return [(found.get(before), found[after], size) for after, before, size in page if after in found]


def previous(conn: sqlite3.Connection, pos: Position) -> Position | None:
    """The same actor's position on the same question just before ``pos``."""
    row = conn.execute(
        rows.POSITION_SELECT
        + " WHERE p.actor_id = ? AND p.question_id = ?"
        " AND (p.date_start, p.date_end, p.id) < (?, ?, ?)"
        " ORDER BY p.date_start DESC, p.date_end DESC, p.id DESC LIMIT 1",
        (pos.actor_id, pos.question_id, pos.date.start.isoformat(), pos.date.end.isoformat(), pos.id),
    ).fetchone()
    return rows.position(row) if row else None


def count(
    conn: sqlite3.Connection,
    *,
    actor_id: int | None = None,
    question_id: int | None = None,
    narrowing: rows.Narrowing | None = None,
) -> int:
    where, args = rows.position_filter(actor_id, question_id, alias="", narrowing=narrowing)
    sql = "SELECT count(*) FROM positions" + (" WHERE " + " AND ".join(where) if where else "")
    return conn.execute(sql, args).fetchone()[0]


def stances_as_of(
    conn: sqlite3.Connection, question_ids: Sequence[int], actor_ids: Sequence[int], when: date
) -> dict[tuple[int, int], Level]:
    """The stance of the latest position by ``when`` for each (question, actor) pair that
    has one: one statement for all the cells, an indexed look-up each, reading the level alone
    (a screen of 400 cells takes about 0.6 ms on a million positions; a query a cell, 6 ms)."""
    sql = (
        "SELECT c.question_id, c.actor_id, l.id, l.key, l.label, l.rank, l.description, l.colour FROM ("
        "  SELECT q.value AS question_id, a.value AS actor_id, ("
        "    SELECT p.level_id FROM positions p"
        "    WHERE p.question_id = q.value AND p.actor_id = a.value AND p.date_start <= ?"
        "    ORDER BY p.date_start DESC, p.date_end DESC, p.id DESC LIMIT 1"
        "  ) AS level_id FROM json_each(?) q, json_each(?) a"
        ") c JOIN levels l ON l.id = c.level_id"
    )
    args = (when.isoformat(), json.dumps(list(question_ids)), json.dumps(list(actor_ids)))
    return {(r[0], r[1]): rows.level_tuple(r[2:]) for r in conn.execute(sql, args)}
