"""The hot reads keep using their indexes: no schema or query change makes one scan positions.

The statements are those that the interface and the markdown export run, recorded from the
code as it runs and explained by ``query_plans`` in benchmarks/plans.py (the function that
writes the "Query plans" section of benchmarks/RESULTS.md), here on a file of a few hundred
positions. Without ``ANALYZE`` statistics (Position Tracker never gathers them) SQLite plans
a table of 400 rows as it plans one of a million, so the plans are those of the big file;
set ``TRACKER_BENCH_DB`` to a big file to check its plans too (opened read-only).
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from benchmarks import generate
from benchmarks.plans import hot_reads, positions_reads, query_plans, short_sql, sql_template
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store

# The only read that scans the positions table without an index, and why.
INTENDED_SCANS = {
    "Markdown export of every question: every position, read once": (
        "it reads every row of the table, in the table's own order: the cheapest way to read them all"
    ),
}

# The index each read of the positions table must use, so that a change that makes one use
# a worse index (a search of a question's rows, then a sort of them all, say) fails too.
# A read that walks a whole index (SCAN ... USING INDEX) must be listed in WALKS.
INDEXES = {
    "Timeline (3): a page, in the middle of the list": {"positions_date"},
    "Timeline (3): how many positions": None,  # any index: it counts every row
    "A question's positions: a page": {"positions_question_date"},
    "A question's positions: how many": {"positions_question_date", "positions_question_actor_date"},
    "A question: the chart of its positions over time (all of them)": {"positions_question_date"},
    "An actor's positions: a page": {"positions_actor_date"},
    "An actor's positions: how many": {"positions_actor_date"},
    "Each row of a list of positions: the actor's previous position (its change marker)": {"positions_question_actor_date"},
    "Matrix (4): the cells of a screen as of a date": {"positions_question_actor_date"},
    "Search (/): whole words, as the user types": {"INTEGER PRIMARY KEY"},  # the matches' rows, by id
    "A position's detail": {"INTEGER PRIMARY KEY"},
    "A position named by its uid (command line, diff)": {"sqlite_autoindex_positions_1"},  # UNIQUE(uid)
    "Markdown export of a question (and of an actor, question by question)": {"positions_question_date"},
    "Markdown export of an actor: its positions": {"positions_actor_date"},
    "Markdown export of every question: every position, read once": set(),  # INTENDED_SCANS
}

# Reads that walk a whole index of positions from its start, and why that is what they need.
WALKS = {
    "Timeline (3): a page, in the middle of the list": "the page's OFFSET: the ids come from the covering index alone",
    "Timeline (3): how many positions": "count(*) of every row, from the smallest index",
}


def base(name: str) -> str:
    """The read a plan belongs to: its name without " [2/4]"."""
    return name.split(" [")[0]


def problems(plans) -> list[str]:
    """What is wrong with the plans, in words: an empty list when every read uses its index."""
    out = []
    for p in plans:
        name = base(p.name)
        reads = positions_reads(p.sql, p.plan)
        for line in p.full_scans:
            if name not in INTENDED_SCANS:
                out.append(f"{p.name}: {line} (a scan of the whole positions table) in {short_sql(p.sql, 200)}")
        for line in reads:
            if line.startswith("SCAN") and "INDEX" in line and name not in WALKS:
                out.append(f"{p.name}: {line} (a walk through a whole index of positions)")
        if not reads:
            continue
        if name not in INDEXES:
            out.append(f"{p.name}: a new read of positions; add the index it must use to INDEXES ({reads})")
            continue
        wanted = INDEXES[name]
        if wanted and not any(index in line for line in reads for index in wanted):
            out.append(f"{p.name}: uses {reads}, not {' or '.join(sorted(wanted))}")
    return out


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    """A file of 400 positions from the benchmarks' generator, imported as `tracker import` does."""
    text = io.StringIO()
    generate.generate(text, positions=400, actors=30, questions=8, sources=40, seed=3)
    path = tmp_path_factory.mktemp("plans") / "small.db"
    with Store.open(path) as store:
        import_records(store, jsonl.read_records(io.StringIO(text.getvalue())))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture(scope="module")
def small_plans(small_db):
    return query_plans(small_db)


def test_every_hot_read_is_explained(small_plans):
    planned = {base(p.name) for p in small_plans}
    expected = {r.name for r in hot_reads(200, 200)}
    assert planned == expected
    assert all(p.plan for p in small_plans)
    assert set(INTENDED_SCANS) <= expected and set(INDEXES) <= expected and set(WALKS) <= expected


def test_no_hot_read_scans_the_positions_table(small_plans):
    assert problems(small_plans) == []
    scanned = {base(p.name) for p in small_plans if p.full_scans}
    assert scanned == set(INTENDED_SCANS)  # the export of everything does scan (else the check sees nothing)
    for p in small_plans:  # and the results say which scans are intended
        assert bool(p.scan) == (base(p.name) in INTENDED_SCANS), p.name


def test_the_plans_record_the_real_statements(small_plans):
    by_name = {p.name: p for p in small_plans}
    page = by_name["Timeline (3): a page, in the middle of the list"]
    assert "LIMIT 200 OFFSET" in page.sql and "?" not in page.sql  # its values inlined: what SQLite ran
    assert "SCAN positions USING COVERING INDEX positions_date" in [line.strip() for line in page.plan]
    matrix = by_name["Matrix (4): the cells of a screen as of a date"]
    assert "json_each(" in matrix.sql and any(line.startswith("  ") for line in matrix.plan)  # a tree


@pytest.mark.parametrize(
    "index", ["positions_date", "positions_question_date", "positions_actor_date", "positions_question_actor_date"]
)
def test_a_dropped_index_is_caught(small_db, tmp_path, index):
    copy = tmp_path / "copy.db"
    shutil.copy(small_db, copy)  # checkpointed: the file holds everything
    conn = sqlite3.connect(copy)
    conn.execute(f"DROP INDEX {index}")
    conn.close()
    assert problems(query_plans(copy)), f"dropping {index} went unnoticed"


@pytest.mark.skipif(not os.environ.get("TRACKER_BENCH_DB"), reason="TRACKER_BENCH_DB names no big file")
def test_the_big_file_plans_use_indexes_too(small_plans):
    big = query_plans(os.environ["TRACKER_BENCH_DB"])
    assert problems(big) == []
    # The same statement (its values aside) has the same plan on both files.
    small = {sql_template(p.sql): p.plan for p in small_plans}
    same = [p for p in big if sql_template(p.sql) in small]
    assert len(same) >= len(big) - 3  # the searches may rank or not, by how many match
    for p in same:
        if INDEXES.get(base(p.name), set()) is not None:  # count(*) takes the index of fewest pages, which varies
            assert p.plan == small[sql_template(p.sql)], p.name
