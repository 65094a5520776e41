"""A write waits for another program's (a long import) instead of failing after the busy timeout."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tracker.errors import StoreError
from tracker.store import Store
from tracker.store import transactions as store_module


def hold_write_lock(path, seconds: float) -> threading.Thread:
    """Another program's write transaction, held for ``seconds`` (started before this returns)."""
    started = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait(5)
    return thread


def test_a_write_outlasting_the_busy_timeout_waits_and_says_so(tmp_path):
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        store.conn.execute("PRAGMA busy_timeout = 100")  # each try gives up after 0.1 s
        told = []
        store.on_wait = lambda: told.append(time.monotonic())
        holder = hold_write_lock(path, 0.8)
        start = time.monotonic()
        store.add_actor("Olaf Scholz", slug="scholz")  # would fail after 0.1 s without waiting
        assert time.monotonic() - start >= 0.5
        holder.join()
        assert len(told) == 1  # once, not once a try
        assert store.resolve_actor("scholz").name == "Olaf Scholz"


def test_a_write_gives_up_in_words_after_the_longest_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "WRITE_WAIT_S", 0.3)
    path = tmp_path / "t.db"
    with Store.open(path) as store:
        store.conn.execute("PRAGMA busy_timeout = 100")
        holder = hold_write_lock(path, 1.5)
        with pytest.raises(StoreError, match="another program kept it busy for too long; nothing was written"):
            store.add_actor("Olaf Scholz", slug="scholz")
        holder.join()
        assert store.actors() == []


def test_tracker_add_tells_the_user_it_waits(tmp_path):
    path = tmp_path / "t.db"
    Store.open(path).close()
    holder = hold_write_lock(path, 12)  # longer than the 10 s busy timeout of one try
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(path), "add", "actor", "Olaf Scholz", "--slug", "scholz"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    holder.join()
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("waiting for another program to finish writing to") == 1
    assert "locked" not in done.stderr + done.stdout
    with Store.open(path) as store:
        assert store.resolve_actor("scholz").name == "Olaf Scholz"
