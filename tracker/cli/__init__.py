"""The command line: a thin face over the store, the domain and the formats.

``tracker.cli.group`` is the ``tracker`` group (its options, what the commands share, and
the table that loads each command's module only when the command runs); the commands are
grouped by concern: ``interface`` (tui, demo, capture), ``edit`` (add, edit, delete),
``browse`` (list, timeline, search), ``answers`` (diff, movers), ``exchange`` (import,
export), ``admin`` (backup, check), ``serve`` and ``sync``.
"""

from __future__ import annotations

from tracker.cli.group import cli, main

__all__ = ["cli", "main"]
