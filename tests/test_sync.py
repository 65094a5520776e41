"""`tracker sync DIR` with real git: a bare repository on disk as the team's remote and
two clones, each with its own SQLite file (see tests/sync_helpers.py)."""

from __future__ import annotations

import subprocess

import pytest

from sync_helpers import BRATISLAVA, SEED, Side, git, git_env, layout_lines, team  # noqa: F401 (git_env is a fixture)

ADD = ["add", "position", "--actor", "germany", "--question", "ground-troops", "--stance", "reluctant"]


def test_first_sync_writes_the_layout_and_the_other_clone_reads_it(git_env):
    _, a, b = team(git_env)
    data = a.clone / "tracker-data"
    names = {p.name for p in data.iterdir()}
    assert names == {"scales.jsonl", "actors.jsonl", "questions.jsonl", "sources.jsonl", "positions", "deleted.jsonl"}
    positions = layout_lines(a, "positions/ground-troops.jsonl")
    assert [(p["date"], p["uid"]) for p in positions] == sorted((p["date"], p["uid"]) for p in positions)
    assert all("updated_at" in p for p in positions)
    actors = layout_lines(a, "actors.jsonl")
    assert [r["uid"] for r in actors] == sorted(r["uid"] for r in actors)
    assert (a.clone / ".gitattributes").read_text().strip() == "tracker-data/** merge=tracker"
    assert "tracker.sync.driver" in git(a.clone, "config", "--local", "merge.tracker.driver")
    # B's file now holds the same data, with the same times: nothing to send back.
    assert b.export() == a.export()
    assert b.files() == a.files()
    assert "out: 0 records committed" in b.sync()


def test_concurrent_adds_are_both_kept(git_env):
    _, a, b = team(git_env)
    assert a.run(*ADD, "--date", "2024-03-01", "--quote", "from A").exit_code == 0
    assert b.run(*ADD, "--date", "2024-03-02", "--quote", "from B").exit_code == 0
    out_a = a.sync()
    assert "out: 1 record committed" in out_a
    out_b = b.sync()
    assert out_b.startswith("in: 1 added, 0 updated, 0 deleted")
    a.sync()
    for side in (a, b):
        quotes = {r[0] for r in side.sql("SELECT quote FROM positions")}
        assert {"from A", "from B"} <= quotes
    assert a.files() == b.files()
    assert not any("<<<<<<<" in text for text in a.files().values())


def test_edits_of_different_fields_are_both_taken(git_env):
    _, a, b = team(git_env)
    assert a.run("edit", SEED, "--quote", "A's quote").exit_code == 0
    assert b.run("edit", SEED, "--notes", "B's note").exit_code == 0
    a.sync()
    assert "conflicts: none" in b.sync()
    a.sync()
    for side in (a, b):
        row = side.position(SEED)
        assert (row["quote"], row["notes"]) == ("A's quote", "B's note")


@pytest.mark.parametrize("later", ["merging side", "side that pushed first"])
def test_the_same_field_edited_on_both_sides_takes_the_later_change_and_keeps_the_other(git_env, later):
    _, a, b = team(git_env)
    assert a.run("edit", SEED, "--quote", "A's quote").exit_code == 0
    assert b.run("edit", SEED, "--quote", "B's quote").exit_code == 0
    # Which change is the later one, whatever the clock did during the test.
    winner, loser = (b, a) if later == "merging side" else (a, b)
    winner.sql("UPDATE positions SET updated_at = '2030-01-01T00:00:00Z' WHERE uid = ?", SEED)
    kept, aside = ("B's quote", "A's quote") if winner is b else ("A's quote", "B's quote")
    a.sync()
    out = b.sync()  # B merges A's push
    assert "conflicts: 1" in out
    assert f"position {SEED}" in out and "quote changed on both sides" in out
    assert f'kept "{kept}"' in out and f'set aside "{aside}"' in out
    assert "conflicts: 1" in a.sync()  # A reads it from B's merge commit
    for side in (a, b):
        assert side.position(SEED)["quote"] == kept
        # The value set aside is in the record's revision history, on both sides.
        befores = [r[0] for r in side.sql(
            "SELECT json_extract(before, '$.quote') FROM revisions WHERE row_uid = ? AND action = 'update'", SEED)]  # fmt: skip
        assert aside in befores
    # Where the kept value was already there, the sync wrote that one revision itself.
    assert winner.sql("SELECT count(*) FROM revisions WHERE row_uid = ? AND origin = 'sync'", SEED) == [(1,)]
    assert a.files() == b.files()
    assert "out: 0 records committed" in b.sync()  # settled


