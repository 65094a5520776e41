"""The Movers view (5) and the question view's stances and movers, driven through the real
app with Pilot on a copy of the demo data. What is expected is worked out with the domain
(tracker.answers), so that the tests hold while the demo data grows."""

from __future__ import annotations

import re

import pytest
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    GROUND_TROOPS,
    TODAY,
    async_test,
    content_text,
    demo_db,
    help_text,
    open_question,
    press,
    running,
    screen_text,
    settle,
)

from tracker import answers
from tracker.domain.movers import as_of, level_to_show
from tracker.store import Store
from tracker.tui.screens.movers import MoversScreen
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.widgets.choice_list import ChoiceList

WIDE = (120, 40)
NARROW = (80, 24)
TANKS = "Main battle tanks to Ukraine"
JETS = "Fighter jets to Ukraine"


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def answer_text(app) -> str:
    """The answer pane as it is on screen (right of the list's border on a wide screen),
    its lines joined: a sentence wrapped over several lines reads as one."""
    lines = screen_text(app).splitlines()[1:-1]  # no header, no footer
    return words(" ".join(line.split("│", 1)[-1] for line in lines))


def report(path, questions: list[str] | None = None, tag: str | None = None, **options):
    """The answer the view shows: its questions in the order their first movers reached the level."""
    with Store.open(path) as store:
        return answers.movers(store, answers.choose_questions(store, questions or (), tag), chronological=True, **options)


def ticked_titles(app) -> list[str]:
    screen = app.screen
    assert isinstance(screen, MoversScreen)
    return [q.title for q in screen.selected_questions()]


def choices(app) -> ChoiceList:
    return app.screen.query_one(ChoiceList)


def visible_rows(app) -> list[str]:
    return screen_text(app).splitlines()


def assert_row(lines: list[str], *cells: str) -> None:
    """Some line on screen holds every one of ``cells``, whole."""
    assert any(all(cell in line for cell in cells) for line in lines), (cells, "\n".join(lines))


def assert_report_on_screen(app, expected) -> None:
    """The sentence and, for each question, its title and every row of its table, whole."""
    text = answer_text(app)
    assert words(expected.sentence) in text, (expected.sentence, text)
    lines = visible_rows(app)
    for q in expected.questions:
        assert q.question.title in text
        for r in q.reached:
            lag = "first" if r.is_first else str(r.lag)
            assert_row(lines, r.actor_name, r.date.display, lag)


@async_test
async def test_5_answers_the_seed_with_the_weapons_tag(demo_db):
    async with running(demo_db, size=WIDE) as pilot:
        app = pilot.app
        await press(pilot, "5")
        assert isinstance(app.screen, MoversScreen) and app.current_mode == "movers"
        weapons = report(demo_db, tag="weapons")
        assert sorted(ticked_titles(app)) == sorted(q.question.title for q in weapons.questions)
        assert choices(app).highlighted_option.id == "tag:weapons"
        assert_report_on_screen(app, weapons)
        # The questions in the order their first movers reached Committed: tanks (UK, Jan 2023),
        # long-range missiles (UK, Feb 2023), jets (Poland, Mar 2023); not by title.
        answer = answer_text(app)
        assert answer.index(TANKS) < answer.index("Long-range missiles to Ukraine") < answer.index(JETS)
        text = screen_text(app)
        assert "level Committed · from Ruled out · roll-up off" in text and "(l f r to change)" in text
        assert "✓ #weapons" in text  # which are selected, in words, not only in colour
        for q in weapons.questions:
            assert f"✓ {q.question.title}" in text
        assert "✓ " + GROUND_TROOPS not in text
        footer = text.splitlines()[-1]
        for label in ("l Level", "f From", "r Roll-up", "5 Movers"):
            assert label in footer


@async_test
async def test_space_and_enter_choose_tags_and_questions(demo_db):
    async with running(demo_db, size=WIDE) as pilot:
        app = pilot.app
        await press(pilot, "5")
        lst = choices(app)
        jets = next(q for q in app.screen.choices.questions if q.title == JETS)
        lst.highlight(f"q:{jets.id}")
        await press(pilot, "enter")  # this question only
        assert ticked_titles(app) == [JETS]
        assert words(report(demo_db, [str(jets.id)]).sentence) in answer_text(app)
        assert "✓ #weapons" not in screen_text(app)
        lst.highlight("tag:weapons")
        await press(pilot, "space")  # the tag: all its questions
        weapons = report(demo_db, tag="weapons")
        assert sorted(ticked_titles(app)) == sorted(q.question.title for q in weapons.questions)
        assert "✓ #weapons" in screen_text(app)
        assert_report_on_screen(app, weapons)
        lst.highlight(f"q:{jets.id}")
        await press(pilot, "space")  # one question off: the tag is no longer whole
        assert JETS not in ticked_titles(app) and len(ticked_titles(app)) == len(weapons.questions) - 1
        assert "✓ #weapons" not in screen_text(app)
        assert "Across 2 questions" in answer_text(app)
        await press(pilot, "space")  # back on: the tag is whole again
        assert "✓ #weapons" in screen_text(app)
        lst.highlight("tag:weapons")
        await press(pilot, "space")  # the tag off: its questions off, nothing left
        assert ticked_titles(app) == []
        assert "Select a tag or questions" in answer_text(app)


