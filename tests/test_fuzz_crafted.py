"""Fuzz: files from someone else with schema-valid but out-of-shape values, written with plain
SQL into a copy of the small sample database (built once per test process). Every command
ends with exit 0 or 1 and at most one line on stderr, never a traceback; `check` reports a
problem for each kind of value crafted."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tracker.cli import cli

from fuzz_helpers import WIDE, assert_no_traceback, fuzz_settings, scratch_db

COMMANDS = [
    ["list", "positions"], ["list", "questions"], ["timeline"], ["diff", "2"],
    ["movers", "--question", "ground-troops"], ["movers", "--tag", "ukraine"],
    ["export", "markdown"], ["export", "jsonl"], ["search", "troops"],
]  # fmt: skip

# JSON that SQLite's json_valid accepts but that is no list of texts.
NOT_TAGS = st.one_of(
    st.sampled_from(["1", "null", "true", '"x"', "{}", '{"a": ["b"]}', "[1]", "[null]", '["a", 2]', "[[]]", '[["a"]]', "1.5"]),
    st.lists(st.one_of(st.integers(), st.none(), st.booleans(), st.floats(allow_nan=False)), min_size=1, max_size=3).map(json.dumps),
    st.integers().map(str),
)
NOT_DATES = st.one_of(
    st.sampled_from(["", "garbage", "2024-13", "2024-02-30", "24", "2024-1-5", " 2024", "2024~~", "26 Feb 2024", "0000"]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12).filter(lambda t: not t[:4].isdigit()),
)


@st.composite
def crafted(draw):
    """(kind, SQL statement, what `check` must say of it)."""
    kind = draw(st.sampled_from(["position tags", "question tags", "ranks", "rank type", "no levels", "date", "published", "date_start"]))
    if kind == "position tags":
        row = draw(st.integers(1, 4))
        return kind, f"UPDATE positions SET tags = {_q(draw(NOT_TAGS))} WHERE id = {row}", "tags is not a list of texts"
    if kind == "question tags":
        row = draw(st.integers(1, 2))
        return kind, f"UPDATE questions SET tags = {_q(draw(NOT_TAGS))} WHERE id = {row}", "tags is not a list of texts"
    scale = draw(st.sampled_from(["commitment", "agreement"]))
    scale_id = f"(SELECT id FROM scales WHERE key = '{scale}')"
    if kind == "ranks":
        # Moved up together, or spread out: still distinct, no longer 0..n-1.
        shift, factor = draw(st.integers(100, 10**6)), draw(st.sampled_from([1, 2, 7]))
        return kind, f"UPDATE levels SET rank = rank * {factor} + {shift} WHERE scale_id = {scale_id}", "ranks must be 0.."
    if kind == "rank type":
        value = draw(st.sampled_from(["'high'", "1.5", "X'01'", "'3'"]))
        # '3' becomes the integer 3 (the column's affinity): that is a clash, or a sound rank on a
        # spare level; only the texts, reals and blobs that stay what they are must be reported.
        if value == "'3'":
            value = "'three'"
        return kind, f"UPDATE levels SET rank = {value} WHERE scale_id = {scale_id} AND rank = 0", "rank is not a whole number"
    if kind == "no levels":
        return kind, f"DELETE FROM levels WHERE scale_id = {scale_id}", f"scale '{scale}' has no levels"
    if kind == "date":
        row = draw(st.integers(1, 4))
        return kind, f"UPDATE positions SET date = {_q(draw(NOT_DATES))} WHERE id = {row}", "date is not a date"
    if kind == "published":
        return kind, f"UPDATE sources SET published = {_q(draw(NOT_DATES.filter(bool)))} WHERE id = 1", "published is not a date"
    row = draw(st.integers(1, 4))
    day = draw(st.dates().map(lambda d: d.isoformat()))
    return kind, f"UPDATE positions SET date_start = '{day}', date_end = max(date_end, '{day}') WHERE id = {row}", "do not match the date"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@given(changes=st.lists(crafted(), min_size=1, max_size=3))
@fuzz_settings(40)
def test_crafted_values_never_crash_a_command_and_check_names_each(changes):
    with scratch_db() as db:
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA foreign_keys = OFF")
        applied = []
        # Levels are removed first, then moved, then spoiled: a later change then finds no row
        # to change rather than undoing what an earlier one crafted.
        order = ["no levels", "ranks", "rank type"]
        for kind, sql, said in sorted(changes, key=lambda c: order.index(c[0]) if c[0] in order else -1):
            before = conn.total_changes
            try:
                conn.execute(sql)
            except sqlite3.IntegrityError:  # the schema refuses it: not a value that gets in
                continue
            if conn.total_changes > before:
                applied.append((kind, sql, said))
        conn.commit()
        conn.close()
        for args in COMMANDS:
            result = CliRunner().invoke(cli, ["--db", str(db), *args], env=WIDE)
            assert_no_traceback(result)
            assert result.exit_code in (0, 1), (args, result.exit_code, result.output)
            assert len(result.stderr.splitlines()) <= 1, (args, result.stderr)
        check = CliRunner().invoke(cli, ["--db", str(db), "check"], env=WIDE)
        assert_no_traceback(check)
        for kind, sql, said in applied:
            if kind == "date_start" and _matches(db, sql):
                continue  # drew the very day the date starts on: nothing is out of shape
            assert check.exit_code == 1 and said in check.output, (sql, check.output)


def _matches(db, sql: str) -> bool:
    """Whether a date_start change left every position's start where its date puts it."""
    conn = sqlite3.connect(db)
    try:
        from tracker.store import shape

        return not any("do not match" in p for p in shape.find(conn))
    finally:
        conn.close()
