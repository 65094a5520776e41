"""Writing files we did not make the folder of: a fresh temporary name created exclusively
beside the target (no link followed, no name reused), then a rename; our own stale partial
files cleaned. Used by the exports (tracker/formats/output.py) and the backup (the store)."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

PARTIAL_SUFFIX = ".tracker-partial"
STALE_AFTER = 3600  # seconds: a partial file older than this was left by a process that died
_PARTIAL_NAME = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(PARTIAL_SUFFIX) + r"(-journal)?")


def temporary_beside(target: Path) -> tuple[int, Path]:
    """A new, empty file in ``target``'s folder, created exclusively under a fresh name (no
    link followed, no name reused, mode 0600): its descriptor and path. Stale ones left
    behind by a process that died are removed first."""
    remove_stale_partials(target.parent)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX)
    return fd, Path(name)


def remove_stale_partials(folder: Path, *, older_than: float = STALE_AFTER) -> None:
    """Remove our own partial files (exactly our name pattern, regular files of this user,
    never through a link) older than ``older_than`` seconds from ``folder``."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not _PARTIAL_NAME.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than:
                continue
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                continue
            os.unlink(entry.path)  # removes the entry itself, never what a link points to
        except OSError:
            continue


def new_file_mode(target: Path) -> int:
    """The mode the written file gets: that of the file it replaces, else that of a new file."""
    try:
        info = os.lstat(target)
        if stat.S_ISREG(info.st_mode):
            return stat.S_IMODE(info.st_mode) & 0o777
    except OSError:
        pass
    return 0o666 & ~_umask()


def _umask() -> int:
    try:  # without changing it: os.umask would, for an instant, for every thread
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
