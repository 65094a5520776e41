"""Exchange formats: JSONL and CSV import (all or nothing, idempotent) and export (sorted, round-tripping)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.cli.exchange import open_input
from tracker.errors import TrackerError
from tracker.formats import csvfile, jsonl
from tracker.formats.importer import import_records
from tracker.formats.records import _plain_position, check_record, derived_uid
from tracker.store import Store

from conftest import SAMPLE_COUNTS, jsonl_text, table_counts, table_dump


def import_jsonl(store: Store, text: str, *, dry_run: bool = False):
    return import_records(store, jsonl.read_records(io.StringIO(text)), dry_run=dry_run)


def import_csv(store: Store, text: str, *, dry_run: bool = False):
    return import_records(store, csvfile.read_records(store, io.StringIO(text, newline="")), dry_run=dry_run)


def export_jsonl(store: Store, **filters) -> str:
    out = io.StringIO()
    jsonl.write(store.conn, out, **filters)
    return out.getvalue()


def export_csv(store: Store, **filters) -> str:
    out = io.StringIO(newline="")
    csvfile.write(store.conn, out, **filters)
    return out.getvalue()


def outcomes(report, outcome: str) -> dict[str, int]:
    return {kind: n for (kind, o), n in report.counts.items() if o == outcome and n}


# ---------------------------------------------------------------------- JSONL import


def test_import_creates_rows_and_reports_counts(store, db_path, sample_records):
    empty = table_counts(db_path)
    report = import_jsonl(store, jsonl_text(sample_records))
    assert outcomes(report, "created") == SAMPLE_COUNTS
    assert outcomes(report, "updated") == {}
    counts = table_counts(db_path)
    for table, kind in (("actors", "actor"), ("questions", "question"), ("sources", "source"), ("positions", "position")):
        assert counts[table] - empty[table] == SAMPLE_COUNTS[kind]
    assert counts["actor_aliases"] == 3
    lines = report.lines()
    assert "actors: 4 created" in lines and "positions: 4 created" in lines
    assert any(line.startswith("new actor macron") and "question ground-troops" in line for line in lines)

    macron = store.resolve_actor("macron")
    assert (macron.parent_slug, macron.country, macron.aliases) == ("france", "FR", ("Macron", "le président français"))
    seed = store.position("00000000-0000-4000-8000-000000000002")
    assert (seed.date.edtf, seed.level.key, seed.source.url, seed.tags) == (
        "2024-02-26", "not-excluded", "https://example.org/seed", ("seed",),
    )  # fmt: skip
    rutte = next(p for p in store.positions() if p.actor_slug == "mark-rutte")
    assert rutte.level.key == "reluctant"  # by label, case-insensitive
    assert store.resolve_question("long-range").scale_key == "agreement"
    assert store.check() == []
    # Imported rows are in the search index.
    assert [h.id for h in store.search("ambiguite") if h.kind == "position"] == [seed.id]
    assert [h.title for h in store.search("president francais")] == ["Emmanuel Macron"]


def test_importing_twice_changes_nothing(sample_store, db_path, sample_records):
    before = table_dump(db_path)
    report = import_jsonl(sample_store, jsonl_text(sample_records))
    assert outcomes(report, "created") == {} and outcomes(report, "updated") == {}
    assert outcomes(report, "unchanged") == SAMPLE_COUNTS
    assert table_dump(db_path) == before  # updated_at included, and no new revisions


def test_exported_file_imported_again_changes_nothing(sample_store, db_path):
    exported = export_jsonl(sample_store)
    before = table_dump(db_path)
    report = import_jsonl(sample_store, exported)
    assert outcomes(report, "created") == {} and outcomes(report, "updated") == {}
    assert outcomes(report, "unchanged") == SAMPLE_COUNTS | {"scale": 2}
    assert table_dump(db_path) == before


def test_changed_record_is_updated_and_logged(sample_store, sample_records):
    france = next(r for r in sample_records if r.get("slug") == "france")
    seed = next(r for r in sample_records if r.get("uid") == "00000000-0000-4000-8000-000000000002")
    report = import_jsonl(
        sample_store, jsonl_text([france | {"name": "République française"}, seed | {"notes": "edited"}])
    )
    assert outcomes(report, "updated") == {"actor": 1, "position": 1}
    assert sample_store.resolve_actor("france").name == "République française"
    revs = sample_store.revisions("positions", seed["uid"])
    assert revs[-1]["action"] == "update" and json.loads(revs[-1]["after"])["notes"] == "edited"


def test_export_import_export_gives_the_same_bytes(sample_store, tmp_path):
    first = export_jsonl(sample_store)
    assert first.endswith("\n") and all(json.loads(line) for line in first.splitlines())
    with Store.open(tmp_path / "other.db") as other:
        import_jsonl(other, first)
        assert export_jsonl(other) == first


def test_export_is_sorted_by_kind_then_key(sample_store):
    kinds = [json.loads(line)["type"] for line in export_jsonl(sample_store).splitlines()]
    assert kinds == sorted(kinds, key=["scale", "actor", "question", "source", "position"].index)
    actors = [json.loads(line)["slug"] for line in export_jsonl(sample_store).splitlines() if '"actor"' in line[:20]]
    assert actors == sorted(actors)


def test_filtered_export_has_what_the_positions_need(sample_store):
    macron = sample_store.resolve_actor("macron")
    records = [json.loads(line) for line in export_jsonl(sample_store, actor_id=macron.id).splitlines()]
    by_type: dict[str, list] = {}
    for r in records:
        by_type.setdefault(r["type"], []).append(r)
    assert [s["key"] for s in by_type["scale"]] == ["commitment"]
    assert [a["slug"] for a in by_type["actor"]] == ["france", "macron"]  # the parent comes along
    assert [q["slug"] for q in by_type["question"]] == ["ground-troops"]
    assert len(by_type["source"]) == 1 and len(by_type["position"]) == 2


def test_positions_without_uid_get_a_stable_derived_uid(sample_store, tmp_path, sample_records):
    expected = derived_uid("position", "mark-rutte", "ground-troops", "2024-02-27", "Reluctant", "not on the agenda")
    assert sample_store.position(expected).actor_slug == "mark-rutte"
    with Store.open(tmp_path / "other.db") as other:
        import_jsonl(other, jsonl_text(sample_records))
        assert other.position(expected).actor_slug == "mark-rutte"
    # An actor without uid is found again by its slug.
    rutte = next(r for r in sample_records if r.get("slug") == "mark-rutte")
    report = import_jsonl(sample_store, jsonl_text([rutte]))
    assert outcomes(report, "unchanged") == {"actor": 1}


def test_records_in_any_order(store):
    text = jsonl_text(
        [
            {"type": "position", "actor": "b", "question": "q", "stance": "open", "date": "2024", "source": "https://s.example/x"},
            {"type": "source", "url": "https://s.example/x", "title": "X"},
            {"type": "question", "slug": "q", "title": "Q"},
            {"type": "actor", "slug": "b", "name": "B", "parent": "a"},
            {"type": "actor", "slug": "a", "name": "A"},
        ]
    )
    report = import_jsonl(store, text)
    assert outcomes(report, "created") == {"actor": 2, "question": 1, "source": 1, "position": 1}
    assert store.resolve_actor("b").parent_slug == "a"


def test_dry_run_reports_but_writes_nothing(store, db_path, sample_records):
    before = table_dump(db_path)
    report = import_jsonl(store, jsonl_text(sample_records), dry_run=True)
    assert outcomes(report, "created") == SAMPLE_COUNTS
    assert report.lines()[-1] == "dry run: nothing was written"
    assert any("would be created" in line for line in report.lines())
    assert table_dump(db_path) == before
    assert not store.conn.in_transaction
    import_jsonl(store, jsonl_text(sample_records))  # the store is still usable
    assert store.count_positions() == 4


def test_empty_file(store):
    report = import_jsonl(store, "\n  \n")
    assert report.lines() == ["nothing to import: the file has no records"]


# ---------------------------------------------------------------------- JSONL bad lines

GOOD_EXTRA = [
    {"type": "actor", "slug": "poland", "name": "Poland", "kind": "government"},
    {"type": "position", "actor": "poland", "question": "ground-troops", "stance": "open", "date": "2024-03"},
    {"type": "source", "url": "https://example.org/other", "title": "Other"},
]
POS = {"type": "position", "actor": "macron", "question": "ground-troops", "stance": "open", "date": "2024-03-01"}

BAD_LINES = {
    "unknown actor": (json.dumps(POS | {"actor": "nobody"}), "actor 'nobody' is not defined"),
    "bad stance": (json.dumps(POS | {"stance": "enthusiastic"}), "stance 'enthusiastic' is not a level"),
    "stance of another scale": (json.dumps(POS | {"stance": "supports"}), "stance 'supports'"),
    "bad date": (json.dumps(POS | {"date": "31 février 2024"}), "date '31 février 2024'"),
    "invalid JSON": ('{"type": "actor", "slug": ', "not valid JSON"),
    "not an object": ("[1, 2]", "each line must be a JSON object"),
    "unknown field": (json.dumps(POS | {"mood": "happy"}), "unknown field for a position: 'mood'"),
    "unknown type": (json.dumps({"type": "opinion", "slug": "x"}), "type 'opinion' is not one of"),
    "missing type": (json.dumps({"slug": "x"}), "type None is not one of"),
    "bad slug": (json.dumps({"type": "actor", "slug": "Not A Slug", "name": "x"}), "slug 'Not A Slug' is not valid"),
    "bad country": (json.dumps({"type": "actor", "slug": "x", "name": "X", "country": "France"}), "country 'France'"),
    "bad uid": (json.dumps(POS | {"uid": "nope"}), "uid 'nope' is not a UUID"),
    "unknown question": (json.dumps(POS | {"question": "nothing"}), "question 'nothing' is not defined"),
    "unknown source": (json.dumps(POS | {"source": "https://nowhere.example"}), "source 'https://nowhere.example'"),
    "unknown parent": (json.dumps({"type": "actor", "slug": "x", "name": "X", "parent": "nobody"}), "parent 'nobody'"),
    "own parent": (json.dumps({"type": "actor", "slug": "x", "name": "X", "parent": "x"}), "its own parent"),
    "number as text": (json.dumps(POS | {"quote": 12}), "quote must be text"),
    "NUL": (json.dumps(POS | {"quote": "a\x00b"}), "NUL"),
    "lone surrogate": ('{"type": "actor", "slug": "x", "name": "bad \\udcff"}', "not valid text"),
    "two-line name": (json.dumps({"type": "actor", "slug": "x", "name": "a\nb"}), "one line"),
    "unknown scale": (json.dumps({"type": "question", "slug": "x", "title": "X", "scale": "vibes"}), "scale 'vibes'"),
    "tags not a list": (json.dumps(POS | {"tags": 3}), "tags must be a list"),
}


@pytest.mark.parametrize("case", list(BAD_LINES))
def test_bad_line_aborts_with_its_number_and_writes_nothing(sample_store, db_path, case):
    bad, reason = BAD_LINES[case]
    lines = [json.dumps(r) for r in GOOD_EXTRA]
    lines.insert(2, bad)  # after good records, before another good one
    before = table_dump(db_path)
    with pytest.raises(TrackerError) as err:
        import_jsonl(sample_store, "\n".join(lines) + "\n")
    message = str(err.value)
    assert message.startswith("line 3: "), message
    assert reason in message
    assert "\n" not in message
    assert table_dump(db_path) == before
    assert not sample_store.conn.in_transaction


def test_parent_loop_is_refused(store, db_path):
    before = table_dump(db_path)
    text = jsonl_text(
        [
            {"type": "actor", "slug": "a", "name": "A", "parent": "b"},
            {"type": "actor", "slug": "b", "name": "B", "parent": "c"},
            {"type": "actor", "slug": "c", "name": "C", "parent": "a"},
        ]
    )
    with pytest.raises(TrackerError, match="form a loop"):
        import_jsonl(store, text)
    assert table_dump(db_path) == before


def test_blank_lines_count_in_line_numbers(store):
    text = "\n\n" + json.dumps({"type": "actor", "slug": "a", "name": "A"}) + "\n\n{oops\n"
    with pytest.raises(TrackerError, match=r"^line 5: not valid JSON"):
        import_jsonl(store, text)


def test_many_positions_then_a_bad_one_writes_nothing(store, db_path):
    """More positions than one write batch, so some were already sent to SQLite."""
    records = [
        {"type": "actor", "slug": "a", "name": "A"},
        {"type": "question", "slug": "q", "title": "Q"},
    ] + [
        {"type": "position", "actor": "a", "question": "q", "stance": "open", "date": "2024-01-01", "quote": str(i)}
        for i in range(5200)
    ]
    text = jsonl_text(records) + json.dumps(POS | {"actor": "a", "question": "q", "stance": "?"}) + "\n"
    before = table_dump(db_path)
    with pytest.raises(TrackerError, match=r"^line 5203: stance '\?'"):
        import_jsonl(store, text)
    assert table_dump(db_path) == before


def cli_import(runner, db_path, path, *args):
    return runner.invoke(cli, ["--db", str(db_path), "import", str(path), *args])


def test_non_utf8_line_is_named(runner, db_path, tmp_path, sample_records):
    path = tmp_path / "bad.jsonl"
    good = jsonl_text(sample_records).encode("utf-8")
    path.write_bytes(good + b'{"type": "actor", "slug": "x", "name": "caf\xe9"}\n' + good)
    result = cli_import(runner, db_path, path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"tracker: line {len(sample_records) + 1}: the file is not UTF-8 text"
    with Store.open(db_path) as s:
        assert s.count_positions() == 0 and s.actors() == []


def test_byte_order_mark_is_accepted(runner, db_path, tmp_path, sample_records):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl_text(sample_records).encode("utf-8"))
    result = cli_import(runner, db_path, path)
    assert result.exit_code == 0, result.output
    assert "positions: 4 created" in result.stdout


# ---------------------------------------------------------------------- the fast path for positions

# Values a position's fields may hold in a file: (accepted, refused). The accepted ones include
# spaces to strip, falsy values read as the default, and forms the general checks rewrite
# (an upper-case uid, "Reported"), which the fast path must leave to them.
MISSING = object()
FIELD_VALUES = {
    "actor": (["macron", "ground-troops", "a" * 80], [" macron", "Macron", "a" * 81, "a--b", "", None, 5]),
    "question": (["ground-troops", "q-1"], ["Q", "q_1", "", None, []]),
    "stance": (["open", " open ", "Not excluded"], ["", "  ", None, 3]),
    "date": (["2024-02-26", "2024-02", "2024", "2022~", " 2024-02 ", "26 Feb 2024", "1er mars 2024", "today"],
             ["2024-02-30", "26/02/2024", "", " ", None, 2024]),
    "uid": ([MISSING, None, "", "0b9c2a4e-3f61-4c1e-9d7a-5e8f2b6c1a90", "0B9C2A4E-3F61-4C1E-9D7A-5E8F2B6C1A90",
             "{0b9c2a4e-3f61-4c1e-9d7a-5e8f2b6c1a90}", " 0b9c2a4e-3f61-4c1e-9d7a-5e8f2b6c1a90"], ["nope", 7]),
    "quote_lang": ([MISSING, None, "", "fr", "pt-BR", " fr"], ["FR", "f", 0]),
    "source": ([MISSING, None, "", "  ", "https://example.org/a", " https://example.org/a "], [1, []]),
    "confidence": ([MISSING, None, "", "confirmed", "reported", "Reported", " inferred", 0, False, [], {}],
                   ["maybe", 1, True]),
    "tags": ([MISSING, None, [], ["a"], ["a", "a", " b ", "", None]], [["x", 1], "a,b", {}, 0]),
    "quote": ([MISSING, None, "", "  padded  ", "[bold]é"], [12, ["a"], "x" * 100_001]),
    "paraphrase": ([MISSING, ""], [0.5]),
    "context": ([MISSING, ""], [{}]),
    "notes": ([MISSING, "", "n"], [False]),
}  # fmt: skip
ANY_LINE_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)


@st.composite
def position_values(draw) -> dict:
    """A position record, mostly accepted: at most two of its fields hold a refused value."""
    odd = draw(st.sets(st.sampled_from(sorted(FIELD_VALUES)), max_size=2))
    raw = {"type": "position"}
    for name, (accepted, refused) in FIELD_VALUES.items():
        if name in odd:
            value = draw(st.sampled_from(refused))
        elif name in ("quote", "paraphrase", "context", "notes"):
            value = draw(st.one_of(st.sampled_from(accepted), ANY_LINE_TEXT))
        else:
            value = draw(st.sampled_from(accepted))
        if value is not MISSING:
            raw[name] = value
    return raw


def checked(line: str, **kw):
    """What check_record says of a line: the record, or the error's message."""
    try:
        return check_record(json.loads(line), **kw)
    except TrackerError as e:
        return f"refused: {e}"


