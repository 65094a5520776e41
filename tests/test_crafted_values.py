"""A database from someone else, with values the schema lets through but the program cannot
use (issue 16, item 4): `check` finds each, in words, and every other command answers the
file with one line that names the row and says to run `tracker check`, never a traceback."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.store import shape

from fuzz_helpers import WIDE, assert_no_traceback, craft, scratch_db

# Every command that reads what a crafted value spoils (sample data: question ground-troops
# on the commitment scale, long-range on agreement; positions 1..4).
COMMANDS = [
    ["list", "positions"], ["list", "questions"], ["list", "actors"], ["list", "positions", "--json"],
    ["timeline"], ["timeline", "--question", "ground-troops"], ["diff", "2"], ["diff", "1", "2"],
    ["movers", "--question", "ground-troops"], ["movers", "--tag", "ukraine"],
    ["export", "markdown"], ["export", "jsonl"], ["export", "csv"], ["search", "troops"], ["search", "agenda"],
]  # fmt: skip


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], env=WIDE)


def assert_one_line(result) -> None:
    assert_no_traceback(result)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert len(result.stderr.splitlines()) <= 1, result.stderr
    if result.exit_code == 1:
        assert result.stderr.startswith("tracker: "), result.stderr


# (what is crafted, the SQL, what `check` says, what a command refusing it says)
CASES = {
    "position tags 1": (
        "UPDATE positions SET tags = '1' WHERE id = 2",
        "positions row 2: tags is not a list of texts (found '1')",
        "positions row 2: tags is not a list of texts",
    ),
    "question tags null": (
        "UPDATE questions SET tags = 'null' WHERE slug = 'ground-troops'",
        "tags is not a list of texts (found 'null')",
        "tags is not a list of texts",
    ),
    "tags of non-texts": (
        "UPDATE positions SET tags = '[1, null]' WHERE id = 3",
        "positions row 3: tags is not a list of texts (found '[1, null]')",
        "positions row 3: tags is not a list of texts",
    ),
    "tags an object": (
        "UPDATE positions SET tags = '{\"a\": 1}' WHERE id = 3",
        "positions row 3: tags is not a list of texts",
        "positions row 3: tags is not a list of texts",
    ),
    "ranks moved by 100": (
        "UPDATE levels SET rank = rank + 100 WHERE scale_id = (SELECT id FROM scales WHERE key = 'commitment')",
        "scale 'commitment' has levels ranked 100..105; ranks must be 0..5",
        "ranked 0..5",
    ),
    "rank a text": (
        "UPDATE levels SET rank = 'high' WHERE key = 'reluctant'",
        "rank is not a whole number (found 'high')",
        "rank is not a whole number",
    ),
    "scale without levels": (
        "DELETE FROM levels WHERE scale_id = (SELECT id FROM scales WHERE key = 'commitment')",
        "scale 'commitment' has no levels (questions ground-troops use it)",
        "",
    ),
    "date not a date": (
        "UPDATE positions SET date = 'garbage' WHERE id = 2",
        "positions row 2: date is not a date",
        "positions row 2: date is not a date",
    ),
    "date out of step with its start": (
        "UPDATE positions SET date_start = '1999-01-01' WHERE id = 2",
        "positions row 2: date_start, date_end or precision do not match the date",
        "",
    ),
    "published not a date": (
        "UPDATE sources SET published = 'soon' WHERE id = 1",
        "sources row 1: published is not a date (found 'soon')",
        "sources row 1: published is not a date",
    ),
    "level label a blob": (
        "UPDATE levels SET label = X'41' WHERE id = 3",
        "levels row 3: label is not a text (found a blob of 1 bytes)",
        "levels row 3: label is not a text",
    ),
    "question's scale missing": (
        "UPDATE questions SET scale_id = 999 WHERE slug = 'ground-troops'",
        "questions row 1 refers to a missing row in scales",
        "",
    ),
    "alias a blob": (
        "INSERT INTO actor_aliases(actor_id, alias) VALUES (1, X'ff')",
        "actor_aliases row 4: alias is not a text (found a blob of 1 bytes)",
        "aliases are not texts",
    ),
    "quote a blob": (
        "INSERT INTO positions(uid, actor_id, question_id, level_id, date, date_start, date_end, precision, quote,"
        " created_at, updated_at) SELECT 'crafted', actor_id, question_id, level_id, date, date_start, date_end,"
        " precision, X'ff00', created_at, updated_at FROM positions WHERE id = 1",
        "quote is not a text (found a blob of 2 bytes)",
        "",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_check_names_each_crafted_value(name):
    sql, said, _ = CASES[name]
    with scratch_db() as db:
        assert run(db, "check").exit_code == 0
        craft(db, sql)
        result = run(db, "check")
        assert_no_traceback(result)
        assert result.exit_code == 1, result.output
        assert said in result.output, result.output
        assert "what to do" in result.output


@pytest.mark.parametrize("name", CASES)
def test_every_command_answers_a_crafted_file_in_one_line(name):
    sql, _, refused = CASES[name]
    with scratch_db() as db:
        craft(db, sql)
        refusals = []
        for args in COMMANDS:
            result = run(db, *args)
            assert_one_line(result)
            if result.exit_code == 1:
                refusals.append(result.stderr)
        if refused:
            # The readers that meet the value name it, and point to `check`.
            assert any(refused in r and "tracker check" in r for r in refusals), refusals


def test_list_positions_with_tags_1_names_the_row():
    with scratch_db() as db:
        craft(db, CASES["position tags 1"][0])
        result = run(db, "list", "positions")
        assert result.exit_code == 1
        assert result.stderr.startswith("tracker: positions row 2: tags is not a list of texts (found '1')")
        assert "run `tracker check`" in result.stderr


def test_movers_on_a_scale_without_levels_refuses_in_one_line():
    with scratch_db() as db:
        conn = sqlite3.connect(db)
        # A scale of no levels that a question uses (its positions keep their old stances).
        conn.execute("INSERT INTO scales(uid, key, name) VALUES ('u-empty', 'empty', 'Empty')")
        conn.execute("UPDATE questions SET scale_id = (SELECT id FROM scales WHERE key = 'empty') WHERE slug = 'long-range'")
        conn.commit()
        conn.close()
        result = run(db, "movers", "--question", "long-range")
        assert_one_line(result)
        assert result.exit_code == 1
        assert "the scale 'empty' has no levels" in result.stderr and "tracker check" in result.stderr
        check = run(db, "check")
        assert "scale 'empty' has no levels (questions long-range use it)" in check.output


def test_ranks_moved_by_100_refuse_timeline_in_one_line():
    with scratch_db() as db:
        craft(db, CASES["ranks moved by 100"][0])
        result = run(db, "timeline", "--question", "ground-troops")
        assert result.exit_code == 1
        assert "a stance has rank 10" in result.stderr and "ranked 0..5" in result.stderr


def test_export_jsonl_refuses_tags_that_are_no_list():
    """It used to write `"tags": 1`, a file its own import refuses."""
    with scratch_db() as db:
        craft(db, CASES["position tags 1"][0])
        result = run(db, "export", "jsonl")
        assert result.exit_code == 1
        assert "tags is not a list of texts (found '1')" in result.stderr


def test_a_sound_file_has_no_shape_problems():
    with scratch_db() as db:
        conn = sqlite3.connect(db)
        assert shape.find(conn) == []
        conn.close()


def test_shape_problems_name_the_first_rows_and_count_the_rest():
    with scratch_db() as db:
        craft(db, "UPDATE positions SET tags = '1'")
        conn = sqlite3.connect(db)
        (problem,) = shape.find(conn, db)
        conn.close()
        assert problem.startswith("positions rows 1, 2, 3, 4: tags is not a list of texts (found '1' in row 1)")
        assert "sqlite3" in problem.advice


def test_shape_check_reads_each_table_once_quickly():
    """Not a benchmark: a guard that the checks stay set-based (a few thousand rows)."""
    with scratch_db() as db:
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
            " INSERT INTO positions(uid, actor_id, question_id, level_id, date, date_start, date_end, precision,"
            " tags, created_at, updated_at) SELECT 'bulk-' || i, 1, 1, (SELECT level_id FROM positions WHERE id = 1),"
            " '2024', '2024-01-01', '2024-12-31', 'year', '[\"a\"]', 'x', 'x' FROM n"
        )
        conn.commit()
        started = time.perf_counter()
        assert shape.find(conn) == []
        assert time.perf_counter() - started < 2
        conn.close()
