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
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bare_app  # noqa: E402
import generate  # noqa: E402
import growth  # noqa: E402
from growth import fmt  # noqa: E402

MEASURES = ("import", "paint", "question", "memory", "keys", "search", "movers", "markdown", "plans")
BIG = 1_000_000  # above this many positions, the measures run fewer times (see Bench)
BEGIN = "<!-- benchmark-results:begin (written by benchmarks/run.py --write-results; edits inside are lost) -->"
END = "<!-- benchmark-results:end -->"

MARKDOWN_SQL = """\
SELECT q.title AS question, p.date, a.name AS actor, l.label AS stance, p.quote, p.quote_lang AS language,
       p.paraphrase, p.context, s.title AS source
FROM positions p
JOIN questions q ON q.id = p.question_id
JOIN actors a ON a.id = p.actor_id
JOIN levels l ON l.id = p.level_id
LEFT JOIN sources s ON s.id = p.source_id
ORDER BY q.title COLLATE NOCASE, q.id, p.date_start, p.date_end, p.id"""


# ---------------------------------------------------------------------- results


@dataclass
class Result:
    """One line of the table: the medians of ours and of the reference, and the goal.

    ``goal`` is ``"ratio"`` (ours / reference at most ``target``), ``"under"`` (ours
    below ``target``, in ``unit``, whatever the reference), ``"p95-under"`` (ours' 95th
    percentile below ``target``), ``"zero"`` (a count that must be 0) or ``"none"`` (for
    context). ``size`` is the positions of the file measured; ``skipped`` says why a line
    has no figure though nothing failed.
    """

    measure: str
    label: str
    ours: float | None
    reference: float | None
    unit: str
    goal: str
    target: float
    samples: int = 0
    ours_p95: float | None = None
    reference_p95: float | None = None
    ours_command: str = ""
    reference_command: str = ""
    note: str = ""
    error: str = ""
    plans: list = field(default_factory=list)  # the query plans, for the measure "plans"
    size: int = 0
    skipped: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.reference:
            return None
        return self.ours / self.reference

    @property
    def met(self) -> bool | None:
        if self.ours is None:
            return None
        if self.goal == "under":
            return self.ours < self.target
        if self.goal == "p95-under":
            return None if self.ours_p95 is None else self.ours_p95 < self.target
        if self.goal == "zero":
            return self.ours == 0
        if self.goal == "none":
            return None
        ratio = self.ratio
        return None if ratio is None else ratio <= self.target

    @property
    def goal_text(self) -> str:
        if self.error or self.skipped:
            return "—"
        if self.goal == "under":
            return f"< {self.target:g} {self.unit}"
        if self.goal == "p95-under":
            return f"p95 < {self.target:g} {self.unit}"
        if self.goal == "none":
            return "none (context)"
        if self.goal == "zero":
            return "0 (none)"
        return "≤ 1.0x (no slower)" if self.target == 1 else f"≤ {self.target:g}x"

    def show(self, value: float | None) -> str:
        """A figure of this line: a count as a whole number, anything else with its unit."""
        if self.goal == "zero" and value is not None:
            return f"{value:,.0f}"
        return fmt(value, self.unit)

    @property
    def verdict(self) -> str:
        if self.error:
            return "error"
        if self.skipped:
            return "skipped"
        if self.goal == "none":
            return "context"
        return {True: "met", False: "MISSED", None: "n/a"}[self.met]


def median(values) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def p95(values) -> float | None:
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


# ---------------------------------------------------------------------- context


