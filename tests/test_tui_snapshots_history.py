"""Snapshot of the position detail with a revision history: an edit from the command
line, an edit in the interface, and its undo, in words and in local time.

The revision times are set to fixed values and the time zone to UTC, so the picture
is the same on every machine. After a deliberate change to the look:
``.venv/bin/python -m pytest tests/test_tui_snapshots_history.py --snapshot-update``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tui_helpers import load_demo, make_app, settle

from tracker.store import Store
from tracker.store.undo import Run
from tracker.tui.screens.position import PositionScreen

SNAP_SIZE = (120, 40)
TIMES = ("2026-12-06T17:58:00Z", "2026-12-06T18:11:40Z", "2026-12-06T18:12:05Z")


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def edited_demo(path: Path) -> int:
    """The demo data with Rutte's position of 26 Feb 2024 edited from the command line,
    then in the interface, and that edit undone; the revisions at fixed times."""
    load_demo(path)
    with Store.open(path) as cli:
        rutte = cli.resolve_actor("rutte").id
        position = next(p for p in cli.positions(actor_id=rutte) if p.date.display == "26 Feb 2024")
        cli.update_position(position.id, notes="Checked against the NATO transcript")
    with Store.open(path, origin="interface", run=Run()) as ui:
        ui.update_position(
            position.id, stance="ruled-out", date="2024-02", source="https://www.pravda.com.ua/eng/news/2024/02/27/7443967/",
            paraphrase=position.paraphrase.replace("had not been on the agenda", "was not on the agenda, for now"),
        )  # fmt: skip
        ui.undo()
        ids = [r["id"] for r in ui.revisions("positions", position.uid)]
        assert len(ids) == 3
        with ui.transaction():
            for revision_id, at in zip(ids, TIMES):
                ui.conn.execute("UPDATE revisions SET at = ? WHERE id = ?", (at, revision_id))
    return position.id


def test_position_detail_history(snap_compare, tmp_path, utc):
    position_id = edited_demo(tmp_path / "demo.db")
    app = make_app(tmp_path / "demo.db")

    async def run_before(pilot) -> None:
        await settle(pilot)
        app.push_screen(PositionScreen(position_id))
        await settle(pilot)
        await pilot.press("end")  # the history is at the bottom
        await settle(pilot)

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_position_deleted_by_another_program(snap_compare, tmp_path, utc, size):
    """The position on screen deleted by another program: said so, with no offer of u."""
    position_id = edited_demo(tmp_path / "demo.db")
    app = make_app(tmp_path / "demo.db")

    async def run_before(pilot) -> None:
        await settle(pilot)
        app.push_screen(PositionScreen(position_id))
        await settle(pilot)
        with Store.open(tmp_path / "demo.db") as other:
            other.delete_position(position_id)
            other.conn.execute("UPDATE revisions SET at = ? WHERE id = (SELECT max(id) FROM revisions)", ("2026-12-06T18:20:00Z",))
        for _ in range(30):  # the interface notices other programs' writes within a second
            await pilot.pause(0.1)
            if "deleted by another program" in str(app.screen.query_one("#detail").render()):
                break
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
