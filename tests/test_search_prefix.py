"""The last word as a prefix, answered from the search index's own lists of short prefixes
(schema 6: ``prefix = '1 2 3'``): the same results as merging the lists of every word the
prefix begins (the index without those lists, and a plain Python reading of the texts),
accents folded, and a one-letter prefix as quick as a word."""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import sqlite3
import statistics
import time
import unicodedata
from pathlib import Path

import pytest

from tests.tui_helpers import load_demo
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store, bulk, search
from tracker.store.database import configure

PREFIXES = ("g", "e", "l", "ex", "Bü", "bu", "amb", "ambig", "AMBIGU", "tro", "nous p", "ne doit ê", "la g", "Zü", "s")


def without_prefix_lists(path: Path, dest: Path) -> sqlite3.Connection:
    """A copy of ``path`` whose positions' index has no lists of prefixes, as in schema 5:
    a prefix there merges the lists of every word it begins (slow, the reference)."""
    shutil.copy(path, dest)
    conn = sqlite3.connect(dest, isolation_level=None)
    configure(conn)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'positions_fts'").fetchone()
    plain = re.sub(r",\s*prefix\s*=\s*'[^']*'", "", sql)
    conn.execute("BEGIN")
    conn.execute("DROP TABLE positions_fts")
    conn.execute(plain)
    conn.execute("INSERT INTO positions_fts(positions_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    return conn


def folded_words(text: str | None) -> list[str]:
    """The words of ``text`` as the index's tokenizer sees them: lower case, accents off."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c)).lower()
    return "".join(c if c.isalnum() else " " for c in bare).split()


def words_by_position(conn: sqlite3.Connection) -> dict[int, set[str]]:
    """Every position's words, read row by row from the table (no index)."""
    return {
        r[0]: {w for column in r[1:] for w in folded_words(column)}
        for r in conn.execute("SELECT id, quote, paraphrase, context, notes FROM positions")
    }


def python_reference(words: dict[int, set[str]], query: str) -> set[int]:
    """Ids of the positions where every word of ``query`` is a word of the texts, the
    last one the beginning of a word."""
    *whole, last = folded_words(query)
    return {id_ for id_, have in words.items() if all(w in have for w in whole) and any(w.startswith(last) for w in have)}


def positions(hits: list[search.SearchHit]) -> list[int]:
    return [h.id for h in hits if h.kind == "position"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return load_demo(tmp_path_factory.mktemp("prefix") / "demo.db")


def generated(path: Path, count: int, *, seed: int = 7) -> Path:
    """A file of ``count`` positions whose quotes draw on a few hundred words, accented or
    not, that share their beginnings (from ``bulk.BULK_THRESHOLD`` positions on, the import
    builds the search index aside and copies it in)."""
    rng = random.Random(seed)
    stems = ["gar", "ger", "gou", "bün", "bun", "exc", "ex", "nous", "pou", "sch", "zü", "amb", "l", "la", "é"]
    words = [stem + "".join(rng.choice("aeioubcdgklmnprstüé") for _ in range(rng.randint(0, 5))) for stem in stems * 20]
    lines = [
        {"type": "actor", "slug": "a", "name": "Actor A"},
        {"type": "question", "slug": "q", "title": "Question Q"},
    ]
    for i in range(count):
        quote = " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))
        lines.append({"type": "position", "actor": "a", "question": "q", "stance": "open", "quote": quote,
                      "date": f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}"})  # fmt: skip
    with Store.open(path) as store:
        import_records(store, jsonl.read_records(io.StringIO("".join(json.dumps(x) + "\n" for x in lines))))
    return path


def test_a_new_file_keeps_lists_of_short_prefixes_that_other_tools_still_find(tmp_path):
    with Store.open(tmp_path / "new.db") as store:
        (sql,) = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'positions_fts'").fetchone()
    assert "prefix = '1 2 3'" in sql and "content=[positions]" in sql  # sqlite-utils and Datasette look for the latter


def test_prefix_results_on_the_demo_are_those_of_merging_every_word(demo, tmp_path):
    reference = without_prefix_lists(demo, tmp_path / "plain.db")
    with Store.open(demo) as store:
        words = words_by_position(store.conn)
        for text in PREFIXES:
            ours = store.search(text, limit=500)
            assert ours == search.search(reference, text, limit=500), text
            assert set(positions(ours)) == python_reference(words, text), text
            assert store.search(text, limit=5) == search.search(reference, text, limit=5), text
        assert any("ambiguite" in words[i] for i in positions(store.search("ambiguit")))  # "ambigüité", accents folded


def test_prefix_results_on_generated_data_are_those_of_merging_every_word(tmp_path):
    path = generated(tmp_path / "gen.db", 3_000)
    reference = without_prefix_lists(path, tmp_path / "plain.db")
    rng = random.Random(3)
    with Store.open(path) as store:
        words = words_by_position(store.conn)
        texts = list(PREFIXES)
        for _ in range(60):
            (quote,) = store.conn.execute("SELECT quote FROM positions WHERE id = ?", (rng.randint(1, 3_000),)).fetchone()
            quote = quote.split()
            picked = rng.sample(quote, min(len(quote), rng.randint(1, 3)))
            texts.append(" ".join(picked[:-1] + [picked[-1][: rng.randint(1, 4)]]))
        for text in texts:
            for limit in (50, 200):
                ours = store.search(text, limit=limit)
                assert ours == search.search(reference, text, limit=limit), text
            assert set(positions(store.search(text, limit=5_000))) == python_reference(words, text), text


def test_a_one_letter_prefix_fills_the_screen_with_the_newest_matches_quickly(tmp_path):
    path = generated(tmp_path / "gen.db", 40_000, seed=11)
    assert 40_000 >= bulk.BULK_THRESHOLD
    reference = without_prefix_lists(path, tmp_path / "plain.db")
    with Store.open(path) as store:
        (sql,) = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'positions_fts'").fetchone()
        assert "prefix = '1 2 3'" in sql  # the bulk import's copy of the index kept its lists of prefixes
        store.conn.execute("INSERT INTO positions_fts(positions_fts, rank) VALUES ('integrity-check', 1)")
        hits = positions(store.search("g", limit=50))
        assert len(hits) == 50  # a full screen: nothing capped or left out
        whole = positions(store.search("g", limit=50, prefix=False))  # the word "g" itself, ranked
        newest = sorted(python_reference(words_by_position(store.conn), "g") - set(whole), reverse=True)
        assert hits == whole + newest[: 50 - len(whole)]  # then the newest that begin with "g"
        ours, merged = [], []
        for _ in range(5):  # alternately, so that a busy machine slows both alike
            start = time.perf_counter()
            store.search("g", limit=50)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            search.search(reference, "g", limit=50)
            merged.append(time.perf_counter() - start)
    assert statistics.median(ours) < statistics.median(merged) / 3, (ours, merged)


def test_the_prefix_query_reads_the_newest_entries_of_the_search_index(demo):
    """FTS5 itself hands the rows over newest first (192: by rowid, descending) and stops
    at the limit: no sort of every match. Its plan reads the same with or without the lists
    of prefixes; that they are used shows in the time of a one-letter prefix (above)."""
    with Store.open(demo) as store:
        for text in ("g", "nous p", "ambig"):
            plan = store.conn.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM positions_fts WHERE positions_fts MATCH ? ORDER BY rowid DESC LIMIT 50",
                (search.fts_query(text),),
            ).fetchall()
            assert [r[3] for r in plan] == ["SCAN positions_fts VIRTUAL TABLE INDEX 192:M4"], text
