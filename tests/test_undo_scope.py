"""Undo reverses the changes of its own run of the interface, newest first, never another
program's; a change it can no longer reverse is explained and passed over; ids are never
reused (issue 16, item 2)."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from fixture_helpers import unpack
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
)

from tracker.errors import NotFound, TrackerError
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store
from tracker.store.undo import CannotUndo, Run
from tracker.tui.screens.position import PositionScreen



def position_of(path, actor: str, day: str):
    with Store.open(path) as store:
        actor_id = store.resolve_actor(actor).id
        return next(p for p in store.positions(actor_id=actor_id) if p.date.display == day)


def an_import_edits(path, position, **changes) -> None:
    """Another program (an import) changes one field of a position, matched by its uid."""
    record = {
        "type": "position", "uid": position.uid, "actor": position.actor_slug, "question": position.question_slug,
        "stance": position.level.key, "date": position.date.edtf, "quote": position.quote, "quote_lang": position.quote_lang,
        "paraphrase": position.paraphrase, "context": position.context, "confidence": position.confidence,
        "notes": position.notes, "tags": list(position.tags),
    } | changes  # fmt: skip
    if position.source:
        record["source"] = position.source.url or position.source.uid
    with Store.open(path, origin="import") as store:
        import_records(store, jsonl.read_records(io.StringIO(json.dumps(record))))


def two_positions(path):
    """A file with Macron's positions of 2023 (ruled out) and Jan 2024 (reluctant), written
    by the command line (so no run of the interface can undo them)."""
    with Store.open(path) as setup:
        setup.add_actor("Emmanuel Macron", slug="macron")
        setup.add_question("Western ground troops in Ukraine", slug="ground-troops")
        a = setup.add_position(actor="macron", question="ground-troops", stance="ruled-out", date="2023")
        b = setup.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024-01")
    return a, b


@async_test
async def test_u_undoes_the_interfaces_deletion_not_an_imports_later_edit(demo_db):
    """The issue's first case: delete in the interface, an import updates another position,
    u. It reverted the import's change; it must bring back the deletion and leave the import's."""
    rutte = position_of(demo_db, "rutte", "26 Feb 2024")
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, position_on("Emmanuel Macron", "26 Feb 2024"))
        await press(pilot, "x", "y")
        await settle(pilot)
        an_import_edits(demo_db, rutte, notes="checked by the desk")
        await press(pilot, "u")
        await settle(pilot)
        assert any("Undid the deletion of Emmanuel Macron" in n for n in notices(app)), notices(app)
    assert position_of(demo_db, "macron", "26 Feb 2024")  # back
    assert position_of(demo_db, "rutte", "26 Feb 2024").notes == "checked by the desk"  # kept


def test_a_new_position_never_takes_the_id_of_a_deleted_one_and_undo_does_not_jam(tmp_path):
    """The issue's second case: the newest position deleted in the interface, then `tracker add`
    took its id, and every later u failed. Now the id is never given again, u brings the
    deletion back under its own id, and the next u goes on."""
    path = tmp_path / "t.db"
    first, _ = two_positions(path)
    with Store.open(path, origin="interface", run=Run()) as ui:
        ui.update_position(first.id, notes="an edit to undo later")
        newest = ui.add_position(actor="macron", question="ground-troops", stance="reluctant", date="2024-02")
        ui.delete_position(newest.id)
        with Store.open(path) as cli:  # `tracker add`, meanwhile
            added = cli.add_position(actor="macron", question="ground-troops", stance="open", date="2024-03")
        assert added.id > newest.id
        assert "deletion" in ui.undo()
        assert ui.position(newest.id).uid == newest.uid
        assert "addition" in ui.undo()  # the run added it: undoing that removes it again
        assert "edit" in ui.undo()
        assert ui.position(first.id).notes == ""
        with pytest.raises(TrackerError, match="nothing to undo"):
            ui.undo()
        assert ui.position(added.id).date.edtf == "2024-03"  # the other program's position stays
        assert ui.check() == []


def test_a_change_made_since_by_another_program_is_explained_and_passed_over(tmp_path):
    path = tmp_path / "t.db"
    a, b = two_positions(path)
    with Store.open(path, origin="interface", run=Run()) as ui:
        ui.update_position(a.id, notes="first, by hand")
        ui.update_position(b.id, notes="second, by hand")
        with Store.open(path) as other:
            other.update_position(b.id, quote="a later correction by someone else")
        with pytest.raises(CannotUndo, match="changed since by another program.*press u again"):
            ui.undo()
        assert ui.position(b.id).quote == "a later correction by someone else"  # not lost
        assert "edit" in ui.undo()  # the next u goes on to the change before it
        assert ui.position(a.id).notes == ""
        assert ui.position(b.id).notes == "second, by hand"
        with pytest.raises(TrackerError, match="nothing to undo"):
            ui.undo()


def test_a_position_deleted_since_by_another_program_is_explained_not_resurrected(tmp_path):
    path = tmp_path / "t.db"
    a, _ = two_positions(path)
    with Store.open(path, origin="interface", run=Run()) as ui:
        ui.update_position(a.id, notes="by hand")
        with Store.open(path) as other:
            other.delete_position(a.id)
        with pytest.raises(CannotUndo, match="deleted since"):
            ui.undo()
        with pytest.raises(NotFound):
            ui.position(a.id)
        with pytest.raises(TrackerError, match="nothing to undo"):
            ui.undo()


def test_two_runs_of_the_interface_each_undo_their_own(tmp_path):
    path = tmp_path / "t.db"
    a, b = two_positions(path)
    with Store.open(path, origin="interface", run=Run()) as one, Store.open(path, origin="interface", run=Run()) as two:
        one.update_position(a.id, notes="one")
        two.update_position(b.id, notes="two")
        one.undo()
        assert (one.position(a.id).notes, one.position(b.id).notes) == ("", "two")
        with pytest.raises(TrackerError, match="nothing to undo"):
            one.undo()
        two.undo()
        assert one.position(b.id).notes == ""


def test_an_old_file_gives_no_id_its_revision_log_has_seen(tmp_path):
    """Migrating to schema 3 counts the ids of positions deleted before it: the newest
    position of a schema-2 file, deleted by that version, keeps its id to itself."""
    path = unpack(2, tmp_path)
    conn = sqlite3.connect(path)
    (newest,) = conn.execute("SELECT max(id) FROM positions").fetchone()
    with conn:
        conn.execute("DELETE FROM positions WHERE id = ?", (newest,))  # its trigger logs every field
    conn.close()
    with Store.open(path) as store:
        q = store.questions()[0]
        added = store.add_position(actor=store.actors()[0].slug, question=q.slug, stance=0, date="2025")
    assert added.id > newest


@async_test
async def test_a_position_another_program_deletes_while_on_screen_does_not_offer_undo(demo_db):
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, position_on("Emmanuel Macron", "26 Feb 2024"))
        await press(pilot, "enter")
        assert isinstance(app.screen, PositionScreen)
        with Store.open(demo_db) as other:
            other.delete_position(app.screen.position_id)
        for _ in range(30):  # the interface notices other programs' writes within a second
            await pilot.pause(0.1)
            if "deleted" in screen_text(app):
                break
        text = screen_text(app)
        assert "This position was deleted by another program or command." in text
        assert "press u" not in text


def test_an_upgrade_that_copies_many_positions_says_so_first(tmp_path, monkeypatch):
    """Schema 3 copies the positions table (about a minute a million positions): the command
    line says so before it starts, rather than seeming to hang."""
    from click.testing import CliRunner

    from tracker.cli import cli
    from tracker.store import database

    path = unpack(2, tmp_path)
    monkeypatch.setattr(database, "SAY_UPGRADE_FROM", 5)  # the fixture's few positions count as many
    result = CliRunner().invoke(cli, ["--db", str(path), "list", "questions"])
    assert result.exit_code == 0, result.output
    assert "upgrading " in result.stderr and "this is done once" in result.stderr
    again = CliRunner().invoke(cli, ["--db", str(path), "list", "questions"])
    assert "upgrading" not in again.stderr
