"""Reading a read-only copy while another program writes it never reports damage
(issue 16, item 6).

A file with no ``-wal`` beside it was read as immutable (``immutable=1``): SQLite then
takes no lock and ignores other programs' writes, so a write landing in the middle of a
read made "the file is damaged ... restore it from a backup". Now a file is read with
SQLite's locks wherever it can change (``database.reading_uri``), and the ``-wal`` and
``-shm`` a read-only connection makes are removed when it closes.

Each test runs a writer in another process (root, the file's owner, which may write a
file whatever its mode) that rewrites rows and the schema in small transactions, each
closing its connection (so that no ``-wal`` stays between them, which is when the file
was read as immutable), while this process reads it again and again.
"""

from __future__ import annotations

import os
import pickle
import pwd
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.errors import StoreError
from tracker.store import Store, database, integrity, schema  # noqa: F401 - imported before giving up root

from conftest import SAMPLE_RECORDS, jsonl_text

ENV = {"COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}
READ_FOR_S = 2.5

WRITER = r"""
import random, sqlite3, sys, time
path, stop = sys.argv[1], float(sys.argv[2])
rng = random.Random(1)
n = 0
while time.monotonic() < stop:
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA journal_mode = WAL")
    with conn:
        conn.execute(f"CREATE TABLE writer_{n % 3}(x)")  # the schema changes: sqlite_master's pages
        conn.execute(f"DROP TABLE IF EXISTS writer_{(n + 1) % 3}")
        conn.execute("UPDATE positions SET notes = ? WHERE id % 2 = ?", ("x" * rng.randrange(10, 3000), n % 2))
        conn.execute("DELETE FROM revisions WHERE id > (SELECT min(id) + 100 FROM revisions)")
        conn.executemany("INSERT INTO positions_fts(positions_fts, rank) VALUES ('merge', ?)", [(1,)])
    if n % 2:
        conn.execute("VACUUM")  # every page moves: the checkpoint rewrites the whole file
    conn.close()  # the last connection: checkpoints into the file and removes the -wal
    n += 1
    time.sleep(0.02)  # a moment with no -wal: a reader opening now read the file as immutable
print(n)
"""


def make_file(folder: Path) -> Path:
    path = folder / "tracker.db"
    sample = folder.parent / "seed.jsonl"
    records = [dict(r) for r in SAMPLE_RECORDS]
    for i in range(1500):  # enough rows for pages to split and move
        records.append({"type": "position", "actor": "germany", "question": "ground-troops", "stance": "ruled-out",
                        "date": f"2020-01-{1 + i % 28:02d}", "paraphrase": f"row {i} " + "word " * 60})  # fmt: skip
    sample.write_text(jsonl_text(records), encoding="utf-8")
    done = CliRunner().invoke(cli, ["--db", str(path), "import", str(sample)], env=ENV)
    assert done.exit_code == 0, done.output
    return path


def read_again_and_again(path: Path, seconds: float) -> list[str]:
    """What went wrong reading the file, each time it was opened and read in full."""
    errors, reads = [], 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            # As the interface does: one connection, read again and again for a while.
            with Store.open(path, create=False) as store:
                for _ in range(5):
                    store.count_positions()
                    for _ in store.conn.execute("SELECT * FROM positions ORDER BY date_start"):
                        pass
                    store.questions()
                    reads += 1
        except StoreError as e:
            errors.append(str(e))
        except sqlite3.DatabaseError as e:  # what the interface would show
            errors.append(f"{type(e).__name__}: {e}")
        time.sleep(0.015)  # as a person runs commands: now and then the writer is alone, and removes its -wal
    return errors if reads else [*errors, "no read finished"]


def start_writer(path: Path, seconds: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(time.monotonic() + seconds)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def finish(writer: subprocess.Popen) -> int:
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    return int(out)


def test_a_read_only_copy_read_while_another_program_writes_it_is_never_called_damaged(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = make_file(folder)
    path.chmod(0o444)  # a read-only copy (which its owner, or root, may still write)
    writer = start_writer(path, READ_FOR_S)
    try:
        errors = read_again_and_again(path, READ_FOR_S)
    finally:
        writes = finish(writer)
    assert writes > 5
    assert errors == [], errors[:3]
    assert sorted(p.name for p in folder.iterdir()) == ["tracker.db"]


@pytest.fixture
def nobody():
    if os.geteuid() != 0:
        pytest.skip("needs root: the writer must be able to write a file the reader may not")
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no 'nobody' user")


def as_nobody(user, work) -> object:
    """``work()`` run in a forked child that has given up root for ``nobody``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            result = work()
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            result = repr(e)
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
                pytest.fail("the child did not finish")
            chunk = os.read(read, 1 << 16)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(read)
        os.waitpid(pid, 0)
    return pickle.loads(data)


@pytest.fixture
def area(nobody):
    base = Path(tempfile.mkdtemp(prefix="tracker-copy-"))
    if not all(p.stat().st_mode & 0o001 for p in base.resolve().parents):
        shutil.rmtree(base)
        pytest.skip("the temporary folder cannot be entered by 'nobody'")
    base.chmod(0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_user_reading_a_copy_they_may_not_write_while_another_program_writes_it(area, nobody):
    folder = area / "data"
    folder.mkdir()
    path = make_file(folder)
    os.chown(folder, nobody.pw_uid, nobody.pw_gid)  # the user's folder, the user's read-only file
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    path.chmod(0o444)
    CliRunner().invoke(cli, ["--db", str(path), "list", "actors"], env=ENV)  # imports, before giving up root
    writer = start_writer(path, READ_FOR_S)
    try:
        errors = as_nobody(nobody, lambda: read_again_and_again(path, READ_FOR_S))
    finally:
        writes = finish(writer)
    assert writes > 5
    assert errors == [], errors[:3] if isinstance(errors, list) else errors


def test_a_read_only_copy_is_read_and_left_without_wal_or_shm(area, nobody):
    folder = area / "data"
    folder.mkdir()
    path = make_file(folder)
    os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    path.chmod(0o444)
    before = path.read_bytes(), path.stat().st_mtime_ns

    def work():
        runner = CliRunner()
        outs = [runner.invoke(cli, ["--db", str(path), *args], env=ENV) for args in (["list", "actors"], ["check"], ["search", "troops"])]
        return [(o.exit_code, o.stdout, o.stderr) for o in outs], sorted(p.name for p in folder.iterdir())

    results, files = as_nobody(nobody, work)
    assert [code for code, _, _ in results] == [0, 0, 0], results
    assert "Germany" in results[0][1]
    assert files == ["tracker.db"]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_files_another_program_uses_are_left_to_it(area, nobody):
    """A -wal and -shm that another program holds open are not removed under it."""
    folder = area / "data"
    folder.mkdir()
    path = make_file(folder)
    os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    path.chmod(0o444)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM positions').fetchone();"
         " print('open', flush=True); time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        code = as_nobody(nobody, lambda: CliRunner().invoke(cli, ["--db", str(path), "list", "actors"], env=ENV).exit_code)
        assert code == 0
        assert {"tracker.db-wal", "tracker.db-shm"} <= {p.name for p in folder.iterdir()}
    finally:
        holder.kill()
        holder.wait()


CHANGE = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
with conn:
    conn.execute("DELETE FROM positions WHERE id % 3 = 0")
    conn.execute("UPDATE positions SET notes = printf('%.*c', 2000, 'n') WHERE id % 3 = 1")
conn.execute("VACUUM")  # every page moves
conn.close()  # the last connection: checkpoints into the file and removes the -wal
"""


def test_a_change_made_while_a_reader_is_open_is_seen_whole(area, nobody):
    """The reader opens the file when no -wal is beside it (it was then read as immutable,
    and kept reading its old pages mixed with the new ones), another program changes
    every page, then the reader reads again: it sees the new rows, whole."""
    import threading

    folder = area / "data"
    folder.mkdir()
    path = make_file(folder)
    os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    path.chmod(0o444)
    ready, written = folder / "ready", area / "written"

    def work():
        with Store.open(path, create=False) as store:
            first = store.count_positions()
            ready.touch()
            while not written.exists():
                time.sleep(0.01)
            try:
                rows = store.conn.execute("SELECT id, notes FROM positions ORDER BY date_start").fetchall()
                return first, store.count_positions(), len(rows), sum(len(r[1]) for r in rows)
            except (StoreError, sqlite3.DatabaseError) as e:
                return first, f"{type(e).__name__}: {e}"

    def writer():
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        subprocess.run([sys.executable, "-c", CHANGE, str(path)], check=True, timeout=60)
        written.touch()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = as_nobody(nobody, work)
    finally:
        thread.join()
    conn = sqlite3.connect(database.read_only_uri(path), uri=True)
    expected = conn.execute("SELECT count(*), sum(length(notes)) FROM positions").fetchone()
    conn.close()
    assert result[1:] == (expected[0], expected[0], expected[1]), result


# ---------------------------------------------------------------------- a nearly full disk (issue 16, item 8)


@pytest.fixture
def full_disk(tmp_path):
    """A small disk of its own (tmpfs), to be filled; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path) -> None:
    with open(disk / "filler", "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass


def test_reading_on_a_full_disk_works_and_leaves_nothing_behind(full_disk, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = full_disk / "tracker.db"
    path.write_bytes(make_file(folder).read_bytes())
    fill(full_disk)
    before = sorted(p.name for p in full_disk.iterdir()), path.read_bytes(), path.stat().st_mtime_ns
    runner = CliRunner()
    for args in (["list", "actors"], ["search", "troops"], ["check"], ["export", "jsonl"]):
        done = runner.invoke(cli, ["--db", str(path), *args], env=ENV)
        assert done.exit_code == 0, (args, done.output)
        assert "Traceback" not in done.output
    assert "Germany" in runner.invoke(cli, ["--db", str(path), "list", "actors"], env=ENV).stdout
    done = runner.invoke(cli, ["--db", str(path), "add", "actor", "Someone"], env=ENV)
    assert done.exit_code == 1 and done.stderr.count("\n") == 1, done.output
    assert f"cannot write to {path}: the disk holding {path} is full; nothing was written" in done.stderr
    assert (sorted(p.name for p in full_disk.iterdir()), path.read_bytes(), path.stat().st_mtime_ns) == before
