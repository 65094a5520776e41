"""Old files: a real file of every schema version migrates to the current one without losing a row.

tests/fixtures/ holds, for each schema version, a file made by the code of that
version (``schema-NNNN.db.gz``) and every row it held (``schema-NNNN.json``); see
tests/fixtures/make_fixtures.py. Adding a migration without adding its fixture
fails ``test_every_schema_version_has_a_fixture``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_helpers import FIXTURES, MAKE, fixture_files, unpack
from tracker.cli import cli
from tracker.errors import StoreError
from tracker.store import LATEST_VERSION, Store, database
from tracker.store.database import read_only_uri

VERSIONS = list(range(1, LATEST_VERSION + 1))


def expected(version: int) -> dict:
    _, rows = fixture_files(version)
    assert rows.exists(), f"no fixture for schema version {version}: {MAKE}"
    return json.loads(rows.read_text(encoding="utf-8"))


def schema(path: Path) -> set[tuple]:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def rows(path: Path) -> dict[str, dict[int, dict]]:
    """Every row of every data table (not SQLite's own, not the search indexes), by rowid."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    conn.row_factory = sqlite3.Row
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '%fts%'"
            )
        ]
        return {
            t: {r["__rowid__"]: {k: r[k] for k in r.keys() if k != "__rowid__"} for r in conn.execute(f'SELECT _rowid_ AS __rowid__, * FROM "{t}"')}
            for t in tables
        }
    finally:
        conn.close()


def assert_every_row_kept(path: Path, want: dict) -> None:
    """Each table of the fixture has the same rows, each with its old columns as they were
    (columns a later migration added are not compared); schema_migrations has gained
    the later versions."""
    now = rows(path)
    for table, expected_rows in want["tables"].items():
        assert table in now, f"the table {table} is gone"
        current = list(now[table].values())
        if table == "schema_migrations":
            assert sorted(r["version"] for r in current) == VERSIONS
            current = current[: len(expected_rows)]
        assert len(current) == len(expected_rows), f"{table}: {len(expected_rows)} rows before, {len(current)} after"
        for old, new in zip(expected_rows, current):
            changed = {k: (old[k], new.get(k, "(column gone)")) for k in old if new.get(k, object()) != old[k]}
            assert not changed, f"{table} row {old.get('id')} changed: " + "; ".join(
                f"{k} was {a!r:.60} and is {b!r:.60}" for k, (a, b) in changed.items()
            )


def fresh_file(folder: Path, version: int, monkeypatch) -> Path:
    """A new file made by applying the migrations up to ``version`` only."""
    path = folder / f"fresh-{version}.db"
    with monkeypatch.context() as m:
        m.setattr(database, "MIGRATIONS", database.MIGRATIONS[:version])
        m.setattr(database, "LATEST_VERSION", version)
        database.connect(path).close()
    return path


# ---------------------------------------------------------------------- the fixtures themselves


@pytest.mark.parametrize("version", VERSIONS)
def test_every_schema_version_has_a_fixture(version):
    packed, rows_file = fixture_files(version)
    assert packed.exists() and rows_file.exists(), f"schema version {version} has no fixture: {MAKE}"


def test_no_fixture_is_of_an_unknown_version():
    found = sorted(int(m[1]) for p in FIXTURES.iterdir() if (m := re.fullmatch(r"schema-(\d{4})\.(?:db\.gz|json)", p.name)))
    assert found and set(found) <= set(VERSIONS), found


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_is_the_file_its_version_wrote(version, tmp_path, monkeypatch):
    """Its bytes are those recorded when it was made, and its schema is exactly what
    migrations 1..version make (so an old migration edited later shows up here)."""
    path = unpack(version, tmp_path)
    want = expected(version)
    assert want["version"] == version
    assert hashlib.sha256(path.read_bytes()).hexdigest() == want["sha256"], "the fixture file was changed after it was made"
    assert [r["version"] for r in want["tables"]["schema_migrations"]] == list(range(1, version + 1))
    assert schema(path) == schema(fresh_file(tmp_path, version, monkeypatch))


# ---------------------------------------------------------------------- migrating them


@pytest.mark.parametrize("version", VERSIONS)
def test_old_file_migrates_without_losing_or_changing_a_row(version, tmp_path, monkeypatch):
    path = unpack(version, tmp_path)
    want = expected(version)
    with Store.open(path) as store:
        assert store.check() == []
        hits = {text: sorted([h.kind, h.id] for h in store.search(text, limit=100)) for text in want["searches"]}
        assert hits == want["searches"]
        assert store.count_positions() == len(want["tables"]["positions"])
        assert len(store.positions()) == len(want["tables"]["positions"])

    assert schema(path) == schema(fresh_file(tmp_path, LATEST_VERSION, monkeypatch))
    assert_every_row_kept(path, want)


@pytest.mark.parametrize("version", VERSIONS)
def test_migrated_file_is_usable(version, tmp_path):
    """Written to, logged, and checked again; the command line reads it and exports it
    whole (the export imported into a new file exports the same again)."""
    path = unpack(version, tmp_path)
    want = expected(version)
    with Store.open(path) as store:
        position = store.add_position(actor="macron", question="ground-troops", stance="open", date="2025-01", quote="new")
        assert [r["action"] for r in store.revisions("positions", position.uid)] == ["insert"]
        store.delete_position(position.id)
        assert store.check() == []

    runner = CliRunner()
    done = runner.invoke(cli, ["--db", str(path), "check"])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == f"{path}: ok ({len(want['tables']['positions'])} positions)"
    first = runner.invoke(cli, ["--db", str(path), "export", "jsonl"])
    assert first.exit_code == 0, first.output
    (tmp_path / "all.jsonl").write_text(first.stdout, encoding="utf-8")
    loaded = runner.invoke(cli, ["--db", str(tmp_path / "copy.db"), "import", str(tmp_path / "all.jsonl")])
    assert loaded.exit_code == 0, loaded.output
    again = runner.invoke(cli, ["--db", str(tmp_path / "copy.db"), "export", "jsonl"])
    assert again.stdout == first.stdout
    assert first.stdout.count('"type": "position"') == len(want["tables"]["positions"])


def test_reading_a_current_file_leaves_it_byte_for_byte(tmp_path):
    path = unpack(LATEST_VERSION, tmp_path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with Store.open(path) as store:
        store.positions()
        store.search("macron")
        assert store.check() == []
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_failing_migration_leaves_the_old_file_as_it_was(version, tmp_path, monkeypatch):
    """All pending migrations run in one transaction: a failure in the last leaves the
    file byte for byte as it was, however many came before."""
    path = unpack(version, tmp_path)
    before = path.read_bytes()
    broken = (LATEST_VERSION + 1, "broken", "DELETE FROM revisions;\nALTER TABLE actors ADD COLUMN motto TEXT;\nNOT SQL;")
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, broken])
    monkeypatch.setattr(database, "LATEST_VERSION", LATEST_VERSION + 1)
    with pytest.raises(StoreError, match=f"cannot upgrade the file to schema {LATEST_VERSION + 1} \\(broken\\).*left as it was"):
        Store.open(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    with Store.open(path) as store:
        assert store.check() == []
    assert_every_row_kept(path, expected(version))
