"""Helpers for the interface tests: a temp copy of the demo data, the one way to start
the app (``running``), settling the app's workers, and reading what is on screen (and
in the toasts and the help) as plain text."""

from __future__ import annotations

import asyncio
import atexit
import functools
import io
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from weakref import WeakKeyDictionary

import pytest
from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from tracker.errors import OutOfShape
from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store
from tracker.tui.screens.question import QuestionScreen
from tracker.tui.widgets.lazy_list import LazyList

DEMO = Path(__file__).resolve().parents[1] / "db" / "demo.jsonl"
# The "today" the app is given in tests, so screens that show today are deterministic.
TODAY = date(2025, 1, 15)
SIZE = (150, 45)


def async_test(test):
    """Run an ``async def`` test in its own event loop (no pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return run


def load_demo(path: Path) -> Path:
    with Store.open(path) as store, DEMO.open(encoding="utf-8") as f:
        import_records(store, read_records(f))
    return path


@functools.lru_cache(maxsize=1)
def demo_template() -> Path:
    """The demo data in a file made once per test process (only ever copied, never opened)."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-demo-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return load_demo(folder / "demo.db")


def demo_copy(path: Path) -> Path:
    """A fresh copy of the demo data at ``path`` (a copy costs far less than an import)."""
    shutil.copyfile(demo_template(), path)
    return path


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    return demo_copy(tmp_path / "demo.db")


def make_app(path: Path, today: date | None = TODAY, keep_drafts: bool = True):
    from tracker.tui.app import TrackerApp

    return TrackerApp(path, today=today, keep_drafts=keep_drafts)


_TOLD: WeakKeyDictionary = WeakKeyDictionary()  # an app started by ``running``: the toasts it was told to show


@asynccontextmanager
async def running(
    path: Path,
    size: tuple[int, int] = SIZE,
    today: date | None = TODAY,
    notifications: bool = False,
    keep_drafts: bool = True,
) -> AsyncIterator[Pilot]:
    """The one way a test starts the app: made on ``path``, run at ``size``, settled;
    ``pilot.app`` is the app. Toasts are kept (and readable with ``notices``) only
    with ``notifications=True``, as in ``App.run_test``; ``notices`` reads what it was told
    either way."""
    app = make_app(path, today=today, keep_drafts=keep_drafts)
    told = _TOLD[app] = []
    notify = app.notify

    def told_too(message, *args, **kwargs):
        told.append(message)
        return notify(message, *args, **kwargs)

    app.notify = told_too  # every toast goes through it: the app's, its screens' and widgets'
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await settle(pilot)
        yield pilot


