"""Opening a file safely: where it is, what it is, and bringing its schema up to date.

A file that is not an SQLite database, or that a newer version of the program
wrote, is refused before anything is written to it, and no file is left beside
it. A file this process may not write is opened read-only. ``describe_error``
turns SQLite's errors into sentences.

Longer than 450 lines because it is one path, ``connect``, from a file name to a usable
connection: inspect the file, refuse it, fall back to read-only or to a full disk, upgrade
it; each step decides what the next may assume, and they call each other through this
module's names, which the mutation tests (tests/drivers/mutants) replace to check that
the tests catch a broken step. Moving a step out would quietly disarm those.
"""

from __future__ import annotations

import fcntl
import importlib
import os
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

from tracker.errors import StoreError
from tracker.store import schema

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
# How long opening a file may spend reading its schema, and `check` its own queries'
# each statement (see time_limit): a file from someone else cannot make them hang.
INSPECT_LIMIT_S = 10.0


class SchemaRefused(StoreError):
    """A file whose schema is not what its version should have (a trigger that is not
    ours, an object of ours missing or changed, a version that cannot be read): every
    command refuses it in one line; ``check`` opens it read-only to say what to do."""


@contextmanager
def time_limit(conn: sqlite3.Connection, seconds: float, doing: str) -> Iterator[sqlite3.Connection]:
    """Interrupt any statement ``conn`` runs inside the block once ``seconds`` have passed
    since the block began, raising ``StoreError("stopped DOING: it ran for longer than N s
    ...")`` in one line instead of SQLite's ``interrupted``.

    ``doing`` completes "stopped ...", e.g. ``"reading the file's schema"``. Built on
    ``conn.set_progress_handler`` (checked every 1,000 virtual-machine steps, so a few
    microseconds late at most); the connection's previous handler is not kept (the
    program sets no other). A write interrupted inside a transaction rolls the whole
    transaction back (SQLite does so): a caller's ROLLBACK must first look at
    ``conn.in_transaction``. Blocks do not nest: use one at a time on a connection.

        with time_limit(conn, 30, f"writing to {path}"):
            conn.execute(...)
    """
    deadline = time.monotonic() + seconds
    conn.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
    try:
        yield conn
    except sqlite3.OperationalError as e:
        if _code(e) == sqlite3.SQLITE_INTERRUPT or str(e) == "interrupted":
            raise StoreError(
                f"stopped {doing}: it ran for longer than {seconds:g} s, which a sound file never needs"
                " (a file from someone else may hold a trigger or view that never ends); nothing was written"
            ) from None
        raise
    finally:
        conn.set_progress_handler(None, 0)


# The migrations' folder, installed with the program as the package tracker.data.migrations
# (db/migrations in a checkout), read as files: importlib.resources, which would also read
# a zipped install, cost 5 ms of every start, before the first paint.
MIGRATIONS_FOLDER = Path(importlib.import_module("tracker.data.migrations").__file__).parent


