"""The file for people who write SQL: the views ``statements`` and ``latest_positions``,
and the README's "With sqlite3 and Datasette" queries, run as a user would run them (a
plain sqlite3 connection, read only) on the demo data."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DEMO = ROOT / "db" / "demo.jsonl"
SECTION = "## With sqlite3 and Datasette"

COLUMNS = [
    "id", "uid", "actor", "actor_name", "question", "question_title", "stance", "stance_label", "stance_rank",
    "date", "date_start", "date_end", "precision", "quote", "quote_lang", "paraphrase", "context",
    "source_url", "source_title", "outlet", "confidence",
]  # fmt: skip


def readme_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return re.findall(r"```sql\n(.*?)```", text[start : end if end != -1 else None], re.S)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "demo.db"
    with Store.open(path) as store, DEMO.open(encoding="utf-8") as f:
        import_records(store, read_records(f))
    return path


@pytest.fixture
def sql(demo_file):
    """The demo file as sqlite3 opens it, read only."""
    conn = sqlite3.connect(f"file:{demo_file}?mode=ro", uri=True)
    yield conn
    conn.close()


def columns(conn, view: str) -> list[str]:
    return [d[0] for d in conn.execute(f"SELECT * FROM {view} LIMIT 0").description]


def test_the_readme_section_comes_after_the_command_line_and_has_its_queries():
    text = README.read_text(encoding="utf-8")
    assert text.index("## The command line") < text.index(SECTION)
    queries = readme_queries()
    assert len(queries) >= 3
    assert any("latest_positions" in q for q in queries)
    assert any("positions_fts MATCH" in q for q in queries)
    assert any("2024" in q for q in queries)


@pytest.mark.parametrize("number", range(len(readme_queries())))
def test_each_readme_query_runs_on_the_demo_and_finds_rows(sql, number):
    query = readme_queries()[number]
    rows = sql.execute(query).fetchall()
    assert rows, query


def test_the_readme_queries_answer_what_they_say(sql):
    latest, moved, search, *_ = readme_queries()
    rows = sql.execute(latest).fetchall()
    assert rows[0][:3] == ("Emmanuel Macron", "Not excluded", "2024-03-16")  # the most committed first
    assert len({r[0] for r in rows}) == len(rows)  # one row an actor
    assert sql.execute(moved).fetchall() == [
        ("France", "Not excluded", "Committed", "2024-06-06"),
        ("Netherlands", "Committed", "Implemented", "2024-08-01"),
        ("Denmark", "Committed", "Implemented", "2024-08-05"),
    ]
    found = sql.execute(search).fetchall()
    assert [(r[0], r[1]) for r in found] == [("Emmanuel Macron", "ground-troops")]
    assert "assumée" in found[0][3]  # "assumee" in the query: accents folded


@pytest.mark.parametrize("view", ["statements", "latest_positions"])
def test_the_views_have_exactly_the_spec_columns(sql, view):
    assert columns(sql, view) == COLUMNS


def test_statements_spell_out_a_position(sql):
    (count,) = sql.execute("SELECT count(*) FROM positions").fetchone()
    assert sql.execute("SELECT count(*) FROM statements").fetchone() == (count,)
    row = dict(zip(COLUMNS, sql.execute("SELECT * FROM statements WHERE id = 1").fetchone()))
    assert (row["actor"], row["actor_name"], row["question"]) == ("macron", "Emmanuel Macron", "ground-troops")
    assert (row["stance"], row["stance_label"], row["date"], row["precision"]) == ("not-excluded", "Not excluded", "2024-02-26", "day")
    assert row["quote"].startswith("Il n'y a pas de consensus") and row["quote_lang"] == "fr"
    assert row["outlet"] and row["source_url"].startswith("https://")


def test_latest_positions_is_each_actors_last_on_each_question(sql):
    pairs = sql.execute("SELECT count(*) FROM (SELECT DISTINCT actor_id, question_id FROM positions)").fetchone()
    assert sql.execute("SELECT count(*) FROM latest_positions").fetchone() == pairs
    expected = sql.execute(
        "SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY actor_id, question_id"
        " ORDER BY date_start DESC, date_end DESC, id DESC) AS n FROM positions) WHERE n = 1 ORDER BY id"
    ).fetchall()
    assert sql.execute("SELECT id FROM latest_positions ORDER BY id").fetchall() == expected
    # Macron on ground troops: 26 Feb 2024, then 16 Mar 2024; the later one is the latest.
    assert sql.execute("SELECT date, stance FROM latest_positions WHERE actor = 'macron' AND question = 'ground-troops'").fetchall() == [
        ("2024-03-16", "not-excluded")
    ]


def test_of_two_positions_with_the_same_dates_the_one_entered_later_is_latest(demo_file, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(demo_file, copy)
    conn = sqlite3.connect(copy)
    try:
        conn.execute(
            "INSERT INTO positions(uid, actor_id, question_id, level_id, date, date_start, date_end, precision,"
            " quote, created_at, updated_at)"
            " SELECT 'tie', p.actor_id, p.question_id, (SELECT id FROM levels WHERE scale_id = l.scale_id AND rank = 0),"
            " p.date, p.date_start, p.date_end, p.precision, 'entered later', p.created_at, p.updated_at"
            " FROM latest_positions v JOIN positions p USING (id) JOIN levels l ON l.id = p.level_id"
            " WHERE v.actor = 'macron' AND v.question = 'ground-troops'"
        )
        rows = conn.execute("SELECT quote, date FROM latest_positions WHERE actor = 'macron' AND question = 'ground-troops'").fetchall()
        assert rows == [("entered later", "2024-03-16")]
    finally:
        conn.close()


def test_a_question_filter_on_the_views_uses_the_indexes(sql):
    for view in ("statements", "latest_positions"):
        plan = [r[3] for r in sql.execute(f"EXPLAIN QUERY PLAN SELECT * FROM {view} WHERE question = ?", ("tanks",))]
        assert not any(step.startswith("SCAN") for step in plan), plan
        assert any("positions_question_date (question_id=?)" in step for step in plan), plan
    plan = [r[3] for r in sql.execute("EXPLAIN QUERY PLAN SELECT * FROM latest_positions WHERE question = ?", ("tanks",))]
    assert any("positions_question_actor_date (question_id=? AND actor_id=?)" in step for step in plan), plan
