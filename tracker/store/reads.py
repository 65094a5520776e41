"""Bulk reads for reports: every position of a question, an actor or the whole file, fast.

A report shows neither a position's uid, notes nor tags, and knows the question it is
about: it reads :class:`~tracker.domain.models.Statement` records, made from plain tuples
of the positions table by :func:`tracker.store.rows.statements`. The actors, levels and
sources they refer to are read once each and shared between the records, and so is each
date. Statements come in timeline order (date start, date end, actor slug, id): the order
of a report, and of :func:`tracker.domain.changes.with_previous`. The queries of one read
run in one read transaction, so they see one state of the file.

:func:`brief_statements` reads the same records without their texts (quote, paraphrase,
context) and sources, for the answers that need only who said what when: a question's
stances, its movers and its chart, the movers of a tag's questions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TypeVar

from tracker.domain.dates import FuzzyDate, from_edtf
from tracker.domain.models import Level, Source, Statement
from tracker.errors import OutOfShape
from tracker.store import rows

__all__ = ["StatementsByQuestion", "brief_statements", "statements", "statements_by_question"]

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


class _Rows:
    """Rows of STATEMENT_COLUMNS and what they refer to, read in one transaction."""

    def __init__(self, conn: sqlite3.Connection, sql: str, args: list, *, every: bool):
        # ``every``: the rows are (nearly) all of the table, so the rows they refer to are
        # read by scanning their tables rather than by id.
        cur = conn.cursor()
        cur.row_factory = None  # plain tuples
        self.actors: dict[int, tuple[str, str, int]] = {}  # id -> (slug, name, rank of the slug)
        self.levels: dict[int, Level] = {}
        self.sources: dict[int, Source] = {}
        self.dates = _Dates()
        with _snapshot(conn):
            try:
                self.found: list[tuple] = cur.execute(sql, args).fetchall()
            except sqlite3.OperationalError as e:
                if not str(e).startswith("Could not decode"):
                    raise
                raise OutOfShape(
                    "positions: a text holds bytes that are not UTF-8 text; the file was changed by another program:"
                    " run `tracker check` for what to do"
                ) from None
            if not self.found:
                return
            found = self.found
            actors = _by_id(cur, rows.LEAN_ACTOR_COLUMNS, "actors", None if every else {r[1] for r in found}, _pair)
            self.levels = _by_id(cur, rows.LEAN_LEVEL_COLUMNS, "levels", None, rows.level_tuple)  # a few dozen
            source_ids = None if every else {r[9] for r in found} - {None}
            self.sources = _by_id(cur, rows.LEAN_SOURCE_COLUMNS, "sources", source_ids, rows.source_tuple)
        # The rank of each actor's slug (its own): the order of rows.statements is made of it.
        slug_rank = {slug: i for i, slug in enumerate(sorted(slug for slug, _ in actors.values()))}
        self.actors = {i: (slug, name, slug_rank[slug]) for i, (slug, name) in actors.items()}

    def statements(self, found: list[tuple]) -> list[Statement]:
        return rows.statements(found, self.actors, self.levels, self.sources, self.dates)


class _Dates(dict[str, tuple[FuzzyDate, int]]):
    """Each date text read, as its date and an integer in the order of the date's start, then
    its end (two texts may cover the same interval: "2024", "2024~"), made once."""

    def __missing__(self, text: str) -> tuple[FuzzyDate, int]:
        date = from_edtf(text)
        start = date.start.toordinal()
        value = self[text] = (date, (start << 9) + date.end.toordinal() - start)  # an interval is at most 366 days
        return value


def _pair(row: tuple) -> tuple[str, str]:
    return (row[1], row[2])  # (slug, name)


def statements(conn: sqlite3.Connection, *, actor_id: int | None = None, question_id: int | None = None) -> list[Statement]:
    """The positions of one actor and/or one question, or all, as statements in timeline
    order (date start, date end, actor slug, id)."""
    where, args = rows.position_filter(actor_id, question_id)
    sql = f"SELECT {rows.STATEMENT_COLUMNS} FROM positions p" + (" WHERE " + " AND ".join(where) if where else "")
    read = _Rows(conn, sql, args, every=not where)
    return read.statements(read.found)


# STATEMENT_COLUMNS less the texts and the source: the columns that sit at the start of a
# row, so that no overflow page of a long quote is read, and no source.
_BRIEF_COLUMNS = "p.id, p.actor_id, p.question_id, p.level_id, p.date, '', '', '', '', NULL, p.confidence"


def brief_statements(conn: sqlite3.Connection, question_ids: Sequence[int]) -> dict[int, list[Statement]]:
    """The positions of each of ``question_ids`` as statements in timeline order, less their
    texts and sources (``quote``, ``quote_lang``, ``paraphrase`` and ``context`` are empty,
    ``source`` is None): per question id, for the questions that have positions.

    The rows are found through an index on question_id; the columns read sit at the start
    of a row, so that an index holding them too would answer the read alone.
    """
    wanted = list(dict.fromkeys(question_ids))
    result: dict[int, list[Statement]] = {}
    for i in range(0, len(wanted), _BATCH):
        batch = wanted[i : i + _BATCH]
        sql = f"SELECT {_BRIEF_COLUMNS} FROM positions p WHERE p.question_id IN ({', '.join('?' * len(batch))})"
        read = _Rows(conn, sql, batch, every=False)
        by_question: dict[int, list[tuple]] = {}
        for row in read.found:
            group = by_question.get(row[2])
            if group is None:
                by_question[row[2]] = [row]
            else:
                group.append(row)
        result.update((q, read.statements(group)) for q, group in by_question.items())
    return result


class StatementsByQuestion(Mapping[int, list[Statement]]):
    """Every position of the file as statements, per question id: ``by_question[q]`` equals
    ``statements(conn, question_id=q)`` for each question ``q`` that has positions.

    The rows are read at once (in the table's own order, the cheapest read); each
    question's records are built when asked for, and not kept: a report that renders one
    question after the other holds the records of one question at a time, which keeps
    them in the processor's caches and the memory flat.
    """

    def __init__(self, conn: sqlite3.Connection):
        self._read = _Rows(conn, f"SELECT {rows.STATEMENT_COLUMNS} FROM positions p", [], every=True)
        self._rows: dict[int, list[tuple]] = {}
        for row in self._read.found:
            group = self._rows.get(row[2])
            if group is None:
                self._rows[row[2]] = [row]
            else:
                group.append(row)
        self.total = len(self._read.found)  # positions in all

    def __getitem__(self, question_id: int) -> list[Statement]:
        return self._read.statements(self._rows[question_id])

    def count(self, question_id: int) -> int:
        """How many positions the question has (0 for none), without building them."""
        return len(self._rows.get(question_id, ()))

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def statements_by_question(conn: sqlite3.Connection) -> StatementsByQuestion:
    """Every position as statements, per question id, each list in timeline order: see
    :class:`StatementsByQuestion`."""
    return StatementsByQuestion(conn)
