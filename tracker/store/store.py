"""The data API over one SQLite file: the one entry point of every face.

A ``Store`` owns one connection; open one per thread. Every write runs in a
single ``BEGIN IMMEDIATE`` transaction (see :mod:`tracker.store.transactions`), so a
failure or a crash leaves either the whole change or none of it. Actors, questions, sources and scales are
written through ``upserts.RecordWriter``, the path the importers take too; every
change is logged in the append-only ``revisions`` table by the schema's triggers.

The store reads and writes scales, actors, questions, sources and positions itself, and
hands the rest to the modules named for it: looking names up (``lookup``), reading
positions for the screens (``positions``), the revision log (``revisions``), search
(``search``), undo (``undo``), backup (``backup``) and ``tracker check`` (``integrity``).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain import validation as check
from tracker.domain.dates import FuzzyDate, parse_date
from tracker.domain.models import Actor, Level, Position, Question, Scale, Source
from tracker.domain.scales import DEFAULT_SCALE, resolve_level
from tracker.domain.text import quoted
from tracker.errors import NotFound, TrackerError
from tracker.store import backup, lookup, positions, revisions, rows, scales, search
from tracker.store.database import connect, resolve_path
from tracker.store.search import SearchHit
from tracker.store.transactions import Transactions
from tracker.store.undo import Run
from tracker.store.upserts import RecordWriter, level_record

if TYPE_CHECKING:
    from tracker.domain.history import HistoryLabels

def new_uid() -> str:
    return str(uuid.uuid4())


class Store(Transactions):
    """The data API over one file: read, write (see :class:`Transactions`), look up, search, back up, check."""

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

    def _create(self, kind: str, record: dict) -> int:
        """Write a new scale, actor, question or source (a checked record, its name
        known to be free) through the one write path of records; its id."""
        with self.transaction():
            writer = RecordWriter(self.conn)
            written = getattr(writer, kind)(record)
            if written.outcome != "created":  # its uid is taken
                raise TrackerError(f"a {kind} with the uid {quoted(record['uid'])} already exists")
            writer.flush()
        return written.id

    # ------------------------------------------------------------------ scales

    def scales(self) -> list[Scale]:
        return scales.read_all(self.conn)

    def scale(self, key: str) -> Scale:
        for scale in self.scales():
            if scale.key == key:
                return scale
        known = ", ".join(s.key for s in self.scales())
        raise NotFound(f"no scale {quoted(key)}; known scales: {known}")

    def _scale_id(self, key: str) -> int:
        row = self.conn.execute("SELECT id FROM scales WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.scale(key)  # raises with the list of known scales
        return row["id"]

    def add_scale(self, key: str, name: str, levels: Sequence[Level], description: str = "", uid: str | None = None) -> Scale:
        key = check.check_slug(key, "scale key")
        name = check.check_text("scale name", name, required=True, one_line=True)
        if not levels:
            raise TrackerError(f"scale {quoted(key)} needs at least one level")
        seen = set()
        for lv in levels:
            check.check_slug(lv.key, "level key")
            check.check_text("level label", lv.label, required=True, one_line=True)
            if lv.key in seen:
                raise TrackerError(f"level {quoted(lv.key)} appears twice in scale {quoted(key)}")
            seen.add(lv.key)
        if self.conn.execute("SELECT 1 FROM scales WHERE key = ?", (key,)).fetchone():
            raise TrackerError(f"a scale {quoted(key)} already exists")
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
            raise TrackerError(f"scale {quoted(scale_key)} already has a level {quoted(key)}")
        size = scale.size
        rank = size if rank is None else rank
        if not 0 <= rank <= size:
            raise TrackerError(f"rank {rank} is outside the scale {quoted(scale_key)} (0 to {size})")
        scale_id = self._scale_id(scale_key)
        with self.transaction():
            scales.insert_level(self.conn, scale_id, rank, key, label, description, colour)
        return self.scale(scale_key)

    def remove_level(self, scale_key: str, level_key: str) -> Scale:
        scale = self.scale(scale_key)
        if not any(lv.key == level_key for lv in scale.levels):
            raise NotFound(f"scale {quoted(scale_key)} has no level {quoted(level_key)}")
        scale_id = self._scale_id(scale_key)
        if scale.size == 1:
            raise TrackerError(f"{quoted(level_key)} is the only level of scale {quoted(scale_key)}; it cannot be removed")
        with self.transaction():
            scales.delete_level(self.conn, scale_id, level_key)
        return self.scale(scale_key)

    # ------------------------------------------------------------------ actors

    def actors(self, *, limit: int = -1, offset: int = 0) -> list[Actor]:
        return [rows.actor(r) for r in self.conn.execute(ACTORS_ORDERED + " LIMIT ? OFFSET ?", (limit, offset))]

    def count_actors(self) -> int:
        return self.conn.execute("SELECT count(*) FROM actors").fetchone()[0]

    def actor(self, actor_id: int) -> Actor:
        return rows.actor(self._row_by_id(rows.ACTOR_SELECT + " WHERE a.id = ?", "actor", actor_id))

    def resolve_actor(self, ref: str | int, *, exact: bool = False) -> Actor:
        """The actor ``ref`` names: forgiving, or ``exact`` for files (see :mod:`tracker.store.lookup`)."""
        return self.actor(lookup.actor_id(self.conn, ref, exact=exact))

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
        slug = self._new_slug("actors", "an actor", slug, name, "name")
        kind = check.check_kind(kind)
        country = check.check_country(country)
        alias_list = [check.check_text("alias", a, required=True, one_line=True) for a in aliases]
        parent_id = self.resolve_actor(parent).id if parent not in (None, "") else None
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
        return rows.question(self._row_by_id(rows.QUESTION_SELECT + " WHERE q.id = ?", "question", question_id))

    def _new_slug(self, table: str, a_noun: str, slug: str | None, named: str, field: str) -> str:
        """``slug`` checked, or made from the text ``named`` (its ``field``) when not given;
        refused when a row of ``table`` has it already."""
        slug = check.check_slug(slug if slug else slugify_or_fail(named, field))
        if self.conn.execute(f"SELECT 1 FROM {table} WHERE slug = ?", (slug,)).fetchone():
            raise TrackerError(f"{a_noun} with the slug {quoted(slug)} already exists; choose another --slug")
        return slug

    def _row_by_id(self, select: str, noun: str, row_id: int) -> sqlite3.Row:
        """The row ``select`` finds for ``row_id``; NotFound names the ``noun`` when none."""
        row = self.conn.execute(select, (row_id,)).fetchone()
        if row is None:
            raise NotFound(f"no {noun} with id {row_id}")
        return row

    def resolve_question(self, ref: str | int, *, exact: bool = False) -> Question:
        """The question ``ref`` names: forgiving, or ``exact`` for files (see :mod:`tracker.store.lookup`)."""
        return self.question(lookup.question_id(self.conn, ref, exact=exact))

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
        slug = self._new_slug("questions", "a question", slug, title, "title")
        description = check.check_text("description", description)
        tag_list = check.check_tags(list(tags))
        self._scale_id(scale or DEFAULT_SCALE)  # refuses an unknown scale, naming the known ones
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
        return rows.source(lookup.source_row(self.conn, ref))

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
            raise TrackerError(f"a source with the URL {quoted(url)} already exists")
        record = {"uid": uid or new_uid(), "url": url, "title": title, "outlet": outlet, "language": language}
        return self.source(self._create("source", record | {"published": pub.edtf if pub else None}))

    # ------------------------------------------------------------------ positions

    def position(self, ref: str | int) -> Position:
        """A position by id or uid."""
        return rows.position(lookup.position_row(self.conn, ref))

    def positions(self, **where) -> list[Position]:
        """Positions in date order, chosen by the keywords of
        :func:`tracker.store.positions.in_date_order` (``actor_id``, ``question_id``, ``as_of``,
        ``limit``, ``offset``, ``narrowing``): with ``as_of``, each actor's latest on each
        question by then; with ``narrowing``, only those it keeps."""
        return positions.in_date_order(self.conn, **where)

    def previous_position(self, pos: Position) -> Position | None:
        """The same actor's position on the same question just before ``pos``."""
        return positions.previous(self.conn, pos)

    def data_version(self) -> int:
        """Changes when another connection (another process too) commits to the file."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def count_positions(
        self, *, actor_id: int | None = None, question_id: int | None = None, narrowing: rows.Narrowing | None = None
    ) -> int:
        return positions.count(self.conn, actor_id=actor_id, question_id=question_id, narrowing=narrowing)

    def stances_as_of(self, question_ids: Sequence[int], actor_ids: Sequence[int], when: date) -> dict[tuple[int, int], Level]:
        """The stance of the latest position by ``when`` for each (question, actor) pair that
        has one (see :func:`tracker.store.positions.stances_as_of`)."""
        return positions.stances_as_of(self.conn, question_ids, actor_ids, when)

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
        with self.transaction():
            position_id = positions.insert(self.conn, uid or new_uid(), values)
        return self.position(position_id)

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
            positions.update(self.conn, current.id, values)
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
        """The revisions of one row, oldest first (see :func:`tracker.store.revisions.of_row`)."""
        return revisions.of_row(self.conn, table, uid)

    def revision_labels(self, found: Sequence[dict]) -> HistoryLabels:
        """What the ids in the revisions ``found`` stand for, in words (see
        :func:`tracker.store.revisions.labels`)."""
        return revisions.labels(self.conn, found)

    # ------------------------------------------------------------------ search

    def search(self, text: str, *, limit: int = 50, prefix: bool = True) -> list[SearchHit]:
        """Actors, questions and positions matching every word of ``text``, the last also as a
        prefix: always for actors and questions; for positions only if ``prefix`` (see
        :func:`tracker.store.search.search`)."""
        return search.search(self.conn, text, limit=limit, prefix=prefix)

    # ------------------------------------------------------------------ maintenance

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy of the live file at ``dest``, a new file (see :mod:`tracker.store.backup`)."""
        return backup.backup(self.conn, dest)

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
        raise TrackerError(f"cannot make a slug from the {field} {quoted(text)}: give one with --slug")
    return slug
