"""Large imports rebuild the positions' indexes and search index once, inside the import's
transaction: the file ends up exactly as a row-by-row import leaves it, or untouched."""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store, bulk, search_build
from tracker.store.bulk import BULK_THRESHOLD, BulkWriter


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


def with_uids(text: str, *, repeat: dict[int, dict] | None = None) -> str:
    """The dataset with a uid on each position; ``repeat``: position n again at the end, changed."""
    records = [json.loads(line) for line in text.splitlines()]
    positions = [r for r in records if r["type"] == "position"]
    for n, r in enumerate(positions):
        r["uid"] = f"00000000-0000-4000-8000-{n:012d}"
    for n, change in (repeat or {}).items():
        records.append(positions[n] | change)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def matches(store: Store, query: str) -> list[tuple]:
    return store.conn.execute(
        "SELECT p.uid, round(rank, 6) FROM positions_fts f JOIN positions p ON p.id = f.rowid"
        " WHERE positions_fts MATCH ? ORDER BY rank, p.uid",
        (query,),
    ).fetchall()


def test_a_bulk_import_builds_the_search_index_a_row_by_row_one_builds(tmp_path, fresh, monkeypatch):
    """The search index of a large import into an empty file is built aside, on another
    core, and taken in whole: it must answer (and rank) as the one the triggers build."""
    text = dataset(BULK_THRESHOLD + 5)
    load(fresh, text)
    monkeypatch.setattr(bulk, "BULK_THRESHOLD", 10**9)  # the same file, row by row
    with Store.open(tmp_path / "rows.db") as rows:
        load(rows, text)
        for query in ("statement", "exclu", "etre", "number 7777", "rien NOT 12*", "nothing"):
            assert matches(fresh, query) == matches(rows, query), query
        assert fresh.check() == [] and rows.check() == []