def _migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every ``NNNN_name.sql`` in the migrations folder, in order."""
    found = []
    for entry in MIGRATIONS_FOLDER.iterdir():
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
    uri = reading_uri(path)
    try:
        version = _read_version(path, uri)
    except sqlite3.DatabaseError as e:
        damaged = _code(e) == sqlite3.SQLITE_CORRUPT or (_code(e) == sqlite3.SQLITE_NOTADB and _starts_like_sqlite(path))
        if uri.endswith("immutable=1") and damaged:
            # Another program may have been writing at that very moment (an immutable
            # read takes no lock): read once more, a moment later.
            time.sleep(0.1)
            try:
                version = _read_version(path, reading_uri(path))
            except sqlite3.DatabaseError as e:
                raise StoreError(_unreadable(e, path)) from None
        else:
            raise StoreError(_unreadable(e, path)) from None
    if version > LATEST_VERSION:
        raise StoreError(_newer(path, version))
    return version


def _read_version(path: Path, uri: str) -> int:
    """The file's schema version, once its schema is found to be the one that version
    should have (see tracker.store.schema): a file that differs is refused."""
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, factory=_Reader)
    try:
        if trusted_schema_off_works():
            conn.execute("PRAGMA trusted_schema = OFF")
        with time_limit(conn, INSPECT_LIMIT_S, f"reading the schema of {path}"):
            version = _version(conn, path)
            if 0 < version <= LATEST_VERSION:
                refusal = schema.refusal(path, schema.compare(conn, version))
                if refusal:
                    raise SchemaRefused(refusal)
        return version
    finally:
        conn.close()


def _version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version the file holds: 0 when it holds nothing; refuses another program's
    file, and a version that is not a whole number (``SchemaRefused``, whose ``detail`` says
    what the table holds)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_migrations" not in tables:
        if tables:
            raise StoreError(
                f"{path} is an SQLite database of another program (no Position Tracker schema); it was left untouched"
            )
        return 0
    try:
        version, odd = conn.execute(
            "SELECT coalesce(max(CASE WHEN typeof(version) = 'integer' THEN version END), 0),"
            " (SELECT quote(version) FROM schema_migrations WHERE typeof(version) <> 'integer' LIMIT 1)"
            " FROM schema_migrations"
        ).fetchone()
    except sqlite3.OperationalError as e:
        if _code(e) != sqlite3.SQLITE_ERROR:  # busy, interrupted...: not the file's fault
            raise
        version, odd = 0, f"{e}"  # no column version, or no such table behind a view
    if odd is not None:
        detail = odd if str(odd).startswith("no such") else f"it holds {odd}, not a whole number"
        error = SchemaRefused(
            f"{path} has a schema version Position Tracker cannot read ({detail}): it was left untouched;"
            " `tracker check` says more"
        )
        error.detail = detail
        raise error
    return version


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


def reading_uri(path: Path) -> str:
    """A URI that opens ``path`` to read it, with SQLite's locks, so that another program
    writing it at the same time is waited for rather than read half-written; open it with
    ``factory=_Reader``, which removes the ``-wal`` and ``-shm`` a read-only connection
    leaves behind.

    - A file this process may write: ``mode=rw`` (never created anew). SQLite removes
      the ``-wal`` and ``-shm`` it made when its last connection closes.
    - A file it may not write in a folder it may write: ``mode=ro``; SQLite makes a ``-wal``
      and ``-shm`` to read a file in WAL mode, and leaves them: ``_Reader`` removes them.
    - A folder it may not write (read-only media, a read-only folder): ``read_only_uri``.
      SQLite cannot read a file in WAL mode there with ``mode=ro`` unless its ``-wal`` and
      ``-shm`` exist; without them, no program but root can be writing it (a writer must
      make them, in that folder), and it is read as immutable.
    """
    if writable(path):
        return path.resolve().as_uri() + "?mode=rw"
    return reading_only_uri(path)


def reading_only_uri(path: Path) -> str:
    """As ``reading_uri``, never writing: ``mode=ro`` (or immutable in a folder that cannot
    be written), also for a file this process may write. Open it with ``factory=_Reader``."""
    if os.access(path.parent, os.W_OK | os.X_OK):
        return path.resolve().as_uri() + "?mode=ro"
    return read_only_uri(path)


# Connections of this process open to each file through _Reader: the -wal and -shm a
# read-only connection leaves are removed only when the last one closes.
_READERS: dict[str, int] = {}
_READERS_LOCK = threading.Lock()


class _Reader(sqlite3.Connection):
    """A connection that, when the last of this process's to its file closes, removes the
    ``-wal`` and ``-shm`` files that were not there when the first opened, if no other
    program uses them and the ``-wal`` holds nothing that is not in the file."""

    def __init__(self, database, *args, **kwargs):
        self._key = None
        name = str(database)
        file = name.removeprefix("file:").split("?")[0] if name.startswith("file:") else name
        if "mode=ro" in name:
            self._key = unquote(file)
            with _READERS_LOCK:
                if not _READERS.get(self._key):
                    _READERS[self._key] = 0
                    self._fresh = not any(Path(f"{self._key}{s}").exists() for s in ("-wal", "-shm"))
                    _FRESH[self._key] = self._fresh
                _READERS[self._key] += 1
        super().__init__(database, *args, **kwargs)

    def close(self) -> None:
        super().close()
        key, self._key = self._key, None
        if key is None:
            return
        with _READERS_LOCK:
            _READERS[key] -= 1
            if _READERS[key] == 0 and _FRESH.pop(key, False):
                _remove_leftovers(key)


_FRESH: dict[str, bool] = {}
_SHM_DMS = 128  # the byte of the -shm file every SQLite connection using it holds a read lock on


def _remove_leftovers(path: str) -> None:
    """Remove ``path``-wal and ``path``-shm, which this process's read-only connections
    made, when no other program has them open and the -wal holds no frame the file lacks."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    try:
        fd = os.open(shm, os.O_RDONLY | os.O_NOFOLLOW)  # SQLite makes it as read-only as the file
    except OSError:
        return
    try:
        # Every connection using the -shm holds a read lock on one byte of it: is there one?
        probe = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, _SHM_DMS, 1, 0)
        (kind,) = struct.unpack_from("h", fcntl.fcntl(fd, fcntl.F_GETLK, probe))
        if kind != fcntl.F_UNLCK:
            return  # another program reads or writes the file: the files are its too
        header = os.pread(fd, 100, 0)
        size = wal.stat().st_size if wal.exists() else 0
        if size:
            if len(header) < 100:
                return
            # The wal-index header: mxFrame (frames in the -wal) at 16; nBackfill (frames
            # copied into the file) at 96. All copied: the -wal holds nothing the file lacks.
            (max_frame,) = struct.unpack_from("=I", header, 16)
            (backfilled,) = struct.unpack_from("=I", header, 96)
            if max_frame != backfilled:
                return
        wal.unlink(missing_ok=True)
        shm.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        os.close(fd)  # no connection of this process has the file open: no lock of ours is lost


