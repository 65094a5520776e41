"""One `tracker sync DIR`: write the file's data into the clone, commit, pull, read the
merged data back into the file, push; and the report of what came in and went out.

Nothing is written to the SQLite file before the merged layout has been read and
checked whole, and then in one transaction: every bad state before that (not a clone,
a dirty tree, a merge that failed, a file broken by hand) leaves it as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tracker.store import Store
from tracker.sync import git, layout
from tracker.sync.apply import Applied, apply
from tracker.sync.git import SyncError
from tracker.sync.merge import label

CONFLICT = "Tracker-Conflict: "  # a line of a merge commit's message: one conflict, as JSON


@dataclass
class Report:
    applied: Applied
    committed: int = 0  # records changed in this clone's commit
    sha: str | None = None
    pushed: str | None = None  # "remote/branch", when pushed
    conflicts: list[dict] = field(default_factory=list)
    kept_labels: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        a = self.applied
        out = f"out: {self.committed} record{'s' if self.committed != 1 else ''} committed"
        out += f" ({self.sha[:10]})" if self.sha else " (nothing new)"
        if self.pushed:
            out += f", pushed to {self.pushed}"
        lines = [f"in: {a.added} added, {a.updated} updated, {a.deleted} deleted; {out}"]
        if not self.conflicts and not self.kept_labels:
            return lines + ["conflicts: none"]
        lines.append(f"conflicts: {len(self.conflicts) + len(self.kept_labels)}")
        for c in self.conflicts:
            if c["kind"] == "both-edited":
                lines.append(
                    f"  {c['label']}: {c['field']} changed on both sides; kept {_value(c['kept'])} ({c['kept_at'] or 'no time'}),"
                    f" set aside {_value(c['set_aside'])} ({c['set_aside_at'] or 'no time'}) in its history"
                )
            else:
                lines.append(f"  {c['label']}: deleted on one side, edited on the other; the edit was kept")
        lines.extend(f"  {name}: your deletion met an edit from the team; the edited position is back" for name in self.kept_labels)
        return lines


def _value(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def sync(store: Store, folder: Path) -> Report:
    root = git.top_level(folder)
    if git.merging(root):
        raise SyncError(f"{root} is in the middle of a merge: finish it or run `git -C {root} merge --abort`, then sync again")
    dirty = git.dirty_outside(root, layout.DATA)
    if dirty:
        more = f" and {len(dirty) - 1} more" if len(dirty) > 1 else ""
        raise SyncError(f"{root} has changes outside {layout.DATA}/ ({dirty[0]}{more}): commit or remove them first")
    name = git.branch(root)
    conflicts_file = git.git_path(root, git.CONFLICTS)
    conflicts_file.unlink(missing_ok=True)

    # The team's branch, fetched first: a clone with no commit yet starts from it.
    remote = git.remote(root, name)
    upstream = None
    if remote is not None:
        git.run(root, "fetch", "--quiet", remote)
        ref = f"refs/remotes/{remote}/{name}"
        if git.run(root, "rev-parse", "-q", "--verify", ref, check=False).returncode == 0:
            upstream = ref
    who = git.identity(root)
    if upstream is not None and git.head(root) is None:
        git.run(root, "merge", "--quiet", "--ff-only", upstream)
    git.set_up_driver(root)

    # (1) the file's data into the layout, (2) committed if anything changed.
    try:
        written = layout.write(store.conn, root)
    except layout.LayoutError as e:
        raise SyncError(f"{e}; the file was not changed (fix or remove that dataset file in {root} and sync again)") from None
    ours = written.mine
    git.run(root, "add", "--all", "--", layout.DATA, ".gitattributes")
    report = Report(Applied(), committed=written.records)
    if git.head(root) is None or git.run(root, "diff", "--cached", "--quiet", check=False).returncode != 0:
        git.run(root, *who, "commit", "--quiet", "--no-verify", "-m", f"tracker sync: {written.records} records")
        report.sha = git.head(root)
    else:
        report.committed = 0

    # (3) merge the team's branch. The conflicts the merge driver found go into the merge
    # commit's message, so that the clone whose value was kept reads them too, and keeps
    # the value set aside in its history as well.
    if upstream is not None:
        before = git.head(root)
        merged = git.run(root, *who, "merge", "--no-commit", "--quiet", "--allow-unrelated-histories", upstream, check=False)
        if merged.returncode != 0:
            said = [t for t in merged.stderr.splitlines() if t.startswith("tracker merge-driver: ")]
            failure = said[0].removeprefix("tracker merge-driver: ") if said else git.last_line(merged)
            if git.merging(root):
                git.run(root, "merge", "--abort", check=False)
            conflicts_file.unlink(missing_ok=True)
            raise SyncError(f"the merge with {remote}/{name} failed ({failure}); it was undone and the file was not changed")
        if git.merging(root):
            found = "\n".join(CONFLICT + json.dumps(c) for c in _read_conflicts(conflicts_file))
            message = ["-m", f"tracker sync: merge {remote}/{name}"] + (["-m", found] if found else [])
            git.run(root, *who, "commit", "--quiet", "--no-verify", *message)
        report.conflicts = _conflicts_since(root, before)

    # (4) the merged layout into the file, in one transaction.
    try:
        merged_layout = layout.read(root, ours)
    except layout.LayoutError as e:
        raise SyncError(f"{e}; the file was not changed (fix the dataset file in {root} and sync again)") from None
    report.applied = apply(store, merged_layout, ours, report.conflicts)
    report.kept_labels = [label(merged_layout.positions[uid] | {"date": merged_layout.positions[uid]["date"].edtf})
                          for uid in report.applied.kept_over_deletion]
    conflicts_file.unlink(missing_ok=True)

    # (5) push.
    if remote is not None:
        pushed = git.run(root, "push", "--quiet", remote, f"HEAD:refs/heads/{name}", check=False)
        if pushed.returncode != 0:
            raise SyncError(
                f"the push to {remote} was refused ({git.last_line(pushed)}); the file has the merged data: run sync again"
            )
        if upstream is None:
            git.run(root, "branch", "--quiet", f"--set-upstream-to={remote}/{name}", check=False)
        report.pushed = f"{remote}/{name}"
    return report


def _conflicts_since(root: Path, before: str | None) -> list[dict]:
    """The conflicts recorded in the messages of the commits merged in since ``before``."""
    log = git.run(root, "log", "--format=%B", f"{before}..HEAD" if before else "HEAD").stdout
    out = []
    for text in log.splitlines():
        if text.startswith(CONFLICT):
            try:
                c = json.loads(text.removeprefix(CONFLICT))
            except json.JSONDecodeError:
                continue  # a message edited by hand: only the report and history miss it
            needs = {"kind", "type", "uid", "label"} | ({"field", "kept", "set_aside", "kept_at", "set_aside_at"}
                                                       if isinstance(c, dict) and c.get("kind") == "both-edited" else set())
            if isinstance(c, dict) and needs <= c.keys():
                out.append(c)
    return out


def _read_conflicts(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(t) for t in text.splitlines() if t.strip()]
