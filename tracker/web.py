"""The file as a web page: the metadata `tracker serve` gives Datasette.

Plain data built from the store (titles, descriptions, stance labels, search, facets, sort
order and canned queries), so that ``tracker serve --metadata`` can print it for
``datasette publish`` and nothing here needs Datasette installed. Every canned query is a
read-only SELECT over the ``statements`` view (migration 4).
"""

from __future__ import annotations

from tracker.store import Store

# Each actor's latest position on a question whose interval starts on or before :date
# (what "as of" means everywhere in the program), ordered as the program orders positions.
AS_OF_SQL = """\
SELECT actor, actor_name, stance_label, stance_rank, date, quote, paraphrase, source_url, confidence
FROM (
  SELECT *, row_number() OVER (
    PARTITION BY actor ORDER BY date_start DESC, date_end DESC, id DESC
  ) AS n
  FROM statements
  WHERE question = :question AND date_start <= :date
)
WHERE n = 1
ORDER BY stance_rank DESC, actor_name"""

# An actor reaches a level with its first position at that level or above (by rank): a move
# when it had an earlier position below it, else an entry. The lag is counted in days
# between the starts of the dates, from the first mover's.
MOVERS_SQL = """\
WITH target AS (
  SELECT l.rank FROM levels l JOIN questions q ON q.scale_id = l.scale_id
  WHERE q.slug = :question AND (l.key = :level OR lower(l.label) = lower(:level))
),
reach AS (
  SELECT *, row_number() OVER (
    PARTITION BY actor ORDER BY date_start, date_end, id
  ) AS n
  FROM statements
  WHERE question = :question AND stance_rank >= (SELECT rank FROM target)
)
SELECT actor, actor_name, date AS reached, stance_label,
  CASE WHEN EXISTS (
    SELECT 1 FROM statements e
    WHERE e.question = :question AND e.actor = reach.actor
      AND e.stance_rank < (SELECT rank FROM target)
      AND (e.date_start, e.date_end, e.id) < (reach.date_start, reach.date_end, reach.id)
  ) THEN 'move' ELSE 'entry' END AS reached_by,
  CAST(julianday(date_start) - julianday(min(date_start) OVER ()) AS INTEGER) AS lag_days,
  quote, source_url
FROM reach
WHERE n = 1
ORDER BY date_start, date_end, id"""

STATEMENT_FACETS = ["question_title", "actor_name", "stance_label", "confidence"]


def scales_text(store: Store) -> str:
    """Every scale's levels in rank order, for the descriptions: "commitment: 0 Ruled out
    (ruled-out), 1 Reluctant (reluctant), ..."."""
    return "; ".join(
        f"{scale.key}: " + ", ".join(f"{level.rank} {level.label} ({level.key})" for level in scale.levels)
        for scale in store.scales()
    )


def metadata(store: Store, database: str) -> dict:
    """Datasette metadata for the file ``store`` reads, served as ``database`` (Datasette
    names a database after its file name without the extension)."""
    scales = scales_text(store)
    statement_view = {
        "facets": STATEMENT_FACETS,
        "sort_desc": "date_start",
        "fts_table": "positions_fts",
        "fts_pk": "id",
    }
    return {
        "title": "Position Tracker",
        "description": (
            "Stated positions of leaders, governments and organisations on questions, over time. "
            "Start with the statements view (one row a position, everything spelled out) or "
            "latest_positions (each actor's latest stance on each question)."
        ),
        "databases": {
            database: {
                "description": "The tracker's file, read-only: nothing on these pages can change it.",
                "tables": {
                    "statements": {
                        **statement_view,
                        "description": (
                            "One row a position: who (actor), on what (question), which stance "
                            "(its key, label and rank on the question's scale), when (date as entered; "
                            "date_start and date_end bound the interval it covers), the quote and its source. "
                            f"Stances by scale and rank: {scales}."
                        ),
                    },
                    "latest_positions": {
                        **{key: value for key, value in statement_view.items() if key != "sort_desc"},
                        "sort": "question",
                        "description": "Each actor's latest position on each question (same columns as statements).",
                    },
                    "positions": {
                        "description": (
                            "The positions themselves, with ids for actor, question and level "
                            "(the statements view spells them out)."
                        ),
                        "facets": ["question_id", "actor_id", "level_id", "confidence"],
                        "sort_desc": "date_start",
                        "fts_table": "positions_fts",
                        "fts_pk": "id",
                    },
                    "actors": {
                        "description": "People, governments, organisations, parties and alliances, with the actor they belong to.",
                        "label_column": "name",
                        "facets": ["kind", "country"],
                        "sort": "name",
                    },
                    "actor_aliases": {"description": "Other names an actor is found by."},
                    "questions": {
                        "description": "The questions positions are taken on, each with its stance scale.",
                        "label_column": "title",
                        "fts_table": "questions_fts",
                        "fts_pk": "id",
                        "sort": "title",
                    },
                    "scales": {"description": "Stance scales: ordered levels a position is placed on.", "label_column": "name"},
                    "levels": {
                        "description": f"The levels of each scale, lowest rank first. {scales}.",
                        "label_column": "label",
                        "sort": "rank",
                    },
                    "sources": {"description": "Where a position was stated: URL, title, outlet, publication date.", "label_column": "title"},
                    "revisions": {"description": "Every insert, edit and deletion, append-only (an undo is a later row).", "sort_desc": "id"},
                    "schema_migrations": {"description": "The schema versions this file has had.", "hidden": True},
                },
                "queries": {
                    "as_of": {
                        "title": "Stances as of a date",
                        "description": (
                            "Each actor's stance on a question as of a date: its latest position whose "
                            "date starts on or before it. question: the question's short name (like "
                            "ground-troops); date: YYYY-MM-DD."
                        ),
                        "sql": AS_OF_SQL,
                    },
                    "movers": {
                        "title": "Movers of a question",
                        "description": (
                            "Who reached a level first on a question, and how many days later the others did: "
                            "each actor's first position at the level or above, a move when it had said less "
                            "before, an entry when its first recorded position was already there. question: "
                            f"the question's short name; level: a level's key or label. {scales}."
                        ),
                        "sql": MOVERS_SQL,
                    },
                },
            }
        },
    }
