"""The interface's design (issue 21): the app reached typed, help read from the bindings,
widgets that ask through messages, the list views on one base."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding
from tui_helpers import (
    async_test, demo_db, go_to, help_text, open_question, press, running, screen_text, steady_text,
)  # fmt: skip

from tracker.tui.base import TrackerScreen
from tracker.tui.screens.actor import ActorScreen
from tracker.tui.screens.diff import DiffScreen
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.position import PositionScreen
from tracker.tui.screens.timeline import TimelineScreen
from tracker.tui.widgets.position_list import PositionList

__all__ = ["demo_db"]  # a fixture

TRACKER = Path(__file__).resolve().parents[1] / "tracker"


def type_ignores() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(TRACKER.parent)), line.strip())
        for path in TRACKER.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "# type: ignore" in line
    ]


def test_no_type_ignore_reaches_the_app():
    """The app, its screens and their hooks are reached typed (tracker.tui.base)."""
    found = type_ignores()
    assert [f for f in found if "attr-defined" in f[1] or "self.app" in f[1]] == []


def test_type_ignores_are_a_handful():
    assert len(type_ignores()) <= 5, type_ignores()


def ours(active) -> bool:
    """A binding of the app, or of a screen or widget of the tracker's (not one a widget
    inherits from Textual, such as a scroll view's ctrl+pageup)."""
    if active.node is active.node.app:
        return True
    declared = {
        (b.action, b.description)
        for cls in type(active.node).__mro__
        if cls.__module__.startswith("tracker.")
        for b in vars(cls).get("BINDINGS", [])
    }
    return (active.binding.action, active.binding.description) in declared


def shown_bindings(screen) -> list[Binding]:
    return [
        a.binding for a in screen.active_bindings.values() if a.binding.description and not a.binding.system and ours(a)
    ]


async def check_help_lists(pilot) -> None:
    app = pilot.app
    below = app.screen
    bindings = shown_bindings(below)
    assert bindings
    await press(pilot, "question_mark")
    text = help_text(app)
    for binding in bindings:
        assert app.get_key_display(binding) in text, binding
        assert binding.description in text, binding
    await press(pilot, "escape")
    assert app.screen is below


@async_test
async def test_help_lists_every_active_binding(demo_db):
    """On each view and detail screen, every key the footer or the palette knows is in the help."""
    async with running(demo_db) as pilot:
        app = pilot.app
        for view in "12345":
            await press(pilot, view)
            await check_help_lists(pilot)
        await open_question(pilot)
        await check_help_lists(pilot)
        await press(pilot, "enter")  # a position
        assert isinstance(app.screen, PositionScreen)
        await check_help_lists(pilot)


@async_test
async def test_the_help_key_shows_at_the_end_of_the_keys_line_however_narrow(demo_db):
    """At 80 columns the keys line of most views holds more keys than fit: those cut go
    before the help's and the palette's, which stay at the right end (the help lists the
    others). The help key was cut from every view at 80 columns, and from a question's at 150."""
    for size in ((80, 24), (150, 45)):
        async with running(demo_db, size=size) as pilot:
            for view in "12345":
                await press(pilot, view)
                keys_line = (await steady_text(pilot)).splitlines()[-1]
                assert keys_line.rstrip().endswith("▏? Help ^p palette"), (size, view, keys_line)
            await open_question(pilot)
            await press(pilot, "enter")  # a position
            for screen in ("position", "question"):
                keys_line = (await steady_text(pilot)).splitlines()[-1]
                assert keys_line.rstrip().endswith("▏? Help ^p palette"), (size, screen, keys_line)
                await press(pilot, "escape")


@async_test
async def test_a_binding_added_to_a_screen_shows_in_help(demo_db, monkeypatch):
    monkeypatch.setattr(TimelineScreen, "BINDINGS", [*TimelineScreen.BINDINGS, Binding("z", "zoom", "Zoom to a year")])
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "question_mark")
        text = help_text(app)
    assert re.search(r"\bz\s+Zoom to a year", text)
    assert re.search(r"1 2 3 4 5\s+Questions, Actors, Timeline, Matrix, Movers", text)  # keys of one action share a row


@async_test
async def test_help_closes_with_its_own_keys(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        for key in ("escape", "q", "question_mark"):
            await press(pilot, "question_mark")
            assert isinstance(app.screen, HelpScreen)
            assert "esc, q, ?" in screen_text(app)
            await press(pilot, key)
            assert not isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize(
    ("key", "handler", "message"),
    [
        ("d", "on_position_list_diff_requested", PositionList.DiffRequested),
        ("e", "on_position_list_edit_requested", PositionList.EditRequested),
        ("x", "on_position_list_delete_requested", PositionList.DeleteRequested),
        ("enter", "on_position_list_open_requested", PositionList.OpenRequested),
    ],
)
@async_test
async def test_position_list_asks_its_screen_through_messages(demo_db, monkeypatch, key, handler, message):
    """A position list asks (a message), its screen answers: a screen may answer otherwise."""
    asked = []
    monkeypatch.setattr(TrackerScreen, handler, lambda screen, m: asked.append((screen, m)))
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "3")
        timeline = app.screen
        highlighted = timeline.query_one(PositionList).current.after
        await press(pilot, key)
        assert app.screen is timeline  # nothing opened: the screen's answer was replaced
    assert len(asked) == 1
    screen, m = asked[0]
    assert screen is timeline and isinstance(m, message)
    ids = {getattr(m, "after_id", None), getattr(m, "position_id", None), getattr(getattr(m, "position", None), "id", None)}
    assert highlighted.id in ids


@async_test
async def test_the_screens_answer_a_position_lists_requests(demo_db):
    """enter on a position list opens the position, d the diff: the base screen answers."""
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "2", "enter")
        assert isinstance(app.screen, ActorScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, PositionScreen)
        await press(pilot, "3")
        await go_to(pilot, lambda change: change.before is not None)
        await press(pilot, "d")
        assert isinstance(app.screen, DiffScreen)


@async_test
async def test_new_position_starts_from_the_list_views_row(demo_db):
    """n on the Actors and Questions views (one list screen base) starts on the highlighted row."""
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "2")
        actor = app.screen.list.current
        assert app.screen.entry_context() == (actor.id, None)
        await press(pilot, "1")
        question = app.screen.list.current
        assert app.screen.entry_context() == (None, question.id)
        await press(pilot, "3")
        change = app.screen.list.current
        assert app.screen.entry_context() == (change.after.actor_id, change.after.question_id)
        assert app.screen.export_context() == (None, None)  # the whole timeline

