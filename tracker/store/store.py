"""The data API over one SQLite file.

A ``Store`` owns one connection; open one per thread. Every write runs in a
single ``BEGIN IMMEDIATE`` transaction, so a failure or a crash leaves either
the whole change or none of it. Actors, questions, sources and scales are
written through ``upserts.RecordWriter``, the path the importers take too; every
change is logged in the append-only ``revisions`` table by the schema's triggers.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain import validation as check
from tracker.domain.dates import FuzzyDate, parse_date
from tracker.domain.models import Actor, Level, Position, Question, Scale, Source
from tracker.domain.scales import DEFAULT_SCALE, resolve_level
from tracker.domain.text import fold
from tracker.errors import Ambiguous, NotFound, StoreError, TrackerError
from tracker.files import new_file_mode, sync_folder, temporary_beside
from tracker.store import rows, search
from tracker.store.database import connect, describe_error, is_file_error, now_iso, resolve_path, time_limit
from tracker.store.search import SearchHit
from tracker.store.undo import Run
from tracker.store.upserts import RecordWriter, level_record

if TYPE_CHECKING:
    from tracker.domain.history import HistoryLabels

# Level ranks are moved up past this while a scale is renumbered.
_RANK_PARK = 1_000_000

POSITION_FIELDS = (
    "actor_id", "question_id", "level_id", "date", "date_start", "date_end", "precision",
    "quote", "quote_lang", "paraphrase", "context", "source_id", "confidence", "notes", "tags",
)  # fmt: skip


WRITE_WAIT_S = 600  # how long a write waits for another program's to finish (see Store._begin)
WRITE_LIMIT_S = 60  # how long one change may take once it has the write lock (see Store.transaction)


def new_uid() -> str:
    return str(uuid.uuid4())


def _row_id(text: str) -> int | None:
    """``text`` as a row id when it is one: ASCII digits only ("²".isdigit() is true but
    int("²") fails) and within SQLite's integer range; else None."""
    if text.isascii() and text.isdigit() and len(text) <= 19:  # int() refuses more than 4,300 digits
        value = int(text)
        if value < 2**63:
            return value
    return None


# What made a revision, recorded in ``revisions.origin`` (NULL for rows from before schema 2
# or written by another program: shown as "unknown").
ORIGINS = ("interface", "command line", "import", "sync")


