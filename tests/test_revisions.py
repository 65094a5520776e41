"""Editing, deleting and undoing positions: nothing is overwritten without a trace."""

from __future__ import annotations

import json

import pytest

from tracker.errors import TrackerError
from tracker.store import Store
from tracker.store.undo import Run


@pytest.fixture
def entry(tmp_path):
    store = Store.open(tmp_path / "r.db", origin="interface", run=Run())
    store.add_actor("Emmanuel Macron", slug="macron")
    store.add_question("Western ground troops in Ukraine", slug="ground-troops")
    position = store.add_position(actor="macron", question="ground-troops", stance="ruled-out", date="2023", quote="jamais")
    yield store, position
    store.close()


def row(store: Store, position_id: int) -> dict:
    return dict(store.conn.execute("SELECT * FROM positions WHERE id = ?", (position_id,)).fetchone())


def test_update_changes_only_the_given_fields_and_logs_the_old_values(entry):
    store, p = entry
    edited = store.update_position(p.id, stance="not-excluded", quote="rien ne doit être exclu")
    assert (edited.level.key, edited.quote, edited.date.edtf) == ("not-excluded", "rien ne doit être exclu", "2023")
    update = store.revisions("positions", p.uid)[-1]
    assert update["action"] == "update"
    assert json.loads(update["before"])["quote"] == "jamais"
    assert json.loads(update["after"])["quote"] == "rien ne doit être exclu"
    assert [h.id for h in store.search("exclu")] == [p.id]
    assert store.search("jamais") == []


def test_a_bad_edit_writes_nothing(entry):
    store, p = entry
    before = row(store, p.id)
    revisions = len(store.revisions("positions", p.uid))
    for bad in ({"date": "31 février 2024"}, {"stance": "maybe"}, {"actor": "nobody"}, {"quote_lang": "french!"}):
        with pytest.raises(TrackerError):
            store.update_position(p.id, **bad)
    assert row(store, p.id) == before
    assert len(store.revisions("positions", p.uid)) == revisions


def test_delete_then_undo_brings_back_every_column(entry):
    store, p = entry
    store.update_position(p.id, notes="checked against the video")
    before = row(store, p.id)
    store.delete_position(p.id)
    with pytest.raises(TrackerError):
        store.position(p.id)
    message = store.undo()
    assert "deletion" in message and "Emmanuel Macron" in message
    assert row(store, p.id) == before
    assert [h.id for h in store.search("jamais")] == [p.id]
    assert store.check() == []


def test_undo_goes_back_one_change_at_a_time_then_says_there_is_nothing_left(entry):
    store, p = entry
    original = row(store, p.id)
    store.update_position(p.id, stance="reluctant")
    middle = row(store, p.id)
    store.update_position(p.id, date="2024-02-26", stance="not-excluded")
    store.delete_position(p.id)
    store.undo()  # the deletion
    assert row(store, p.id)["date"] == "2024-02-26"
    store.undo()  # the second edit
    assert row(store, p.id) == middle
    store.undo()  # the first edit
    restored = row(store, p.id)
    assert {k: v for k, v in restored.items() if k != "updated_at"} == {k: v for k, v in original.items() if k != "updated_at"}
    assert "addition" in store.undo()  # the position was added in this run too
    assert store.conn.execute("SELECT count(*) FROM positions").fetchone()[0] == 0
    with pytest.raises(TrackerError, match="nothing to undo"):
        store.undo()
    log = store.revisions("positions", p.uid)
    undos = [r for r in log if r["reverts"] is not None]
    assert len(undos) == 4
    # Each undo names a distinct earlier revision, newest first.
    assert [u["reverts"] for u in undos] == sorted((u["reverts"] for u in undos), reverse=True)


def test_undo_of_a_deletion_passes_it_over_when_the_uid_came_back(entry):
    store, p = entry
    store.delete_position(p.id)
    with Store.open(store.path) as other:  # another program puts a position with that uid back
        other.add_position(actor="macron", question="ground-troops", stance="open", date="2024", uid=p.uid)
    with pytest.raises(TrackerError, match="changed since"):
        store.undo()