@settings(max_examples=400, deadline=None)
@given(position_values())
def test_the_fast_path_agrees_with_the_general_checks(raw):
    line = json.dumps(raw, ensure_ascii=False)
    assume("\\" not in line)  # the fast path is taken only for lines without a backslash
    assert checked(line, plain=True) == checked(line)


@settings(max_examples=200, deadline=None)
@given(position_values())
def test_a_line_reads_the_same_with_and_without_escapes(raw):
    """ensure_ascii writes every non-ASCII character as an escape: the same record, read
    through the general path (a backslash) and, when it has none, through the fast one."""
    escaped, plain = json.dumps(raw, ensure_ascii=True), json.dumps(raw, ensure_ascii=False)
    assume("\\" not in plain)
    assert read_one(escaped) == read_one(plain)


def read_one(line: str):
    try:
        return list(jsonl.read_records(io.StringIO(line + "\n")))
    except TrackerError as e:
        return f"refused: {e}"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("quote", "a\x00b", "quote contains a NUL character"),
        ("stance", "op\nen", "stance must be on one line"),
        ("source", "https://example.org/\ra", "source must be on one line"),
        ("notes", "bad \udcff", "notes is not valid text"),
        ("tags", ["a\nb"], "tag must be on one line"),
    ],
)
def test_escapes_that_make_bad_text_are_still_refused(field, value, reason):
    """Only an escape can put a control character or a lone surrogate in a JSON string:
    such lines hold a backslash and take the general path."""
    line = json.dumps(POS | {field: value})
    assert "\\" in line
    assert read_one(line).startswith(f"refused: line 1: {reason}")


