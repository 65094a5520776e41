"""Shared by the test_fuzz_* files: a database file to spoil, a watch that proves it was
not written, and the shape every refusal must have (one printable line, no traceback)."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, settings

from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store

from conftest import SAMPLE_RECORDS, jsonl_text, table_counts

# TRACKER_FUZZ_SCALE=50 runs fifty times as many examples: a deeper search, by hand.
SCALE = int(os.environ.get("TRACKER_FUZZ_SCALE", "1"))
WIDE = {"COLUMNS": "250", "TERM": "dumb", "NO_COLOR": "1"}


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )


@lru_cache(maxsize=1)
def template_db() -> Path:
    """The sample dataset in a file made once per test process (never opened for writing again)."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-fuzz-template-"))
    path = folder / "template.db"
    with Store.open(path) as store:
        import_records(store, jsonl.read_records(io.StringIO(jsonl_text(SAMPLE_RECORDS))))
    return path


@contextmanager
def scratch_db():
    """A fresh copy of the template in its own folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-fuzz-"))
    try:
        path = folder / "t.db"
        shutil.copyfile(template_db(), path)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Watch:
    """Proof that nothing was written to a database file while the watch was open: the
    same bytes, the same ``PRAGMA data_version`` on a connection held open throughout
    (it changes when any other connection commits), the same row counts."""

    def __init__(self, path: Path):
        self.path = path
        self.counts = table_counts(path)
        self.bytes = digest(path)
        self.conn = sqlite3.connect(path)
        self.version = self.data_version()

    def data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def written(self) -> bool:
        """Closes the watch; True when anything was committed."""
        version = self.data_version()
        self.conn.close()
        return version != self.version or table_counts(self.path) != self.counts or digest(self.path) != self.bytes

    def assert_unchanged(self) -> None:
        version = self.data_version()
        self.conn.close()
        assert version == self.version, "a transaction was committed"
        assert table_counts(self.path) == self.counts
        assert digest(self.path) == self.bytes, "the database file's bytes changed"


def assert_no_traceback(result) -> None:
    """The command ended by its own exit, not by an escaped Python exception."""
    assert isinstance(result.exception, (SystemExit, type(None))), (result.exception, result.output)
    assert "Traceback" not in result.output


MAX_MESSAGE = 500  # a message quotes what was wrong, cut short: never a whole 100,000-character value


def assert_user_error(result, *, max_length: int = MAX_MESSAGE) -> str:
    """Exit 1 and one printable line on stderr, ``tracker: …``, of a readable length;
    returns the message."""
    assert_no_traceback(result)
    assert result.exit_code == 1, (result.exit_code, result.output)
    err = result.stderr
    assert err.startswith("tracker: ") and err.endswith("\n"), repr(err)
    message = err[len("tracker: ") : -1]
    assert len(err.splitlines()) == 1 and terminal_safe(message), repr(err)
    assert len(message) <= max_length, (len(message), message[:300])
    return message


# Bidi embeddings and overrides reorder the rest of a terminal line.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_safe(text: str) -> bool:
    """No control character (C0, C1, escape sequences), line or paragraph separator, lone
    surrogate or bidi override: the text cannot move the cursor, restyle or reorder a line."""
    return not any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in BIDI for c in text)


LINE = re.compile(r"^line (\d+): ")


def error_line(message: str) -> int | None:
    found = LINE.match(message)
    return int(found[1]) if found else None


def craft(db, sql: str) -> None:
    """Write ``sql`` into ``db`` as another program would: plain sqlite3, foreign keys off,
    and the triggers that log creations set aside meanwhile (they refuse a blob, which
    json_object cannot hold; a crafted file may have been written without them)."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_log_insert'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.executescript(sql)
    for _, text in triggers:
        conn.execute(text)
    conn.close()
