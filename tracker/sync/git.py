"""The git commands a sync runs in the clone, each said in one line when it fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tracker.errors import TrackerError

CONFLICTS = "tracker-conflicts.jsonl"  # in the clone's git folder: what the merge driver found
ATTRIBUTES = "tracker-data/** merge=tracker"
# Used for a commit only when git has no identity configured (a fresh machine, a test).
FALLBACK_IDENTITY = ("-c", "user.name=tracker sync", "-c", "user.email=tracker-sync@localhost")


class SyncError(TrackerError):
    """A state of the clone a sync cannot go on from; the SQLite file is left as it was."""


def run(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``git -C root ARGS``; a failure (with ``check``) is a SyncError holding git's last line."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, errors="replace")
    except FileNotFoundError:
        raise SyncError("git is not installed (or not on PATH); sync needs it") from None
    if check and done.returncode != 0:
        raise SyncError(f"git {args[0]} failed: {last_line(done)}")
    return done


def last_line(done: subprocess.CompletedProcess) -> str:
    lines = [t.strip() for t in (done.stderr or done.stdout or "").splitlines() if t.strip()]
    return lines[-1] if lines else f"exit status {done.returncode}"


def top_level(folder: Path) -> Path:
    """The clone's top folder; SyncError when ``folder`` is not in a git work tree."""
    if not folder.is_dir():
        raise SyncError(f"{folder} is not a folder (give the folder of a git clone of the team's dataset)")
    done = run(folder, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise SyncError(f"{folder} is not a git clone (make one with `git clone URL {folder}`, or `git init`)")
    return Path(done.stdout.strip())


def git_path(root: Path, name: str) -> Path:
    """A file in the clone's git folder."""
    path = Path(run(root, "rev-parse", "--git-path", name).stdout.strip())
    return path if path.is_absolute() else root / path


def dirty_outside(root: Path, data: str) -> list[str]:
    """Changed or untracked paths outside ``data``/ (and the .gitattributes sync writes)."""
    out = run(root, "status", "--porcelain", "-z", "--untracked-files=all").stdout
    paths = []
    entries = iter(out.split("\0"))
    for entry in entries:
        if not entry:
            continue
        if entry[0] in "RC":
            next(entries, None)  # a rename's source follows it
        path = entry[3:]
        if not (path.startswith(f"{data}/") or path == ".gitattributes"):
            paths.append(path)
    return paths


def merging(root: Path) -> bool:
    return run(root, "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode == 0


def set_up_driver(root: Path) -> None:
    """The merge driver, in .gitattributes and the clone's own config (once)."""
    attributes = root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if ATTRIBUTES not in text.splitlines():
        attributes.write_text(text + ("" if not text or text.endswith("\n") else "\n") + ATTRIBUTES + "\n", encoding="utf-8")
    command = f"{_shell(sys.executable)} -m tracker.sync.driver %O %A %B %P"
    if run(root, "config", "--local", "--get", "merge.tracker.driver", check=False).stdout.strip() != command:
        run(root, "config", "--local", "merge.tracker.name", "tracker: merge dataset records by uid and field")
        run(root, "config", "--local", "merge.tracker.driver", command)


def _shell(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def identity(root: Path) -> tuple[str, ...]:
    """Options giving git an identity for a commit, when it has none of its own."""
    named = run(root, "config", "user.name", check=False).stdout.strip()
    mailed = run(root, "config", "user.email", check=False).stdout.strip()
    return () if named and mailed else FALLBACK_IDENTITY


def head(root: Path) -> str | None:
    done = run(root, "rev-parse", "-q", "--verify", "HEAD", check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def branch(root: Path) -> str:
    done = run(root, "symbolic-ref", "--short", "-q", "HEAD", check=False)
    if done.returncode != 0:
        raise SyncError("the clone is not on a branch (a detached HEAD): check out the team's branch first")
    return done.stdout.strip()


def remote(root: Path, name: str) -> str | None:
    """The remote the branch follows, else "origin", else the only one; None without any."""
    configured = run(root, "config", f"branch.{name}.remote", check=False).stdout.strip()
    remotes = run(root, "remote").stdout.split()
    if configured in remotes:
        return configured
    if "origin" in remotes:
        return "origin"
    return remotes[0] if len(remotes) == 1 else None
