"""Large imports rebuild the positions' indexes and search index once, inside the import's
transaction: the file ends up exactly as a row-by-row import leaves it, or untouched."""

from __future__ import annotations

import io
import json

import pytest

from tracker.errors import TrackerError
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store
from tracker.store.bulk import BULK_THRESHOLD


def dataset(positions: int, *, bad_last: bool = False) -> str:
    lines = [
        {"type": "actor", "slug": "macron", "name": "Emmanuel Macron"},
        {"type": "question", "slug": "troops", "title": "Ground troops"},
    ]
    for i in range(positions):
        day = f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        lines.append({"type": "position", "actor": "macron", "question": "troops", "stance": "open", "date": day,
                      "quote": f"statement number {i} rien ne doit être exclu"})  # fmt: skip
    if bad_last:  # found while writing, after the indexes were dropped
        lines[-1]["actor"] = "nobody"
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def schema(store: Store) -> list[tuple]:
    return store.conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def load(store: Store, text: str):
    return import_records(store, jsonl.read_records(io.StringIO(text)))


@pytest.fixture
def fresh(tmp_path):
    with Store.open(tmp_path / "fresh.db") as store:
        yield store


def test_a_bulk_import_leaves_the_same_schema_and_a_working_search_index(tmp_path, fresh):
    original = schema(fresh)
    report = load(fresh, dataset(BULK_THRESHOLD + 5))
    assert report.counts[("position", "created")] == BULK_THRESHOLD + 5
    assert schema(fresh) == original
    assert fresh.check() == []
    assert len(fresh.search("statement 7777", limit=5)) >= 1
    plan = fresh.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM positions WHERE question_id = 1 ORDER BY date_start, date_end, id"
    ).fetchall()
    assert "positions_question_date" in str([tuple(r) for r in plan])
    # Importing again changes nothing, through the small path this time (the rows exist).
    again = load(fresh, dataset(BULK_THRESHOLD + 5))
    assert again.counts[("position", "unchanged")] == BULK_THRESHOLD + 5


def test_a_bad_line_in_a_bulk_import_rolls_back_the_rebuild_too(fresh):
    original = schema(fresh)
    with pytest.raises(TrackerError, match=f"line {BULK_THRESHOLD + 7}: actor 'nobody'"):
        load(fresh, dataset(BULK_THRESHOLD + 5, bad_last=True))
    assert schema(fresh) == original
    assert fresh.count_positions() == 0
    fresh.add_actor("Olaf Scholz", slug="scholz")
    fresh.add_question("Tanks", slug="tanks")
    fresh.add_position(actor="scholz", question="tanks", stance="ruled-out", date="2022", quote="nein")
    assert [h.kind for h in fresh.search("nein")] == ["position"]  # the insert trigger is back
