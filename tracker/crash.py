"""Crash logs: when the interface stops on an unexpected error (a bug), its traceback goes
to a file of its own in the user's state folder, ``$XDG_STATE_HOME/tracker/`` (by default
``~/.local/state/tracker/``), named ``crash-YYYYmmdd-HHMMSS.log``.

The file is created exclusively (never an existing file, never through a link planted
under its name), readable by its owner only: a traceback can hold the data on screen.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

# The exit status of the interface after a crash: EX_SOFTWARE from sysexits.h, "an internal
# software error", apart from 1 (a user error) and 2 (a usage error).
CRASH_EXIT = 70


def state_dir() -> Path:
    """``$XDG_STATE_HOME/tracker``, by default ``~/.local/state/tracker`` (a relative
    $XDG_STATE_HOME is ignored, as the XDG specification says)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "tracker"


def _create(folder: Path, stamp: str) -> tuple[int, Path]:
    """A new file ``crash-STAMP.log`` (``-2``, ``-3``… when taken) in ``folder``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for n in range(1, 100):
        path = folder / (f"crash-{stamp}.log" if n == 1 else f"crash-{stamp}-{n}.log")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: too many crash logs named crash-{stamp}")


def report(error: BaseException, *, about: str = "", now: datetime | None = None) -> Path:
    """Write ``error``'s traceback (and what version of what ran) to a new crash log and
    return its path. Falls back to the temporary folder when the state folder cannot be
    written; OSError when neither can."""
    from tracker import __version__

    now = now or datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    lines = [
        f"Position Tracker {__version__} stopped on an unexpected error on {now.isoformat(sep=' ', timespec='seconds')}.",
        f"Python {platform.python_version()} on {platform.platform()}",
    ]
    try:
        from importlib.metadata import version

        lines.append(f"Textual {version('textual')}, Rich {version('rich')}")
    except Exception:  # a version we cannot read does not stop the log
        pass
    if about:
        lines.append(about)
    lines.append(f"Command: {' '.join(sys.argv)}")
    text = "\n".join(lines) + "\n\n" + "".join(traceback.format_exception(error))
    try:
        folder = state_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, path = _create(folder, stamp)
    except OSError:
        fd, name = tempfile.mkstemp(prefix=f"tracker-crash-{stamp}-", suffix=".log")
        path = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
        f.write(text)
    return path
