"""The matrix (4), driven by keys: stepping through time, the cursor and the window
that follows it, resizing, writes from elsewhere, themes and hostile names."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest
from rich.color import Color
from tui_helpers import SIZE, async_test, press, running, screen_segments, screen_text, settle

from tracker import render
from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store
from tracker.tui.forms import PositionForm
from tracker.tui.screens.matrix import MatrixScreen
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.widgets.matrix_grid import COLUMN, LABEL, TITLE_WIDTH

QUESTIONS, ACTORS = 60, 30
HOSTILE_TITLE = "[/b] [TODO] tanks"
HOSTILE_NAME = "[/b] [red]Actor[/red]"  # 21 cells: on two lines, the second cut to the column's 12


def title(index: int) -> str:
    """The question on row ``index``: the hostile one sorts first ("[" before letters)."""
    return HOSTILE_TITLE if index == 0 else f"Question {index - 1:02d}"


def name(index: int) -> str:
    return HOSTILE_NAME if index == 0 else f"Actor {index - 1:02d}"


@pytest.fixture
def many_db(tmp_path: Path) -> Path:
    """61 questions by 31 actors. Where (question + actor) % 3 == 0, "Not excluded" from
    10 Jan 2023, then "Implemented" from 1 Jun 2024; elsewhere nothing."""
    records: list[dict] = [{"type": "question", "slug": f"q{i}", "title": title(i)} for i in range(QUESTIONS + 1)]
    records += [{"type": "actor", "slug": f"a{j}", "name": name(j), "kind": "person"} for j in range(ACTORS + 1)]
    for i in range(QUESTIONS + 1):
        for j in range(ACTORS + 1):
            if (i + j) % 3 == 0:
                records += [
                    {"type": "position", "actor": f"a{j}", "question": f"q{i}", "stance": "not-excluded", "date": "2023-01-10"},
                    {"type": "position", "actor": f"a{j}", "question": f"q{i}", "stance": "implemented", "date": "2024-06-01"},
                ]  # fmt: skip
    path = tmp_path / "many.db"
    with Store.open(path) as store:
        import_records(store, read_records(io.StringIO("".join(json.dumps(r) + "\n" for r in records))))
    return path


async def open_matrix(pilot) -> MatrixScreen:
    await settle(pilot)
    await press(pilot, "4")
    screen = pilot.app.screen
    assert isinstance(screen, MatrixScreen)
    return screen


def header(app) -> str:
    return screen_text(app).splitlines()[1]


def lines(app) -> list[str]:
    """The grid's lines: the last line of its header (actor names, or their ends), then a line
    per question."""
    return screen_text(app).splitlines()[3:-1]


def names_above(app) -> str:
    """The first line of the grid's header: the start of the names that take two lines."""
    return screen_text(app).splitlines()[2]


def row(app, question: str) -> str:
    return next(line for line in lines(app) if line[1:].startswith(question))


def cell(line: str, column: int) -> str:
    """What the ``column``-th actor on screen shows on ``line``."""
    start = 1 + TITLE_WIDTH + 1 + column * COLUMN + 1
    return line[start : start + LABEL].strip()


def window(screen: MatrixScreen) -> tuple[int, int]:
    return screen.query_one("#matrix").window


