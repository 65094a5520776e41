"""The mutant driver (tests/drivers/mutants) is current and its tests can fail: every
variant still applies to today's code, and a few of them, each a bug once found or
feared, make the one test written against it fail, which passes without them.

Kept short (a few seconds of tests in children): the whole list of variants and the
tests each must break is in the driver's docstring, to run by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DRIVER = TESTS / "drivers" / "mutants"

# A mutant and the quickest test it must break.
BREAKS = {
    "check-busy-is-damage": "tests/test_concurrency.py::test_check_while_another_program_holds_the_write_lock",
    "inspect-with-open": "tests/test_concurrency.py::test_opening_a_connection_keeps_the_locks_of_the_others_in_the_process",
}


def with_driver(mutant: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_MUTANT"}
    env["PYTHONPATH"] = os.pathsep.join([str(DRIVER), *filter(None, [os.environ.get("PYTHONPATH")])])
    if mutant:
        env["TRACKER_MUTANT"] = mutant
    return env


def pytest_run(mutant: str | None, *tests: str) -> subprocess.CompletedProcess:
    # -q comes from pyproject.toml (a second one would leave out the counts)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *tests],
        cwd=ROOT, env=with_driver(mutant), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def mutants() -> list[str]:
    """The variants the driver's docstring lists (one a line, indented, then its words)."""
    import ast

    doc = ast.get_docstring(ast.parse((DRIVER / "sitecustomize.py").read_text(encoding="utf-8")))
    listed = doc.split("Each with the tests it must break", 1)[1]
    return [line.split()[0] for line in listed.splitlines() if line.startswith("    ") and not line.startswith("     ")]


def test_every_mutant_applies_to_todays_code():
    names = mutants()
    assert len(names) == 8 and set(BREAKS) <= set(names), names
    for name in names:  # each patches names that must still exist (a module, a function, a class)
        done = subprocess.run([sys.executable, "-c", "pass"], env=with_driver(name), capture_output=True, text=True)
        assert done.returncode == 0 and not done.stderr, (name, done.stderr)
    unknown = subprocess.run([sys.executable, "-c", "pass"], env=with_driver("no-such-mutant"), capture_output=True, text=True)
    assert unknown.returncode != 0 and "unknown TRACKER_MUTANT 'no-such-mutant'" in unknown.stderr


@pytest.mark.parametrize("mutant", list(BREAKS))
def test_the_mutant_makes_its_test_fail(mutant):
    """The target passes in this very suite, without the driver; with the mutant, it fails."""
    done = pytest_run(mutant, BREAKS[mutant])
    assert done.returncode == 1 and "1 failed in" in done.stdout, done.stdout[-3000:]  # failed, not an error of its own
