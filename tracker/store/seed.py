"""Writes the built-in scales into a new file."""

from __future__ import annotations

import sqlite3

from tracker.domain.scales import BUILTIN_SCALES
from tracker.store.upserts import RecordWriter, scale_record


def seed_builtin_scales(conn: sqlite3.Connection) -> None:
    writer = RecordWriter(conn)
    for scale in BUILTIN_SCALES.values():
        writer.scale(scale_record(scale), builtin=True)