def test_the_fast_path_takes_what_an_export_writes(sample_store):
    """Every position line of an export takes the fast path (and so gives what the general one does)."""
    for line in export_jsonl(sample_store).splitlines():
        raw = json.loads(line)
        if raw["type"] == "position" and "\\" not in line:
            assert _plain_position(raw) == check_record(raw)


# ---------------------------------------------------------------------- round trip of random datasets

ONE_LINE = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\n\r"), min_size=0, max_size=20
)
MARKUP = st.sampled_from(["[bold]", "[/]", "[/b]", "\x1b[31m", '"', "'", "\\", "<b>", "`", "|", "\u2028", "\x85"])
ANY_TEXT = st.lists(
    st.one_of(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20), MARKUP),
    max_size=4,
).map("".join)
NAME = st.lists(st.one_of(ONE_LINE, MARKUP.filter(lambda m: m not in "\u2028\x85")), max_size=3).map(
    lambda parts: "".join(parts).strip()
).filter(bool)
DATES = st.sampled_from(
    ["2024-02-26", "2024-02", "2024", "2022~", "26 février 2024", "fév. 2024", "1er mars 2024", "26 Feb 2024", "0001"]
)
COMMITMENT = ["ruled-out", "reluctant", "not-excluded", "open", "committed", "implemented", "Not excluded", "OPEN"]
AGREEMENT = ["strongly-opposes", "opposes", "ambiguous", "supports", "strongly-supports", "Supports"]
SLUGS = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True)


