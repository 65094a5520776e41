"""git's merge driver for the dataset's files: ``python -m tracker.sync.driver %O %A %B %P``.

git gives the base, ours (where the result goes) and theirs of a file under
``tracker-data/``, and its path. The result is ``merge.merge``'s; the conflicts it found
are appended to ``tracker-conflicts.jsonl`` in the clone's git folder, which
``tracker sync`` reads and removes once the merge is done. A side that is not a dataset
file: one line on stderr and exit status 1 (git then reports a conflict, and the sync
aborts the merge); the file is left as git gave it, never with conflict markers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracker.errors import TrackerError
from tracker.sync.git import CONFLICTS, git_path
from tracker.sync.merge import merge


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print("usage: python -m tracker.sync.driver BASE OURS THEIRS PATH", file=sys.stderr)
        return 2
    base, ours, theirs, name = argv
    try:
        texts = [Path(p).read_text(encoding="utf-8") for p in (base, ours, theirs)]
        merged, conflicts = merge(*texts, name=name)
        conflicts_file = git_path(Path.cwd(), CONFLICTS) if conflicts else None
    except UnicodeDecodeError:
        print(f"tracker merge-driver: {name}: not UTF-8 text", file=sys.stderr)
        return 1
    except (TrackerError, OSError) as e:
        print(f"tracker merge-driver: {e}", file=sys.stderr)
        return 1
    Path(ours).write_text(merged, encoding="utf-8", newline="\n")
    if conflicts_file is not None:
        with open(conflicts_file, "a", encoding="utf-8") as f:
            f.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in conflicts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
