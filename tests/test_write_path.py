"""One write path: every actor, question, source and scale is written by one piece of
code (``tracker/store/upserts.py``), whoever asks: a form, the command line, an import,
a new file. And one mechanism logs revisions: the schema's triggers, whoever writes."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.errors import TrackerError
from tracker.formats.importer import import_records
from tracker.formats.records import check_record
from tracker.store import Store
from tracker.store.upserts import RecordWriter

from conftest import jsonl_text

WIDE = {"COLUMNS": "250", "TERM": "dumb", "NO_COLOR": "1"}
PACKAGE = Path(__file__).resolve().parent.parent / "tracker"
RECORD_TABLES = "actors|actor_aliases|questions|sources|scales"
WRITES_A_RECORD = re.compile(rf"\b(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+({RECORD_TABLES})\b", re.I)
LOG_TRIGGERS = ["actors_log_insert", "positions_log_insert", "questions_log_insert", "sources_log_insert"]


def ok(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], env=WIDE)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def rows(db: Path, table: str, *, without: tuple[str, ...] = ("id", "uid", "created_at", "updated_at")) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [{k: r[k] for k in r.keys() if k not in without} for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]
    finally:
        conn.close()


def revisions(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT table_name, action, row_uid, after FROM revisions ORDER BY id").fetchall()
    finally:
        conn.close()


def log_triggers(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name GLOB '*_log_insert' ORDER BY name")]
    finally:
        conn.close()


# ---------------------------------------------------------------------- written once


def test_records_are_written_by_one_module_only():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "upserts.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITES_A_RECORD.search(line)
    ]
    assert not offenders, "records written outside tracker/store/upserts.py:\n" + "\n".join(offenders)


def test_the_program_writes_no_revision_of_its_own_but_a_value_a_merge_set_aside():
    """Changes are logged by the triggers. The one revision the program writes is a value
    that was never in this file: another clone's, set aside by a team sync's merge (no
    change of a row here can make a trigger log it)."""
    writes = [
        (str(path.relative_to(PACKAGE.parent)), number)
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"INSERT\s+INTO\s+revisions", line, re.I)
    ]
    assert [path for path, _ in writes] == ["tracker/store/dataset.py"]
    source = (PACKAGE / "store" / "dataset.py").read_text(encoding="utf-8").splitlines()
    function = next(line for line in reversed(source[: writes[0][1]]) if line.startswith("def "))
    assert function.startswith("def log_set_aside(")


def test_the_command_line_and_an_import_write_the_same_rows(tmp_path):
    typed, imported = tmp_path / "typed.db", tmp_path / "imported.db"
    ok(typed, "add", "actor", "Germany", "--kind", "government", "--country", "de")
    ok(typed, "add", "actor", "Olaf Scholz", "--kind", "person", "--country", "de", "--parent", "germany",
       "--alias", "Scholz", "--alias", "Bundeskanzler Scholz")  # fmt: skip
    ok(typed, "add", "question", "Taurus missiles for Ukraine", "--slug", "taurus", "--tag", "weapons", "--tag", "Germany")
    ok(typed, "add", "source", "--url", "https://example.org/a", "--title", "Scholz on Taurus", "--outlet", "Example",
       "--published", "26 February 2024", "--language", "de")  # fmt: skip
    records = [
        {"type": "actor", "slug": "germany", "name": "Germany", "kind": "government", "country": "DE"},
        {"type": "actor", "slug": "olaf-scholz", "name": "Olaf Scholz", "kind": "person", "country": "de",
         "parent": "germany", "aliases": ["Scholz", "Bundeskanzler Scholz"]},
        {"type": "question", "slug": "taurus", "title": "Taurus missiles for Ukraine", "tags": ["weapons", "Germany"]},
        {"type": "source", "url": "https://example.org/a", "title": "Scholz on Taurus", "outlet": "Example",
         "published": "2024-02-26", "language": "de"},
    ]  # fmt: skip
    (tmp_path / "records.jsonl").write_text(jsonl_text(records), encoding="utf-8")
    ok(imported, "import", str(tmp_path / "records.jsonl"))
    for table in ("actors", "actor_aliases", "questions", "sources", "scales", "levels"):
        assert rows(typed, table) == rows(imported, table), table
    # What the command line wrote, exported and read back, is what the file already holds.
    ok(typed, "export", "jsonl", "-o", str(tmp_path / "out.jsonl"))
    report = ok(typed, "import", str(tmp_path / "out.jsonl"))
    assert "created" not in report and "updated" not in report, report


def test_a_form_and_an_import_of_the_same_record_meet_on_one_row(tmp_path):
    """An import names a typed actor by its slug and leaves it as it is."""
    db = tmp_path / "t.db"
    with Store.open(db, origin="interface") as store:
        store.add_actor("Emmanuel Macron", slug="macron", kind="person", country="FR", aliases=["Macron"])
        before = rows(db, "actors", without=())
        record = {"type": "actor", "slug": "macron", "name": "Emmanuel Macron", "kind": "person", "country": "FR",
                  "aliases": ["Macron"]}  # fmt: skip
        report = import_records(store, iter([(1, check_record(record))]))
    assert report.counts[("actor", "unchanged")] == 1
    assert rows(db, "actors", without=()) == before


# ---------------------------------------------------------------------- logged by triggers


def test_adding_an_actor_is_one_revision_with_every_field(tmp_path):
    db = tmp_path / "t.db"
    with Store.open(db) as store:
        parent = store.add_actor("Germany", kind="government")
        child = store.add_actor("Olaf Scholz", parent="germany")
    (_, action, uid, after), *rest = [r for r in revisions(db) if r[2] == child.uid]
    assert (action, uid, rest) == ("insert", child.uid, [])
    assert json.loads(after)["parent_id"] == parent.id
    assert json.loads(after) == rows(db, "actors", without=())[1]


def test_a_row_another_program_adds_is_logged(tmp_path):
    db = tmp_path / "t.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO actors(uid, slug, name, created_at, updated_at) VALUES ('u-1', 'nato', 'NATO', '2024', '2024')"
    )
    conn.commit()
    conn.close()
    [(table, action, uid, after)] = revisions(db)
    assert (table, action, uid, json.loads(after)["name"]) == ("actors", "insert", "u-1", "NATO")


def test_an_import_logs_its_edits_but_not_its_creations_and_puts_the_triggers_back(tmp_path):
    db = tmp_path / "t.db"
    first = [{"type": "actor", "slug": "macron", "name": "Macron"}, {"type": "question", "slug": "troops", "title": "Troops"}]
    (tmp_path / "one.jsonl").write_text(jsonl_text(first), encoding="utf-8")
    ok(db, "import", str(tmp_path / "one.jsonl"))
    assert revisions(db) == []
    assert log_triggers(db) == LOG_TRIGGERS
    second = [{"type": "actor", "slug": "macron", "name": "Emmanuel Macron"}]
    (tmp_path / "two.jsonl").write_text(jsonl_text(second), encoding="utf-8")
    ok(db, "import", "--dry-run", str(tmp_path / "two.jsonl"))
    assert revisions(db) == [] and log_triggers(db) == LOG_TRIGGERS
    ok(db, "import", str(tmp_path / "two.jsonl"))
    [(table, action, _, after)] = revisions(db)
    assert (table, action, json.loads(after)["name"]) == ("actors", "update", "Emmanuel Macron")
    assert log_triggers(db) == LOG_TRIGGERS
    ok(db, "add", "actor", "NATO")  # the triggers are back at work
    assert [r[:2] for r in revisions(db)][-1] == ("actors", "insert")
    assert ": ok" in ok(db, "check")


def test_a_failed_import_puts_everything_back_even_its_changes_to_known_rows(tmp_path):
    """sqlite-utils' update runs inside the import's transaction (a savepoint), so a file
    that fails on its last line leaves a changed actor as it was."""
    db = tmp_path / "t.db"
    ok(db, "add", "actor", "Macron", "--slug", "macron")
    before = rows(db, "actors", without=())
    records = [
        {"type": "actor", "slug": "macron", "name": "Emmanuel Macron", "aliases": ["EM"]},
        {"type": "actor", "slug": "scholz", "name": "Olaf Scholz"},
        {"type": "position", "actor": "macron", "question": "nowhere", "stance": "ruled-out", "date": "2024"},
    ]
    (tmp_path / "bad.jsonl").write_text(jsonl_text(records), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(tmp_path / "bad.jsonl")], env=WIDE)
    assert result.exit_code == 1 and "nowhere" in result.stderr
    assert rows(db, "actors", without=()) == before
    assert rows(db, "actor_aliases") == []
    assert log_triggers(db) == LOG_TRIGGERS


def test_record_writes_roll_back_with_the_callers_transaction(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        store.add_actor("Macron", slug="macron")
        with pytest.raises(TrackerError), store.transaction():
            writer = RecordWriter(store.conn)
            writer.actor({"uid": "x", "slug": "macron", "name": "Emmanuel Macron", "kind": "person", "country": None, "aliases": []})
            writer.source({"uid": "s", "url": "https://example.org", "title": "", "outlet": "", "published": None, "language": ""})
            writer.flush()
            raise TrackerError("something after")
        assert store.resolve_actor("macron").name == "Macron"
        assert store.sources() == []


def test_a_slug_or_url_taken_by_another_row_is_refused_in_words(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        store.add_actor("Macron", slug="macron")
        store.add_actor("Scholz", slug="scholz")
        with store.transaction():
            writer = RecordWriter(store.conn)
            scholz = store.resolve_actor("scholz")
            with pytest.raises(TrackerError, match="the slug 'macron' already belongs to another row of actors"):
                writer.actor({"uid": scholz.uid, "uid_given": True, "slug": "macron", "name": "Scholz", "kind": "other",
                              "country": None, "aliases": []})  # fmt: skip