def test_a_deletion_travels_as_a_tombstone(git_env):
    _, a, b = team(git_env)
    assert a.run("delete", BRATISLAVA).exit_code == 0
    a.sync()
    assert [t["uid"] for t in layout_lines(a, "deleted.jsonl")] == [BRATISLAVA]
    assert b.sync().startswith("in: 0 added, 0 updated, 1 deleted")
    assert b.position(BRATISLAVA) == {}
    assert a.files() == b.files()


def test_a_deletion_against_an_edit_keeps_the_edit(git_env):
    _, a, b = team(git_env)
    assert a.run("delete", BRATISLAVA).exit_code == 0
    assert b.run("edit", BRATISLAVA, "--notes", "still true").exit_code == 0
    a.sync()
    out = b.sync()
    assert "deleted on one side, edited on the other; the edit was kept" in out
    assert b.position(BRATISLAVA)["notes"] == "still true"
    out = a.sync()
    assert "the edited position is back" in out
    assert a.position(BRATISLAVA)["notes"] == "still true"
    b.sync()
    a.sync()
    assert a.files() == b.files()
    assert a.export() == b.export()


def test_without_a_remote_sync_keeps_a_local_history(git_env):
    folder = git_env / "alone"
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    side = Side(folder, git_env / "alone.db")
    assert side.run("add", "actor", "Emmanuel Macron", "--kind", "person").exit_code == 0
    out = side.sync()
    assert "committed (" in out and "pushed" not in out
    assert side.run("add", "actor", "Olaf Scholz", "--kind", "person").exit_code == 0
    assert "out: 1 record committed" in side.sync()
    assert len(git(folder, "log", "--oneline").splitlines()) == 2


def test_a_clone_without_identity_commits_as_tracker_sync(git_env, monkeypatch):
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{who}_NAME")
        monkeypatch.delenv(f"GIT_{who}_EMAIL")
    monkeypatch.setenv("EMAIL", "")
    folder = git_env / "alone"
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    Side(folder, git_env / "alone.db").sync()
    assert git(folder, "log", "-1", "--format=%an").strip() == "tracker sync"
    config = subprocess.run(["git", "-C", str(folder), "config", "--local", "--get-regexp", "^user\\."], capture_output=True)
    assert config.stdout == b""  # the identity was for that commit only


# ---------------------------------------------------------------------- bad states: one line, the file unchanged


def _refused(side: Side, *words: str) -> str:
    before = side.sha()
    result = side.run("sync", str(side.clone))
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracker: "), result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]
    assert side.sha() == before  # the SQLite file, byte for byte
    return lines[0]


def test_a_folder_that_is_not_a_clone_is_refused(git_env):
    folder = git_env / "plain"
    folder.mkdir()
    side = Side(folder, git_env / "x.db")
    assert side.run("add", "actor", "Someone").exit_code == 0
    _refused(side, "is not a git clone")
    missing = Side(folder, git_env / "never.db")
    assert missing.run("sync", str(folder)).exit_code == 1
    assert not missing.db.exists()  # no file made for a sync that cannot run


def test_a_dirty_tree_outside_the_dataset_is_refused(git_env):
    _, a, _ = team(git_env)
    (a.clone / "notes.txt").write_text("mine\n")
    assert a.run("edit", SEED, "--quote", "unsent").exit_code == 0
    _refused(a, "changes outside tracker-data/", "notes.txt")


