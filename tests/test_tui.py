"""The interface, driven through the real app with Pilot on a copy of the demo data."""

from __future__ import annotations

from datetime import date

import re
import pytest
from rich.color import Color
from textual.command import CommandPalette
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    GROUND_TROOPS,
    TODAY,
    async_test,
    content_text,
    demo_db,
    help_text,
    go_to,
    loaded_rows,
    notices,
    open_question,
    position_on,
    press,
    running,
    screen_text,
    settle,
)

from tracker import render
from tracker.tui.screens.actor import ActorScreen
from tracker.tui.screens.diff import DiffScreen
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.matrix import MatrixScreen
from tracker.tui.screens.position import PositionScreen
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.screens.questions import QuestionsScreen
from tracker.tui.screens.search import SearchScreen
from tracker.tui.widgets.lazy_list import LazyList



async def palette(pilot, query: str) -> None:
    await press(pilot, "ctrl+p")
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*["space" if c == " " else c for c in query])
    await pilot.pause(0.3)  # the palette searches after a short debounce
    await settle(pilot)


@async_test
async def test_each_view_opens_with_its_key(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        assert GROUND_TROOPS in screen_text(app)
        await press(pilot, "2")
        assert app.current_mode == "actors"
        text = screen_text(app)
        assert "Emmanuel Macron" in text and "Olaf Scholz" in text
        await press(pilot, "3")
        text = screen_text(app)
        # the view's own heading (the title bar and the footer name "Timeline" on every view), then
        # the first positions under the columns' header
        assert text.splitlines()[1].strip().startswith("Timeline · enter open") and "1 Mar 2022" in text
        assert "▲ +1 shift" in text  # change markers between an actor's positions
        await press(pilot, "4")
        assert "As of 15 Jan 2025" in screen_text(app)
        await press(pilot, "1")
        assert isinstance(app.screen, QuestionsScreen)
        await press(pilot, "5")
        assert app.current_mode == "movers" and "who reached" in screen_text(app)
        await press(pilot, "1")
        footer = screen_text(app).splitlines()[-1]  # every global key is in the footer, with its label
        for key, label in (("1", "Questions"), ("2", "Actors"), ("3", "Timeline"), ("4", "Matrix"), ("5", "Movers"),
                           ("/", "Search"), ("?", "Help"), ("q", "Quit")):  # fmt: skip
            assert f"{key} {label}" in footer


@async_test
async def test_question_view_and_back(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await open_question(pilot)
        text = screen_text(app)
        # The stances and the movers first, then the description and the chart (a scroll away).
        # Nobody has committed to ground troops: the movers at the highest level reached, where
        # Macron alone stands ("rien ne doit être exclu"), the first of all.
        assert "Where each actor stands today" in text and "Movers: who reached “Not excluded”" in text
        assert "Emmanuel Macron" in content_text(app.screen.query_one("#question-movers"))
        chart = content_text(app.screen.query_one("#chart"))
        assert "Over time" in chart and "legend:" in chart and "Ruled out" in chart
        assert "Raised by Emmanuel Macron" in content_text(app.screen.query_one("#about"))
        # Macron is the only actor who did not rule ground troops out or call them off the agenda.
        stands = content_text(app.screen.query_one("#stances"))
        assert "Emmanuel Macron" in stands and "Not excluded" in stands
        assert app.screen.sub_title == GROUND_TROOPS
        await press(pilot, "escape")
        assert isinstance(app.screen, QuestionsScreen)
        assert "Where each actor stands today" not in screen_text(app)


@async_test
async def test_actor_view(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "2")
        await go_to(pilot, lambda a: a.name == "Emmanuel Macron")
        await press(pilot, "enter")
        assert isinstance(app.screen, ActorScreen)
        text = screen_text(app)
        assert "also known as: Macron" in text and "part of france" in text
        assert GROUND_TROOPS[:20] in text and "Coalition for medium" in text
        await press(pilot, "escape")
        assert app.current_mode == "actors" and not isinstance(app.screen, ActorScreen)


@async_test
async def test_position_detail_and_its_diff(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, position_on("Emmanuel Macron", "16 Mar 2024"))
        await press(pilot, "enter")
        assert isinstance(app.screen, PositionScreen)
        text = screen_text(app)
        for expected in ("Source", "History", "quote language", "16 Mar 2024, day", "Not excluded", "Le Point"):
            assert expected in text
        assert app.screen.sub_title == "Emmanuel Macron · 16 Mar 2024"
        await press(pilot, "d")  # with his previous position on the question
        assert isinstance(app.screen, DiffScreen)
        text = screen_text(app)
        assert "change: = unchanged after 19 days" in text
        assert "26 Feb 2024" in text and "16 Mar 2024" in text
        assert "quote, word by word" in text
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, QuestionScreen)


@async_test
async def test_d_diffs_with_the_previous_position(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "3")
        await go_to(pilot, lambda c: c.after.actor_name == "Germany" and c.marker.startswith("▲▲"))
        await press(pilot, "d")
        assert isinstance(app.screen, DiffScreen)
        text = screen_text(app)
        assert "change: ▲▲ +2 reversal after" in text
        assert "Reluctant" in text and "Open" in text


@async_test
async def test_d_on_a_first_position_says_there_is_nothing_earlier(demo_db):
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, position_on("Mark Rutte", "26 Feb 2024"))
        await press(pilot, "d")
        await settle(pilot)
        # A notice, not a screen of its own.
        assert isinstance(app.screen, QuestionScreen)
        assert any("nothing earlier to compare with" in n for n in notices(app))


