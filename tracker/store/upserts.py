"""The one write path of actors, questions, sources and scales.

Whatever creates or changes one of these records goes through ``RecordWriter``: the
forms and the command line (through ``Store.add_*``), the importers (through
``BulkWriter``) and the built-in scales of a new file. A record is matched with a row
by its uid, else by what names it (an actor's or a question's slug, a source's URL, a
scale's key); a new record is created, a known one updated only where a value
differs, so the same record written twice changes nothing. Each call says which it
was (``Written``). A record may carry its own ``created_at`` and ``updated_at`` (a
synced dataset keeps the times its rows were changed at, see tracker/sync): they are
written instead of the writer's ``now``.

Rows are written with sqlite-utils, inside the caller's transaction (from version 4
its writes nest in it as savepoints). New actors, questions and sources are queued
with the id they will have and written together by ``flush``: sqlite-utils'
``insert_all`` costs a quarter of what one ``insert`` a row does, so an import of
20,000 sources costs about what hand-written SQL would. Changes to rows already in the
file are written at once. Revisions are logged by the schema's triggers, not here.
The positions, a million at a time, have their own hand-written road (``bulk.py``).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Literal

from tracker.domain.models import Level, Scale
from tracker.domain.text import quoted
from tracker.errors import TrackerError
from tracker.store.database import now_iso

Outcome = Literal["created", "updated", "unchanged"]

_BATCH = 500  # rows an INSERT statement of flush (SQLite allows 32,766 values a statement)
# What names a record besides its uid, by table.
_NAMED_BY = {"actors": "slug", "questions": "slug", "sources": "url"}


def level_record(level: Level) -> dict:
    return {"key": level.key, "label": level.label, "description": level.description, "colour": level.colour}


def scale_record(scale: Scale) -> dict:
    return {
        "uid": scale.uid, "key": scale.key, "name": scale.name, "description": scale.description,
        "levels": [level_record(lv) for lv in scale.levels],
    }  # fmt: skip


@dataclass(frozen=True)
class Written:
    id: int
    outcome: Outcome


class RecordWriter:
    """Creates or updates records in the transaction ``conn`` is in (the caller's).
    Call ``flush`` before reading the tables back with SQL of your own."""

    def __init__(self, conn: sqlite3.Connection, *, now: str | None = None):
        import sqlite_utils  # 70 ms to import: only once a record is written, never for the first paint

        self.conn = conn
        # No plugins (they could run code) and no change to the connection's settings.
        self.db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
        self.now = now or now_iso()
        self._new: dict[str, list[dict]] = {"actors": [], "questions": [], "sources": []}
        self._new_aliases: dict[int, list[str]] = {}  # actor id (queued) -> aliases
        self._queued: dict[tuple[str, str, object], dict] = {}  # (table, column, value) -> queued row
        self._next_id: dict[str, int] = {}

    # ------------------------------------------------------------------ scales

    def scale(self, rec: dict, *, builtin: bool = False) -> Written:
        """A scale (uid, key, name, description, levels: key, label, description,
        colour, lowest first), written at once with its levels. A known key keeps its
        levels: a record may change their labels, descriptions and colours, not which
        they are or their order."""
        key, levels = rec["key"], rec["levels"]
        row = self.conn.execute("SELECT * FROM scales WHERE key = ?", (key,)).fetchone()
        if row is None:
            table = self.db["scales"]
            table.insert(
                {"uid": rec["uid"], "key": key, "name": rec["name"], "description": rec["description"], "builtin": int(builtin)}
            )
            scale_id = table.last_rowid
            self.db["levels"].insert_all(
                {"scale_id": scale_id, "rank": rank, **{f: lv[f] for f in ("key", "label", "description", "colour")}}
                for rank, lv in enumerate(levels)
            )
            return Written(scale_id, "created")
        existing = self.conn.execute(
            "SELECT id, key, label, description, colour FROM levels WHERE scale_id = ? ORDER BY rank", (row["id"],)
        ).fetchall()
        if [r["key"] for r in existing] != [lv["key"] for lv in levels]:
            raise TrackerError(
                f"the scale {quoted(key)} already exists with the levels {', '.join(r['key'] for r in existing)}; "
                "a file cannot change the levels of a scale"
            )
        outcome: Outcome = "unchanged"
        if self._update("scales", row, {"name": rec["name"], "description": rec["description"]}, stamp=False):
            outcome = "updated"
        for old, lv in zip(existing, levels):
            if self._update("levels", old, {f: lv[f] for f in ("label", "description", "colour")}, stamp=False):
                outcome = "updated"
        return Written(row["id"], outcome)

    # ------------------------------------------------------------------ actors

    def actor(self, rec: dict) -> Written:
        """An actor (uid, uid_given, slug, name, kind, country, aliases; parent_id, when
        its parent is in the file already). A file's actors have their parents set by
        ``actor_parent`` once every actor they may name exists."""
        values = {f: rec[f] for f in ("slug", "name", "kind", "country")}
        row = self._find("actors", rec)
        if row is None:
            actor_id = self._queue("actors", {"uid": rec["uid"], **values, "parent_id": rec.get("parent_id")}, rec)
            self._new_aliases[actor_id] = list(rec["aliases"])
            return Written(actor_id, "created")
        changed = self._change("actors", row, values, rec)
        actor_id = row["id"]
        if actor_id in self._new_aliases:
            changed |= self._new_aliases[actor_id] != list(rec["aliases"])
            self._new_aliases[actor_id] = list(rec["aliases"])
        else:
            current = [r[0] for r in self.conn.execute("SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY id", (actor_id,))]
            if current != list(rec["aliases"]):
                self.conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (actor_id,))
                self.db["actor_aliases"].insert_all({"actor_id": actor_id, "alias": a} for a in rec["aliases"])
                changed = True
        return Written(actor_id, "updated" if changed else "unchanged")

    def actor_parent(self, actor_id: int, parent_id: int | None, *, updated_at: str | None = None) -> bool:
        """Set an actor's parent (ids of actors this writer wrote or the file has);
        True when it changed. ``updated_at``: the time to stamp instead of ``now``."""
        self.flush()
        row = self.conn.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
        return self._update("actors", row, {"parent_id": parent_id}, at=updated_at)

    # ------------------------------------------------------------------ questions

    def question(self, rec: dict) -> Written:
        """A question (uid, uid_given, slug, title, description, scale: a key the file
        has, tags: a list). Its scale cannot change once it has positions."""
        found = self.conn.execute("SELECT id FROM scales WHERE key = ?", (rec["scale"],)).fetchone()
        if found is None:
            raise TrackerError(f"scale {quoted(rec['scale'])} is not defined in the file or the database")
        values = {
            "slug": rec["slug"],
            "title": rec["title"],
            "description": rec["description"],
            "scale_id": found[0],
            "tags": json.dumps(list(rec["tags"]), ensure_ascii=False),
        }
        row = self._find("questions", rec)
        if row is None:
            return Written(self._queue("questions", {"uid": rec["uid"], **values}, rec), "created")
        if row["scale_id"] != values["scale_id"] and self.conn.execute(
            "SELECT 1 FROM positions WHERE question_id = ? LIMIT 1", (row["id"],)
        ).fetchone():
            raise TrackerError(f"question {quoted(rec['slug'])} has positions; its scale cannot change")
        return Written(row["id"], "updated" if self._change("questions", row, values, rec) else "unchanged")

    # ------------------------------------------------------------------ sources

    def source(self, rec: dict) -> Written:
        """A source (uid, url, title, outlet, published: EDTF or None, language),
        matched by uid, else by URL: two datasets that cite one article share its row."""
        values = {f: rec[f] for f in ("url", "title", "outlet", "published", "language")}
        row = self._row("sources", "uid", rec["uid"])
        if row is None and rec["url"]:
            row = self._row("sources", "url", rec["url"])
        if row is None:
            return Written(self._queue("sources", {"uid": rec["uid"], **values}, rec), "created")
        return Written(row["id"], "updated" if self._change("sources", row, values, rec) else "unchanged")

    # ------------------------------------------------------------------ writing

    def flush(self) -> None:
        """Write the queued new rows (actors before their aliases)."""
        for table, rows in self._new.items():
            if rows:
                self.db[table].insert_all(rows, batch_size=_BATCH)
                rows.clear()
        if self._new_aliases:
            aliases = [{"actor_id": a, "alias": alias} for a, names in self._new_aliases.items() for alias in names]
            self.db["actor_aliases"].insert_all(aliases, batch_size=_BATCH)
            self._new_aliases.clear()
        self._queued.clear()

    def _queue(self, table: str, values: dict, rec: dict) -> int:
        if table not in self._next_id:
            (top,) = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()
            self._next_id[table] = top + 1
        row_id = self._next_id[table]
        self._next_id[table] += 1
        updated = rec.get("updated_at") or self.now
        row = {"id": row_id, **values, "created_at": rec.get("created_at") or self.now, "updated_at": updated}
        self._new[table].append(row)
        self._index(table, row)
        return row_id

    def _index(self, table: str, row: dict) -> None:
        self._queued[(table, "uid", row["uid"])] = row
        named = row[_NAMED_BY[table]]
        if named:
            self._queued[(table, _NAMED_BY[table], named)] = row

    def _row(self, table: str, column: str, value: object) -> dict | sqlite3.Row | None:
        """The row whose ``column`` is ``value``: queued, else in the file."""
        queued = self._queued.get((table, column, value))
        if queued is not None:
            return queued
        return self.conn.execute(f"SELECT * FROM {table} WHERE {column} = ?", (value,)).fetchone()

    def _find(self, table: str, rec: dict) -> dict | sqlite3.Row | None:
        """An actor's or question's row: by the uid a file gave, else by slug."""
        if rec.get("uid_given"):
            row = self._row(table, "uid", rec["uid"])
            if row is not None:
                return row
        return self._row(table, "slug", rec["slug"])

    def _change(self, table: str, row: dict | sqlite3.Row, values: dict, rec: dict) -> bool:
        """Give ``row`` (queued or in the file) ``values``, stamped with ``rec``'s
        ``updated_at`` if it has one; True if any differed. What names it must stay
        free: another row's slug or URL is refused in words."""
        column = _NAMED_BY[table]
        wanted = values[column]
        if wanted and wanted != row[column]:
            other = self._row(table, column, wanted)
            if other is not None and other["id"] != row["id"]:
                if table == "sources":
                    raise TrackerError(f"another source ({other['uid']}) already has the URL {quoted(wanted)}")
                raise TrackerError(f"the slug {quoted(wanted)} already belongs to another row of {table}")
        if isinstance(row, dict):  # queued: changed where it waits
            if all(row[f] == v for f, v in values.items()):
                return False
            self._queued.pop((table, column, row[column]), None)
            row.update(values)
            if rec.get("updated_at"):
                row["updated_at"] = rec["updated_at"]
            self._index(table, row)
            return True
        return self._update(table, row, values, at=rec.get("updated_at"))

    def _update(self, table: str, row: sqlite3.Row, values: dict, *, stamp: bool = True, at: str | None = None) -> bool:
        """Write the ``values`` that differ from ``row``'s (and ``updated_at``: ``at``,
        else ``now``, where the table has it); True if any did."""
        changes = {f: v for f, v in values.items() if row[f] != v}
        if not changes:
            return False
        if stamp:
            changes["updated_at"] = at or self.now
        self.db[table].update(row["id"], changes)
        return True
