"""Opening a question and the movers of a tag read who said what when only: the positions of
the questions asked for, without their texts, through the index; the answers they give are
those of the full positions (the slow reference), on generated data of several seeds."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    content_text,
    demo_db,
    open_question,
    running,
    screen_text,
    settle,
)

from tracker import answers, render
from tracker.domain.movers import as_of, level_to_show, movers_report, question_movers, top_parents
from tracker.domain.swimlane import axis, lanes
from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store, reads
from tracker.tui.screens.question import QuestionScreen

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (1, 2, 3)
TODAY = date(2020, 6, 15)  # inside the generated dates (2014 to 2024): some positions come after it


def generated(path: Path, seed: int) -> Path:
    """A small file from benchmarks/generate.py: 8 questions (the tag group-00), 40 actors, some
    of them with a parent so that roll-up has something to do."""
    made = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--positions", "1500", "--actors", "40",
         "--questions", "8", "--sources", "30", "--seed", str(seed)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    with Store.open(path) as store:
        import_records(store, read_records(io.StringIO(made.stdout)))
        with store.transaction() as conn:
            conn.execute("UPDATE actors SET parent_id = id - 1 WHERE id % 5 = 0 AND id > 1")
    return path


@pytest.fixture(params=SEEDS, ids=lambda s: f"seed{s}")
def store(request, tmp_path):
    with Store.open(generated(tmp_path / "gen.db", request.param)) as s:
        yield s


def text(renderable) -> str:
    console = Console(width=160, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def test_brief_statements_are_the_positions_less_their_texts(store):
    questions = store.questions()
    brief = reads.brief_statements(store.conn, [q.id for q in questions])
    assert set(brief) == {q.id for q in questions if store.count_positions(question_id=q.id)}
    for q in questions:
        full = reads.statements(store.conn, question_id=q.id)
        got = brief.get(q.id, [])
        assert [s._replace(quote="", quote_lang="", paraphrase="", context="", source=None) for s in full] == got
        assert [p.id for p in got] == [p.id for p in full]  # timeline order


def test_the_question_view_answers_equal_the_reference(store):
    """Stances as of a date, the movers at the level shown and the chart: from the brief
    statements, as from the full positions (ordered by date, as Store.positions gives them)."""
    for q in store.questions():
        scale = store.scale(q.scale_key)
        slow = store.positions(question_id=q.id)
        fast = reads.brief_statements(store.conn, [q.id])[q.id]
        assert {a: p.id for a, p in as_of(fast, TODAY, in_order=True).items()} == {a: p.id for a, p in as_of(slow, TODAY).items()}
        level = level_to_show(scale, slow)
        assert level_to_show(scale, fast) == level
        lowest = min(scale.levels, key=lambda lv: lv.rank)
        assert text(render.movers_table(question_movers(q, fast, level, lowest), limit=40)) == text(
            render.movers_table(question_movers(q, slow, level, lowest), limit=40)
        )
        chart_axis = axis([p.date.start for p in slow], 100)
        assert axis([p.date.start for p in fast], 100) == chart_axis
        assert text(render.swimlane_chart(lanes(fast, chart_axis, limit=40), scale, chart_axis)) == text(
            render.swimlane_chart(lanes(slow, chart_axis, limit=40), scale, chart_axis)
        )


@pytest.mark.parametrize("roll_up", [False, True], ids=["own", "roll-up"])
@pytest.mark.parametrize("level", [None, "open"])
def test_the_movers_of_a_tag_equal_the_reference(store, roll_up, level):
    """answers.movers (the CLI, the Movers view, the markdown) against movers_report over
    Store.positions, the reference it replaced."""
    questions = answers.choose_questions(store, tag="group-00")
    assert len(questions) == 8
    got = answers.movers(store, questions, level=level, roll_up=roll_up, chronological=True)
    scale = store.scale(questions[0].scale_key)
    reach = scale.level(level or "committed")
    lowest = min(scale.levels, key=lambda lv: lv.rank)
    reference = movers_report(
        [(q, store.positions(question_id=q.id)) for q in questions], reach, lowest,
        tops=top_parents(store.actors()) if roll_up else None, chronological=True,
    )  # fmt: skip
    assert got.as_dict() == reference.as_dict()
    assert text(render.movers_view(got)) == text(render.movers_view(reference))


def test_the_brief_read_goes_through_the_index_and_reads_the_questions_rows_only(store):
    """The plan: the rows found through an index on question_id, no scan of the positions
    table. The rows read are those of the questions asked for, and no more."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        wanted = [q.id for q in store.questions()[:2]]
        found = reads.brief_statements(store.conn, wanted)
    finally:
        store.conn.set_trace_callback(None)
    read = [s for s in statements if "FROM positions" in s]
    assert len(read) == 1
    plan = [r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + read[0])]
    assert any(line.startswith("SEARCH p USING") and "INDEX positions_question_" in line for line in plan), plan
    assert not any(line.startswith("SCAN") and "positions" in line for line in plan), plan
    assert "quote" not in read[0] and "paraphrase" not in read[0]  # no text, no overflow page
    assert sum(map(len, found.values())) == sum(store.count_positions(question_id=q) for q in wanted)


@async_test
async def test_opening_a_question_loads_it_once_and_draws_the_chart_after(demo_db, monkeypatch):
    """The first screen (stances, movers), then the chart below; the resize that follows the
    screen's mount does not load it a second time, a new width does."""
    loads: list[int] = []
    original = QuestionScreen.load
    monkeypatch.setattr(QuestionScreen, "load", lambda self: (loads.append(self.size.width), original(self))[1])
    async with running(demo_db, size=(150, 45)) as pilot:
        app = pilot.app
        await open_question(pilot)
        await settle(pilot)
        assert loads == [150]
        shown = screen_text(app)
        assert "Where each actor stands today" in shown and "Movers: who reached" in shown
        assert "Over time" in content_text(app.screen.query_one("#chart"))
        await pilot.resize_terminal(120, 45)
        await settle(pilot)
        assert loads == [150, 120]
        assert "Over time" in content_text(app.screen.query_one("#chart"))
