"""The reference interface: a bare Textual app (Header, DataTable, Footer) that shows one table, read from the same file.

    python benchmarks/bare_app.py FILE.db [--rows 100]

A Header, a DataTable of the first ``--rows`` positions in date order (date, actor, question, the
start of the quote), read with plain sqlite3 before the first paint, and a Footer; ``q`` quits. It is
what "a bare Textual app" costs: the floor for first paint, memory and a keypress.
"""

from __future__ import annotations

import argparse
import sqlite3

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

ROWS_SQL = """
SELECT p.date, a.name, q.title, substr(p.quote, 1, 80)
FROM positions p JOIN actors a ON a.id = p.actor_id JOIN questions q ON q.id = p.question_id
ORDER BY p.date_start, p.date_end, p.id LIMIT ?
"""


def first_rows(path: str, rows: int) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(ROWS_SQL, (rows,)).fetchall()
    finally:
        conn.close()


class BareApp(App):
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, path: str, rows: int = 100):
        super().__init__()
        self.path, self.rows = path, rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("date", "actor", "question", "quote")
        table.add_rows(first_rows(self.path, self.rows))
        table.focus()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--rows", type=int, default=100)
    args = parser.parse_args()
    BareApp(args.db, args.rows).run()


if __name__ == "__main__":
    main()
