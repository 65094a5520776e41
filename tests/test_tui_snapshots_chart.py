"""Snapshots of the question view and its swimlane chart (pytest-textual-snapshot).

Regenerate after a deliberate change with
``.venv/bin/python -m pytest tests/test_tui_snapshots_chart.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from tui_helpers import load_demo, make_app, press, settle

from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store

TANKS = ("1", "end", "up", "up", "enter")  # "Main battle tanks to Ukraine"
GROUND_TROOPS = ("1", "end", "enter")  # the last question by title


def steps(*keys: str, chart: bool = False):
    """A run_before that presses ``keys`` (settling after each) with a fixed subtitle;
    ``chart``: then scrolls the summary to the chart."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.sub_title = "demo.db"  # not the temporary folder
        await press(pilot, *keys)
        await settle(pilot)
        if chart:
            pilot.app.screen.query_one("#summary").scroll_end(animate=False, immediate=True)
            await settle(pilot)

    return run_before


@pytest.fixture
def demo_app(tmp_path: Path):
    return make_app(load_demo(tmp_path / "demo.db"))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("keys", [TANKS, GROUND_TROOPS], ids=["tanks", "ground-troops"])
def test_question_view(snap_compare, demo_app, size, keys):
    assert snap_compare(demo_app, terminal_size=size, run_before=steps(*keys))


def test_ground_troops_chart(snap_compare, demo_app):
    """The demo's own early outlier: Scholz in Jan 2023, everyone else in Feb-Mar 2024."""
    assert snap_compare(demo_app, terminal_size=(100, 40), run_before=steps(*GROUND_TROOPS, chart=True))


def outlier_records() -> list[dict]:
    """One refusal in April 2022, then two years of moves from January 2023."""
    actors = ["Germany", "Poland", "United Kingdom", "United States", "France", "Netherlands"]
    records: list[dict] = [{"type": "actor", "slug": a.lower().replace(" ", "-"), "name": a, "kind": "government"} for a in actors]
    records.append({"type": "question", "slug": "jets", "title": "Outlier question", "scale": "commitment"})
    moves = [
        ("germany", "ruled-out", "2022-04-10"),
        ("poland", "open", "2023-01-12"), ("united-kingdom", "reluctant", "2023-02-03"),
        ("united-states", "reluctant", "2023-03"), ("poland", "committed", "2023-03-17"),
        ("netherlands", "open", "2023-05-20"), ("united-kingdom", "open", "2023-06-11"),
        ("united-states", "committed", "2023-08-17"), ("netherlands", "committed", "2023-08-20"),
        ("germany", "reluctant", "2023-10-02"), ("france", "not-excluded", "2024-01-15"),
        ("netherlands", "implemented", "2024-05-13"), ("united-kingdom", "committed", "2024-06"),
        ("germany", "not-excluded", "2024-09-30"), ("united-states", "implemented", "2024-11-26"),
    ]  # fmt: skip
    for actor, stance, when in moves:
        records.append({"type": "position", "actor": actor, "question": "jets", "stance": stance, "date": when,
                        "quote": f"{actor} {stance}", "quote_lang": "en"})  # fmt: skip
    return records


@pytest.fixture
def outlier_app(tmp_path: Path):
    path = tmp_path / "outlier.db"
    text = "".join(json.dumps(r) + "\n" for r in outlier_records())
    with Store.open(path) as store:
        import_records(store, read_records(io.StringIO(text)))
    return make_app(path)


@pytest.mark.parametrize("size", [(120, 40), (60, 40)], ids=["120x40", "60x40"])
def test_outlier_chart(snap_compare, outlier_app, size):
    """An early outlier: the quiet May-Dec 2022 is cut out (┊), 2023-24 gets the width."""
    assert snap_compare(outlier_app, terminal_size=size, run_before=steps("1", "enter", chart=True))