def children() -> set[int]:
    """This process's children."""
    return {int(pid) for pid in Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads this process's children in /proc")
@pytest.mark.parametrize("fails", [False, True], ids=["written", "refused after the rows"])
def test_the_search_index_process_ends_and_leaves_no_file(tmp_path, fresh, monkeypatch, fails):
    """The second process that builds the search index is gone when the import returns,
    and its folder (its index, the batches it was handed) with it, whether the import
    was written or refused."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # where the import's temporary files go
    started: list[search_build.SearchIndexBuild] = []
    made = search_build.SearchIndexBuild.__init__

    def record(self, conn):
        made(self, conn)
        started.append(self)
        assert self._process.pid in children()
        assert [p.name for p in temporary.iterdir()] == [Path(self._folder).name]

    monkeypatch.setattr(search_build.SearchIndexBuild, "__init__", record)
    if fails:  # a row breaking a rule of the table, found once the rows are written

        def broken(_writer):
            raise TrackerError("position x breaks a rule of the positions table; nothing was written")

        monkeypatch.setattr(BulkWriter, "_check_new_rows", broken)
        with pytest.raises(TrackerError, match="breaks a rule"):
            load(fresh, dataset(BULK_THRESHOLD + 5))
    else:
        load(fresh, dataset(BULK_THRESHOLD + 5))
    assert len(started) == 1
    assert started[0]._process.pid not in children() and started[0]._process.returncode is not None
    assert list(temporary.iterdir()) == []
    assert fresh.count_positions() == (0 if fails else BULK_THRESHOLD + 5)


@pytest.mark.parametrize(
    "program",
    ["/nonexistent/python", "false"],
    ids=["cannot start", "stops on an error"],
)
def test_without_the_search_index_process_the_import_builds_the_index_itself(tmp_path, fresh, monkeypatch, program):
    """No second process to build the search index (no interpreter to run it, or it fails):
    the import builds the same index itself, slower."""
    text = dataset(BULK_THRESHOLD + 5)
    queries = ("statement", "exclu", "number 7777", "rien NOT 12*")
    with Store.open(tmp_path / "aside.db") as aside:
        load(aside, text)  # its index built by the second process
        expected = {query: matches(aside, query) for query in queries}
    monkeypatch.setattr(search_build.sys, "executable", program)
    report = load(fresh, text)
    assert report.counts[("position", "created")] == BULK_THRESHOLD + 5
    assert {query: matches(fresh, query) for query in queries} == expected
    assert expected["number 7777"] and fresh.check() == []


def test_repeated_uids_in_a_bulk_import_are_applied_in_order(fresh):
    """A uid given twice: the second record updates the first, as it would row by row,
    and the search index knows the last words only."""
    text = with_uids(dataset(BULK_THRESHOLD + 5), repeat={10: {"quote": "second thoughts"}, 11: {}})
    report = load(fresh, text)
    assert report.counts[("position", "created")] == BULK_THRESHOLD + 5
    assert report.counts[("position", "updated")] == 1 and report.counts[("position", "unchanged")] == 1
    assert fresh.check() == []
    assert [(h.kind, h.id) for h in fresh.search("second thoughts")] == [("position", 11)]
    assert fresh.search("number 10 rien", prefix=False) == []


def test_a_bulk_import_over_positions_updates_them_and_their_search_words(fresh):
    """More new positions than old ones: still the bulk path, but the old rows are updated
    through the upsert and its triggers, and new rows given twice are applied in order."""
    load(fresh, with_uids(dataset(BULK_THRESHOLD // 2)))
    bigger = with_uids(dataset(BULK_THRESHOLD + 5), repeat={BULK_THRESHOLD + 1: {"quote": "late change"}})
    changed = bigger.replace('"statement number 3 rien', '"revised statement 3 rien')
    report = load(fresh, changed)
    assert report.counts[("position", "created")] == BULK_THRESHOLD + 5 - BULK_THRESHOLD // 2
    assert report.counts[("position", "updated")] == 2
    assert fresh.check() == []
    assert len(fresh.search("revised")) == 1 and len(fresh.search("late change")) == 1
    assert fresh.search("number 3 rien", prefix=False) == []


def connection_state(store: Store) -> dict:
    pragmas = ("foreign_keys", "cache_size", "ignore_check_constraints")
    state = {name: store.conn.execute(f"PRAGMA {name}").fetchone()[0] for name in pragmas}
    state["search config"] = store.conn.execute("SELECT * FROM positions_fts_config ORDER BY k").fetchall()
    return state


@pytest.mark.parametrize("bad_last", [False, True], ids=["good", "bad last line"])
@pytest.mark.parametrize("settings", [[], [("automerge", 8), ("hashsize", 2 << 20)]], ids=["default", "own settings"])
@pytest.mark.parametrize("first", [0, 100], ids=["empty file", "over positions"])
def test_a_bulk_import_leaves_the_connection_and_the_search_settings_as_it_found_them(fresh, bad_last, settings, first):
    if first:
        load(fresh, with_uids(dataset(first)).replace("00000000-0000-4000-8000-", "11111111-0000-4000-8000-"))
    with fresh.transaction() as conn:
        for key, value in settings:
            conn.execute("INSERT INTO positions_fts(positions_fts, rank) VALUES (?, ?)", (key, value))
    before = connection_state(fresh)
    try:
        load(fresh, dataset(BULK_THRESHOLD + 5, bad_last=bad_last))
    except TrackerError:
        assert bad_last
    assert connection_state(fresh) == before
    assert not fresh.conn.in_transaction
    assert fresh.check() == []


def test_the_table_rules_are_checked_once_over_the_new_rows(fresh):
    """A bulk load into an empty table writes without the CHECK constraints, row by row,
    and checks them all in one pass: a row that breaks one still writes nothing."""
    fresh.add_actor("Olaf Scholz", slug="scholz")
    fresh.add_question("Tanks", slug="tanks")
    before = schema(fresh)
    with pytest.raises(TrackerError, match="breaks a rule of the positions table"):
        with fresh.transaction() as conn:
            writer = BulkWriter(conn)
            question_id, scale = writer.question_ref("tanks")
            row = [None, writer.actor_id("scholz"), question_id, writer.level_id(scale, "open"), "2024", "2024-01-01",
                   "2024-12-31", "year", "", "", "", "", None, "confirmed", "", "[]", writer.now, writer.now]  # fmt: skip
            rows = [tuple([f"00000000-0000-4000-8000-{n:012d}", *row[1:]]) for n in range(BULK_THRESHOLD)]
            rows[-1] = rows[-1][:13] + ("maybe",) + rows[-1][14:]
            writer.positions(rows)
    assert fresh.count_positions() == 0
    assert schema(fresh) == before
    assert fresh.conn.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0
