"""A database from someone else may carry its own code and a schema that is not ours
(issue 16, item 3, and the schema version of item 4).

Its schema is compared with the one its version should have: a trigger that is not
ours refuses the file for every command, naming it, with nothing written; an object of
ours missing or changed refuses it for every command but ``check``, which says what to
do; the user's own tables, views and indexes are allowed, and ``check`` lists them. A
schema version that is not a whole number is one line, never a TypeError. A statement
that runs away is interrupted with a message (``database.time_limit``).
"""

from __future__ import annotations

import gzip
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli, interface
from tracker.errors import StoreError
from tracker.store import Store, database, schema
from tracker.store.database import LATEST_VERSION, read_only_uri, time_limit

from conftest import jsonl_text, SAMPLE_RECORDS
from fixture_helpers import FIXTURES, unpack

ENV = {"COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}

REWRITE = (
    "CREATE TRIGGER positions_rewrite AFTER INSERT ON positions BEGIN"
    " UPDATE positions SET level_id = (SELECT max(id) FROM levels) WHERE id = new.id;"
    " DELETE FROM revisions WHERE row_uid = new.uid; END"
)
COMMANDS = {
    "list": ["list", "actors"],
    "add actor": ["add", "actor", "Someone"],
    "add position": ["add", "position", "--actor", "france", "--question", "ground-troops", "--stance", "reluctant", "--date", "2025"],
    "import": ["import", "{sample}"],
    "export": ["export", "jsonl"],
    "backup": ["backup", "{backup}"],
    "search": ["search", "troops"],
    "tui": ["tui"],
}  # fmt: skip


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A current file with the sample rows, in a folder of its own, closed (no -wal beside it)."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "tracker.db"
    sample = tmp_path / "seed.jsonl"
    sample.write_text(jsonl_text(SAMPLE_RECORDS), encoding="utf-8")
    done = CliRunner().invoke(cli, ["--db", str(path), "import", str(sample)], env=ENV)
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in folder.iterdir()) == ["tracker.db"]
    return path


