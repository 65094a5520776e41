"""Odd files: each gets a clear one-line message, and is left exactly as it was.

A file that is not ours (text, random bytes, a damaged header, another program's
database, a newer version's file), a read-only file or folder, and a full disk.
"As it was" means the same bytes and modification time, no new file beside it
(no -wal, -shm or -journal), and the same rows read by a plain connection.

Read-only cases need a user that permissions stop: root writes anyway, so as root
(as in CI) the command runs in a forked child that has become ``nobody``.
"""

from __future__ import annotations

import gzip
import os
import pickle
import pwd
import random
import select
import shutil
import signal
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli, interface
from tracker.errors import StoreError, TrackerError
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import LATEST_VERSION, Store, database
from tracker.store.database import read_only_uri

from conftest import jsonl_text

FIXTURE = Path(__file__).parent / "fixtures" / f"schema-{LATEST_VERSION:04d}.db.gz"
ENV = {"COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}


def state(path: Path) -> tuple:
    """What must not change: the bytes, the modification time, and what is in the folder."""
    folder = sorted(p.name for p in path.parent.iterdir())
    if path.is_dir():
        return folder, None, None
    return folder, path.read_bytes(), path.stat().st_mtime_ns


def logical(path: Path) -> list[str] | None:
    """Every row and schema object, as a plain connection (that creates no file) reads them."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return None


def current_file(path: Path) -> Path:
    """A copy of the current version's fixture: a real file with varied rows."""
    path.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    return path


@pytest.fixture(autouse=True)
def in_a_terminal(monkeypatch):
    """``tui`` runs here with no terminal: its check for one (tests/test_hangup.py) is left
    out, as if in one, so that what it says of the file is what a person would see."""
    monkeypatch.setattr(interface, "need_terminal", lambda: None)


def invoke(path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(path), *args], env=ENV)


def assert_one_line_error(result, *fragments: str) -> str:
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    err = result.stderr
    assert err.startswith("tracker: ") and err.count("\n") == 1, repr(err)
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


# ---------------------------------------------------------------------- files that are not ours


def text_file(path: Path) -> None:
    path.write_text("my notes\nnot a database\n", encoding="utf-8")


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def damaged_header(path: Path) -> None:
    """Starts like an SQLite file, then nonsense."""
    path.write_bytes(b"SQLite format 3\x00" + random.Random(8).randbytes(8192 - 16))


def truncated(path: Path) -> None:
    """The first 3 KB of one of our files: the rest was lost."""
    path.write_bytes(gzip.decompress(FIXTURE.read_bytes())[:3000])


def other_program(path: Path, wal: bool = False) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE recipes(id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO recipes(name) VALUES ('soup')")
    conn.commit()
    conn.close()


def newer_version(path: Path, wal: bool = True) -> None:
    current_file(path)
    conn = sqlite3.connect(path)
    if not wal:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, 'future', 'x')", (LATEST_VERSION + 1,))
    conn.commit()
    conn.close()


NOT_OURS = {
    "text": (text_file, ["not a Position Tracker database", "not an SQLite file", "left untouched"]),
    "random bytes": (random_bytes, ["not a Position Tracker database", "left untouched"]),
    "damaged header": (damaged_header, ["damaged", "left untouched"]),
    "truncated": (truncated, ["damaged", "left untouched"]),
    "other program": (other_program, ["of another program", "left untouched"]),
    "other program, wal": (lambda p: other_program(p, wal=True), ["of another program", "left untouched"]),
    "newer version": (lambda p: newer_version(p, wal=False), ["newer version", f"schema {LATEST_VERSION + 1}", "upgrade tracker", "untouched"]),
    "newer version, wal": (newer_version, ["newer version", f"schema {LATEST_VERSION + 1}", "upgrade tracker", "untouched"]),
}  # fmt: skip

COMMANDS = {
    "list": ["list", "actors"],
    "add": ["add", "actor", "Someone"],
    "import": ["import", "{sample}"],
    "export": ["export", "jsonl"],
    "backup": ["backup", "{backup}"],
    "check": ["check"],
    "tui": ["tui"],  # refused before the screen changes
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(NOT_OURS))
def test_a_file_that_is_not_ours_is_refused_and_left_as_it_was(case, command, tmp_path):
    make, fragments = NOT_OURS[case]
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "tracker.db"
    make(path)
    before, rows = state(path), logical(path)
    sample = tmp_path / "sample.jsonl"
    sample.write_text('{"type": "actor", "slug": "x", "name": "X"}\n', encoding="utf-8")
    args = [a.format(sample=sample, backup=tmp_path / "copy.db") for a in COMMANDS[command]]
    err = assert_one_line_error(invoke(path, *args), str(path), *fragments)
    assert state(path) == before, err
    assert logical(path) == rows
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("case", list(NOT_OURS))
def test_the_store_refuses_a_file_that_is_not_ours(case, tmp_path):
    make, fragments = NOT_OURS[case]
    path = tmp_path / "tracker.db"
    make(path)
    before = state(path)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    for fragment in fragments:
        assert fragment in str(err.value)
    assert state(path) == before


