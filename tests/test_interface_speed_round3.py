"""The interface's speed, round 2 (issue 19): a list's page read in a few statements with each
row's previous position (the same rows as one look-up a row), the keys line rebuilt only when
its keys change in every view (and still following the focus and the bindings) and built
after a list's first rows, and the interface's connections holding a small page cache."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from tui_helpers import (  # noqa: F401 (demo_db is a fixture)
    async_test,
    demo_copy,
    demo_db,
    open_question,
    press,
    running,
    screen_text,
    settle,
)

from benchmarks import generate
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store, positions
from tracker.store.rows import Narrowing
from tracker.tui.pool import CACHE_KB, StorePool
from tracker.tui.row_sources import ActorsSource, PositionsSource
from tracker.tui.screens.list_screen import KEYS_AT_LATEST, ListScreen
from tracker.tui.widgets.footer import Footer


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The demo data, and a generated file (1,500 positions, 40 actors, 8 questions)."""
    folder = tmp_path_factory.mktemp("round3")
    text = io.StringIO()
    generate.generate(text, positions=1500, actors=40, questions=8, sources=30, seed=5)
    generated = folder / "generated.db"
    with Store.open(generated) as store:
        import_records(store, jsonl.read_records(io.StringIO(text.getvalue())))
    return {"demo": demo_copy(folder / "demo.db"), "generated": generated}


def per_row(store: Store, *, limit: int, offset: int, **where) -> list:
    """The old answer: the page, then a look-up of each row's previous position and its question."""
    sizes = {s.key: s.size for s in store.scales()}
    page = store.positions(limit=limit, offset=offset, **where)
    return [(store.previous_position(p), p, sizes[store.question(p.question_id).scale_key]) for p in page]


def views(store: Store) -> list[dict]:
    """The lists a person can look at: everything, an actor's, a question's, filtered ones."""
    some = store.positions(limit=3, offset=5)
    levels = sorted({p.level.key for p in some})
    return [
        {},
        {"actor_id": some[0].actor_id},
        {"question_id": some[1].question_id},
        {"narrowing": Narrowing(level_keys=frozenset(levels[:1]))},
        {"narrowing": Narrowing(question_ids=frozenset({some[2].question_id}), since=some[2].date.start)},
    ]


@pytest.mark.parametrize("name", ["demo", "generated"])
def test_a_page_with_previous_is_the_per_row_answer(files, name):
    with Store.open(files[name]) as store:
        total = store.count_positions()
        for where in views(store):
            for limit, offset in ((200, 0), (7, 3), (50, total // 2), (200, max(0, total - 30)), (10, total + 5)):
                new = positions.page_with_previous(store.conn, limit=limit, offset=offset, **where)
                assert new == per_row(store, limit=limit, offset=offset, **where), (where, limit, offset)
        firsts = [before for before, _, _ in positions.page_with_previous(store.conn, limit=200)]
        assert None in firsts and any(firsts)  # first positions and later ones both met


def test_a_page_of_the_timeline_takes_two_statements(files):
    """Not one a row (200) and one a question, each waiting for the interpreter's lock in the app."""
    with Store.open(files["generated"]) as store:
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        rows = PositionsSource().fetch(store, 0, 200)
        store.conn.set_trace_callback(None)
    assert len(rows) == 200
    assert len(statements) == 2, statements
    shown = [c.marker for c in rows]
    assert "• first" in shown and any(m != "• first" for m in shown)


def test_its_statement_searches_indexes_only(files):
    with Store.open(files["generated"]) as store:
        traced: list[str] = []
        store.conn.set_trace_callback(traced.append)
        for where in ({}, {"actor_id": 3}, {"question_id": 2}):
            traced.clear()
            positions.page_with_previous(store.conn, limit=200, **where)
            plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + traced[0])]
            assert not [line for line in plan if line.startswith("SCAN") and "COVERING INDEX" not in line], plan
            assert any("SEARCH b USING COVERING INDEX positions_question_actor_date" in line for line in plan), plan


def test_the_interface_connections_keep_a_small_page_cache(demo_db):
    pool = StorePool(demo_db)
    try:
        assert pool.get().conn.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KB
    finally:
        pool.close()
    with Store.open(demo_db) as store:  # the command line keeps SQLite's default
        assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -2000


@async_test
async def test_the_file_watcher_keeps_a_small_page_cache_too(demo_db):
    async with running(demo_db) as pilot:
        watcher = pilot.app.watcher
        assert watcher is not None
        assert watcher.conn.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KB


# ---------------------------------------------------------------------- the keys line


def footer_line(app) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


