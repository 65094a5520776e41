"""The real interface (TrackerApp, headless, driven by keys) saving positions in a loop.

    tui_saver.py DB PREFIX [--count N] [--actor TEXT] [--question TEXT]

Opens the timeline (3), then again and again: ``n`` opens the position form, the
actor and question are typed when not prefilled, then the stance, the date and a
quote ``PREFIX-<i>``, and ``ctrl+s`` saves. Once the form has closed and the
interface has said "Added: …", prints ``ack PREFIX-<i>``. Prints ``ready`` once
the timeline is on screen, ``saved`` after ``--count`` saves (default: forever),
``notice SEVERITY TEXT`` for every warning or error the interface shows.

After ``saved`` it reads commands from stdin, one a line, without pressing a key:

    expect COUNT TEXT   wait (up to 60 s) until the timeline lists COUNT positions and TEXT
                        is on screen; prints ``seen`` or ``unseen count=… text=…``
    quit                end (also on end of input)

The timeline only changes then because the app noticed another program's writes.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import time
from pathlib import Path

from textual import events

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for tui_helpers

from tui_helpers import SIZE, TODAY, screen_text, settle  # noqa: E402

from tracker.tui.app import TrackerApp  # noqa: E402
from tracker.tui.forms import PositionForm  # noqa: E402
from tracker.tui.screens.timeline import TimelineScreen  # noqa: E402
from tracker.tui.widgets.position_list import PositionList  # noqa: E402

STEP_TIMEOUT = 60.0


class SaveFailed(Exception):
    """The app said something went wrong (printed as a ``notice`` line already)."""


def say(line: str) -> None:
    sys.stdout.write(line.replace("\n", " ") + "\n")
    sys.stdout.flush()


def recording_app(db: Path) -> TrackerApp:
    """The app, with every notification also recorded in ``app.notices`` (and printed
    when it is not good news)."""
    app = TrackerApp(db, today=TODAY)
    app.notices = []  # type: ignore[attr-defined]
    notify = app.notify

    def recorded(message, *, title="", severity="information", timeout=None, markup=True) -> None:
        app.notices.append((severity, str(message)))  # type: ignore[attr-defined]
        if severity != "information":
            say(f"notice {severity} {message}")
        notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = recorded  # type: ignore[method-assign]
    return app


async def until(pilot, condition, what: str, timeout: float = STEP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def fill(pilot, form: PositionForm, field_id: str, text: str) -> None:
    """Focus a field (its text selected) and paste ``text`` into it, as a terminal sends a paste."""
    form.field(field_id).focus_input(select=True)
    await pilot.pause()
    focused = pilot.app.focused
    assert focused is not None and focused.id == f"{field_id}-input", focused
    focused.post_message(events.Paste(text))
    await until(pilot, lambda: form.field(field_id).value == text, f"the {field_id} field")


async def save_one(pilot, app, marker: str, i: int, actor: str, question: str) -> None:
    """n, fill the form, ctrl+s; returns once the form has closed and "Added: …" was shown."""
    await pilot.press("n")
    await until(pilot, lambda: isinstance(app.screen, PositionForm) and app.screen.loaded, "the form")
    form = app.screen
    assert isinstance(form, PositionForm)
    for field_id, text in (("actor", actor), ("question", question)):
        if form.lookup(field_id).record is None:  # not prefilled from the list
            await fill(pilot, form, field_id, text)
            await pilot.press("tab")  # takes the best match
            await until(pilot, lambda: form.lookup(field_id).record is not None, f"the {field_id} match")
    await fill(pilot, form, "stance", ("ruled-out", "reluctant", "not-excluded", "open")[i % 4])
    await fill(pilot, form, "date", f"{2000 + i % 20}-{1 + i % 12:02d}-{1 + i % 28:02d}")
    await fill(pilot, form, "quote", marker)
    added = sum(1 for _, m in app.notices if m.startswith("Added:"))
    problems = sum(1 for severity, _ in app.notices if severity != "information")
    await pilot.press("ctrl+s")

    def done() -> bool:
        if sum(1 for severity, _ in app.notices if severity != "information") > problems:
            raise SaveFailed(marker)
        return app.screen is not form and sum(1 for _, m in app.notices if m.startswith("Added:")) > added

    await until(pilot, done, f"the save of {marker}")


async def expect(pilot, app, count: int, text: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT
    timeline = app.screen.query_one(PositionList)
    while time.monotonic() < deadline:
        if timeline.count == count and text in screen_text(app):
            say("seen")
            return
        await pilot.pause(0.1)
    say(f"unseen count={timeline.count} text={text in screen_text(app)}")


async def drive(args) -> int:
    app = recording_app(Path(args.db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen), "the timeline")
        await until(pilot, lambda: app.screen.query_one(PositionList).count is not None, "the timeline's count")
        await settle(pilot)
        say("ready")
        numbers = range(args.count) if args.count else itertools.count()
        for i in numbers:
            marker = f"{args.prefix}-{i}"
            try:
                await save_one(pilot, app, marker, i, args.actor, args.question)
            except SaveFailed:
                say(f"failed {marker}")
                return 1
            say(f"ack {marker}")
        say("saved")
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            words = line.strip().split(maxsplit=2)
            if not words or words[0] == "quit":
                break
            if words[0] == "expect":
                await expect(pilot, app, int(words[1]), words[2])
        await app.workers.wait_for_complete()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("prefix")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--actor", default="alpha")
    parser.add_argument("--question", default="crash")
    return asyncio.run(drive(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
