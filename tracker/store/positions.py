"""Positions for the screens and commands: read in date order, a page at a time, as of
a date, the one before a position, how many, and the stances of a grid of cells; and
written, one at a time, from values ``Store.position_values`` has checked.

``Store.positions``, ``Store.previous_position``, ``Store.count_positions``,
``Store.stances_as_of``, ``Store.add_position`` and ``Store.update_position`` are their
doors. (Reports read every position of a question at once through
:mod:`tracker.store.reads`; imports write many through :mod:`tracker.store.bulk`.)
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
        # A page: the ids come from a covering index alone, so skipping even a million
        # rows costs milliseconds; only the page's rows are joined.
        where, args = rows.position_filter(actor_id, question_id, alias="", narrowing=narrowing)
        ids = (
            "SELECT id FROM positions"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY date_start, date_end, id LIMIT ? OFFSET ?"
        )
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
