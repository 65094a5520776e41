"""Snapshots of the capture screen (c): an article's quotes, one captured and one skipped,
at 120x40 and 80x24; an article with no quotes.

Regenerate with ``.venv/bin/python -m pytest tests/test_tui_snapshots_capture.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path

import pytest
from capture_helpers import fake_finder, seed_like
from tui_helpers import load_demo, make_app, press, settle

from tracker.store import Store
from tracker.tui.screens.capture import CaptureScreen


def capture_steps(db: Path, *, mark: bool):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.sub_title = "demo.db"  # not the temporary folder
        article, _ = seed_like()
        screen = CaptureScreen(article)
        pilot.app.push_screen(screen)
        await settle(pilot)
        if mark:
            with Store.open(db) as store:
                saved = store.position(1)
            screen.form_closed(screen.key(screen.quotes[0]), saved)  # what a save in the form does
            await settle(pilot)
            await press(pilot, "x")  # the second skipped: on to the third
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_capture(snap_compare, tmp_path, monkeypatch, size):
    db = load_demo(tmp_path / "demo.db")
    fake_finder(monkeypatch, seed_like()[1])
    assert snap_compare(make_app(db), terminal_size=size, run_before=capture_steps(db, mark=True))


def test_capture_no_quotes(snap_compare, tmp_path, monkeypatch):
    db = load_demo(tmp_path / "demo.db")
    fake_finder(monkeypatch, [])
    assert snap_compare(make_app(db), terminal_size=(120, 40), run_before=capture_steps(db, mark=False))
