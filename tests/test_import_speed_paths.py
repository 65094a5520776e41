"""The import's fast paths (issue 16, import speed): positions take their ids from the
writer's caches directly, and the search index of a large import into an empty table is
built from the spooled texts while the other indexes are rebuilt. A name the caches do
not hold still goes through the writer's checks, with its line and message."""

from __future__ import annotations

import io
import json

import pytest

from tracker.errors import TrackerError
from tracker.formats import importer, jsonl
from tracker.formats.importer import import_records
from tracker.store import Store
from tracker.store.bulk import BULK_THRESHOLD

DEFS = [
    {"type": "actor", "slug": "macron", "name": "Emmanuel Macron"},
    {"type": "question", "slug": "troops", "title": "Ground troops"},
    {"type": "source", "url": "https://example.org/a", "title": "A"},
]


def position(i: int, **change) -> dict:
    return {
        "type": "position", "actor": "macron", "question": "troops", "stance": "open",
        "date": f"{1900 + i % 130}-01-01", "quote": f"statement {i}", **change,
    }  # fmt: skip


def load(store: Store, records: list[dict]):
    text = "".join(json.dumps(r) + "\n" for r in records)
    return import_records(store, jsonl.read_records(io.StringIO(text)))


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "s.db") as s:
        yield s


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question": "nothing"}, "question 'nothing' is not defined in the file or the database"),
        ({"stance": "maybe"}, "'maybe'"),
        ({"source": "https://nowhere.example"}, "source 'https://nowhere.example' is not defined"),
    ],
    ids=["question", "stance", "source"],
)
def test_a_name_first_used_at_write_time_is_still_refused_by_its_line(store, monkeypatch, change, message):
    """With the first pass remembering one name of each kind, an unknown question, stance
    or source first used on the last line is found as the rows are written: refused with
    that line, and nothing is written."""
    monkeypatch.setattr(importer, "_REFS_KEPT", 1)
    records = [position(i, source="https://example.org/a" if i % 2 else None) for i in range(BULK_THRESHOLD + 5)]
    records[-1] |= change
    with pytest.raises(TrackerError) as e:
        load(store, DEFS + records)
    assert str(e.value).startswith(f"line {len(DEFS) + BULK_THRESHOLD + 5}: ")
    assert message in str(e.value)
    assert store.count_positions() == 0 and store.count_actors() == 0


def test_a_bulk_import_takes_every_id_and_source_and_every_text_into_search(store):
    """The rows written through the fast path have the ids of what they name (a source
    given or not) and every one of them can be found by its words."""
    records = [position(i, source="https://example.org/a" if i % 2 else None) for i in range(BULK_THRESHOLD + 5)]
    report = load(store, DEFS + records)
    assert report.counts[("position", "created")] == BULK_THRESHOLD + 5
    assert store.check() == []
    with_source, without = store.conn.execute(
        "SELECT count(source_id), count(*) - count(source_id) FROM positions"
    ).fetchone()
    assert (with_source, without) == ((BULK_THRESHOLD + 5) // 2, BULK_THRESHOLD + 5 - (BULK_THRESHOLD + 5) // 2)
    (indexed,) = store.conn.execute("SELECT count(*) FROM positions_fts WHERE positions_fts MATCH 'statement'").fetchone()
    assert indexed == BULK_THRESHOLD + 5
    for i in (0, 1, BULK_THRESHOLD + 4):
        hits = store.search(f"statement {i}", prefix=False)
        quotes = [store.conn.execute("SELECT quote FROM positions WHERE id = ?", (h.id,)).fetchone()[0] for h in hits]
        assert f"statement {i}" in quotes