@pytest.fixture
def rebuilds(monkeypatch) -> list[TextualFooter]:
    """Each rebuild of a keys line (of any screen), as the footer it was."""
    seen: list[TextualFooter] = []
    recompose = Widget.recompose

    async def counted(self):
        if isinstance(self, TextualFooter):
            seen.append(self)
        return await recompose(self)

    monkeypatch.setattr(Widget, "recompose", counted)
    return seen


# A view each, the keys that open it (from the questions), and a key its footer shows.
VIEWS = [
    ("actors", ("2",), "⏎ Open"),
    ("timeline", ("3",), "f Filter"),
    ("matrix", ("4",), "t Today"),
    ("movers", ("5",), "r Roll-up"),
    ("search", ("slash",), "Edit the search"),
    ("actor", ("2", "enter"), "space Mark"),
    ("position", ("3", "enter"), "d Diff with previous"),
    ("form", ("n",), "^s Save"),
    ("capture prompt", ("c",), "^s Open"),
]


@pytest.mark.parametrize("view, keys, shown", VIEWS, ids=[v[0] for v in VIEWS])
@async_test
async def test_every_view_builds_its_keys_line_once(demo_db, rebuilds, view, keys, shown):
    async with running(demo_db) as pilot:
        await press(pilot, *keys)
        for _ in range(50):  # a new view's keys line comes a refresh or two after it is shown
            if shown in footer_line(pilot.app):
                break
            await pilot.pause()
        assert shown in footer_line(pilot.app), view
        footers = pilot.app.screen.query(TextualFooter)
        assert len(footers) == 1 and isinstance(footers.first(), Footer), view
        mine = [f for f in rebuilds if f is footers.first()]
        assert len(mine) == 1, f"{view}: its keys built {len(mine)} times"


@async_test
async def test_the_keys_line_follows_the_focus_and_the_screens(demo_db):
    async with running(demo_db) as pilot:
        await open_question(pilot)
        first = footer_line(pilot.app)
        assert "m Movers" in first and "d Diff" in first
        await press(pilot, "tab")
        assert "esc Back" in footer_line(pilot.app) and "d Diff" not in footer_line(pilot.app)
        await press(pilot, "tab")
        assert footer_line(pilot.app) == first
        await press(pilot, "n")  # a form over it
        assert "^s Save" in footer_line(pilot.app)
        await press(pilot, "escape")
        assert footer_line(pilot.app) == first
        await press(pilot, "escape", "c")  # a modal over the questions
        assert "^s Open" in footer_line(pilot.app) and "esc Cancel" in footer_line(pilot.app)
        await press(pilot, "escape")
        assert "n New" in footer_line(pilot.app)


@async_test
async def test_a_list_view_builds_its_keys_line_once_its_first_rows_are_drawn(demo_db, monkeypatch):
    """Building the keys line takes the main thread 20-30 ms: a list view builds it after
    its first rows are drawn, not ahead of them (first paint, 10,000 positions: 264 -> 241 ms)."""
    rows_when_built: list[bool] = []
    rebuild = Footer._rebuild

    async def noted(footer):
        screen = footer.screen
        if isinstance(screen, ListScreen):
            rows_when_built.append(screen.list.count is not None and screen.list.loaded_pages != set())
        await rebuild(footer)

    monkeypatch.setattr(Footer, "_rebuild", noted)
    async with running(demo_db) as pilot:
        for view in "23":
            await press(pilot, view)
        assert len(rows_when_built) >= 3 and all(rows_when_built), rows_when_built  # questions (the first screen), actors, timeline
        assert screen_text(pilot.app).splitlines()[-1].rstrip().endswith("? Help ^p palette")


@async_test
async def test_a_list_whose_rows_are_slow_still_shows_its_keys_line(demo_db, monkeypatch):
    """Rows that do not come (a count that waits on another program) do not keep the keys
    line from the screen: it is built ``KEYS_AT_LATEST`` after the view anyway."""
    gate = threading.Event()
    count = ActorsSource.count

    def slow(source, store):
        assert gate.wait(10)
        return count(source, store)

    try:
        async with running(demo_db) as pilot:
            app = pilot.app
            monkeypatch.setattr(ActorsSource, "count", slow)
            await pilot.press("2")  # the actors: their count waits
            await pilot.pause(KEYS_AT_LATEST + 0.3)
            assert app.screen.list.count is None  # still counting
            assert screen_text(app).splitlines()[-1].rstrip().endswith("? Help ^p palette")
            gate.set()
            await settle(pilot)
            assert "Emmanuel Macron" in screen_text(app)
    finally:
        gate.set()
