"""The position form as a user meets it: an edit opens on the actor and tabbing through its
filled fields replaces nothing, cancelling an edit asks to discard the changes, "add another
from the same source" keeps the date, and a form opened or loading while the app quits
raises nothing."""

from __future__ import annotations

import threading

import pytest
from textual import events
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_db,
    focused_field,
    go_to,
    open_question,
    position_on,
    press,
    running,
    screen_text,
    settle,
    type_text,
)

from conftest import table_counts

from tracker.store import Store
from tracker.tui.forms import PositionForm
from tracker.tui.screens.confirm import ConfirmScreen

RUTTE_26_FEB = position_on("Mark Rutte", "26 Feb 2024")  # no quote, a paraphrase


def rutte_position(db):
    with Store.open(db) as store:
        (position,) = store.positions(actor_id=store.resolve_actor("rutte").id)
        return position


async def edit_rutte(pilot) -> PositionForm:
    await open_question(pilot)
    await go_to(pilot, RUTTE_26_FEB)
    await press(pilot, "e")
    form = pilot.app.screen
    assert isinstance(form, PositionForm) and form.loaded
    return form


# ---------------------------------------------------------------- the edit form


@async_test
async def test_an_edit_opens_on_the_actor_and_tab_tab_0_replaces_nothing(demo_db):
    before = rutte_position(demo_db)
    assert not before.quote and before.paraphrase  # the form used to open on the empty quote
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await edit_rutte(pilot)
        assert focused_field(app) == "actor"
        actor = form.field("actor").input
        assert actor.selection.is_empty and actor.cursor_position == len("Mark Rutte")
        await press(pilot, "tab", "tab", "0")  # what replaced the whole paraphrase
        assert focused_field(app) == "stance"
        assert form.field("stance").value == "reluctant0"  # added at the end, and refused
        assert form.field("paraphrase").value == before.paraphrase
        await press(pilot, "backspace")
        assert form.field("stance").value == "reluctant"


@async_test
async def test_tabbing_into_a_filled_field_puts_the_cursor_at_its_end(demo_db):
    before = rutte_position(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await edit_rutte(pilot)
        for _ in range(6):  # actor, question, stance, date, quote, quote language, paraphrase
            await press(pilot, "tab")
        assert focused_field(app) == "paraphrase"
        paraphrase = form.field("paraphrase").input
        assert paraphrase.selection.is_empty and paraphrase.cursor_location == paraphrase.document.end
        await type_text(pilot, " (checked)")
        await press(pilot, "shift+tab", "shift+tab", "shift+tab")  # back to the date
        assert focused_field(app) == "date" and form.field("date").input.selection.is_empty
        await press(pilot, "ctrl+s")
        assert app.screen is not form
    after = rutte_position(demo_db)
    assert after.paraphrase == before.paraphrase + " (checked)"
    assert (after.level, after.date, after.quote) == (before.level, before.date, before.quote)


@async_test
async def test_cancelling_an_edit_asks_to_discard_the_changes(demo_db):
    before = rutte_position(demo_db)
    async with running(demo_db) as pilot:
        app = pilot.app
        form = await edit_rutte(pilot)
        await press(pilot, "tab", "tab", "backspace")
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "Discard your changes?" in text and "Drop this position?" not in text
        await press(pilot, "y")
        assert app.screen is not form
    assert rutte_position(demo_db) == before  # nothing written, nothing deleted


@async_test
async def test_cancelling_a_new_position_still_asks_to_drop_it(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "n")
        await type_text(pilot, "Macr")
        await press(pilot, "escape", "escape")  # the list of matches, then the form
        assert isinstance(app.screen, ConfirmScreen)
        assert "Drop this position?" in screen_text(app)


# ---------------------------------------------------------------- add another


@async_test
async def test_add_another_from_the_same_source_keeps_the_date(demo_db):
    before = table_counts(demo_db)["positions"]
    async with running(demo_db) as pilot:
        app = pilot.app
        with Store.open(demo_db) as store:
            macron, question = store.resolve_actor("macron"), store.resolve_question("tanks")
        form = PositionForm(actor_id=macron.id, question_id=question.id)
        app.push_screen(form)
        await settle(pilot)
        assert focused_field(app) == "stance"
        await type_text(pilot, "open")
        await press(pilot, "tab")
        await type_text(pilot, "26 février 2024")
        await press(pilot, "ctrl+n")
        assert app.screen is form and table_counts(demo_db)["positions"] == before + 1
        assert form.field("date").value == "26 février 2024"
        assert "26 Feb 2024" in str(form.query_one("#date .field-note").render())
        assert form.field("stance").value == "" and not form.dirty
        text = screen_text(app)
        assert "date and source kept" in text
        await press(pilot, "tab", "tab")  # the actor and the question kept
        await type_text(pilot, "committed")
        await press(pilot, "ctrl+s")  # the date is not typed again
        assert app.screen is not form
    with Store.open(demo_db) as store:
        last_two = store.conn.execute("SELECT id FROM positions ORDER BY id DESC LIMIT 2").fetchall()
        saved = [store.position(row[0]) for row in last_two]
    assert [p.date.edtf for p in saved] == ["2024-02-26", "2024-02-26"]
    assert [p.level.key for p in saved] == ["committed", "open"]


# ---------------------------------------------------------------- quitting while a form opens


@pytest.mark.parametrize("key", ["n", "e"])
@async_test
async def test_q_then_a_form_key_at_once_quits_cleanly(demo_db, key):
    # Both keys arrive before q has been handled: the form is pushed while the app quits.
    async with running(demo_db) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, RUTTE_26_FEB)
        app.post_message(events.Key("q", "q"))
        app.post_message(events.Key(key, key))
        await pilot.pause()
        await pilot.pause()
    assert app.crash_error is None  # NoMatches: No nodes match '.form-status'
    assert app.return_code == 0


@async_test
async def test_a_form_opened_by_the_app_as_it_quits_raises_nothing(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        app.exit()
        app.action_new_position()
        await pilot.pause()
    assert app.crash_error is None and app.return_code == 0


@pytest.fixture
def held_load(monkeypatch):
    """The form's load worker waits until the test sets the returned event."""
    gate = threading.Event()
    done = threading.Event()
    real_load = PositionForm.load

    def load(self, store):
        assert gate.wait(10)
        try:
            return real_load(self, store)
        finally:
            done.set()

    monkeypatch.setattr(PositionForm, "load", load)
    yield gate, done
    gate.set()


@async_test
async def test_a_form_still_loading_when_the_app_quits_raises_nothing(demo_db, held_load):
    gate, done = held_load
    async with running(demo_db) as pilot:
        app = pilot.app
        await pilot.press("n")  # not press(): it waits for the workers, the load among them
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PositionForm) and not form.loaded
        app.exit()
        await pilot.pause()
    gate.set()  # the load finishes after the app has gone
    assert done.wait(10)
    assert app.crash_error is None and app.return_code == 0
    assert not form.loaded