def read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` for reading only, creating no file beside it, for a file
    nothing writes meanwhile (a copy, a test's file): use ``reading_uri`` for any other.

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
    if trusted_schema_off_works():
        # A file from someone else: SQL in its schema may not call functions with side
        # effects nor use virtual tables that have them.
        conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


_TRUSTED_SCHEMA_PROBE: list[bool] = []


def trusted_schema_off_works() -> bool:
    """Whether this SQLite lets Position Tracker's own schema work with ``trusted_schema = OFF``.

    Up to at least SQLite 3.40, it does not: the JSON functions (``json_valid`` in the
    tables' CHECK rules, ``json_object`` in the revision triggers) and FTS5 tables (kept by
    triggers) are not marked innocuous, so every read of ``questions`` fails ("malformed
    database schema ... unsafe use of json_valid()") and every write too. There, a file's
    own code is kept out by tracker.store.schema instead, before any connection is made:
    each trigger must be ours, word for word; the user's own views are never queried; an
    index expression can only call deterministic functions, which have no side effects;
    and the program registers no function of its own. Probed once per process (0.2 ms).
    """
    if not _TRUSTED_SCHEMA_PROBE:
        probe = sqlite3.connect(":memory:")
        try:
            probe.execute("PRAGMA trusted_schema = OFF")
            probe.executescript(
                "CREATE TABLE t(a CHECK (json_valid(a))); CREATE TABLE log(x); CREATE VIRTUAL TABLE f USING fts5(a);"
                " CREATE TRIGGER t_log AFTER INSERT ON t BEGIN"
                " INSERT INTO log VALUES (json_object('a', new.a)); INSERT INTO f(rowid, a) VALUES (new.rowid, new.a); END;"
                " INSERT INTO t VALUES ('[]');"
            )
            works = True
        except sqlite3.Error:
            works = False
        finally:
            probe.close()
        _TRUSTED_SCHEMA_PROBE.append(works)
    return _TRUSTED_SCHEMA_PROBE[0]


def connect(
    path: str | os.PathLike,
    *,
    create_dirs: bool = False,
    create: bool = True,
    for_check: bool = False,
    on_upgrade: Callable[[str], None] | None = None,
) -> sqlite3.Connection:
    """Open ``path`` (created if missing, unless ``create`` is false), check it, and apply
    pending migrations.

    A file whose schema is not the one its version should have is refused in one line
    (``SchemaRefused``), except ``for_check`` (``tracker check``): it is then opened
    read-only, not upgraded, so that its problems can be listed.

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
    if exists and _disk_full(path):
        return _connect_on_a_full_disk(path, create=create, for_check=for_check)
    try:
        version = _inspect(path) if exists else 0
    except SchemaRefused:
        if not for_check:
            raise
        return _connect_as_it_is(path)
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
            _migrate(conn, path, on_upgrade)
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
    return _connect_as_it_is(path)


# Below this much free space, SQLite cannot make the -shm (32 KB) and -wal it needs to
# read a file in WAL mode the ordinary way.
FULL_DISK_BYTES = 256 * 1024


def _disk_full(path: Path) -> bool:
    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < FULL_DISK_BYTES


def _full(path: Path) -> str:
    return f"the disk holding {path} is full"


def _connect_on_a_full_disk(path: Path, *, create: bool, for_check: bool) -> sqlite3.Connection:
    """A nearly full disk: a command that writes is refused before anything is made; one
    that reads reads the file as it is, without making a -wal or -shm beside it (it cannot:
    nothing else can write it meanwhile, either, unless its -wal is already there)."""
    if create:
        raise StoreError(f"cannot write to {path}: {_full(path)}; nothing was written. Free some space and try again")
    uri = read_only_uri(path)
    try:
        version = _read_version(path, uri)
    except SchemaRefused:
        if not for_check:
            raise
        version = LATEST_VERSION
    except sqlite3.DatabaseError as e:
        code = _code(e)
        if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN):
            raise StoreError(f"cannot read {path}: {_full(path)} ({e}); it was left untouched. Free some space and try again") from None
        raise StoreError(_unreadable(e, path)) from None
    if version > LATEST_VERSION:
        raise StoreError(_newer(path, version))
    if version < LATEST_VERSION:
        raise StoreError(
            f"cannot open {path}: it needs upgrading from schema {version} to {LATEST_VERSION}, but {_full(path)};"
            " free some space and try again. It was left untouched"
        )
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, factory=_Reader)
        configure(conn)
    except sqlite3.Error as e:
        raise StoreError(_unreadable(e, path)) from None
    return conn


def _connect_as_it_is(path: Path) -> sqlite3.Connection:
    """A read-only connection to a file as it is, not upgraded (a read-only file, or one
    ``check`` looks at)."""
    try:
        conn = sqlite3.connect(reading_only_uri(path), uri=True, isolation_level=None, check_same_thread=False, factory=_Reader)
        configure(conn)
    except sqlite3.Error as e:
        raise StoreError(_unreadable(e, path)) from None
    return conn


# Migrations that copy the positions table (3), rebuild its search index (4, 6) or build an
# index over all of it (7: about 2 s a million positions), and the size from which their wait
# is said.
REBUILDS_POSITIONS = frozenset({3, 4, 6, 7})
SAY_UPGRADE_FROM = 100_000


def _migrate(
    conn: sqlite3.Connection, path: Path, on_upgrade: Callable[[str], None] | None = None, *, seed: bool = True
) -> None:
    """Apply every pending migration in one transaction: the file ends up at the newest
    schema, or, if any step fails (a bad script, a full disk), exactly as it was. A new
    file gets the built-in scales, unless ``seed`` is False (the schema alone is wanted).

    ``on_upgrade`` is told, in a sentence, when the upgrade will take a while (a migration
    that copies a large positions table: about a minute for a million positions)."""
    from tracker.store.seed import seed_builtin_scales

    step = None
    try:
        conn.execute("BEGIN IMMEDIATE")
        # Read the version again under the write lock: another program may have made or
        # upgraded the file since it was inspected; then there is nothing left to do.
        current = _version(conn, path)
        if current > LATEST_VERSION:
            raise StoreError(_newer(path, current))
        if on_upgrade and current and any(current < v <= LATEST_VERSION for v in REBUILDS_POSITIONS):
            (positions,) = conn.execute("SELECT coalesce(max(id), 0) FROM positions").fetchone()
            if positions >= SAY_UPGRADE_FROM:
                on_upgrade(
                    f"upgrading {path} to schema {LATEST_VERSION} (about {positions:,} positions): this is done once,"
                    " and takes up to about a minute a million positions"
                )
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
            if version == 1 and seed:
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