class Store:
    def __init__(
        self, conn: sqlite3.Connection, path: Path | None = None, *, origin: str = "command line", run: Run | None = None
    ):
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}: one of {', '.join(ORIGINS)}")
        self.conn = conn
        self.path = path
        self.origin = origin  # written on the revisions of this store's transactions
        self.run = run  # the run of the interface this store belongs to: undo reverses its changes only
        self.on_wait: Callable[[], None] | None = None  # see _begin

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        origin: str = "command line",
        create: bool = True,
        run: Run | None = None,
        for_check: bool = False,
        on_upgrade: Callable[[str], None] | None = None,
    ) -> Store:
        """Open ``path``, else ``$TRACKER_DB``, else the default file (its folder created).
        ``origin`` ("interface", "command line", "import" or "sync") is what the revision log will
        say made the changes written through this store. With ``create=False`` (commands
        that only read) a missing or empty file is refused and no file is created.
        ``for_check`` (``tracker check``, which never creates a file) also opens a file
        that every other command refuses for its schema, read-only and not upgraded.
        ``on_upgrade`` is told when upgrading the file's schema will take a while."""
        resolved, is_default = resolve_path(path)
        if not create or for_check:
            return cls(connect(resolved, create=False, for_check=for_check, on_upgrade=on_upgrade), resolved, origin=origin, run=run)
        return cls(connect(resolved, create_dirs=is_default, on_upgrade=on_upgrade), resolved, origin=origin, run=run)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, origin: str | None = None, limit: float | None = WRITE_LIMIT_S) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested uses join the outer one.

        Once the write lock is taken, the transaction may run ``limit`` seconds (None: no
        limit, for an import): a single change never needs more, so a statement still running
        then (a file that somehow loops) is interrupted, everything rolled back, and said.

        The revisions it logs (the program's own and the triggers') are marked with
        ``origin``, by default the store's, and with the store's run of the interface,
        just before it commits: a trigger cannot know what is writing, so the rows above
        the log's last id when the write lock was taken are this transaction's."""
        if self.conn.in_transaction:
            yield self.conn
            return
        origin = origin or self.origin
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}: one of {', '.join(ORIGINS)}")
        self._begin()
        try:
            with time_limit(self.conn, limit, f"writing to {self.path}") if limit else nullcontext():
                (last,) = self.conn.execute("SELECT coalesce(max(id), 0) FROM revisions").fetchone()
                yield self.conn
                self.conn.execute(
                    "UPDATE revisions SET origin = ?, session = ? WHERE id > ?",
                    (origin, self.run.id if self.run else None, last),
                )
        except BaseException as e:
            self._rollback()
            if is_file_error(e):  # a full disk, a read-only file, a damaged page: said in words
                raise StoreError(self._describe(e)) from None
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as e:
            self._rollback()
            raise StoreError(self._describe(e)) from None

    def _begin(self) -> None:
        """Take the write lock. Another program's write (an import of a million positions
        takes a minute or two) is waited for, up to :data:`WRITE_WAIT_S`, rather than failed:
        each try waits the connection's busy timeout; ``on_wait`` is called once, when the
        first try gives up, so the user can be told why nothing seems to happen."""
        deadline = time.monotonic() + WRITE_WAIT_S
        waited = False
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as e:
                if getattr(e, "sqlite_errorcode", None) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise StoreError(self._describe(e)) from None
            if not waited and self.on_wait is not None:
                self.on_wait()
            waited = True

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite has already rolled back, or the file is unusable
                pass

    def _describe(self, error: sqlite3.Error) -> str:
        return describe_error(error, self.path)

    def _create(self, kind: str, record: dict) -> int:
        """Write a new scale, actor, question or source (a checked record, its name
        known to be free) through the one write path of records; its id."""
        with self.transaction():
            writer = RecordWriter(self.conn)
            written = getattr(writer, kind)(record)
            if written.outcome != "created":  # its uid is taken
                raise TrackerError(f"a {kind} with the uid {check.quoted(record['uid'])} already exists")
            writer.flush()
        return written.id

    # ------------------------------------------------------------------ scales

    def scales(self) -> list[Scale]:
        levels: dict[int, list[Level]] = {}
        for r in self.conn.execute("SELECT * FROM levels ORDER BY scale_id, rank"):
            levels.setdefault(r["scale_id"], []).append(rows.level(r))
        return [
            Scale(r["key"], r["name"], tuple(levels.get(r["id"], ())), r["description"], r["uid"])
            for r in self.conn.execute("SELECT * FROM scales ORDER BY key")
        ]

    def scale(self, key: str) -> Scale:
        for scale in self.scales():
            if scale.key == key:
                return scale
        known = ", ".join(s.key for s in self.scales())
        raise NotFound(f"no scale {check.quoted(key)}; known scales: {known}")

    def _scale_id(self, key: str) -> int:
        row = self.conn.execute("SELECT id FROM scales WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.scale(key)  # raises with the list of known scales
        return row["id"]

    def add_scale(self, key: str, name: str, levels: Sequence[Level], description: str = "", uid: str | None = None) -> Scale:
        key = check.check_slug(key, "scale key")
        name = check.check_text("scale name", name, required=True, one_line=True)
        if not levels:
            raise TrackerError(f"scale {check.quoted(key)} needs at least one level")
        seen = set()
        for lv in levels:
            check.check_slug(lv.key, "level key")
            check.check_text("level label", lv.label, required=True, one_line=True)
            if lv.key in seen:
                raise TrackerError(f"level {check.quoted(lv.key)} appears twice in scale {check.quoted(key)}")
            seen.add(lv.key)
        if self.conn.execute("SELECT 1 FROM scales WHERE key = ?", (key,)).fetchone():
            raise TrackerError(f"a scale {check.quoted(key)} already exists")
        record = {"uid": uid or new_uid(), "key": key, "name": name, "description": description}
        self._create("scale", record | {"levels": [level_record(lv) for lv in levels]})
        return self.scale(key)

    def add_level(
        self, scale_key: str, key: str, label: str, *, rank: int | None = None, description: str = "", colour: str = ""
    ) -> Scale:
        """Add a level at ``rank`` (default: on top); the levels above move up one."""
        scale = self.scale(scale_key)
        key = check.check_slug(key, "level key")
        label = check.check_text("level label", label, required=True, one_line=True)
        if any(lv.key == key for lv in scale.levels):
            raise TrackerError(f"scale {check.quoted(scale_key)} already has a level {check.quoted(key)}")
        size = scale.size
        rank = size if rank is None else rank
        if not 0 <= rank <= size:
            raise TrackerError(f"rank {rank} is outside the scale {check.quoted(scale_key)} (0 to {size})")
        scale_id = self._scale_id(scale_key)
        with self.transaction():
            # Two steps through ranks above any real one, so UNIQUE(scale_id, rank) and
            # CHECK(rank >= 0) hold after each row.
            self.conn.execute(
                "UPDATE levels SET rank = rank + ? WHERE scale_id = ? AND rank >= ?", (_RANK_PARK + 1, scale_id, rank)
            )
            self.conn.execute("UPDATE levels SET rank = rank - ? WHERE scale_id = ? AND rank > ?", (_RANK_PARK, scale_id, _RANK_PARK))
            self.conn.execute(
                "INSERT INTO levels(scale_id, rank, key, label, description, colour) VALUES (?, ?, ?, ?, ?, ?)",
                (scale_id, rank, key, label, description, colour),
            )
        return self.scale(scale_key)

    def remove_level(self, scale_key: str, level_key: str) -> Scale:
        scale = self.scale(scale_key)
        if not any(lv.key == level_key for lv in scale.levels):
            raise NotFound(f"scale {check.quoted(scale_key)} has no level {check.quoted(level_key)}")
        scale_id = self._scale_id(scale_key)
        if scale.size == 1:
            raise TrackerError(f"{check.quoted(level_key)} is the only level of scale {check.quoted(scale_key)}; it cannot be removed")
        row = self.conn.execute("SELECT id, rank FROM levels WHERE scale_id = ? AND key = ?", (scale_id, level_key)).fetchone()
        with self.transaction():
            # Counted inside the write transaction, so no position can start using it meanwhile.
            (used,) = self.conn.execute("SELECT count(*) FROM positions WHERE level_id = ?", (row["id"],)).fetchone()
            if used:
                raise TrackerError(
                    f"level {check.quoted(level_key)} is used by {used} position{'s' if used != 1 else ''}; it cannot be removed"
                )
            self.conn.execute("DELETE FROM levels WHERE id = ?", (row["id"],))
            self.conn.execute(
                "UPDATE levels SET rank = rank + ? WHERE scale_id = ? AND rank > ?", (_RANK_PARK - 1, scale_id, row["rank"])
            )
            self.conn.execute("UPDATE levels SET rank = rank - ? WHERE scale_id = ? AND rank >= ?", (_RANK_PARK, scale_id, _RANK_PARK))
        return self.scale(scale_key)

    # ------------------------------------------------------------------ look-up by name

    def _resolve(
        self, what: str, ref: str | int, candidates: list[tuple[int, str, list[str]]], *, exact: bool = False
    ) -> int:
        """The row id of the actor or question ``ref`` names, in one of two modes.

        Forgiving (the default; people typing at the command line or in a form): its slug,
        its row id, its name or an alias (case and accents ignored), then a prefix of a
        name, alias or one of their words that only one row has.

        Exact (``exact=True``; files: JSONL and CSV import): its slug, or its name or an
        alias equal to ``ref`` with case and accents ignored; never a prefix, never a row id.

        No match raises NotFound; a name that fits several rows raises Ambiguous naming them.
        ``candidates`` are (row id, slug, [names and aliases, the slug among them])."""
        raw = str(ref).strip()
        if not raw:
            raise TrackerError(f"{what} is required")
        for row_id, slug, _ in candidates:
            if slug == raw:
                return row_id
        if not exact:
            wanted_id = _row_id(raw)
            if wanted_id is not None:
                for row_id, _, _ in candidates:
                    if row_id == wanted_id:
                        return row_id
        wanted = fold(raw)
        tests = [lambda name: fold(name) == wanted]
        if not exact:
            tests += [
                lambda name: fold(name).startswith(wanted),
                lambda name: any(word.startswith(wanted) for word in fold(name).split()),
            ]
        for test in tests:
            found = {row_id: slug for row_id, slug, names in candidates if any(test(n) for n in names)}
            if len(found) == 1:
                return next(iter(found))
            if found:
                listed = ", ".join(sorted(found.values())[:6]) + (", ..." if len(found) > 6 else "")
                raise Ambiguous(f"{what} {check.quoted(raw)} is ambiguous: it matches {listed}")
        raise NotFound(f"no {what} matches {check.quoted(raw)}")

    # ------------------------------------------------------------------ actors

    def actors(self, *, limit: int = -1, offset: int = 0) -> list[Actor]:
        return [rows.actor(r) for r in self.conn.execute(ACTORS_ORDERED + " LIMIT ? OFFSET ?", (limit, offset))]

    def count_actors(self) -> int:
        return self.conn.execute("SELECT count(*) FROM actors").fetchone()[0]

    def actor(self, actor_id: int) -> Actor:
        row = self.conn.execute(rows.ACTOR_SELECT + " WHERE a.id = ?", (actor_id,)).fetchone()
        if row is None:
            raise NotFound(f"no actor with id {actor_id}")
        return rows.actor(row)

    def resolve_actor(self, ref: str | int, *, exact: bool = False) -> Actor:
        """The actor ``ref`` names: forgiving, or ``exact`` for files (see ``_resolve``)."""
        aliases: dict[int, list[str]] = {}
        for r in self.conn.execute("SELECT actor_id, alias FROM actor_aliases"):
            aliases.setdefault(r[0], []).append(r[1])
        candidates = [
            (r[0], r[1], [r[2], r[1], *aliases.get(r[0], [])])
            for r in self.conn.execute("SELECT id, slug, name FROM actors")
        ]
        return self.actor(self._resolve("actor", ref, candidates, exact=exact))

    def add_actor(
        self,
        name: str,
        *,
        slug: str | None = None,
        kind: str = "other",
        country: str | None = None,
        parent: str | int | None = None,
        aliases: Sequence[str] = (),
        uid: str | None = None,
    ) -> Actor:
        name = check.check_text("name", name, required=True, one_line=True)
        slug = check.check_slug(slug if slug else slugify_or_fail(name, "name"))
        kind = check.check_kind(kind)
        country = check.check_country(country)
        alias_list = [check.check_text("alias", a, required=True, one_line=True) for a in aliases]
        parent_id = self.resolve_actor(parent).id if parent not in (None, "") else None
        if self.conn.execute("SELECT 1 FROM actors WHERE slug = ?", (slug,)).fetchone():
            raise TrackerError(f"an actor with the slug {check.quoted(slug)} already exists; choose another --slug")
        record = {"uid": uid or new_uid(), "uid_given": True, "slug": slug, "name": name, "kind": kind, "country": country}
        return self.actor(self._create("actor", record | {"parent_id": parent_id, "aliases": list(dict.fromkeys(alias_list))}))

    # ------------------------------------------------------------------ questions

    def questions(self, *, limit: int = -1, offset: int = 0) -> list[Question]:
        return [
            rows.question(r)
            for r in self.conn.execute(
                rows.QUESTION_SELECT + " ORDER BY q.title COLLATE NOCASE, q.id LIMIT ? OFFSET ?", (limit, offset)
            )
        ]

    def count_questions(self) -> int:
        return self.conn.execute("SELECT count(*) FROM questions").fetchone()[0]

    def question(self, question_id: int) -> Question:
        row = self.conn.execute(rows.QUESTION_SELECT + " WHERE q.id = ?", (question_id,)).fetchone()
        if row is None:
            raise NotFound(f"no question with id {question_id}")
        return rows.question(row)

    def resolve_question(self, ref: str | int, *, exact: bool = False) -> Question:
        """The question ``ref`` names: forgiving, or ``exact`` for files (see ``_resolve``)."""
        candidates = [(r[0], r[1], [r[2], r[1]]) for r in self.conn.execute("SELECT id, slug, title FROM questions")]
        return self.question(self._resolve("question", ref, candidates, exact=exact))

    def add_question(
        self,
        title: str,
        *,
        slug: str | None = None,
        scale: str = DEFAULT_SCALE,
        description: str = "",
        tags: Sequence[str] = (),
        uid: str | None = None,
    ) -> Question:
        title = check.check_text("title", title, required=True, one_line=True)
        slug = check.check_slug(slug if slug else slugify_or_fail(title, "title"))
        description = check.check_text("description", description)
        tag_list = check.check_tags(list(tags))
        scale_id = self._scale_id(scale or DEFAULT_SCALE)
        if self.conn.execute("SELECT 1 FROM questions WHERE slug = ?", (slug,)).fetchone():
            raise TrackerError(f"a question with the slug {check.quoted(slug)} already exists; choose another --slug")
        record = {"uid": uid or new_uid(), "uid_given": True, "slug": slug, "title": title, "description": description}
        return self.question(self._create("question", record | {"scale": scale or DEFAULT_SCALE, "tags": tag_list}))

    # ------------------------------------------------------------------ sources

    def sources(self) -> list[Source]:
        return [
            rows.source(r)
            for r in self.conn.execute(f"SELECT {rows.SOURCE_COLUMNS} FROM sources s ORDER BY s.published, s.title, s.id")
        ]

    def source(self, ref: str | int) -> Source:
        """A source by id, uid or URL."""
        raw = str(ref).strip()
        row = self.conn.execute(
            f"SELECT {rows.SOURCE_COLUMNS} FROM sources s WHERE s.uid = ? OR s.url = ? OR s.id = ?",
            (raw, raw, _row_id(raw) or -1),
        ).fetchone()
        if row is None:
            raise NotFound(f"no source with the id, uid or URL {check.quoted(raw)}")
        return rows.source(row)

    def add_source(
        self,
        *,
        url: str | None = None,
        title: str = "",
        outlet: str = "",
        published: str | FuzzyDate | None = None,
        language: str = "",
        uid: str | None = None,
    ) -> Source:
        url = check.check_url(url)
        title = check.check_text("title", title, one_line=True)
        outlet = check.check_text("outlet", outlet, one_line=True)
        language = check.check_language(language)
        if not (url or title):
            raise TrackerError("a source needs a URL or a title")
        pub = published if isinstance(published, FuzzyDate) or not published else parse_date(published)
        if url and self.conn.execute("SELECT 1 FROM sources WHERE url = ?", (url,)).fetchone():
            raise TrackerError(f"a source with the URL {check.quoted(url)} already exists")
        record = {"uid": uid or new_uid(), "url": url, "title": title, "outlet": outlet, "language": language}
        return self.source(self._create("source", record | {"published": pub.edtf if pub else None}))

    # ------------------------------------------------------------------ positions

    def position(self, ref: str | int) -> Position:
        """A position by id or uid."""
        raw = str(ref).strip()
        row_id = _row_id(raw)
        if row_id is not None:
            row = self.conn.execute(rows.POSITION_SELECT + " WHERE p.id = ?", (row_id,)).fetchone()
        else:
            row = self.conn.execute(rows.POSITION_SELECT + " WHERE p.uid = ?", (raw,)).fetchone()
        if row is None:
            raise NotFound(f"no position with the id or uid {check.quoted(raw)}")
        return rows.position(row)

    def positions(
        self,
        *,
        actor_id: int | None = None,
        question_id: int | None = None,
        as_of: date | None = None,
        limit: int | None = None,
        offset: int = 0,
        narrowing: rows.Narrowing | None = None,
    ) -> list[Position]:
        """Positions in date order; with ``as_of``, each actor's latest on each question by then;
        with ``narrowing``, only those it keeps (a filter of the timeline)."""
        if limit is not None and as_of is None:
            # A page: the ids come from a covering index alone, so skipping even a million
            # rows costs milliseconds; only the page's rows are joined.
            where, args = rows.position_filter(actor_id, question_id, alias="", narrowing=narrowing)
            ids = (
                "SELECT id FROM positions"
                + (" WHERE " + " AND ".join(where) if where else "")
                + " ORDER BY date_start, date_end, id LIMIT ? OFFSET ?"
            )
            sql = rows.POSITION_SELECT + f" WHERE p.id IN ({ids}) ORDER BY p.date_start, p.date_end, p.id"
            return [rows.position(r) for r in self.conn.execute(sql, [*args, limit, offset])]
        where, args = rows.position_filter(actor_id, question_id, narrowing=narrowing)
        if as_of is not None:
            bound = as_of.isoformat()
            where.append("p.date_start <= ?")
            args.append(bound)
            where.append(
                "NOT EXISTS (SELECT 1 FROM positions later WHERE later.actor_id = p.actor_id"
                " AND later.question_id = p.question_id AND later.date_start <= ?"
                " AND (later.date_start, later.date_end, later.id) > (p.date_start, p.date_end, p.id))"
            )
            args.append(bound)
        sql = rows.POSITION_SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY p.date_start, p.date_end, p.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [rows.position(r) for r in self.conn.execute(sql, args)]

    def previous_position(self, pos: Position) -> Position | None:
        """The same actor's position on the same question just before ``pos``."""
        row = self.conn.execute(
            rows.POSITION_SELECT
            + " WHERE p.actor_id = ? AND p.question_id = ?"
            " AND (p.date_start, p.date_end, p.id) < (?, ?, ?)"
            " ORDER BY p.date_start DESC, p.date_end DESC, p.id DESC LIMIT 1",
            (pos.actor_id, pos.question_id, pos.date.start.isoformat(), pos.date.end.isoformat(), pos.id),
        ).fetchone()
        return rows.position(row) if row else None

    def data_version(self) -> int:
        """Changes when another connection (another process too) commits to the file."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def count_positions(
        self, *, actor_id: int | None = None, question_id: int | None = None, narrowing: rows.Narrowing | None = None
    ) -> int:
        where, args = rows.position_filter(actor_id, question_id, alias="", narrowing=narrowing)
        sql = "SELECT count(*) FROM positions" + (" WHERE " + " AND ".join(where) if where else "")
        return self.conn.execute(sql, args).fetchone()[0]

    def stances_as_of(self, question_ids: Sequence[int], actor_ids: Sequence[int], when: date) -> dict[tuple[int, int], Level]:
        """The stance of the latest position by ``when`` for each (question, actor) pair that
        has one: one statement for all the cells, an indexed look-up each, reading the level alone
        (a screen of 400 cells takes about 0.6 ms on a million positions; a query a cell, 6 ms)."""
        sql = (
            "SELECT c.question_id, c.actor_id, l.id, l.key, l.label, l.rank, l.description, l.colour FROM ("
            "  SELECT q.value AS question_id, a.value AS actor_id, ("
            "    SELECT p.level_id FROM positions p"
            "    WHERE p.question_id = q.value AND p.actor_id = a.value AND p.date_start <= ?"
            "    ORDER BY p.date_start DESC, p.date_end DESC, p.id DESC LIMIT 1"
            "  ) AS level_id FROM json_each(?) q, json_each(?) a"
            ") c JOIN levels l ON l.id = c.level_id"
        )
        args = (when.isoformat(), json.dumps(list(question_ids)), json.dumps(list(actor_ids)))
        return {(r[0], r[1]): rows.level_tuple(r[2:]) for r in self.conn.execute(sql, args)}

    def position_values(
        self,
        *,
        actor: str | int | Actor,
        question: str | int | Question,
        stance: str | int,
        date: str | FuzzyDate,
        quote: str = "",
        quote_lang: str = "",
        paraphrase: str = "",
        context: str = "",
        source: str | int | None = None,
        confidence: str = "confirmed",
        notes: str = "",
        tags: Sequence[str] = (),
    ) -> dict:
        """Checked column values for a position, or TrackerError naming the first bad field."""
        actor_rec = actor if isinstance(actor, Actor) else self.resolve_actor(actor)
        question_rec = question if isinstance(question, Question) else self.resolve_question(question)
        scale = self.scale(question_rec.scale_key)
        level = resolve_level(scale, stance)
        when = date if isinstance(date, FuzzyDate) else parse_date(check.check_text("date", date, required=True))
        level_id = self.conn.execute(
            "SELECT l.id FROM levels l JOIN scales s ON s.id = l.scale_id WHERE s.key = ? AND l.key = ?",
            (scale.key, level.key),
        ).fetchone()[0]
        source_id = self.source(source).id if source not in (None, "") else None
        return {
            "actor_id": actor_rec.id,
            "question_id": question_rec.id,
            "level_id": level_id,
            "date": when.edtf,
            "date_start": when.start.isoformat(),
            "date_end": when.end.isoformat(),
            "precision": when.precision,
            "quote": check.check_text("quote", quote),
            "quote_lang": check.check_language(quote_lang, "quote language"),
            "paraphrase": check.check_text("paraphrase", paraphrase),
            "context": check.check_text("context", context),
            "source_id": source_id,
            "confidence": check.check_confidence(confidence),
            "notes": check.check_text("notes", notes),
            "tags": json.dumps(check.check_tags(list(tags)), ensure_ascii=False),
        }

    def add_position(self, *, uid: str | None = None, **fields) -> Position:
        values = self.position_values(**fields)
        uid = uid or new_uid()
        now = now_iso()
        with self.transaction():
            cur = self.conn.execute(
                f"INSERT INTO positions(uid, {', '.join(POSITION_FIELDS)}, created_at, updated_at)"
                f" VALUES (?, {', '.join('?' * len(POSITION_FIELDS))}, ?, ?)",
                (uid, *(values[f] for f in POSITION_FIELDS), now, now),
            )
        return self.position(cur.lastrowid)

    def update_position(self, ref: str | int, **changes) -> Position:
        """Change some fields of a position (same names as ``add_position``), checked like a
        new one, in one transaction; the old values go to the revision log."""
        current = self.position(ref)
        fields = {
            "actor": self.actor(current.actor_id),
            "question": self.question(current.question_id),
            "stance": current.level.key,
            "date": current.date,
            "quote": current.quote,
            "quote_lang": current.quote_lang,
            "paraphrase": current.paraphrase,
            "context": current.context,
            "source": current.source.uid if current.source else None,
            "confidence": current.confidence,
            "notes": current.notes,
            "tags": current.tags,
        }
        unknown = set(changes) - set(fields)
        if unknown:
            raise TypeError(f"unknown position fields: {', '.join(sorted(unknown))}")
        values = self.position_values(**(fields | changes))
        with self.transaction():
            self.conn.execute(
                f"UPDATE positions SET {', '.join(f'{f} = ?' for f in POSITION_FIELDS)}, updated_at = ? WHERE id = ?",
                (*(values[f] for f in POSITION_FIELDS), now_iso(), current.id),
            )
        return self.position(current.id)

    def delete_position(self, ref: str | int) -> Position:
        """Delete a position; the revision log keeps every field, so ``undo`` can bring it back."""
        current = self.position(ref)
        with self.transaction():
            self.conn.execute("DELETE FROM positions WHERE id = ?", (current.id,))
        return current

    def undo(self) -> str:
        """Reverse the newest change to a position made in this run of the interface
        (``run``) and not undone yet; call again to go further back. See tracker.store.undo."""
        from tracker.store.undo import undo

        return undo(self)

    # ------------------------------------------------------------------ revisions

    def revisions(self, table: str, uid: str) -> list[dict]:
        """The revisions of one row, oldest first: id, at, action, before, after (JSON
        text), reverts (the id of the revision an undo reversed), origin (None: unknown)
        and session (the run of the interface that made it, None for the others)."""
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT id, at, action, before, after, reverts, origin, session FROM revisions"
                " WHERE table_name = ? AND row_uid = ? ORDER BY id",
                (table, uid),
            )
        ]

    def revision_labels(self, revisions: Sequence[dict]) -> HistoryLabels:
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
            return {row[0]: row[1] for row in self.conn.execute(sql, (json.dumps(sorted(ids)),))}

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

    # ------------------------------------------------------------------ search

    def search(self, text: str, *, limit: int = 50, prefix: bool = True) -> list[SearchHit]:
        """Actors, questions and positions matching every word of ``text``, the last also as a
        prefix: always for actors and questions; for positions only if ``prefix`` (see
        :func:`tracker.store.search.search`)."""
        return search.search(self.conn, text, limit=limit, prefix=prefix)

    # ------------------------------------------------------------------ maintenance

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy of the live file, taken with SQLite's online backup.

        The copy is written beside ``dest`` under a temporary name and renamed when
        complete, so ``dest`` is never a partial copy; a failure leaves nothing behind.
        """

        dest = Path(dest)
        if dest.is_dir():
            raise TrackerError(f"{dest} is a directory; give the name of a new file to back up to")
        if os.path.lexists(dest):  # a file, or a link (even a broken one): never written through
            raise TrackerError(f"{dest} already exists; choose a new file name")
        if not dest.parent.exists():
            raise TrackerError(f"cannot write {dest}: the directory {dest.parent} does not exist")
        if not os.access(dest.parent, os.W_OK | os.X_OK):
            raise TrackerError(f"cannot write {dest}: the folder {dest.parent} is read-only")
        partial: Path | None = None
        fd = -1
        target = None
        try:
            fd, partial = temporary_beside(dest)  # created exclusively, under a fresh name
            # nofollow: SQLite refuses the name if it has been swapped for a link meanwhile;
            # mode=rw: nor does it create the file if it has been removed.
            uri = partial.resolve().as_uri() + "?mode=rw&nofollow=1"
            target = sqlite3.connect(uri, uri=True)
            self.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            target.close()
            target = None
            if not os.path.samestat(os.fstat(fd), os.lstat(partial)):
                raise TrackerError(f"cannot write {dest}: its temporary file was replaced by another program")
            os.fchmod(fd, new_file_mode(dest))
            os.fsync(fd)
            try:
                os.link(partial, dest)  # fails if dest exists, whatever it is: never overwrites
            except FileExistsError:
                raise TrackerError(f"{dest} was created by another program meanwhile; choose a new file name") from None
            except OSError:  # a file system without hard links
                if os.path.lexists(dest):
                    raise TrackerError(f"{dest} was created by another program meanwhile; choose a new file name") from None
                os.replace(partial, dest)
            sync_folder(dest.parent)
        except sqlite3.Error as e:
            raise TrackerError(describe_error(e, dest, doing="write")) from None
        except OSError as e:
            raise TrackerError(f"cannot write {dest}: {e.strerror or e}") from None
        finally:
            if target is not None:
                target.close()
            if fd >= 0:
                os.close(fd)
            if partial is not None:
                for leftover in (partial, Path(f"{partial}-journal")):
                    leftover.unlink(missing_ok=True)
        return dest

    def check(self) -> list[str]:
        """Problems found, in words; an empty list means the file is sound.

        Each is an ``integrity.Problem``: a string that names the table, the row where it
        can, and what is wrong, with ``advice`` saying what to do. The list's ``notes``
        say what could not be checked (the search indexes of a read-only file).
        """
        from tracker.store import integrity  # only `tracker check` needs it

        return integrity.find_problems(self.conn, self.path)


ACTORS_ORDERED = rows.ACTOR_SELECT + " ORDER BY a.name COLLATE NOCASE, a.id"


def slugify_or_fail(text: str, field: str) -> str:
    slug = check.slugify(text)
    if not slug:
        raise TrackerError(f"cannot make a slug from the {field} {check.quoted(text)}: give one with --slug")
    return slug
