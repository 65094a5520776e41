"""What is typed in a form outlives the interface (tracker.tui.drafts): quitting with ctrl+q,
the terminal hanging up, or a process killed a moment after the last key leaves the typed
text in a draft, and the next start on the same database opens the form again with it;
closing that form removes the draft. Each test has its own drafts folder (conftest)."""

from __future__ import annotations

import fcntl
import json
import os
import threading

import pytest
from tui_helpers import NASTY, async_test, demo_db, focused_field, notices, running, settle, type_text  # noqa: F401

from tracker.store import Store
from tracker.tui import drafts as drafts_module
from tracker.tui.drafts import DraftKeeper, FormDraft, database_key, drafts_folder, read_draft
from tracker.tui.forms import ActorForm, PositionForm
from tracker.tui.screens.confirm import ConfirmScreen

QUOTE = f"Rien ne doit être exclu. {NASTY}"


def draft_files(db) -> list:
    folder = drafts_folder()
    if not folder.exists():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(database_key(db)) and p.suffix == ".json")


def field_value(form, field_id: str) -> str:
    return form.field(field_id).value


def status(form) -> str:
    return str(form.query_one(".form-status").render())


async def new_position_with_text(pilot) -> PositionForm:
    """``n`` on the questions list, then an actor's name and a quote typed."""
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, PositionForm) and form.loaded
    await type_text(pilot, "Emmanuel Macron")
    form.field("quote").focus_input()
    await settle(pilot)
    await type_text(pilot, QUOTE)
    return form


async def reopened(pilot) -> PositionForm:
    """The form a new start opened from a draft, once loaded."""
    for _ in range(20):
        await settle(pilot)
        if isinstance(pilot.app.screen, PositionForm) and pilot.app.screen.loaded:
            return pilot.app.screen
    raise AssertionError(f"no form was reopened: {pilot.app.screen!r}")


@async_test
async def test_ctrl_q_keeps_the_typed_text_and_the_next_start_opens_it_again(demo_db):
    async with running(demo_db) as pilot:
        typed = field_value(await new_position_with_text(pilot), "quote")
        assert typed.startswith("Rien ne doit être exclu. [bold]x[/]")
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert len(draft_files(demo_db)) == 1

    async with running(demo_db) as pilot:
        form = await reopened(pilot)
        assert form.position_id is None
        assert field_value(form, "actor") == "Emmanuel Macron"
        assert field_value(form, "quote") == typed
        assert form.lookup("actor").record is not None  # the actor is chosen again
        assert status(form).startswith("Reopened as it was when Position Tracker closed, at ")
        assert form.dirty  # escape asks before dropping it
        assert not form.lookup("actor").dropdown.display  # no list of matches over the reopened form
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        for _ in range(5):
            await settle(pilot)
            await pilot.pause(drafts_module.DRAFT_DELAY / 4)
        assert not isinstance(pilot.app.screen, PositionForm)
    assert draft_files(demo_db) == []  # dropped on purpose: the draft is gone

    async with running(demo_db) as pilot:  # and nothing opens the next time
        await settle(pilot)
        assert not isinstance(pilot.app.screen, PositionForm)


@async_test
async def test_a_terminal_that_hangs_up_leaves_the_draft(demo_db):
    async with running(demo_db) as pilot:
        typed = field_value(await new_position_with_text(pilot), "quote")
        hang_up = threading.Thread(target=pilot.app._terminal_gone)  # as tracker.tui.hangup's thread calls it
        hang_up.start()
        while hang_up.is_alive():  # it waits for this loop to run the app's exit
            await pilot.pause(0.01)
        await settle(pilot)
    (path,) = draft_files(demo_db)
    draft = read_draft(path)
    assert draft.forms[0].kind == "position"
    assert draft.forms[0].fields["quote"] == typed


@async_test
async def test_the_draft_is_kept_a_moment_after_each_change(demo_db, monkeypatch):
    monkeypatch.setattr(drafts_module, "DRAFT_DELAY", 0.05)
    async with running(demo_db) as pilot:
        typed = field_value(await new_position_with_text(pilot), "quote")
        await pilot.pause(0.2)
        await settle(pilot)
        (path,) = draft_files(demo_db)  # on disk while the interface runs: a kill loses nothing
        assert read_draft(path).forms[0].fields["quote"] == typed
        await type_text(pilot, " encore")
        await pilot.pause(0.2)
        await settle(pilot)
        assert read_draft(path).forms[0].fields["quote"] == typed + " encore"


