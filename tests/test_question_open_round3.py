"""Opening a question, round 3 (issue 19): the footer is built once, not once per refresh of
the bindings, after the stances and the movers; the question is read in one row (a worker
that reads row by row waits for the interface's thread at each row); what is shown is the same."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey
from tui_helpers import async_test, content_text, demo_db, open_question, press, running, screen_text, settle  # noqa: F401

from tracker.errors import OutOfShape
from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store, reads
from tracker.tui.screens.question import QuestionScreen

ROOT = Path(__file__).resolve().parents[1]


def generated(path: Path, seed: int) -> Path:
    made = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--positions", "1500", "--actors", "40",
         "--questions", "8", "--sources", "30", "--seed", str(seed)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    with Store.open(path) as store:
        import_records(store, read_records(io.StringIO(made.stdout)))
    return path


@pytest.mark.parametrize("seed", [1, 2])
def test_a_question_read_in_one_row_equals_its_brief_statements(tmp_path, seed):
    with Store.open(generated(tmp_path / "gen.db", seed)) as store:
        statements: list[str] = []
        for q in store.questions():
            expected = reads.brief_statements(store.conn, [q.id]).get(q.id, [])
            store.conn.set_trace_callback(statements.append)
            try:
                got = reads.question_brief(store.conn, q.id)
            finally:
                store.conn.set_trace_callback(None)
            assert got == expected and got  # the same records, in timeline order
            assert len(statements) == 1  # one statement, one row
            statements.clear()
        assert reads.question_brief(store.conn, 10_000) == []  # no such question: nothing


def test_a_question_read_in_one_row_goes_through_the_indexes(tmp_path):
    with Store.open(generated(tmp_path / "gen.db", 1)) as store:
        plan = [r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + reads._QUESTION_AT_ONCE, (1,))]
    assert any(line.startswith("SEARCH p USING COVERING INDEX positions_question_actor_date") for line in plan), plan  # schema 7
    assert any(line.startswith("SEARCH actors USING INTEGER PRIMARY KEY") for line in plan), plan
    assert any("COVERING INDEX positions_question_actor_date" in line for line in plan), plan
    assert not any(line.startswith("SCAN") and "positions" in line for line in plan), plan


def test_a_question_read_in_one_row_says_what_is_out_of_shape(demo_db):
    """A blob where a level's key should be (a file changed by another program): JSON cannot
    hold it, the row-by-row read says what is wrong, as it did."""
    with Store.open(demo_db) as store:
        question = store.questions()[0]
        with store.transaction() as conn:
            conn.execute("PRAGMA ignore_check_constraints = ON")
            conn.execute("UPDATE levels SET key = CAST(key AS BLOB)")
        with pytest.raises(OutOfShape) as row_by_row:
            reads.brief_statements(store.conn, [question.id])
        with pytest.raises(OutOfShape) as at_once:
            reads.question_brief(store.conn, question.id)
    assert str(at_once.value) == str(row_by_row.value)


@async_test
async def test_opening_a_question_builds_its_footer_once(demo_db, monkeypatch):
    """Textual's footer builds its keys again at each refresh of the bindings: six times while
    a question opened, each time the same keys (20-50 ms each on the interface's thread, before
    the question was drawn). Now once, after the stances and the movers are drawn; the keys
    follow the focus as before."""
    builds: list[int] = []  # the keys of each build of the question's footer
    stances: list[str] = []  # the stances drawn when it was built
    compose = TextualFooter.compose

    def counted(self):
        keys = list(compose(self))
        if isinstance(self.screen, QuestionScreen) and keys:
            builds.append(len(keys))
            stances.append(content_text(self.screen.query_one("#stances")))
        return iter(keys)

    monkeypatch.setattr(TextualFooter, "compose", counted)
    async with running(demo_db, size=(150, 45)) as pilot:
        app = pilot.app
        await open_question(pilot)
        await settle(pilot)
        assert builds == [len(app.screen.query(FooterKey))]
        assert "Where each actor stands today" in stances[0]  # built once they were drawn: not in their way
        footer = screen_text(app).splitlines()[-1]
        assert "Diff" in footer and "Movers" in footer
        await press(pilot, "tab")  # the summary: the positions' keys go
        footer = screen_text(app).splitlines()[-1]
        assert "Diff" not in footer and "Movers" in footer
        await press(pilot, "shift+tab")
        assert "Diff" in screen_text(app).splitlines()[-1]
