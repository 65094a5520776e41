"""Position Tracker's speed and memory, each measured side by side with its reference.

    .venv/bin/python benchmarks/run.py                                   # full size: 1,000,000 positions
    .venv/bin/python benchmarks/run.py --sizes 10000,100000,1000000,5000000 --write-results benchmarks/RESULTS.md
    .venv/bin/python benchmarks/run.py --only search,markdown --runs 3
    .venv/bin/python benchmarks/run.py --sizes 2000,5000 --actors 50 --questions 20 --runs 1 --presses 10  # seconds

Measures (``--only`` takes their names, comma-separated):

  import    ``tracker import`` of the JSONL file into a new file, vs ``sqlite-utils insert NEW.db
            positions LINES.jsonl --nl --pk id`` of the same position lines (goal: 0.5x), and
            the peak memory of each (goal: under 300 MB); then the same on the short-quote
            shape (``generate.py --short-quotes``), when the generator can make it.
  paint     first paint: the real interface (``tracker --db FILE``) in a pseudo-terminal,
            idle, from starting the process to its first rows of data on screen, vs
            benchmarks/bare_app.py (a Header, a DataTable of 100 rows from the same file and
            a Footer) the same way (goal: 1.25x).
  question  in those same sessions of the interface, opening ``--opens`` questions one after
            the other: from the enter key to the question's stance table (and its movers,
            drawn in the same update) on screen (goal: under 100 ms median; p95 shown).
  memory    peak RSS of those same two processes (the interface after opening each view:
            questions, actors, timeline, matrix, the questions), vs the bare app (goal: 2x).
  keys      a keypress in each list and a step of the matrix's as-of date, in the app under
            Pilot, from sending the key to the paint that shows the loaded row (see
            benchmarks/keys.py); the bare app's DataTable is shown for context (goal: under
            16 ms median).
  search    ``Store.search(text, limit=50)`` over whole words (``prefix=False``, what the
            interface shows as you type) and over unfinished last words (``prefix=True``,
            once typing pauses), pooled in one row (goal: 50 ms p95), each kind also in a row
            of its own for context; a bare FTS5 MATCH ... LIMIT 50 beside each.
  movers    ``tracker --db FILE movers --tag group-00`` (the 20 questions of the generator's
            first group) less the start-up of the same process doing nothing
            (``movers --help``), run just before it (goal: under 0.5 s).
  markdown  ``tracker export markdown`` of a file of 100,000 positions (or of the file, if
            smaller), vs ``sqlite3 -markdown`` of the same rows (question, date, actor,
            stance, quote, language, paraphrase, context and source, in question and date
            order; goal: no slower).
  plans     no timing: ``EXPLAIN QUERY PLAN`` of each statement that the interface's
            lists, matrix, search and position detail and the markdown export run on the
            file, recorded from the code as it runs (``query_plans``); the results show
            each plan (goal: no scan of the positions table without an index, but where
            one is intended).

Sizes: ``--positions N`` measures one file; ``--sizes N,N,...`` measures every figure at each
size in turn (2,000 actors and 500 questions at every size by default, so that the lists,
the matrix and the questions are the same and only the positions grow; the sources are
positions / 50, at most 20,000), then writes a growth table (a row a measure, a column a
size) and benchmarks/growth.py's SVG chart (``--chart``; by default growth.svg beside the
``--write-results`` file). Keypress and question opening must stay within 2x of their figure
at the smallest size. So that the four sizes take about 30 minutes on two cores: the keys
run once at each size of a --sizes run (``--presses`` keys a list); imports run 3 times up
to 100,000 positions and once above (``--import-runs`` sets it at every size); above
1,000,000 positions the measures run 3 times (not ``--runs``), 3 questions are opened a
session, our import runs once without its reference (sqlite-utils: a quarter of an hour at
that size; its ratio is measured at the smaller sizes) and the short-quote shape is not
imported; the markdown file of 100,000 positions, measured at 1,000,000, is not measured
again.

Datasets come from benchmarks/generate.py and are kept in ``--work`` (default: a folder in
the temporary directory) with the databases imported from them, so a second run skips
that; ``--fresh`` imports again (after a schema change, say). Each figure is the median
of its runs; the keypress, question and search figures are the median (and 95th
percentile) of every sample of every run. Peak memory is measured through
benchmarks/peak.py, so that it is the program's own and not the runner's. A measure that
fails is reported as an error and the others still run; the exit code is then 1.

This file is the command line; the runner is the package ``benchmarks``, whose modules
(statistics, datasets, terminal, measures, query plans, results) benchmarks/__init__.py lists.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import asdict
from pathlib import Path

if __package__ in (None, ""):  # run as a script: its modules are benchmarks.*, found from the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import ROOT, growth  # noqa: E402
from benchmarks.datasets import Bench  # noqa: E402
from benchmarks.machine import code_digest, code_files, machine  # noqa: E402
from benchmarks.measures import FUNCTIONS, LABELS, MEASURES, ORDER  # noqa: E402
from benchmarks.report import print_table, results_block, write_results  # noqa: E402
from benchmarks.results import Result  # noqa: E402


def schedule(b: Bench) -> str:
    """How many times each measure runs at ``b``'s size."""
    return (f"{b.runs} {'run' if b.runs == 1 else 'runs'} of each measure, {b.key_runs} of the keypresses, "
            f"{b.import_runs} {'import' if b.import_runs == 1 else 'imports'} "
            f"{'of ours alone (no reference)' if b.big else 'of each program'}, "
            f"{b.opens} questions opened a session")  # fmt: skip


