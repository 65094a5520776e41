"""Export and backup write through a fresh, exclusively created temporary file (issue 16, item 1);
commands that only read never create a database file."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.errors import TrackerError
from tracker.formats import output
from tracker.store import Store

ENV = {"COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}


def invoke(path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(path), *args], env=ENV)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "victim.db"
    for args in (("add", "actor", "Emmanuel Macron", "--slug", "macron"), ("add", "question", "Ground troops", "--slug", "troops")):
        assert invoke(path, *args).exit_code == 0
    assert invoke(path, "add", "position", "--actor", "macron", "--question", "troops", "--stance", "not-excluded", "--date", "2024-02-26").exit_code == 0
    return path


def _sound(path: Path) -> None:
    done = invoke(path, "check")
    assert done.exit_code == 0 and "ok (1 positions)" in done.output, done.output


def test_a_link_planted_at_the_old_partial_name_does_not_redirect_an_export(db, tmp_path):
    before = db.read_bytes()
    (tmp_path / ".x.md.partial").symlink_to(db)
    done = invoke(db, "export", "markdown", "-o", str(tmp_path / "x.md"))
    assert done.exit_code == 0, done.output
    assert db.read_bytes() == before
    _sound(db)
    assert "Ground troops" in (tmp_path / "x.md").read_text()
    assert not (tmp_path / "x.md").is_symlink()


def test_a_link_planted_at_an_old_backup_partial_name_does_not_redirect_a_backup(db, tmp_path, monkeypatch):
    victim = tmp_path / "other.txt"
    victim.write_text("precious")
    # The old name was .NAME.<8 hex>.partial: make it predictable and plant a link there.
    import uuid

    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=0))
    (tmp_path / ".copy.db.00000000.partial").symlink_to(victim)
    done = invoke(db, "backup", str(tmp_path / "copy.db"))
    assert done.exit_code == 0, done.output
    assert victim.read_text() == "precious"
    _sound(tmp_path / "copy.db")
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name and not p.is_symlink()]


def test_a_link_at_the_export_target_itself_is_replaced_not_followed(db, tmp_path):
    # Chosen: replace the link with a regular file (what a rename does), never write through it:
    # a link at the target may have been planted to point at the database or any file of the user.
    victim = tmp_path / "notes.txt"
    victim.write_text("precious")
    target = tmp_path / "x.jsonl"
    target.symlink_to(victim)
    done = invoke(db, "export", "jsonl", "-o", str(target))
    assert done.exit_code == 0, done.output
    assert victim.read_text() == "precious"
    assert not target.is_symlink() and target.is_file()
    assert '"macron"' in target.read_text()


def test_a_link_at_the_backup_target_is_refused_and_not_followed(db, tmp_path):
    victim = tmp_path / "gone.db"  # a dangling link: the old check (exists()) let it through
    target = tmp_path / "copy.db"
    target.symlink_to(victim)
    done = invoke(db, "backup", str(target))
    assert done.exit_code == 1 and "already exists" in done.output
    assert target.is_symlink() and not victim.exists()


def test_two_exports_to_one_target_at_once_leave_one_complete_file(tmp_path, monkeypatch):
    target = tmp_path / "x.txt"
    started = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(letter: str):
        def write(out):
            started.wait(timeout=5)
            for _ in range(200):
                out.write(letter * 100 + "\n")
                out.flush()
                time.sleep(0.0005)
            return 200
        return write

    def run(letter: str) -> None:
        try:
            output.write_file(target, writer(letter))
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run, args=(c,)) for c in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    text = target.read_text()
    assert text in (("a" * 100 + "\n") * 200, ("b" * 100 + "\n") * 200)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old), follow_symlinks=False)


def test_stale_partials_of_ours_are_cleaned_and_nothing_else(db, tmp_path):
    stale = tmp_path / ".report.md.abcd_123.tracker-partial"
    stale_journal = tmp_path / ".copy.db.zz99yy88.tracker-partial-journal"
    fresh = tmp_path / ".report.md.efgh4567.tracker-partial"
    foreign = tmp_path / ".report.md.partial"
    lookalike = tmp_path / ".report.md.abcd1234.tracker-partial.bak"
    victim = tmp_path / "kept.txt"
    victim.write_text("keep")
    link = tmp_path / ".link.md.abcd1234.tracker-partial"
    link.symlink_to(victim)
    for p in (stale, stale_journal, fresh, foreign, lookalike):
        p.write_text("x")
    for p in (stale, stale_journal, foreign, lookalike, link):
        _age(p, 2 * 3600)
    _age(fresh, 60)
    assert invoke(db, "export", "markdown", "-o", str(tmp_path / "report.md")).exit_code == 0
    assert not stale.exists() and not stale_journal.exists()
    assert fresh.exists() and foreign.exists() and lookalike.exists()
    assert link.is_symlink() and victim.read_text() == "keep"


def test_a_backup_cleans_a_stale_partial_left_by_a_killed_backup(db, tmp_path):
    stale = tmp_path / ".copy.db.k1ll3d9x.tracker-partial"
    stale.write_bytes(b"\0" * 4096)
    _age(stale, 2 * 3600)
    assert invoke(db, "backup", str(tmp_path / "copy2.db")).exit_code == 0
    assert not stale.exists()
    _sound(tmp_path / "copy2.db")


def test_an_export_that_fails_midway_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "x.md"
    target.write_text("old report")

    def write(out):
        out.write("half of a new report")
        raise OSError(28, "No space left on device")

    with pytest.raises(TrackerError, match="No space left on device"):
        output.write_file(target, write)
    assert target.read_text() == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]


def test_a_backup_that_fails_midway_leaves_no_partial(db, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    dest = tmp_path / "backups"
    dest.mkdir()
    done = invoke(db, "backup", str(dest / "copy.db"))
    assert done.exit_code == 1 and "Input/output error" in done.output
    assert list(dest.iterdir()) == []


def test_the_written_file_gets_the_mode_of_a_new_file(db, tmp_path):
    old = os.umask(0o027)
    try:
        assert invoke(db, "export", "csv", "-o", str(tmp_path / "x.csv")).exit_code == 0
        assert invoke(db, "backup", str(tmp_path / "b.db")).exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "x.csv").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "b.db").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("args", [("check",), ("list", "actors"), ("list", "positions"), ("search", "x"), ("export", "jsonl"), ("timeline",)])
def test_reading_commands_never_create_a_database(tmp_path, args):
    path = tmp_path / "missing.db"
    done = invoke(path, *args)
    assert done.exit_code == 1, done.output
    assert done.stderr == f"tracker: no database at {path}; `tracker add` or `tracker import` creates one\n"
    assert list(tmp_path.iterdir()) == []


def test_check_refuses_an_emptied_file_rather_than_making_a_new_database(tmp_path):
    path = tmp_path / "victim.db"
    path.write_bytes(b"")
    done = invoke(path, "check")
    assert done.exit_code == 1 and "is empty, not a database yet" in done.stderr
    assert path.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["victim.db"]


def test_writing_commands_still_create_the_file(tmp_path):
    path = tmp_path / "new.db"
    assert invoke(path, "add", "actor", "Someone").exit_code == 0
    assert invoke(path, "list", "actors").exit_code == 0


def test_store_open_without_create_does_not_create(tmp_path):
    with pytest.raises(TrackerError, match="no database at"):
        Store.open(tmp_path / "x.db", create=False)
    assert list(tmp_path.iterdir()) == []


def test_a_refused_import_or_a_dry_run_leaves_no_new_database(tmp_path):
    """Issue 16, item 8: a failed import into a new file left an empty database behind."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "actor", "slug": "a", "name": "A"}\n{"type": "position", "actor": "zz"}\n', encoding="utf-8")
    good = tmp_path / "good.jsonl"
    good.write_text('{"type": "actor", "slug": "a", "name": "A"}\n', encoding="utf-8")
    for args in (["import", str(bad)], ["import", "--dry-run", str(good)], ["import", "--dry-run", str(bad)]):
        db = tmp_path / "new.db"
        done = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert done.exit_code in (0, 1), done.output
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "good.jsonl"], args
    # An import that succeeds creates the file; a refused one into an existing file leaves it as it was.
    db = tmp_path / "new.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "import", str(good)]).exit_code == 0
    before = db.read_bytes()
    assert CliRunner().invoke(cli, ["--db", str(db), "import", str(bad)]).exit_code == 1
    assert db.exists() and db.read_bytes() == before


@pytest.mark.parametrize("command", [["list", "actors"], ["add", "actor", "X"], ["check"]])
def test_a_device_is_not_taken_for_a_database(tmp_path, command):
    """Issue 16, item 8: --db /dev/null left /dev/null-journal behind (SQLite's journal beside the device)."""
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null here")
    existed = os.path.exists("/dev/null-journal")
    done = CliRunner().invoke(cli, ["--db", "/dev/null", *command])
    assert done.exit_code == 1 and "is not a regular file" in done.output
    assert os.path.exists("/dev/null-journal") == existed
