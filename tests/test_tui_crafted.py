"""The interface on a database from someone else with out-of-shape values (issue 16, item 4):
a screen whose read meets such a value says so in one line, naming the row and `tracker
check`, and the app goes on running (it used to die on its first screen)."""

from __future__ import annotations

from textual.worker import WorkerFailed

import tui_helpers
from fuzz_helpers import craft
from tracker.errors import OutOfShape
from tui_helpers import async_test, demo_db, notices, running, screen_text  # noqa: F401 (demo_db is a fixture)


async def settle(pilot, rounds: int = 10) -> None:
    """tui_helpers.settle, through the workers that met a spoiled value: they end in error
    (the app says so in a toast and goes on), and waiting on them re-raises that error."""
    for _ in range(rounds):
        try:
            await tui_helpers.settle(pilot)
            return
        except WorkerFailed as e:
            assert isinstance(e.error, OutOfShape), e.error


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


QUESTION_TAGS_NULL = "UPDATE questions SET tags = 'null' WHERE id = 1"


@async_test
async def test_question_tags_null_is_one_line_and_the_app_goes_on(demo_db):
    craft(demo_db, QUESTION_TAGS_NULL)
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        assert app.is_running and app.crash_error is None
        said = notices(app)
        assert any("questions row 1: tags is not a list of texts (found 'null')" in n and "tracker check" in n for n in said), said
        # The other screens still work.
        await press(pilot, "2")
        assert "Macron" in screen_text(app)
        assert app.is_running and app.crash_error is None


@async_test
async def test_position_tags_on_a_question_screen_is_one_line(demo_db):
    craft(demo_db, "UPDATE positions SET tags = '1'")
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await press(pilot, "enter")
        assert app.is_running and app.crash_error is None
        said = notices(app)
        assert any("tags is not a list of texts (found '1')" in n for n in said), said
        await press(pilot, "escape", "4")  # the matrix
        assert app.is_running and app.crash_error is None


@async_test
async def test_ranks_moved_and_a_scale_without_levels_keep_the_app_running(demo_db):
    craft(demo_db, "UPDATE levels SET rank = rank + 100 WHERE scale_id = (SELECT scale_id FROM questions WHERE id = 1);"
                   " DELETE FROM levels WHERE scale_id = (SELECT scale_id FROM questions WHERE id = 2)")  # fmt: skip
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        for keys in (("enter", "escape"), ("4",), ("5",), ("2", "enter")):
            await press(pilot, *keys)
            assert app.is_running and app.crash_error is None, keys


@async_test
async def test_the_matrix_says_what_it_cannot_show_rather_than_loading_for_ever(demo_db):
    craft(demo_db, QUESTION_TAGS_NULL)
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await press(pilot, "4")
        head = "\n".join(screen_text(app).splitlines()[:3])  # the title and the matrix's header line
        assert "questions row 1: tags is not a list of texts" in head and "loading" not in head, head
        assert app.is_running and app.crash_error is None
