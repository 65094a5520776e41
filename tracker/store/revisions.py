"""The revision log: what made a change, a row's revisions, and the one rule-bender.

Every change to an actor, question, source or position is logged in the append-only
``revisions`` table by the schema's triggers, whoever makes it (see migration 5);
``Store.transaction`` marks the revisions it logs with their origin (:data:`ORIGINS`)
and the run of the interface. :func:`of_row` reads a row's revisions back and
:func:`labels` names the ids they hold, for the history of a position.

An import creates its rows unlogged (:func:`creations_unlogged`). An import may create
a million positions at once; a revision for each would double the file and the time. So
an import sets the ``*_log_insert`` triggers aside inside its own transaction and puts
them back, word for word, before it commits: no other connection ever sees them
missing, and a failure rolls both back with the rest. Its edits and deletions are
logged as any other. The rows it creates carry their ``created_at``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.history import HistoryLabels

# What made a revision, recorded in ``revisions.origin`` (NULL for rows from before schema 2
# or written by another program: shown as "unknown").
ORIGINS = ("interface", "command line", "import", "sync")


def of_row(conn: sqlite3.Connection, table: str, uid: str) -> list[dict]:
    """The revisions of one row, oldest first: id, at, action, before, after (JSON
    text), reverts (the id of the revision an undo reversed), origin (None: unknown)
    and session (the run of the interface that made it, None for the others)."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT id, at, action, before, after, reverts, origin, session FROM revisions"
            " WHERE table_name = ? AND row_uid = ? ORDER BY id",
            (table, uid),
        )
    ]


def labels(conn: sqlite3.Connection, revisions: Sequence[dict]) -> HistoryLabels:
    """What the ids in ``revisions``' before and after values stand for, in words:
    level labels, source outlets (else titles, else addresses), actor names and
    question titles. An id whose row is gone is left out (shown as its number)."""
    from tracker.domain.history import HistoryLabels  # only the position detail needs it

    wanted: dict[str, set[int]] = {"level_id": set(), "source_id": set(), "actor_id": set(), "question_id": set()}
    for r in revisions:
        for side in ("before", "after"):
            try:
                values = json.loads(r[side]) if r.get(side) else {}
            except (TypeError, ValueError):
                continue
            if not isinstance(values, dict):
                continue
            for key, ids in wanted.items():
                value = values.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    ids.add(value)

    def look_up(sql: str, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        return {row[0]: row[1] for row in conn.execute(sql, (json.dumps(sorted(ids)),))}

    return HistoryLabels(
        levels=look_up("SELECT id, label FROM levels WHERE id IN (SELECT value FROM json_each(?))", wanted["level_id"]),
        sources=look_up(
            "SELECT id, coalesce(nullif(outlet, ''), nullif(title, ''), url, '') FROM sources"
            " WHERE id IN (SELECT value FROM json_each(?))",
            wanted["source_id"],
        ),
        actors=look_up("SELECT id, name FROM actors WHERE id IN (SELECT value FROM json_each(?))", wanted["actor_id"]),
        questions=look_up(
            "SELECT id, title FROM questions WHERE id IN (SELECT value FROM json_each(?))", wanted["question_id"]
        ),
    )


@contextmanager
def creations_unlogged(conn: sqlite3.Connection) -> Iterator[None]:
    """Within the transaction ``conn`` is in: rows created meanwhile get no revision.
    The triggers come back when the block ends normally; a block that raises leaves
    them to the rollback its transaction owes (``Store.transaction`` rolls back on
    any exception)."""
    if not conn.in_transaction:
        raise RuntimeError("creations_unlogged needs an open transaction: the triggers must never be seen missing")
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_log_insert' ORDER BY name"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        conn.execute(sql)