@st.composite
def datasets(draw):
    records = []
    actor_slugs = draw(st.lists(SLUGS, min_size=1, max_size=4, unique=True))
    for i, slug in enumerate(actor_slugs):
        rec = {"type": "actor", "slug": slug, "name": draw(NAME), "kind": draw(st.sampled_from(["person", "other", "government"]))}
        if draw(st.booleans()):
            rec["uid"] = str(draw(st.uuids()))
        if draw(st.booleans()):
            rec["country"] = draw(st.sampled_from(["FR", "de", "NL"]))
        if i and draw(st.booleans()):
            rec["parent"] = actor_slugs[i - 1]
        rec["aliases"] = draw(st.lists(NAME, max_size=2))
        records.append(rec)
    question_slugs = draw(st.lists(SLUGS, min_size=1, max_size=3, unique=True))
    scales = {}
    for slug in question_slugs:
        scales[slug] = draw(st.sampled_from(["commitment", "agreement"]))
        records.append(
            {"type": "question", "slug": slug, "title": draw(NAME), "description": draw(ANY_TEXT),
             "scale": scales[slug], "tags": draw(st.lists(NAME, max_size=2))}  # fmt: skip
        )
    urls = draw(st.lists(st.from_regex(r"https://[a-z]{1,5}\.example/[a-z0-9]{0,5}", fullmatch=True), max_size=3, unique=True))
    for url in urls:
        records.append(
            {"type": "source", "url": url, "title": draw(ONE_LINE), "outlet": draw(ONE_LINE),
             "published": draw(st.none() | DATES), "language": draw(st.sampled_from(["", "fr", "en", "pt-BR"]))}  # fmt: skip
        )
    for _ in range(draw(st.integers(0, 8))):
        question = draw(st.sampled_from(question_slugs))
        rec = {
            "type": "position",
            "actor": draw(st.sampled_from(actor_slugs)),
            "question": question,
            "stance": draw(st.sampled_from(COMMITMENT if scales[question] == "commitment" else AGREEMENT)),
            "date": draw(DATES),
            "quote": draw(ANY_TEXT),
            "quote_lang": draw(st.sampled_from(["", "fr"])),
            "paraphrase": draw(ANY_TEXT),
            "context": draw(ANY_TEXT),
            "source": draw(st.sampled_from([None, *urls])),
            "confidence": draw(st.sampled_from(["confirmed", "reported", "inferred"])),
            "notes": draw(ANY_TEXT),
            "tags": draw(st.lists(NAME, max_size=2)),
        }
        if draw(st.booleans()):
            rec["uid"] = str(draw(st.uuids()))
        records.append(rec)
    return draw(st.permutations(records))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(datasets())
