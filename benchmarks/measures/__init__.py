"""The measures, a module each: every one is a function of a ``Bench`` that returns its results.

``MEASURES`` is the order they run in (the import first: the file it makes is then the one the
others open), ``ORDER`` the order of their lines in the table.
"""

from benchmarks.measures.imports import measure_import
from benchmarks.measures.keys import measure_keys
from benchmarks.measures.markdown import measure_markdown
from benchmarks.measures.movers import measure_movers
from benchmarks.measures.plans import measure_plans
from benchmarks.measures.search import measure_search
from benchmarks.measures.sessions import measure_memory, measure_paint, measure_question

MEASURES = ("import", "paint", "question", "memory", "keys", "search", "movers", "markdown", "plans")
FUNCTIONS = {
    "import": measure_import,
    "paint": measure_paint,
    "question": measure_question,
    "memory": measure_memory,
    "keys": measure_keys,
    "search": measure_search,
    "movers": measure_movers,
    "markdown": measure_markdown,
    "plans": measure_plans,
}
LABELS = {
    "import": "JSONL import",
    "paint": "First paint of the interface",
    "question": "Opening a question",
    "movers": "Movers of a tag",
    "memory": "Peak memory of the interface",
    "keys": "Keypresses",
    "search": "Full-text search",
    "markdown": "Markdown export",
    "plans": "Query plans",
}
ORDER = ("paint", "question", "keys", "search", "movers", "markdown", "import", "memory", "plans")  # the order of the table
