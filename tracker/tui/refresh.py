"""Keeping what is on screen in step with the file and the theme."""

from __future__ import annotations

from textual.screen import Screen


def reload_on_change(screen: Screen) -> None:
    """Run ``screen.load()`` again when the data changes (a save, a deletion, an undo)
    or the theme does (its Rich renderables hold colours worked out for the old background)."""
    screen.app.theme_changed_signal.subscribe(screen, lambda _theme: screen.load())  # type: ignore[attr-defined]
    screen.app.data_changed_signal.subscribe(screen, lambda _change: screen.load())  # type: ignore[attr-defined]
