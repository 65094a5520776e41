"""The diff, as a reader sees it: a removed word and the word put in its place never read as
one word, the change line keeps its spaces in a screenshot, two positions on different
questions get no change class, and d on a first position says so in one line, no screen."""

from __future__ import annotations

import io
import re

from rich.console import Console
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_db,
    go_to,
    notices,
    open_question,
    position_on,
    press,
    running,
    screen_text,
)

from tracker import render
from tracker.compare import diff_positions
from tracker.domain.changes import ACROSS, change_between
from tracker.domain.quote_diff import reconstruct, shown_apart, word_diff
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.tui.screens.diff import DiffScreen
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.screens.timeline import TimelineScreen

MACRON_16_MAR = position_on("Emmanuel Macron", "16 Mar 2024")


def plain_text(renderable, width: int = 200) -> str:
    """What a terminal without colour or style shows."""
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text(styles=False)


# ---------------------------------------------------------------- words kept apart


def test_a_removed_word_and_its_replacement_are_shown_a_space_apart():
    before, after = "ne puisse pas gagner cette guerre", "ne puisse pas contrer les forces"
    chunks = word_diff(before, after)
    assert chunks == [("equal", "ne puisse pas "), ("delete", "gagner cette guerre"), ("insert", "contrer les forces")]
    shown = shown_apart(chunks)
    assert shown == [("equal", "ne puisse pas "), ("delete", "gagner cette guerre"), ("gap", " "),
                     ("insert", "contrer les forces")]  # fmt: skip
    assert "".join(t for _, t in shown) == "ne puisse pas gagner cette guerre contrer les forces"
    assert [c for c in shown if c[0] != "gap"] == chunks  # only gaps added
    assert reconstruct(chunks) == (before, after)  # the diff itself is unchanged


def test_no_gap_where_the_texts_already_have_a_space_or_nothing_was_replaced():
    assert shown_apart(word_diff("never tanks", "never planes")) == [("equal", "never "), ("delete", "tanks"), ("gap", " "), ("insert", "planes")]
    assert shown_apart(word_diff("a b", "a b c")) == word_diff("a b", "a b c")  # an insertion alone
    assert shown_apart(word_diff("a b c", "a c")) == word_diff("a b c", "a c")  # a deletion alone
    assert shown_apart([("delete", "x "), ("insert", "y")]) == [("delete", "x "), ("insert", "y")]
    assert shown_apart([("delete", "x"), ("insert", " y")]) == [("delete", "x"), ("insert", " y")]
    assert shown_apart([]) == []


def test_the_demo_diff_without_colour_reads_word_by_word(demo_db):
    # Macron, 26 Feb 2024 ("... cette guerre") against 16 Mar 2024 ("contrer les forces russes").
    with Store.open(demo_db) as store:
        macron = store.resolve_actor("macron")
        later = next(p for p in store.positions(actor_id=macron.id) if p.date.edtf == "2024-03-16")
        change = diff_positions(store, later.id)
    styled = plain_text(render.diff_view(change))
    assert "guerrecontrer" not in styled and "guerre contrer" in styled
    marked = plain_text(render.diff_view(change, marks=True))
    assert "guerre-]{+contrer" in marked  # marked as git diff --word-diff marks them: apart already


@async_test
async def test_the_diff_screen_keeps_a_removed_word_and_its_replacement_apart(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, MACRON_16_MAR)
        await press(pilot, "d")
        assert isinstance(app.screen, DiffScreen)
        text = screen_text(app)
        assert "guerre contrer" in text and "guerrecontrer" not in text


# ---------------------------------------------------------------- the change line in a screenshot


@async_test
async def test_the_change_line_keeps_its_space_in_an_svg_screenshot(demo_db):
    # Textual writes each styled run as an SVG <text> with its spaces as &#160;; rsvg drops one
    # at the start of a run, and "= unchanged" + " after 19 days" read "unchangedafter 19 days".
    async with running(demo_db, size=(120, 40)) as pilot:
        app = pilot.app
        await open_question(pilot)
        await go_to(pilot, MACRON_16_MAR)
        await press(pilot, "d")
        assert "change: = unchanged after 19 days" in screen_text(app)
        svg = app.export_screenshot()
    runs = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert "after&#160;19&#160;days" in runs
    assert not any(run.startswith("&#160;after") for run in runs)


