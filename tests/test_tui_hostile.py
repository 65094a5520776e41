"""Text from the data is shown literally everywhere: markup, escape sequences,
control characters, very long quotes, right-to-left text, emoji and newlines
never crash the interface nor restyle it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from tui_helpers import (
    ESC,
    MARKUP,
    NASTY,
    TODO,
    async_test,
    content_text,
    load_hostile,
    notices,
    press,
    running,
    screen_segments,
    screen_text,
    settle,
)

from tracker import render
from tracker.domain.models import Level
from tracker.tui.screens.actor import ActorScreen
from tracker.tui.screens.diff import DiffScreen
from tracker.tui.screens.position import PositionScreen
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.widgets.lazy_list import LazyList

@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    return load_hostile(tmp_path / "hostile.db")


def check_screen(app, *, expect: tuple[str, ...] = (TODO, MARKUP)) -> str:
    """The screen shows ``expect`` literally, no raw control character, and nothing the
    data could have turned into a link, a blink or an action."""
    text = screen_text(app)
    for literal in expect:
        assert literal in text, (literal, type(app.screen).__name__, text)
    bad = {c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F}
    assert not bad, (bad, type(app.screen).__name__)
    assert "\u202e" not in text  # a right-to-left override would reorder the rest of the line
    for segment in screen_segments(app):
        style = segment.style
        if style is not None:
            assert not style.link and not style.blink, (segment, type(app.screen).__name__)
            assert not (style.meta or {}).get("@click"), segment
    return text


def focused_list(app) -> LazyList:
    lst = app.focused
    assert isinstance(lst, LazyList)
    return lst


async def open_row(pilot, index: int) -> None:
    """Put the cursor on row ``index`` (directly: keys cost a pause each) and press enter."""
    focused_list(pilot.app).cursor = index
    await press(pilot, "enter")


@async_test
async def test_lists_show_hostile_text_literally(hostile_db):
    async with running(hostile_db) as pilot:
        app = pilot.app
        text = check_screen(app)
        assert "␛[31mred␛[0m" in text  # ESC shown as its symbol
        assert "مرحبا بالعالم" in text and "🇫🇷👍🏽" in text
        await press(pilot, "2")
        check_screen(app)
        await press(pilot, "3")
        assert "[bold]long[/] word" in check_screen(app)
        await press(pilot, "4")
        check_screen(app, expect=(TODO, "[bold]x[/]", "␛[31mred␛[0"))


@async_test
async def test_every_question_and_actor_view(hostile_db):
    async with running(hostile_db) as pilot:
        app = pilot.app
        for mode, screen_type in (("1", QuestionScreen), ("2", ActorScreen)):
            await press(pilot, mode)
            for i in range(focused_list(app).count):
                await open_row(pilot, i)
                assert isinstance(app.screen, screen_type)
                check_screen(app)
                assert "\x1b" not in app.screen.sub_title and "\n" not in app.screen.sub_title
                await press(pilot, "escape")


@async_test
async def test_position_details_and_diffs(hostile_db):
    async with running(hostile_db, size=(120, 60), notifications=True) as pilot:
        app = pilot.app
        await press(pilot, "3")
        changes = [focused_list(app).row(i) for i in range(focused_list(app).count)]
        assert len(changes) == 18
        # One position of each actor on each question (the middle one: it has a previous one to diff with).
        for i, change in enumerate(changes):
            if change.after.date.display != "Jun 2023":
                continue
            await open_row(pilot, i)
            assert isinstance(app.screen, PositionScreen)
            check_screen(app, expect=())  # one quote is long enough to fill the screen
            detail = content_text(app.screen.query_one("#detail"))
            assert "Source" in detail and "History" in detail and TODO in detail and MARKUP in detail
            await press(pilot, "d")
            assert isinstance(app.screen, DiffScreen)
            text = check_screen(app, expect=("change:", TODO, MARKUP))
            assert "␛[31mred␛[0m" in text
            await press(pilot, "escape", "escape")
        # The first position of the actor and question with the most hostile names: a message, literally.
        first = next(i for i, c in enumerate(changes) if c.before is None and c.after.actor_slug == "beta"
                     and c.after.question_slug == "q-plain")  # fmt: skip
        focused_list(app).cursor = first
        await press(pilot, "d")
        await settle(pilot)
        said = notices(app)[-1]
        for shown in ("nothing earlier", TODO, "مرحبا بالعالم", "␛[31mred"):
            assert shown in said, (shown, said)
        check_screen(app, expect=())
        # Two positions on different scales can be marked but not compared: a message, not a crash.
        await press(pilot, "home", "space", "end", "d")  # "[bold]x[/] no" against "Implemented"
        await settle(pilot)
        assert not isinstance(app.screen, DiffScreen)
        assert "different scales" in notices(app)[-1]


@async_test
async def test_a_5000_character_quote(hostile_db):
    async with running(hostile_db) as pilot:
        app = pilot.app
        await press(pilot, "2", "home", "enter")  # "[bold]x[/] Alpha": its second position holds the long quote
        lst = app.screen.query_one(LazyList)
        index = next(i for i in range(lst.count) if lst.row(i).after.quote.startswith("[bold]long[/]"))
        await press(pilot, *["down"] * index, "enter")
        text = check_screen(app, expect=("[bold]long[/] word",))
        assert text.count("word") > 100  # wrapped over many lines, not cut
        await press(pilot, "escape", "d")
        check_screen(app, expect=("long[/] word",))


@async_test
async def test_search_and_palette_with_hostile_text(hostile_db):
    async with running(hostile_db) as pilot:
        app = pilot.app
        await press(pilot, "slash")
        await pilot.press(*"fix")
        await settle(pilot)
        check_screen(app)
        # Queries that are FTS syntax, markup or control characters: searched literally or refused politely.
        for query in ('"', "[bold]", "AND OR NOT", "*", "(", "\x1b", "NEAR(", "-x", "مرحبا", "🇫🇷"):
            box = app.screen.query_one("Input")
            box.value = ""
            box.insert_text_at_cursor(query)  # as typed or pasted
            await settle(pilot)
            check_screen(app, expect=())
        await press(pilot, "escape")
        await press(pilot, "ctrl+p")
        await pilot.press(*"[TOD")
        await pilot.pause(0.3)
        await settle(pilot)
        check_screen(app, expect=("[TODO] fix Beta", "[TODO] fix question [bold]x[/]"))
        await press(pilot, "escape")
        await press(pilot, "ctrl+p")
        await pilot.press(*"bold")
        await pilot.pause(0.3)
        await settle(pilot)
        check_screen(app, expect=("[bold]x[/] Alpha",))
        await press(pilot, "enter")
        assert isinstance(app.screen, ActorScreen)
        assert app.screen.sub_title == "[bold]x[/] Alpha"


@async_test
async def test_marking_a_hostile_position_notifies_literally(hostile_db):
    async with running(hostile_db, notifications=True) as pilot:
        app = pilot.app
        await press(pilot, "3", "space")
        assert app.marked is not None
        check_screen(app, expect=("Marked",))


@async_test
async def test_the_movers_view_shows_hostile_text_literally(hostile_db):
    from tracker.tui.screens.movers import MoversScreen
    from tracker.tui.widgets.choice_list import ChoiceList

    async with running(hostile_db) as pilot:
        app = pilot.app
        await press(pilot, "5")
        assert isinstance(app.screen, MoversScreen)
        # Tags, titles, actor names and level labels, as typed; each question on its own scale.
        text = check_screen(app, expect=(f"#{MARKUP}", f"#{TODO}", f"{TODO} question {MARKUP}", "␛[31mred␛[0m"))
        assert "[bold]x[/] Alpha" in text and "reached" in text
        # The tag [bold]x[/] holds both questions, on two scales: with the defaults each reads its own...
        choices = app.screen.query_one(ChoiceList)
        choices.highlight(f"tag:{MARKUP}")
        await press(pilot, "enter")
        assert len(app.screen.selected_questions()) == 2
        text = check_screen(app, expect=("Across 2 questions", "[bold]x[/] Alpha", "[TODO] fix Beta"))
        # ...but a level of one scale is not one of the other: a message, not a crash.
        await press(pilot, "l")
        text = check_screen(app, expect=("No answer:",))
        assert "is not a level of the scale" in " ".join(text.split())
        await press(pilot, "f", "r", "l", "l")
        check_screen(app, expect=())
        # Nothing selected: a word on what to do.
        await press(pilot, "space")
        assert app.screen.selected_questions() == []
        check_screen(app, expect=("Select a tag or questions",))
        await press(pilot, "l", "f", "r")
        check_screen(app, expect=("Select a tag or questions",))


@async_test
async def test_m_from_a_hostile_question(hostile_db):
    from tracker.tui.screens.movers import MoversScreen

    async with running(hostile_db) as pilot:
        app = pilot.app
        for i in range(focused_list(app).count):
            await open_row(pilot, i)
            await press(pilot, "m")
            assert isinstance(app.screen, MoversScreen) and len(app.screen.selected_questions()) == 1
            check_screen(app, expect=("[bold]x[/] Alpha",))
            await press(pilot, "escape", "escape")


def test_level_colours_are_only_ever_colours():
    """A scale's colour is data too: only a colour is taken from it."""
    for colour in ("[bold]x[/]", "link https://x.invalid blink", "bold", "reverse", "on red", "", "  ", NASTY, ESC):
        assert render.colour_style(colour) == Style(), colour
        level = Level("k", "label", 0, "", colour)
        assert render.level_style(level) == Style(bold=True)
    assert render.colour_style("#1e8449").color.triplet.hex == "#1e8449"
    assert render.colour_style("green").color is not None
