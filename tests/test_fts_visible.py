"""The search indexes as other tools see them: sqlite-utils (and Datasette, which looks for
them the same way) find positions_fts and questions_fts by themselves, search through
them with accents folded, and the triggers keep them in step with their tables."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from fixture_helpers import unpack

from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store, bulk

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "db" / "demo.jsonl"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fts") / "demo.db"
    with Store.open(path) as store, DEMO.open(encoding="utf-8") as f:
        import_records(store, read_records(f))
    return path


def index_is_sound(conn: sqlite3.Connection, index: str) -> None:
    """FTS5's own check of an external-content index against its table (raises if not)."""
    conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")


def test_sqlite_utils_finds_both_search_indexes(tmp_path):
    with Store.open(tmp_path / "new.db"):
        pass
    db = sqlite_utils.Database(tmp_path / "new.db")
    assert db["positions"].detect_fts() == "positions_fts"
    assert db["questions"].detect_fts() == "questions_fts"


def test_sqlite_utils_search_finds_the_french_quote_accents_folded(demo_file):
    db = sqlite_utils.Database(demo_file)
    for word in ("troupes", "assumee", "ASSUMÉE"):
        found = list(db["positions"].search(word))
        assert found and found[0]["id"] == 1, word
        assert "assumée et endossée des troupes au sol" in found[0]["quote"]
    questions = list(db["questions"].search("missiles"))
    assert {q["slug"] for q in questions} >= {"long-range-missiles", "missile-coalition"}


def test_the_triggers_keep_the_index_on_insert_edit_and_delete(demo_file, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_file.read_bytes())
    conn = sqlite3.connect(copy)
    db = sqlite_utils.Database(conn)
    try:
        conn.execute("UPDATE positions SET quote = 'zébulon' WHERE id = 1")
        assert [r["id"] for r in db["positions"].search("zebulon")] == [1]
        assert 1 not in [r["id"] for r in db["positions"].search("assumee")]
        conn.execute(
            "INSERT INTO positions(uid, actor_id, question_id, level_id, date, date_start, date_end, precision, notes,"
            " created_at, updated_at) SELECT 'new', actor_id, question_id, level_id, date, date_start, date_end,"
            " precision, 'quokka', created_at, updated_at FROM positions WHERE id = 2"
        )
        (new,) = conn.execute("SELECT id FROM positions WHERE uid = 'new'").fetchone()
        assert [r["id"] for r in db["positions"].search("quokka")] == [new]
        conn.execute("DELETE FROM positions WHERE id = ?", (new,))
        assert list(db["positions"].search("quokka")) == []
        conn.execute("UPDATE questions SET title = 'Chars lourds' WHERE slug = 'tanks'")
        assert [r["slug"] for r in db["questions"].search("chars")] == ["tanks"]
        index_is_sound(conn, "positions_fts")
        index_is_sound(conn, "questions_fts")
    finally:
        conn.close()


def test_a_file_of_schema_3_is_upgraded_with_its_search_rows(tmp_path):
    path = unpack(3, tmp_path)
    before = sqlite3.connect(path)
    words = ("ambiguite", "troupes", "rutte")
    found_before = {w: before.execute("SELECT rowid FROM positions_fts WHERE positions_fts MATCH ? ORDER BY rowid", (w,)).fetchall() for w in words}
    before.close()
    assert sqlite_utils.Database(path)["positions"].detect_fts() is None  # the reason for the migration
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    try:
        db = sqlite_utils.Database(conn)
        assert (db["positions"].detect_fts(), db["questions"].detect_fts()) == ("positions_fts", "questions_fts")
        for w in words:
            assert conn.execute("SELECT rowid FROM positions_fts WHERE positions_fts MATCH ? ORDER BY rowid", (w,)).fetchall() == found_before[w]
        assert any(found_before.values())
        index_is_sound(conn, "positions_fts")
        index_is_sound(conn, "questions_fts")
    finally:
        conn.close()


def test_a_bulk_import_keeps_the_index_visible(tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "BULK_THRESHOLD", 50)  # the bulk path, which builds the index apart and adopts it
    lines = [{"type": "actor", "slug": "macron", "name": "Emmanuel Macron"}, {"type": "question", "slug": "troops", "title": "Ground troops"}]
    lines += [
        {"type": "position", "actor": "macron", "question": "troops", "stance": "open", "date": f"2024-01-{1 + i % 28:02d}",
         "quote": f"déclaration {i} troupes"}
        for i in range(200)
    ]  # fmt: skip
    path = tmp_path / "bulk.db"
    with Store.open(path) as store:
        import_records(store, jsonl.read_records(io.StringIO("".join(json.dumps(x) + "\n" for x in lines))))
    db = sqlite_utils.Database(path)
    assert db["positions"].detect_fts() == "positions_fts"
    assert db["positions"].count == 200
    assert len(list(db["positions"].search("declaration"))) == 200
    index_is_sound(db.conn, "positions_fts")
