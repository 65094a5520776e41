"""Database access for the interface: one Store per thread, opened on first use.

Screens never query on the UI thread; they call these from ``@work(thread=True)``
workers and post the results back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from tracker.store import Store
from tracker.store.undo import Run

CACHE_KB = 256  # the page cache of each of the interface's connections


def open_store(path: Path, **options) -> Store:
    """A Store for one of the interface's threads (``options`` as ``Store.open``'s). Its page
    cache is small: there is a connection a thread, SQLite's default cache (2 MB) each
    was a tenth of the interface's memory, and what a screen reads fits in 256 kB."""
    store = Store.open(path, **options)
    store.conn.execute(f"PRAGMA cache_size = -{CACHE_KB}")
    return store


class StorePool:
    def __init__(self, path: Path, *, on_wait: Callable[[], None] | None = None):
        self.path = path
        self.on_wait = on_wait  # called (in the worker) when a write waits for another program's
        self.run = Run()  # this run of the interface: what undo may reverse
        self._local = threading.local()
        self._all: list[tuple[threading.Thread, Store]] = []
        self._lock = threading.Lock()
        self._closed = False

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            # The revision log says what made a change, and in which run of the interface.
            store = open_store(self.path, origin="interface", run=self.run)
            store.on_wait = self.on_wait
            self._local.store = store
            with self._lock:
                if not self._closed:  # else the thread's own reference is the only one
                    self._all.append((threading.current_thread(), store))
        return store

    def close(self) -> None:
        """Close the connections of the threads that have finished, and this thread's.

        A worker still running keeps its connection: closing a connection while another
        thread is inside a call on it can crash the process. Its thread's reference is
        then the last, and the connection is closed when the thread ends."""
        with self._lock:
            self._closed = True
            stores, self._all = self._all, []
        me = threading.current_thread()
        for thread, store in stores:
            if thread is me or not thread.is_alive():
                try:
                    store.close()
                except Exception:  # a store of a finished thread may already be unusable
                    pass
