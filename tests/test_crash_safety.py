"""A writer killed (SIGKILL) at any moment leaves every entry it acknowledged and a
file that passes `tracker check`.

Writers: a loop of `tracker add` commands, single `tracker add` processes, `tracker
import` (all or nothing), and the interface saving positions from its form. The
kill moments are random with a fixed seed (see ``proc_helpers.SEED``); what must
hold does not depend on where the kill lands. Writers are forked from a driver
that has already imported everything (``drivers/zygote.py``), so that the kills
land in the writing rather than in Python's start-up.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from pathlib import Path

from proc_helpers import (
    SCALE,
    Child,
    Zygote,
    import_file,
    imported,
    new_db,
    query,
    rng,
    run,
    store_check,
    tracker_check,
    tracker_cmd,
)

from tracker.store.bulk import BULK_THRESHOLD

ADD_LOOP_RUNS = 14 * SCALE
ADD_COMMANDS = 6 * SCALE
IMPORT_RUNS = 6 * SCALE
TUI_RUNS = 3 * SCALE


def is_id(line: str) -> bool:
    return line.isascii() and line.isdigit()


class Ledger:
    """What writers tried and what they acknowledged, by marker."""

    def __init__(self) -> None:
        self.tried: set[str] = set()
        self.acked: dict[str, object] = {}  # marker -> the id (or slug) the writer printed

    def present_unacked(self, present: set[str], prefix: str) -> set[str]:
        return {m for m in present if m.startswith(prefix) and m not in self.acked}


def assert_kept(ledger: Ledger, present: dict[str, object], prefix: str, *, kind: str) -> None:
    """Every acknowledged entry is there (with the id it was acknowledged with), nothing
    is there twice or that no writer tried, and of this run's entries at most the one
    in flight when the kill came is there without having been acknowledged."""
    missing = [m for m, value in ledger.acked.items() if present.get(m) != value]
    assert not missing, f"acknowledged {kind}s lost after a kill: {missing[:10]}"
    unknown = [m for m in present if m not in ledger.tried]
    assert not unknown, f"{kind}s that no writer tried: {unknown[:10]}"
    unacked = ledger.present_unacked(set(present), prefix)
    assert len(unacked) <= 1, f"{kind}s written but never acknowledged by one run: {sorted(unacked)}"


def markers(db: Path, sql: str) -> dict[str, object]:
    rows = query(db, sql)
    counts = Counter(m for m, _ in rows)
    twice = [m for m, n in counts.items() if n > 1]
    assert not twice, f"entries written twice: {twice[:10]}"
    return {m: value for m, value in rows}


# ---------------------------------------------------------------------- tracker add


def test_a_killed_loop_of_tracker_add_keeps_every_acknowledged_entry(tmp_path):
    """`tracker add actor` and `tracker add position` (some creating their source) again
    and again, killed after a random number of acknowledgements plus a random delay."""
    r = rng("add-loop")
    db = new_db(tmp_path / "t.db")
    positions, actors = Ledger(), Ledger()
    killed = 0
    with Zygote("add_loop") as zygote:
        for n in range(ADD_LOOP_RUNS):
            prefix = f"r{n}-"
            writer = zygote.start(db, f"r{n}")
            writer.wait_count(is_id, r.randrange(0, 12))
            time.sleep(r.uniform(0, 0.05))
            code = writer.kill()
            killed += code == -9
            lines = writer.lines
            assert not any(line.startswith("failed") for line in lines), "\n".join(lines[-5:]) + zygote.stderr
            for line, reply in zip(lines, lines[1:] + [""]):
                if not line.startswith("try "):
                    continue
                _, kind, marker = line.split()
                ledger = positions if kind == "position" else actors
                ledger.tried.add(marker)
                if kind == "position" and is_id(reply):
                    ledger.acked[marker] = int(reply)
                elif kind == "actor" and reply == marker:
                    ledger.acked[marker] = marker
            assert_kept(positions, markers(db, "SELECT notes, id FROM positions"), prefix, kind="position")
            assert_kept(actors, markers(db, "SELECT slug, slug FROM actors WHERE slug LIKE 'r%-a%'"), prefix, kind="actor")
            store_check(db)
        assert "Traceback" not in zygote.stderr, zygote.stderr
    assert killed == ADD_LOOP_RUNS  # every run was still writing when killed
    assert len(positions.acked) >= ADD_LOOP_RUNS  # and the kills were spread over many writes
    tracker_check(db)


def test_killed_tracker_add_processes_keep_every_acknowledged_position(tmp_path):
    """Whole `tracker add position` processes, killed at a random moment of their life
    (start-up, opening the file, writing, exiting): exit 0 means the position is there."""
    r = rng("add-process")
    db = new_db(tmp_path / "t.db")
    ledger = Ledger()

    def command(n: int) -> list[str]:
        return tracker_cmd(
            "--db", db, "add", "position", "--actor", "alpha", "--question", "crash", "--stance", "open",
            "--date", f"{1990 + n}-02-26", "--source", f"https://example.org/p{n}", "--notes", f"p{n}",
        )  # fmt: skip

    started = time.monotonic()
    first = run(command(0))  # how long one takes, here and now
    took = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    ledger.tried.add("p0")
    ledger.acked["p0"] = int(first.stdout)
    for n in range(1, ADD_COMMANDS + 1):
        with Child(command(n)) as child:
            time.sleep(r.uniform(0.1, 1.1) * took)
            child.kill()
            ledger.tried.add(f"p{n}")
            if child.proc.returncode == 0:
                assert child.lines and is_id(child.lines[0]), child.describe()
                ledger.acked[f"p{n}"] = int(child.lines[0])
            else:
                assert child.killed and child.proc.returncode == -9, child.describe()
        assert_kept(ledger, markers(db, "SELECT notes, id FROM positions"), f"p{n}", kind="position")
        store_check(db)
    tracker_check(db)


# ---------------------------------------------------------------------- tracker import


def test_a_killed_import_leaves_all_of_it_or_none(tmp_path, monkeypatch):
    """Imports big enough to take the bulk path (indexes dropped and rebuilt inside the
    transaction) and smaller ones, killed at a random moment: the file then holds all
    of the import or none of it, and passes the check; and no temporary file is left
    (the second process that builds a bulk load's search index removes its own)."""
    r = rng("import")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))  # the imports' temporary files go there
    template = new_db(tmp_path / "template.db")
    took: dict[int, float] = {}
    outcomes = Counter()
    for n in range(IMPORT_RUNS):
        size = BULK_THRESHOLD if n % 2 == 0 else 2_000  # the bulk path, then the ordinary one
        tag = f"imp{n}"
        db = tmp_path / f"{tag}.db"
        shutil.copyfile(template, db)
        data = import_file(tmp_path / f"{tag}.jsonl", tag, size)
        with Child(tracker_cmd("--db", db, "import", data)) as child:
            if size not in took:  # the first of each size runs to the end: how long it takes
                child.finish(timeout=120)
                took[size] = time.monotonic() - child.started
            else:
                time.sleep(r.uniform(0.2, 0.9) * took[size])
                child.kill()
        counts = imported(db, tag)
        if child.proc.returncode == 0:
            assert f"positions: {size} created" in "\n".join(child.lines), child.describe()
            assert counts == (size, 3, 2), f"an import that exited 0 is incomplete: {counts}"
            outcomes["complete"] += 1
        else:
            assert child.killed, child.describe()
            assert counts in ((0, 0, 0), (size, 3, 2)), f"a killed import left part of itself: {counts}"
            outcomes["killed, all" if counts[0] else "killed, none"] += 1
        store_check(db)
    assert outcomes["killed, none"] >= 1, outcomes  # kills did land inside imports
    tracker_check(db)
    deadline = time.monotonic() + 10  # a second process of a killed import ends once it reads that it is alone
    while list(temporary.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(temporary.iterdir()) == []


# ---------------------------------------------------------------------- the interface


def test_the_interface_killed_while_saving_keeps_every_acknowledged_save(tmp_path):
    """The real app, saving from its position form (n, type, ctrl+s) in a loop, killed
    after a random number of saves plus a random delay. A save counts once the form
    has closed and the app has said "Added: …"."""
    r = rng("tui")
    db = new_db(tmp_path / "t.db", position=True)
    ledger = Ledger()
    acks = 0
    with Zygote("tui_saver", timeout=180) as zygote:
        for n in range(TUI_RUNS):
            writer = zygote.start(db, f"u{n}")
            writer.index_of(lambda line: line == "ready", timeout=120)
            # Every other run saves once before the kill's random delay starts.
            writer.wait_count(lambda line: line.startswith("ack "), (n + 1) % 2, timeout=120)
            time.sleep(r.uniform(0, 0.8))
            assert writer.kill() == -9, "\n".join(writer.lines) + zygote.stderr
            lines = writer.lines
            notices = [line for line in lines if line.startswith("notice")]
            assert not notices, notices
            for line in lines:
                if line.startswith("ack "):
                    ledger.acked[line.split()[1]] = line.split()[1]
            present = markers(db, "SELECT quote, quote FROM positions WHERE quote LIKE 'u%-%'")
            # Each save tries the next marker; the one after the last acknowledged may be in flight.
            ledger.tried |= {f"u{n}-{i}" for i in range(len([x for x in lines if x.startswith("ack ")]) + 1)}
            assert_kept(ledger, present, f"u{n}-", kind="save")
            acks += sum(line.startswith("ack ") for line in lines)
            store_check(db)
        assert "Traceback" not in zygote.stderr, zygote.stderr
    assert acks >= 1
    tracker_check(db)
