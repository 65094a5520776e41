"""Startup imports: what the first screen does not need is imported when first used.

A fresh interpreter imports ``tracker.cli`` (what ``tracker`` does first), then runs
``tracker --db FILE`` as the entry point does, with the app headless, until the questions
list shows its rows; every module imported by then is compared with the ones only other
commands and screens need.
Importing one of them at startup again (a module-level import in the command line,
the app or a module they import) makes this fail, instead of silently slowing the
first paint down.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tracker.store import Store

# The first screen is the questions list: everything else waits until it is opened.
NOT_AT_STARTUP = (
    "tracker.formats",  # import and export: command-line commands and the export screen
    "tracker.compare",
    "tracker.domain.movers",
    "tracker.domain.swimlane",
    "tracker.tui.forms",
    "tracker.tui.commands",  # the command palette, when ctrl+p opens it
    "tracker.tui.refresh",
    *(
        f"tracker.tui.screens.{name}"
        for name in ("actor", "actors", "confirm", "diff", "export", "help", "matrix", "position", "question",
                     "search", "timeline")  # fmt: skip
    ),
    "textual.widgets._text_area",  # the scale form's
    "dateutil",
    "sqlite_utils",
    "hypothesis",
    "markdown_it",
    # The store reads its migrations as files and checks its saved schema with zlib's CRC-32:
    # importlib.resources (with tempfile, zipfile) and hashlib (OpenSSL) took 8 ms of the start.
    "importlib.resources",
    "hashlib",
    # The command line's other commands: `tracker` loads only the group and the interface's commands.
    *(
        f"tracker.cli.{name}"
        for name in ("admin", "answers", "browse", "edit", "exchange", "import_progress", "serve", "sync")
    ),
)

PROBE = """
import asyncio, json, sys

import tracker.cli

at_import = sorted(sys.modules)

from tracker.tui.app import TrackerApp


async def first_paint(app):
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause()
            rows = app.screen.query_one("LazyList")
            # Line 0 is the column headers; the first row is below them.
            if rows.row(0) is not None and "{title}" in rows.render_line(1).text:
                break
        else:
            raise SystemExit("the questions list never showed its rows")


# The real start, `tracker --db FILE`, with the app run headless instead of in the terminal
# (which this process has not: the check for one is left out).
TrackerApp.run = lambda app: asyncio.run(first_paint(app))
import tracker.cli.interface

tracker.cli.interface.need_terminal = lambda: None
try:
    tracker.cli.main(["--db", sys.argv[1]])
except SystemExit as e:
    if e.code:
        raise
print(json.dumps({{"import": at_import, "paint": sorted(sys.modules)}}))
"""

TITLE = "Western ground troops"


def startup_modules(db: Path) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(title=TITLE), str(db)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def unneeded(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_AT_STARTUP)]


def test_first_paint_imports_only_what_the_questions_list_needs(tmp_path):
    db = tmp_path / "t.db"
    with Store.open(db) as store:
        store.add_question(f"{TITLE} in Ukraine")
    modules = startup_modules(db)
    assert "tracker.tui.screens.questions" in modules["paint"]  # the probe did reach the first paint
    assert "tracker.cli.interface" in modules["paint"]  # through the `tui` command
    assert [m for m in modules["import"] if m.startswith("tracker.cli.")] == ["tracker.cli.group"]
    found = unneeded(modules["import"])
    assert not found, f"`import tracker.cli` imports {', '.join(found)}"
    found = unneeded(modules["paint"])
    assert not found, f"imported before the first paint: {', '.join(found)}"


# What a markdown report does without: the other formats, and what only diffs (difflib) and
# the movers answer's medians (statistics, with fractions and decimal) use.
NOT_FOR_A_REPORT = ("tracker.formats.csvfile", "tracker.formats.jsonl", "difflib", "statistics", "fractions", "decimal")

REPORT_PROBE = """
import json, sys
from tracker.cli import cli
cli.main(["--db", sys.argv[1], "export", "markdown"], standalone_mode=False)
sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_a_markdown_report_imports_only_what_it_writes(tmp_path):
    db = tmp_path / "t.db"
    with Store.open(db) as store:
        store.add_question(f"{TITLE} in Ukraine")
    done = subprocess.run([sys.executable, "-c", REPORT_PROBE, str(db)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert TITLE in done.stdout
    modules = json.loads(done.stderr.splitlines()[-1])
    assert "tracker.formats.markdown.report" in modules
    found = [m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_FOR_A_REPORT)]
    assert not found, f"a markdown report imports {', '.join(found)}"