@async_test
async def test_a_saved_form_leaves_no_draft(demo_db, monkeypatch):
    monkeypatch.setattr(drafts_module, "DRAFT_DELAY", 0.05)
    async with running(demo_db) as pilot:
        form = await new_position_with_text(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert len(draft_files(demo_db)) == 1
        assert form.lookup("question").choose_record(lambda r: r.slug == "ground-troops")
        form.field("stance").focus_input()
        await settle(pilot)
        await type_text(pilot, "open")
        form.field("date").focus_input()
        await settle(pilot)
        await type_text(pilot, "2024-03-01")
        await pilot.press("ctrl+s")
        for _ in range(5):
            await settle(pilot)
            await pilot.pause(0.1)
        assert not isinstance(pilot.app.screen, PositionForm)
        assert draft_files(demo_db) == []


@async_test
async def test_a_new_actor_opened_from_the_position_comes_back_above_it_and_fills_it(demo_db):
    async with running(demo_db) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Volodymyr Zelensky")
        await pilot.press("up")  # the dropdown's last line: create new actor “Volodymyr Zelensky”
        await pilot.press("enter")
        await settle(pilot)
        actor_form = pilot.app.screen
        assert isinstance(actor_form, ActorForm)
        actor_form.field("kind").focus_input()
        await type_text(pilot, "person")
        await pilot.press("ctrl+q")
        await settle(pilot)

    async with running(demo_db) as pilot:
        for _ in range(20):
            await settle(pilot)
            if isinstance(pilot.app.screen, ActorForm) and pilot.app.screen.loaded:
                break
        top = pilot.app.screen
        assert isinstance(top, ActorForm)
        assert field_value(top, "name") == "Volodymyr Zelensky" and field_value(top, "kind") == "person"
        below = pilot.app.screen_stack[-2]
        assert isinstance(below, PositionForm) and field_value(below, "actor") == "Volodymyr Zelensky"
        await pilot.press("ctrl+s")  # the actor is saved, and chosen in the position's field
        for _ in range(5):
            await settle(pilot)
        assert pilot.app.screen is below
        assert below.lookup("actor").record is not None
        assert below.lookup("actor").record.name == "Volodymyr Zelensky"


@async_test
async def test_an_edit_comes_back_as_the_same_edit(demo_db):
    with Store.open(demo_db) as store:
        position = store.positions()[0]
    async with running(demo_db) as pilot:
        pilot.app.edit_position(position.id)
        await settle(pilot)
        form = pilot.app.screen
        form.field("notes").focus_input()
        await type_text(pilot, " — checked against the video")
        await pilot.press("ctrl+q")
        await settle(pilot)

    async with running(demo_db) as pilot:
        form = await reopened(pilot)
        assert form.position_id == position.id
        assert field_value(form, "notes") == position.notes + " — checked against the video"
        assert field_value(form, "quote") == position.quote  # the rest as the file has it
        await pilot.press("ctrl+s")
        for _ in range(5):
            await settle(pilot)
    with Store.open(demo_db) as store:
        assert store.position(position.id).notes == position.notes + " — checked against the video"
    assert draft_files(demo_db) == []


@async_test
async def test_a_running_interfaces_draft_is_not_taken(demo_db):
    other = DraftKeeper(demo_db)  # another interface, still running: it holds its lock
    other.write([FormDraft("position", {}, {"quote": "still being typed elsewhere"})])
    try:
        async with running(demo_db) as pilot:
            await settle(pilot)
            assert not isinstance(pilot.app.screen, PositionForm)
        assert other.path.exists()
    finally:
        other.close()  # it ends: its draft stays for the next start
    async with running(demo_db) as pilot:
        form = await reopened(pilot)
        assert field_value(form, "quote") == "still being typed elsewhere"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", json.dumps({"format": 99, "kept_at": "x", "forms": []}).encode(),
     json.dumps({"format": 1, "kept_at": "2026-12-07T11:20:00",
                 "forms": [{"kind": "position", "args": {"position_id": "1; DROP TABLE"}, "fields": {}}]}).encode(),
     json.dumps({"format": 1, "kept_at": "2026-12-07T11:20:00",
                 "forms": [{"kind": "shell", "args": {}, "fields": {}}]}).encode(),
     b"\xff\xfe" * 10],
    ids=["not json", "a list", "another format", "an id that is no number", "an unknown form", "not utf-8"],
)  # fmt: skip
@async_test
async def test_a_spoiled_draft_is_said_in_one_line_and_left_as_it_is(demo_db, content):
    folder = drafts_folder()
    folder.mkdir(parents=True)
    path = folder / f"{database_key(demo_db)}-1-0000abcd.json"
    path.write_bytes(content)
    async with running(demo_db) as pilot:
        for _ in range(3):
            await settle(pilot)
        assert not isinstance(pilot.app.screen, PositionForm)
        said = [n for n in notices(pilot.app) if "draft" in n]
        assert len(said) == 1 and str(path) in said[0] and "\n" not in said[0]
    assert path.read_bytes() == content


