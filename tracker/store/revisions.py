"""The revision log's one rule-bender: an import creates its rows unlogged.

Every change to an actor, question, source or position is logged by the schema's
triggers, whoever makes it (see migration 5). An import may create a million
positions at once; a revision for each would double the file and the time. So an
import sets the ``*_log_insert`` triggers aside inside its own transaction and puts
them back, word for word, before it commits: no other connection ever sees them
missing, and a failure rolls both back with the rest. Its edits and deletions are
logged as any other. The rows it creates carry their ``created_at``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


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
