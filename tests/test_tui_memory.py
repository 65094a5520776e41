"""Screens that are left are freed: browsing question after question must not keep each
one's statements in memory for as long as the interface runs."""

from __future__ import annotations

import gc

from tui_helpers import async_test, demo_db, running, settle  # noqa: F401 (demo_db is a fixture)

from tracker.tui.screens.question import QuestionScreen


@async_test
async def test_questions_opened_and_left_are_freed(demo_db):
    async with running(demo_db, size=(120, 40)) as pilot:
        app = pilot.app
        for _ in range(4):
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, QuestionScreen)
            await pilot.press("escape", "down")
            await settle(pilot)
        gc.collect()
        # The last one left may still be held by its last worker's record for a moment;
        # none may stay behind from before (each of them stayed, with its statements).
        assert len([s for s in gc.get_objects() if isinstance(s, QuestionScreen)]) <= 1
        # A change to the file still reaches the screens that are shown.
        app.data_changed_signal.publish("file")
        await settle(pilot)
        assert app.return_code is None
