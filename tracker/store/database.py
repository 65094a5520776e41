"""Opening a file safely: where it is, what it is, and bringing its schema up to date.

A file that is not an SQLite database, or that a newer version of the program
wrote, is refused before anything is written to it, and no file is left beside
it. A file this process may not write is opened read-only. ``describe_error``
turns SQLite's errors into sentences.
"""

from __future__ import annotations

import os
import sqlite3
import time
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
    """The schema version of an existing file, 0 for an empty one; refuse what is not ours.

    Reads only, through SQLite connections that cannot write and leave no file behind.
    The file is never opened by Python itself: closing such a descriptor would drop
    every POSIX lock this process holds on the file, those of its other SQLite
    connections included (the interface opens one per thread), and another program
    could then delete the WAL under them.
    """
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read {path}: permission denied")
    if path.stat().st_size == 0:
        return 0
    uri = read_only_uri(path)
    try:
        version = _read_version(path, uri)
    except sqlite3.DatabaseError as e:
        damaged = _code(e) == sqlite3.SQLITE_CORRUPT or (_code(e) == sqlite3.SQLITE_NOTADB and _starts_like_sqlite(path))
        if uri.endswith("immutable=1") and damaged:
            # Another program may have been writing at that very moment (an immutable
            # read takes no lock): read once more, a moment later.
            time.sleep(0.1)
            try:
                version = _read_version(path, read_only_uri(path))
            except sqlite3.DatabaseError as e:
                raise StoreError(_unreadable(e, path)) from None
        else:
            raise StoreError(_unreadable(e, path)) from None
    if version > LATEST_VERSION:
        raise StoreError(_newer(path, version))
    return version


def _read_version(path: Path, uri: str) -> int:
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        return _version(conn, path)
    finally:
        conn.close()


def _version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version the file holds: 0 when it holds nothing; refuses another program's file."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_migrations" not in tables:
        if tables:
            raise StoreError(
                f"{path} is an SQLite database of another program (no Position Tracker schema); it was left untouched"
            )
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def _newer(path: Path, version: int) -> str:
    return (
        f"{path} was written by a newer version of Position Tracker (schema {version}, "
        f"this version knows up to {LATEST_VERSION}); upgrade tracker to open it. It was left untouched"
    )