def test_round_trip_of_random_datasets_is_byte_identical(records):
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "a.db") as a, Store.open(Path(tmp) / "b.db") as b:
            import_jsonl(a, jsonl_text(records))
            first = export_jsonl(a)
            # Read back the way the command line reads a file.
            path = Path(tmp) / "export.jsonl"
            path.write_text(first, encoding="utf-8")
            with open_input(str(path), "jsonl") as f:
                import_records(b, jsonl.read_records(f))
            assert export_jsonl(b) == first
            before = table_dump(Path(tmp) / "a.db")
            report = import_jsonl(a, first)
            assert outcomes(report, "created") == {} and outcomes(report, "updated") == {}
            assert table_dump(Path(tmp) / "a.db") == before


# ---------------------------------------------------------------------- CSV

HEADER = "actor,question,stance,date,quote,quote_lang,paraphrase,context,source_url,source_title,outlet,confidence,notes"


def csv_text(*rows: list[str], header: str = HEADER) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header.split(","))
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def row(actor="Emmanuel Macron", question="ground-troops", stance="open", date="2024-03-01", quote="", url="", title="", outlet="", **kw):
    values = {"quote_lang": "", "paraphrase": "", "context": "", "confidence": "", "notes": ""} | kw
    return [actor, question, stance, date, quote, values["quote_lang"], values["paraphrase"], values["context"], url,
            title, outlet, values["confidence"], values["notes"]]  # fmt: skip


