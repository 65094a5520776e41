"""The answers drawn fast: the movers' and the stances' tables laid out in one pass (render.QuickTable,
render.QuickText) give the lines Rich's Table and Text give, styled or plain, on generated data
with hostile names (markup, wide CJK, control characters, long names that wrap); the command
line prints them; the question view draws its tables in its worker, never on the main thread."""

from __future__ import annotations

import io
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from test_question_open_speed import TODAY, generated
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    content_text,
    demo_db,
    open_question,
    running,
    screen_text,
    settle,
    steady_text,
)

from tracker import answers, render
from tracker.cli import cli
from tracker.domain.movers import as_of, level_to_show, question_movers
from tracker.store import Store, reads
from tracker.tui.screens.question import QuestionScreen

HOSTILE = [
    "[b]x[/b] Bold",
    "[/] closing",
    "東京都の非常に長い名前の俳優さん",  # wide: two cells a character
    "a\x1b[2Jb\x07 bell",  # controls: shown as visible marks
    "Name " * 9,  # wraps in a narrow actor column
    "[TODO] 🇫🇷👍🏽 مرحبا",
]
WIDTHS = (40, 60, 100, 250)
# In two halves, so that two workers share the comparisons (each half has a narrow width).
HALVES = pytest.mark.parametrize("widths", [WIDTHS[0::2], WIDTHS[1::2]], ids=["40-100", "60-250"])


def hostile(path: Path, seed: int = 1) -> Path:
    generated(path, seed)
    conn = sqlite3.connect(path)
    with conn:
        for i, name in enumerate(HOSTILE):
            conn.execute("UPDATE actors SET name = ? WHERE id IN (SELECT id FROM actors ORDER BY id LIMIT 1 OFFSET ?)", (name, i * 3))
    conn.close()
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return hostile(tmp_path_factory.mktemp("drawing") / "gen.db")


def drawn(db: Path) -> list:
    """Every question's stances and movers tables (full and compact, all rows and forty) and its
    "not yet" line, as the question view and the CLI make them."""
    out: list = []
    with Store.open(db) as store:
        for q in store.questions():
            scale = store.scale(q.scale_key)
            positions = reads.brief_statements(store.conn, [q.id]).get(q.id, [])
            if not positions:
                continue
            current = sorted(as_of(positions, TODAY, in_order=True).values(), key=lambda p: (-p.level.rank, p.actor_name.casefold()))
            level, lowest = level_to_show(scale, positions), min(scale.levels, key=lambda lv: lv.rank)
            found = question_movers(q, positions, level, lowest)
            for compact in (False, True):
                out.append(render.stances_brief(current, compact=compact))
                for limit in (None, 40):
                    out += render.movers_table(found, limit=limit, compact=compact).renderables
    return [r for r in out if isinstance(r, (render.QuickTable, render.QuickText))]


def rich_of(r):
    """The Rich renderable a quick one stands for."""
    return r.table() if isinstance(r, render.QuickTable) else r.text()


def console(width: int, *, colour: bool) -> Console:
    if colour:
        return Console(width=width, file=io.StringIO(), color_system="truecolor", force_terminal=True, legacy_windows=False)
    return Console(width=width, file=io.StringIO(), color_system=None)


def squeezed(table: render.QuickTable, width: int) -> bool:
    """The columns that stay whole do not fit: Rich squeezes every column (and crops)."""
    c = console(width, colour=False)
    widths = table.layout(c, width - table.columns._extra_width)[0]
    return sum(widths) > width - table.columns._extra_width


@HALVES
def test_quick_tables_draw_the_segments_of_rich_tables(db, widths):
    items = drawn(db)
    assert sum(isinstance(r, render.QuickTable) for r in items) >= 20 and any(isinstance(r, render.QuickText) for r in items)
    fast = 0
    for r in items:
        for width in widths:
            c = console(width, colour=True)
            assert list(c.render(r, c.options)) == list(c.render(rich_of(r), c.options)), (width, r)
            assert Measurement.get(c, c.options, r) == Measurement.get(c, c.options, rich_of(r)), (width, r)
            if isinstance(r, render.QuickTable):
                layout = r.layout(c, width)
                fast += layout is not None and r.styled(c, layout, width) is not None
    assert fast > 15  # most were laid out here, not handed to Rich


