"""Backing up the live file: a consistent copy, never a partial one, never overwriting.

``Store.backup`` (``tracker backup``) calls :func:`backup`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tracker.errors import TrackerError
from tracker.files import new_file_mode, sync_folder, temporary_beside
from tracker.store.database import describe_error


def backup(conn: sqlite3.Connection, dest: str | Path) -> Path:
    """A consistent copy of the file open on ``conn``, taken with SQLite's online backup.

    The copy is written beside ``dest`` under a temporary name and renamed when
    complete, so ``dest`` is never a partial copy; a failure leaves nothing behind.
    """
    dest = Path(dest)
    if dest.is_dir():
        raise TrackerError(f"{dest} is a directory; give the name of a new file to back up to")
    if os.path.lexists(dest):  # a file, or a link (even a broken one): never written through
        raise TrackerError(f"{dest} already exists; choose a new file name")
    if not dest.parent.exists():
        raise TrackerError(f"cannot write {dest}: the directory {dest.parent} does not exist")
    if not os.access(dest.parent, os.W_OK | os.X_OK):
        raise TrackerError(f"cannot write {dest}: the folder {dest.parent} is read-only")
    partial: Path | None = None
    fd = -1
    target = None
    try:
        fd, partial = temporary_beside(dest)  # created exclusively, under a fresh name
        # nofollow: SQLite refuses the name if it has been swapped for a link meanwhile;
        # mode=rw: nor does it create the file if it has been removed.
        uri = partial.resolve().as_uri() + "?mode=rw&nofollow=1"
        target = sqlite3.connect(uri, uri=True)
        conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        target.close()
        target = None
        if not os.path.samestat(os.fstat(fd), os.lstat(partial)):
            raise TrackerError(f"cannot write {dest}: its temporary file was replaced by another program")
        os.fchmod(fd, new_file_mode(dest))
        os.fsync(fd)
        try:
            os.link(partial, dest)  # fails if dest exists, whatever it is: never overwrites
        except FileExistsError:
            raise TrackerError(f"{dest} was created by another program meanwhile; choose a new file name") from None
        except OSError:  # a file system without hard links
            if os.path.lexists(dest):
                raise TrackerError(f"{dest} was created by another program meanwhile; choose a new file name") from None
            os.replace(partial, dest)
        sync_folder(dest.parent)
    except sqlite3.Error as e:
        raise TrackerError(describe_error(e, dest, doing="write")) from None
    except OSError as e:
        raise TrackerError(f"cannot write {dest}: {e.strerror or e}") from None
    finally:
        if target is not None:
            target.close()
        if fd >= 0:
            os.close(fd)
        if partial is not None:
            for leftover in (partial, Path(f"{partial}-journal")):
                leftover.unlink(missing_ok=True)
    return dest
