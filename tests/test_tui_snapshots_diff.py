"""Snapshots of the diff screen (pytest-textual-snapshot), at 120x40: Macron's two statements
on ground troops word by word, and two positions on different questions (no change class).

Regenerate with ``.venv/bin/python -m pytest tests/test_tui_snapshots_diff.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import go_to, load_demo, make_app, press, settle

SNAP_SIZE = (120, 40)


@pytest.fixture
def demo_app(tmp_path: Path):
    return make_app(load_demo(tmp_path / "demo.db"))  # "today" is fixed by make_app


def test_diff_of_two_statements(snap_compare, demo_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.sub_title = "demo.db"  # not the temporary folder
        await press(pilot, "1", "end", "enter", "end", "d")  # ground troops; Macron, 16 Mar 2024
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=run_before)


def test_diff_across_two_questions(snap_compare, demo_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.sub_title = "demo.db"
        await press(pilot, "3")
        await go_to(pilot, lambda c: c.after.actor_slug == "france" and c.after.question_slug == "tanks")
        await press(pilot, "space")
        await go_to(pilot, lambda c: c.after.actor_slug == "france" and c.after.question_slug == "fighter-jets"
                    and c.after.level.key == "implemented")  # fmt: skip
        await press(pilot, "d")
        pilot.app.clear_notifications()  # "Marked …": gone after a few seconds, not in the picture
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=run_before)
