"""`tracker check` says what is wrong in words: which table, which row, what, and what to do.

Each test damages a copy of a real file the way it happens (another program editing
with foreign keys off, a search index out of step, bytes overwritten on disk) and
reads what the command line prints. Where the advice is a command, the test runs it
and checks that the file is sound again.
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import LATEST_VERSION, Store

FIXTURE = Path(__file__).parent / "fixtures" / f"schema-{LATEST_VERSION:04d}.db.gz"
ENV = {"COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}
DAMAGED_ADVICE = "the file is damaged: stop writing to it, and restore it from a backup"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A copy of a real file with varied rows (the current version's fixture)."""
    copy = tmp_path / "tracker.db"
    copy.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    return copy


def edit(path: Path, *statements: str) -> None:
    """Another program's edits: a plain connection, foreign keys off (SQLite's default)."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def state(path: Path) -> tuple:
    return sorted(p.name for p in path.parent.iterdir()), path.read_bytes(), path.stat().st_mtime_ns


def check(path: Path) -> tuple[int, list[str], list[str], list[str]]:
    """Exit code, problems, what to do, notes; and the output's shape is checked."""
    done = CliRunner().invoke(cli, ["--db", str(path), "check"], env=ENV)
    assert "Traceback" not in done.output and (done.exception is None or isinstance(done.exception, SystemExit))
    lines = done.stderr.splitlines()
    if done.exit_code == 0:
        assert done.stdout.startswith(f"{path}: ok ("), done.stdout
        assert all(line.startswith("note: ") for line in lines), lines
        return 0, [], [], [line.removeprefix("note: ") for line in lines]
    assert done.exit_code == 1, done.output
    problems = [line.removeprefix("problem: ") for line in lines if line.startswith("problem: ")]
    advice = [line.removeprefix("what to do: ") for line in lines if line.startswith("what to do: ")]
    notes = [line.removeprefix("note: ") for line in lines if line.startswith("note: ")]
    assert lines[-1] == f"tracker: {len(problems)} problem{'s' if len(problems) != 1 else ''} found in {path}", lines
    assert len(notes) + len(problems) + len(advice) + 1 == len(lines), lines
    assert advice, "every problem comes with what to do"
    return 1, problems, advice, notes


def run_advised_sql(path: Path, advice: str) -> None:
    """Runs the command the advice gives: sqlite3 FILE "SQL"."""
    m = re.search(rf'sqlite3 {re.escape(str(path))} "(.*)"$', advice)
    assert m, advice
    conn = sqlite3.connect(path)
    try:
        conn.executescript(m[1])
    finally:
        conn.close()


# ---------------------------------------------------------------------- sound files


def test_a_sound_file_is_ok_and_checking_changes_nothing(path):
    before = state(path)
    code, _, _, notes = check(path)
    assert code == 0 and notes == []
    assert state(path) == before
    with Store.open(path) as store:
        assert store.check() == []


# ---------------------------------------------------------------------- rows edited by another program


def test_an_actor_deleted_with_foreign_keys_off(path):
    edit(path, "DELETE FROM actors WHERE slug = 'macron'")
    before = state(path)
    code, problems, advice, _ = check(path)
    assert code == 1
    assert sorted(problems) == [  # in the order SQLite walks the tables
        "actor_aliases row 1 refers to a missing row in actors",
        "actor_aliases row 2 refers to a missing row in actors",
        "actor_aliases row 3 refers to a missing row in actors",
        "positions row 1 refers to a missing row in actors",
        "positions row 2 refers to a missing row in actors",
    ]
    assert advice == [
        "rows of actors were deleted by another program with foreign keys off: restore the file from a backup,"
        f" or put the missing actors back (or delete the rows that refer to them) with: sqlite3 {path}"
    ]
    assert state(path) == before


def test_many_rows_refering_to_one_missing_row_are_grouped(path):
    with Store.open(path) as store:
        for year in range(2000, 2010):
            store.add_position(actor="nato", question="ground-troops", stance="open", date=str(year))
    edit(path, "DELETE FROM actors WHERE slug = 'nato'")
    _, problems, _, _ = check(path)
    grouped = [p for p in problems if p.startswith("positions rows ")]
    # 12 was the id of a position deleted in the fixture: ids are never given twice.
    assert grouped == ["positions rows 4, 13, 14, 15, 16 and 6 more refer to missing rows in actors"], problems


