"""The measures of the interface in a pseudo-terminal: first paint, opening questions and peak memory,
all three from the same sessions (the interface's and the bare app's, alternately)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import HERE, bare_app
from benchmarks.datasets import Bench
from benchmarks.growth import fmt
from benchmarks.processes import shell
from benchmarks.results import Result
from benchmarks.stats import median, p95
from benchmarks.terminal import Terminal

# A question's stance table on screen: its movers are drawn in the same update (beside it on a
# wide screen, below it in the summary on a 160-column one).
OPENED = ["Where each actor stands today"]


def screen_markers(db: Path, opens: int) -> dict[str, list]:
    """Text that each view shows only once its data is on screen; for ``opened``, that of
    each of the first ``opens`` questions of the list (their stance table and movers)."""
    from tracker.store import Store

    def cut(text: str) -> str:
        return text[:16]

    with Store.open(db) as store:
        questions = store.questions(limit=opens)
        return {
            "questions": [cut(questions[0].title)],
            "actors": [cut(store.actors(limit=1)[0].name)],
            "timeline": [cut(store.positions(limit=1)[0].actor_name)],
            "matrix": ["As of "],
            "opened": [OPENED if store.count_positions(question_id=q.id) else ["No positions"] for q in questions],
        }


def sessions(b: Bench) -> dict:
    """Both programs in a terminal, ``runs`` times each, alternating: first paint, view times,
    the opening of ``opens`` questions one after the other (escape back to the list, down,
    enter), peak RSS."""
    db = b.main_db
    if ("sessions", db) in b.cache:
        return b.cache[("sessions", db)]
    size = b.size
    markers = screen_markers(db, b.opens)
    bare_marker = [bare_app.first_rows(str(db), 1)[0][1][:16]]
    ours_argv = [*b.tracker, "--db", str(db)]
    bare_argv = [*b.python, str(HERE / "bare_app.py"), str(db)]
    views = [(b"2", "actors"), (b"3", "timeline"), (b"4", "matrix"), (b"1", "questions")]
    out = {"ours_paint": [], "bare_paint": [], "ours_rss": [], "bare_rss": [], "views": {name: [] for _, name in views},
           "opened": [], "ours_argv": ours_argv, "bare_argv": bare_argv}  # fmt: skip
    for i in range(b.runs):
        b.log(f"first paint, question opening and memory {i + 1}/{b.runs}")
        term = Terminal(ours_argv, size)
        painted = term.wait_for(markers["questions"], 120)
        for key, name in views:
            sent = term.send(key)
            out["views"][name].append(term.wait_for(markers[name], 600) - sent)
        for n, opened in enumerate(markers["opened"]):
            if n:
                term.send(b"\x1b")  # escape: back to the list
                term.wait_for(markers["questions"], 600)
                term.send(b"\x1b[B")  # down to the next question (the list keeps its cursor)
                term.pump(0.3)  # its row loaded and highlighted
            sent = term.send(b"\r")
            out["opened"].append(term.wait_for(opened, 600) - sent)
        out["ours_rss"].append(term.quit())
        out["ours_paint"].append(painted - term.started)
        term = Terminal(bare_argv, size)
        painted = term.wait_for(bare_marker, 120)
        out["bare_rss"].append(term.quit())
        out["bare_paint"].append(painted - term.started)
    b.cache[("sessions", db)] = out
    return out


def measure_paint(b: Bench) -> list[Result]:
    s = sessions(b)
    views = ", ".join(f"{name} {fmt(median(v) * 1000, 'ms')}" for name, v in s["views"].items())
    w, h = b.size
    return [Result("paint", "First paint of the interface", median(s["ours_paint"]) * 1000, median(s["bare_paint"]) * 1000, "ms",
                   "ratio", 1.25, samples=b.runs, ours_command=shell(s["ours_argv"], b.work),
                   reference_command=shell(s["bare_argv"], b.work),
                   note=f"in a {w}x{h} pseudo-terminal, idle, from starting the process to its first rows of data on "
                        f"screen; the reference is a Header + DataTable + Footer app; then, for the interface, from the "
                        f"key to the view's data on screen (medians): {views}")]  # fmt: skip


def measure_question(b: Bench) -> list[Result]:
    s = sessions(b)
    ms = [t * 1000 for t in s["opened"]]
    w, h = b.size
    return [Result("question", "Opening a question", median(ms), None, "ms", "under", 100.0, samples=len(ms), ours_p95=p95(ms),
                   ours_command=shell(s["ours_argv"], b.work),
                   note=f"in the sessions of the first paint ({w}x{h} pseudo-terminal): the first {b.opens} questions of "
                        f"the list opened one after the other (escape back to the list, down, enter), from the enter key "
                        f"to the question's stance table on screen (“{OPENED[0]}”; its movers are drawn in the same update, below it "
                        f"at {w} columns)")]  # fmt: skip


def measure_memory(b: Bench) -> list[Result]:
    s = sessions(b)
    return [Result("memory", "Peak memory of the interface", median(s["ours_rss"]), median(s["bare_rss"]), "MB", "ratio", 2.0,
                   samples=b.runs, ours_command=shell(s["ours_argv"], b.work), reference_command=shell(s["bare_argv"], b.work),
                   note="peak RSS of the process (wait4, through benchmarks/peak.py: not the runner's own), the interface after opening questions, actors, timeline, "
                        "matrix and the questions opened; the bare app after its first paint")]  # fmt: skip