def test_a_refused_push_is_said_and_the_merged_data_is_kept(git_env):
    remote, a, b = team(git_env)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'read-only this week' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert a.run("edit", SEED, "--quote", "pending").exit_code == 0
    result = a.run("sync", str(a.clone))
    assert result.exit_code == 1
    assert "push to origin was refused" in result.output and "run sync again" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_dataset_file_broken_by_hand_is_refused(git_env):
    _, a, b = team(git_env)
    broken = b.clone / "tracker-data" / "actors.jsonl"
    broken.write_text(broken.read_text() + '{"type": "actor", "uid": \n')
    git(b.clone, "commit", "-qam", "by hand")
    git(b.clone, "push", "-q")
    assert a.run("edit", SEED, "--quote", "mine").exit_code == 0
    line = _refused(a, "tracker-data/actors.jsonl line", "not valid JSON", "the file was not changed")
    assert "<<<<<<<" not in line


def test_a_broken_file_that_the_merge_driver_meets_aborts_the_merge(git_env):
    _, a, b = team(git_env)
    broken = b.clone / "tracker-data" / "positions" / "ground-troops.jsonl"
    broken.write_text(broken.read_text() + "<<<<<<< not json\n")
    git(b.clone, "commit", "-qam", "by hand")
    git(b.clone, "push", "-q")
    assert a.run("edit", SEED, "--quote", "mine").exit_code == 0
    _refused(a, "merge with origin/main failed", "not valid JSON", "undone")
    assert git(a.clone, "status", "--porcelain") == ""
    assert "<<<<<<<" not in (a.clone / "tracker-data" / "positions" / "ground-troops.jsonl").read_text()


def test_the_record_writer_keeps_a_records_own_times_and_stamps_now_otherwise(tmp_path):
    from tracker.store import Store
    from tracker.store.upserts import RecordWriter

    actor = {"uid": "00000000-0000-4000-8000-0000000000f1", "uid_given": True, "slug": "x", "name": "X",
             "kind": "person", "country": None, "aliases": []}  # fmt: skip
    with Store.open(tmp_path / "t.db") as store, store.transaction() as conn:
        writer = RecordWriter(conn, now="2026-01-01T00:00:00Z")
        writer.actor(actor | {"updated_at": "2020-05-05T00:00:00Z"})
        writer.flush()
        assert tuple(conn.execute("SELECT created_at, updated_at FROM actors").fetchone()) == (
            "2026-01-01T00:00:00Z", "2020-05-05T00:00:00Z")  # fmt: skip
        writer.actor(actor | {"name": "Y", "updated_at": "2021-06-06T00:00:00Z"})
        assert conn.execute("SELECT updated_at FROM actors").fetchone()[0] == "2021-06-06T00:00:00Z"
        writer.actor(actor | {"name": "Z"})  # as every other caller: the writer's now
        assert conn.execute("SELECT updated_at FROM actors").fetchone()[0] == "2026-01-01T00:00:00Z"


def test_a_pull_made_by_hand_between_syncs_is_read_not_reverted(git_env):
    _, a, b = team(git_env)
    assert a.run("edit", SEED, "--quote", "A's quote").exit_code == 0
    assert a.run(*ADD, "--date", "2024-03-01", "--quote", "new from A").exit_code == 0
    a.sql("UPDATE positions SET updated_at = '2030-01-01T00:00:00Z' WHERE uid = ?", SEED)  # later than B's import
    a.sync()
    git(b.clone, "pull", "-q", "--no-rebase")  # the clone is ahead of B's file
    out = b.sync()
    assert out.startswith("in: 1 added, 1 updated, 0 deleted; out: 0 records committed")
    assert b.position(SEED)["quote"] == "A's quote"
    assert a.files() == b.files()


def test_an_edit_made_in_the_same_second_as_the_last_sync_is_sent_not_undone(git_env):
    _, a, _ = team(git_env)
    [line] = [p for p in layout_lines(a, "positions/ground-troops.jsonl") if p["uid"] == SEED]
    assert a.run("edit", SEED, "--quote", "A").exit_code == 0  # sorts before the old quote
    a.sql("UPDATE positions SET updated_at = ? WHERE uid = ?", line["updated_at"], SEED)  # the same second
    assert "out: 1 record committed" in a.sync()
    assert a.position(SEED)["quote"] == "A"
    assert [p["quote"] for p in layout_lines(a, "positions/ground-troops.jsonl") if p["uid"] == SEED] == ["A"]
