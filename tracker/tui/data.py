"""Database access for the interface: one Store per thread, opened on first use.

Screens never query on the UI thread; they call these from ``@work(thread=True)``
workers and post the results back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from tracker.store import Store


class StorePool:
    def __init__(self, path: Path, *, on_wait: Callable[[], None] | None = None):
        self.path = path
        self.on_wait = on_wait  # called (in the worker) when a write waits for another program's
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.path)
            store.on_wait = self.on_wait
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                try:
                    store.close()
                except Exception:  # a store of a finished thread may already be unusable
                    pass
            self._all.clear()
