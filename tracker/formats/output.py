"""Writing an export file safely: all of it or nothing, never a half-written file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from tracker.errors import TrackerError
from tracker.files import new_file_mode, sync_folder, temporary_beside

T = TypeVar("T")


def check_target(path: str | os.PathLike, *, database: Path | None = None) -> Path:
    """The file to write, or TrackerError saying why it cannot be (among others: it is the
    ``database`` being exported, or one of SQLite's files beside it)."""
    target = Path(path).expanduser()
    if not str(path).strip():
        raise TrackerError("give a file name")
    if target.is_dir():
        raise TrackerError(f"{target} is a directory; give a file name")
    if not target.parent.exists():
        raise TrackerError(f"cannot write {target}: the directory {target.parent} does not exist")
    if database is not None and _is_database(target, Path(database)):
        raise TrackerError(f"{target} is the database itself (or one of its files); choose another file name")
    return target


def _is_database(target: Path, database: Path) -> bool:
    for path in (database, *(database.with_name(database.name + end) for end in ("-wal", "-shm", "-journal"))):
        try:
            if target.resolve() == path.resolve() or (target.exists() and path.exists() and target.samefile(path)):
                return True
        except OSError:
            continue
    return False


def write_file(path: str | os.PathLike, write: Callable[[IO[str]], T], *, database: Path | None = None) -> T:
    """Run ``write`` on a new temporary file in ``path``'s folder, created exclusively, then
    rename it over ``path`` in one step (never over ``database``, see :func:`check_target`).

    A link planted at any predictable name cannot redirect the write; a link at ``path``
    itself is replaced by the file, not followed (unless it leads to a device or a pipe,
    such as /dev/stdout: those are written to). Two writers to one target each rename a
    complete file: the last one wins. On failure the target is left as it was.
    """
    target = check_target(path, database=database)
    if target.exists() and not target.is_file():  # /dev/null, a pipe: write to it, never replace it
        try:
            with target.open("w", encoding="utf-8", newline="") as out:
                return write(out)
        except OSError as e:
            raise TrackerError(f"cannot write {target}: {e.strerror or e}") from None
    partial: Path | None = None
    try:
        fd, partial = temporary_beside(target)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            result = write(out)
            out.flush()
            os.fchmod(out.fileno(), new_file_mode(target))
            os.fsync(out.fileno())
        os.replace(partial, target)
        partial = None
        sync_folder(target.parent)
    except OSError as e:
        raise TrackerError(f"cannot write {target}: {e.strerror or e}") from None
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
    return result