@async_test
async def test_space_then_d_compares_two_marked_positions(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, position_on("Mark Rutte", "26 Feb 2024"))
        await press(pilot, "space")
        assert app.marked is not None and app.marked.actor_name == "Mark Rutte"
        await go_to(pilot, position_on("Olaf Scholz", "27 Feb 2024"))
        await press(pilot, "d")
        assert isinstance(app.screen, DiffScreen)
        text = screen_text(app)
        assert "Mark Rutte" in text and "Olaf Scholz" in text
        assert "change: ▼ −1 shift after 1 day" in text  # Reluctant, then Ruled out a day later
        assert app.marked is None  # the mark is used up


@async_test
async def test_search_lists_the_quote_and_opens_it(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "slash")
        assert isinstance(app.screen, SearchScreen)
        assert "Type to search" in screen_text(app)
        await pilot.press(*"exclu")
        await settle(pilot)
        text = screen_text(app)
        assert "Emmanuel Macron on Western ground troop" in text
        assert "rien ne doit être exclu" in text
        await press(pilot, "down")  # into the results
        await go_to(pilot, lambda hit: hit.position is not None and hit.position.actor_name == "Emmanuel Macron")
        await press(pilot, "enter")
        assert isinstance(app.screen, PositionScreen)
        assert "rien ne doit être exclu" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, SearchScreen)
        await press(pilot, "slash")  # back to the search box
        await pilot.press(*["backspace"] * 5, *'"(*')  # nothing to search for: a message, not a crash
        await settle(pilot)
        assert "nothing to search for" in screen_text(app)


@async_test
async def test_matrix_steps_through_time(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "4")
        screen = app.screen
        assert isinstance(screen, MatrixScreen)

        def header() -> str:
            return screen_text(app).splitlines()[1]

        assert screen.as_of == TODAY and "As of 15 Jan 2025" in header()
        steps = [("[", "15 Dec 2024"), ("]", "15 Jan 2025"), ("{", "15 Jan 2024"), ("}", "15 Jan 2025"),
                 ("{", "15 Jan 2024"), ("{", "15 Jan 2023"), ("t", "15 Jan 2025")]  # fmt: skip
        for key, expected in steps:
            await press(pilot, key)
            assert f"As of {expected}" in header(), key
        # Germany on tanks: reluctant, then committed on 25 Jan 2023, delivered in March.
        def tanks() -> str:
            return next(line for line in screen_text(app).splitlines() if "Main battle tanks" in line)

        await press(pilot, "{", "{")
        assert "Reluctant" in tanks() and "Committed" not in tanks()
        await press(pilot, "]")
        assert "Committed" in tanks()
        await press(pilot, "]", "]")
        assert "Implemented" in tanks()
        await press(pilot, "down", "enter")  # the cursor's question opens
        assert isinstance(app.screen, QuestionScreen)


@async_test
async def test_matrix_today_follows_the_clock_by_default(demo_db):
    async with running(demo_db, today=None) as pilot:
        app = pilot.app
        await press(pilot, "4")
        today = date.today()
        assert app.screen.as_of == today
        await press(pilot, "{")
        assert app.screen.as_of.year == today.year - 1
        assert f"As of {app.screen.as_of.day} {app.screen.as_of:%b %Y}" in screen_text(app)


@async_test
async def test_help_lists_the_keys(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)  # not the footer's "^p palette" and "⏎ Open"
        # the keys as Textual shows them (the footer's way), each with what it does
        for key, does in (("1 2 3 4 5", "Questions, Actors"), ("^p", "palette: Open the command palette"),
                          ("space", "Mark: space then d: diff with it"), ("[ ] { }", "−1 month, +1 month"),
                          ("⏎", "Open"), ("esc", "Back")):  # fmt: skip
            assert re.search(rf"(^|  ){re.escape(key)} +{re.escape(does)}", text, re.M), key
        await press(pilot, "escape")
        assert not isinstance(app.screen, HelpScreen)


@async_test
async def test_palette_jumps_to_an_actor_by_fuzzy_name(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await palette(pilot, "olf schlz")
        assert "Olaf Scholz" in screen_text(app) and "open actor" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, ActorScreen)
        assert app.screen.sub_title == "Olaf Scholz"
        await palette(pilot, "grnd trps")
        await press(pilot, "enter")
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.sub_title == GROUND_TROOPS


