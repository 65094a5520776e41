"""What was typed in the entry forms outlives the interface.

The typed text of every open form (nested ones too: a new actor's form opened from a
position's) is kept in a draft file a moment after each change (``DRAFT_DELAY``) and once
more as the interface ends: ``q``, ``ctrl+q``, its terminal closed. The next start on the
same database reopens those forms over the first view, their text as it was, with a line
that says so; once they are closed (saved, or dropped after the usual question) the draft
is gone. An interface killed outright loses at most the last moment of typing.

Each running interface has its own file, ``<drafts folder>/<database>-<pid>-<random>.json``,
and holds a lock on ``<same>.lock`` while it runs: a draft whose lock is free was left by an interface
that has ended, and the next one to start on that database takes it over. Two interfaces
on one database never write over each other's drafts.

The folder is ``$XDG_STATE_HOME/tracker/drafts`` (by default ``~/.local/state/tracker/drafts``).
Its files are read as untrusted: a file out of shape is left alone and said in one line,
and texts go back into the fields as plain text, whatever they hold.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import zlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tracker.files import sync_folder, temporary_beside

DRAFT_DELAY = 1.0  # seconds after the last change before the draft file is written
FORMAT = 1  # the version of the file's layout
_MAX_BYTES = 4 * 1024 * 1024  # a draft file larger than this is not one of ours


def drafts_folder() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "tracker" / "drafts"


@dataclass
class FormDraft:
    """One open form with typed text: what it was opened with, and what was typed."""

    kind: str  # the form's DRAFT_KIND (tracker.tui.forms.reopen.make_form opens each)
    args: dict[str, Any]  # what the form was opened with (the record edited, a capture's prefill...)
    fields: dict[str, str]  # field id -> the text typed
    chosen: dict[str, int] = field(default_factory=dict)  # lookup field id -> the id of the record chosen
    opened_for: str | None = None  # the field of the form below that this form makes a record for


@dataclass
class Draft:
    """A draft file: the forms, bottom to top, and when they were kept."""

    forms: list[FormDraft]
    kept_at: str  # ISO date and time, local


def database_key(db_path: Path) -> str:
    """The start of the file names of a database's drafts: its file name (letters, digits,
    ``.-_`` kept) and a checksum of its whole path."""
    resolved = str(Path(db_path).resolve())
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", Path(resolved).name)[:40] or "database"
    return f"{stem}-{zlib.crc32(resolved.encode('utf-8', 'surrogateescape')):08x}"


class DraftKeeper:
    """This interface's draft file for one database, and those left by ended ones."""

    def __init__(self, db_path: Path, folder: Path | None = None):
        self.folder = folder if folder is not None else drafts_folder()
        self.key = database_key(db_path)
        self.path = self.folder / f"{self.key}-{os.getpid()}-{os.urandom(4).hex()}.json"
        self._lock_fd: int | None = None  # taken with the first draft written
        self.written = False  # this keeper's file exists
        self.closed = False

    def _lock(self) -> None:
        """Take this interface's lock, before its first draft (the folder made if needed)."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
        self._lock_fd = fd

    def close(self) -> None:
        """The interface ends: let go of the lock; the draft file stays (for the next start)
        if there is one. Nothing is written after."""
        self.closed = True
        if self._lock_fd is None:
            return
        if not self.written:
            _remove(self.path.with_suffix(".lock"))
        os.close(self._lock_fd)
        self._lock_fd = None

    def write(self, forms: list[FormDraft]) -> None:
        """Keep ``forms`` (or remove the file when there are none). Written under a fresh
        temporary name beside it, then renamed: a reader sees the old draft or the new.
        OSError when the folder or the file cannot be written."""
        if self.closed:
            return
        if not forms:
            if self.written:
                _remove(self.path)
                self.written = False
            return
        if self._lock_fd is None:
            self._lock()
        data = {"format": FORMAT, "kept_at": datetime.now().isoformat(timespec="seconds"),
                "forms": [asdict(form) for form in forms]}  # fmt: skip
        fd, partial = temporary_beside(self.path)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, self.path)
        except BaseException:
            _remove(partial)
            raise
        sync_folder(self.folder)
        self.written = True

    def left_behind(self) -> list[tuple[Path, Draft | str]]:
        """The drafts of this database left by interfaces that have ended (their lock free):
        each file with its draft, or a one-line reason it cannot be read."""
        found: list[tuple[Path, Draft | str]] = []
        try:
            names = sorted(os.listdir(self.folder))
        except OSError:
            return found
        pattern = re.compile(re.escape(self.key) + r"-\d+-[0-9a-f]{8}\.json")
        for name in names:
            path = self.folder / name
            if not pattern.fullmatch(name) or path == self.path or not _ended(path.with_suffix(".lock")):
                continue
            found.append((path, read_draft(path)))
        return found

    def forget(self, path: Path) -> None:
        """Remove a draft taken over (or refused) and its lock file."""
        _remove(path)
        _remove(path.with_suffix(".lock"))


def _ended(lock: Path) -> bool:
    """Whether the interface that locked ``lock`` has ended (no lock file: it has)."""
    try:
        fd = os.open(lock, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def read_draft(path: Path) -> Draft | str:
    """The draft in ``path``, or why it cannot be used (one line)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as f:
            raw = f.read(_MAX_BYTES + 1)
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    if len(raw) > _MAX_BYTES:
        return "is too large to be a draft"
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError
        forms = [_form(item) for item in data["forms"]]
        kept_at = data["kept_at"]
        if not isinstance(kept_at, str) or not forms:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return "is not a draft this version of Position Tracker wrote"
    return Draft(forms, kept_at)


def _form(item: object) -> FormDraft:
    if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
        raise ValueError
    args, fields, chosen = item.get("args"), item.get("fields"), item.get("chosen", {})
    opened_for = item.get("opened_for")
    if not (isinstance(args, dict) and isinstance(fields, dict) and isinstance(chosen, dict)):
        raise ValueError
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items()):
        raise ValueError
    if not all(isinstance(k, str) and type(v) is int for k, v in chosen.items()):
        raise ValueError
    if opened_for is not None and not isinstance(opened_for, str):
        raise ValueError
    return FormDraft(item["kind"], args, fields, chosen, opened_for)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def kept_at_words(kept_at: str) -> str:
    """``11:20 on 7 Dec 2026`` from a draft's ISO time (the text itself if it is not one)."""
    try:
        when = datetime.fromisoformat(kept_at)
    except ValueError:
        return kept_at
    return f"{when:%H:%M} on {when.day} {when:%b %Y}"
