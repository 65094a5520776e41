"""Deleting (x, after asking), undoing (u) and exporting (E) from the interface, by keys."""

from __future__ import annotations

from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_db,
    go_to,
    notices,
    open_question,
    position_on,
    press,
    running,
    screen_text,
    settle,
    type_text,
)

from tracker.errors import NotFound
from tracker.store import Store
from tracker.tui.forms import PositionForm
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.screens.export import ExportScreen
from tracker.tui.screens.position import PositionScreen
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.widgets.position_list import PositionList

MACRON_26_FEB = position_on("Emmanuel Macron", "26 Feb 2024")


def macron_positions(path) -> list[str]:
    with Store.open(path) as store:
        macron = store.resolve_actor("macron")
        return [p.date.display for p in store.positions(actor_id=macron.id, question_id=store.resolve_question("ground-troops").id)]


@async_test
async def test_x_asks_first_n_keeps_y_deletes_and_u_brings_it_back(demo_db):
    before = macron_positions(demo_db)
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, MACRON_26_FEB)
        count = app.screen.query_one(PositionList).count
        await press(pilot, "x")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Delete the position of Emmanuel Macron of 26 Feb 2024" in screen_text(app)
        await press(pilot, "n")
        assert isinstance(app.screen, QuestionScreen)
        assert macron_positions(demo_db) == before
        await press(pilot, "x")
        await press(pilot, "escape")  # escape is no
        assert macron_positions(demo_db) == before
        await press(pilot, "x", "y")
        await settle(pilot)
        assert "26 Feb 2024" not in macron_positions(demo_db)
        assert app.screen.query_one(PositionList).count == count - 1  # the list reloaded
        assert "Deleted; press u to undo." in screen_text(app)
        await press(pilot, "u")
        await settle(pilot)
        assert macron_positions(demo_db) == before
        assert app.screen.query_one(PositionList).count == count
        assert "Undid the deletion of Emmanuel Macron" in screen_text(app)


@async_test
async def test_u_with_nothing_to_undo_says_so(demo_db):
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await press(pilot, "u")
        await settle(pilot)
        assert "nothing to undo" in screen_text(app)


@async_test
async def test_deleting_from_the_detail_keeps_its_history_on_screen(demo_db):
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, MACRON_26_FEB)
        await press(pilot, "enter")
        assert isinstance(app.screen, PositionScreen)
        position_id = app.screen.position_id
        await press(pilot, "x", "y")
        await settle(pilot)
        text = screen_text(app)
        assert "This position was deleted; press u to undo." in text
        assert "History" in text and "deleted" in text
        with Store.open(demo_db) as store:
            try:
                store.position(position_id)
                raise AssertionError("the position should be gone")
            except NotFound:
                pass
        await press(pilot, "u")
        await settle(pilot)
        assert "This position was deleted" not in screen_text(app)
        assert "Source" in screen_text(app)


@async_test
async def test_writes_by_another_program_show_up_by_themselves(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "3")
        timeline = app.screen.query_one(PositionList)
        count = timeline.count
        with Store.open(demo_db) as other:  # another connection, as another process would have
            other.add_position(actor="rutte", question="ground-troops", stance="open", date="2024-06-01", quote="we will see")
        for _ in range(30):
            await pilot.pause(0.1)
            await settle(pilot)
            if timeline.count == count + 1:
                break
        assert timeline.count == count + 1


@async_test
async def test_n_prefills_actor_and_question_from_the_selected_position(demo_db):
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, MACRON_26_FEB)
        count = app.screen.query_one(PositionList).count
        await press(pilot, "n")
        form = app.screen
        assert isinstance(form, PositionForm)
        assert form.lookup("actor").record.slug == "macron"
        assert form.lookup("question").record.slug == "ground-troops"
        assert app.focused is not None and form in app.focused.ancestors
        assert app.focused.id == "stance-input"  # the first field left to fill
        await type_text(pilot, "open")
        await press(pilot, "tab")
        await type_text(pilot, "2024-06-01")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.query_one(PositionList).count == count + 1  # the list reloaded
        assert "Added: Emmanuel Macron, 1 Jun 2024, Open" in notices(app)
    assert "1 Jun 2024" in macron_positions(demo_db)


@async_test
async def test_e_edits_the_selected_position(demo_db):
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, MACRON_26_FEB)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, PositionForm)
        assert form.field("date").value == "2024-02-26"
        form.field("notes").focus_input()
        await settle(pilot)
        await type_text(pilot, "checked")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
    with Store.open(demo_db) as store:
        macron = store.resolve_actor("macron")
        edited = next(p for p in store.positions(actor_id=macron.id) if p.date.edtf == "2024-02-26" and p.question_slug == "ground-troops")
        assert edited.notes.endswith("checked")
        assert store.revisions("positions", edited.uid)[-1]["action"] == "update"


@async_test
async def test_E_exports_the_current_question_to_markdown(demo_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        await press(pilot, "E")
        assert isinstance(app.screen, ExportScreen)
        path = app.screen.query_one("#path").value
        assert path == str(tmp_path / "ground-troops.md")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert f"Exported to {path}" in notices(app)
        report = (tmp_path / "ground-troops.md").read_text(encoding="utf-8")
        assert report.startswith("# Western ground troops in Ukraine")
        # Again: the file exists, so it asks before replacing it.
        await press(pilot, "E")
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        await press(pilot, "escape")
        assert isinstance(app.screen, QuestionScreen)