@async_test
async def test_palette_runs_actions(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await palette(pilot, "matrix as of")
        await press(pilot, "enter")
        assert app.current_mode == "matrix"
        await palette(pilot, "help every")
        await press(pilot, "enter")
        assert isinstance(app.screen, HelpScreen)


@async_test
async def test_light_theme(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await open_question(pilot)
        await palette(pilot, "theme")
        await press(pilot, "enter")  # the theme picker
        await pilot.press(*"tracker-light")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert app.theme == "tracker-light"
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert "Where each actor stands today" in screen_text(app)
        assert "legend:" in content_text(app.screen.query_one("#chart"))
        # Stance colours are brought up to a readable contrast on the light background.
        background = Color.parse(app.current_theme.background).get_truecolor()[:3]
        yellow = render.colour_style("#f1c40f").color.get_truecolor()[:3]
        assert render.contrast(yellow, background) >= render.MIN_CONTRAST
        app.theme = "tracker-dark"
        await settle(pilot)
        assert render.colour_style("#f1c40f").color.get_truecolor()[:3] == (0xF1, 0xC4, 0x0F)
        app.theme = "tracker-light"  # left in the light theme: its background must not outlive the app
        await settle(pilot)
        assert render.colour_style("#f1c40f").color.get_truecolor()[:3] != (0xF1, 0xC4, 0x0F)
    # the command line prints colours as given
    assert render.colour_style("#f1c40f").color.get_truecolor()[:3] == (0xF1, 0xC4, 0x0F)


@async_test
async def test_lists_load_a_page_at_a_time(tmp_path):
    import io
    import json

    from tracker.formats.importer import import_records
    from tracker.formats.jsonl import read_records
    from tracker.store import Store
    from tracker.tui.widgets.lazy_list import PAGE

    records = [{"type": "question", "slug": f"q-{i:04d}", "title": f"Question {i:04d}"} for i in range(PAGE * 3)]
    path = tmp_path / "many.db"
    with Store.open(path) as store:
        import_records(store, read_records(io.StringIO("".join(json.dumps(r) + "\n" for r in records))))
    async with running(path) as pilot:
        app = pilot.app
        lst = app.screen.query_one(LazyList)
        assert lst.count == PAGE * 3 and lst.loaded_pages == {0}
        await press(pilot, "end")
        assert lst.cursor == PAGE * 3 - 1 and f"Question {PAGE * 3 - 1:04d}" in screen_text(app)
        assert 1 not in lst.loaded_pages  # the middle page was never needed
        await press(pilot, "enter")
        assert isinstance(app.screen, QuestionScreen)
        assert "No positions on this question yet." in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
@async_test
async def test_small_and_large_terminals(demo_db, size):
    async with running(demo_db, size=size) as pilot:
        app = pilot.app
        for keys in (["3"], ["4"], ["5"], ["l", "f", "r"], ["1", "end", "enter"], ["m"], ["escape", "down", "enter"], ["d"]):
            await press(pilot, *keys)
            assert screen_text(app).strip()


@pytest.mark.parametrize("width", [80, 100])
@async_test
async def test_on_a_narrow_terminal_the_stance_and_the_change_stay_whole(demo_db, width):
    # At 80 columns the actor and question columns once kept their full width and cut the
    # stance to "Ruled…": they narrow instead.
    async with running(demo_db, size=(width, 24)) as pilot:
        app = pilot.app
        for keys in (["3"], ["1", "end", "enter"]):  # the timeline; a question's positions
            await press(pilot, *keys)
            lst = app.focused
            assert isinstance(lst, LazyList)
            lines = screen_text(app).splitlines()
            assert lines[-1].rstrip().endswith("▏? Help ^p palette")  # no key scrolled under them shows through
            lines = lines[lst.region.y : lst.region.bottom]  # the list's rows (a question's stances are above)
            top = int(lst.scroll_offset.y)
            shown = loaded_rows(lst)[top : top + lst.size.height - lst.header_height]  # under the header
            # A question's stances and movers come first on a 24-line screen: its list keeps 3 rows.
            assert len(shown) >= (3 if keys[0] == "1" else 4)
            for change in shown:
                after = change.after
                line = next(
                    line for line in lines
                    if after.date.display in line and after.actor_name[:10] in line and after.level.label in line
                )  # fmt: skip
                assert change.before is None or change.marker in line, (line, change.marker)


@async_test
async def test_palette_runs_the_keys_of_the_current_screen(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "4")
        await palette(pilot, "1 year")
        text = screen_text(app)
        assert "−1 year" in text and "key {" in text
        await press(pilot, "enter")
        assert app.screen.as_of == date(2024, 1, 15)
        await press(pilot, "3", "end")  # the last position: one with an earlier one to compare with
        await settle(pilot)
        await palette(pilot, "diff")
        await press(pilot, "enter")
        assert isinstance(app.screen, DiffScreen)