# ---------------------------------------------------------------- two questions


def test_two_questions_have_no_change_class(demo_db):
    with Store.open(demo_db) as store:
        france = store.resolve_actor("france")
        tanks = next(p for p in store.positions(actor_id=france.id) if p.question_slug == "tanks")
        jets = next(p for p in store.positions(actor_id=france.id) if p.question_slug == "fighter-jets"
                    and p.level.key == "implemented")  # fmt: skip
        # Not excluded (rank 2) then Implemented (rank 5): on one question, a reversal.
        assert change_between(tanks, jets, 6).change_class == "reversal"
        for a, b in ((tanks.id, jets.id), (jets.id, tanks.id)):
            change = diff_positions(store, a, b)
            assert change.change_class == ACROSS and change.is_across and change.steps == 0
            assert change.before.id == tanks.id and change.after.id == jets.id  # the earlier first
            assert change.marker == "≠ different questions: stances not compared on one scale"
            assert change.elapsed == "2 years 15 days"
    text = plain_text(render.diff_view(change))
    assert "change: ≠ different questions: stances not compared on one scale after 2 years 15 days" in text
    assert "reversal" not in text and "shift" not in text
    assert "Not excluded" in text and "Implemented" in text  # both stances shown


def test_the_same_question_still_has_its_class(demo_db):
    with Store.open(demo_db) as store:
        germany = store.resolve_actor("germany")
        tanks = [p for p in store.positions(actor_id=germany.id) if p.question_slug == "tanks"]
        change = diff_positions(store, tanks[-1].id, tanks[0].id)
    assert change.change_class in ("shift", "reversal", "unchanged") and not change.is_across


@async_test
async def test_marking_a_position_and_diffing_one_on_another_question(demo_db):
    async with running(demo_db) as pilot:
        app = pilot.app
        await press(pilot, "3")
        await go_to(pilot, lambda c: c.after.actor_name == "France" and c.after.question_slug == "tanks")
        await press(pilot, "space")
        await go_to(pilot, lambda c: c.after.actor_name == "France" and c.after.question_slug == "fighter-jets"
                    and c.after.level.key == "implemented")  # fmt: skip
        await press(pilot, "d")
        assert isinstance(app.screen, DiffScreen)
        text = screen_text(app)
        assert "different questions: stances not compared on one scale" in text
        assert "reversal" not in text


# ---------------------------------------------------------------- d on a first position


def test_a_first_position_is_refused_in_one_line(demo_db):
    with Store.open(demo_db) as store:
        rutte = store.resolve_actor("rutte")
        (first,) = store.positions(actor_id=rutte.id)
        try:
            diff_positions(store, first.id)
        except TrackerError as e:
            message = str(e)
        else:
            raise AssertionError("no error")
    assert message == "first position of Mark Rutte on “Western ground troops in Ukraine”: nothing earlier to compare with"


@async_test
async def test_d_on_a_first_position_is_a_notice_not_a_screen(demo_db):
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await open_question(pilot)
        question_screen = app.screen
        await go_to(pilot, position_on("Mark Rutte", "26 Feb 2024"))
        await press(pilot, "d")
        assert app.screen is question_screen and not isinstance(app.screen, DiffScreen)
        assert notices(app) == [
            "first position of Mark Rutte on “Western ground troops in Ukraine”: nothing earlier to compare with"
        ]
        assert "nothing earlier to compare with" in screen_text(app)
        await press(pilot, "escape")  # back from the question view, as before: nothing was pushed
        assert not isinstance(app.screen, QuestionScreen)


@async_test
async def test_d_on_a_first_position_in_the_detail_and_the_timeline(demo_db):
    async with running(demo_db, notifications=True) as pilot:
        app = pilot.app
        await press(pilot, "3")
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        await go_to(pilot, lambda c: c.before is None)
        await press(pilot, "d")
        assert app.screen is timeline and len(notices(app)) == 1
        await press(pilot, "enter")  # the detail of that first position
        detail = app.screen
        assert not isinstance(detail, TimelineScreen)
        await press(pilot, "d")
        assert app.screen is detail and len(notices(app)) == 2
