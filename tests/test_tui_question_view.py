"""The question view's first screen: where each actor stands and who reached Committed,
whole and without scrolling, on a large terminal and on an 80x24 one; the chart below."""

from __future__ import annotations

import re

import pytest
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    TODAY,
    async_test,
    content_text,
    demo_db,
    open_question,
    running,
    screen_text,
    settle,
)

from tracker.domain.movers import as_of, level_to_show, question_movers
from tracker.store import Store

TANKS = "Main battle tanks to Ukraine"
GROUND_TROOPS = "Western ground troops in Ukraine"
SIZES = [(120, 40), (80, 24)]


def expected(path, title: str):
    """From the data: each actor's stance today (name, label, since) and who reached the level the
    view shows (Committed, or the highest reached when nobody committed)."""
    with Store.open(path) as store:
        question = next(q for q in store.questions() if q.title == title)
        scale = store.scale(question.scale_key)
        positions = store.positions(question_id=question.id)
    current = as_of(positions, TODAY).values()
    lowest = min(scale.levels, key=lambda lv: lv.rank)
    found = question_movers(question, positions, level_to_show(scale, positions), lowest)
    return [(p.actor_name, p.level.label, p.date.display) for p in current], found


def on_one_line(lines: list[str], *parts: str) -> bool:
    pattern = re.compile(r"(^|\s)" + r"\s+".join(re.escape(p) for p in parts) + r"(\s|$)")
    return any(pattern.search(line) for line in lines)


@pytest.mark.parametrize("title", [TANKS, GROUND_TROOPS])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@async_test
async def test_first_screen_shows_the_stances_and_the_movers_whole(demo_db, size, title):
    stances, found = expected(demo_db, title)
    async with running(demo_db, size=size) as pilot:
        app = pilot.app
        await open_question(pilot, title)
        await settle(pilot)
        lines = screen_text(app).splitlines()[: size[1]]
        text = "\n".join(lines)
        assert "Where each actor stands today" in text
        assert len(stances) >= 5
        for name, label, since in stances:  # every row, each part whole, on the screen as it opens
            assert on_one_line(lines, name, label, since), (name, label, since, text)
        assert f"Movers: who reached “{found.level.label}”" in text
        if found.reached:
            for reach in found.reached[:3]:  # the first movers rows
                assert on_one_line(lines, reach.actor_name, "—", reach.position.date.display), (reach.actor_name, text)
            assert on_one_line(lines, found.reached[0].actor_name) and "first" in text
        else:
            assert "no actor has reached it;" in text
        # The positions list is still there, a few rows of it at least.
        assert "Positions · enter open" in text
        assert app.screen.query_one("#summary").scroll_y == 0  # nothing scrolled to get there


@async_test
async def test_short_screen_leaves_the_title_to_the_header(demo_db):
    async with running(demo_db, size=(80, 24)) as pilot:
        app = pilot.app
        await open_question(pilot, GROUND_TROOPS)
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert GROUND_TROOPS in lines[0]  # the header
        assert "Where each actor stands today" in lines[1]
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert lines[1].strip() == GROUND_TROOPS  # room enough: the title is back above the stances


@async_test
async def test_chart_with_ticks_letters_and_the_cut(demo_db):
    """Ground troops: Scholz's refusal of Jan 2023, then everything in Feb-Mar 2024: the quiet
    year is cut out, the axis has its months and years, and each stance its letter."""
    async with running(demo_db, size=(120, 40)) as pilot:
        app = pilot.app
        await open_question(pilot, GROUND_TROOPS)
        await settle(pilot)
        chart = content_text(app.screen.query_one("#chart"), width=116).splitlines()
        scholz = next(line for line in chart if line.startswith("Olaf Scholz"))
        assert "R╌" in scholz and "┊" in scholz
        macron = next(line for line in chart if line.startswith("Emmanuel Macron"))
        assert "N═" in macron
        axis_labels = next(line for line in chart if "Jan 2023" in line)
        assert "Feb 2024" in axis_labels and "Mar" in axis_labels
        legend = "\n".join(chart[chart.index(axis_labels) + 1 :])
        assert "R╌╌ Ruled out" in legend and "N══ Not excluded" in legend
        assert "┊ no statement Feb 2023 – Jan 2024 (left out)" in legend
        # Chart rows fit the screen at every width from 60 to 160.
        for width in (60, 80, 100, 160):
            await pilot.resize_terminal(width, 40)
            await settle(pilot)
            chart = content_text(app.screen.query_one("#chart"), width=200).splitlines()
            rows = [line for line in chart if "┬" in line or line.startswith("Olaf Scholz")]
            assert rows and all(len(line.rstrip()) <= width - 4 for line in rows), (width, rows)
            assert all(len(line.rstrip()) <= width - 4 for line in chart)
