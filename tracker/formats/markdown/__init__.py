"""Markdown reports: a question, an actor, both, or everything, as GitHub-flavoured markdown.

For a question: title, description, a table of each actor's stance as of a date, the
movers (who reached each level first and how late the others followed), then the
timeline: date at its precision, actor, stance, a change marker with the elapsed time, the
quote as a blockquote with its language, the paraphrase, the context and the source as a
link. For an actor: a table of its stance on each question, then the same story per
question. Optionally a Mermaid ``timeline`` block per question.

User text can never change the structure of the output: every piece of it goes through
the escaping of :mod:`.escape`.

The modules: ``escape`` (user text made safe for markdown), ``mermaid`` (the Mermaid
charts), ``words`` (the report's phrases: markers, lags, summaries, the source line),
``document`` (the buffered output), ``sections`` (a question's stance table, movers and
timeline), ``report`` (:func:`write_markdown`, the entry point) and ``second_core`` (half of
a long report written in a forked process).
"""

from tracker.formats.markdown.escape import blockquote, cell, inline, lines, link, safe_url
from tracker.formats.markdown.mermaid import mermaid_text
from tracker.formats.markdown.report import default_filename, render_markdown, write_markdown

__all__ = [
    "blockquote",
    "cell",
    "default_filename",
    "inline",
    "lines",
    "link",
    "mermaid_text",
    "render_markdown",
    "safe_url",
    "write_markdown",
]