def test_csv_export_header_and_rows(sample_store):
    text = export_csv(sample_store)
    lines = text.splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    seed = next(r for r in rows if r["stance"] == "not-excluded")
    assert (seed["actor"], seed["date"], seed["source_url"], seed["source_title"]) == (
        "macron", "2024-02-26", "https://example.org/seed", "Paris conference",
    )  # fmt: skip


def test_csv_import_creates_missing_actors_and_questions(sample_store, db_path):
    text = csv_text(
        row(actor="Emmanuel Macron", stance="OPEN", quote="a, \"quoted\"\nline"),
        row(actor="Rutte", stance="not excluded"),
        row(actor="Olaf Scholz", question="Long-range missiles for Ukraine", stance="Strongly Opposes", date="2023"),
        row(actor="Donald Tusk", question="Air defence", stance="committed", date="fév. 2024", confidence="Reported"),
        row(actor="Donald Tusk", question="Air defence", stance="Implemented", date="2024-06"),
    )
    report = import_csv(sample_store, text)
    assert outcomes(report, "created") == {"actor": 2, "question": 1, "position": 5}
    assert any(
        line == "new actor olaf-scholz, actor donald-tusk, question air-defence were created" for line in report.lines()
    ), report.lines()
    tusk = sample_store.resolve_actor("donald-tusk")
    assert tusk.name == "Donald Tusk"
    air = sample_store.resolve_question("air-defence")
    assert (air.title, air.scale_key) == ("Air defence", "commitment")
    levels = {(p.actor_slug, p.question_slug, p.date.edtf): (p.level.key, p.quote, p.confidence) for p in sample_store.positions()}
    assert levels[("macron", "ground-troops", "2024-03-01")] == ("open", 'a, "quoted"\nline', "confirmed")
    assert levels[("mark-rutte", "ground-troops", "2024-03-01")][0] == "not-excluded"
    assert levels[("olaf-scholz", "long-range", "2023")][0] == "strongly-opposes"
    assert levels[("donald-tusk", "air-defence", "2024-02")] == ("committed", "", "reported")
    assert sample_store.check() == []
    before = table_dump(db_path)
    again = import_csv(sample_store, text)
    assert outcomes(again, "created") == {} and outcomes(again, "updated") == {}
    assert table_dump(db_path) == before


