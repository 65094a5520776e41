"""The query plans of the reads that the interface and the markdown export run on a big file.

Each hot read is the real Store or reads function, called once on a read-only connection whose
trace callback records every statement it runs (SQLite gives them with their parameters
inlined); ``EXPLAIN QUERY PLAN`` of each then says which index it uses. No SQL is copied
here, so a change to a query or to the schema shows in the plans, and
tests/test_query_plans.py fails when one of them scans the positions table.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from benchmarks.datasets import search_queries


@dataclass
class HotRead:
    """One read of the interface or the export: what it serves, and the call that makes it."""

    name: str  # what it serves
    call: str  # the call, as code
    run: object  # a function of (store, sample)
    scan: str = ""  # why a full scan of the positions table is intended here ("": it is not)
    first_only: bool = False  # record the first statement and interrupt it: it reads every row


@dataclass
class QueryPlan:
    name: str  # what the statement serves
    call: str  # the Store or reads call that ran it
    sql: str  # as SQLite ran it, its parameters inlined
    plan: list[str]  # EXPLAIN QUERY PLAN, a line a node, indented two spaces a level
    scan: str = ""  # why a full scan of positions is intended, if it is

    @property
    def full_scans(self) -> list[str]:
        return positions_scans(self.sql, self.plan)


_NOT_ALIAS = {"where", "join", "left", "inner", "cross", "natural", "order", "group", "limit", "on", "using", "not",
              "indexed", "window", "union", "having", "as", "except", "intersect"}  # fmt: skip


def positions_reads(sql: str, plan: list[str]) -> list[str]:
    """The lines of ``plan`` that read the positions table, under whatever alias ``sql`` gives
    it: ``SEARCH p USING INDEX ...``, ``SCAN positions USING COVERING INDEX ...``, ``SCAN p``."""
    names = {"positions"} | {
        m.group(1) for m in re.finditer(r"\bpositions\s+(?:AS\s+)?([A-Za-z_]\w*)", sql, re.IGNORECASE)
        if m.group(1).lower() not in _NOT_ALIAS
    }  # fmt: skip
    found = []
    for line in plan:
        m = re.match(r"\s*(?:SCAN|SEARCH) (?:TABLE )?(\w+)(?: AS (\w+))?\b", line)
        if m and (m.group(2) or m.group(1)) in names:
            found.append(line.strip())
    return found


def positions_scans(sql: str, plan: list[str]) -> list[str]:
    """The lines of ``plan`` that read the positions table from end to end without an index:
    ``SCAN p``, not ``SCAN p USING COVERING INDEX ...``."""
    return [line for line in positions_reads(sql, plan) if line.startswith("SCAN") and "INDEX" not in line]


def plan_lines(conn: sqlite3.Connection, sql: str) -> list[str]:
    """``EXPLAIN QUERY PLAN`` of ``sql`` as an indented tree, a line a node."""
    depth: dict[int, int] = {}
    lines = []
    for node, parent, _, detail in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall():
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def plan_tree(plan: list[str]) -> list[str]:
    """Lines of ``plan_lines`` drawn as the sqlite3 shell draws a plan: ``QUERY PLAN``, ``|--``, ``` `-- ```."""
    depths = [len(line) - len(line.lstrip(" ")) for line in plan]
    depths = [d // 2 for d in depths]

    def last(i: int) -> bool:  # no later sibling: the next line at its depth or above is above it
        for d in depths[i + 1 :]:
            if d <= depths[i]:
                return d < depths[i]
        return True

    out, open_levels = ["QUERY PLAN"], []  # open_levels[d]: the node at depth d has later siblings
    for i, line in enumerate(plan):
        d = depths[i]
        del open_levels[d:]
        prefix = "".join("|  " if more else "   " for more in open_levels)
        out.append(prefix + ("`--" if last(i) else "|--") + line.strip())
        open_levels.append(not last(i))
    return out


def _elide_columns(text: str) -> str:
    """The outermost SELECT's column list as "…", when it is long."""
    if not text[:7].upper() == "SELECT ":
        return text
    depth, quote = 0, False
    for i in range(7, len(text)):
        c = text[i]
        if c == "'":
            quote = not quote
        elif quote:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0 and text[i : i + 6].upper() == " FROM ":
            return text if i - 7 <= 40 else "SELECT …" + text[i:]
    return text