@async_test
async def test_l_f_and_r_change_the_answer(demo_db):
    async with running(demo_db, size=WIDE) as pilot:
        app = pilot.app
        await press(pilot, "5", "l")
        assert "level Implemented · from Ruled out · roll-up off" in screen_text(app)
        assert_report_on_screen(app, report(demo_db, tag="weapons", level="implemented"))
        assert "who reached “Implemented”" in answer_text(app)
        await press(pilot, "f")
        assert "level Implemented · from Reluctant · roll-up off" in screen_text(app)
        assert_report_on_screen(app, report(demo_db, tag="weapons", level="implemented", refusal="reluctant"))
        await press(pilot, "r")
        assert "level Implemented · from Reluctant · roll-up on" in screen_text(app)
        rolled = report(demo_db, tag="weapons", level="implemented", refusal="reluctant", roll_up=True)
        assert_report_on_screen(app, rolled)
        assert "(roll-up)" in answer_text(app)
        await press(pilot, "r")
        assert "roll-up off" in screen_text(app) and "(roll-up)" not in answer_text(app)
        # f cycles through the levels below the level reached, and comes round again.
        for label in ("Not excluded", "Open", "Committed", "Ruled out"):
            await press(pilot, "f")
            assert f"level Implemented · from {label} ·" in screen_text(app)
        await press(pilot, "f", "f", "f", "f")  # from Committed, just below Implemented
        assert "from Committed" in screen_text(app)
        # l cycles through the levels above the lowest; one at or below the refusal level takes it back to the lowest.
        await press(pilot, "l")
        assert "level Reluctant · from Ruled out ·" in screen_text(app)
        assert_report_on_screen(app, report(demo_db, tag="weapons", level="reluctant"))
        for label in ("Not excluded", "Open", "Committed"):
            await press(pilot, "l")
            assert f"level {label} · from Ruled out ·" in screen_text(app)
        assert_report_on_screen(app, report(demo_db, tag="weapons"))


@async_test
async def test_m_in_a_question_opens_its_movers_and_escape_comes_back(demo_db):
    async with running(demo_db, size=WIDE) as pilot:
        app = pilot.app
        await open_question(pilot, TANKS)
        assert "m Movers" in screen_text(app).splitlines()[-1]
        await press(pilot, "m")
        assert isinstance(app.screen, MoversScreen)
        assert ticked_titles(app) == [TANKS]
        tanks = report(demo_db, ["tanks"])
        assert_report_on_screen(app, tanks)
        assert f"On “{TANKS}”" in answer_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, QuestionScreen) and app.screen.sub_title == TANKS
        # Once the Movers view exists, m selects the question on screen again.
        await press(pilot, "escape")
        await open_question(pilot, GROUND_TROOPS)
        await press(pilot, "m")
        assert ticked_titles(app) == [GROUND_TROOPS]
        assert "no actor has reached Committed yet" in answer_text(app)
        # 5 alone keeps the last selection; escape does nothing there.
        await press(pilot, "escape", "5", "escape")
        assert isinstance(app.screen, MoversScreen) and ticked_titles(app) == [GROUND_TROOPS]


@async_test
async def test_palette_and_help_list_the_movers(demo_db):
    from textual.command import CommandPalette

    from tracker.tui.screens.help import HelpScreen

    async with running(demo_db, size=(130, 40)) as pilot:
        app = pilot.app
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)  # not the footer's "5 Movers"
        assert "1 2 3 4 5    Questions, Actors, Timeline, Matrix, Movers" in text
        assert "r            Roll-up: persons count as their governments (roll-up)" in text
        await press(pilot, "escape", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"movers")
        await pilot.pause(0.3)
        await settle(pilot)
        assert "key 5" in screen_text(app)
        await press(pilot, "enter")
        assert app.current_mode == "movers"
        await press(pilot, "ctrl+p")
        await pilot.press(*"roll")
        await pilot.pause(0.3)
        await settle(pilot)
        assert "key r" in screen_text(app)  # the view's own keys too
        await press(pilot, "enter")
        assert "roll-up on" in screen_text(app)


