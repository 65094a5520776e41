"""Child processes for the crash, concurrency and live-backup tests: start them,
read what they print line by line, kill them with SIGKILL, and never hang.

Every wait has a timeout; a child still running when its ``with`` block ends is
killed. Only complete lines (ending in a newline) count as printed: a line cut by
the kill was never acknowledged.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

TESTS = Path(__file__).resolve().parent
DRIVERS = TESTS / "drivers"

# Every run of a test makes the same "random" choices (kill times, sizes); set
# TRACKER_STRESS_SEED to explore others, TRACKER_STRESS_SCALE to run longer.
SEED = int(os.environ.get("TRACKER_STRESS_SEED", "20240226"))
SCALE = max(1, int(os.environ.get("TRACKER_STRESS_SCALE", "1")))

# What must never be printed by any process writing to a shared file.
LOCK_WORDS = ("database is locked", "locked", "busy", "OperationalError", "Traceback")


def rng(name: str) -> random.Random:
    """A generator seeded from SEED and the test's name, so tests do not share a sequence."""
    return random.Random(f"{SEED}:{name}")


def tracker_cmd(*args: object) -> list[str]:
    """The command line, as a user runs it (``python -m tracker`` of this interpreter)."""
    return [sys.executable, "-m", "tracker", *map(str, args)]


def driver_cmd(name: str, *args: object) -> list[str]:
    return [sys.executable, str(DRIVERS / name), *map(str, args)]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TRACKER_DB", None)  # every command names its file
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


class Child:
    """One child process whose stdout and stderr are read by threads as they come."""

    def __init__(self, cmd: Sequence[str], *, stdin: bool = False, cwd: Path | None = None):
        self.cmd = list(cmd)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            self.cmd,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
            cwd=cwd,
        )
        self.killed = False
        self.ended: float | None = None  # when finish() saw it end
        self._lines: list[str] = []
        self.times: list[float] = []  # when each line was read (time.monotonic())
        self._err = bytearray()
        self._cond = threading.Condition()
        self._readers = [
            threading.Thread(target=self._read_lines, daemon=True),
            threading.Thread(target=self._read_err, daemon=True),
        ]
        for t in self._readers:
            t.start()

    def _read_lines(self) -> None:
        for raw in self.proc.stdout:  # type: ignore[union-attr]
            if not raw.endswith(b"\n"):
                break  # cut short by the kill: not printed
            with self._cond:
                self._lines.append(raw[:-1].decode("utf-8", "replace"))
                self.times.append(time.monotonic())
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def _read_err(self) -> None:
        for raw in self.proc.stderr:  # type: ignore[union-attr]
            self._err += raw

    # ------------------------------------------------------------------ reading

    @property
    def lines(self) -> list[str]:
        with self._cond:
            return list(self._lines)

    @property
    def stderr(self) -> str:
        return self._err.decode("utf-8", "replace")

    def describe(self) -> str:
        tail = "\n".join(self.lines[-15:])
        return f"{' '.join(self.cmd)}\nexit: {self.proc.poll()}\nstdout (end):\n{tail}\nstderr:\n{self.stderr[-3000:]}"

    def index_of(self, predicate: Callable[[str], bool], timeout: float = 60.0, start: int = 0) -> int:
        """The index of the first line (from ``start``) for which ``predicate`` holds;
        fails on timeout or when the child ends without printing it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            seen = start
            while True:
                for i in range(seen, len(self._lines)):
                    if predicate(self._lines[i]):
                        return i
                seen = max(seen, len(self._lines))
                if self.proc.poll() is not None and not self._readers[0].is_alive():
                    raise AssertionError(f"the child ended without the line expected\n{self.describe()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout:.0f}s waiting for a line\n{self.describe()}")
                self._cond.wait(min(left, 0.2))

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 60.0, start: int = 0) -> str:
        at = self.index_of(predicate, timeout, start)
        return self.lines[at]

    def wait_count(self, predicate: Callable[[str], bool], count: int, timeout: float = 60.0, start: int = 0) -> None:
        """Until ``count`` lines (from ``start``) satisfy ``predicate``."""
        for _ in range(count):
            start = self.index_of(predicate, timeout, start) + 1

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(line.encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.proc.wait(timeout=30)
            self._join()
            raise AssertionError(f"the child has ended; cannot send {line!r}\n{self.describe()}") from None

    # ------------------------------------------------------------------ ending

    def _join(self) -> None:
        for t in self._readers:
            t.join(timeout=10)

    def kill(self) -> None:
        """SIGKILL (when still running), then collect everything it printed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.killed = True
        try:
            self.proc.wait(timeout=30)
        finally:
            self._join()

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for the child to end by itself; kill it and fail after ``timeout``."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"still running after {timeout:.0f}s; killed\n{self.describe()}") from None
        self._join()
        self.ended = time.monotonic()
        return code

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.kill()
        self._join()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


class Zygote(Child):
    """``drivers/zygote.py``: forks one writer at a time and kills it on request."""

    def __init__(self, module: str, timeout: float = 120.0):
        super().__init__(driver_cmd("zygote.py", module), stdin=True)
        self.index_of(lambda line: line == "ready", timeout)

    def start(self, *args: object, timeout: float = 60.0) -> ChildRun:
        first = len(self.lines)
        self.send("run " + " ".join(map(str, args)))
        at = self.index_of(lambda line: line.startswith("pid "), timeout, first)
        return ChildRun(self, at + 1, int(self.lines[at].split()[1]))

    def __exit__(self, *exc) -> None:
        # End of input: the zygote kills its running child, if any, and ends.
        if self.proc.poll() is None:
            try:
                self.finish(timeout=20)
            except AssertionError:
                pass
        super().__exit__(*exc)