def _unreadable(error: sqlite3.Error, path: Path) -> str:
    code = _code(error)
    if code == sqlite3.SQLITE_NOTADB and not _starts_like_sqlite(path):
        return f"{path} is not a Position Tracker database (not an SQLite file); it was left untouched"
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return (
            f"{path} is damaged and cannot be read as a database ({error}); it was left untouched. "
            "Restore it from a backup"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return f"cannot read {path}: {read_only_reason(path)} ({error}); it was left untouched"
    return f"{path} cannot be read as a database ({error}); it was left untouched"


def _starts_like_sqlite(path: Path) -> bool:
    """Whether the file begins as every SQLite file does. Read by Python, which is safe here
    only: SQLite has just refused the file, so no connection of this process holds locks on it."""
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` for reading only, creating no file beside it.

    With no ``-wal`` or ``-journal`` beside it, no program is in the middle of writing
    the file, and reading it as immutable takes no lock and creates no ``-wal`` or ``-shm``
    (which a plain read-only connection to a file in WAL mode would leave behind).
    Otherwise ``mode=ro`` reads the other files as SQLite requires.
    """
    uri = path.resolve().as_uri()
    if Path(f"{path}-wal").exists() or Path(f"{path}-journal").exists():
        return uri + "?mode=ro"
    return uri + "?immutable=1"


def writable(path: Path) -> bool:
    """Whether this process may write ``path`` and create files beside it (SQLite's
    journals). Always true for root, as for any program it runs."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def read_only_reason(path: Path) -> str:
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"its folder {path.parent} is read-only (SQLite needs to create files beside the database)"
    return "the file or its folder is read-only"


def _code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code of ``error`` (SQLITE_FULL, ...), None when unknown."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


# Failures of the file, the disk or the folder rather than of the data: a person can act on them.
FILE_ERRORS = frozenset({
    sqlite3.SQLITE_READONLY, sqlite3.SQLITE_FULL, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM,
})  # fmt: skip


def is_file_error(error: BaseException) -> bool:
    return isinstance(error, sqlite3.Error) and _code(error) in FILE_ERRORS


def describe_error(error: sqlite3.Error, path: str | os.PathLike | None, *, doing: str = "write to") -> str:
    """An SQLite error in words, for a person: what happened to which file, and what to do."""
    where = path or "the database"
    code = _code(error)
    text = str(error)
    if code == sqlite3.SQLITE_READONLY:
        reason = read_only_reason(Path(path)) if path else "it is read-only"
        return f"cannot {doing} {where}: {reason}; nothing was written"
    if code == sqlite3.SQLITE_FULL:
        return f"cannot {doing} {where}: the disk is full; nothing was written"
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return f"cannot {doing} {where}: another program kept it busy for too long; nothing was written, try again"
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return f"{where} is damaged ({text}); nothing was written. `tracker check` tells where; restore it from a backup"
    if code == sqlite3.SQLITE_IOERR:
        return f"cannot {doing} {where}: the disk reported an error ({text}); nothing was written"
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        reason = read_only_reason(Path(path)) if path else "permission denied"
        return f"cannot {doing} {where}: {reason} ({text}); nothing was written"
    return f"cannot {doing} {where}: {text}"


def configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def connect(path: str | os.PathLike, *, create_dirs: bool = False, create: bool = True) -> sqlite3.Connection:
    """Open ``path`` (created if missing, unless ``create`` is false), check it, and apply
    pending migrations.

    The connection is in autocommit mode: writers open their own transactions. A file
    this process may not write (or whose folder it may not write) is opened read-only:
    it can be read, and every write is refused with a clear message, leaving the file
    and its folder exactly as they were.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file (give a file name)")
    if path.exists() and not path.is_file():  # /dev/null, a pipe: SQLite would put its journal beside it
        raise StoreError(f"{path} is not a regular file; a database is a file (give another --db)")
    if not create and not path.exists():
        raise StoreError(f"no database at {path}; `tracker add` or `tracker import` creates one")
    if not create and path.is_file() and path.stat().st_size == 0:
        raise StoreError(f"{path} is empty, not a database yet; `tracker add` or `tracker import` creates one")
    if not path.parent.exists():
        if create_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            raise StoreError(f"cannot create {path}: the directory {path.parent} does not exist")
    exists = path.exists()
    if not exists and not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreError(f"cannot create {path}: the folder {path.parent} is read-only")
    version = _inspect(path) if exists else 0
    if exists and not writable(path):
        return _connect_read_only(path, version)
    try:
        if create:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        else:  # mode=rw: a file removed meanwhile is not created again
            conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as e:
        if not create and not path.exists():
            raise StoreError(f"no database at {path}; `tracker add` or `tracker import` creates one") from None
        raise StoreError(describe_error(e, path, doing="open")) from None
    try:
        configure(conn)
        if version < LATEST_VERSION:
            _migrate(conn, path)
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as e:
        conn.close()
        raise StoreError(describe_error(e, path, doing="use")) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new file to WAL. Two connections opening a new file at once (the interface's
    threads) race here: the switch needs the file to itself, so a busy answer is tried again
    until the other connection has made the switch or let go (up to the busy timeout)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as e:
            busy = getattr(e, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _connect_read_only(path: Path, version: int) -> sqlite3.Connection:
    reason = read_only_reason(path)
    if version == 0:
        raise StoreError(f"cannot use {path}: it is empty, and {reason}, so it cannot be made a database; it was left untouched")
    if version < LATEST_VERSION:
        raise StoreError(
            f"cannot open {path}: it needs upgrading from schema {version} to {LATEST_VERSION}, but {reason}; "
            "make it writable, or open a copy of it. It was left untouched"
        )
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None, check_same_thread=False)
        configure(conn)
    except sqlite3.Error as e:
        raise StoreError(_unreadable(e, path)) from None
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply every pending migration in one transaction: the file ends up at the newest
    schema, or, if any step fails (a bad script, a full disk), exactly as it was."""
    from tracker.store.seed import seed_builtin_scales

    step = None
    try:
        conn.execute("BEGIN IMMEDIATE")
        # Read the version again under the write lock: another program may have made or
        # upgraded the file since it was inspected; then there is nothing left to do.
        current = _version(conn, path)
        if current > LATEST_VERSION:
            raise StoreError(_newer(path, current))
        for version, name, sql in MIGRATIONS:
            if version <= current:
                continue
            step = (version, name)
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now_iso()),
            )
            if version == 1:
                seed_builtin_scales(conn)
        if step:
            conn.execute(f"PRAGMA user_version = {step[0]}")
        conn.execute("COMMIT")
    except BaseException as e:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if not isinstance(e, sqlite3.Error):
            raise
        if step is None:
            raise StoreError(describe_error(e, path, doing="open")) from None
        detail = "the disk is full" if _code(e) == sqlite3.SQLITE_FULL else str(e)
        raise StoreError(
            f"cannot upgrade the file to schema {step[0]} ({step[1]}): {detail}; it was left as it was"
        ) from None


def _statements(script: str):
    """The statements of an SQL script, one at a time (a trigger's body is one statement)."""
    start = 0
    for i, c in enumerate(script):
        if c == ";" and sqlite3.complete_statement(script[start : i + 1]):
            yield script[start : i + 1]
            start = i + 1
    rest = script[start:]
    if rest.strip():
        yield rest  # only comments, or an unfinished statement that SQLite will name


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