def test_csv_sources_are_deduplicated_by_url(sample_store):
    text = csv_text(
        row(date="2024-03-01", url="https://example.org/new", title="New"),
        row(date="2024-03-02", url="https://example.org/new", title="New"),
        row(date="2024-03-03", url="https://example.org/new", title="New, retitled"),
        row(date="2024-03-04", url="https://example.org/seed", title="Paris conference"),
        row(date="2024-03-05", url="https://example.org/seed", title=""),
        row(date="2024-03-06", title="A book", outlet="Press"),
        row(date="2024-03-07", title="A book", outlet="Press"),
    )
    import_csv(sample_store, text)
    sources = sample_store.sources()
    assert sorted(s.url or s.title for s in sources) == ["A book", "https://example.org/new", "https://example.org/seed"]
    by_date = {p.date.edtf: p.source for p in sample_store.positions()}
    assert by_date["2024-03-01"].uid == by_date["2024-03-02"].uid == by_date["2024-03-03"].uid
    assert by_date["2024-03-04"].uid == by_date["2024-03-05"].uid == "00000000-0000-4000-8000-0000000000c1"
    assert by_date["2024-03-06"].uid == by_date["2024-03-07"].uid


CSV_BAD = {
    "wrong cell count": (lambda: csv_text(row(), row()[:5], row()), 3, "5 cells where the header has 13"),
    "bad date": (lambda: csv_text(row(), row(), row(date="31 février 2024")), 4, "date '31 février 2024'"),
    "bad stance": (lambda: csv_text(row(), row(stance="maybe")), 3, "stance 'maybe'"),
    "missing column": (lambda: csv_text(["a", "q", "open"], header="actor,question,stance"), 1, "missing column date"),
    "unknown column": (lambda: csv_text(row() + ["x"], header=HEADER + ",mood"), 1, "unknown column 'mood'"),
    # A file names a stance exactly (an ambiguous actor name: tests/test_exact_lookups.py).
    "stance by rank": (lambda: csv_text(row(), row(stance="3")), 3, "stance '3' is not a level"),
    "stance by prefix": (lambda: csv_text(row(), row(stance="commi")), 3, "stance 'commi' is not a level"),
    "empty actor": (lambda: csv_text(row(), row(actor=" ")), 3, "actor is required"),
    "bad url": (lambda: csv_text(row(url="ftp://x")), 2, "url 'ftp://x'"),
    "bad confidence": (lambda: csv_text(row(confidence="sure")), 2, "confidence 'sure'"),
    "after a multi-line cell": (lambda: csv_text(row(quote="one\ntwo\nthree"), row(date="never")), 5, "date 'never'"),
}


@pytest.mark.parametrize("case", list(CSV_BAD))
def test_csv_bad_row_aborts_with_its_line_and_writes_nothing(sample_store, db_path, case):
    make, line, reason = CSV_BAD[case]
    before = table_dump(db_path)
    with pytest.raises(TrackerError) as err:
        import_csv(sample_store, make())
    assert str(err.value).startswith(f"line {line}: "), str(err.value)
    assert reason in str(err.value)
    assert table_dump(db_path) == before


def test_csv_dry_run_writes_nothing(sample_store, db_path):
    before = table_dump(db_path)
    report = import_csv(sample_store, csv_text(row(actor="New Person")), dry_run=True)
    assert report.lines()[-1] == "dry run: nothing was written"
    assert table_dump(db_path) == before


def test_csv_round_trip_into_an_empty_file_keeps_the_positions(sample_store, tmp_path):
    import_jsonl(sample_store, jsonl_text([POS | {"quote": "line one\r\nline two, \"quoted\"", "notes": "=1+1"}]))
    text = export_csv(sample_store)
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8", newline="")

    def key(p):
        src = p.source
        return (p.actor_slug, p.question_slug, p.level.key, p.date.edtf, p.quote, p.quote_lang, p.paraphrase,
                p.context, src.url if src else None, src.title if src else None, p.confidence, p.notes)  # fmt: skip

    commitment = [key(p) for p in sample_store.positions() if p.question_slug != "long-range"]
    with Store.open(tmp_path / "other.db") as other:
        with path.open(encoding="utf-8", newline="") as f:
            report = import_records(other, csvfile.read_records(other, f))
        assert outcomes(report, "created")["position"] == len(commitment)
        assert sorted(key(p) for p in other.positions()) == sorted(commitment)
        assert export_csv(other) == text


