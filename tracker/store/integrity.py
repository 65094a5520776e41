"""What ``tracker check`` finds, in words a person can act on.

Each problem names the table and, where SQLite can tell, the row; says what is
wrong; and carries in ``advice`` what to do about it. SQLite's own report
(``PRAGMA integrity_check``) is terse and technical: :mod:`tracker.store.sqlite_check`
translates and groups its common messages, and quotes the original for whoever wants it.
This module runs the checks, in order, and makes the program's own: foreign keys, search
indexes, stances from the right scale (and, through ``schema`` and ``shape``, the schema
and the values the program relies on).
"""

from __future__ import annotations

import shlex
import sqlite3
from collections.abc import Iterable
from pathlib import Path

# Rows named one by one in a problem; beyond, "and N more".
SHOWN = 5

# Which text-search index keeps which table, and how to rebuild it.
EXTERNAL_INDEXES = {"positions_fts": "positions", "questions_fts": "questions"}
ACTORS_INDEX_REBUILD = (
    "DELETE FROM actors_fts; INSERT INTO actors_fts(rowid, name, aliases) SELECT id, name,"
    " coalesce((SELECT group_concat(alias, char(10)) FROM actor_aliases WHERE actor_id = actors.id), '')"
    " FROM actors;"
)


class Problem(str):
    """A problem in words (the string itself), with what to do about it in ``advice``."""

    advice: str

    def __new__(cls, text: str, advice: str = "") -> Problem:
        problem = super().__new__(cls, text)
        problem.advice = advice
        return problem


class Findings(list):
    """The problems found (empty: the file is sound), and ``notes`` on what could not be checked."""

    def __init__(self, problems: Iterable[Problem] = ()):
        super().__init__(problems)
        self.notes: list[str] = []


def find_problems(conn: sqlite3.Connection, path: Path | None) -> Findings:
    found = Findings()
    advice = Advice(path)
    from tracker.store.sqlite_check import sqlite_problems  # it words its problems with this module's Problem

    problems, damaged = sqlite_problems(conn, advice)
    found.extend(problems)
    if damaged:
        # What else is wrong follows from the damage, and restoring the file mends it too.
        found.notes.append("foreign keys and search indexes were not checked: the file is damaged")
        return found
    from tracker.store import schema  # triggers not ours, objects of ours missing, the user's own additions

    if not schema.find(conn, path, found):
        return found
    for step in (_foreign_keys, _search_indexes, _stances):
        try:
            step(conn, advice, found)
        except sqlite3.DatabaseError as e:
            found.append(Problem(f"the file is damaged: SQLite stops reading it ({e})", advice.damaged))
            break
    else:  # values the program relies on that another program spoiled (a late import: shape uses Problem)
        from tracker.store import shape

        found.extend(shape.find(conn, path))
    return found


class Advice:
    """What to do, worded for the file at ``path``."""

    def __init__(self, path: Path | None):
        self.file = shlex.quote(str(path)) if path else "FILE"

    @property
    def damaged(self) -> str:
        return (
            "the file is damaged: stop writing to it, and restore it from a backup (`tracker backup` makes one);"
            f" to save what can still be read, run: sqlite3 {self.file} .recover | sqlite3 recovered.db"
        )

    def edit_rows(self, table: str) -> str:
        return (
            f"rows of {table} were changed by another program: restore the file from a backup,"
            f" or correct the rows named above with: sqlite3 {self.file}"
        )

    def foreign_keys(self, parent: str) -> str:
        return (
            f"rows of {parent} were deleted by another program with foreign keys off: restore the file from a backup,"
            f" or put the missing {parent} back (or delete the rows that refer to them) with: sqlite3 {self.file}"
        )

    def reindex(self, index: str) -> str:
        return f"an index is a copy of its table's rows, which are intact; rebuild it with: sqlite3 {self.file} \"REINDEX {index}\""

    def rebuild_search(self, index: str) -> str:
        sql = ACTORS_INDEX_REBUILD if index == "actors_fts" else f"INSERT INTO {index}({index}) VALUES('rebuild');"
        return f"only search is affected, the data is intact; rebuild the index {index} with: sqlite3 {self.file} \"{sql}\""

    @property
    def lost_pages(self) -> str:
        return (
            "pages that belong to nothing only waste space, but they are a sign of damage: make a backup"
            f" (`tracker backup`), then rebuild the file with: sqlite3 {self.file} VACUUM"
        )