def test_the_files_are_made_safely(tmp_path):
    keeper = DraftKeeper(tmp_path / "t.db", tmp_path / "drafts")
    assert not (tmp_path / "drafts").exists()  # nothing typed, nothing made
    keeper.write([FormDraft("actor", {"typed": "x"}, {"name": "x"})])
    assert oct(keeper.path.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in (tmp_path / "drafts").iterdir()) == sorted([keeper.path.name, keeper.path.with_suffix(".lock").name])
    keeper.write([])  # nothing typed any more: no file
    assert not keeper.path.exists()
    keeper.close()
    assert list((tmp_path / "drafts").iterdir()) == []


def test_a_lock_held_elsewhere_is_a_running_interface(tmp_path):
    mine = DraftKeeper(tmp_path / "t.db", tmp_path / "drafts")
    (tmp_path / "drafts").mkdir()
    theirs = tmp_path / "drafts" / f"{mine.key}-2-0123abcd.json"
    theirs.write_text(json.dumps({"format": 1, "kept_at": "2026-12-07T11:20:00",
                                  "forms": [{"kind": "actor", "args": {"typed": ""}, "fields": {"name": "y"}}]}))  # fmt: skip
    fd = os.open(theirs.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    assert mine.left_behind() == []
    os.close(fd)
    ((path, draft),) = mine.left_behind()
    assert path == theirs and draft.forms[0].fields == {"name": "y"}
    mine.close()


@async_test
async def test_a_crash_keeps_the_draft_of_the_last_moment(demo_db, monkeypatch):
    monkeypatch.setattr(drafts_module, "DRAFT_DELAY", 0.05)
    with pytest.raises(RuntimeError):  # under a test, Textual hands the error over (tests/test_crash.py)
        async with running(demo_db) as pilot:
            typed = field_value(await new_position_with_text(pilot), "quote")
            await pilot.pause(0.2)
            await settle(pilot)

            def bug() -> None:
                raise RuntimeError("a bug")

            pilot.app.call_later(bug)  # ends the app as any unexpected error does
            for _ in range(10):
                await pilot.pause(0.02)
    assert isinstance(pilot.app.crash_error, RuntimeError)
    (path,) = draft_files(demo_db)  # the forms went with the app, not on purpose: the draft stays
    assert read_draft(path).forms[0].fields["quote"] == typed


def test_the_demo_keeps_no_drafts(monkeypatch):
    """`tracker demo` runs on a copy of the data that goes with the session: a draft kept
    for it could never be reopened, and would be left behind for ever."""
    from click.testing import CliRunner

    from tracker.cli import cli, interface

    seen: dict = {}
    monkeypatch.setattr(interface, "need_terminal", lambda: None)
    monkeypatch.setattr(interface, "run_app", lambda path, **options: seen.update(options))
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert seen == {"keep_drafts": False}


@async_test
async def test_an_interface_told_not_to_keep_drafts_keeps_none(demo_db):
    async with running(demo_db, keep_drafts=False) as pilot:
        await new_position_with_text(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert not drafts_folder().exists()