def test_csv_name_that_only_slugifies_to_an_existing_row_does_not_overwrite_it(store, db_path):
    store.add_actor("Emmanuel Macron", slug="macron", kind="person", country="FR", aliases=["Manu"])
    store.add_question("Ground troops", description="an important description")
    report = import_csv(store, csv_text(row(actor="MACRON!!", question="Ground troops!", stance="open", date="2024")))
    assert outcomes(report, "created") == {"position": 1}
    assert outcomes(report, "updated") == {}
    macron = store.resolve_actor("macron")
    assert (macron.name, macron.kind, macron.country, macron.aliases) == ("Emmanuel Macron", "person", "FR", ("Manu",))
    assert store.resolve_question("ground-troops").description == "an important description"
    assert store.positions()[0].actor_slug == "macron"


# ---------------------------------------------------------------------- merging datasets


def test_merging_a_dataset_that_cites_the_same_article(tmp_path):
    """Two files made apart, each with its own source row (own uid) for one URL."""
    with Store.open(tmp_path / "a.db") as a, Store.open(tmp_path / "b.db") as b:
        for s, who in ((a, "Alice"), (b, "Bob")):
            s.add_actor(who)
            s.add_question("Ground troops", slug="q")
            src = s.add_source(url="https://example.org/same", title=f"seen by {who}")
            s.add_position(actor=who.lower(), question="q", stance="open", date="2024", source=src.uid)
        report = import_jsonl(a, export_jsonl(b))
        assert outcomes(report, "created") == {"actor": 1, "position": 1}
        assert len(a.sources()) == 1
        bob = a.positions(actor_id=a.resolve_actor("bob").id)[0]
        assert bob.source.url == "https://example.org/same"
        assert a.check() == []


def test_scale_records(store, db_path):
    scale = {"type": "scale", "key": "yes-no", "name": "Yes or no", "levels": [
        {"key": "no", "label": "No"}, {"key": "maybe", "label": "Maybe", "colour": "#888"}, {"key": "yes", "label": "Yes"}]}  # fmt: skip
    question = {"type": "question", "slug": "q", "title": "Q", "scale": "yes-no"}
    actor = {"type": "actor", "slug": "a", "name": "A"}
    position = {"type": "position", "actor": "a", "question": "q", "stance": "Maybe", "date": "2024"}
    report = import_jsonl(store, jsonl_text([position, question, actor, scale]))
    assert outcomes(report, "created") == {"scale": 1, "actor": 1, "question": 1, "position": 1}
    assert [(lv.key, lv.rank, lv.colour) for lv in store.scale("yes-no").levels] == [
        ("no", 0, ""), ("maybe", 1, "#888"), ("yes", 2, ""),
    ]  # fmt: skip
    assert store.positions()[0].level.key == "maybe"
    relabelled = scale | {"levels": [{"key": "no", "label": "Nope"}, *scale["levels"][1:]]}
    assert outcomes(import_jsonl(store, jsonl_text([relabelled])), "updated") == {"scale": 1}
    assert store.scale("yes-no").levels[0].label == "Nope"
    before = table_dump(db_path)
    reordered = scale | {"levels": list(reversed(scale["levels"]))}
    with pytest.raises(TrackerError, match=r"^line 1: the scale 'yes-no' already exists with the levels no, maybe, yes"):
        import_jsonl(store, jsonl_text([reordered]))
    assert table_dump(db_path) == before
    with Store.open(db_path.with_name("copy.db")) as other:
        import_jsonl(other, export_jsonl(store))
        assert export_jsonl(other) == export_jsonl(store)


def test_csv_non_utf8_row_is_named(runner, db_path, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "actor,question,stance,date,quote\r\nMacron,Ground troops,open,2024,\"two\r\nlines\"\r\n".encode()
        + b"Fran\xe7ois Hollande,Ground troops,open,2015,\r\n"
    )
    result = cli_import(runner, db_path, path)
    assert result.exit_code == 1
    assert result.stderr == "tracker: line 4: the file is not UTF-8 text\n"
    with Store.open(db_path) as s:
        assert s.actors() == [] and s.count_positions() == 0


def test_non_utf8_on_stdin_is_named(runner, db_path, sample_records):
    data = jsonl_text(sample_records).encode("utf-8") + b'{"type": "actor", "slug": "x", "name": "\xff"}\n'
    result = runner.invoke(cli, ["--db", str(db_path), "import", "-"], input=data)
    assert result.exit_code == 1
    assert result.stderr == f"tracker: line {len(sample_records) + 1}: the file is not UTF-8 text\n"
