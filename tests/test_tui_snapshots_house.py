"""Snapshots of the screens the other snapshot modules leave out (issue 21): the look-up
dropdown, a field in error, the modals, the palette and the forms it opens, an empty file,
hostile data shown literally, and the light theme (pytest-textual-snapshot; the app's
"today" is fixed by make_app).

After a deliberate change to the look, regenerate them with
``.venv/bin/python -m pytest tests/test_tui_snapshots_house.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import (
    async_test,
    demo_copy,
    load_hostile,
    make_app,
    press,
    running,
    screen_lines_in,
    screen_text,
    settle,
    type_text,
)

from tracker.store import Store
from tracker.tui.forms.position_form import PositionForm

WIDE = (120, 40)
NARROW = (80, 24)
SIZES = pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    return demo_copy(tmp_path / "demo.db")


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    Store.open(path).close()  # a new file, as the first run makes it
    return path


@pytest.fixture
def hostile_path(tmp_path: Path) -> Path:
    return load_hostile(tmp_path / "hostile.db")


def steps(*actions, theme: str | None = None):
    """A run_before that runs ``actions`` in turn with a fixed subtitle: a string is a key
    to press, a ``("type", text)`` pair is text typed into the focused field, a
    ``("until", text)`` pair waits for ``text`` on screen (what a timer shows, which
    ``settle`` does not wait for), a callable is given the app (to open a screen)."""

    async def run_before(pilot) -> None:
        if theme:
            pilot.app.theme = theme
        await settle(pilot)
        pilot.app.sub_title = "tracker.db"  # not the temporary folder
        for action in actions:
            if isinstance(action, str):
                await press(pilot, action)
            elif callable(action):
                action(pilot.app)
                await settle(pilot)
            elif action[0] == "type":
                await type_text(pilot, action[1])
            else:
                await until_shown(pilot, action[1])
        for field in pilot.app.screen.query("Input, TextArea"):
            field.cursor_blink = False  # a blinking cursor is shown or not as the clock says: kept shown
        await settle(pilot)
        await pilot.pause()

    return run_before


def typed(text: str) -> tuple[str, str]:
    return ("type", text)


async def until_shown(pilot, text: str, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if text in screen_text(pilot.app):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{text!r} never showed")


def new_position(app) -> None:
    app.push_screen(PositionForm())


def palette(query: str, *then: str) -> tuple:
    """Open the command palette and type ``query`` (its results are searched in a worker)."""
    return ("ctrl+p", typed(query), *then)


# ---------------------------------------------------------------- forms and the dropdown


@SIZES
def test_actor_dropdown_open(snap_compare, demo_path, size):
    assert snap_compare(make_app(demo_path), terminal_size=size, run_before=steps(new_position, typed("ma")))


def test_impossible_date_in_error(snap_compare, demo_path):
    with Store.open(demo_path) as store:
        actor_id = store.resolve_actor("macron").id
        question_id = store.resolve_question("ground-troops").id

    def form(app) -> None:
        app.push_screen(PositionForm(actor_id=actor_id, question_id=question_id))

    run_before = steps(form, typed("2"), "tab", typed("31 février 2024"))
    assert snap_compare(make_app(demo_path), terminal_size=NARROW, run_before=run_before)


@pytest.mark.parametrize("query", ["New actor", "New question", "New source", "New scale"])
def test_new_record_forms_from_the_palette(snap_compare, demo_path, query):
    assert snap_compare(make_app(demo_path), terminal_size=NARROW, run_before=steps(*palette(query, "enter")))


# ---------------------------------------------------------------- modals


def test_delete_confirmation(snap_compare, demo_path):
    assert snap_compare(make_app(demo_path), terminal_size=WIDE, run_before=steps("3", "down", "x"))


def test_drop_what_you_typed_confirmation(snap_compare, demo_path):
    run_before = steps(new_position, typed("Emmanuel Macron"), "escape", "escape")
    assert snap_compare(make_app(demo_path), terminal_size=NARROW, run_before=run_before)


def test_export_dialog(snap_compare, demo_path, monkeypatch):
    monkeypatch.chdir("/")  # the file is suggested in the current folder: the same one on every machine
    assert snap_compare(make_app(demo_path), terminal_size=WIDE, run_before=steps("E"))


def test_export_dialog_narrow(snap_compare, demo_path, monkeypatch):
    """At 80 columns the dialog fits, its right border and the end of the file name shown
    (it was 100 columns wide, whatever the terminal)."""
    monkeypatch.chdir("/")
    assert snap_compare(make_app(demo_path), terminal_size=NARROW, run_before=steps("E"))


@async_test
async def test_the_export_dialog_fits_a_narrow_terminal(demo_path):
    async with running(demo_path, size=NARROW) as pilot:
        await press(pilot, "E")
        box = pilot.app.screen.query_one("#export").region
        assert box.right <= NARROW[0]


def test_capture_prompt_narrow(snap_compare, demo_path):
    """At 80 columns the prompt says all of what to do (its last words, "then ctrl+s", were cut)."""
    assert snap_compare(make_app(demo_path), terminal_size=NARROW, run_before=steps("c"))


@async_test
async def test_the_capture_prompt_says_how_to_open_a_pasted_article_at_80_columns(demo_path):
    async with running(demo_path, size=NARROW) as pilot:
        await press(pilot, "c")
        box = pilot.app.screen.query_one("#capture-prompt .view-title").region
        shown = " ".join(" ".join(screen_lines_in(pilot.app, box)).split())
        assert shown.endswith("or paste its text, then ctrl+s")


def test_help_narrow(snap_compare, demo_path):
    """At 80 columns the keys are one column, each description whole (side by side they were
    cut to 2 to 4 characters)."""
    assert snap_compare(make_app(demo_path), terminal_size=NARROW, run_before=steps("question_mark"))


@async_test
async def test_help_narrow_shows_whole_descriptions(demo_path):
    async with running(demo_path, size=NARROW) as pilot:
        await press(pilot, "question_mark")
        box = pilot.app.screen.query_one("#help").content_region
        assert not [line for line in screen_lines_in(pilot.app, box) if "…" in line]


def test_command_palette_with_a_query(snap_compare, demo_path):
    assert snap_compare(make_app(demo_path), terminal_size=WIDE, run_before=steps(*palette("macr")))


# ---------------------------------------------------------------- a new, empty file


@pytest.mark.parametrize(
    "keys",
    [("2",), ("3",), ("4",), ("5",), ("slash", typed("nothing"), ("until", "No matches."))],
    ids=["actors", "timeline", "matrix", "movers", "search"],
)
def test_empty_file(snap_compare, empty_path, keys):
    assert snap_compare(make_app(empty_path), terminal_size=NARROW, run_before=steps(*keys))


def test_empty_file_questions_wide(snap_compare, empty_path):
    assert snap_compare(make_app(empty_path), terminal_size=WIDE, run_before=steps("1"))


def test_empty_file_questions_narrow(snap_compare, empty_path):
    assert snap_compare(make_app(empty_path), terminal_size=NARROW, run_before=steps("1"))


@async_test
async def test_empty_file_questions_narrow_shows_the_whole_hint(empty_path):
    async with running(empty_path, size=NARROW) as pilot:
        await press(pilot, "1")
        assert "`tracker import`" in " ".join(screen_text(pilot.app).split())


# ---------------------------------------------------------------- hostile text, shown literally


@pytest.mark.parametrize(
    "keys",
    [("1",), ("2",), ("3",), ("3", "down", "enter"), ("1", "enter"), ("4",), ("5",)],
    ids=["questions", "actors", "timeline", "position-detail", "question-view", "matrix", "movers"],
)
def test_hostile(snap_compare, hostile_path, keys):
    assert snap_compare(make_app(hostile_path), terminal_size=WIDE, run_before=steps(*keys))


def test_hostile_question_view_narrow(snap_compare, hostile_path):
    assert snap_compare(make_app(hostile_path), terminal_size=NARROW, run_before=steps("1", "enter"))


# ---------------------------------------------------------------- the light theme


@pytest.mark.parametrize(
    "actions", [("1",), (new_position, typed("ma")), ("5",)], ids=["questions", "position-form", "movers"]
)
def test_light_theme(snap_compare, demo_path, actions):
    run_before = steps(*actions, theme="tracker-light")
    assert snap_compare(make_app(demo_path), terminal_size=WIDE, run_before=run_before)
