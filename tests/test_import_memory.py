"""Import streams the file: peak memory stays bounded whatever its size (issue 16, item 8),
and it keeps every property it had: all or nothing, the first bad record named by its line,
records in any order, --dry-run, stdin, the write lock held only briefly for a bad file."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.formats import importer, jsonl
from tracker.formats.importer import import_records
from tracker.store import Store
from tracker.store.bulk import BULK_THRESHOLD
from tracker.store.spool import Spool

# benchmarks/peak.py runs ``tracker`` and writes its peak memory: from a fresh process, so
# that no earlier child of the test run counts, and summed over its own processes (an
# import builds its search index in a second one).
PEAK = Path(__file__).resolve().parents[1] / "benchmarks" / "peak.py"


def tracker_peak(*args: str, env: dict | None = None) -> tuple[int, int, str]:
    """(peak memory in MB, exit status, output) of ``tracker ARGS``."""
    out = Path(tempfile.mkdtemp()) / "peak"
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", str(PEAK), str(out), sys.executable, "-m", "tracker", *args],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        peak_kib = int(out.read_text().split()[0])
    finally:
        shutil.rmtree(out.parent)
    return peak_kib // 1024, done.returncode, done.stdout + done.stderr


def position(i: int, **change) -> dict:
    return {
        "type": "position", "actor": f"a{i % 50}", "question": f"q{i % 20}", "stance": "open",
        "date": f"{1900 + i % 130}-{1 + i % 12:02d}-{1 + i % 28:02d}", **change,
    }  # fmt: skip


def write_file(path: Path, positions: int, *, last: dict | None = None, quote: str = "") -> Path:
    """Short positions (the worst case for memory: the most records a megabyte) before the
    actors and questions they name."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(positions):
            out.write(json.dumps(position(i, quote=f"{quote} {i}" if quote else "")) + "\n")
        for i in range(50):
            out.write(json.dumps({"type": "actor", "slug": f"a{i}", "name": f"Actor {i}"}) + "\n")
        for i in range(20):
            out.write(json.dumps({"type": "question", "slug": f"q{i}", "title": f"Question {i}"}) + "\n")
        if last is not None:
            out.write(json.dumps(last) + "\n")
    return path


def count(db: Path, table: str = "positions") -> int:
    with Store.open(db) as store:
        return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_large_import_that_fails_on_its_last_line_keeps_memory_low(tmp_path):
    """300,000 positions and a bad last line: every record used to be held before the first
    was written (about 330 MB here, 1.1 GB for a 94 MB file); now only the few actors and
    questions are, and the positions wait on disk."""
    path = write_file(tmp_path / "big.jsonl", 300_000, last=position(0, date="2024-13-45"))
    db = tmp_path / "t.db"
    peak, status, output = tracker_peak("--db", str(db), "import", str(path))
    assert status == 1
    assert f"line {300_000 + 70 + 1}: cannot understand the date" in output
    assert "Traceback" not in output
    assert not db.exists()  # refused before the database was written (a new file is removed)
    assert peak < 150, f"peak memory {peak} MB"


def test_a_good_bulk_import_keeps_memory_low_and_leaves_no_temporary_file(tmp_path):
    """A good file of 120,000 positions with quotes: imported whole, searchable, in bounded
    memory (it used to hold every record, then every row, then the whole search index),
    and the temporary files it used are gone."""
    path = write_file(tmp_path / "good.jsonl", 120_000, quote="rien ne doit être exclu statement number")
    db = tmp_path / "t.db"
    temp = tmp_path / "tmp"
    temp.mkdir()
    peak, status, output = tracker_peak("--db", str(db), "import", str(path), env=os.environ | {"TMPDIR": str(temp)})
    assert status == 0, output
    assert "positions: 120000 created" in output
    assert list(temp.iterdir()) == []
    with Store.open(db) as store:
        assert store.count_positions() == 120_000
        assert store.check() == []
        assert len(store.search("statement number 119999", limit=5)) == 1
    assert peak < 200, f"peak memory {peak} MB"


