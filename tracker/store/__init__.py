"""The store: one SQLite file. All SQL lives in this package; it knows nothing of screens."""

from tracker.store.database import LATEST_VERSION, connect, default_path, resolve_path
from tracker.store.store import Store

__all__ = ["LATEST_VERSION", "Store", "connect", "default_path", "resolve_path"]
