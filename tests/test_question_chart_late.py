"""A resize asks for the question's chart again; the chart asked for first can still be handed
over last (its worker found itself not yet cancelled, then the newer one finished first). Under
load the view then kept a chart drawn for the width before: wrapped in two, its lines doubled
(found by tests/test_answers_drawing.py comparing a resized view with one opened at that width).
Only the chart asked for last is shown."""

from __future__ import annotations

import threading

from tui_helpers import async_test, content_text, demo_db, open_question, running, settle  # noqa: F401 (demo_db is a fixture)

from tracker.tui.screens import question
from tracker.tui.screens.question import QuestionScreen


class NeverCancelled:
    """What an old worker saw: its check passed just before the newer one started."""

    is_cancelled = False


@async_test
async def test_a_chart_drawn_for_the_width_before_a_resize_is_not_shown_after_the_new_one(demo_db, monkeypatch):
    held, release = threading.Event(), threading.Event()
    real_lanes = question.lanes

    def slow_first_lanes(*args, **kwargs):
        if not held.is_set():  # the first chart after arming: held until the newer one is shown
            held.set()
            release.wait(10)
        return real_lanes(*args, **kwargs)

    async with running(demo_db, size=(140, 40)) as pilot:
        await open_question(pilot)
        view = pilot.app.screen
        assert isinstance(view, QuestionScreen)
        monkeypatch.setattr(question, "get_current_worker", NeverCancelled)
        monkeypatch.setattr(question, "lanes", slow_first_lanes)
        await pilot.resize_terminal(130, 40)  # its chart waits in the worker
        while not held.is_set():
            await pilot.pause(0.01)
        await pilot.resize_terminal(80, 40)
        await pilot.pause(0.3)  # the newer chart drawn and shown meanwhile
        release.set()
        await settle(pilot)
        await pilot.pause(0.1)
        chart = view.query_one("#chart")
        lines = content_text(chart, width=400).splitlines()
        assert any("Over time" in line for line in lines)
        widest = max(len(line.rstrip()) for line in lines)
        assert widest <= chart.content_region.width, f"a chart {widest} wide in {chart.content_region.width} columns"