@dataclass
class Bench:
    args: argparse.Namespace
    work: Path
    python: list[str]
    tracker: list[str]
    sqlite_utils: list[str]
    sqlite3: str | None
    size: tuple[int, int] = (160, 48)
    cache: dict = field(default_factory=dict)  # shared by the sizes of one run

    @property
    def positions(self) -> int:
        return self.args.positions

    @property
    def big(self) -> bool:
        """Above a million positions (5,000,000): fewer runs, so that the growth run stays affordable."""
        return self.positions > BIG

    @property
    def runs(self) -> int:
        return min(self.args.runs, 3) if self.big else self.args.runs

    @property
    def import_runs(self) -> int:
        if self.args.import_runs is not None:
            return max(1, min(self.args.runs, self.args.import_runs))
        return min(self.args.runs, 3) if self.positions <= 100_000 else 1

    @property
    def key_runs(self) -> int:
        """One run (``--presses`` keys a list) at each size of a --sizes run, or above 1,000,000."""
        return 1 if self.big or len(self.args.sizes) > 1 else self.runs

    @property
    def opens(self) -> int:
        """Questions opened in each session of the interface."""
        return min(self.args.opens, 3) if self.big else self.args.opens

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    # Datasets: generated once, imported once, kept in the work folder.

    def jsonl_path(self, positions: int, short_quotes: bool = False) -> Path:
        a = self.args
        shape = "-short" if short_quotes else ""
        return self.work / f"synthetic-p{positions}-a{a.actors}-q{a.questions}-s{self.sources}-seed{a.seed}{shape}.jsonl"

    def jsonl(self, positions: int, short_quotes: bool = False) -> Path:
        """The dataset, made by the generator if it is not in the work folder yet."""
        a = self.args
        path = self.jsonl_path(positions, short_quotes)
        if not path.exists():
            self.log(f"generating {path.name}")
            partial = path.with_name(path.name + ".partial")
            run([*self.python, str(HERE / "generate.py"), "--positions", str(positions), "--actors", str(a.actors),
                 "--questions", str(a.questions), "--sources", str(self.sources), "--seed", str(a.seed),
                 *(["--short-quotes"] if short_quotes else []), "-o", str(partial)])  # fmt: skip
            partial.replace(path)
        return path

    @property
    def sources(self) -> int:
        return self.args.sources if self.args.sources is not None else min(20_000, max(10, self.args.positions // 50))

    @property
    def short_quotes(self) -> bool:
        """Whether benchmarks/generate.py can make the short-quote shape (``--short-quotes``)."""
        if "short_quotes" not in self.cache:
            self.cache["short_quotes"] = "--short-quotes" in run([*self.python, str(HERE / "generate.py"), "--help"]).stdout
        return self.cache["short_quotes"]

    def database(self, jsonl: Path) -> Path:
        db, ok = jsonl.with_suffix(".db"), jsonl.with_suffix(".db.ok")
        if ok.exists() and db.exists() and not self.cache.get(("fresh", db)):
            return db
        self.log(f"importing {jsonl.name}")
        remove_db(db)
        ok.unlink(missing_ok=True)
        run([*self.tracker, "--db", str(db), "import", str(jsonl)])
        ok.touch()
        self.cache[("fresh", db)] = False
        return db

    def adopt(self, imported: Path, jsonl: Path) -> None:
        """Keep a database the import measure made as the dataset's database."""
        db, ok = jsonl.with_suffix(".db"), jsonl.with_suffix(".db.ok")
        conn = sqlite3.connect(imported)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file before it moves
        conn.close()
        remove_db(db)
        ok.unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if Path(str(imported) + suffix).exists():
                Path(str(imported) + suffix).replace(str(db) + suffix)
        ok.touch()
        self.cache[("fresh", db)] = False

    @property
    def main_jsonl(self) -> Path:
        return self.jsonl(self.args.positions)

    @property
    def main_db(self) -> Path:
        return self.database(self.main_jsonl)

    def positions_only(self, jsonl: Path) -> Path:
        """The position lines of ``jsonl``, without their ``type``: what sqlite-utils inserts."""
        path = jsonl.with_suffix(".positions.jsonl")
        if not path.exists():
            partial = path.with_name(path.name + ".partial")
            with jsonl.open(encoding="utf-8") as src, partial.open("w", encoding="utf-8") as out:
                for line in src:
                    if line.startswith('{"type": "position"'):
                        record = json.loads(line)
                        del record["type"]
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
            partial.replace(path)
        return path


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, stdout=kwargs.pop("stdout", subprocess.PIPE), stderr=subprocess.PIPE, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {done.returncode}: {(done.stderr or '')[-2000:]}")
    return done


def timed(argv: list[str]) -> float:
    """Seconds a command takes, its output thrown away."""
    return measured(argv)[0]


def measured(argv: list[str]) -> tuple[float, float]:
    """Seconds a command takes, its output thrown away, and its peak RSS in MB (through benchmarks/peak.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        run(with_peak(argv, peak), stdout=subprocess.DEVNULL)
        end = time.monotonic()
        rss, started = peak_of(peak)
        return end - started, rss


def with_peak(argv: list[str], out: Path) -> list[str]:
    """``argv`` run by benchmarks/peak.py, which writes to ``out`` its peak RSS and when it started it."""
    return [sys.executable, "-I", "-S", str(HERE / "peak.py"), str(out), *argv]


def peak_of(out: Path) -> tuple[float, float]:
    """What benchmarks/peak.py wrote: the peak RSS in MB (``ru_maxrss``: kB on Linux, bytes on
    macOS) and the ``time.monotonic()`` at which the command started."""
    rss, started = out.read_text().split()
    return int(rss) / (1024 * 1024 if sys.platform == "darwin" else 1024), float(started)


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def count_rows(db: Path, table: str = "positions") -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def shell(argv: list[str], work: Path) -> str:
    """A command for the results: the work folder as $WORK, paths in the checkout relative to it."""
    out = []
    for arg in argv:
        text = str(arg).replace(str(work), "$WORK").replace(str(ROOT) + "/", "")
        if text.startswith("/") and shutil.which(Path(text).name) == text:
            text = Path(text).name  # /usr/bin/sqlite3
        out.append(text if re.fullmatch(r"[\w@%+=:,./$-]+", text) else "'" + text.replace("'", "'\\''") + "'")
    return " ".join(out)


# ---------------------------------------------------------------------- import


def measure_import(b: Bench) -> list[Result]:
    results = import_results(b, b.main_jsonl, "JSONL import", adopt=True, reference=not b.big)
    if b.big:
        skipped = "not run above 1,000,000 positions: the imports are the longest measures"
    elif not b.short_quotes:
        skipped = "benchmarks/generate.py has no --short-quotes yet"
    else:
        return results + import_results(b, b.jsonl(b.positions, short_quotes=True), "JSONL import, short quotes", shape="-short")
    return results + [Result("import-short", "JSONL import, short quotes", None, None, "s", "ratio", 0.5, skipped=skipped)]


def import_results(b: Bench, jsonl: Path, label: str, adopt: bool = False, shape: str = "",
                   reference: bool = True) -> list[Result]:  # fmt: skip
    """``tracker import`` of ``jsonl`` into a new file, and ``sqlite-utils insert`` of its
    position lines (unless not ``reference``), alternately: their times and their peak
    memory. ``adopt``: keep our database as the dataset's (the other measures open it)."""
    ours_db, ref_db = b.work / "import-ours.db", b.work / "import-reference.db"
    ours_argv = [*b.tracker, "--db", str(ours_db), "import", str(jsonl)]
    rows = b.positions_only(jsonl) if reference else jsonl.with_suffix(".positions.jsonl")  # not made if not used
    ref_argv = [*b.sqlite_utils, "insert", str(ref_db), "positions", str(rows), "--nl", "--pk", "id"]
    runs = b.import_runs
    ours, ref = [], []
    for i in range(runs):
        remove_db(ours_db)
        b.log(f"{label} {i + 1}/{runs}: tracker import")
        ours.append(measured(ours_argv))
        if reference:
            remove_db(ref_db)
            b.log(f"{label} {i + 1}/{runs}: sqlite-utils insert")
            ref.append(measured(ref_argv))
    for db in (ours_db, ref_db) if reference else (ours_db,):
        if count_rows(db) != b.positions:
            raise RuntimeError(f"{db.name} holds {count_rows(db)} positions, not {b.positions}")
    remove_db(ref_db)
    if adopt:
        b.adopt(ours_db, jsonl)  # a fresh import of the dataset: the other measures use it
    else:
        remove_db(ours_db)
    commands = {"ours_command": shell(ours_argv, b.work), "samples": runs,
                "reference_command": shell(ref_argv, b.work) if reference else ""}  # fmt: skip
    unref = "" if reference else "; the reference is not run above 1,000,000 positions (its time grows with the file)"
    return [
        Result("import" + shape, f"{label}, {b.positions:,} positions", median(t for t, _ in ours), median(t for t, _ in ref),
               "s", "ratio", 0.5, **commands,
               note="a new file each run; the reference inserts the position lines alone (no actors, questions, "
                    "sources, checks, indexes or search index), as its users would" + unref),
        Result("import-memory" + shape, f"{label}: peak memory", median(m for _, m in ours), median(m for _, m in ref),
               "MB", "under", 300.0, **commands,
               note="peak RSS of each process (wait4, through benchmarks/peak.py) during those same imports; the file is streamed, so this "
                    "stays flat whatever its size; the reference is for context" + unref),
    ]  # fmt: skip


# ---------------------------------------------------------------------- paint and memory

ESCAPES = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()][0-9A-Za-z]|[@-Z\\-_=>78])")


