"""Regenerate the markdown examples in this folder from the bundled demo dataset.

    .venv/bin/python docs/examples/make.py

Each example is what `tracker export markdown` writes for the demo data, with a
fixed --as-of so that the files change only when the data or the format does
(tests/test_markdown.py checks that they are up to date), and the seed's question
answered: `tracker export markdown --movers --tag weapons --roll-up`.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

from tracker import answers
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.formats.markdown import default_filename, write_markdown
from tracker.formats.movers_markdown import write_movers
from tracker.store import Store

HERE = Path(__file__).resolve().parent
AS_OF = date(2025, 1, 1)

# (question slug, actor slug, mermaid): `tracker export markdown [--question Q] [--actor A] --as-of 2025-01-01 [--mermaid]`
EXAMPLES = [
    ("ground-troops", None, True),
    (None, "macron", False),
    ("tanks", None, False),
]

MOVERS_TAG = "weapons"


def build(folder: Path = HERE) -> list[Path]:
    """Write every example into ``folder``; returns the paths written."""
    written = []
    with tempfile.TemporaryDirectory(prefix="tracker-examples-") as tmp:
        with Store.open(Path(tmp) / "demo.db") as store:
            with resources.files("tracker.data").joinpath("demo.jsonl").open(encoding="utf-8") as f:
                import_records(store, jsonl.read_records(f))
            for question, actor, mermaid in EXAMPLES:
                question_id = store.resolve_question(question).id if question else None
                actor_id = store.resolve_actor(actor).id if actor else None
                path = folder / default_filename(store, question_id, actor_id)
                with path.open("w", encoding="utf-8", newline="") as out:
                    write_markdown(store, out, question_id=question_id, actor_id=actor_id, as_of=AS_OF, mermaid=mermaid)
                written.append(path)
            path = folder / f"movers-{MOVERS_TAG}.md"
            report = answers.movers(store, answers.choose_questions(store, tag=MOVERS_TAG), roll_up=True, chronological=True)
            with path.open("w", encoding="utf-8", newline="") as out:
                write_movers(report, out)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
