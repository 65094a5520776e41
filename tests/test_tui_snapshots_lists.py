"""Snapshots of the lists' headers, the timeline's filter line, go to a date in the matrix and
a marked row, on the demo data (pytest-textual-snapshot; the app's "today" is fixed).

After a deliberate change to the look, regenerate them with
``.venv/bin/python -m pytest tests/test_tui_snapshots_lists.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import load_demo, make_app, press, settle


@pytest.fixture
def demo_app(tmp_path: Path):
    return make_app(load_demo(tmp_path / "demo.db"))


def steps(*keys: str):
    """A run_before that presses ``keys`` (settling after each) with a fixed subtitle."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.sub_title = "demo.db"  # not the temporary folder
        await press(pilot, *keys)
        await settle(pilot)

    return run_before


def typed(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


def test_timeline_header_wide(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=steps("3"))


def test_timeline_header_narrow(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=steps("3"))


def test_timeline_filter_applied(snap_compare, demo_app):
    keys = ("3", "f", *typed("Germany tanks 2023-01..2023-06"), "enter")
    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=steps(*keys))


def test_matrix_go_to_date_prompt(snap_compare, demo_app):
    keys = ("4", "g", *typed("26 février 2024"))
    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=steps(*keys))


def test_timeline_marked_row(snap_compare, demo_app):
    async def run_before(pilot) -> None:
        await steps("3", "down", "down", "space", "down", "down")(pilot)
        pilot.app.clear_notifications()  # the toast would cover the rows
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=run_before)
