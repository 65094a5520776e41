"""The positions' search index of a load into an empty table, built on a second core.

A bulk load (:mod:`tracker.store.bulk`) into an empty positions table spools the ids and
texts of its rows; :class:`SearchIndexBuild` builds their FTS5 index from them in a
private temporary database, in a thread, while the importing connection rebuilds the
table's other indexes, then copies it into the import's transaction.
"""

from __future__ import annotations

import sqlite3
import threading

from tracker.store.spool import Spool

# The memory of the index built aside (see the memory of an import in tracker.store.bulk):
# a page cache that spills to a temporary file beyond its size, and room for new words
# (instead of FTS5's 1 MB, which writes thousands of small segments and merges them again).
SEARCH_BUILD_CACHE_KIB = 16 * 1024
SEARCH_BUILD_HASH_BYTES = 32 << 20
# Sets the memory of a search index for new words before it writes them.
SEARCH_MEMORY = "INSERT INTO positions_fts(positions_fts, rank) VALUES ('hashsize', ?)"


class SearchIndexBuild(threading.Thread):
    """The positions' search index (FTS5) of an insert-only load, built from the ids and
    texts of its rows (``bulk.BulkWriter._insert_new`` spools them, a batch at a time, as
    they are written) in a private temporary database (memory, then a temporary file
    beyond ``SEARCH_BUILD_CACHE_KIB``): the rows went into an empty table, so the index
    is theirs alone. It runs while the importing connection rebuilds the other indexes
    (without the GIL), not while rows are inserted (both would want it for every row).
    ``adopt`` then copies the index into the file's transaction (the same table,
    declared the same way, by the same SQLite, holds the same bytes), after dropping and
    creating again the file's copy of the table, so that its connection keeps nothing
    from before about the index."""

    def __init__(self, conn: sqlite3.Connection, texts: Spool):
        super().__init__(name="search-index", daemon=True)
        self.conn = conn
        self.texts = texts
        (self.sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'positions_fts'"
        ).fetchone()
        self.built = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self.count = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.built.execute(f"PRAGMA cache_size = -{SEARCH_BUILD_CACHE_KIB}")
            self.built.execute("PRAGMA journal_mode = OFF")
            self.built.execute(self.sql)
            self.built.execute(SEARCH_MEMORY, (SEARCH_BUILD_HASH_BYTES,))
            self.built.execute("BEGIN")
            insert = "INSERT INTO positions_fts(rowid, quote, paraphrase, context, notes) VALUES (?, ?, ?, ?, ?)"
            for ids, texts in self.texts.batches():
                if type(ids) is tuple:  # (first, last + 1)
                    ids = range(*ids)
                self.built.executemany(insert, ((n, *t) for n, t in zip(ids, texts)))
                self.count += len(texts)
            self.built.execute("COMMIT")
        except BaseException as e:  # raised again by adopt(), in the importing thread
            self.error = e

    def adopt(self) -> None:
        if self.error is not None:
            raise self.error
        (count,) = self.conn.execute("SELECT count(*) FROM positions").fetchone()
        if count != self.count:
            raise RuntimeError(f"the search index was built for {self.count} rows, not {count}")
        config = self.conn.execute("SELECT * FROM positions_fts_config").fetchall()
        self.conn.execute("DROP TABLE positions_fts")
        self.conn.execute(self.sql)
        for part in ("data", "idx", "docsize"):  # not config: the file keeps its own settings
            table = f"positions_fts_{part}"
            self.conn.execute(f"DELETE FROM {table}")
            columns = len(self.built.execute(f"SELECT * FROM {table} LIMIT 0").description)
            self.conn.executemany(  # streamed from the temporary database, never all in memory
                f"INSERT INTO {table} VALUES ({', '.join('?' * columns)})", self.built.execute(f"SELECT * FROM {table}")
            )
        self.conn.execute("DELETE FROM positions_fts_config")
        if config:
            self.conn.executemany(f"INSERT INTO positions_fts_config VALUES ({', '.join('?' * len(config[0]))})", config)

    def close(self) -> None:
        """Stop (if still running) and free the temporary database."""
        if self.is_alive():
            self.join()
        self.built.close()
