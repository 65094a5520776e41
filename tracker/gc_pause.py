"""Pausing Python's cyclic garbage collector around work that builds many objects.

Process plumbing, not a rule of the domain, so it sits beside :mod:`tracker.errors` at the
bottom of the house where every layer may use it: the importer, the markdown report and the
``movers`` command each build hundreds of thousands of records, none in a reference cycle,
and each collection would walk them all again for nothing to free. Memory is unchanged
(reference counting frees them); the collector resumes afterwards, as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused inside the block, and switched on again after
    it only if it was on before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
