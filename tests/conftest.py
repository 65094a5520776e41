"""Shared fixtures: a fresh database file, an open store, a CLI runner and a small dataset."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.store import Store

# A small dataset in the exchange format, deliberately out of order: positions
# come before the actors and the question they name, and a child actor before
# its parent. Two positions have no uid (one is derived on import).
SAMPLE_RECORDS = [
    {"type": "position", "uid": "00000000-0000-4000-8000-000000000001", "actor": "macron", "question": "ground-troops",
     "stance": "reluctant", "date": "2023-06", "quote": "Ce n'est pas à l'ordre du jour", "quote_lang": "fr",
     "paraphrase": "", "context": "Bratislava", "source": None, "confidence": "reported", "notes": "", "tags": []},
    {"type": "position", "uid": "00000000-0000-4000-8000-000000000002", "actor": "macron", "question": "ground-troops",
     "stance": "not-excluded", "date": "26 février 2024",
     "quote": "Il n'y a pas de consensus aujourd'hui pour envoyer de manière officielle des troupes au sol. "
              "Mais en dynamique, rien ne doit être exclu. Une ambigüité stratégique.",
     "quote_lang": "fr", "paraphrase": "Ground troops must not be excluded", "context": "Élysée press conference",
     "source": "https://example.org/seed", "confidence": "confirmed", "notes": "the seed article", "tags": ["seed"]},
    {"type": "position", "actor": "mark-rutte", "question": "ground-troops", "stance": "Reluctant",
     "date": "2024-02-27", "quote": "not on the agenda", "quote_lang": "en", "source": "https://example.org/seed"},
    {"type": "position", "actor": "germany", "question": "ground-troops", "stance": "ruled-out",
     "date": "2024-02-27", "paraphrase": "Scholz: no ground troops", "confidence": "reported"},
    {"type": "actor", "uid": "00000000-0000-4000-8000-0000000000a1", "slug": "macron", "name": "Emmanuel Macron",
     "kind": "person", "country": "FR", "parent": "france", "aliases": ["Macron", "le président français"]},
    {"type": "actor", "uid": "00000000-0000-4000-8000-0000000000a2", "slug": "france", "name": "France",
     "kind": "government", "country": "FR"},
    {"type": "actor", "slug": "mark-rutte", "name": "Mark Rutte", "kind": "person", "country": "NL",
     "aliases": ["Rutte"]},
    {"type": "actor", "slug": "germany", "name": "Germany", "kind": "government", "country": "DE"},
    {"type": "question", "uid": "00000000-0000-4000-8000-0000000000b1", "slug": "ground-troops",
     "title": "Western ground troops in Ukraine", "description": "Sending troops", "scale": "commitment",
     "tags": ["ukraine"]},
    {"type": "question", "slug": "long-range", "title": "Long-range missiles for Ukraine", "scale": "agreement"},
    {"type": "source", "uid": "00000000-0000-4000-8000-0000000000c1", "url": "https://example.org/seed",
     "title": "Paris conference", "outlet": "", "published": "2024-02-26", "language": "fr"},
]  # fmt: skip

SAMPLE_COUNTS = {"actor": 4, "question": 2, "source": 1, "position": 4}


@pytest.fixture(autouse=True)
def _own_state_folder(tmp_path_factory, monkeypatch):
    """Each test keeps the interface's drafts (tracker.tui.drafts) in a folder of its own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


def jsonl_text(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def table_counts(path: Path | str) -> dict[str, int]:
    """Row counts of every table of interest, read with a separate plain connection."""
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("scales", "levels", "actors", "actor_aliases", "questions", "sources", "positions", "revisions")
        }
    finally:
        conn.close()


def table_dump(path: Path | str) -> dict[str, list[tuple]]:
    """Every row of the data tables, in id order."""
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("scales", "levels", "actors", "actor_aliases", "questions", "sources", "positions", "revisions")
        }
    finally:
        conn.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def store(db_path: Path):
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_records() -> list[dict]:
    return [dict(r) for r in SAMPLE_RECORDS]


@pytest.fixture
def sample_jsonl(tmp_path: Path, sample_records) -> Path:
    path = tmp_path / "sample.jsonl"
    path.write_text(jsonl_text(sample_records), encoding="utf-8")
    return path


@pytest.fixture
def sample_store(store: Store, sample_jsonl: Path) -> Store:
    """The open store with the sample dataset imported."""
    from tracker.formats import jsonl
    from tracker.formats.importer import import_records

    with sample_jsonl.open(encoding="utf-8") as f:
        import_records(store, jsonl.read_records(f))
    return store


@pytest.fixture
def forks(monkeypatch):
    """Count the forks (the child's own counting is lost with it: only the parent's is seen)."""
    made = []
    real = os.fork

    def fork():
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return made


# Textual's Pilot waits, after each key it presses, until the process looks idle: sleeps of
# 1/50 s until one passes with under 1 ms of CPU. Forty milliseconds a key, most of the test
# suite's time spent asleep (the matrix's and lists' tests: 58 s of wall clock, 20 s of CPU).
# The same test of idleness on a finer grain: a few milliseconds a key.
import textual._wait  # noqa: E402

textual._wait.SLEEP_GRANULARITY = 1 / 500
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20