class ChildRun:
    """One forked writer: its lines, from its ``pid`` line to its ``exit`` line."""

    def __init__(self, zygote: Zygote, start: int, pid: int):
        self.zygote, self.start, self.pid = zygote, start, pid
        self.code: int | None = None
        self._end: int | None = None

    def _is_exit(self, line: str) -> bool:
        return line.startswith(f"exit {self.pid} ")

    def index_of(self, predicate: Callable[[str], bool], timeout: float = 60.0, start: int | None = None) -> int:
        """Like ``Child.index_of``, failing as soon as this writer has ended."""
        start = self.start if start is None else start
        at = self.zygote.index_of(lambda line: predicate(line) or self._is_exit(line), timeout, start)
        line = self.zygote.lines[at]
        if self._is_exit(line) and not predicate(line):
            tail = "\n".join(self.zygote.lines[self.start : at + 1][-15:])
            raise AssertionError(f"the writer ended without the line expected:\n{tail}\nstderr:\n{self.zygote.stderr[-3000:]}")
        return at

    def wait_count(self, predicate: Callable[[str], bool], count: int, timeout: float = 60.0) -> None:
        """Until this writer has printed ``count`` lines satisfying ``predicate``."""
        at = self.start
        for _ in range(count):
            at = self.index_of(predicate, timeout, at) + 1

    def kill(self, timeout: float = 60.0) -> int:
        """SIGKILL the writer (unless it has ended already) and wait for its end."""
        self.zygote.send("kill")
        return self.wait(timeout)

    def wait(self, timeout: float = 60.0) -> int:
        end = self.zygote.index_of(self._is_exit, timeout, self.start)
        self._end = end
        self.code = int(self.zygote.lines[end].split()[2])
        return self.code

    @property
    def lines(self) -> list[str]:
        lines = self.zygote.lines
        return lines[self.start : self._end if self._end is not None else len(lines)]


def run(cmd: Sequence[str], timeout: float = 60.0) -> subprocess.CompletedProcess:
    """Run to the end (killed and failed after ``timeout``)."""
    try:
        return subprocess.run(
            list(cmd), capture_output=True, text=True, encoding="utf-8", errors="replace", env=child_env(),
            timeout=timeout, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{' '.join(cmd)} still running after {timeout:.0f}s; killed") from None


def assert_no_lock_errors(*texts: str) -> None:
    for text in texts:
        for word in LOCK_WORDS:
            assert word not in text, f"{word!r} in the output of a writer:\n{text[-3000:]}"


def tracker_check(db: Path) -> str:
    """``tracker check`` on ``db``: it must exit 0."""
    done = run(tracker_cmd("--db", db, "check"))
    assert done.returncode == 0, f"tracker check failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def store_check(db: Path) -> None:
    """The same check as ``tracker check``, in this process (cheaper, for every iteration)."""
    from tracker.store import Store

    with Store.open(db) as store:
        problems = store.check()
    assert problems == [], problems


def query(db: Path, sql: str, params: Sequence = ()) -> list[tuple]:
    """Rows read by a plain read-only connection (what any SQLite tool sees)."""
    conn = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def new_db(path: Path, *, position: bool = False) -> Path:
    """A file with the actor ``alpha`` and the question ``crash`` (and one position of
    theirs, so that the interface's lists have a row to prefill a new entry from)."""
    from tracker.store import Store

    with Store.open(path) as store:
        store.add_actor("Alpha", slug="alpha", kind="person")
        store.add_question("Crash", slug="crash")
        if position:
            store.add_position(actor="alpha", question="crash", stance="open", date="2000-01-01", quote="seed")
    return path


def import_file(path: Path, tag: str, positions: int) -> Path:
    """A JSONL file of 3 new actors, 2 new sources and ``positions`` positions, every
    record marked with ``tag``."""
    lines = []
    for k in range(3):
        lines.append({"type": "actor", "slug": f"{tag}-a{k}", "name": f"Imported {tag} {k}", "kind": "government"})
    for k in range(2):
        lines.append({"type": "source", "url": f"https://example.org/{tag}/{k}", "title": f"{tag} source {k}"})
    for i in range(positions):
        lines.append({
            "type": "position", "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}/{i}")),
            "actor": f"{tag}-a{i % 3}" if i % 4 else "alpha", "question": "crash",
            "stance": ("ruled-out", "reluctant", "open", "committed")[i % 4], "date": f"{1900 + i % 120}-{1 + i % 12:02d}",
            "quote": f"{tag} statement {i}", "source": f"https://example.org/{tag}/{i % 2}" if i % 3 else None,
            "notes": tag,
        })  # fmt: skip
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def imported(db: Path, tag: str) -> tuple[int, int, int]:
    (row,) = query(
        db,
        "SELECT (SELECT count(*) FROM positions WHERE notes = ?1),"
        " (SELECT count(*) FROM actors WHERE slug LIKE ?1 || '-a%'),"
        " (SELECT count(*) FROM sources WHERE url LIKE 'https://example.org/' || ?1 || '/%')",
        (tag,),
    )
    return row
