"""Bulk reads for reports: every position of a question, an actor or the whole file, fast.

``Store.positions`` builds each record from an ``sqlite3.Row`` of ``POSITION_SELECT``,
whose joins repeat the actor's, question's, level's and source's columns on every row.
Here the positions come as plain tuples; the actors, questions, levels and sources they
refer to are read once each and shared between the records that use them (see
:func:`tracker.store.rows.lean_positions`). The records are equal, one for one and in the
same order, to what ``Store.positions`` returns for the same filter. The queries of one
read run in one read transaction, so they see one state of the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

from tracker.domain.changes import POSITION_ORDER
from tracker.domain.dates import FuzzyDate
from tracker.domain.models import Level, Position, Source
from tracker.store import rows

__all__ = ["PositionsByQuestion", "positions", "positions_by_question"]

T = TypeVar("T")

# Ids per "IN (...)": under SQLite's smallest limit on bound variables (999).
_BATCH = 900


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around several queries (inside the caller's, if one is open)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")  # nothing was written: this only ends the read


def _by_id(cur: sqlite3.Cursor, columns: str, table: str, ids: set[int] | None, make: Callable[[tuple], T]) -> dict[int, T]:
    """``make(row)`` per id of ``ids`` (a row's first column is its id); every row of the
    table when ``ids`` is None (one scan, rather than look-ups by id)."""
    if ids is None:
        return {r[0]: make(r) for r in cur.execute(f"SELECT {columns} FROM {table}")}
    found: dict[int, T] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), _BATCH):
        batch = ordered[i : i + _BATCH]
        sql = f"SELECT {columns} FROM {table} WHERE id IN ({', '.join('?' * len(batch))})"
        found.update((r[0], make(r)) for r in cur.execute(sql, batch))
    return found


def _pair(row: tuple) -> tuple[str, str]:
    return (row[1], row[2])  # (slug, name) or (slug, title)


class _Rows:
    """Rows of LEAN_POSITION_COLUMNS and what they refer to, read in one transaction."""

    def __init__(self, conn: sqlite3.Connection, sql: str, args: list, *, every: bool):
        # ``every``: the rows are (nearly) all of the table, so the rows they refer to are
        # read by scanning their tables rather than by id.
        cur = conn.cursor()
        cur.row_factory = None  # plain tuples
        self.actors: dict[int, tuple[str, str]] = {}
        self.questions: dict[int, tuple[str, str]] = {}
        self.levels: dict[int, Level] = {}
        self.sources: dict[int, Source] = {}
        self.dates: dict[str, FuzzyDate] = {}  # date text -> date, shared by the records
        with _snapshot(conn):
            self.found: list[tuple] = cur.execute(sql, args).fetchall()
            if not self.found:
                return
            found = self.found
            self.actors = _by_id(cur, rows.LEAN_ACTOR_COLUMNS, "actors", None if every else {r[2] for r in found}, _pair)
            self.questions = _by_id(
                cur, rows.LEAN_QUESTION_COLUMNS, "questions", None if every else {r[3] for r in found}, _pair
            )
            self.levels = _by_id(cur, rows.LEAN_LEVEL_COLUMNS, "levels", None, rows.level_tuple)  # a few dozen
            source_ids = None if every else {r[10] for r in found} - {None}
            self.sources = _by_id(cur, rows.LEAN_SOURCE_COLUMNS, "sources", source_ids, rows.source_tuple)

    def positions(self, found: list[tuple]) -> list[Position]:
        return rows.lean_positions(found, self.actors, self.questions, self.levels, self.sources, self.dates)


def positions(conn: sqlite3.Connection, *, actor_id: int | None = None, question_id: int | None = None) -> list[Position]:
    """Positions in date order (date start, date end, id), of one actor and/or one question
    or all: equal to ``Store.positions(actor_id=..., question_id=...)`` on the same file."""
    where, args = rows.position_filter(actor_id, question_id)
    # Every row: sorting the whole table beats walking the date index, whose order sends
    # each row fetch to another page.
    sql = f"SELECT {rows.LEAN_POSITION_COLUMNS} FROM positions p" + (" WHERE " + " AND ".join(where) if where else " NOT INDEXED")
    sql += " ORDER BY p.date_start, p.date_end, p.id"
    read = _Rows(conn, sql, args, every=not where)
    return read.positions(read.found)


class PositionsByQuestion(Mapping[int, list[Position]]):
    """Every position of the file, per question id: ``by_question[q]`` equals
    ``Store.positions(question_id=q)`` for each question ``q`` that has positions.

    The rows are read at once (in the table's own order, the cheapest read); each
    question's records are built when asked for, and not kept: a report that renders one
    question after the other holds the records of one question at a time, which keeps
    them in the processor's caches and the memory flat.
    """

    def __init__(self, conn: sqlite3.Connection):
        self._read = _Rows(conn, f"SELECT {rows.LEAN_POSITION_COLUMNS} FROM positions p", [], every=True)
        self._rows: dict[int, list[tuple]] = {}
        for row in self._read.found:
            group = self._rows.get(row[3])
            if group is None:
                self._rows[row[3]] = [row]
            else:
                group.append(row)
        self.total = len(self._read.found)  # positions in all

    def __getitem__(self, question_id: int) -> list[Position]:
        found = self._read.positions(self._rows[question_id])
        found.sort(key=POSITION_ORDER)  # the order of the stored date columns, then the id
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def positions_by_question(conn: sqlite3.Connection) -> PositionsByQuestion:
    """Every position, per question id, each list in date order: see :class:`PositionsByQuestion`."""
    return PositionsByQuestion(conn)
