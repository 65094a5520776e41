"""Bulk reads for reports: every position of a question, an actor or the whole file, fast.

A report shows neither a position's uid, notes nor tags, and knows the question it is
about: it reads :class:`~tracker.domain.models.Statement` records, made from plain tuples
of the positions table by :func:`tracker.store.rows.statements_from_rows`. The actors, levels and
sources they refer to are read once each and shared between the records, and so is each
date. Statements come in timeline order (date start, date end, actor slug, id): the order
of a report, and of :func:`tracker.domain.changes.with_previous`. The queries of one read
run in one read transaction, so they see one state of the file.

:func:`brief_statements` reads the same records without their texts (quote, paraphrase,
context) and sources, for the answers that need only who said what when: a question's
stances, its movers and its chart, the movers of a tag's questions; :func:`question_brief`
those of one question in one row, for a thread that shares the interpreter with a busy one.
:func:`statement_counts` counts each question's positions without reading them, and
:func:`second_connection` opens the file again for a forked process (a report written on
two cores: each process reads the questions it writes).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import TypeVar

from tracker.domain.dates import FuzzyDate, from_edtf
from tracker.domain.models import Level, Source, Statement
from tracker.errors import OutOfShape
from tracker.store import rows
from tracker.store.database import configure

__all__ = [
    "StatementsByQuestion",
    "brief_statements",
    "question_brief",
    "second_connection",
    "statement_counts",
    "statements",
    "statements_by_question",
]

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
            self.found: list[tuple] = _fetch(cur, sql, args)
            if not self.found:
                return
            found = self.found
            actors = _by_id(cur, rows.LEAN_ACTOR_COLUMNS, "actors", None if every else {r[1] for r in found}, _pair)
            self.levels = _by_id(cur, rows.LEAN_LEVEL_COLUMNS, "levels", None, rows.level_tuple)  # a few dozen
            source_ids = None if every else {r[9] for r in found} - {None}
            self.sources = _by_id(cur, rows.LEAN_SOURCE_COLUMNS, "sources", source_ids, rows.source_tuple)
        self.actors = _ranked(actors)

    def statements_from(self, found: list[tuple]) -> list[Statement]:
        """Statements from ``found`` (rows of this read), in timeline order."""
        return rows.statements_from_rows(found, self.actors, self.levels, self.sources, self.dates)


def _fetch(cur: sqlite3.Cursor, sql: str, args: Sequence) -> list[tuple]:
    """The rows of a read of the positions; a text that is not UTF-8 is an OutOfShape."""
    try:
        return cur.execute(sql, args).fetchall()
    except sqlite3.OperationalError as e:
        if not str(e).startswith("Could not decode"):
            raise
        raise OutOfShape(
            "positions: a text holds bytes that are not UTF-8 text; the file was changed by another program:"
            " run `tracker check` for what to do"
        ) from None


def _ranked(actors: Mapping[int, tuple[str, str]]) -> dict[int, tuple[str, str, int]]:
    """Per actor id, its (slug, name) and the rank of its slug among them: the order of
    rows.statements_from_rows is made of it."""
    slug_rank = {slug: i for i, slug in enumerate(sorted(slug for slug, _ in actors.values()))}
    return {i: (slug, name, slug_rank[slug]) for i, (slug, name) in actors.items()}


class _Dates(dict[str, tuple[FuzzyDate, int]]):
    """Each date text read, as its date and an integer in the order of the date's start, then
    its end (two texts may cover the same interval: "2024", "2024~"), made once."""

    def __missing__(self, text: str) -> tuple[FuzzyDate, int]:
        date = from_edtf(text)
        start = date.start.toordinal()
        value = self[text] = (date, (start << 9) + date.end.toordinal() - start)  # an interval is at most 366 days
        return value


# The date texts of a question's brief reads, kept between reads: every question of a file
# spans the same years, so a question opened after another finds most of its dates parsed
# (ten thousand positions hold some four thousand texts: 6 ms to parse). Bounded: a file
# with more distinct texts starts again from empty.
_KEPT_DATES = _Dates()
_KEPT_DATES_AT_MOST = 50_000


def _kept_dates() -> _Dates:
    if len(_KEPT_DATES) > _KEPT_DATES_AT_MOST:
        _KEPT_DATES.clear()
    return _KEPT_DATES


def _pair(row: tuple) -> tuple[str, str]:
    return (row[1], row[2])  # (slug, name)


def statements(conn: sqlite3.Connection, *, actor_id: int | None = None, question_id: int | None = None) -> list[Statement]:
    """The positions of one actor and/or one question, or all, as statements in timeline
    order (date start, date end, actor slug, id)."""
    where, args = rows.position_filter(actor_id, question_id)
    sql = f"SELECT {rows.STATEMENT_COLUMNS} FROM positions p" + (" WHERE " + " AND ".join(where) if where else "")
    read = _Rows(conn, sql, args, every=not where)
    return read.statements_from(read.found)


# STATEMENT_COLUMNS less the texts and the source: the columns that sit at the start of a
# row, so that no overflow page of a long quote is read, and no source.
_BRIEF_COLUMNS = "p.id, p.actor_id, p.question_id, p.level_id, p.date, '', '', '', '', NULL, p.confidence"


def brief_statements(conn: sqlite3.Connection, question_ids: Sequence[int]) -> dict[int, list[Statement]]:
    """The positions of each of ``question_ids`` as statements in timeline order, less their
    texts and sources (``quote``, ``quote_lang``, ``paraphrase`` and ``context`` are empty,
    ``source`` is None): per question id, for the questions that have positions.

    Read from the index on (question_id, actor_id, ...) alone, which holds every column
    read (schema 7): a question's rows lie together there, where in the table they are
    scattered over the file.
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
        result.update((q, read.statements_from(group)) for q, group in by_question.items())
    return result


