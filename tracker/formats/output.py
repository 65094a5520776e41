"""Writing an export file safely: all of it or nothing, never a half-written file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from tracker.errors import TrackerError

T = TypeVar("T")


def check_target(path: str | os.PathLike) -> Path:
    """The file to write, or TrackerError saying why it cannot be."""
    target = Path(path).expanduser()
    if not str(path).strip():
        raise TrackerError("give a file name")
    if target.is_dir():
        raise TrackerError(f"{target} is a directory; give a file name")
    if not target.parent.exists():
        raise TrackerError(f"cannot write {target}: the directory {target.parent} does not exist")
    return target


def write_file(path: str | os.PathLike, write: Callable[[IO[str]], T]) -> T:
    """Run ``write`` on a hidden file beside ``path``, then move it into place in one step."""
    target = check_target(path)
    if target.exists() and not target.is_file():  # /dev/null, a pipe: write to it, never replace it
        try:
            with target.open("w", encoding="utf-8", newline="") as out:
                return write(out)
        except OSError as e:
            raise TrackerError(f"cannot write {target}: {e.strerror or e}") from None
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            result = write(out)
        partial.replace(target)
    except OSError as e:
        raise TrackerError(f"cannot write {target}: {e.strerror or e}") from None
    finally:
        partial.unlink(missing_ok=True)
    return result