def edit(path: Path, *statements: str) -> None:
    """Another program's edits, through a plain connection."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def state(path: Path) -> tuple:
    """The bytes, the modification time, and what is in the folder."""
    return sorted(p.name for p in path.parent.iterdir()), path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture(autouse=True)
def in_a_terminal(monkeypatch):
    """``tui`` runs here with no terminal: its check for one (tests/test_hangup.py) is left
    out, as if in one, so that what it says of the file is what a person would see."""
    monkeypatch.setattr(interface, "need_terminal", lambda: None)


def invoke(path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(path), *args], env=ENV)


def run_args(path: Path, tmp_path: Path, command: str) -> list[str]:
    sample = tmp_path / "sample.jsonl"
    sample.write_text('{"type": "actor", "slug": "x", "name": "X"}\n', encoding="utf-8")
    return [a.format(sample=sample, backup=tmp_path / "copy.db") for a in COMMANDS[command]]


def one_line(done, *fragments: str) -> str:
    assert done.exit_code == 1, (done.exit_code, done.output, done.exception)
    assert isinstance(done.exception, SystemExit), done.exception
    err = done.stderr
    assert err.startswith("tracker: ") and err.count("\n") == 1, repr(err)
    assert "Traceback" not in done.output
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def check(path: Path) -> tuple[int, list[str], list[str], list[str]]:
    """Exit code, problems, what to do, notes."""
    done = invoke(path, "check")
    assert "Traceback" not in done.output and (done.exception is None or isinstance(done.exception, SystemExit)), done.output
    lines = done.stderr.splitlines()
    pick = lambda prefix: [line.removeprefix(prefix) for line in lines if line.startswith(prefix)]  # noqa: E731
    return done.exit_code, pick("problem: "), pick("what to do: "), pick("note: ")


def run_advice(advice: str) -> None:
    """Run the sqlite3 command an advice ends with, as a person would paste it."""
    command = advice[advice.index("sqlite3 ") :]
    subprocess.run(shlex.split(command), check=True, capture_output=True)


def positions_stances(path: Path) -> list[tuple]:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return conn.execute("SELECT uid, level_id FROM positions ORDER BY id").fetchall()
    finally:
        conn.close()


# ---------------------------------------------------------------------- a trigger that is not ours


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_trigger_that_is_not_ours_refuses_the_file_naming_it(path, tmp_path, command):
    edit(path, REWRITE)
    before = state(path)
    err = one_line(
        invoke(path, *run_args(path, tmp_path, command)),
        f"{path} has a trigger that Position Tracker did not make (positions_rewrite, on positions):",
        "a trigger runs its own code on every write, so the file was not opened.",
        f'Remove it with: sqlite3 {path} "DROP TRIGGER positions_rewrite"',
    )
    assert state(path) == before, err
    assert not (tmp_path / "copy.db").exists()


def test_check_names_the_trigger_and_its_removal_mends_the_file(path):
    edit(path, REWRITE)
    before = state(path)
    code, problems, advice, notes = check(path)
    assert code == 1
    assert problems == [
        "the trigger positions_rewrite (on positions) was not made by Position Tracker: it runs its own code on every write"
    ]
    assert advice == [f'remove it with: sqlite3 {path} "DROP TRIGGER positions_rewrite"']
    assert state(path) == before  # opened read-only, not upgraded
    run_advice(advice[0])
    assert check(path)[0] == 0
    stances = positions_stances(path)
    done = invoke(path, "add", "position", "--actor", "france", "--question", "ground-troops", "--stance", "reluctant", "--date", "2025")
    assert done.exit_code == 0, done.output
    assert positions_stances(path)[: len(stances)] == stances


def test_a_trigger_of_ours_with_other_code_is_not_ours(path):
    edit(
        path,
        "DROP TRIGGER positions_fts_insert",
        "CREATE TRIGGER positions_fts_insert AFTER INSERT ON positions BEGIN"
        " INSERT INTO positions_fts(rowid, quote, paraphrase, context, notes) VALUES (new.id, new.quote, new.paraphrase, new.context, new.notes);"
        " UPDATE positions SET quote = 'rewritten' WHERE id = new.id; END",
    )
    before = state(path)
    one_line(invoke(path, "list", "actors"), "(positions_fts_insert, on positions)", "DROP TRIGGER positions_fts_insert")
    assert state(path) == before


def test_several_triggers_are_named_together(path):
    edit(path, REWRITE, "CREATE TRIGGER actors_spy AFTER INSERT ON actors BEGIN SELECT 1; END")
    one_line(
        invoke(path, "list", "actors"),
        "has triggers that Position Tracker did not make (",
        "actors_spy, on actors",
        "positions_rewrite, on positions",
        "Remove them with:",
    )


def test_a_recursive_trigger_cannot_make_a_command_hang(path):
    # With recursive triggers on, this one never ends: `tracker add actor` hung.
    edit(path, "CREATE TRIGGER actors_again AFTER INSERT ON actors BEGIN INSERT INTO actors(uid, slug, name, created_at, updated_at)"
         " SELECT new.uid || 'x', new.slug || 'x', new.name, new.created_at, new.updated_at; END")  # fmt: skip
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(path), "add", "actor", "Someone"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert time.monotonic() - start < 30
    assert proc.returncode == 1 and "(actors_again, on actors)" in proc.stderr, proc.stderr


def test_an_old_file_with_a_trigger_that_is_not_ours_is_not_upgraded(tmp_path):
    path = unpack(1, tmp_path)
    edit(path, "PRAGMA journal_mode = DELETE", REWRITE)
    before = state(path)
    one_line(invoke(path, "add", "actor", "Someone"), "(positions_rewrite, on positions)")
    assert state(path) == before  # no migration, no -wal
    code, problems, _, _ = check(path)
    assert code == 1 and problems[0].startswith("the trigger positions_rewrite (on positions)")
    assert state(path) == before


# ---------------------------------------------------------------------- objects of ours missing or changed

BROKEN = {
    "search table dropped": (
        ["DROP TABLE positions_fts"],
        "is missing search table positions_fts,",
        "the search table positions_fts is missing: searching cannot work",
        "only search is affected, the data is intact; make the index positions_fts again with: sqlite3 ",
    ),
    "index dropped": (
        ["DROP INDEX positions_source"],
        "is missing index positions_source,",
        "the index positions_source is missing",
        "an index is a copy of its table's rows, which are intact; make it again with: sqlite3 ",
    ),
    "log trigger dropped": (
        ["DROP TRIGGER positions_log_delete"],
        "is missing trigger positions_log_delete,",
        "the trigger positions_log_delete is missing",
        "the program relies on it (to keep the search index or the revision log); make it again with: sqlite3 ",
    ),
    "column dropped": (
        ["ALTER TABLE revisions DROP COLUMN origin"],
        "has a changed table revisions",
        "the table revisions differs from the one Position Tracker makes",
        "the file was changed by another program: restore it from a backup",
    ),
    "column added": (
        ["ALTER TABLE actors ADD COLUMN motto TEXT"],
        "has a changed table actors",
        "the table actors differs from the one Position Tracker makes",
        "the file was changed by another program: restore it from a backup",
    ),
}  # fmt: skip


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_object_of_ours_missing_refuses_every_command_but_check(path, tmp_path, command):
    edit(path, "DROP TABLE positions_fts")
    before = state(path)
    one_line(
        invoke(path, *run_args(path, tmp_path, command)),
        f"{path} is missing search table positions_fts, which Position Tracker needs, so it was not opened",
        f"`tracker --db {path} check` says what to do",
    )
    assert state(path) == before
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("case", list(BROKEN))
def test_check_says_what_is_missing_or_changed_and_what_to_do(path, case):
    statements, refusal, problem, advice_start = BROKEN[case]
    edit(path, *statements)
    before = state(path)
    one_line(invoke(path, "list", "actors"), refusal, "check` says what to do")
    code, problems, advice, notes = check(path)
    assert code == 1
    assert problems == [problem]
    assert len(advice) == 1 and advice[0].startswith(advice_start), advice
    assert "rows, foreign keys and search indexes were not checked: the schema is not the one Position Tracker makes" in notes
    assert state(path) == before
    if "restore it from a backup" not in advice_start:
        run_advice(advice[0])
        assert check(path)[0] == 0, check(path)
        assert invoke(path, "search", "troops").exit_code == 0


def test_a_dropped_search_table_rebuilt_as_advised_finds_again(path):
    found = invoke(path, "search", "--json", "troops").stdout
    edit(path, "DROP TABLE positions_fts")
    run_advice(check(path)[2][0])
    assert invoke(path, "search", "--json", "troops").stdout == found


# ---------------------------------------------------------------------- the user's own additions


def test_the_users_own_tables_views_and_indexes_are_allowed_and_listed(path):
    edit(
        path,
        "CREATE TABLE my_notes(id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT UNIQUE)",
        "CREATE VIEW latest_fr AS SELECT * FROM positions ORDER BY date_start DESC",
        "CREATE INDEX my_positions_notes ON positions(notes)",
    )
    done = invoke(path, "list", "actors")
    assert done.exit_code == 0, done.output
    done = invoke(path, "add", "actor", "Someone")
    assert done.exit_code == 0, done.output
    code, problems, _, notes = check(path)
    assert code == 0 and problems == []
    assert "your own additions, left alone: table my_notes, view latest_fr, index my_positions_notes" in notes


# ---------------------------------------------------------------------- the schema version

VERSIONS = {"text": "'2'", "float": "2.5", "null": "NULL", "words": "'two'"}


@pytest.mark.parametrize("value", list(VERSIONS))
def test_a_schema_version_that_is_not_a_whole_number_is_one_line(path, value):
    edit(
        path,
        "ALTER TABLE schema_migrations RENAME TO old_migrations",
        "CREATE TABLE schema_migrations(version, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        "INSERT INTO schema_migrations SELECT * FROM old_migrations",
        "DROP TABLE old_migrations",
        f"INSERT INTO schema_migrations VALUES ({VERSIONS[value]}, 'odd', 'x')",
    )
    before = state(path)
    for args in (["list", "actors"], ["add", "actor", "Someone"]):
        one_line(invoke(path, *args), f"{path} has a schema version Position Tracker cannot read (it holds", "left untouched", "`tracker check`")
    code, problems, advice, _ = check(path)
    assert code == 1 and len(problems) == 1 and problems[0].startswith("the schema version in schema_migrations cannot be read (it holds ")
    assert advice == ["the table schema_migrations was changed by another program: restore the file from a backup"]
    assert state(path) == before
    with pytest.raises(StoreError, match="cannot read"):
        Store.open(path)


# ---------------------------------------------------------------------- a statement that runs away

RUNAWAY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_a_statement_that_runs_away_is_interrupted_with_a_message():
    conn = sqlite3.connect(":memory:")
    start = time.monotonic()
    with pytest.raises(StoreError) as err:
        with time_limit(conn, 0.2, "counting for ever"):
            conn.execute(RUNAWAY).fetchone()
    assert time.monotonic() - start < 5
    message = str(err.value)
    assert message.startswith("stopped counting for ever: it ran for longer than 0.2 s") and "\n" not in message
    assert "nothing was written" in message
    # The limit ends with the block: the connection works as before.
    assert conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) FROM n").fetchone() == (300000,)


def test_a_time_limit_leaves_other_errors_and_quick_statements_alone():
    conn = sqlite3.connect(":memory:")
    with time_limit(conn, 5, "reading"):
        assert conn.execute("SELECT 1").fetchone() == (1,)
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        with time_limit(conn, 5, "reading"):
            conn.execute("SELECT * FROM missing_table")


def test_a_write_interrupted_by_the_limit_rolls_back(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="stopped filling t"):
        with time_limit(conn, 0.2, "filling t"):
            conn.execute(f"INSERT INTO t {RUNAWAY.replace('count(*)', 'i')}")
    assert not conn.in_transaction  # SQLite rolled the whole transaction back
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


# ---------------------------------------------------------------------- trusted_schema, and the cost


def test_connections_distrust_the_schema_where_sqlite_allows_ours_to_work(path):
    with Store.open(path) as store:
        trusted = store.conn.execute("PRAGMA trusted_schema").fetchone()[0]
        assert trusted == (0 if database.trusted_schema_off_works() else 1)
        assert store.count_positions() > 0 and store.questions()
    if not database.trusted_schema_off_works():
        # This SQLite would refuse Position Tracker's own schema with trusted_schema off.
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA trusted_schema = OFF")
        with pytest.raises(sqlite3.DatabaseError, match="unsafe use of json_valid"):
            conn.execute("SELECT count(*) FROM questions").fetchone()
        conn.close()


def test_the_expected_schema_is_made_once_and_matches_a_new_file(path):
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        diff = schema.compare(conn, LATEST_VERSION)
    finally:
        conn.close()
    assert diff == schema.Differences()
    assert schema.expected(LATEST_VERSION) is schema.expected(LATEST_VERSION)


def test_the_saved_newest_schema_is_the_one_the_migrations_make():
    """The newest schema is read from db/migrations/latest_schema.json (its build took 9 ms of
    every start) only when it was saved from these migrations; after a new one, run
    tests/fixtures/make_fixtures.py."""
    from tracker.store.database import MIGRATIONS

    saved = schema._saved(MIGRATIONS)
    assert saved is not None, "db/migrations/latest_schema.json is missing or stale: run tests/fixtures/make_fixtures.py"
    assert saved == schema.built(LATEST_VERSION)
    assert schema._saved(MIGRATIONS[:-1]) is None  # saved from other migrations: not used


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("schema-*.db.gz")))
def test_every_old_version_has_the_schema_its_version_should_have(fixture, tmp_path):
    path = tmp_path / "old.db"
    path.write_bytes(gzip.decompress((FIXTURES / fixture).read_bytes()))
    version = int(fixture.split("-")[1].split(".")[0])
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        assert schema.compare(conn, version) == schema.Differences()
    finally:
        conn.close()