def short_sql(sql: str, width: int = 320) -> str:
    """``sql`` on one line, shortened: a long column list, long strings and lists of values cut."""
    text = _elide_columns(" ".join(sql.split()))
    text = re.sub(r"'(?:[^']|'')*'", lambda m: m.group(0) if len(m.group(0)) <= 40 else m.group(0)[:30] + "…'", text)
    text = re.sub(r"\((-?\d+(?:, -?\d+){3,})\)", lambda m: "(" + ", ".join(m.group(1).split(", ")[:3]) + ", …)", text)
    return text if len(text) <= width else text[: width - 1] + "…"


def sql_template(sql: str) -> str:
    """``sql`` with its values as ``?`` (a list of them as one): the same statement run with other values."""
    text = re.sub(r"'(?:[^']|'')*'", "?", sql)
    text = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", "?", text)
    text = re.sub(r"\?(?:\s*,\s*\?)+", "?", text)
    return " ".join(text.split())


@dataclass
class PlanSample:
    """Where the hot reads look: the middle of the timeline, its question and its actor."""

    total: int
    position: object  # a Position
    question_page: int  # the offset of the middle page of the question's positions
    actor_page: int
    question_ids: list[int]  # a screen of the matrix
    actor_ids: list[int]

    @property
    def question_id(self) -> int:
        return self.position.question_id

    @property
    def actor_id(self) -> int:
        return self.position.actor_id