def rows_text(rows: list[int]) -> str:
    """"rows 3, 5, 8, 13, 21 and 2 more": the rows of a problem, the first :data:`SHOWN` named."""
    if not rows:
        return "a row"
    shown = ", ".join(str(r) for r in rows[:SHOWN])
    more = f" and {len(rows) - SHOWN}{'+' if len(rows) == 1000 else ''} more" if len(rows) > SHOWN else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


# ---------------------------------------------------------------------- our own checks


def _foreign_keys(conn: sqlite3.Connection, advice: Advice, found: Findings) -> None:
    groups: dict[tuple[str, str], list[int]] = {}
    for r in conn.execute("PRAGMA foreign_key_check"):
        groups.setdefault((r[0], r[2]), []).append(r[1])
    for (table, parent), rows in groups.items():
        if len(rows) <= SHOWN:
            for rowid in rows:
                found.append(Problem(f"{table} row {rowid} refers to a missing row in {parent}", advice.foreign_keys(parent)))
        else:
            found.append(Problem(f"{table} {rows_text(rows)} refer to missing rows in {parent}", advice.foreign_keys(parent)))


def _search_indexes(conn: sqlite3.Connection, advice: Advice, found: Findings) -> None:
    for index, table in EXTERNAL_INDEXES.items():
        try:
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as e:
            code = getattr(e, "sqlite_errorcode", 0) & 0xFF
            if code == sqlite3.SQLITE_READONLY:  # FTS5 checks through a write statement
                found.notes.append(f"the search index {index} was not checked: the file is open read-only")
                continue
            if code != sqlite3.SQLITE_CORRUPT:  # busy, locked...: no verdict
                found.notes.append(f"the search index {index} was not checked: {e}")
                continue
            found.append(Problem(
                f"the search index {index} is out of step with its table: searching may miss {table} or find wrong ones",
                advice.rebuild_search(index),
            ))  # fmt: skip
    (missing,) = conn.execute(
        "SELECT count(*) FROM actors a LEFT JOIN actors_fts f ON f.rowid = a.id WHERE f.rowid IS NULL OR f.name IS NOT a.name"
    ).fetchone()
    (extra,) = conn.execute("SELECT count(*) FROM actors_fts f WHERE NOT EXISTS (SELECT 1 FROM actors a WHERE a.id = f.rowid)").fetchone()
    if missing:
        found.append(Problem(
            f"the actor search index misses {missing} actor{'s' if missing != 1 else ''} (or has an old name for them)",
            advice.rebuild_search("actors_fts"),
        ))  # fmt: skip
    if extra:
        found.append(Problem(
            f"the actor search index holds {extra} actor{'s' if extra != 1 else ''} that no longer exist{'s' if extra == 1 else ''}",
            advice.rebuild_search("actors_fts"),
        ))  # fmt: skip


def _stances(conn: sqlite3.Connection, advice: Advice, found: Findings) -> None:
    for r in conn.execute(
        "SELECT p.id FROM positions p JOIN levels l ON l.id = p.level_id"
        " JOIN questions q ON q.id = p.question_id WHERE l.scale_id <> q.scale_id LIMIT 20"
    ):
        found.append(Problem(
            f"position {r[0]} has a stance from another scale than its question's",
            "edit each of these positions and choose a stance on its question's scale (`e` in the interface)",
        ))  # fmt: skip