def test_a_directory_is_refused(tmp_path):
    before = state(tmp_path)
    assert_one_line_error(invoke(tmp_path, "list", "actors"), "is a directory")
    assert state(tmp_path) == before


def test_an_empty_file_becomes_a_new_database(tmp_path):
    """An empty file holds nothing to lose: `touch tracker.db` then `tracker` starts a dataset."""
    path = tmp_path / "tracker.db"
    path.touch()
    done = invoke(path, "add", "actor", "France")
    assert done.exit_code == 0, done.output
    with Store.open(path) as store:
        assert [a.slug for a in store.actors()] == ["france"]


# ---------------------------------------------------------------------- read-only, as a user that permissions stop


def _traversable(folder: Path) -> bool:
    """Whether anyone may pass through every folder above ``folder``."""
    return all(p.stat().st_mode & stat.S_IXOTH for p in folder.resolve().parents)


@pytest.fixture
def user_area():
    """A folder the unprivileged user owns, and a way to run commands as that user.

    Root bypasses file permissions, so as root the commands run in a forked child that
    has given up root for ``nobody`` (modules are imported before, as the child may not
    read the interpreter's own folder). Anyone else is already stopped by permissions."""
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("running as root with no 'nobody' user: read-only files cannot be simulated")
        base = Path(tempfile.mkdtemp(prefix="tracker-ro-"))
        if not _traversable(base):
            shutil.rmtree(base)
            pytest.skip(f"running as root and {base.parent} cannot be entered by 'nobody'")
        base.chmod(0o755)
        uid, gid = user.pw_uid, user.pw_gid
    else:
        base = Path(tempfile.mkdtemp(prefix="tracker-ro-"))
        uid, gid = os.getuid(), os.getgid()
    area = UserArea(base, uid, gid)
    try:
        yield area
    finally:
        for p in [base, *base.rglob("*")]:
            if p.is_dir():
                p.chmod(0o755)
        shutil.rmtree(base)


class UserArea:
    def __init__(self, base: Path, uid: int, gid: int):
        self.base, self.uid, self.gid = base, uid, gid

    def folder(self, name: str) -> Path:
        folder = self.base / name
        folder.mkdir()
        self.own(folder)
        return folder

    def own(self, path: Path) -> None:
        if os.geteuid() == 0:
            os.chown(path, self.uid, self.gid)

    def run(self, commands: list[list[str]]) -> list[tuple[int, str, str]]:
        """(exit code, stdout, stderr) of each command, run by the unprivileged user."""
        if os.geteuid() != 0:
            return [_invoke(args) for args in commands]
        for args in commands:  # import what the commands import, while still root
            _warm_up(args)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            try:
                os.close(read)
                try:
                    os.setgroups([])
                    os.setgid(self.gid)
                    os.setuid(self.uid)
                except OSError as e:
                    result = f"cannot become 'nobody' here: {e}"
                else:
                    assert os.geteuid() != 0
                    result = [_invoke(args) for args in commands]
            except BaseException as e:  # noqa: BLE001 - reported to the parent
                result = e
            try:
                os.write(write, pickle.dumps(result))
            finally:
                os._exit(0)
        os.close(write)
        data = b""
        try:
            while True:
                ready, _, _ = select.select([read], [], [], 120)
                if not ready:
                    os.kill(pid, signal.SIGKILL)
                    pytest.fail("the unprivileged child did not finish")
                chunk = os.read(read, 1 << 16)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(read)
            os.waitpid(pid, 0)
        result = pickle.loads(data)
        if isinstance(result, str):
            pytest.skip(f"running as root, and {result}: read-only files cannot be simulated")
        if isinstance(result, BaseException):
            raise result
        return result


def _invoke(args: list[str]) -> tuple[int, str, str]:
    done = CliRunner().invoke(cli, args, env=ENV)
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        return (99, done.stdout, f"{done.exception!r}")
    return done.exit_code, done.stdout, done.stderr


