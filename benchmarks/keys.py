"""Keypress latency measured inside the app, headless under Pilot (``App.run_test``).

    python benchmarks/keys.py tracker FILE.db [--presses 200] [--gap 0.02] [--size 160x48]
    python benchmarks/keys.py bare FILE.db ...

Prints one JSON object: for each list (and the matrix), the seconds from sending each
key to the end of the first paint that shows its result. "Shows its result" means the
cursor is on the new row and that row's data is loaded (not the "…" placeholder); in the
matrix, the new as-of date's cells are on screen. A paint here includes turning the
screen update into terminal escape codes (the headless driver would skip that), so only
the write to the terminal is left out.

Keys are spaced by ``--gap`` (longer than Textual's 1/60 s frame, like a key held down
at auto-repeat speed): a key sent right after a paint would otherwise also wait for the
next frame slot, which measures Textual's frame pacing rather than the app. Pilot's own
``press`` is not used for the timed keys because it sleeps at least 2 × 20 ms waiting
for idleness; the key is sent exactly as ``press`` sends it.

``tracker``: TrackerApp. Questions (1), Actors (2), Timeline (3), then back to the
questions, enter on the highlighted question and its positions, then the matrix (4),
stepping the as-of date one month back with ``[``. ``bare``: benchmarks/bare_app.py with
``presses + 1`` rows, down through its table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from dateutil.relativedelta import relativedelta
from textual import events
from textual._compositor import CompositorUpdate
from textual.widgets import DataTable

CHARS = {"down": None, "left_square_bracket": "["}
TIMEOUT = 60.0


class PaintProbe:
    """Wraps an App's paint: after each one, check a condition and note when it first holds.

    Patched on the instance, not subclassed, so the app's CSS_PATH still resolves beside its module.
    """

    def __init__(self, app):
        self.app = app
        self.pending: tuple | None = None
        self._display = app._display
        app._display = self.display

    def display(self, screen, renderable) -> None:
        app = self.app
        if renderable is not None and app.is_headless and isinstance(renderable, CompositorUpdate):
            renderable.render_segments(app.console)  # what a terminal driver would write
        self._display(screen, renderable)
        pending = self.pending
        if pending is not None and pending[0]():
            self.pending = None
            if not pending[1].done():
                pending[1].set_result(time.perf_counter())


async def timed_key(app, key: str, shown) -> float:
    """Seconds from sending ``key`` to the end of the first paint after which ``shown()`` holds."""
    painted = asyncio.get_running_loop().create_future()
    app.paint_probe.pending = (shown, painted)
    event = events.Key(key, CHARS.get(key))
    event.set_sender(app)
    start = time.perf_counter()
    app._driver.send_message(event)
    try:
        return await asyncio.wait_for(painted, TIMEOUT) - start
    finally:
        app.paint_probe.pending = None


async def settle(app, ready, timeout: float = 600.0) -> None:
    """Wait until ``ready()`` holds and no worker is busy (but the file watcher), then a little."""
    deadline = time.monotonic() + timeout
    while True:
        busy = [w for w in app.workers if not w.is_finished and w.group != "watch"]
        if ready() and not busy:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app did not settle in {timeout:.0f} s (busy: {[w.name for w in busy]})")
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)


async def walk_list(app, lazy, presses: int, gap: float) -> list[float]:
    await settle(app, lambda: lazy.count is not None and (lazy.count == 0 or lazy.current is not None))
    if app.focused is not lazy:
        lazy.focus()
        await asyncio.sleep(0.1)
    samples = []
    for _ in range(presses):
        target = lazy.cursor + 1
        if target >= (lazy.count or 0):
            break
        samples.append(await timed_key(app, "down", lambda: lazy.cursor == target and lazy.row(target) is not None))
        await asyncio.sleep(gap)
    return samples


async def run_tracker(db: Path, presses: int, gap: float, size: tuple[int, int]) -> dict[str, list[float]]:
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.matrix import MatrixScreen
    from tracker.tui.widgets.lazy_list import LazyList

    app = TrackerApp(db)
    app.paint_probe = PaintProbe(app)
    out: dict[str, list[float]] = {}
    async with app.run_test(size=size) as pilot:
        out["questions"] = await walk_list(app, app.screen.query_one(LazyList), presses, gap)
        await pilot.press("2")
        out["actors"] = await walk_list(app, app.screen.query_one(LazyList), presses, gap)
        await pilot.press("3")
        out["timeline"] = await walk_list(app, app.screen.query_one(LazyList), presses, gap)
        await pilot.press("1")
        await settle(app, lambda: True)
        await pilot.press("enter")
        await settle(app, lambda: type(app.screen).__name__ == "QuestionScreen")
        out["question"] = await walk_list(app, app.screen.query_one(LazyList), presses, gap)
        await pilot.press("escape")
        await pilot.press("4")
        await settle(app, lambda: isinstance(app.screen, MatrixScreen) and bool(app.screen.on_screen[0]))
        matrix = app.screen
        samples = []
        for _ in range(min(presses, 120)):  # up to ten years back, month by month
            target = matrix.as_of - relativedelta(months=1)
            samples.append(await timed_key(app, "left_square_bracket", lambda: matrix.shown_as_of == target))
            await asyncio.sleep(gap)
        out["matrix"] = samples
        await pilot.press("q")
    return out


async def run_bare(db: Path, presses: int, gap: float, size: tuple[int, int]) -> dict[str, list[float]]:
    from bare_app import BareApp

    app = BareApp(str(db), rows=presses + 1)
    app.paint_probe = PaintProbe(app)
    async with app.run_test(size=size) as pilot:
        table = app.query_one(DataTable)
        await settle(app, lambda: table.row_count > 0)
        samples = []
        for _ in range(presses):
            target = table.cursor_row + 1
            if target >= table.row_count:
                break
            samples.append(await timed_key(app, "down", lambda: table.cursor_row == target))
            await asyncio.sleep(gap)
        await pilot.press("q")
    return {"table": samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=("tracker", "bare"))
    parser.add_argument("db", type=Path)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--gap", type=float, default=0.02)
    parser.add_argument("--size", default="160x48")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    run = run_tracker if args.app == "tracker" else run_bare
    print(json.dumps(asyncio.run(run(args.db, args.presses, args.gap, (width, height)))))


if __name__ == "__main__":
    main()
