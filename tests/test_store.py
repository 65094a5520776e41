"""The store: opening files safely, migrations, the data API and name resolution."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from tracker.domain.scales import resolve_level
from tracker.errors import Ambiguous, NotFound, StoreError, TrackerError
from tracker.store import LATEST_VERSION, Store, database
from tracker.store.database import BUSY_TIMEOUT_MS, connect

from conftest import table_counts, table_dump


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


# ---------------------------------------------------------------------- a new file


def test_new_file_has_latest_schema_and_builtin_scales(store, db_path):
    versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, LATEST_VERSION + 1))
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    scales = {s.key: s for s in store.scales()}
    assert [lv.key for lv in scales["commitment"].levels] == [
        "ruled-out", "reluctant", "not-excluded", "open", "committed", "implemented",
    ]  # fmt: skip
    assert [lv.rank for lv in scales["commitment"].levels] == list(range(6))
    assert scales["agreement"].size == 5
    assert db_path.exists()


def test_new_file_pragmas(store):
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS > 0


def test_reopening_applies_nothing_again(db_path):
    Store.open(db_path).close()
    with Store.open(db_path) as s:
        assert s.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == LATEST_VERSION
        assert s.conn.execute("SELECT count(*) FROM scales").fetchone()[0] == 2


def test_empty_existing_file_is_initialised(db_path):
    db_path.write_bytes(b"")
    with Store.open(db_path) as s:
        assert len(s.scales()) == 2


# ---------------------------------------------------------------------- migrations


def test_pending_migration_is_applied_in_order_without_loss(db_path, monkeypatch):
    with Store.open(db_path) as s:
        s.add_actor("France", kind="government")
    extra = (LATEST_VERSION + 1, "extra", "ALTER TABLE actors ADD COLUMN motto TEXT NOT NULL DEFAULT '';")
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, extra])
    monkeypatch.setattr(database, "LATEST_VERSION", LATEST_VERSION + 1)
    conn = connect(db_path)
    try:
        rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert [tuple(r) for r in rows][-1] == (LATEST_VERSION + 1, "extra")
        assert conn.execute("SELECT slug, motto FROM actors").fetchall()[0][:] == ("france", "")
    finally:
        conn.close()


def test_failing_migration_is_rolled_back_whole(db_path, monkeypatch):
    with Store.open(db_path) as s:
        s.add_actor("France")
    bad = (
        LATEST_VERSION + 1,
        "broken",
        "ALTER TABLE actors ADD COLUMN motto TEXT;\nDELETE FROM actors;\nTHIS IS NOT SQL;",
    )
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, bad])
    monkeypatch.setattr(database, "LATEST_VERSION", LATEST_VERSION + 1)
    with pytest.raises(StoreError, match=f"cannot upgrade the file to schema {LATEST_VERSION + 1} \\(broken\\)"):
        connect(db_path)
    monkeypatch.undo()
    with Store.open(db_path) as s:
        assert [a.slug for a in s.actors()] == ["france"]
        columns = [r[1] for r in s.conn.execute("PRAGMA table_info(actors)")]
        assert "motto" not in columns
        assert s.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == LATEST_VERSION


# ---------------------------------------------------------------------- files that are not ours


def test_text_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"just some notes\nnot a database\n")
    before = snapshot(path)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert "not a Position Tracker database" in str(err.value) and str(path) in str(err.value)
    assert "left untouched" in str(err.value)
    assert snapshot(path) == before
    assert side_files(path) == []


def test_other_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes(id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO recipes(name) VALUES ('soup')")
    conn.commit()
    conn.close()
    before = snapshot(path)
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)
    assert snapshot(path) == before
    assert side_files(path) == []


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_file_from_a_newer_version_is_refused_and_left_untouched(tmp_path, wal):
    path = tmp_path / "future.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    if not wal:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (999, 'future', 'x')")
    conn.commit()
    conn.close()
    before = snapshot(path)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    message = str(err.value)
    assert "newer version" in message and "999" in message and "untouched" in message
    assert snapshot(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 999
    conn.close()


def test_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path)


def test_missing_directory_is_named_and_nothing_is_created(tmp_path):
    path = tmp_path / "nowhere" / "deeper" / "t.db"
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(tmp_path / "nowhere" / "deeper") in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_default_path_uses_xdg_data_home_and_creates_its_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert database.default_path() == tmp_path / "xdg" / "tracker" / "tracker.db"
    with Store.open() as s:
        assert s.path == tmp_path / "xdg" / "tracker" / "tracker.db"
    assert (tmp_path / "xdg" / "tracker" / "tracker.db").is_file()


def test_default_path_without_xdg_is_under_home(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert database.default_path() == tmp_path / ".local" / "share" / "tracker" / "tracker.db"


def test_tracker_db_environment_variable_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with Store.open() as s:
        assert s.path == tmp_path / "env.db"
    assert (tmp_path / "env.db").is_file()
    assert not (tmp_path / "xdg").exists()


def test_explicit_path_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.db"))
    with Store.open(tmp_path / "given.db") as s:
        assert s.path == tmp_path / "given.db"
    assert not (tmp_path / "env.db").exists()


def test_tracker_db_in_a_missing_directory_is_not_created(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "missing" / "env.db"))
    with pytest.raises(StoreError, match="does not exist"):
        Store.open()
    assert not (tmp_path / "missing").exists()


# ---------------------------------------------------------------------- full-text search


@pytest.fixture
def people(store):
    store.add_actor("France", kind="government", country="FR")
    store.add_actor("Emmanuel Macron", slug="macron", kind="person", parent="france", aliases=["le président français"])
    store.add_actor("Mark Rutte", kind="person", aliases=["Rutte"])
    store.add_question("Western ground troops in Ukraine", slug="ground-troops")
    return store


def search_ids(store, text, kind):
    return sorted(h.id for h in store.search(text) if h.kind == kind)


def test_search_finds_quote_words_without_accents(people):
    p = people.add_position(
        actor="macron", question="ground-troops", stance="not-excluded", date="2024-02-26",
        quote="Une ambigüité stratégique", paraphrase="strategic ambiguity", notes="Élysée",
    )  # fmt: skip
    assert search_ids(people, "ambiguite", "position") == [p.id]
    assert search_ids(people, "ambigüité", "position") == [p.id]
    assert search_ids(people, "strategiq", "position") == [p.id]  # the last word is a prefix
    assert search_ids(people, "elysee", "position") == [p.id]
    assert search_ids(people, "ambiguite elysee", "position") == [p.id]
    assert search_ids(people, "ambiguite nowhere", "position") == []
    hit = next(h for h in people.search("ambiguite") if h.kind == "position")
    assert "\x02ambigüité\x03" in hit.snippet and hit.title == "Emmanuel Macron on Western ground troops in Ukraine"


def test_search_follows_updates_and_deletes(people):
    p = people.add_position(actor="macron", question="ground-troops", stance="open", date="2024", quote="first words")
    people.conn.execute("UPDATE positions SET quote = 'second thoughts' WHERE id = ?", (p.id,))
    assert search_ids(people, "first", "position") == []
    assert search_ids(people, "second", "position") == [p.id]
    people.conn.execute("DELETE FROM positions WHERE id = ?", (p.id,))
    assert search_ids(people, "second", "position") == []
    assert people.check() == []


def test_search_finds_actor_names_and_aliases(people):
    macron = people.resolve_actor("macron")
    assert search_ids(people, "emmanuel", "actor") == [macron.id]
    assert search_ids(people, "president francais", "actor") == [macron.id]
    people.conn.execute("INSERT INTO actor_aliases(actor_id, alias) VALUES (?, 'Jupiter')", (macron.id,))
    assert search_ids(people, "jupiter", "actor") == [macron.id]
    people.conn.execute("DELETE FROM actor_aliases WHERE alias = 'Jupiter'")
    assert search_ids(people, "jupiter", "actor") == []
    people.conn.execute("UPDATE actors SET name = 'Manu' WHERE id = ?", (macron.id,))
    assert search_ids(people, "emmanuel", "actor") == []
    assert search_ids(people, "manu", "actor") == [macron.id]
    people.conn.execute("DELETE FROM actors WHERE slug = 'mark-rutte'")
    assert search_ids(people, "rutte", "actor") == []
    assert people.check() == []


def test_search_finds_question_titles(people):
    q = people.resolve_question("ground-troops")
    assert search_ids(people, "ground troops", "question") == [q.id]
    people.conn.execute("UPDATE questions SET title = 'Boots on the ground' WHERE id = ?", (q.id,))
    assert search_ids(people, "western", "question") == []
    assert search_ids(people, "boots", "question") == [q.id]
    people.conn.execute("DELETE FROM questions WHERE id = ?", (q.id,))
    assert search_ids(people, "boots", "question") == []
    assert people.check() == []


@pytest.mark.parametrize(("text", "both"), [
    ('"quoted', False), ("AND", False), ("NOT x", False), ("-minus", False), ("(paren", False), ("a*", False),
    ("NEAR(a b)", False), ("col:x", False), ("^x", True),
])  # fmt: skip
def test_search_treats_query_syntax_literally(people, text, both):
    """FTS5's operators are words like any other (punctuation is a space): "NOT x" finds
    what says "not" and "x", not what lacks x; "col:x" is no column filter."""
    said = people.add_position(actor="macron", question="ground-troops", stance="open", date="2024-02-26",
                               quote="quoted AND NOT x minus paren a col NEAR b")  # fmt: skip
    other = people.add_position(actor="rutte", question="ground-troops", stance="open", date="2024-02-26", quote="x b")
    assert search_ids(people, text, "position") == sorted([said.id, other.id] if both else [said.id])


def test_search_with_nothing_to_look_for_is_a_user_error(people):
    with pytest.raises(TrackerError, match="nothing to search for"):
        people.search("  ;; ")


# ---------------------------------------------------------------------- revisions


def test_revisions_record_inserts_updates_and_deletes(people):
    p = people.add_position(actor="macron", question="ground-troops", stance="open", date="2024-02-26", quote="a")
    revs = people.revisions("positions", p.uid)
    assert [r["action"] for r in revs] == ["insert"]
    people.conn.execute("UPDATE positions SET quote = 'b', notes = 'n' WHERE id = ?", (p.id,))
    revs = people.revisions("positions", p.uid)
    assert [r["action"] for r in revs] == ["insert", "update"]
    before, after = json.loads(revs[1]["before"]), json.loads(revs[1]["after"])
    assert (before["quote"], after["quote"], after["notes"]) == ("a", "b", "n")
    people.conn.execute("DELETE FROM positions WHERE id = ?", (p.id,))
    revs = people.revisions("positions", p.uid)
    assert [r["action"] for r in revs] == ["insert", "update", "delete"]
    assert json.loads(revs[2]["before"])["quote"] == "b" and revs[2]["after"] is None


def test_an_update_that_changes_nothing_is_not_logged(people):
    p = people.add_position(actor="macron", question="ground-troops", stance="open", date="2024")
    people.conn.execute("UPDATE positions SET quote = quote WHERE id = ?", (p.id,))
    assert len(people.revisions("positions", p.uid)) == 1


def test_actor_updates_are_logged(people):
    a = people.resolve_actor("france")
    people.conn.execute("UPDATE actors SET name = 'République française' WHERE id = ?", (a.id,))
    revs = people.revisions("actors", a.uid)
    assert [r["action"] for r in revs] == ["insert", "update"]
    assert json.loads(revs[1]["after"])["name"] == "République française"


# ---------------------------------------------------------------------- scales and levels


def test_add_level_at_a_rank_shifts_the_others(store):
    scale = store.add_level("commitment", "hinted", "Hinted", rank=2)
    assert [(lv.key, lv.rank) for lv in scale.levels] == [
        ("ruled-out", 0), ("reluctant", 1), ("hinted", 2), ("not-excluded", 3), ("open", 4), ("committed", 5),
        ("implemented", 6),
    ]  # fmt: skip
    on_top = store.add_level("agreement", "fanatic", "Fanatic")
    assert on_top.levels[-1].key == "fanatic" and on_top.levels[-1].rank == 5


def test_add_level_refuses_bad_input(store):
    with pytest.raises(TrackerError, match="already has a level"):
        store.add_level("commitment", "open", "Open again")
    with pytest.raises(TrackerError, match="outside the scale"):
        store.add_level("commitment", "far", "Far", rank=9)
    with pytest.raises(NotFound, match="known scales"):
        store.add_level("nope", "x", "X")
    assert store.scale("commitment").size == 6


def test_remove_level_in_use_is_refused_and_nothing_changes(people, db_path):
    people.add_position(actor="macron", question="ground-troops", stance="open", date="2024")
    before = table_dump(db_path)
    with pytest.raises(TrackerError) as err:
        people.remove_level("commitment", "open")
    assert str(err.value) == "level 'open' is used by 1 position; it cannot be removed"
    assert table_dump(db_path) == before


def test_remove_unused_level_closes_the_gap(people):
    scale = people.remove_level("commitment", "reluctant")
    assert [(lv.key, lv.rank) for lv in scale.levels] == [
        ("ruled-out", 0), ("not-excluded", 1), ("open", 2), ("committed", 3), ("implemented", 4),
    ]  # fmt: skip
    with pytest.raises(NotFound):
        people.remove_level("commitment", "reluctant")


def test_add_scale(store):
    from tracker.domain.models import Level

    scale = store.add_scale("yesno", "Yes or no", [Level("no", "No", 0), Level("yes", "Yes", 0)])
    assert [(lv.key, lv.rank) for lv in store.scale("yesno").levels] == [("no", 0), ("yes", 1)]
    assert scale.key == "yesno"
    with pytest.raises(TrackerError, match="already exists"):
        store.add_scale("yesno", "Again", [Level("a", "A", 0)])


# ---------------------------------------------------------------------- resolving names


def test_resolve_actor(people):
    macron = people.resolve_actor("macron")
    assert macron.name == "Emmanuel Macron" and macron.parent_slug == "france"
    assert people.resolve_actor(str(macron.id)) == macron
    assert people.resolve_actor(macron.id) == macron
    assert people.resolve_actor("Emmanuel Macron") == macron
    assert people.resolve_actor("emmanuel macron") == macron
    assert people.resolve_actor("le président français") == macron
    assert people.resolve_actor("le president") == macron  # alias prefix, accents optional
    assert people.resolve_actor("Emm") == macron
    assert people.resolve_actor("rutte").slug == "mark-rutte"  # a word of the name
    assert people.resolve_actor("Rut").slug == "mark-rutte"
    assert people.resolve_actor("  france  ").slug == "france"


def test_resolve_actor_ambiguous_lists_candidates(people):
    with pytest.raises(Ambiguous) as err:
        people.resolve_actor("m")
    assert "macron" in str(err.value) and "mark-rutte" in str(err.value)


@pytest.mark.parametrize("ref", ["nobody", "999", "²", "٣", "99999999999999999999999", "x\x1b[31m"])
def test_resolve_actor_unknown(people, ref):
    with pytest.raises(NotFound) as err:
        people.resolve_actor(ref)
    assert str(err.value).startswith("no actor matches ")


def test_resolve_actor_empty_is_required(people):
    with pytest.raises(TrackerError, match="actor is required"):
        people.resolve_actor("   ")


def test_resolve_question(people):
    q = people.resolve_question("ground-troops")
    assert people.resolve_question("Western") == q
    assert people.resolve_question("troops") == q
    assert people.resolve_question(str(q.id)) == q
    with pytest.raises(NotFound, match="no question matches"):
        people.resolve_question("missiles")


def test_resolve_level(store):
    scale = store.scale("commitment")
    assert resolve_level(scale, "not-excluded").key == "not-excluded"
    assert resolve_level(scale, "Not excluded").key == "not-excluded"
    assert resolve_level(scale, "NOT EXCLUDED").key == "not-excluded"
    assert resolve_level(scale, "2").key == "not-excluded"
    assert resolve_level(scale, 2).key == "not-excluded"
    assert resolve_level(scale, "not").key == "not-excluded"
    assert resolve_level(scale, "imp").key == "implemented"
    assert resolve_level(scale, "Reluc").key == "reluctant"
    assert resolve_level(scale, "ruled out").key == "ruled-out"


def test_resolve_level_errors(store):
    scale = store.scale("agreement")
    with pytest.raises(Ambiguous, match="strongly-opposes, strongly-supports"):
        resolve_level(scale, "strongly")
    with pytest.raises(NotFound, match="ranks 0 to 4"):
        resolve_level(scale, "7")
    with pytest.raises(NotFound, match="not a level of the scale 'agreement'"):
        resolve_level(scale, "maybe")
    with pytest.raises(TrackerError, match="stance is required"):
        resolve_level(scale, " ")
    for odd in ("²", "٣", "99999999999999999999999"):
        with pytest.raises(NotFound):
            resolve_level(scale, odd)


@pytest.mark.parametrize("ref", ["²", "99999999999999999999999", "-1", "\x1b"])
def test_position_and_source_lookups_of_odd_references_are_not_found(people, ref):
    with pytest.raises(NotFound):
        people.position(ref)
    with pytest.raises(NotFound):
        people.source(ref)


# ---------------------------------------------------------------------- adding rows


def test_add_actor_validation_writes_nothing(people, db_path):
    before = table_counts(db_path)
    with pytest.raises(TrackerError, match="country 'FRA'"):
        people.add_actor("X", country="FRA")
    with pytest.raises(TrackerError, match="already exists"):
        people.add_actor("France")
    with pytest.raises(TrackerError, match="cannot make a slug"):
        people.add_actor("!!!")
    with pytest.raises(TrackerError, match="one line"):
        people.add_actor("two\nlines")
    with pytest.raises(TrackerError, match="NUL"):
        people.add_actor("nul\x00", slug="nul")
    with pytest.raises(TrackerError, match="kind"):
        people.add_actor("Y", kind="planet")
    with pytest.raises(NotFound):
        people.add_actor("Z", parent="nobody")
    assert table_counts(db_path) == before


def test_add_actor_refuses_text_that_is_not_unicode(people, db_path):
    before = table_counts(db_path)
    with pytest.raises(TrackerError, match="not valid"):
        people.add_actor("bad\udcff", slug="bad")
    assert table_counts(db_path) == before


def test_add_position_values(people):
    src = people.add_source(url="https://example.org/a", title="A", published="27 février 2024", language="fr")
    p = people.add_position(
        actor="Mac", question="ground", stance="Not excluded", date="26 février 2024", quote="q", quote_lang="fr",
        source=src.url, confidence="Reported", tags=["a", "a", "b"],
    )  # fmt: skip
    assert (p.actor_slug, p.question_slug, p.level.key, p.date.edtf) == ("macron", "ground-troops", "not-excluded", "2024-02-26")
    assert p.source.uid == src.uid and p.source.published.edtf == "2024-02-27"
    assert (p.confidence, p.tags) == ("reported", ("a", "b"))
    assert people.position(p.uid) == p == people.position(str(p.id))


def test_add_position_bad_date_writes_nothing(people, db_path):
    before = table_counts(db_path)
    with pytest.raises(TrackerError, match="31 février 2024"):
        people.add_position(actor="macron", question="ground-troops", stance="open", date="31 février 2024")
    assert table_counts(db_path) == before


# ---------------------------------------------------------------------- as of a date


def test_positions_as_of_returns_each_actors_latest(people):
    add = people.add_position
    m1 = add(actor="macron", question="ground-troops", stance="ruled-out", date="2022-03-01")
    m2 = add(actor="macron", question="ground-troops", stance="reluctant", date="2023-06")
    m3 = add(actor="macron", question="ground-troops", stance="not-excluded", date="2024-02-26")
    r1 = add(actor="rutte", question="ground-troops", stance="reluctant", date="2024")

    def ids(d):
        return sorted(p.id for p in people.positions(as_of=d))

    assert ids(date(2022, 2, 28)) == []
    assert ids(date(2022, 3, 1)) == [m1.id]
    assert ids(date(2023, 5, 31)) == [m1.id]
    assert ids(date(2023, 6, 1)) == [m2.id]  # a month counts from its first day
    assert ids(date(2023, 12, 31)) == [m2.id]
    assert ids(date(2024, 1, 1)) == sorted([m2.id, r1.id])  # a year counts from its first day
    assert ids(date(2024, 2, 26)) == sorted([m3.id, r1.id])
    assert [p.id for p in people.positions(actor_id=m1.actor_id)] == [m1.id, m2.id, m3.id]
    assert [p.id for p in people.positions(as_of=date(2030, 1, 1), actor_id=r1.actor_id)] == [r1.id]


def test_previous_position(people):
    add = people.add_position
    a = add(actor="macron", question="ground-troops", stance="ruled-out", date="2022")
    b = add(actor="macron", question="ground-troops", stance="open", date="2022-05-01")
    add(actor="rutte", question="ground-troops", stance="open", date="2022-03-01")
    assert people.previous_position(b) == a
    assert people.previous_position(a) is None


# ---------------------------------------------------------------------- backup and check


def test_backup_is_a_consistent_copy(people, tmp_path, db_path):
    people.add_position(actor="macron", question="ground-troops", stance="open", date="2024", quote="ambigüité")
    dest = people.backup(tmp_path / "copy.db")
    assert dest == tmp_path / "copy.db"
    assert table_dump(dest) == table_dump(db_path)
    with Store.open(dest) as copy:
        assert copy.check() == []
        assert [h.kind for h in copy.search("ambiguite")] == ["position"]


def test_backup_refuses_an_existing_destination(people, tmp_path):
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"precious")
    with pytest.raises(TrackerError, match="already exists"):
        people.backup(dest)
    assert dest.read_bytes() == b"precious"


def test_backup_into_a_missing_directory(people, tmp_path):
    with pytest.raises(TrackerError, match="does not exist"):
        people.backup(tmp_path / "missing" / "copy.db")
    assert not (tmp_path / "missing").exists()


def test_check_is_empty_on_a_sound_file(people):
    people.add_position(actor="macron", question="ground-troops", stance="open", date="2024")
    assert people.check() == []


def test_check_reports_a_broken_foreign_key_in_words(people):
    p = people.add_position(actor="macron", question="ground-troops", stance="open", date="2024")
    people.conn.execute("PRAGMA foreign_keys = OFF")
    people.conn.execute(
        "INSERT INTO positions(uid, actor_id, question_id, level_id, date, date_start, date_end, precision,"
        " created_at, updated_at) SELECT 'orphan', 4242, question_id, level_id, date, date_start, date_end,"
        " precision, created_at, updated_at FROM positions WHERE id = ?",
        (p.id,),
    )
    people.conn.execute("PRAGMA foreign_keys = ON")
    problems = people.check()
    assert problems == [f"positions row {p.id + 1} refers to a missing row in actors"]


def test_check_reports_a_stale_search_index(people):
    people.add_position(actor="macron", question="ground-troops", stance="open", date="2024", quote="words")
    people.conn.execute("DELETE FROM positions_fts")  # external-content FTS: drops the index only
    assert any("positions_fts" in p for p in people.check())


# ---------------------------------------------------------------------- transactions


def test_failed_write_in_a_transaction_rolls_back(people, db_path):
    before = table_counts(db_path)
    with pytest.raises(TrackerError):
        with people.transaction():
            people.add_actor("Someone")
            people.add_actor("Someone")  # duplicate slug
    assert table_counts(db_path) == before
    assert not people.conn.in_transaction