def _warm_up(args: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        copy = current_file(Path(scratch) / "warm.db")
        swapped = [str(copy) if a.endswith(".db") and a == args[1] else a for a in args]
        if "backup" in swapped:
            swapped[-1] = str(Path(scratch) / "warm-copy.db")
        CliRunner().invoke(cli, swapped, env=ENV)


def sample_file(area: UserArea, folder: Path) -> Path:
    sample = folder / "sample.jsonl"
    sample.write_text(
        jsonl_text([{"type": "actor", "slug": "poland", "name": "Poland"},
                    {"type": "position", "actor": "poland", "question": "ground-troops", "stance": "open", "date": "2024"}]),
        encoding="utf-8",
    )  # fmt: skip
    area.own(sample)
    return sample


READS = {
    "list": (["list", "actors"], "Emmanuel Macron"),
    "search": (["search", "ambiguite"], "ambig"),
    "export": (["export", "jsonl"], '"type": "position"'),
    "check": (["check"], "ok ("),
}
WRITES = {
    "add actor": ["add", "actor", "Someone"],
    "add position": ["add", "position", "--actor", "macron", "--question", "ground-troops", "--stance", "open", "--date", "2025"],
    "import": ["import", "{sample}"],
}  # fmt: skip


def _read_only_case(area: UserArea, kind: str) -> tuple[Path, Path]:
    folder = area.folder(kind)
    path = current_file(folder / "tracker.db")
    area.own(path)
    writable = area.folder("writable")
    if kind == "read-only file":
        path.chmod(0o444)
    else:
        path.chmod(0o644)
        folder.chmod(0o555)
    return path, writable


@pytest.mark.parametrize("kind", ["read-only file", "read-only folder"])
def test_a_read_only_file_is_read_and_never_written(kind, user_area):
    path, writable = _read_only_case(user_area, kind)
    before, rows = state(path), logical(path)
    sample = sample_file(user_area, writable)
    reads = [["--db", str(path), *args] for args, _ in READS.values()]
    writes = [["--db", str(path), *(a.format(sample=sample) for a in args)] for args in WRITES.values()]
    backup = ["--db", str(path), "backup", str(writable / "copy.db")]
    results = user_area.run([*reads, *writes, backup])

    for (name, (_, shown)), (code, out, err) in zip(READS.items(), results):
        assert code == 0 and shown in out, (name, code, out, err)
    assert "note: the search index positions_fts was not checked: the file is open read-only" in results[3][2]
    reason = "the file is read-only" if kind == "read-only file" else f"its folder {path.parent} is read-only"
    for name, (code, out, err) in zip(WRITES, results[len(READS) :]):
        assert code == 1, (name, code, out, err)
        assert err.startswith("tracker: ") and err.count("\n") == 1, (name, err)
        assert f"cannot write to {path}: {reason}" in err and "nothing was written" in err, (name, err)
    code, out, err = results[-1]
    assert code == 0 and (writable / "copy.db").exists(), (out, err)
    assert state(path) == before
    assert logical(path) == rows
    assert logical(writable / "copy.db") == rows


def test_a_read_only_file_that_needs_upgrading_is_refused(user_area, monkeypatch):
    path, _ = _read_only_case(user_area, "read-only file")
    before = state(path)
    extra = (LATEST_VERSION + 1, "extra", "ALTER TABLE actors ADD COLUMN motto TEXT NOT NULL DEFAULT '';")
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, extra])
    monkeypatch.setattr(database, "LATEST_VERSION", LATEST_VERSION + 1)
    ((code, out, err),) = user_area.run([["--db", str(path), "list", "actors"]])
    assert code == 1 and err.count("\n") == 1, (code, out, err)
    assert f"needs upgrading from schema {LATEST_VERSION} to {LATEST_VERSION + 1}" in err
    assert "read-only" in err and "open a copy" in err and "untouched" in err
    assert state(path) == before


def test_an_empty_read_only_file_and_a_new_file_in_a_read_only_folder(user_area):
    folder = user_area.folder("ro")
    empty = folder / "empty.db"
    empty.touch()
    user_area.own(empty)
    empty.chmod(0o444)
    folder.chmod(0o555)
    before = state(empty)
    (code, _, err), (code2, _, err2) = user_area.run(
        [["--db", str(empty), "add", "actor", "X"], ["--db", str(folder / "new.db"), "add", "actor", "X"]]
    )
    assert code == 1 and "it is empty" in err and "read-only" in err, err
    assert code2 == 1 and f"cannot create {folder / 'new.db'}: the folder {folder} is read-only" in err2, err2
    assert state(empty) == before