def test_values_a_table_does_not_allow(path):
    edit(path, "PRAGMA ignore_check_constraints = ON", "UPDATE positions SET precision = 'century' WHERE id IN (2, 3)")
    _, problems, advice, _ = check(path)
    assert problems[0] == "positions rows 2, 3 hold values the table does not allow (its rule: precision IN ('day', 'month', 'year'))"
    assert advice[0] == (
        f"rows of positions were changed by another program: restore the file from a backup, or correct the rows named above with: sqlite3 {path}"
    )
    # What the program relies on, found by its own check of the values (tracker/store/shape.py).
    assert problems[1:] == [
        "positions rows 2, 3: date_start, date_end or precision do not match the date (row 2: date '2023-06',"
        " from '2023-06-01' to '2023-06-30'); lists order and filter by them"
    ]


def test_a_stance_from_another_scale(path):
    edit(path, "UPDATE positions SET level_id = (SELECT id FROM levels WHERE key = 'supports') WHERE id = 1")
    _, problems, advice, _ = check(path)
    assert problems == ["position 1 has a stance from another scale than its question's"]
    assert "choose a stance on its question's scale" in advice[0]


# ---------------------------------------------------------------------- indexes out of step, and the advised repair


@pytest.mark.parametrize(
    "statements, problem",
    [
        (
            ["DELETE FROM positions_fts"],  # external content: drops the index entries only
            "the search index positions_fts is out of step with its table: searching may miss positions or find wrong ones",
        ),
        (
            ["INSERT INTO questions_fts(questions_fts, rowid, title, description) VALUES ('delete', 1, 'x', 'y')"],
            "the search index questions_fts is out of step with its table: searching may miss questions or find wrong ones",
        ),
        (["DELETE FROM actors_fts WHERE rowid = 3"], "the actor search index misses 1 actor (or has an old name for them)"),
        (["UPDATE actors_fts SET name = 'Someone else' WHERE rowid = 2"], "the actor search index misses 1 actor (or has an old name for them)"),
        (["INSERT INTO actors_fts(rowid, name, aliases) VALUES (99, 'Ghost', '')"], "the actor search index holds 1 actor that no longer exists"),
    ],
    ids=["positions", "questions", "actor missing", "actor renamed", "actor extra"],
)
def test_a_search_index_out_of_step_and_its_rebuild(path, statements, problem):
    edit(path, *statements)
    _, problems, advice, _ = check(path)
    assert problems == [problem]
    (what,) = advice
    assert what.startswith("only search is affected, the data is intact; rebuild the index ")
    run_advised_sql(path, what)
    assert check(path)[0] == 0


def test_an_index_out_of_step_and_its_rebuild(path):
    # Rows changed while the index was defined on another column, then its definition put
    # back: its entries no longer match the rows (its definition is ours again).
    swap = "UPDATE sqlite_master SET sql = replace(sql, 'positions({}', 'positions({}') WHERE name = 'positions_source'"
    edit(path, "PRAGMA writable_schema = ON", swap.format("source_id", "level_id"))
    edit(path, "UPDATE positions SET source_id = NULL WHERE source_id IS NOT NULL")
    edit(path, "PRAGMA writable_schema = ON", swap.format("level_id", "source_id"))
    _, problems, advice, _ = check(path)
    assert len(problems) == 1 and problems[0].startswith(
        "the index positions_source of the table positions is out of step with the table ("
    ), problems
    assert "SQLite says: 'row " in problems[0]
    assert advice == [
        f"an index is a copy of its table's rows, which are intact; rebuild it with: sqlite3 {path} \"REINDEX positions_source\""
    ]
    run_advised_sql(path, advice[0])
    assert check(path)[0] == 0


def test_pages_that_belong_to_nothing_and_the_advised_vacuum(path):
    edit(path, "PRAGMA journal_mode = DELETE", "DELETE FROM revisions")  # leaves free pages
    overwrite(path, 32, b"\x00" * 8)  # the header forgets the list of free pages
    _, problems, advice, _ = check(path)
    assert len(problems) == 1 and problems[0].startswith("some pages of the file belong to nothing (SQLite says: 'Page "), problems
    assert advice == [
        "pages that belong to nothing only waste space, but they are a sign of damage: make a backup (`tracker backup`),"
        f" then rebuild the file with: sqlite3 {path} VACUUM"
    ]
    edit(path, "VACUUM")
    assert check(path)[0] == 0