def processes_naming(text: str) -> list[int]:
    """The processes whose command line holds ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:  # ended meanwhile
                pass
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_import_killed_while_its_search_index_is_built_leaves_nothing_behind(tmp_path):
    """Killed (SIGKILL: no clean-up of its own) while the second process builds the search
    index, an import leaves no temporary file and no process: the second process finds
    its pipe closed before the last batch, removes its index and stops."""
    path = write_file(tmp_path / "big.jsonl", 120_000, quote="rien ne doit être exclu statement number")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = os.environ | {"TMPDIR": str(temp)}
    importing = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", str(tmp_path / "t.db"), "import", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (building := processes_naming(str(temp))) and importing.poll() is None:
            assert time.monotonic() < deadline, "no second process started"
            time.sleep(0.01)
        assert building, "the import ended before its search index was built aside"
        time.sleep(0.2)  # some batches handed over
        importing.kill()
        importing.wait()
        deadline = time.monotonic() + 30
        while (processes_naming(str(temp)) or list(temp.iterdir())) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_naming(str(temp)) == []
        assert list(temp.iterdir()) == []
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.wait()


def test_stdin_is_imported_whole_and_a_bad_stdin_writes_nothing(tmp_path):
    """``-`` reads standard input once: the positions wait in a temporary file, the rest in memory."""
    path = write_file(tmp_path / "in.jsonl", BULK_THRESHOLD + 10)
    db = tmp_path / "t.db"
    args = [sys.executable, "-m", "tracker", "--db", str(db), "import", "-"]
    with path.open("rb") as f:
        done = subprocess.run(args, stdin=f, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert count(db) == BULK_THRESHOLD + 10
    bad = write_file(tmp_path / "bad.jsonl", BULK_THRESHOLD + 10, last=position(3, actor="nobody"))
    with bad.open("rb") as f:
        done = subprocess.run(args, stdin=f, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"line {BULK_THRESHOLD + 10 + 71}: actor 'nobody' is not defined" in done.stderr
    assert count(db) == BULK_THRESHOLD + 10


def lines_of(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "s.db") as s:
        yield s


def load(store: Store, text: str, **kw):
    return import_records(store, jsonl.read_records(io.StringIO(text)), **kw)


DEFS = [
    {"type": "actor", "slug": "macron", "name": "Emmanuel Macron"},
    {"type": "question", "slug": "troops", "title": "Ground troops"},
]


@pytest.mark.parametrize("many", [False, True], ids=["few", "bulk"])
def test_the_first_position_naming_something_unknown_is_refused_by_its_line(store, many):
    """Whatever the kind of name (question, actor, stance, source), the first position in
    the file that names an unknown one is refused, with the message it always had, and
    nothing is written; in one position, the question is checked first, then the actor."""
    n = BULK_THRESHOLD + 5 if many else 5
    good = [position(i, actor="macron", question="troops") for i in range(n)]

    def refused(changes: dict[int, dict]) -> str:
        records = [p | changes.get(i, {}) for i, p in enumerate(good)] + DEFS
        with pytest.raises(TrackerError) as e:
            load(store, lines_of(records))
        assert store.count_positions() == 0 and store.count_actors() == 0
        return str(e.value)

    assert refused({n - 1: {"actor": "nobody"}, n - 2: {"stance": "maybe"}}).startswith(f"line {n - 1}: ")
    assert refused({3: {"source": "https://nowhere.example"}, 4: {"question": "nothing"}}) == (
        "line 4: source 'https://nowhere.example' is not defined in the file or the database (give its uid or URL)"
    )
    assert refused({2: {"actor": "nobody", "question": "nothing"}}) == (
        "line 3: question 'nothing' is not defined in the file or the database"
    )
    assert refused({1: {"actor": "nobody"}, 2: {"question": "nothing"}}) == (
        "line 2: actor 'nobody' is not defined in the file or the database"
    )
    assert refused({n - 1: {"stance": "maybe"}}).startswith(f"line {n}: ")


def test_names_first_used_beyond_those_kept_are_still_checked(store, monkeypatch):
    """Only so many names are remembered from the first pass (memory stays bounded): a name
    first used after them is refused as its position is written, with its line, all or nothing."""
    monkeypatch.setattr(importer, "_REFS_KEPT", 1)
    records = [position(i, actor="macron", question="troops") for i in range(BULK_THRESHOLD + 5)]
    records[-1] |= {"actor": "nobody"}
    with pytest.raises(TrackerError, match=f"line {BULK_THRESHOLD + 7}: actor 'nobody' is not defined"):
        load(store, lines_of(DEFS + records))
    assert store.count_positions() == 0 and store.count_actors() == 0


def test_a_bad_line_is_refused_before_the_write_lock_is_taken(store, monkeypatch):
    """A line that cannot be read (the last one here) is found in the first pass: the
    transaction is never begun."""
    began = []
    real = Store.transaction

    def watched(self, *a, **kw):
        began.append(True)
        return real(self, *a, **kw)

    monkeypatch.setattr(Store, "transaction", watched)
    records = DEFS + [position(i, actor="macron", question="troops") for i in range(BULK_THRESHOLD + 5)]
    records[-1] |= {"date": "yesterday-ish"}
    with pytest.raises(TrackerError, match=f"line {len(records)}: "):
        load(store, lines_of(records))
    assert began == []
    assert store.count_positions() == 0


def test_a_dry_run_of_a_bulk_file_reports_and_writes_nothing(store):
    records = [position(i, actor="macron", question="troops", quote=f"q{i}") for i in range(BULK_THRESHOLD + 5)] + DEFS
    report = load(store, lines_of(records), dry_run=True)
    assert report.counts[("position", "created")] == BULK_THRESHOLD + 5
    assert report.lines()[-1] == "dry run: nothing was written"
    assert store.count_positions() == 0 and store.count_actors() == 0


def test_progress_is_told_of_lines_read_then_positions_written(store):
    """The place a progress bar hooks in: lines read in the first pass, positions written
    in the second."""
    seen = []
    records = DEFS + [position(i, actor="macron", question="troops") for i in range(BULK_THRESHOLD + 5)]
    load(store, lines_of(records), progress=lambda stage, n: seen.append((stage, n)))
    stages = [s for s, _ in seen]
    assert stages == sorted(stages, key=["read", "written"].index)
    assert seen[stages.index("written") - 1] == ("read", len(records))
    assert seen[-1] == ("written", BULK_THRESHOLD + 5)


def test_a_spool_gives_back_its_rows_in_order():
    with Spool(batch=3) as spool:
        rows = [(i, f"text {i}", None, 1.5, "ü\x00") for i in range(10)]
        for row in rows:
            spool.append(row)
        assert spool.count == 10
        assert [r for batch in spool.batches() for r in batch] == rows


def test_a_bulk_import_into_an_emptied_table_indexes_the_ids_the_rows_took(store):
    """Ids are never reused (AUTOINCREMENT, where the schema has it): once every position is
    deleted, a large import's rows take ids above the old ones, and a uid given twice may
    use one up; the search index built aside must know each row by its own id."""
    records = DEFS + [position(i, actor="macron", question="troops", quote=f"first {i}") for i in range(BULK_THRESHOLD + 5)]
    load(store, lines_of(records))
    store.conn.execute("DELETE FROM positions")
    again = [position(i, actor="macron", question="troops", quote=f"second {i}") for i in range(BULK_THRESHOLD + 5)]
    again.insert(3, position(7, actor="macron", question="troops", quote="second 7"))  # its uid twice, in one batch
    again[7] |= {"notes": "changed"}
    report = load(store, lines_of(DEFS + again))
    assert report.counts[("position", "created")] == BULK_THRESHOLD + 5
    assert store.check() == []
    assert store.search("first", limit=5) == []
    hits = store.search("second 9999", prefix=False)
    assert [h.kind for h in hits] == ["position"]
    (uid,) = store.conn.execute("SELECT uid FROM positions WHERE id = ?", (hits[0].id,)).fetchone()
    (quote,) = store.conn.execute("SELECT quote FROM positions WHERE uid = ?", (uid,)).fetchone()
    assert quote == "second 9999"
    for h in store.search("second", limit=20):
        (quote,) = store.conn.execute("SELECT quote FROM positions WHERE id = ?", (h.id,)).fetchone()
        assert quote.startswith("second")