# ---------------------------------------------------------------------- a full disk


def fill_disk(conn: sqlite3.Connection) -> None:
    """The file may not grow by a single page: what a full disk does to a write."""
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    conn.execute(f"PRAGMA max_page_count = {pages}")


LONG = "word " * 4000  # needs pages of its own

WRITES_ON_A_FULL_DISK = {
    "add position": lambda s: s.add_position(actor="macron", question="ground-troops", stance="open", date="2025", quote=LONG),
    "edit position": lambda s: s.update_position(1, quote=LONG),
    "add actor": lambda s: s.add_actor("Somebody", aliases=[f"{LONG[:300]} {i}" for i in range(40)]),
    "add question": lambda s: s.add_question("A long question", description=LONG),
    "import": lambda s: import_records(s, jsonl.read_records(iter(jsonl_text(
        [{"type": "actor", "slug": f"a{i}", "name": f"Actor {i}", "aliases": [LONG[:200]]} for i in range(300)]
    ).splitlines(keepends=True)))),
}  # fmt: skip


@pytest.mark.parametrize("write", list(WRITES_ON_A_FULL_DISK))
def test_a_full_disk_writes_nothing_and_says_so(write, tmp_path):
    path = current_file(tmp_path / "tracker.db")
    rows = logical(path)
    with Store.open(path) as store:
        fill_disk(store.conn)
        with pytest.raises(TrackerError) as err:
            WRITES_ON_A_FULL_DISK[write](store)
        assert str(err.value) == f"cannot write to {path}: the disk is full; nothing was written"
        assert not store.conn.in_transaction
        assert logical(path) == rows
        store.conn.execute("PRAGMA max_page_count = 1073741823")  # room again: the same write works
        WRITES_ON_A_FULL_DISK[write](store)
        assert store.check() == []
    assert logical(path) != rows


@pytest.mark.parametrize(
    "args",
    [
        ["add", "position", "--actor", "macron", "--question", "ground-troops", "--stance", "open", "--date", "2025", "--quote", LONG],
        ["add", "actor", "Somebody", *(a for i in range(40) for a in ("--alias", f"{LONG[:300]} {i}"))],
        ["import", "{sample}"],
    ],
    ids=["add position", "add actor", "import"],
)
def test_a_full_disk_through_the_command_line(args, tmp_path, monkeypatch):
    path = current_file(tmp_path / "tracker.db")
    sample = tmp_path / "sample.jsonl"
    sample.write_text(jsonl_text([{"type": "question", "slug": f"q{i}", "title": f"Q {i} {LONG[:500]}"} for i in range(200)]))
    before, rows = state(path), logical(path)
    configure = database.configure

    def configure_on_a_full_disk(conn):
        configure(conn)
        fill_disk(conn)

    monkeypatch.setattr(database, "configure", configure_on_a_full_disk)
    done = invoke(path, *(a.format(sample=sample) for a in args))
    assert_one_line_error(done, f"cannot write to {path}: the disk is full; nothing was written")
    assert state(path) == before
    assert logical(path) == rows


def test_an_upgrade_on_a_full_disk_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = current_file(tmp_path / "tracker.db")
    before = state(path)
    grow = (LATEST_VERSION + 1, "grow", "ALTER TABLE positions ADD COLUMN extra TEXT;\nUPDATE positions SET extra = quote || quote || quote;")
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, grow])
    monkeypatch.setattr(database, "LATEST_VERSION", LATEST_VERSION + 1)
    configure = database.configure

    def configure_on_a_full_disk(conn):
        configure(conn)
        fill_disk(conn)

    monkeypatch.setattr(database, "configure", configure_on_a_full_disk)
    assert_one_line_error(
        invoke(path, "list", "actors"), f"cannot upgrade the file to schema {LATEST_VERSION + 1} (grow): the disk is full", "left as it was"
    )
    assert state(path) == before


def test_a_backup_onto_a_full_disk_leaves_no_partial_copy(tmp_path, monkeypatch):
    path = current_file(tmp_path / "tracker.db")
    dest = tmp_path / "backups" / "copy.db"
    dest.parent.mkdir()
    connect = sqlite3.connect

    def connect_to_a_full_disk(target, *args, **kwargs):
        conn = connect(target, *args, **kwargs)
        if ".tracker-partial" in str(target):
            conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect_to_a_full_disk)
    assert_one_line_error(invoke(path, "backup", str(dest)), f"cannot write {dest}: the disk is full")
    assert list(dest.parent.iterdir()) == []
