"""Writes the built-in scales into a new file."""

from __future__ import annotations

import sqlite3

from tracker.domain.models import Scale
from tracker.domain.scales import BUILTIN_SCALES


def insert_scale(conn: sqlite3.Connection, scale: Scale, *, builtin: bool) -> int:
    cur = conn.execute(
        "INSERT INTO scales(uid, key, name, description, builtin) VALUES (?, ?, ?, ?, ?)",
        (scale.uid, scale.key, scale.name, scale.description, int(builtin)),
    )
    scale_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO levels(scale_id, rank, key, label, description, colour) VALUES (?, ?, ?, ?, ?, ?)",
        [(scale_id, lv.rank, lv.key, lv.label, lv.description, lv.colour) for lv in scale.levels],
    )
    return scale_id


def seed_builtin_scales(conn: sqlite3.Connection) -> None:
    for scale in BUILTIN_SCALES.values():
        insert_scale(conn, scale, builtin=True)