class StatementsByQuestion(Mapping[int, list[Statement]]):
    """Every position of the file (or of the questions ``question_ids``) as statements, per
    question id: ``by_question[q]`` equals ``statements(conn, question_id=q)`` for each
    question ``q`` that has positions.

    The rows are read at once, in one scan of the table (the cheapest read, for all of
    them or for a large share: half of a report's, on two cores; the ``+`` keeps SQLite
    from reading the rows of some questions in the order of an index on question_id,
    scattered over the file, which costs more than skipping the others); each
    question's records are built when asked for, and not kept: a report that renders one
    question after the other holds the records of one question at a time, which keeps
    them in the processor's caches and the memory flat.
    """

    def __init__(self, conn: sqlite3.Connection, question_ids: Sequence[int] | None = None):
        sql, args = f"SELECT {rows.STATEMENT_COLUMNS} FROM positions p", []
        if question_ids is not None:  # one JSON list: any number of ids, one bound value
            sql += " WHERE +p.question_id IN (SELECT value FROM json_each(?))"
            args = [json.dumps(list(question_ids))]
        # The actors and sources are read whole either way: half of a report's rows (a
        # second core's) refer to nearly all of them.
        self._read = _Rows(conn, sql, args, every=True)
        self._rows: dict[int, list[tuple]] = {}
        for row in self._read.found:
            group = self._rows.get(row[2])
            if group is None:
                self._rows[row[2]] = [row]
            else:
                group.append(row)
        self.total = len(self._read.found)  # positions in all

    def __getitem__(self, question_id: int) -> list[Statement]:
        return self._read.statements_from(self._rows[question_id])

    def count(self, question_id: int) -> int:
        """How many positions the question has (0 for none), without building them."""
        return len(self._rows.get(question_id, ()))

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def statements_by_question(conn: sqlite3.Connection, question_ids: Sequence[int] | None = None) -> StatementsByQuestion:
    """Every position (or those of ``question_ids``) as statements, per question id, each
    list in timeline order: see :class:`StatementsByQuestion`."""
    return StatementsByQuestion(conn, question_ids)


def statement_counts(conn: sqlite3.Connection) -> dict[int, int]:
    """How many positions each question has (the questions with none left out), from the
    index on question_id alone: what a report splits its work by, before reading a row."""
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples
    return dict(cur.execute("SELECT question_id, count(*) FROM positions GROUP BY question_id").fetchall())


def second_connection(path: str | PathLike) -> sqlite3.Connection:
    """A new read-only connection to the file at ``path`` (one the program has opened
    already), set up as the program's are: for a forked process, which must never use a
    connection its parent opened."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    configure(conn)
    return conn


# One question's brief rows, their actors and the levels, each as one JSON array: one row in all.
_QUESTION_AT_ONCE = f"""SELECT
    (SELECT json_group_array(json_array({_BRIEF_COLUMNS})) FROM positions p WHERE p.question_id = ?1),
    (SELECT json_group_array(json_array({rows.LEAN_ACTOR_COLUMNS})) FROM actors
     WHERE id IN (SELECT actor_id FROM positions WHERE question_id = ?1)),
    (SELECT json_group_array(json_array({rows.LEAN_LEVEL_COLUMNS})) FROM levels)"""


def question_brief(conn: sqlite3.Connection, question_id: int) -> list[Statement]:
    """``brief_statements(conn, [question_id])`` for one question (empty without positions),
    read as one row: its positions, their actors and the levels as JSON arrays.

    For a worker thread of the interface: SQLite's module lets go of Python's lock at each
    row it reads, and waits for it again; while the interface's thread is busy (a view laid
    out) each wait lasts up to the interpreter's switch interval (5 ms), and the two thousand
    rows of a question took ten times as long as alone. The positions are found through an
    index on question_id, the actors through (question_id, actor_id) and their ids.
    """
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples
    try:
        ((found, actors, levels),) = _fetch(cur, _QUESTION_AT_ONCE, (question_id,))  # one statement: one snapshot
    except sqlite3.OperationalError:  # a value JSON cannot hold (a blob): row by row, which says what is wrong
        return brief_statements(conn, [question_id]).get(question_id, [])
    found = json.loads(found)
    if not found:
        return []
    pairs = {id_: (slug, name) for id_, slug, name in json.loads(actors)}
    levels = {row[0]: rows.level_tuple(row) for row in json.loads(levels)}
    return rows.statements_from_rows(found, _ranked(pairs), levels, {}, _kept_dates())
