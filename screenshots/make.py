"""Regenerate screenshots/*.svg (and serve.png) from the demo dataset.

    .venv/bin/python screenshots/make.py [NAME ...]

Each screenshot drives the real interface (``App.run_test``) on a fresh copy of
db/demo.jsonl, with "today" fixed so the files only change when the interface does.
``serve`` runs ``tracker serve`` on such a copy and photographs a page of it with
headless Chromium (Debian: ``apt install chromium``; needs the ``web`` extra).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from textual.pilot import Pilot

from tracker.formats.importer import import_records
from tracker.formats.jsonl import read_records
from tracker.store import Store
from tracker.tui.app import TrackerApp

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "db" / "demo.jsonl"
SEED = HERE.parent / "tests" / "articles" / "seed_fr.txt"  # the news report the product started from
TODAY = date(2025, 6, 1)
SIZE = (140, 42)


async def settle(pilot: Pilot) -> None:
    """Let every worker finish and every message it posted be handled."""
    for _ in range(10):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            await pilot.pause()
            if not any(w.is_running for w in pilot.app.workers):
                return


async def keys(pilot: Pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


async def open_ground_troops(pilot: Pilot) -> None:
    # Questions are listed by title; "Western ground troops in Ukraine" is the last.
    await keys(pilot, "1", "end", "enter")


async def light(pilot: Pilot) -> None:
    pilot.app.theme = "tracker-light"
    await open_ground_troops(pilot)


async def detail(pilot: Pilot) -> None:
    await open_ground_troops(pilot)
    await keys(pilot, "down", "enter")  # Macron, 26 Feb 2024


async def diff(pilot: Pilot) -> None:
    await open_ground_troops(pilot)
    # Macron, 16 Mar 2024, against his 26 Feb 2024 statement: the quotes word by word.
    await keys(pilot, "end", "d")


async def capture(pilot: Pilot) -> None:
    """The seed article on the capture screen, its second quote (Macron's) selected."""
    from tracker.formats.article import read_article
    from tracker.tui.screens.capture import CaptureScreen

    pilot.app.push_screen(CaptureScreen(read_article(str(SEED))))
    await settle(pilot)
    await keys(pilot, "j")


SHOTS: dict[str, Callable[[Pilot], Awaitable[None]]] = {
    "questions": lambda pilot: keys(pilot, "1"),
    "question": open_ground_troops,
    "timeline": lambda pilot: keys(pilot, "3"),
    "matrix": lambda pilot: keys(pilot, "4"),
    "position": detail,
    "diff": diff,
    "help": lambda pilot: keys(pilot, "3", "question_mark"),
    "question-light": light,
    # The seed's claim ("never tanks, never planes, never long-range missiles... six to twelve
    # months late"): the weapons tag, selected when the view opens.
    "movers": lambda pilot: keys(pilot, "5"),
    "capture": capture,
}


def make_db(folder: Path) -> Path:
    path = folder / "demo.db"
    with Store.open(path) as store, DEMO.open(encoding="utf-8") as f:
        import_records(store, read_records(f))
    return path


async def shoot(name: str, steps: Callable[[Pilot], Awaitable[None]]) -> Path:
    with tempfile.TemporaryDirectory(prefix="tracker-shots-") as folder:
        app = TrackerApp(make_db(Path(folder)), today=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.sub_title = "demo.db"  # not the temporary folder's name
            await steps(pilot)
            await settle(pilot)
            await pilot.wait_for_scheduled_animations()
            out = HERE / f"{name}.svg"
            out.write_text(app.export_screenshot(title=f"Position Tracker: {name}"), encoding="utf-8")
    return out


# The statements view searched for "tanks", a few columns, facets from the metadata.
SERVE_PAGE = "/demo/statements?_search=tanks&_sort_desc=date_start" + "".join(
    f"&_col={column}" for column in ("actor_name", "question_title", "stance_label", "date", "quote", "outlet")
)
SERVE_WINDOW = "1400,1100"


def shoot_serve() -> Path:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("serve.png needs Chromium (Debian: apt install chromium)")
    out = HERE / "serve.png"
    with tempfile.TemporaryDirectory(prefix="tracker-shots-") as folder:
        db = make_db(Path(folder))
        with socket.socket() as s:  # a free port
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "tracker", "--db", str(db), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("tracker serve did not start (is the web extra installed?)") from None
                    time.sleep(0.2)
            subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 f"--window-size={SERVE_WINDOW}", f"--screenshot={out}", url + SERVE_PAGE],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    return out


async def main(names: list[str]) -> None:
    for name in names or [*SHOTS, "serve"]:
        print(shoot_serve() if name == "serve" else await shoot(name, SHOTS[name]))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
