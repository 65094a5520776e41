"""Opening a question on the million (issue 19): the answers are read from the moment the view
is made, while it is composed, mounted and laid out, and its positions list reads its rows
only once the stances and the movers are drawn (its first page, drawn on the interface's
thread, came before them)."""

from __future__ import annotations

from textual.worker import get_current_worker
from tui_helpers import async_test, demo_db, notices, open_question, running, screen_text, settle  # noqa: F401 (demo_db is a fixture)

from tracker.errors import OutOfShape
from tracker.tui.row_sources import PositionsSource
from tracker.tui.screens import question
from tracker.tui.screens.question import QuestionScreen


@async_test
async def test_the_answers_are_read_once_from_the_moment_the_view_is_made(demo_db, monkeypatch):
    reads: list[str] = []  # the group of the worker each read ran in
    read_answers = question.read_answers

    def recorded(*args, **kwargs):
        reads.append(get_current_worker().group)
        return read_answers(*args, **kwargs)

    monkeypatch.setattr(question, "read_answers", recorded)
    async with running(demo_db, size=(150, 45)) as pilot:
        await open_question(pilot)
        await settle(pilot)
        assert reads == ["question-read"]  # begun as the view was made, and the first load took it
        assert "Where each actor stands today" in screen_text(pilot.app)
        await pilot.resize_terminal(120, 45)  # a later load reads anew
        await settle(pilot)
        assert reads == ["question-read", "load"]


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
