"""A question view's workers hand their results to the main thread, and the view can be left
in between: its children are then removed in no set order. What they hand over finds a part
gone and is dropped; the interface stays up (the benchmark's quick Escape met "No nodes match
'#chart'" and the app ended)."""

from __future__ import annotations

import pytest
from rich.console import Group
from rich.text import Text
from tui_helpers import async_test, demo_db, open_question, running, screen_text  # noqa: F401 (demo_db is a fixture)

from tracker.tui.screens.question import QuestionScreen


@pytest.mark.parametrize("gone", ["#chart", "#stances", "#summary"])
@async_test
async def test_a_result_for_a_view_part_gone_is_dropped(demo_db, gone):
    async with running(demo_db) as pilot:
        await open_question(pilot)
        view = pilot.app.screen
        assert isinstance(view, QuestionScreen)
        await view.query_one(gone).remove()
        chart_left = bool(view.query("#chart"))  # a part of the summary, or the summary
        view.show_chart(Group(Text("a chart come late")), view.chart_turn)
        view.show("late", Group(Text("late")), None, None, None)
        await pilot.pause()
        assert pilot.app.is_running and pilot.app.screen is view
        assert ("a chart come late" in screen_text(pilot.app)) == chart_left