async def settle(pilot: Pilot, rounds: int = 10) -> None:
    """Wait until no worker runs and every message they posted is handled
    (drawing a list may start another page load, hence the loop)."""
    app = pilot.app
    for _ in range(rounds):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker (the file watcher, a list's count) replaced by a newer one
            continue
        except WorkerFailed as failed:
            # A value another program spoiled is told in a toast and the app goes on (TrackerApp.
            # _handle_exception); waiting on that worker raises all the same if it ended first.
            if not isinstance(failed.error, OutOfShape):
                raise
            continue
        # Quiet for three pauses in a row: a refresh's callbacks (a keys line rebuilt after
        # the screen's bindings changed) can start more work a pause later.
        for _quiet in range(3):
            await pilot.pause()
            if any(w.is_running for w in app.workers):
                break
        else:
            return


def screen_text(app) -> str:
    """What the terminal shows, as plain text (the same render as a screenshot)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
        record=True, legacy_windows=False, safe_box=False,
    )  # fmt: skip
    # Textual has no public text render: this is what its export_screenshot prints, kept
    # here (and in screen_segments) so that no test reaches into the compositor itself.
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False)


def screen_lines_in(app, region) -> list[str]:
    """What the terminal shows inside ``region`` (a widget's), a line a row."""
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return [row[region.x : region.right] for row in rows]


async def steady_text(pilot: Pilot, tries: int = 50) -> str:
    """What the terminal shows once two looks a frame apart agree: a layout that follows
    a resize (a scrollbar's thumb) may land a frame after the last worker ended."""
    before = screen_text(pilot.app)
    for _ in range(tries):
        await pilot.pause(0.02)
        now = screen_text(pilot.app)
        if now == before:
            return now
        before = now
    raise AssertionError(f"the screen never stopped changing:\n{now}")


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one at a time, letting the app settle after each."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` into the focused widget for the cost of one key: all but its last
    character arrive pasted, as from a terminal (added at the cursor or replacing the
    selection, as keys would), the last one is pressed, so a key's own handling still
    runs on the whole text; then let the app settle."""
    if len(text) > 1:
        pilot.app.post_message(events.Paste(text[:-1]))
    if text:
        await pilot.press(text[-1])
    await settle(pilot)


# ---------------------------------------------------------------- hostile data

MARKUP = "[bold]x[/]"
TODO = "[TODO] fix"
ESC = "\x1b[31mred\x1b[0m"
RTL = "مرحبا بالعالم"
EMOJI = "🇫🇷👍🏽"
# Everything that could restyle, move the cursor, run an action or reorder a line.
NASTY = (
    f"{MARKUP} [/b] {TODO} {ESC} \x07\x08 {RTL} {EMOJI} [@click=app.quit]q[/] [link=https://x.invalid]l[/link]"
    " $accent [$accent]a[/] \u202eevil\u202c \x9b2J \r\t end"
)
NASTY_LINE = NASTY.replace("\r", "")  # for fields that must be on one line
LONG = ("[bold]long[/] " + "word " * 1000)[:5000]


def hostile_records() -> list[dict]:
    """A small dataset whose every free-text field is hostile, on a hostile scale."""
    levels = [
        {"key": "no", "label": f"{MARKUP} no", "colour": "[bold]x[/]"},  # not a colour at all
        {"key": "maybe", "label": f"{TODO} maybe", "colour": "link https://x.invalid blink"},
        {"key": "yes", "label": f"{ESC} yes", "colour": "#1e8449"},
    ]
    records: list[dict] = [
        {"type": "scale", "key": "nasty", "name": f"{MARKUP} scale", "description": NASTY, "levels": levels},
        {"type": "source", "url": "https://example.org/[bold]x[/]", "title": f"{TODO} {ESC}", "outlet": NASTY_LINE,
         "published": "2024-02-26", "language": "fr"},
    ]  # fmt: skip
    actors = [("alpha", f"{MARKUP} Alpha"), ("beta", f"{TODO} Beta {ESC}"), ("gamma", f"{RTL} {EMOJI} \x07\x08")]
    for slug, name in actors:
        records.append({"type": "actor", "slug": slug, "name": name, "kind": "person", "country": "FR",
                        "aliases": [NASTY_LINE, MARKUP]})  # fmt: skip
    questions = [("q-nasty", f"{TODO} question {MARKUP}", "nasty"), ("q-plain", f"{RTL} {EMOJI} {ESC}", "commitment")]
    for slug, title, scale in questions:
        records.append({"type": "question", "slug": slug, "title": title, "scale": scale,
                        "description": NASTY + "\nsecond line", "tags": [MARKUP, TODO]})  # fmt: skip
    stances = {"nasty": ["no", "maybe", "yes"], "commitment": ["ruled-out", "not-excluded", "implemented"]}
    dates = ["2023-01-10", "2023-06", "2024-02-26"]
    for q_slug, _, scale in questions:
        for a_slug, _ in actors:
            for i, (stance, when) in enumerate(zip(stances[scale], dates)):
                records.append({
                    "type": "position", "actor": a_slug, "question": q_slug, "stance": stance, "date": when,
                    "quote": LONG if (a_slug, i) == ("alpha", 1) else f"{NASTY}\nline two {i}",
                    "quote_lang": "ar", "paraphrase": f"{TODO} {MARKUP} paraphrase\n{ESC}", "context": NASTY,
                    "source": "https://example.org/[bold]x[/]" if i else None, "notes": f"{NASTY}\nnotes",
                    "tags": [MARKUP],
                })  # fmt: skip
    return records


def load_hostile(path: Path) -> Path:
    """The hostile dataset, then names and titles given newlines and control
    characters behind the validation's back, as an old or foreign file might hold."""
    import io
    import json
    import sqlite3

    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in hostile_records())
    with Store.open(path) as store:
        import_records(store, read_records(io.StringIO(text)))
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE actors SET name = name || ?2 WHERE slug = ?1", ("beta", "\nsecond\x1b[2J line"))
        conn.execute("UPDATE questions SET title = title || ?2 WHERE slug = ?1", ("q-plain", "\n\x07title"))
    conn.close()
    return path


def content_text(widget, width: int = 150) -> str:
    """A Static's whole content as plain text, scrolled into view or not."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None, legacy_windows=False)
    console.print(widget.content)
    return console.export_text(styles=False)


def help_text(app) -> str:
    """Every line of the help on screen, however narrow the terminal (its columns drawn at
    full width; the footer, which shows some keys too, left out)."""
    from textual.widgets import Static

    from tracker.tui.screens.help import HelpScreen

    assert isinstance(app.screen, HelpScreen)
    console = Console(width=600, file=io.StringIO(), record=True)
    for static in app.screen.query(Static):
        console.print(static.content)
    return console.export_text(styles=False)


def screen_segments(app):
    """Every styled piece of text on screen (cursor movements left out)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [s for s in console.render(update) if not s.control]


# ---------------------------------------------------------------- moving around the demo data

GROUND_TROOPS = "Western ground troops in Ukraine"


def loaded_rows(lst: LazyList) -> list:
    return [lst.row(i) for i in range(lst.count or 0)]


async def go_to(pilot, predicate) -> None:
    """Move the focused list's cursor to the first row for which ``predicate`` holds."""
    lst = pilot.app.focused
    assert isinstance(lst, LazyList)
    index = next(i for i, row in enumerate(loaded_rows(lst)) if predicate(row))
    await pilot.press("home", *["down"] * index)
    await settle(pilot)
    assert lst.cursor == index


async def open_question(pilot, title: str = GROUND_TROOPS) -> None:
    await press(pilot, "1")
    await go_to(pilot, lambda q: q.title == title)
    await press(pilot, "enter")
    assert isinstance(pilot.app.screen, QuestionScreen)


def position_on(actor: str, day: str):
    return lambda change: change.after.actor_name == actor and change.after.date.display == day


def notices(app) -> list[str]:
    """The toasts the app was told to show so far, whole (a long toast wraps on screen)."""
    return _TOLD[app]


def focused_field(app) -> str:
    """The id of the form field that has the focus (its input, text area or dropdown)."""
    from tracker.tui.forms.field import FormField

    node = app.focused
    while node is not None and not isinstance(node, FormField):
        node = node.parent
    assert node is not None, app.focused
    return node.id