class Terminal:
    """A program in a pseudo-terminal of a given size; reads what it draws."""

    def __init__(self, argv: list[str], size: tuple[int, int]):
        import fcntl
        import termios

        master, slave = os.openpty()
        width, height = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL") and k not in ("NO_COLOR", "COLUMNS", "LINES")}
        env.update(TERM="xterm-256color", COLORTERM="truecolor")
        self.fd = master
        self.buffer = bytearray()
        self.eof = False
        handle, peak = tempfile.mkstemp(prefix="peak-")
        os.close(handle)
        self.peak = Path(peak)
        self.started = time.monotonic()  # until ``quit``, when the program itself started is known
        self.proc = subprocess.Popen(
            with_peak(argv, self.peak), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:  # EIO: the program closed the terminal
                data = b""
            if data:
                self.buffer += data
            else:
                self.eof = True

    def pump(self, seconds: float) -> None:
        """Read what the program draws for ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.eof:
            self._pump(max(0.0, deadline - time.monotonic()))

    def text(self) -> bytes:
        return ESCAPES.sub(b"", bytes(self.buffer))

    def wait_for(self, markers: list[str], timeout: float) -> float:
        """The monotonic time at which every marker has been drawn since the last ``send``."""
        wanted = [m.encode() for m in markers]
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if all(m in text for m in wanted):
                return time.monotonic()
            if self.eof or self.proc.poll() is not None:
                raise RuntimeError(f"the program ended before drawing {markers}: …{text[-1500:].decode(errors='replace')}")
            if time.monotonic() > deadline:
                os.killpg(self.proc.pid, signal.SIGKILL)  # never left running behind a failed measure
                raise TimeoutError(f"{markers} not drawn within {timeout:.0f} s: …{text[-1500:].decode(errors='replace')}")
            self._pump(0.05)

    def send(self, keys: bytes) -> float:
        self.buffer.clear()
        now = time.monotonic()
        os.write(self.fd, keys)
        return now

    def quit(self, keys: bytes = b"q", timeout: float = 30.0) -> float:
        """Send ``keys`` and wait for the program to end; its peak RSS in MB. ``started`` is
        then the moment the program itself started (after benchmarks/peak.py's start-up)."""
        os.write(self.fd, keys)
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            self._pump(0.05)
        for _ in range(int(timeout * 20)):
            pid, status, _ = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        else:
            os.killpg(self.proc.pid, signal.SIGKILL)
            pid, status, _ = os.wait4(self.proc.pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        os.close(self.fd)
        if self.proc.returncode != 0:
            raise RuntimeError(f"exited with {self.proc.returncode}: …{self.text()[-1500:].decode(errors='replace')}")
        try:
            rss, self.started = peak_of(self.peak)
        finally:
            self.peak.unlink()
        return rss


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


# ---------------------------------------------------------------------- keys

KEY_LISTS = {
    "questions": "Keypress: questions list (1)",
    "actors": "Keypress: actors list (2)",
    "timeline": "Keypress: timeline (3)",
    "question": "Keypress: a question's positions",
    "matrix": "Matrix: one as-of step ([)",
}


def measure_keys(b: Bench) -> list[Result]:
    db = b.main_db
    w, h = b.size
    common = ["--presses", str(b.args.presses), "--gap", str(b.args.gap), "--size", f"{w}x{h}"]
    ours_argv = [*b.python, str(HERE / "keys.py"), "tracker", str(db), *common]
    bare_argv = [*b.python, str(HERE / "keys.py"), "bare", str(db), *common]
    ours: dict[str, list[float]] = {name: [] for name in KEY_LISTS}
    bare: list[float] = []
    runs = b.key_runs
    for i in range(runs):
        b.log(f"keys {i + 1}/{runs}")
        for name, samples in json.loads(run(ours_argv).stdout).items():
            ours[name] += samples
        bare += json.loads(run(bare_argv).stdout)["table"]
    results = []
    for name, label in KEY_LISTS.items():
        ms = [s * 1000 for s in ours[name]]
        if not ms:
            raise RuntimeError(f"no keypress was measured in {name}")
        results.append(Result(f"keys-{name}", label, median(ms), median(bare) * 1000, "ms", "under", 16.0, samples=len(ms),
                              ours_p95=p95(ms), reference_p95=p95(bare) * 1000, ours_command=shell(ours_argv, b.work),
                              reference_command=shell(bare_argv, b.work),
                              note=f"every key of {runs} {'run' if runs == 1 else 'runs'} pooled, "
                                   f"up to {b.args.presses} a list, "
                                   f"{b.args.gap * 1000:g} ms apart, {w}x{h}; from sending the key to the end of the paint "
                                   "that shows the loaded row (the new date's cells in the matrix); reference: down in "
                                   f"the bare app's DataTable of {b.args.presses + 1} rows, for context"))  # fmt: skip
    return results


# ---------------------------------------------------------------------- search


def search_queries() -> tuple[list[str], list[str]]:
    """Queries from the generator's vocabulary: whole words, from most positions to none,
    and prefixes (an unfinished last word)."""
    words = generate.WORDS  # most common first (Zipf's law)
    common = [w for w in words if len(w) >= 4][:4]
    whole = [
        *common,  # one common word: in many quotes
        "pas",  # a short, common word
        words[300], words[3_000], words[29_000],  # less and less common words
        f"{words[0]} {words[1]}", f"{common[1]} {common[2]}", "troupes sol", "send tanks",  # two words
        f"{words[0]} {words[3_000]}",  # a common word and a rare one
        "we will not send",  # four words
        "geandert", "Bundnis",  # accents left out
        "zeppelin",  # no match
        "Actor 00042",  # an actor's name (no position matches)
        "Question 0007",  # a question's title
    ]  # fmt: skip
    prefixes = ["Verant", "Bü", "mis", "g", "pou", "sch", f"{words[0]} p", words[20_000][:4]]
    return whole, prefixes


def measure_search(b: Bench) -> list[Result]:
    from tracker.store import Store
    from tracker.store.search import fts_query

    whole, prefixes = search_queries()
    raw_sql = "SELECT rowid FROM positions_fts WHERE positions_fts MATCH ? LIMIT 50"
    parts = []
    with Store.open(b.main_db) as store:
        for label, queries, prefix in (
            ("Full-text search: whole words (as you type)", whole, False),
            ("Full-text search: last word as a prefix (after a pause)", prefixes, True),
        ):
            ours: list[float] = []
            raw: list[float] = []
            per_query: dict[str, list[float]] = {q: [] for q in queries}
            for q in queries:  # warm: the file's pages in the cache, the statements prepared
                store.search(q, limit=50, prefix=prefix)
                store.conn.execute(raw_sql, (fts_query(q, prefix=prefix),)).fetchall()
            for _ in range(b.runs):
                for q in queries:
                    start = time.perf_counter()
                    store.search(q, limit=50, prefix=prefix)
                    elapsed = (time.perf_counter() - start) * 1000
                    ours.append(elapsed)
                    per_query[q].append(elapsed)
                    start = time.perf_counter()
                    store.conn.execute(raw_sql, (fts_query(q, prefix=prefix),)).fetchall()
                    raw.append((time.perf_counter() - start) * 1000)
            parts.append((label, queries, prefix, ours, raw, per_query))
    results = []
    for label, queries, prefix, ours, raw, per_query in parts:
        slowest = sorted(per_query.items(), key=lambda kv: -median(kv[1]))[:4]
        slow_text = ", ".join(f"{q!r} {fmt(median(v), 'ms')}" for q, v in slowest)
        results.append(Result("search-prefix" if prefix else "search-words", label, median(ours), median(raw), "ms", "none", 50.0,
                              samples=len(ours), ours_p95=p95(ours), reference_p95=p95(raw),
                              ours_command=f"Store.search(text, limit=50, prefix={prefix})", reference_command=raw_sql,
                              note=f"a part of the search above, for context; {len(queries)} queries × {b.runs} runs on a "
                                   f"warm connection: {', '.join(repr(q) for q in queries)}; slowest (median): {slow_text}"))  # fmt: skip
    ours = [t for part in parts for t in part[3]]
    raw = [t for part in parts for t in part[4]]
    return [Result("search", "Full-text search (words and prefixes)", median(ours), median(raw), "ms", "p95-under", 50.0,
                   samples=len(ours), ours_p95=p95(ours), reference_p95=p95(raw),
                   ours_command="Store.search(text, limit=50, prefix=False), and prefix=True for the prefixes",
                   reference_command=raw_sql,
                   note="every query of the two rows below pooled (the whole words and the unfinished last words); "
                        "the reference, a bare FTS5 MATCH of the same query, is for context, not a goal")] + results  # fmt: skip


# ---------------------------------------------------------------------- movers


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


# ---------------------------------------------------------------------- markdown


def measure_markdown(b: Bench) -> list[Result]:
    """The export of a file of ``--md-positions`` (or fewer): at a bigger size, the figures
    of the same file measured at an earlier size of the run, if any."""
    count = min(b.args.md_positions, b.positions)
    key = ("markdown", b.jsonl_path(count))
    if key in b.cache:
        return [replace(r, size=b.positions) for r in b.cache[key]]
    db = b.main_db if count == b.positions else b.database(b.jsonl(count))
    ours_argv = [*b.tracker, "--db", str(db), "export", "markdown"]
    if b.sqlite3 is None:
        ref_argv = None
    else:
        ref_argv = [b.sqlite3, "-readonly", "-markdown", str(db), MARKDOWN_SQL]
    ours, ref = [], []
    for i in range(b.runs):
        b.log(f"markdown {i + 1}/{b.runs}")
        ours.append(timed(ours_argv))
        if ref_argv:
            ref.append(timed(ref_argv))
    ref_text = shell(ref_argv[:-1], b.work) + " 'SELECT … (below)'" if ref_argv else "sqlite3 not found"
    results = [Result("markdown", f"Markdown export, {count:,} positions", median(ours), median(ref), "s", "ratio", 1.0,
                      samples=b.runs, ours_command=shell(ours_argv, b.work) + " > /dev/null",
                      reference_command=ref_text + " > /dev/null",
                      note="the whole file (every question: stance table, movers, timeline); the reference selects the "
                           "same positions with their question, date, actor, stance, quote, language, paraphrase, "
                           "context and source, in question and date order")]  # fmt: skip
    b.cache[key] = results
    return results


# ---------------------------------------------------------------------- query plans
#
# The statements the interface and the export run on a big file, recorded as they run: each
# hot read is the real Store or reads function, called once on a read-only connection whose
# trace callback records every statement it runs (SQLite gives them with their parameters
# inlined); ``EXPLAIN QUERY PLAN`` of each then says which index it uses. No SQL is copied
# here, so a change to a query or to the schema shows in the plans, and
# tests/test_query_plans.py fails when one of them scans the positions table.


@dataclass
class HotRead:
    """One read of the interface or the export: what it serves, and the call that makes it."""

    name: str  # what it serves
    call: str  # the call, as code
    run: object  # a function of (store, sample)
    scan: str = ""  # why a full scan of the positions table is intended here ("": it is not)
    first_only: bool = False  # record the first statement and interrupt it: it reads every row


@dataclass
class QueryPlan:
    name: str  # what the statement serves
    call: str  # the Store or reads call that ran it
    sql: str  # as SQLite ran it, its parameters inlined
    plan: list[str]  # EXPLAIN QUERY PLAN, a line a node, indented two spaces a level
    scan: str = ""  # why a full scan of positions is intended, if it is

    @property
    def full_scans(self) -> list[str]:
        return positions_scans(self.sql, self.plan)


_NOT_ALIAS = {"where", "join", "left", "inner", "cross", "natural", "order", "group", "limit", "on", "using", "not",
              "indexed", "window", "union", "having", "as", "except", "intersect"}  # fmt: skip


def positions_reads(sql: str, plan: list[str]) -> list[str]:
    """The lines of ``plan`` that read the positions table, under whatever alias ``sql`` gives
    it: ``SEARCH p USING INDEX ...``, ``SCAN positions USING COVERING INDEX ...``, ``SCAN p``."""
    names = {"positions"} | {
        m.group(1) for m in re.finditer(r"\bpositions\s+(?:AS\s+)?([A-Za-z_]\w*)", sql, re.IGNORECASE)
        if m.group(1).lower() not in _NOT_ALIAS
    }  # fmt: skip
    found = []
    for line in plan:
        m = re.match(r"\s*(?:SCAN|SEARCH) (?:TABLE )?(\w+)(?: AS (\w+))?\b", line)
        if m and (m.group(2) or m.group(1)) in names:
            found.append(line.strip())
    return found


def positions_scans(sql: str, plan: list[str]) -> list[str]:
    """The lines of ``plan`` that read the positions table from end to end without an index:
    ``SCAN p``, not ``SCAN p USING COVERING INDEX ...``."""
    return [line for line in positions_reads(sql, plan) if line.startswith("SCAN") and "INDEX" not in line]


def plan_lines(conn: sqlite3.Connection, sql: str) -> list[str]:
    """``EXPLAIN QUERY PLAN`` of ``sql`` as an indented tree, a line a node."""
    depth: dict[int, int] = {}
    lines = []
    for node, parent, _, detail in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall():
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def plan_tree(plan: list[str]) -> list[str]:
    """Lines of ``plan_lines`` drawn as the sqlite3 shell draws a plan: ``QUERY PLAN``, ``|--``, ``` `-- ```."""
    depths = [len(line) - len(line.lstrip(" ")) for line in plan]
    depths = [d // 2 for d in depths]

    def last(i: int) -> bool:  # no later sibling: the next line at its depth or above is above it
        for d in depths[i + 1 :]:
            if d <= depths[i]:
                return d < depths[i]
        return True

    out, open_levels = ["QUERY PLAN"], []  # open_levels[d]: the node at depth d has later siblings
    for i, line in enumerate(plan):
        d = depths[i]
        del open_levels[d:]
        prefix = "".join("|  " if more else "   " for more in open_levels)
        out.append(prefix + ("`--" if last(i) else "|--") + line.strip())
        open_levels.append(not last(i))
    return out


def _elide_columns(text: str) -> str:
    """The outermost SELECT's column list as "…", when it is long."""
    if not text[:7].upper() == "SELECT ":
        return text
    depth, quote = 0, False
    for i in range(7, len(text)):
        c = text[i]
        if c == "'":
            quote = not quote
        elif quote:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0 and text[i : i + 6].upper() == " FROM ":
            return text if i - 7 <= 40 else "SELECT …" + text[i:]
    return text


def short_sql(sql: str, width: int = 320) -> str:
    """``sql`` on one line, shortened: a long column list, long strings and lists of values cut."""
    text = _elide_columns(" ".join(sql.split()))
    text = re.sub(r"'(?:[^']|'')*'", lambda m: m.group(0) if len(m.group(0)) <= 40 else m.group(0)[:30] + "…'", text)
    text = re.sub(r"\((-?\d+(?:, -?\d+){3,})\)", lambda m: "(" + ", ".join(m.group(1).split(", ")[:3]) + ", …)", text)
    return text if len(text) <= width else text[: width - 1] + "…"


def sql_template(sql: str) -> str:
    """``sql`` with its values as ``?`` (a list of them as one): the same statement run with other values."""
    text = re.sub(r"'(?:[^']|'')*'", "?", sql)
    text = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", "?", text)
    text = re.sub(r"\?(?:\s*,\s*\?)+", "?", text)
    return " ".join(text.split())


@dataclass
class PlanSample:
    """Where the hot reads look: the middle of the timeline, its question and its actor."""

    total: int
    position: object  # a Position
    question_page: int  # the offset of the middle page of the question's positions
    actor_page: int
    question_ids: list[int]  # a screen of the matrix
    actor_ids: list[int]

    @property
    def question_id(self) -> int:
        return self.position.question_id

    @property
    def actor_id(self) -> int:
        return self.position.actor_id


def plan_sample(store, page: int) -> PlanSample:
    total = store.count_positions()
    if not total:
        raise RuntimeError("the file holds no positions: no plans to show")
    middle = store.positions(limit=1, offset=total // 2)[0]
    in_question = store.count_positions(question_id=middle.question_id)
    by_actor = store.count_positions(actor_id=middle.actor_id)
    return PlanSample(total, middle, in_question // 2 // page * page, by_actor // 2 // page * page,
                      [q.id for q in store.questions(limit=20)], [a.id for a in store.actors(limit=20)])  # fmt: skip


def hot_reads(page: int, search_limit: int) -> list[HotRead]:
    """The reads of the interface and the export that a big file makes slow if they scan."""
    from tracker.store import reads

    words, prefixes = search_queries()
    word, prefix = words[0], prefixes[2]
    return [
        HotRead("Questions (1): a page of the list", f"Store.questions(limit={page}, offset=…)",
                lambda st, s: st.questions(limit=page, offset=0)),
        HotRead("Questions (1), the matrix: how many questions", "Store.count_questions()", lambda st, s: st.count_questions()),
        HotRead("Actors (2): a page of the list", f"Store.actors(limit={page}, offset=…)",
                lambda st, s: st.actors(limit=page, offset=0)),
        HotRead("Actors (2), the matrix: how many actors", "Store.count_actors()", lambda st, s: st.count_actors()),
        HotRead("Timeline (3): a page, in the middle of the list", f"Store.positions(limit={page}, offset=…)",
                lambda st, s: st.positions(limit=page, offset=s.total // 2 // page * page)),
        HotRead("Timeline (3): how many positions", "Store.count_positions()", lambda st, s: st.count_positions()),
        HotRead("A question's positions: a page", f"Store.positions(question_id=…, limit={page}, offset=…)",
                lambda st, s: st.positions(question_id=s.question_id, limit=page, offset=s.question_page)),
        HotRead("A question's positions: how many", "Store.count_positions(question_id=…)",
                lambda st, s: st.count_positions(question_id=s.question_id)),
        HotRead("A question: the chart of its positions over time (all of them)", "Store.positions(question_id=…)",
                lambda st, s: st.positions(question_id=s.question_id)),
        HotRead("An actor's positions: a page", f"Store.positions(actor_id=…, limit={page}, offset=…)",
                lambda st, s: st.positions(actor_id=s.actor_id, limit=page, offset=s.actor_page)),
        HotRead("An actor's positions: how many", "Store.count_positions(actor_id=…)",
                lambda st, s: st.count_positions(actor_id=s.actor_id)),
        HotRead("Each row of a list of positions: the actor's previous position (its change marker)",
                "Store.previous_position(position)", lambda st, s: st.previous_position(s.position)),
        HotRead("Each row of a list of positions: its question (for its scale)", "Store.question(id)",
                lambda st, s: st.question(s.question_id)),
        HotRead("Each page of positions: the scales", "Store.scales()", lambda st, s: st.scales()),
        HotRead("Matrix (4): the cells of a screen as of a date", "Store.stances_as_of(20 questions, 20 actors, today)",
                lambda st, s: st.stances_as_of(s.question_ids, s.actor_ids, dt.date.today())),
        HotRead("Search (/): whole words, as the user types", f"Store.search({word!r}, limit={search_limit}, prefix=False)",
                lambda st, s: st.search(word, limit=search_limit, prefix=False)),
        HotRead("Search (/): the last word as a prefix, once typing pauses",
                f"Store.search({prefix!r}, limit={search_limit}, prefix=True)",
                lambda st, s: st.search(prefix, limit=search_limit, prefix=True)),
        HotRead("A position's detail", "Store.position(id)", lambda st, s: st.position(s.position.id)),
        HotRead("A position named by its uid (command line, diff)", "Store.position(uid)",
                lambda st, s: st.position(s.position.uid)),
        HotRead("A position's detail: its history", "Store.revisions('positions', uid)",
                lambda st, s: st.revisions("positions", s.position.uid)),
        HotRead("Markdown export of a question (and of an actor, question by question)",
                "reads.statements(conn, question_id=…)", lambda st, s: reads.statements(st.conn, question_id=s.question_id)),
        HotRead("Markdown export of an actor: its positions", "reads.statements(conn, actor_id=…)",
                lambda st, s: reads.statements(st.conn, actor_id=s.actor_id)),
        HotRead("Markdown export of every question: every position, read once", "reads.statements_by_question(conn)",
                lambda st, s: reads.statements_by_question(st.conn), first_only=True,
                scan="it reads every position of the file, in the table's own order: the cheapest read of all rows "
                     "(an index would add a look-up a row)"),
    ]  # fmt: skip


def query_plans(db: str | Path) -> list[QueryPlan]:
    """The query plan of each statement of the hot reads (``hot_reads``), on ``db`` opened
    read-only (nothing is written to it). A statement run again with other values (a batch
    of ids after another) is shown once.

    A read of every position (``first_only``) is interrupted as soon as its first statement
    has started, so that it costs nothing on a big file; what it would read next (every
    actor, level and source, a scan of each small table) is not shown."""
    from tracker.store import Store
    from tracker.store.database import configure
    from tracker.tui.screens.search import LIMIT as SEARCH_LIMIT
    from tracker.tui.widgets.lazy_list import PAGE

    conn = sqlite3.connect(Path(db).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    configure(conn)
    store = Store(conn, Path(db))
    plans: list[QueryPlan] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    try:
        sample = plan_sample(store, PAGE)
        for read in hot_reads(PAGE, SEARCH_LIMIT):
            ran: list[str] = []
            interrupted = []

            def stop() -> int:  # stops the first read of a first_only call, once it has started
                if not interrupted and any(is_read(sql) for sql in ran):
                    interrupted.append(True)
                    return 1
                return 0

            conn.set_trace_callback(ran.append)
            if read.first_only:
                conn.set_progress_handler(stop, 100)
            try:
                read.run(store, sample)
            except sqlite3.OperationalError as e:
                if not (interrupted and "interrupt" in str(e)):
                    raise
            finally:
                conn.set_trace_callback(None)
                conn.set_progress_handler(None, 0)
            mine = []
            for sql in filter(is_read, ran):
                plan = plan_lines(conn, sql)
                key = (sql_template(sql), tuple(plan))
                if key not in seen:
                    seen.add(key)
                    mine.append((sql, plan))
            for i, (sql, plan) in enumerate(mine, 1):
                name = read.name if len(mine) == 1 else f"{read.name} [{i}/{len(mine)}]"
                plans.append(QueryPlan(name, read.call, sql, plan, read.scan))
    finally:
        conn.close()
    return plans


# FTS5's own reads of its shadow tables, which the trace callback sees too: not the program's.
_FTS_SHADOW = re.compile(r"\bFROM '\w+'\.'\w+_(?:config|data|idx|content|docsize)'", re.IGNORECASE)


def is_read(sql: str) -> bool:
    """Whether ``sql`` is a query of the program (not BEGIN, not FTS5's own)."""
    return sql.lstrip().upper().startswith(("SELECT", "WITH")) and not _FTS_SHADOW.search(sql)


def measure_plans(b: Bench) -> list[Result]:
    db = b.main_db
    b.log("query plans")
    plans = query_plans(db)
    unintended = [p for p in plans if p.full_scans and not p.scan]
    intended = [p for p in plans if p.full_scans and p.scan]
    return [Result("plans", "Query plans: reads that scan the positions table without an index", len(unintended), None, "",
                   "zero", 0, samples=len(plans), ours_command=f"query_plans({shell([db], b.work)})",
                   note=f"EXPLAIN QUERY PLAN of the {len(plans)} statements the interface and the markdown export run "
                        f"(below); {len(intended)} full {'scan is' if len(intended) == 1 else 'scans are'} intended"
                        + "".join(f": {p.name}" for p in intended[:1]),
                   plans=plans)]  # fmt: skip


# ---------------------------------------------------------------------- machine, table, results file


def machine() -> dict[str, str]:
    def cpu_model() -> str:
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or platform.machine()

    def ram() -> str:
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        except OSError:
            pass
        return "unknown"

    from importlib.metadata import version

    def cli_version(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.split()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "not found"

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {
        "cpu": f"{cpu_model()}, {os.cpu_count()} CPUs (nproc)",
        "ram": ram(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": f"{sqlite3.sqlite_version} (Python's sqlite3), sqlite3 CLI {cli_version(['sqlite3', '--version'])}",
        "textual": version("textual"),
        "rich": version("rich"),
        "sqlite-utils": version("sqlite-utils"),
        "load": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    }


def code_files() -> dict[str, str]:
    """A digest of each file of the code measured (tracker/ and the migrations)."""
    import hashlib

    files = [*ROOT.glob("tracker/**/*.py"), *ROOT.glob("tracker/**/*.tcss"), *ROOT.glob("db/migrations/*.sql")]
    return {str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(files)}


def code_digest(files: dict[str, str]) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:12]


def print_table(results: list[Result]) -> None:
    header = ("measure", "ours", "p95", "reference", "ratio", "goal", "")
    rows = [header] + [
        (r.label, r.show(r.ours), r.show(r.ours_p95), r.show(r.reference),
         fmt(r.ratio) + "x" if r.ratio is not None else "—", r.goal_text, r.verdict)
        for r in results
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    for r in results:
        if r.error:
            print(f"\n{r.label}: {r.error}")


def results_block(results: list[Result], info: dict[str, str], command: str, started: str, seconds: float,
                  chart: str = "") -> str:
    """The block of RESULTS.md: a table and the goals for each size, then, for several sizes,
    the growth table and ``chart`` (its path, relative to the results file)."""
    sizes = sorted({r.size for r in results})
    lines = [
        BEGIN,
        "",
        f"Run of {started}, {seconds / 60:.0f} min:" if seconds >= 120 else f"Run of {started}, {seconds:.0f} s:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"- machine: {info['cpu']}, {info['ram']} RAM, {info['os']}; load average at the start {info['load_start']}, "
        f"at the end {info['load_end']}",
        f"- software: Python {info['python']}, SQLite {info['sqlite']}, Textual {info['textual']}, Rich {info['rich']}, "
        f"sqlite-utils {info['sqlite-utils']}",
        f"- code measured: tracker/ and db/migrations/ digest {info['code_start']}"
        + ("" if info["code_end"] == info["code_start"] else
           f" at the start, **{info['code_end']} at the end: the code changed during the run** "
           f"({info.get('code_changed', '')}), so some figures measure the one and some the other"),
        *([f"- runs: {info['schedule']}"] if info.get("schedule") else []),
        "",
    ]
    for size in sizes:
        if len(sizes) > 1:
            lines += ([] if size == sizes[0] else [""]) + [f"#### {size:,} positions", ""]
        lines += size_section([r for r in results if r.size == size])
    if len(sizes) > 1:
        lines += ["", *growth.growth_section(results, sizes, chart)]
    last = [r for r in results if r.size == sizes[-1]]
    schedule = "" if len(sizes) == 1 else f" (at {sizes[-1]:,} positions; the same at each size, on that size's file)"
    lines += ["", f"How each was measured{schedule}:", ""]
    described: dict[tuple[str, str, str], list[Result]] = {}
    for r in last:
        if not r.error:
            described.setdefault((r.ours_command, r.reference_command, r.note), []).append(r)
    for (ours, reference, note), group in described.items():
        if not ours:
            continue  # skipped
        labels = "; ".join(r.label for r in group)
        samples = ", ".join(str(r.samples) for r in group)
        what = "statement" if group[0].goal == "zero" else "sample"
        lines.append(f"- {labels} ({samples} {what if samples == '1' else what + 's'}): ours `{ours}`"
                     + (f"; reference `{reference}`" if reference else "") + f". {note[:1].upper() + note[1:]}.")  # fmt: skip
    if any(r.measure == "markdown" for r in results):
        lines += ["", "The markdown reference's query:", "", "```sql", MARKDOWN_SQL, "```"]
    for r in last:
        if r.measure == "plans" and r.plans:
            lines += ["", *plans_section(r)]
    lines += ["", END]
    return "\n".join(lines)


def size_section(results: list[Result]) -> list[str]:
    """The table of one size's results and what each says of its goal."""
    lines = [
        "| measure | ours (median) | ours p95 | reference (median) | ratio | goal | |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "—"
        lines.append(f"| {r.label} | {r.show(r.ours)} | {r.show(r.ours_p95)} | {r.show(r.reference)} | {ratio} "
                     f"| {r.goal_text} | {r.verdict} |")  # fmt: skip
    lines += ["", "Goals:", ""]
    for r in results:
        if r.error or r.skipped:
            lines.append(f"- {r.label}: not measured ({(r.error or r.skipped).splitlines()[0][:200]})")
            continue
        spread = f" (p95 {fmt(r.ours_p95, r.unit)})" if r.ours_p95 is not None else ""
        if r.goal == "none":
            lines.append(f"- {r.label}: no goal, for context: median {fmt(r.ours, r.unit)}{spread}.")
            continue
        if r.goal == "zero":
            lines.append(f"- {r.label}: **{r.verdict}**, {r.show(r.ours)} of {r.samples} against a goal of none.")
            continue
        if r.goal == "under":
            how = f"median {fmt(r.ours, r.unit)}{spread} against a goal of under {r.target:g} {r.unit}"
        elif r.goal == "p95-under":
            how = f"p95 {fmt(r.ours_p95, r.unit)} (median {fmt(r.ours, r.unit)}) against a goal of a p95 under {r.target:g} {r.unit}"
        else:
            how = f"{fmt(r.ratio)}x the reference against a goal of {r.target:g}x" if r.ratio is not None else "no reference"
        lines.append(f"- {r.label}: **{r.verdict}**, {how}.")
    return lines


def plans_section(r: Result) -> list[str]:
    """The "Query plans" section of the results: what each statement serves, its SQL and its plan."""
    lines = [
        "### Query plans",
        "",
        f"`EXPLAIN QUERY PLAN` of each statement that the interface and the markdown export run, recorded from the "
        f"code as it ran on the file (`{r.ours_command}`, read-only), its parameters inlined; a statement shown for "
        "one read is not shown again for the next. A statement that scans the positions table without an index is "
        "marked; tests/test_query_plans.py fails on one that is not intended, or on a read of positions that stops "
        "using its index.",
    ]
    for p in r.plans:
        scans = p.full_scans
        mark = ""
        if scans:
            mark = f" Full scan, intended: {p.scan}." if p.scan else " **Full scan of the positions table.**"
        lines += ["", f"{p.name}: `{p.call}`.{mark}", "", "```text", short_sql(p.sql), *plan_tree(p.plan), "```"]
    return lines


def write_results(path: Path, block: str) -> None:
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        text = "# Benchmark results\n\nWritten by `benchmarks/run.py --write-results`.\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------- main

FUNCTIONS = {
    "import": measure_import,
    "paint": measure_paint,
    "question": measure_question,
    "memory": measure_memory,
    "keys": measure_keys,
    "search": measure_search,
    "movers": measure_movers,
    "markdown": measure_markdown,
    "plans": measure_plans,
}
LABELS = {
    "import": "JSONL import",
    "paint": "First paint of the interface",
    "question": "Opening a question",
    "movers": "Movers of a tag",
    "memory": "Peak memory of the interface",
    "keys": "Keypresses",
    "search": "Full-text search",
    "markdown": "Markdown export",
    "plans": "Query plans",
}
ORDER = ("paint", "question", "keys", "search", "movers", "markdown", "import", "memory", "plans")  # the order of the table


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
