"""Bulk writes: the records and positions of an import or a sync, merged into the file.

``BulkWriter`` merges checked records into the file inside the caller's
transaction. Scales, actors, questions and sources go through the one write path
of records (``upserts.RecordWriter``: matched by uid, else slug, key or URL;
created, updated where a value differs, or left alone, so the same data imported
twice changes nothing); the writer keeps the ids positions refer to by slug, key,
uid or URL. Positions are written here, in batches with hand-written SQL.

Many positions at once (``bulk_session`` and ``BulkWriter.positions``) take a
faster road to the same file: indexes rebuilt once instead of updated row by
row; into an empty table, plain inserts whose CHECK constraints are checked in
one pass afterwards, and a search index built by a second process meanwhile.
Positions come as a stream of rows and are never all held in memory: peak
memory stays bounded whatever the number of positions (``spool.Spool`` keeps rows on
disk between the two passes of an import; ``search_build`` builds the search index aside).
The reads of an export are in :mod:`tracker.store.exports`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sized
from contextlib import contextmanager
from itertools import islice
from operator import itemgetter

from tracker.domain.models import Level, Scale
from tracker.domain.scales import resolve_level
from tracker.domain.text import quoted
from tracker.errors import TrackerError
from tracker.store.database import now_iso
from tracker.store.search_build import SEARCH_MEMORY, SearchIndexBuild
from tracker.store.spool import BATCH, Spool
from tracker.store.sqlite_check import check_rules
from tracker.store.upserts import RecordWriter

POSITION_COLUMNS = (
    "uid", "actor_id", "question_id", "level_id", "date", "date_start", "date_end", "precision",
    "quote", "quote_lang", "paraphrase", "context", "source_id", "confidence", "notes", "tags",
)  # fmt: skip

_UPSERT_POSITION = (
    f"INSERT INTO positions({', '.join(POSITION_COLUMNS)}, created_at, updated_at)"
    f" VALUES ({', '.join('?' * len(POSITION_COLUMNS))}, ?, ?)"
    " ON CONFLICT(uid) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in POSITION_COLUMNS[1:])
    + ", updated_at = excluded.updated_at WHERE "
    + " OR ".join(f"positions.{c} IS NOT excluded.{c}" for c in POSITION_COLUMNS[1:])
)


# A row of a load into an empty table: new, unless a row of the same load had its uid.
_INSERT_NEW_POSITION = (
    f"INSERT INTO positions({', '.join(POSITION_COLUMNS)}, created_at, updated_at)"
    f" VALUES ({', '.join('?' * len(POSITION_COLUMNS))}, ?, ?) ON CONFLICT(uid) DO NOTHING"
)

BULK_THRESHOLD = 10_000  # positions in one import from which indexes are rebuilt, not updated
# For a large import: a page cache that holds the uid index and the new rows while the
# indexes are built (instead of 2 MB, which makes every random uid insert a page
# write), and an in-memory search index of 64 MB before each write (instead of 1 MB,
# which writes thousands of small segments and merges them again and again).
# Memory: an import stays under 300 MB whatever its size (PRODUCT.md, Quality bars). The
# page cache is the largest part; the sorter of CREATE INDEX takes as much as the cache is
# then (INDEX_CACHE_KIB); the second process that builds the search index holds its new
# words and a page cache that spills to its file beyond its size (see
# tracker.store.search_build): the import's processes together stay under 300 MB.
BULK_CACHE_KIB = 64 * 1024
INDEX_CACHE_KIB = 32 * 1024
BULK_FTS_HASH_BYTES = 64 << 20
FTS_HASH_BYTES = 1 << 20  # the FTS5 default, put back afterwards


@contextmanager
def bulk_session(conn: sqlite3.Connection, incoming: int) -> Iterator[None]:
    """Around the transaction of an import of ``incoming`` positions: when it is large,
    a bigger page cache and no foreign-key look-ups (four a row). The importer takes
    every id it writes from the tables it writes in, so the keys hold by construction.
    Restored afterwards, whatever happens."""
    if incoming < BULK_THRESHOLD or conn.in_transaction:  # inside a transaction, PRAGMA foreign_keys does nothing
        yield
        return
    pragmas = ("foreign_keys", "cache_size")
    before = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in pragmas}
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        for name in pragmas:
            conn.execute(f"PRAGMA {name} = {int(before[name])}")


class BulkWriter:
    """Merges records into an open transaction. ``counts[(type, outcome)]`` tallies the outcomes."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.now = now_iso()
        self.records = RecordWriter(conn, now=self.now)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.created: list[str] = []  # "actor macron", for the report
        self.scales: dict[str, tuple[int, dict[str, int], Scale]] = {}  # key -> (id, level ids by key, levels)
        self.level_ids: dict[tuple[str, str], int] = {}  # (scale key, stance as written) -> level id
        for s in conn.execute("SELECT id, key FROM scales"):
            self._load_scale(s[0], s[1])
        self.actor_ids = {r[0]: r[1] for r in conn.execute("SELECT slug, id FROM actors")}
        self.question_ids = {
            r[0]: (r[1], r[2])
            for r in conn.execute("SELECT q.slug, q.id, s.key FROM questions q JOIN scales s ON s.id = q.scale_id")
        }
        self.source_ids: dict[str, int] = {}
        for r in conn.execute("SELECT id, uid, url FROM sources"):
            self.source_ids[r[1]] = r[0]
            if r[2]:
                self.source_ids[r[2]] = r[0]
        self.actor_outcomes: dict[str, str] = {}
        self._batch: list[tuple] = []
        self._bulk_from: int | None = None  # the largest position id before a bulk load
        self._insert_only = False  # every position is new: no uid can conflict
        self._dropped: list[tuple[str, str, str]] = []
        self._repeats: Spool | None = None  # during a bulk load
        self._search: SearchIndexBuild | None = None  # during an insert-only load: its search index, being built

    def _load_scale(self, scale_id: int, key: str) -> None:
        self.level_ids.clear()
        ids, levels = {}, []
        for r in self.conn.execute("SELECT id, key, label, rank FROM levels WHERE scale_id = ? ORDER BY rank", (scale_id,)):
            ids[r[1]] = r[0]
            levels.append(Level(r[1], r[2], r[3]))
        self.scales[key] = (scale_id, ids, Scale(key=key, name=key, levels=tuple(levels)))

    # ------------------------------------------------------------------ records (written by RecordWriter)

    def scale(self, rec: dict) -> None:
        written = self.records.scale(rec)
        if written.outcome != "unchanged":
            self._load_scale(written.id, rec["key"])
        self._tally("scale", written.outcome, rec["key"])

    def level_id(self, scale_key: str, stance: str) -> int:
        """The level a file's stance names: its key or label, case and accents ignored
        (the exact look-up of ``resolve_level``; never a rank or a prefix)."""
        found = self.level_ids.get((scale_key, stance))
        if found is not None:
            return found
        _, ids, scale = self.scales[scale_key]
        found = ids[resolve_level(scale, stance, exact=True).key]
        self.level_ids[(scale_key, stance)] = found
        return found

    def actor(self, rec: dict) -> None:
        """Create or update an actor; its parent is set by ``actor_parent`` once all actors exist."""
        written = self.records.actor(rec)
        if written.outcome == "updated":  # its slug may have changed
            self.actor_ids = {s: i for s, i in self.actor_ids.items() if i != written.id}
        self.actor_ids[rec["slug"]] = written.id
        self.actor_outcomes[rec["slug"]] = written.outcome
        self._tally("actor", written.outcome, rec["slug"])

    def actor_parent(self, slug: str, parent: str | None) -> None:
        """Set an actor's parent by slug, once all actors of the file exist."""
        parent_id = None
        if parent:
            parent_id = self.actor_ids.get(parent)
            if parent_id is None:
                raise TrackerError(f"parent {quoted(parent)} is not a known actor slug")
            if parent == slug:
                raise TrackerError(f"actor {quoted(slug)} cannot be its own parent")
        if self.records.actor_parent(self.actor_ids[slug], parent_id) and self.actor_outcomes.get(slug) == "unchanged":
            self.actor_outcomes[slug] = "updated"
            self.counts[("actor", "unchanged")] -= 1
            self.counts[("actor", "updated")] += 1

    def question(self, rec: dict) -> None:
        written = self.records.question(rec)  # refuses a scale the file and the database lack
        if written.outcome == "updated":  # its slug may have changed
            self.question_ids = {s: q for s, q in self.question_ids.items() if q[0] != written.id}
        self.question_ids[rec["slug"]] = (written.id, rec["scale"])
        self._tally("question", written.outcome, rec["slug"])

    def source(self, rec: dict) -> None:
        written = self.records.source(rec)
        # Positions may name the source by the file's uid even when it matched another
        # row of the database by URL (two datasets that cite the same article).
        self.source_ids[rec["uid"]] = written.id
        if rec["url"]:
            self.source_ids[rec["url"]] = written.id
        self._tally("source", written.outcome, rec["url"] or rec["title"])

    # ------------------------------------------------------------------ positions, by slug and uid

    # ------------------------------------------------------------------ positions

    def actor_id(self, slug: str) -> int:
        try:
            return self.actor_ids[slug]
        except KeyError:
            raise TrackerError(f"actor {quoted(slug)} is not defined in the file or the database") from None

    def question_ref(self, slug: str) -> tuple[int, str]:
        try:
            return self.question_ids[slug]
        except KeyError:
            raise TrackerError(f"question {quoted(slug)} is not defined in the file or the database") from None

    def source_id(self, ref: str | None) -> int | None:
        if not ref:
            return None
        try:
            return self.source_ids[ref]
        except KeyError:
            raise TrackerError(f"source {quoted(ref)} is not defined in the file or the database (give its uid or URL)") from None

    def positions(
        self, rows: Iterable[tuple], incoming: int | None = None, *, phase: Callable[[str, int | None], None] | None = None
    ) -> None:
        """Write positions: each row holds the values of ``POSITION_COLUMNS``, in order,
        then ``created_at`` and ``updated_at``. ``rows`` may be any iterable (a stream:
        rows are taken a batch at a time, never all held); ``incoming`` is their number
        when ``rows`` has no ``len``. A uid given twice: the later row wins. ``phase(name,
        total)`` is told when a bulk load, its rows written, starts on its "indexes" (their
        number) and its "search index" (the rows)."""
        if incoming is None:
            assert isinstance(rows, Sized), "rows without a len come with their number (incoming)"
            incoming = len(rows)
        self.records.flush()  # the actors, questions and sources they refer to
        if self._begin_bulk(incoming):
            # Rows whose uid a row of this load already wrote: applied in order once the
            # indexes and triggers are back (with the search-index insert trigger gone,
            # the update trigger would take out of the index words never put in).
            self._repeats = Spool()
            self._insert_only = self._bulk_from == 0
            if self._insert_only:
                # The table's CHECK constraints cost more than the insert itself, row by row
                # (each IN list is set up again for every row): checked once over all the
                # new rows in _end_bulk instead. Statements are compiled again on a change.
                self.conn.execute("PRAGMA ignore_check_constraints = ON")
                # The text of the new rows, handed over with their ids as they are written:
                # a second process builds the search index from it meanwhile, and while the
                # other indexes are rebuilt (see _end_bulk and search_build).
                self._search = SearchIndexBuild(self.conn)
        try:
            try:
                it = iter(rows)
                while batch := list(islice(it, BATCH)):
                    self._batch = batch
                    self.flush()
            finally:
                if self._insert_only:
                    self.conn.execute("PRAGMA ignore_check_constraints = OFF")
            self._end_bulk(phase)
            repeats, self._repeats = self._repeats, None
            if repeats is not None:
                for batch in repeats.batches():
                    self._batch = batch
                    self.flush()
        finally:
            if self._search is not None:  # a load that failed: the build stops
                self._search.close()
                self._search = None
            if self._repeats is not None:
                self._repeats.close()
                self._repeats = None
            self._batch = []

    def flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        if self._insert_only:
            self._insert_new(batch)
            return
        if self._bulk_from is not None:
            batch = self._defer_repeats(batch)
            if not batch:
                return
        (before,) = self.conn.execute("SELECT coalesce(max(id), 0) FROM positions").fetchone()
        cur = self.conn.executemany(_UPSERT_POSITION, batch)
        # New rows take ids above the old maximum: a range count, cheap even without indexes.
        (created,) = self.conn.execute("SELECT count(*) FROM positions WHERE id > ?", (before,)).fetchone()
        self.counts[("position", "created")] += created
        self.counts[("position", "updated")] += cur.rowcount - created
        self.counts[("position", "unchanged")] += len(batch) - cur.rowcount

    def _insert_new(self, batch: list[tuple]) -> None:
        """Into a table that was empty: each row is new unless a row of this load had its
        uid (the table's unique uid index says so); those go to the repeats."""
        cur = self.conn.executemany(_INSERT_NEW_POSITION, batch)
        written = cur.rowcount
        if written == len(batch):
            # The rows took the last ids, one after the other.
            (last,) = self.conn.execute("SELECT max(id) FROM positions").fetchone()
            ids: tuple[int, int] | list[int] = (last - written + 1, last + 1)  # a range
        else:
            # The rows written took the last ids, in order (with AUTOINCREMENT, a row not
            # written may have used one up): walk them beside the batch.
            found = self.conn.execute(
                "SELECT id, uid FROM positions ORDER BY id DESC LIMIT ?", (written,)
            ).fetchall()[::-1]
            kept, ids, at = [], [], 0
            for row in batch:
                if at < len(found) and row[0] == found[at][1]:
                    kept.append(row)
                    ids.append(found[at][0])
                    at += 1
                else:
                    self._repeats.append(row)
            batch = kept
        self.counts[("position", "created")] += len(batch)
        if self._search is not None and batch:
            self._search.put(ids, list(map(_texts_of, batch)))

    def _defer_repeats(self, batch: list[tuple]) -> list[tuple]:
        """The rows of ``batch`` to write now; those whose uid a row of this bulk load
        already created (or an earlier row of the batch has) go to the repeats."""
        placeholders = ", ".join("?" * len(batch))
        created = {
            r[0]
            for r in self.conn.execute(
                f"SELECT uid FROM positions WHERE id > ? AND uid IN ({placeholders})",
                (self._bulk_from, *(row[0] for row in batch)),
            )
        }
        now, seen = [], set()
        for row in batch:
            if row[0] in created or row[0] in seen:
                self._repeats.append(row)
            else:
                seen.add(row[0])
                now.append(row)
        return now

    def _begin_bulk(self, incoming: int) -> bool:
        """Before many positions: when they outnumber those already there, drop the
        positions' secondary indexes and the search-index insert trigger, to rebuild
        them once in ``_end_bulk`` (sorting beats a million random index inserts).
        All of it is inside the import's transaction: a failure rolls it all back."""
        (existing,) = self.conn.execute("SELECT coalesce(max(id), 0) FROM positions").fetchone()
        if incoming < BULK_THRESHOLD or incoming < existing:
            return False
        self._bulk_from = existing
        self._dropped = self.conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'positions' AND sql IS NOT NULL"
            " AND (type = 'index' OR (type = 'trigger' AND name = 'positions_fts_insert')) ORDER BY type, name"
        ).fetchall()
        for kind, name, _ in self._dropped:
            self.conn.execute(f"DROP {kind.upper()} {name}")
        return True

    def _end_bulk(self, phase: Callable[[str, int | None], None] | None = None) -> None:
        """After the rows of a bulk load are written: the indexes, the search index."""
        if self._bulk_from is None:
            return
        if phase is not None:
            phase("indexes", sum(kind == "index" for kind, _, _ in self._dropped))
        if self._insert_only:
            # The search index, built by a second process from the new rows' texts as they
            # were written, is finished meanwhile: this connection checks the rows and
            # builds the other indexes.
            search, self._search = self._search, None
            try:
                search.finish()
                self._check_new_rows()
                self._rebuild_indexes()
                if phase is not None:
                    phase("search index", self.counts[("position", "created")])
                if not search.adopt():  # the second process failed: the index is built here
                    self._index_new_rows()
            finally:
                search.close()
        else:
            self._rebuild_indexes()
            if phase is not None:
                phase("search index", self.counts[("position", "created")])
            self._index_new_rows()
        self._bulk_from, self._dropped, self._insert_only = None, [], False

    def _index_new_rows(self) -> None:
        """The search index of the rows of this load, built by this connection from the table."""
        # More memory for new words, then the file's own setting back (none: the default);
        # a failure rolls the setting back with the rest.
        setting = self.conn.execute("SELECT v FROM positions_fts_config WHERE k = 'hashsize'").fetchone()
        self.conn.execute(SEARCH_MEMORY, (BULK_FTS_HASH_BYTES,))
        self.conn.execute(
            "INSERT INTO positions_fts(rowid, quote, paraphrase, context, notes)"
            " SELECT id, quote, paraphrase, context, notes FROM positions WHERE id > ?",
            (self._bulk_from,),
        )
        self.conn.execute(SEARCH_MEMORY, (setting[0] if setting else FTS_HASH_BYTES,))
        if setting is None:
            self.conn.execute("DELETE FROM positions_fts_config WHERE k = 'hashsize'")

    def _rebuild_indexes(self) -> None:
        """The indexes dropped by ``_begin_bulk``, made again; each sort takes as much
        memory as the page cache has, so it is made smaller meanwhile (``bulk_session``
        restores the connection's own)."""
        (cache,) = self.conn.execute("PRAGMA cache_size").fetchone()  # pages, or KiB when negative
        (page,) = self.conn.execute("PRAGMA page_size").fetchone()
        if (-cache if cache < 0 else cache * page // 1024) > INDEX_CACHE_KIB:
            self.conn.execute(f"PRAGMA cache_size = -{INDEX_CACHE_KIB}")
        try:
            for _, _, sql in self._dropped:
                self.conn.execute(sql)
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(cache)}")

    def _check_new_rows(self) -> None:
        """What the table's CHECK constraints say of every new row, in one pass."""
        (sql,) = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'positions'"
        ).fetchone()
        rules = check_rules(sql)
        if not rules:
            return
        broken = " OR ".join(f"NOT coalesce(({rule}), 1)" for rule in rules)
        row = self.conn.execute(
            f"SELECT uid FROM positions WHERE id > ? AND ({broken}) LIMIT 1", (self._bulk_from,)
        ).fetchone()
        if row:
            raise TrackerError(f"position {row[0]} breaks a rule of the positions table; nothing was written")

    # ------------------------------------------------------------------ helpers

    def _tally(self, kind: str, outcome: str, name: str) -> None:
        self.counts[(kind, outcome)] += 1
        if outcome == "created":
            self.created.append(f"{kind} {name}")


_TEXT_COLUMNS = tuple(POSITION_COLUMNS.index(c) for c in ("quote", "paraphrase", "context", "notes"))
_texts_of = itemgetter(*_TEXT_COLUMNS)  # a row's text columns, as the search index takes them