def plan_sample(store, page: int) -> PlanSample:
    total = store.count_positions()
    if not total:
        raise RuntimeError("the file holds no positions: no plans to show")
    middle = store.positions(limit=1, offset=total // 2)[0]
    in_question = store.count_positions(question_id=middle.question_id)
    by_actor = store.count_positions(actor_id=middle.actor_id)
    return PlanSample(total, middle, in_question // 2 // page * page, by_actor // 2 // page * page,
                      [q.id for q in store.questions(limit=20)], [a.id for a in store.actors(limit=20)])  # fmt: skip


def hot_reads(page: int, search_limit: int) -> list[HotRead]:
    """The reads of the interface and the export that a big file makes slow if they scan."""
    from tracker.store import reads

    words, prefixes = search_queries()
    word, prefix = words[0], prefixes[2]
    return [
        HotRead("Questions (1): a page of the list", f"Store.questions(limit={page}, offset=…)",
                lambda st, s: st.questions(limit=page, offset=0)),
        HotRead("Questions (1), the matrix: how many questions", "Store.count_questions()", lambda st, s: st.count_questions()),
        HotRead("Actors (2): a page of the list", f"Store.actors(limit={page}, offset=…)",
                lambda st, s: st.actors(limit=page, offset=0)),
        HotRead("Actors (2), the matrix: how many actors", "Store.count_actors()", lambda st, s: st.count_actors()),
        HotRead("Timeline (3): a page, in the middle of the list", f"Store.positions(limit={page}, offset=…)",
                lambda st, s: st.positions(limit=page, offset=s.total // 2 // page * page)),
        HotRead("Timeline (3): how many positions", "Store.count_positions()", lambda st, s: st.count_positions()),
        HotRead("A question's positions: a page", f"Store.positions(question_id=…, limit={page}, offset=…)",
                lambda st, s: st.positions(question_id=s.question_id, limit=page, offset=s.question_page)),
        HotRead("A question's positions: how many", "Store.count_positions(question_id=…)",
                lambda st, s: st.count_positions(question_id=s.question_id)),
        HotRead("A question: the chart of its positions over time (all of them)", "Store.positions(question_id=…)",
                lambda st, s: st.positions(question_id=s.question_id)),
        HotRead("An actor's positions: a page", f"Store.positions(actor_id=…, limit={page}, offset=…)",
                lambda st, s: st.positions(actor_id=s.actor_id, limit=page, offset=s.actor_page)),
        HotRead("An actor's positions: how many", "Store.count_positions(actor_id=…)",
                lambda st, s: st.count_positions(actor_id=s.actor_id)),
        HotRead("Each row of a list of positions: the actor's previous position (its change marker)",
                "Store.previous_position(position)", lambda st, s: st.previous_position(s.position)),
        HotRead("Each row of a list of positions: its question (for its scale)", "Store.question(id)",
                lambda st, s: st.question(s.question_id)),
        HotRead("Each page of positions: the scales", "Store.scales()", lambda st, s: st.scales()),
        HotRead("Matrix (4): the cells of a screen as of a date", "Store.stances_as_of(20 questions, 20 actors, today)",
                lambda st, s: st.stances_as_of(s.question_ids, s.actor_ids, dt.date.today())),
        HotRead("Search (/): whole words, as the user types", f"Store.search({word!r}, limit={search_limit}, prefix=False)",
                lambda st, s: st.search(word, limit=search_limit, prefix=False)),
        HotRead("Search (/): the last word as a prefix, once typing pauses",
                f"Store.search({prefix!r}, limit={search_limit}, prefix=True)",
                lambda st, s: st.search(prefix, limit=search_limit, prefix=True)),
        HotRead("A position's detail", "Store.position(id)", lambda st, s: st.position(s.position.id)),
        HotRead("A position named by its uid (command line, diff)", "Store.position(uid)",
                lambda st, s: st.position(s.position.uid)),
        HotRead("A position's detail: its history", "Store.revisions('positions', uid)",
                lambda st, s: st.revisions("positions", s.position.uid)),
        HotRead("Markdown export of a question (and of an actor, question by question)",
                "reads.statements(conn, question_id=…)", lambda st, s: reads.statements(st.conn, question_id=s.question_id)),
        HotRead("Markdown export of an actor: its positions", "reads.statements(conn, actor_id=…)",
                lambda st, s: reads.statements(st.conn, actor_id=s.actor_id)),
        HotRead("Markdown export of every question: every position, read once", "reads.statements_by_question(conn)",
                lambda st, s: reads.statements_by_question(st.conn), first_only=True,
                scan="it reads every position of the file, in the table's own order: the cheapest read of all rows "
                     "(an index would add a look-up a row)"),
    ]  # fmt: skip


def query_plans(db: str | Path) -> list[QueryPlan]:
    """The query plan of each statement of the hot reads (``hot_reads``), on ``db`` opened
    read-only (nothing is written to it). A statement run again with other values (a batch
    of ids after another) is shown once.

    A read of every position (``first_only``) is interrupted as soon as its first statement
    has started, so that it costs nothing on a big file; what it would read next (every
    actor, level and source, a scan of each small table) is not shown."""
    from tracker.store import Store
    from tracker.store.database import configure
    from tracker.tui.screens.search import LIMIT as SEARCH_LIMIT
    from tracker.tui.widgets.lazy_list import PAGE

    conn = sqlite3.connect(Path(db).resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    configure(conn)
    store = Store(conn, Path(db))
    plans: list[QueryPlan] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    try:
        sample = plan_sample(store, PAGE)
        for read in hot_reads(PAGE, SEARCH_LIMIT):
            ran: list[str] = []
            interrupted = []

            def stop() -> int:  # stops the first read of a first_only call, once it has started
                if not interrupted and any(is_read(sql) for sql in ran):
                    interrupted.append(True)
                    return 1
                return 0

            conn.set_trace_callback(ran.append)
            if read.first_only:
                conn.set_progress_handler(stop, 100)
            try:
                read.run(store, sample)
            except sqlite3.OperationalError as e:
                if not (interrupted and "interrupt" in str(e)):
                    raise
            finally:
                conn.set_trace_callback(None)
                conn.set_progress_handler(None, 0)
            mine = []
            for sql in filter(is_read, ran):
                plan = plan_lines(conn, sql)
                key = (sql_template(sql), tuple(plan))
                if key not in seen:
                    seen.add(key)
                    mine.append((sql, plan))
            for i, (sql, plan) in enumerate(mine, 1):
                name = read.name if len(mine) == 1 else f"{read.name} [{i}/{len(mine)}]"
                plans.append(QueryPlan(name, read.call, sql, plan, read.scan))
    finally:
        conn.close()
    return plans


# FTS5's own reads of its shadow tables, which the trace callback sees too: not the program's.
_FTS_SHADOW = re.compile(r"\bFROM '\w+'\.'\w+_(?:config|data|idx|content|docsize)'", re.IGNORECASE)


def is_read(sql: str) -> bool:
    """Whether ``sql`` is a query of the program (not BEGIN, not FTS5's own)."""
    return sql.lstrip().upper().startswith(("SELECT", "WITH")) and not _FTS_SHADOW.search(sql)
