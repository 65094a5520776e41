"""A loop of `tracker add` commands in one process, to be killed at a random moment.

    add_loop.py DB PREFIX [--count N] [--date-base YEAR]

Runs the real command line (``tracker.cli.main``, exit code and all) again and
again: ``add position`` with the notes ``PREFIX-<i>``; every third one with a new
source URL (created in the same transaction), every fifth one for an actor it
first creates with ``add actor``. Before each command it prints ``try KIND MARKER``;
the command's own output line that follows (the new id, or the actor's slug) is
the acknowledgement. Prints ``ready`` first and ``done`` after ``--count``
commands (default: forever). A command that fails prints ``failed ...`` and ends
the loop with its exit code.
"""

from __future__ import annotations

import argparse
import itertools
import sys

from tracker.cli import main as tracker_main


def run(argv: list[str]) -> int:
    try:
        tracker_main(argv)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("prefix")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--actor", default="alpha")
    parser.add_argument("--question", default="crash")
    parser.add_argument("--date-base", type=int, default=1950)
    args = parser.parse_args(argv)
    say("ready")
    numbers = range(args.count) if args.count else itertools.count()
    for i in numbers:
        marker = f"{args.prefix}-{i}"
        actor = args.actor
        if i % 5 == 4:
            actor = f"{args.prefix}-a{i}"
            say(f"try actor {actor}")
            code = run(["--db", args.db, "add", "actor", f"Actor {marker}", "--slug", actor, "--kind", "person"])
            if code:
                say(f"failed actor {actor} {code}")
                return code
        argv = [
            "--db", args.db, "add", "position", "--actor", actor, "--question", args.question,
            "--stance", ("ruled-out", "reluctant", "not-excluded", "open")[i % 4],
            "--date", f"{args.date_base + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "--quote", f"quote {marker}", "--notes", marker,
        ]  # fmt: skip
        if i % 3 == 2:
            argv += ["--source", f"https://example.org/{marker}"]
        say(f"try position {marker}")
        code = run(argv)
        if code:
            say(f"failed position {marker} {code}")
            return code
    say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
