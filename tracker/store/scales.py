"""The scales' levels as stored: read, and renumbered when a level is added or removed.

A scale's levels are ranked 0, 1, 2... with no gap (``UNIQUE(scale_id, rank)``,
``CHECK(rank >= 0)``); ``Store.add_level`` and ``Store.remove_level`` check what they are
given and call these inside their write transaction.
"""

from __future__ import annotations

import sqlite3

from tracker.domain.models import Level, Scale
from tracker.domain.text import quoted
from tracker.errors import TrackerError
from tracker.store import rows

# Level ranks are moved up past this while a scale is renumbered.
_RANK_PARK = 1_000_000


def read_all(conn: sqlite3.Connection) -> list[Scale]:
    """Every scale with its levels, by key."""
    levels: dict[int, list[Level]] = {}
    for r in conn.execute("SELECT * FROM levels ORDER BY scale_id, rank"):
        levels.setdefault(r["scale_id"], []).append(rows.level(r))
    return [
        Scale(r["key"], r["name"], tuple(levels.get(r["id"], ())), r["description"], r["uid"])
        for r in conn.execute("SELECT * FROM scales ORDER BY key")
    ]


def insert_level(
    conn: sqlite3.Connection, scale_id: int, rank: int, key: str, label: str, description: str, colour: str
) -> None:
    """A new level at ``rank``; the levels from there up move up one."""
    # Two steps through ranks above any real one, so UNIQUE(scale_id, rank) and
    # CHECK(rank >= 0) hold after each row.
    conn.execute("UPDATE levels SET rank = rank + ? WHERE scale_id = ? AND rank >= ?", (_RANK_PARK + 1, scale_id, rank))
    conn.execute("UPDATE levels SET rank = rank - ? WHERE scale_id = ? AND rank > ?", (_RANK_PARK, scale_id, _RANK_PARK))
    conn.execute(
        "INSERT INTO levels(scale_id, rank, key, label, description, colour) VALUES (?, ?, ?, ?, ?, ?)",
        (scale_id, rank, key, label, description, colour),
    )


def delete_level(conn: sqlite3.Connection, scale_id: int, level_key: str) -> None:
    """Delete the level ``level_key`` (it exists) unless a position uses it; the levels above
    move down one. Inside the write transaction, so no position can start using it meanwhile."""
    row = conn.execute("SELECT id, rank FROM levels WHERE scale_id = ? AND key = ?", (scale_id, level_key)).fetchone()
    (used,) = conn.execute("SELECT count(*) FROM positions WHERE level_id = ?", (row["id"],)).fetchone()
    if used:
        raise TrackerError(
            f"level {quoted(level_key)} is used by {used} position{'s' if used != 1 else ''}; it cannot be removed"
        )
    conn.execute("DELETE FROM levels WHERE id = ?", (row["id"],))
    conn.execute("UPDATE levels SET rank = rank + ? WHERE scale_id = ? AND rank > ?", (_RANK_PARK - 1, scale_id, row["rank"]))
    conn.execute("UPDATE levels SET rank = rank - ? WHERE scale_id = ? AND rank >= ?", (_RANK_PARK, scale_id, _RANK_PARK))
