"""StorePool: one connection a thread, and closing it never pulls one from under a worker."""

import gc
import threading
import weakref

from tracker.store import Store
from tracker.tui.pool import StorePool


def test_each_thread_has_its_own_store_and_close_closes_the_finished_ones(tmp_path):
    Store.open(tmp_path / "t.db").close()
    pool = StorePool(tmp_path / "t.db")
    mine = pool.get()
    assert pool.get() is mine
    theirs = []
    worker = threading.Thread(target=lambda: theirs.append(pool.get()))
    worker.start()
    worker.join()
    assert theirs[0] is not mine
    pool.close()
    for store in (mine, theirs[0]):
        try:
            store.conn.execute("SELECT 1")
        except Exception as e:
            assert "closed" in str(e)
        else:
            raise AssertionError("a store of a finished thread was left open")


def test_close_leaves_a_running_worker_its_connection_until_the_worker_ends(tmp_path):
    Store.open(tmp_path / "t.db").close()
    pool = StorePool(tmp_path / "t.db")
    started, closed = threading.Event(), threading.Event()
    seen: dict = {}

    def worker():
        store = pool.get()
        seen["ref"] = weakref.ref(store)
        started.set()
        closed.wait(10)
        seen["after close"] = store.conn.execute("SELECT count(*) FROM positions").fetchone()[0]

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait(10)
    pool.close()  # as the app does on quitting, while the worker is mid-query
    closed.set()
    thread.join(10)
    assert seen["after close"] == 0
    gc.collect()
    assert seen["ref"]() is None  # the thread's reference was the last: the connection went with it
