"""Keeping what is on screen in step with the file and the theme."""

from __future__ import annotations

import weakref

from tracker.tui.base import TrackerScreen


def reload_on_change(screen: TrackerScreen) -> None:
    """Run ``screen.load()`` again when the data changes (a save, a deletion, an undo)
    or the theme does (its Rich renderables hold colours worked out for the old background).

    The app's signals keep their subscribers in a WeakKeyDictionary, but a callback that
    holds the screen keeps it alive for as long as the app runs: every question opened
    and left stayed in memory with its thousands of statements (5-9 MB each on the
    million-position file). Textual's deferred callback holds the node it posts to, so the
    callback is immediate (``load`` only starts a worker) and holds the screen weakly: a
    screen that is left goes, and its subscriptions with it."""
    ref = weakref.ref(screen)

    def reload(_change: object) -> None:
        alive = ref()
        if alive is not None:
            alive.load()

    screen.app.theme_changed_signal.subscribe(screen, reload, immediate=True)
    screen.app.data_changed_signal.subscribe(screen, reload, immediate=True)
