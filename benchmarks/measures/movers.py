"""The movers measure: ``tracker movers --tag`` less the start-up of the same process."""

from __future__ import annotations

from benchmarks.datasets import Bench
from benchmarks.processes import shell, timed
from benchmarks.results import Result
from benchmarks.stats import median, p95


def measure_movers(b: Bench) -> list[Result]:
    db = b.main_db
    tag = "group-00"
    ours_argv = [*b.tracker, "--db", str(db), "movers", "--tag", tag]
    startup_argv = [*b.tracker, "--db", str(db), "movers", "--help"]
    beyond, startup = [], []
    for i in range(b.runs):
        b.log(f"movers {i + 1}/{b.runs}")
        start = timed(startup_argv)
        beyond.append(timed(ours_argv) - start)
        startup.append(start)
    return [Result("movers", f"Movers across a tag's questions ({tag}), beyond start-up", median(beyond),
                   median(startup), "s", "under", 0.5, samples=b.runs, ours_p95=p95(beyond),
                   ours_command=shell(ours_argv, b.work) + " > /dev/null",
                   reference_command=shell(startup_argv, b.work) + " > /dev/null",
                   note=f"each run, the time of the command less that of the same process doing nothing (its "
                        f"--help, run just before: the reference column, the start-up); the tag {tag!r} is on every "
                        "run of 20 questions the generator makes")]  # fmt: skip
