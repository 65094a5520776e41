"""Undo: reverse the changes of one run of the interface, newest first, never another program's.

Every revision a run writes carries the run's id (``revisions.session``). Undo takes the
newest change to a position of this run that is neither an undo itself nor undone yet,
and reverses it, if the row still is what that change left. If something else changed
it since (another program, or a command), reversing would throw that change away: the
change is passed over, with a sentence that says why, and the next undo goes on to the
one before it. A reversal is a new revision that names the one it reverses (``reverts``);
nothing in the log is edited.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.store.store import Store


@dataclass
class Run:
    """One run of the interface, shared by the connections of its threads."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Changes undo has passed over (changed since by something else), by revision id.
    passed: set[int] = field(default_factory=set)


class CannotUndo(TrackerError):
    """A change of this run that can no longer be reversed; the next undo goes past it."""


_NEXT = (
    "SELECT * FROM revisions r WHERE r.session = ? AND r.table_name = 'positions' AND r.reverts IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM revisions u WHERE u.reverts = r.id) ORDER BY r.id DESC"
)

_WHAT = {"insert": "addition", "update": "edit", "delete": "deletion"}


def undo(store: Store) -> str:
    """Reverse the newest change of this run still to undo; a sentence says what was done.

    Raises TrackerError when nothing is left, and CannotUndo (passing the change over)
    when the row has changed since."""
    from tracker.domain.history import local_time

    run = store.run
    if run is None:
        raise TrackerError("undo reverses the changes made in the interface, and this is not the interface")
    with store.transaction():
        conn = store.conn
        target = next((r for r in conn.execute(_NEXT, (run.id,)) if r["id"] not in run.passed), None)
        if target is None:
            raise TrackerError("nothing to undo: every change made since the interface started is undone")
        action = target["action"]
        before = json.loads(target["before"]) if target["before"] else None
        after = json.loads(target["after"]) if target["after"] else None
        recorded = after or before
        current = conn.execute("SELECT * FROM positions WHERE uid = ?", (recorded["uid"],)).fetchone()
        current = None if current is None else dict(current)
        label = _label(conn, recorded)
        made = local_time(target["at"])
        if current != after:
            run.passed.add(target["id"])
            since = "deleted since" if current is None else "changed since"
            raise CannotUndo(
                f"cannot undo the {_WHAT[action]} of {label} (made {made}): it was {since} by another program"
                " or command, and undoing would lose that change; press u again for the change before it"
            )
        if action == "insert":
            conn.execute("DELETE FROM positions WHERE id = ?", (after["id"],))
        elif action == "update":
            columns = [c for c in before if c != "id"]
            conn.execute(
                f"UPDATE positions SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                (*(before[c] for c in columns), before["id"]),
            )
        else:
            columns = list(before)
            try:
                conn.execute(
                    f"INSERT INTO positions({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    tuple(before[c] for c in columns),
                )
            except sqlite3.IntegrityError as e:  # its actor, question or stance is gone
                run.passed.add(target["id"])
                raise CannotUndo(
                    f"cannot undo the deletion of {label} (made {made}): {e}; press u again for the change before it"
                ) from None
        # The reversal is the newest revision (the triggers log every change).
        (revision,) = conn.execute("SELECT max(id) FROM revisions").fetchone()
        conn.execute("UPDATE revisions SET reverts = ? WHERE id = ?", (target["id"], revision))
    return f"undid the {_WHAT[action]} of {label} (made {made})"


def _label(conn: sqlite3.Connection, row: dict) -> str:
    """"Emmanuel Macron's position of 26 Feb 2024", from a position's stored values."""
    from tracker.domain.dates import from_edtf

    found = conn.execute("SELECT name FROM actors WHERE id = ?", (row.get("actor_id"),)).fetchone()
    who = f"{found[0]}'s position" if found else "a position"
    try:
        when = from_edtf(row["date"]).display  # the stored form, read as rows.py reads it
    except (KeyError, TypeError, ValueError):  # DateError is a ValueError
        when = str(row.get("date"))
    return f"{who} of {when}"
