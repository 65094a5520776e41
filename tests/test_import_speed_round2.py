"""Issue 19, speed round 2: the generator's second shape (short quotes from a small
vocabulary) beside its first, unchanged; imports that report their phases write the
same file as before; the search index built aside keeps the file's own definition of
its table (its prefix indexes, say)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from benchmarks import generate as benchmarks_generate
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store
from tracker.store.bulk import BULK_THRESHOLD

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generate():
    return benchmarks_generate


def made(generate, positions: int, **options) -> str:
    out = io.StringIO()
    generate.generate(out, positions=positions, actors=50, questions=20, sources=100, seed=1, **options)
    return out.getvalue()


def test_the_default_shape_is_byte_for_byte_what_it_was(generate):
    """The digest of the output before --short-quotes was added: datasets made earlier stay valid."""
    text = made(generate, 2000)
    assert hashlib.sha256(text.encode()).hexdigest() == "cfedc6ba202014221de0fe8f18cfa778464f487579a4e0dc399d400ed640d0e5"


def test_the_short_quotes_shape_has_quotes_of_a_few_words_from_a_small_vocabulary(generate):
    text = made(generate, 3000, short_quotes=True)
    assert text == made(generate, 3000, short_quotes=True)  # deterministic for a seed
    positions = [json.loads(line) for line in text.splitlines() if '"type": "position"' in line]
    assert len(positions) == 3000
    vocabulary = set(generate.SHORT_WORDS)
    assert len(vocabulary) == 200
    quoted = [p for p in positions if p["quote"]]
    assert 0.6 < len(quoted) / len(positions) < 0.8
    for p in positions:
        text = p["quote"] or p["paraphrase"]
        assert 2 <= len(text.split()) <= 10 and set(text.split()) <= vocabulary
        assert not (p["quote"] and p["paraphrase"])
    assert len({w for p in positions for w in (p["quote"] or p["paraphrase"]).split()}) > 150


def content(store: Store) -> str:
    """The file as an export writes it, with the search index's answer for a few words."""
    out = io.StringIO()
    jsonl.write(store.conn, out)
    words = store.conn.execute(
        "SELECT count(*) FROM positions_fts WHERE positions_fts MATCH 'Europe OR sanctions OR guerre'"
    ).fetchone()[0]
    return out.getvalue() + f"\n{words}"


def load(db: Path, text: str, **callbacks) -> Store:
    store = Store.open(db, create=True)
    import_records(store, jsonl.read_records(io.StringIO(text)), **callbacks)
    return store


@pytest.mark.parametrize("source", ["demo", "short quotes"])
def test_an_import_that_reports_its_phases_writes_what_a_silent_one_does(tmp_path, generate, source):
    text = (ROOT / "db" / "demo.jsonl").read_text(encoding="utf-8") if source == "demo" else made(
        generate, BULK_THRESHOLD + 2000, short_quotes=True
    )
    seen = []
    with load(tmp_path / "silent.db", text) as silent, load(
        tmp_path / "told.db", text, progress=lambda *a: seen.append(a), phase=lambda *a: seen.append(a)
    ) as told:
        assert content(told) == content(silent)
        assert told.check() == [] and silent.check() == []
        told.conn.execute("INSERT INTO positions_fts(positions_fts) VALUES ('integrity-check')")
    assert ("read", None) in seen
    if source != "demo":
        assert [a[0] for a in seen if a[0] in ("write", "indexes", "search index")] == ["write", "indexes", "search index"]


def test_the_search_index_built_aside_keeps_the_files_own_definition(tmp_path, generate):
    """A large load into an empty table builds the search index in a private database, then
    makes the file's table again: from the file's own declaration (another migration may
    change its prefixes), never from one written in the code."""
    with Store.open(tmp_path / "t.db", create=True) as store:  # changed in the open store: a new one would refuse the file
        (sql,) = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'positions_fts'").fetchone()
        changed = sql.replace("prefix = '1 2 3'", "prefix = '2 4'") if "prefix" in sql else sql.replace(
            "tokenize", "prefix = '2 4', tokenize"
        )
        assert "'2 4'" in changed
        store.conn.execute("DROP TABLE positions_fts")
        store.conn.execute(changed)
        import_records(store, jsonl.read_records(io.StringIO(made(generate, BULK_THRESHOLD + 2000, short_quotes=True))))
        assert store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'positions_fts'").fetchone()[0] == changed
        store.conn.execute("INSERT INTO positions_fts(positions_fts) VALUES ('integrity-check')")
        by_prefix = store.conn.execute("SELECT count(*) FROM positions_fts WHERE positions_fts MATCH 'Eu*'").fetchone()[0]
        by_word = store.conn.execute(
            "SELECT count(*) FROM positions WHERE quote || ' ' || paraphrase GLOB '*Eu*'"
        ).fetchone()[0]
        assert by_prefix > 0 and by_prefix <= by_word