@async_test
async def test_each_step_shows_the_new_dates_cells_under_its_date(many_db):
    async with running(many_db) as pilot:
        app = pilot.app
        screen = await open_matrix(pilot)
        height, width = window(screen)
        assert (height, width) == (SIZE[1] - 5, (SIZE[0] - TITLE_WIDTH - 2) // COLUMN)  # as many as fit
        assert header(app).startswith(f" As of 15 Jan 2025 · [ ] month · {{ }} year · t today · questions 1–{height} of 61")
        assert f"actors 1–{width} of 31" in header(app)
        names = lines(app)[0]
        assert cell(names, 1) == "Actor 00" and cell(names, 2) == "Actor 01"
        # Question 01 (row 2) by Actor 00 (column 1): 2 + 1 is a multiple of 3.
        steps = [
            ([], "15 Jan 2025", "Implemented"),
            (["{"], "15 Jan 2024", "Not excluded"),
            (["]"] * 4, "15 May 2024", "Not excluded"),
            (["]"], "15 Jun 2024", "Implemented"),
            (["{", "{", "{"], "15 Jun 2021", "·"),
            (["t"], "15 Jan 2025", "Implemented"),
            (["}", "["], "15 Dec 2025", "Implemented"),
        ]
        for keys, day, shown in steps:
            await press(pilot, *keys)
            assert header(app).startswith(f" As of {day} ·"), keys
            assert cell(row(app, "Question 01"), 1) == shown, (keys, day)
            assert cell(row(app, "Question 01"), 0) == "·"  # 2 + 0 is not
        assert len(lines(app)) == height + 1  # every question that fits, under the actors' names


@async_test
async def test_the_previous_dates_cells_stay_until_the_next_dates_arrive(many_db, monkeypatch):
    gate = threading.Event()
    stances_as_of = Store.stances_as_of

    def slow(store, *args):
        assert gate.wait(10)
        return stances_as_of(store, *args)

    async with running(many_db) as pilot:
        app = pilot.app
        monkeypatch.setattr(Store, "stances_as_of", slow)
        await pilot.press("4")
        await pilot.pause(0.2)
        assert names_above(app).strip() == "loading…"  # nothing to show yet
        gate.set()
        await settle(pilot)
        before = screen_text(app)
        assert "As of 15 Jan 2025" in before and "Implemented" in before
        gate.clear()
        await pilot.press("{")
        await pilot.pause(0.2)
        assert app.screen.as_of.year == 2024
        assert screen_text(app) == before  # the date and its cells, no "loading…" between
        gate.set()
        await settle(pilot)
        assert header(app).startswith(" As of 15 Jan 2024")
        assert cell(row(app, "Question 01"), 1) == "Not excluded"


@async_test
async def test_a_step_to_a_date_loaded_ahead_finds_its_lines_drawn(many_db, monkeypatch):
    """The dates either side of the one on screen are loaded ahead, and their lines drawn
    then: the step's own paint draws none (on a full matrix a step changes most lines, and
    drawing them was most of its time). What it shows is what a fresh drawing shows."""
    async with running(many_db) as pilot:
        app = pilot.app
        screen = await open_matrix(pilot)
        await press(pilot, "{", "{")  # to 15 Jan 2023, "Not excluded" on a third of the cells
        await settle(pilot)  # 15 Jan 2022 (nothing yet anywhere: lines never drawn) loaded ahead
        grid = screen.query_one("#matrix")
        drawn: list[tuple] = []
        strip = type(grid)._strip
        monkeypatch.setattr(type(grid), "_strip", lambda self, line, *rest: drawn.append(line) or strip(self, line, *rest))
        await pilot.press("{")
        await pilot.pause()
        assert header(app).startswith(" As of 15 Jan 2022 ·")
        assert cell(row(app, "Question 01"), 1) == "·"
        assert [line for line in drawn if line in grid._lines] == []  # drawn ahead, none at the step
        await settle(pilot)
        shown = screen_text(app)
        grid._strips.clear()  # drawn afresh
        grid.refresh()
        await settle(pilot)
        assert screen_text(app) == shown


@async_test
async def test_the_window_follows_the_cursor_and_enter_opens_its_question(many_db):
    async with running(many_db) as pilot:
        app = pilot.app
        screen = await open_matrix(pilot)
        height, width = window(screen)

        def highlighted() -> list[str]:
            """The cursor's actor (in the names), question and cell."""
            return [s.text.strip() for s in screen_segments(app) if s.style and s.style.reverse and s.text.strip()]

        def stance(question: int, actor: int) -> str:
            return "Implemented" if (question + actor) % 3 == 0 else "·"

        assert highlighted() == ["[/b]", "[red]Actor[…", HOSTILE_TITLE, stance(0, 0)]  # the cursor starts top left
        await press(pilot, *["down"] * (height - 1))  # to the last row that fits: nothing moves
        assert f"questions 1–{height} of 61" in header(app)
        await press(pilot, *["down"] * 5)  # five beyond: the window follows
        assert f"questions 6–{height + 5} of 61" in header(app)
        assert row(app, title(5)) == lines(app)[1] and not any(title(4) in line for line in lines(app))
        await press(pilot, *["right"] * (width + 2))  # three beyond the last actor that fits
        assert f"actors 4–{width + 3} of 31" in header(app)
        assert cell(lines(app)[0], 0) == name(3)
        assert highlighted() == [name(width + 2), title(height + 4), stance(height + 4, width + 2)]
        assert cell(row(app, title(height + 4)), width - 1) == stance(height + 4, width + 2)
        await press(pilot, "n")  # a new position, for the cursor's question and actor
        assert isinstance(app.screen, PositionForm)
        assert app.screen.lookup("question").record.title == title(height + 4)
        assert app.screen.lookup("actor").record.name == name(width + 2)
        await press(pilot, "escape")
        await press(pilot, "enter")
        assert isinstance(app.screen, QuestionScreen) and app.screen.sub_title == title(height + 4)
        await press(pilot, "escape")
        await press(pilot, *["up"] * (height + 10), *["left"] * (width + 10))  # and back, stopping at the edges
        assert f"questions 1–{height} of 61 · actors 1–{width} of 31" in header(app)
        assert highlighted() == ["[/b]", "[red]Actor[…", HOSTILE_TITLE, stance(0, 0)]


@async_test
async def test_a_resize_shows_as_many_as_fit_and_keeps_the_cursor_in_view(many_db):
    async with running(many_db) as pilot:
        app = pilot.app
        await open_matrix(pilot)
        await press(pilot, *["down"] * 30)
        await pilot.resize_terminal(200, 24)
        await settle(pilot)
        # 24 lines: 19 questions under the names (two lines); 200 columns: 11 actors.
        assert "questions 13–31 of 61 · actors 1–11 of 31" in header(app)
        assert len(lines(app)) == 20 and lines(app)[-1][1:].startswith(title(30))
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert f"questions 13–{13 + SIZE[1] - 6} of 61" in header(app)


@async_test
async def test_hostile_names_and_titles_show_as_typed(many_db):
    async with running(many_db) as pilot:
        app = pilot.app
        await open_matrix(pilot)
        assert lines(app)[1][1:].startswith(HOSTILE_TITLE)  # markup would have eaten the brackets
        assert cell(names_above(app), 0) == "[/b]" and cell(lines(app)[0], 0) == "[red]Actor[…"
        for segment in screen_segments(app):
            if "[red]" in segment.text:
                assert segment.style.color is None or segment.style.color != Color.parse("red")


@async_test
async def test_a_write_elsewhere_shows_up_in_the_matrix(many_db):
    async with running(many_db) as pilot:
        app = pilot.app
        await open_matrix(pilot)
        assert cell(row(app, "Question 00"), 1) == "·"
        with Store.open(many_db) as other:  # another connection, as another program would have
            other.add_position(actor="a1", question="q1", stance="committed", date="2024-12-01")
        for _ in range(30):
            await pilot.pause(0.1)
            await settle(pilot)
            if cell(row(app, "Question 00"), 1) == "Committed":
                break
        assert cell(row(app, "Question 00"), 1) == "Committed"


@async_test
async def test_cells_take_the_themes_readable_colours(many_db):
    async with running(many_db) as pilot:
        app = pilot.app
        await open_matrix(pilot)
        await press(pilot, "{")  # "Not excluded": yellow, too light on a light background

        def colours() -> set:
            return {s.style.color for s in screen_segments(app) if s.text.strip() == "Not excluded"}

        dark = colours()
        app.theme = "tracker-light"
        await settle(pilot)
        light = colours()
        assert len(light) == 1 and light != dark
        background = Color.parse(app.current_theme.background).get_truecolor()[:3]
        assert render.contrast(light.pop().get_truecolor()[:3], background) >= render.MIN_CONTRAST


@async_test
async def test_an_empty_file_says_what_to_do(tmp_path):
    async with running(tmp_path / "empty.db") as pilot:
        app = pilot.app
        await open_matrix(pilot)
        assert "Nothing to show yet: add actors, questions and positions." in screen_text(app)
        assert "questions 0 of 0 · actors 0 of 0" in header(app)
        await press(pilot, "[", "down", "right", "enter")  # nothing to move to or open
        assert isinstance(app.screen, MatrixScreen) and header(app).startswith(" As of 15 Dec 2024")
