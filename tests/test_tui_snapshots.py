"""Snapshots of the main screens on the demo data (pytest-textual-snapshot).

After a deliberate change to the look, regenerate them with
``.venv/bin/python -m pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the report or the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import load_demo, make_app, press, settle

SNAP_SIZE = (130, 40)


@pytest.fixture
def demo_app(tmp_path: Path):
    return make_app(load_demo(tmp_path / "demo.db"))  # "today" is fixed by make_app


def steps(*keys: str):
    """A run_before that presses ``keys`` (settling after each) with a fixed subtitle."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.sub_title = "demo.db"  # not the temporary folder
        await press(pilot, *keys)
        await settle(pilot)

    return run_before


GROUND_TROOPS = ("1", "end", "enter")  # the last question by title


def test_questions(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=steps())


def test_timeline(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=steps("3", "down", "down"))


def test_matrix(snap_compare, demo_app):
    # As of 15 Jan 2025, then a year back and a month forward: 15 Feb 2024.
    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=steps("4", "{", "]", "down", "right"))


def test_position_detail(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=steps(*GROUND_TROOPS, "down", "enter"))


def test_diff(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=steps(*GROUND_TROOPS, "end", "d"))


def test_help(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=steps("question_mark"))


def test_question_view_light(snap_compare, demo_app):
    async def run_before(pilot) -> None:
        pilot.app.theme = "tracker-light"
        await steps(*GROUND_TROOPS)(pilot)

    assert snap_compare(demo_app, terminal_size=SNAP_SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_movers(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=steps("5"))