def tool(name: str, module: str) -> list[str]:
    """The venv's script beside this Python, else ``python -m module``."""
    script = Path(sys.executable).parent / name
    return [str(script)] if script.exists() else [sys.executable, "-m", module]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[1:]))  # fmt: skip
    parser.add_argument("--positions", type=int, default=1_000_000)
    parser.add_argument("--sizes", metavar="N,N,...", help="measure at each of these numbers of positions (instead of "
                        "--positions), then the growth table and chart, e.g. 10000,100000,1000000,5000000")
    parser.add_argument("--opens", type=int, default=5, help="questions opened in each session of the interface (default 5)")
    parser.add_argument("--chart", type=Path, metavar="FILE", help="the growth chart (SVG) of a --sizes run; default: "
                        "growth.svg beside --write-results's file, else in --work")
    parser.add_argument("--actors", type=int, default=2_000)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--sources", type=int, default=None, help="default: positions / 50, at most 20,000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=None,
                        help="at most this many imports of each program (default: 3 up to 100,000 positions, else 1)")
    parser.add_argument("--md-positions", type=int, default=100_000, help="positions in the markdown export's file")
    parser.add_argument("--presses", type=int, default=200, help="keys per list (and at most 120 matrix steps)")
    parser.add_argument("--gap", type=float, default=0.02, help="seconds between timed keys (default 0.02)")
    parser.add_argument("--size", default="160x48", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--fresh", action="store_true", help="import the datasets again")
    parser.add_argument("--only", default=",".join(MEASURES), help=f"comma-separated, from: {', '.join(MEASURES)}")
    parser.add_argument("--write-results", type=Path, metavar="FILE", help="write or update the results block in FILE")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(only) - set(MEASURES))
    if unknown or not only:
        parser.error(f"--only: unknown measure {', '.join(unknown) or '(none)'}; choose from {', '.join(MEASURES)}")
    args.only = only
    try:
        args.size = tuple(int(n) for n in args.size.lower().split("x"))
        assert len(args.size) == 2
    except (ValueError, AssertionError):
        parser.error("--size: WIDTHxHEIGHT, e.g. 160x48")
    try:
        args.sizes = sorted({int(n) for n in args.sizes.split(",") if n.strip()}) if args.sizes else [args.positions]
    except ValueError:
        parser.error("--sizes: numbers of positions, comma-separated, e.g. 10000,100000")
    if min(*args.sizes, args.actors, args.questions, args.runs, args.opens) < 1 or not args.sizes:
        parser.error("--positions, --sizes, --actors, --questions, --runs and --opens must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    cache: dict = {}
    benches = [
        Bench(
            args=argparse.Namespace(**{**vars(args), "positions": positions}),
            work=args.work.resolve(),
            python=[sys.executable],
            tracker=tool("tracker", "tracker"),
            sqlite_utils=tool("sqlite-utils", "sqlite_utils"),
            sqlite3=shutil.which("sqlite3"),
            size=args.size,
            cache=cache,
        )
        for positions in args.sizes
    ]  # fmt: skip
    # As a user's install has it: the program's modules compiled once (an editable install
    # under PYTHONDONTWRITEBYTECODE would compile every module at every start it measures).
    compileall.compile_dir(ROOT / "tracker", quiet=1)
    if args.fresh:
        for ok in args.work.glob("*.db.ok"):
            ok.unlink()
    info = machine()
    info["load_start"] = info.pop("load")
    code_at_start = code_files()
    info["code_start"] = code_digest(code_at_start)
    started = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    t0 = time.monotonic()
    results: list[Result] = []
    for b in benches:
        b.log(f"{b.positions:,} positions: {schedule(b)}")
        mine: list[Result] = []
        # The import runs first: the file it makes is then the one the other measures open.
        for name in sorted(args.only, key=lambda n: MEASURES.index(n)):
            try:
                mine += FUNCTIONS[name](b)
            except Exception as e:  # one broken measure still leaves the others' figures
                traceback.print_exc()
                mine.append(Result(name, LABELS[name], None, None, "", "ratio", 0, error=f"{type(e).__name__}: {e}"))
        for r in mine:
            r.size = b.positions
        results += sorted(mine, key=lambda r: ORDER.index(r.measure.split("-")[0]))
    info["schedule"] = "; ".join(f"{b.positions:,} positions: {schedule(b)}" for b in benches)
    info["load_end"] = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    seconds = time.monotonic() - t0
    code_at_end = code_files()
    info["code_end"] = code_digest(code_at_end)
    info["code_changed"] = ", ".join(
        sorted(path for path in code_at_start.keys() | code_at_end.keys() if code_at_start.get(path) != code_at_end.get(path))
    )
    sizes = sorted({r.size for r in results})
    chart = ""
    if len(sizes) > 1:
        chart_path = args.chart or (args.write_results.parent if args.write_results else args.work) / "growth.svg"
        chart_path.write_text(growth.growth_svg(results, sizes), encoding="utf-8")
        chart = os.path.relpath(chart_path, args.write_results.parent) if args.write_results else str(chart_path)
        print(f"wrote the growth chart to {chart_path}", file=sys.stderr)
    for size in sizes:
        if len(sizes) > 1:
            print(f"\n{size:,} positions")
        print_table([r for r in results if r.size == size])
    if len(sizes) > 1:
        print("\n" + "\n".join(growth.growth_section(results, sizes)))
    if info["code_changed"]:
        print(f"\nwarning: the code changed during the run: {info['code_changed']}", file=sys.stderr)
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    command = command.replace(str(args.work), "$WORK").strip()
    if args.write_results:
        write_results(args.write_results, results_block(results, info, command, started, seconds, chart))
        print(f"\nwrote the results to {args.write_results}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "command": command, "seconds": seconds,
                                         "results": [asdict(r) | {"ratio": r.ratio, "verdict": r.verdict} for r in results]},
                                        indent=2))  # fmt: skip
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