@HALVES
def test_quick_tables_print_the_plain_text_of_rich_tables(db, widths):
    """Byte for byte, except where Rich squeezes the columns that stay whole (and crops their
    cells): there every cell is whole and the lines run wider than the page."""
    compared = wider = 0
    for r in drawn(db):
        for width in widths:
            c, reference = console(width, colour=False), console(width, colour=False)
            c.print(r, crop=False)
            reference.print(rich_of(r), crop=False)
            ours, theirs = c.file.getvalue(), reference.file.getvalue()
            if isinstance(r, render.QuickTable) and squeezed(r, width):
                wider += 1
                whole = [i for i, column in enumerate(r.columns.columns) if column.no_wrap]  # a name may wrap
                cells = {row[i][0] for row in r.rows for i in whole}
                assert all(text in ours for text in cells)
                assert any(len(line) > width for line in ours.splitlines())
                continue
            compared += 1
            assert ours == theirs, (width, r)
    assert compared > 30 and wider > 0


def test_hostile_names_are_shown_as_typed(db):
    c = console(250, colour=False)
    for r in drawn(db):
        c.print(r)
    out = c.file.getvalue()
    for shown in ("[b]x[/b] Bold", "[/] closing", "東京都の非常に長い名前の俳優さん", "a␛[2Jb␇ bell", "[TODO] 🇫🇷👍🏽"):
        assert shown in out
    assert "\x1b" not in out and "\x07" not in out


def run(db: Path, *args: str, width: int | None = None):
    env = {"COLUMNS": str(width)} if width else {}
    result = CliRunner().invoke(cli, ["--db", str(db), *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def reference_movers(db: Path, width: int) -> str:
    """What `tracker movers --tag group-00` printed before: Rich's own tables and texts."""
    with Store.open(db) as store:
        report = answers.movers(store, answers.choose_questions(store, tag="group-00"), chronological=True)
    view = render.movers_view(report)

    def rich(r):
        if isinstance(r, Group):
            return Group(*(rich(p) for p in r.renderables))
        return rich_of(r) if isinstance(r, (render.QuickTable, render.QuickText)) else r

    c = Console(width=width, file=io.StringIO(), color_system=None, highlight=False, soft_wrap=False)
    c.print(rich(view))
    return c.file.getvalue()


@pytest.mark.parametrize("width", [120, 250])
def test_the_movers_command_prints_what_rich_printed(db, width):
    assert run(db, "movers", "--tag", "group-00", width=width) == reference_movers(db, width)


def test_the_movers_command_keeps_whole_cells_on_a_narrow_page(db):
    """At 40 columns Rich squeezed every column of the tables and cropped durations (and the
    actors' names, their column squeezed to nothing); now each stays whole and the line runs wider."""
    out = run(db, "movers", "--tag", "group-00", width=40)
    with Store.open(db) as store:
        report = answers.movers(store, answers.choose_questions(store, tag="group-00"), chronological=True)
    lags = {str(r.lag) for q in report.questions for r in q.reached if not r.is_first}
    assert lags and all(lag in out for lag in lags)
    assert "Actor 000" in out
    assert not all(lag in reference_movers(db, 40) for lag in lags)  # Rich cropped some


def table_threads(monkeypatch) -> list[bool]:
    """Whether each measure or drawing of a Rich Table ran on the main thread."""
    calls: list[bool] = []
    for name in ("__rich_console__", "__rich_measure__"):
        original = getattr(Table, name)

        def spy(self, *args, _original=original):
            calls.append(threading.current_thread() is threading.main_thread())
            return _original(self, *args)

        monkeypatch.setattr(Table, name, spy)
    return calls


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (160, 48)], ids=["120x40", "80x24", "160x48"])
@async_test
async def test_the_question_view_measures_and_draws_no_table_on_the_main_thread(db, monkeypatch, size):
    calls = table_threads(monkeypatch)
    async with running(db, size=size, today=TODAY) as pilot:
        app = pilot.app
        with Store.open(db) as store:
            title = max(store.questions(), key=lambda q: q.title).title
        await open_question(pilot, title)
        await settle(pilot)
        shown = screen_text(app)
        assert "Where each actor stands today" in shown
        # the movers drawn (beside the stances, or below them out of view), not the footer's "5 Movers"
        assert "Movers: who reached" in content_text(app.screen.query_one("#question-movers"))
        assert not any(calls)  # neither measured nor drawn there: the worker drew them
        await pilot.resize_terminal(size[0] - 17, size[1])  # a new width: drawn again, in the worker
        await settle(pilot)
        resized = await steady_text(pilot)
        assert not any(calls)
    # the same question opened at that width shows the same
    async with running(db, size=(size[0] - 17, size[1]), today=TODAY) as pilot:
        await open_question(pilot, title)
        await settle(pilot)
        assert await steady_text(pilot) == resized


@async_test
async def test_the_demo_question_view_draws_no_table_on_the_main_thread(demo_db, monkeypatch):
    calls = table_threads(monkeypatch)
    async with running(demo_db, size=(120, 40)) as pilot:
        app = pilot.app
        await open_question(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert "Where each actor stands today" in screen_text(app)
        assert not any(calls)
