"""Snapshots of the question view on generated data with hostile names (forty actors: full
stance and movers tables, names that wrap, wide and control characters), as drawn by the
worker (render.Drawn, render.QuickTable). They were made with the drawing on the main thread
that this replaced, and must stay the same.

Regenerate after a deliberate change with
``.venv/bin/python -m pytest tests/test_tui_snapshots_answers.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_answers_drawing import hostile
from test_question_open_speed import TODAY
from tui_helpers import make_app, open_question, settle

from tracker.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return hostile(tmp_path_factory.mktemp("snapshots") / "gen.db")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_question_view(snap_compare, db, size):
    with Store.open(db) as store:
        title = max(store.questions(), key=lambda q: q.title).title

    async def run_before(pilot) -> None:
        await settle(pilot)
        await open_question(pilot, title)
        await settle(pilot)
        pilot.app.sub_title = "gen.db"  # not the temporary folder

    assert snap_compare(make_app(db, today=TODAY), terminal_size=size, run_before=run_before)
