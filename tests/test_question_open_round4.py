"""Opening a question on the million (issue 19): the answers are read from the moment the view
is made, while it is composed, mounted and laid out, or before, while the questions list's
cursor rests on the question; its positions list reads its rows only once the stances and
the movers are drawn (its first page, drawn on the interface's thread, came before them)."""

from __future__ import annotations

from textual.worker import get_current_worker
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_db,
    go_to,
    load_demo,
    notices,
    open_question,
    press,
    running,
    screen_lines_in,
    screen_text,
    settle,
)

from tracker.errors import OutOfShape
from tracker.store import Store
from tracker.tui.row_sources import PositionsSource
from tracker.tui.screens import question, questions
from tracker.tui.screens.question import QuestionScreen


@async_test
async def test_the_answers_are_read_once_from_the_moment_the_view_is_made(demo_db, monkeypatch):
    reads: list[tuple[str, int]] = []  # the group of the worker each read ran in, and its question

    def recorded(store, question_id, today):
        reads.append((get_current_worker().group, question_id))
        return read_answers(store, question_id, today)

    read_answers = question.read_answers
    monkeypatch.setattr(question, "read_answers", recorded)
    monkeypatch.setattr(questions, "READ_AHEAD_AFTER", 60.0)  # nothing read ahead here (see below)
    async with running(demo_db, size=(150, 45)) as pilot:
        await open_question(pilot)
        await settle(pilot)
        opened = pilot.app.screen.question_id
        assert reads == [("question-read", opened)]  # begun as the view was made, and the first load took it
        assert "Where each actor stands today" in screen_text(pilot.app)
        await pilot.resize_terminal(120, 45)  # a later load reads anew
        await settle(pilot)
        assert reads == [("question-read", opened), ("load", opened)]


@async_test
async def test_the_answers_of_the_question_the_cursor_rests_on_are_read_before_enter(tmp_path, monkeypatch):
    """The questions list reads ahead the answers of the question its cursor rests on: enter
    opens the view on them, read before the key. A change of the data in between (here a
    position added by another program) sets them aside: the view reads anew and shows it."""
    db = load_demo(tmp_path / "demo.db")
    reads: list[tuple[int, bool]] = []  # each read's question, and whether its view was open

    def recorded(store, question_id, today):
        reads.append((question_id, isinstance(app.screen, QuestionScreen)))
        return read_answers(store, question_id, today)

    read_answers = question.read_answers
    monkeypatch.setattr(question, "read_answers", recorded)
    async with running(db, size=(150, 45)) as pilot:
        app = pilot.app
        await press(pilot, "1")
        await go_to(pilot, lambda q: q.title == "Main battle tanks to Ukraine")
        tanks = app.screen.list.current.id
        await pilot.pause(questions.READ_AHEAD_AFTER + 0.2)  # the cursor rests
        await settle(pilot)
        assert (tanks, False) in reads
        before = len(reads)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and "Where each actor stands today" in screen_text(app)
        assert reads[before:] == []  # opened on the answers read ahead

        await press(pilot, "escape", "up", "down")  # back on the list, and on the tanks again
        await pilot.pause(questions.READ_AHEAD_AFTER + 0.2)
        await settle(pilot)
        assert reads[-1] == (tanks, False)  # read ahead again
        with Store.open(db) as elsewhere:  # another program adds a statement
            elsewhere.add_actor("Latvia", slug="latvia")
            elsewhere.add_position(actor="latvia", question=tanks, stance="committed", date="2023-01-20")
        app.data_changed_signal.publish("file")  # as the file watcher says it
        await settle(pilot)
        await press(pilot, "enter")
        await settle(pilot)
        region = app.screen.query_one("#stances").region
        stances = screen_lines_in(app, region)
        assert any("Latvia" in line for line in stances), stances  # not the answers read before the change


@async_test
async def test_the_positions_are_read_once_the_stances_and_movers_are_drawn(demo_db, monkeypatch):
    events: list[str] = []
    show, count = QuestionScreen.show, PositionsSource.count

    def shown(self, *args, **kwargs):
        events.append("answers shown")
        return show(self, *args, **kwargs)

    def counted(self, store):
        if self.question_id is not None:
            events.append("positions read")
        return count(self, store)

    monkeypatch.setattr(QuestionScreen, "show", shown)
    monkeypatch.setattr(PositionsSource, "count", counted)
    async with running(demo_db, size=(150, 45)) as pilot:
        await open_question(pilot)
        await settle(pilot)
        assert events == ["answers shown", "positions read"]
        assert "25 Jan 2023  Olaf Scholz" in screen_text(pilot.app)  # the list has its rows


@async_test
async def test_a_question_whose_answers_cannot_be_read_still_lists_its_positions(demo_db, monkeypatch):
    def spoiled(*args, **kwargs):
        raise OutOfShape("questions row 1: tags is not a list of texts (found 'null')")

    monkeypatch.setattr(question, "read_answers", spoiled)
    async with running(demo_db, size=(150, 45), notifications=True) as pilot:
        await open_question(pilot)
        app = pilot.app
        assert isinstance(app.screen, QuestionScreen) and app.is_running and app.crash_error is None
        assert any("tags is not a list of texts" in n for n in notices(app))
        assert "25 Jan 2023  Olaf Scholz" in screen_text(app)


def test_the_answers_are_read_with_the_collector_paused_and_it_resumes(demo_db, monkeypatch):
    import gc
    from datetime import date

    from tracker.store import Store, reads

    seen: list[bool] = []
    brief = reads.question_brief

    def recorded(conn, question_id):
        found = brief(conn, question_id)
        seen.append(gc.isenabled())
        return found

    monkeypatch.setattr(reads, "question_brief", recorded)
    with Store.open(demo_db) as store:
        answers = question.read_answers(store, store.questions()[0].id, date(2025, 1, 15))
    assert answers.positions and seen == [False] and gc.isenabled()


def test_the_date_texts_kept_between_reads_stay_bounded(demo_db, monkeypatch):
    from tracker.store import Store, reads

    reads._KEPT_DATES.clear()
    with Store.open(demo_db) as store:
        question_id = store.questions()[0].id
        first = reads.question_brief(store.conn, question_id)
        kept = len(reads._KEPT_DATES)
        assert kept == len({p.date.edtf for p in first})  # each text parsed once, kept
        reads._KEPT_DATES["2099"] = reads._KEPT_DATES[first[0].date.edtf]  # one more than this question's
        assert reads.question_brief(store.conn, question_id) == first and "2099" in reads._KEPT_DATES
        monkeypatch.setattr(reads, "_KEPT_DATES_AT_MOST", kept - 1)  # fewer than are kept now
        assert reads.question_brief(store.conn, question_id) == first
        assert "2099" not in reads._KEPT_DATES and len(reads._KEPT_DATES) == kept  # started again from empty
    reads._KEPT_DATES.clear()