@async_test
async def test_a_small_terminal_shows_the_list_above_the_answer(demo_db):
    async with running(demo_db, size=NARROW) as pilot:
        app = pilot.app
        await press(pilot, "5")
        text = screen_text(app)
        assert "✓ #weapons" in text  # the cursor's row is in view
        assert "level Committed · from Ruled out · roll-up off" in text
        weapons = report(demo_db, tag="weapons")
        assert words(weapons.sentence) in words(" ".join(text.splitlines()))
        # The first table's rows are whole; the rest is a scroll away.
        first = weapons.questions[0]
        for r in first.reached[:2]:
            assert_row(text.splitlines(), r.actor_name, r.date.display)
        await press(pilot, "tab", "end")
        assert "not yet" in screen_text(app) or weapons.questions[-1].question.title in screen_text(app)
        await press(pilot, "l", "f", "r")
        assert "roll-up on" in screen_text(app)


# ---------------------------------------------------------------- the question view


def pane(lines: list[str], marker: str) -> str:
    """The text from ``marker`` on, in its column (the movers beside the stances), down to the
    positions list, its lines joined."""
    top = next(i for i, line in enumerate(lines) if marker in line)
    column = lines[top].index(marker)
    bottom = next(i for i, line in enumerate(lines) if "Positions ·" in line)
    return words(" ".join(line[column:] for line in lines[top:bottom]))


def expected_stances(path, title: str):
    with Store.open(path) as store:
        question = next(q for q in store.questions() if q.title == title)
        current = as_of(store.positions(question_id=question.id), TODAY).values()
    return question, list(current)


@pytest.mark.parametrize("title", [GROUND_TROOPS, TANKS, JETS])
@async_test
async def test_question_view_shows_stances_and_movers_on_its_first_screen(demo_db, title):
    async with running(demo_db, size=WIDE) as pilot:
        app = pilot.app
        await open_question(pilot, title)
        summary = app.screen.query_one("#summary")
        assert summary.scroll_offset.y == 0
        lines = visible_rows(app)
        text = "\n".join(lines)
        question, current = expected_stances(demo_db, title)
        with Store.open(demo_db) as store:
            level = level_to_show(store.scale(question.scale_key), store.positions(question_id=question.id))
        assert "Where each actor stands today" in text and f"Movers: who reached “{level.label}”" in text
        for p in current:  # every actor's stance, whole: name, label and date on one line
            assert_row(lines, p.actor_name, p.level.label, p.date.display)
        movers = report(demo_db, [question.slug], level=level.key).questions[0]
        for r in movers.reached:
            lag = "first" if r.is_first else str(r.lag)
            refused = r.refusal.date.display if r.refusal else "—"
            assert_row(lines, r.actor_name, refused, r.date.display, r.by, lag)
        flat = pane(lines, "Movers: who reached")
        for n in movers.not_reached:
            assert f"{n.actor_name} ({n.latest.label} since {n.since.display})" in flat
        now = text.split("Where each actor stands today")[1].split("Positions ·")[0]
        assert "…" not in now  # nothing cut
        # The chart, its legend and the positions list are still there, below.
        assert "legend:" in content_text(app.screen.query_one("#chart"))
        assert "Positions · enter open · d diff" in text


@async_test
async def test_question_view_on_a_small_terminal_scrolls(demo_db):
    async with running(demo_db, size=NARROW) as pilot:
        app = pilot.app
        await open_question(pilot, TANKS)
        summary = app.screen.query_one("#summary")
        assert "-stacked" in app.screen.query_one("#now").classes  # one above the other
        assert summary.max_scroll_y > 0
        await press(pilot, "tab", "end")
        assert summary.scroll_offset.y > 0
        assert "legend:" in screen_text(app)
        await press(pilot, "m")
        assert isinstance(app.screen, MoversScreen)


@async_test
async def test_E_exports_the_answer_on_screen(demo_db, tmp_path, monkeypatch):
    from tracker.tui.screens.export import ExportScreen

    monkeypatch.chdir(tmp_path)
    async with running(demo_db, size=WIDE, notifications=True) as pilot:
        app = pilot.app
        await press(pilot, "5")
        await press(pilot, "r", "l")  # roll-up on, level Implemented
        await settle(pilot)
        await press(pilot, "E")
        assert isinstance(app.screen, ExportScreen)
        path = app.screen.query_one("#path").value
        assert path == str(tmp_path / "movers-weapons.md")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, MoversScreen)
    written = (tmp_path / "movers-weapons.md").read_text(encoding="utf-8")
    expected = report(demo_db, tag="weapons", level="implemented", roll_up=True)
    assert written.startswith("# Movers: who reached Implemented\n\n")
    assert f"*{expected.sentence}*" in written and "Roll-up:" in written


@async_test
async def test_an_empty_file_says_there_is_nothing_to_answer_yet(tmp_path):
    async with running(tmp_path / "empty.db", size=NARROW) as pilot:
        app = pilot.app
        await press(pilot, "5", "l", "f", "r")
        await settle(pilot)
        assert "No questions yet: add one (ctrl+p, new question)" in words(screen_text(app))
