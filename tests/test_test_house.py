"""The tests' own house rules: one way to start the app in a test (``tui_helpers.running``),
so that a change to how the app is started and settled is made in one place."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# The files that may call Textual's run_test themselves, and why.
MAY_RUN_THE_APP = {
    "tui_helpers.py": "running() is the one place that does",
    "test_test_house.py": "names it, to look for it",
    "test_imports.py": "its probe runs in a child that must import the app alone (no test helpers)",
    "tui_saver.py": "a child process whose app prints each warning as it is notified, from before it starts",
    # Two files written by others while running() was made: to convert, then to drop from here.
}


def test_the_app_is_started_in_one_way():
    found = [
        f"{path.relative_to(TESTS)}:{n}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in MAY_RUN_THE_APP
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\brun_test\(", line)
    ]
    assert found == [], "start the app with `async with running(path, ...) as pilot` (tests/tui_helpers.py):\n" + "\n".join(found)
