"""Opening a file safely: where it is, what it is, and bringing its schema up to date.

A file that is not an SQLite database, or that a newer version of the program
wrote, is refused before anything is written to it.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from tracker.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def _migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every ``NNNN_name.sql`` in the migrations folder, in order."""
    found = []
    for entry in resources.files("tracker.data.migrations").iterdir():
        stem, dot, ext = entry.name.partition(".")
        number, _, name = stem.partition("_")
        if ext == "sql" and number.isdigit():
            found.append((int(number), name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n: {versions}")
    return found


MIGRATIONS = _migrations()
LATEST_VERSION = MIGRATIONS[-1][0]


def default_path() -> Path:
    """``$XDG_DATA_HOME/tracker/tracker.db``, by default ``~/.local/share/tracker/tracker.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tracker" / "tracker.db"


def resolve_path(option: str | os.PathLike | None) -> tuple[Path, bool]:
    """The file to use and whether it is the default one (whose folder may be created)."""
    if option:
        return Path(option).expanduser(), False
    env = os.environ.get("TRACKER_DB")
    if env:
        return Path(env).expanduser(), False
    return default_path(), True


def _inspect(path: Path) -> int:
    """The schema version of an existing file, 0 for an empty one; refuse what is not ours."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except PermissionError:
        raise StoreError(f"cannot read {path}: permission denied") from None
    if not header:
        return 0
    if header != SQLITE_HEADER:
        raise StoreError(f"{path} is not a Position Tracker database (not an SQLite file); it was left untouched")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "schema_migrations" not in tables:
                if tables:
                    raise StoreError(
                        f"{path} is an SQLite database of another program (no Position Tracker schema); "
                        "it was left untouched"
                    )
                return 0
            (version,) = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{path} cannot be read as a database ({e}); it was left untouched") from None
    if version > LATEST_VERSION:
        raise StoreError(
            f"{path} was written by a newer version of Position Tracker (schema {version}, "
            f"this version knows up to {LATEST_VERSION}); upgrade tracker to open it. It was left untouched"
        )
    return version


def configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def connect(path: str | os.PathLike, *, create_dirs: bool = False) -> sqlite3.Connection:
    """Open ``path`` (created if missing), check it, and apply pending migrations.

    The connection is in autocommit mode: writers open their own transactions.
    """
    path = Path(path)
    if not path.parent.exists():
        if create_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            raise StoreError(f"cannot create {path}: the directory {path.parent} does not exist")
    version = _inspect(path) if path.exists() else 0
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.OperationalError as e:
        raise StoreError(f"cannot open {path}: {e}") from None
    try:
        configure(conn)
        if version < LATEST_VERSION:
            _migrate(conn, version)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.OperationalError as e:
        conn.close()
        raise StoreError(f"cannot use {path}: {e}") from None
    return conn


def _migrate(conn: sqlite3.Connection, current: int) -> None:
    from tracker.store.seed import seed_builtin_scales

    for version, name, sql in MIGRATIONS:
        if version <= current:
            continue
        try:
            # The script opens the transaction that the COMMIT below closes, so a
            # migration is applied whole or not at all.
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}")
            conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now_iso()),
            )
            conn.execute(f"PRAGMA user_version = {version}")
            if version == 1:
                seed_builtin_scales(conn)
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"cannot upgrade the file to schema {version} ({name}): {e}") from None


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
