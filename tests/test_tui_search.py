"""Search as you type: whole words at once, the last word as a prefix once typing pauses."""

from __future__ import annotations

from tests.tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_db,
    press,
    running,
    screen_text,
    settle,
)
from tracker.tui.screens import search
from tracker.tui.screens.search import SearchScreen, last_word


def test_last_word_is_the_word_being_typed():
    assert last_word("rien ne doit être excl") == "excl"
    assert last_word("excl ") == ""  # a space: the word is finished
    assert last_word("“exclu”") == ""
    assert last_word("") == ""


@async_test
async def test_whole_words_first_then_prefixes_after_a_pause(demo_db, monkeypatch):
    monkeypatch.setattr(search, "PAUSE", 0.2)
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"excl")
        await settle(pilot)
        text = screen_text(app)
        assert "No whole-word matches; looking for words that begin with “excl”…" in text
        assert "rien ne doit être exclu" not in text
        await pilot.pause(0.4)  # typing paused: prefixes
        await settle(pilot)
        text = screen_text(app)
        assert "rien ne doit être exclu" in text and "excluded" in text
        assert "looking for words" not in text


@async_test
async def test_typing_on_cancels_the_prefix_search(demo_db, monkeypatch):
    monkeypatch.setattr(search, "PAUSE", 0.3)
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "slash")
        await pilot.press(*"excl")
        await pilot.press("space")  # the word is finished before the pause: no prefix search
        await pilot.pause(0.5)
        await settle(pilot)
        assert app.screen.pause_timer is None
        assert "rien ne doit être exclu" not in screen_text(app)
        await pilot.press(*"g")  # one letter: too short to search as a prefix
        await pilot.pause(0.5)
        await settle(pilot)
        assert app.screen.pause_timer is None
        assert "looking for words" not in screen_text(app)
