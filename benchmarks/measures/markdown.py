"""The markdown measure: ``tracker export markdown`` vs ``sqlite3 -markdown`` of the same rows."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.datasets import Bench
from benchmarks.processes import shell, timed
from benchmarks.results import Result
from benchmarks.stats import median

MARKDOWN_SQL = """\
SELECT q.title AS question, p.date, a.name AS actor, l.label AS stance, p.quote, p.quote_lang AS language,
       p.paraphrase, p.context, s.title AS source
FROM positions p
JOIN questions q ON q.id = p.question_id
JOIN actors a ON a.id = p.actor_id
JOIN levels l ON l.id = p.level_id
LEFT JOIN sources s ON s.id = p.source_id
ORDER BY q.title COLLATE NOCASE, q.id, p.date_start, p.date_end, p.id"""



def measure_markdown(b: Bench) -> list[Result]:
    """The export of a file of ``--md-positions`` (or fewer): at a bigger size, the figures
    of the same file measured at an earlier size of the run, if any."""
    count = min(b.args.md_positions, b.positions)
    key = ("markdown", b.jsonl_path(count))
    if key in b.cache:
        return [replace(r, size=b.positions) for r in b.cache[key]]
    db = b.main_db if count == b.positions else b.database(b.jsonl(count))
    ours_argv = [*b.tracker, "--db", str(db), "export", "markdown"]
    if b.sqlite3 is None:
        ref_argv = None
    else:
        ref_argv = [b.sqlite3, "-readonly", "-markdown", str(db), MARKDOWN_SQL]
    ours, ref = [], []
    for i in range(b.runs):
        b.log(f"markdown {i + 1}/{b.runs}")
        ours.append(timed(ours_argv))
        if ref_argv:
            ref.append(timed(ref_argv))
    ref_text = shell(ref_argv[:-1], b.work) + " 'SELECT … (below)'" if ref_argv else "sqlite3 not found"
    results = [Result("markdown", f"Markdown export, {count:,} positions", median(ours), median(ref), "s", "ratio", 1.0,
                      samples=b.runs, ours_command=shell(ours_argv, b.work) + " > /dev/null",
                      reference_command=ref_text + " > /dev/null",
                      note="the whole file (every question: stance table, movers, timeline); the reference selects the "
                           "same positions with their question, date, actor, stance, quote, language, paraphrase, "
                           "context and source, in question and date order")]  # fmt: skip
    b.cache[key] = results
    return results