# ---------------------------------------------------------------------- damaged pages


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A file whose positions take up many pages, made the same way every time."""
    path = tmp_path / "big.db"
    records = [
        {"type": "actor", "uid": "00000000-0000-4000-8000-00000000a001", "slug": "france", "name": "France"},
        {"type": "question", "uid": "00000000-0000-4000-8000-00000000b001", "slug": "troops", "title": "Troops"},
    ] + [
        {"type": "position", "uid": f"00000000-0000-4000-8000-{i:012d}", "actor": "france", "question": "troops",
         "stance": "open", "date": str(1700 + i), "quote": f"quote number {i} " * 30}
        for i in range(1, 301)
    ]  # fmt: skip
    with Store.open(path) as store:
        import_records(store, jsonl.read_records(json.dumps(r) + "\n" for r in records))
    return path


def page_size_and_root(path: Path, name: str) -> tuple[int, int]:
    conn = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
    try:
        (size,) = conn.execute("PRAGMA page_size").fetchone()
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
        return size, root
    finally:
        conn.close()


def overwrite(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(data)


def damage_positions_root(path: Path) -> None:
    """Garbage over the cell pointers of the positions table's first page."""
    size, root = page_size_and_root(path, "positions")
    overwrite(path, (root - 1) * size + 12, b"\xff\xf0" * 8)


def turn_positions_root_into_a_leaf(path: Path) -> None:
    """One byte: the top page of the positions table claims to be a leaf."""
    size, root = page_size_and_root(path, "positions")
    overwrite(path, (root - 1) * size, b"\x0d")


def damage_the_middle(path: Path) -> None:
    """4 KB of garbage in the middle of the file."""
    overwrite(path, path.stat().st_size // 2, b"\xff" * 4096)


def damage_an_index(path: Path) -> None:
    size, root = page_size_and_root(path, "positions_date")
    overwrite(path, (root - 1) * size, b"\x00" * size)


def damage_the_search_index(path: Path) -> None:
    size, root = page_size_and_root(path, "positions_fts_data")
    overwrite(path, (root - 1) * size, b"\x00" * 100)


@pytest.mark.parametrize(
    "damage, problem",
    [
        (damage_positions_root, "the file is damaged: some rows of the table positions cannot be read (database disk image is malformed)"),
        (turn_positions_root_into_a_leaf, "the file is damaged in the table positions (SQLite says: 'On tree page "),
        (damage_the_middle, "the file is damaged"),
        (damage_an_index, "the file is damaged: an index of the table positions cannot be read, though its rows can"),
        (damage_the_search_index, "the file is damaged: the search index of positions (positions_fts_data) cannot be read"),
    ],
    ids=["table page", "one byte", "middle of the file", "index page", "search index page"],
)
def test_a_damaged_page(big, damage, problem):
    damage(big)
    before = state(big)
    code, problems, advice, notes = check(big)
    assert code == 1
    assert len(problems) == 1 and problems[0].startswith(problem), problems
    assert advice == [
        f"{DAMAGED_ADVICE} (`tracker backup` makes one); to save what can still be read, run:"
        f" sqlite3 {big} .recover | sqlite3 recovered.db"
    ]
    assert notes == ["foreign keys and search indexes were not checked: the file is damaged"]
    assert state(big) == before


def test_a_file_too_damaged_to_open(big):
    overwrite(big, 100, b"\xff" * 12)  # the header of the first page, which lists the tables
    before = state(big)
    done = CliRunner().invoke(cli, ["--db", str(big), "check"], env=ENV)
    assert done.exit_code == 1 and done.stderr.count("\n") == 1, done.output
    assert done.stderr == (
        f"tracker: {big} is damaged and cannot be read as a database (database disk image is malformed);"
        " it was left untouched. Restore it from a backup\n"
    )
    assert state(big) == before


def test_other_commands_on_a_damaged_file_point_to_check(big):
    damage_positions_root(big)
    done = CliRunner().invoke(cli, ["--db", str(big), "list", "positions"], env=ENV)
    assert done.exit_code == 1 and done.stderr.count("\n") == 1, done.output
    assert done.stderr == (
        f"tracker: {big} is damaged (database disk image is malformed); nothing was written."
        " `tracker check` tells where; restore it from a backup\n"
    )


def test_every_problem_carries_what_to_do(path):
    edit(path, "DELETE FROM actors WHERE slug = 'mark-rutte'", "DELETE FROM positions_fts", "DELETE FROM actors_fts WHERE rowid = 1")
    with Store.open(path) as store:
        problems = store.check()
    assert len(problems) >= 3
    assert all(p.advice for p in problems)
