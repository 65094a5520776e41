"""The command line: every command on a small dataset, exit codes, one-line errors, literal output."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import cli
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.store import Store

from conftest import SAMPLE_RECORDS, jsonl_text, table_counts, table_dump

WIDE = {"COLUMNS": "250", "TERM": "dumb", "NO_COLOR": "1"}
TRACKER = Path(sys.executable).parent / "tracker"


def run(runner: CliRunner, db_path: Path, *args: str, input: str | None = None):
    return runner.invoke(cli, ["--db", str(db_path), *args], env=WIDE, input=input)


def ok(runner, db_path, *args, input=None):
    result = run(runner, db_path, *args, input=input)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def assert_user_error(result, *fragments: str) -> str:
    """Exit code 1, exactly one line on stderr starting with "tracker: ", no traceback."""
    assert result.exit_code == 1, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception  # not an escaped Python exception
    err = result.stderr
    assert err.endswith("\n") and err.count("\n") == 1, repr(err)
    assert err.startswith("tracker: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


@pytest.fixture
def loaded(runner, db_path, sample_jsonl) -> Path:
    """The sample dataset imported into db_path by the command line."""
    ok(runner, db_path, "import", str(sample_jsonl))
    return db_path


# ---------------------------------------------------------------------- add


def test_add_commands(runner, loaded):
    db = loaded
    assert ok(runner, db, "add", "actor", "Olaf Scholz", "--kind", "person", "--country", "de", "--parent", "germany",
              "--alias", "Scholz", "--alias", "der Kanzler").stdout == "olaf-scholz\n"  # fmt: skip
    assert ok(runner, db, "add", "actor", "NATO", "--slug", "nato", "--kind", "alliance").stdout == "nato\n"
    assert ok(runner, db, "add", "question", "Air defence for Ukraine", "--scale", "agreement", "--tag", "ukraine",
              "--description", "Patriot systems").stdout == "air-defence-for-ukraine\n"  # fmt: skip
    uid = ok(runner, db, "add", "source", "--url", "https://example.org/scholz", "--title", "Scholz says no",
             "--outlet", "DW", "--published", "27 Feb 2024", "--language", "en").stdout.strip()  # fmt: skip
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", uid)
    out = ok(runner, db, "add", "position", "--actor", "Scholz", "--question", "ground", "--stance", "ruled-out",
             "--date", "27 février 2024", "--quote", "Keine Bodentruppen", "--quote-lang", "de",
             "--source", "https://example.org/scholz", "--confidence", "reported", "--notes", "n").stdout  # fmt: skip
    assert out.strip().isdigit()
    # A new URL creates its source.
    pid = ok(runner, db, "add", "position", "--actor", "nato", "--question", "air", "--stance", "supports",
             "--date", "2024-03", "--source", "https://example.org/brand-new").stdout.strip()  # fmt: skip
    with Store.open(db) as s:
        scholz = s.resolve_actor("der Kanzler")
        assert (scholz.slug, scholz.country, scholz.parent_slug) == ("olaf-scholz", "DE", "germany")
        p = s.position(out.strip())
        assert (p.actor_slug, p.level.key, p.date.edtf, p.quote_lang, p.source.uid, p.confidence) == (
            "olaf-scholz", "ruled-out", "2024-02-27", "de", uid, "reported",
        )  # fmt: skip
        assert s.position(pid).source.url == "https://example.org/brand-new"
        assert s.source(uid).published.edtf == "2024-02-27"


# ---------------------------------------------------------------------- list


def test_list_tables(runner, loaded):
    out = ok(runner, loaded, "list", "actors").stdout
    for fragment in ("Emmanuel Macron", "macron", "france", "Macron, le président français", "government"):
        assert fragment in out
    out = ok(runner, loaded, "list", "questions").stdout
    assert "Western ground troops in Ukraine" in out and "agreement" in out
    out = ok(runner, loaded, "list", "positions").stdout
    assert "26 Feb 2024" in out and "Jun 2023" in out and "Not excluded" in out


def test_list_json(runner, loaded):
    actors = json.loads(ok(runner, loaded, "list", "actors", "--json").stdout)
    assert {a["slug"] for a in actors} == {"france", "germany", "macron", "mark-rutte"}
    macron = next(a for a in actors if a["slug"] == "macron")
    assert macron["parent"] == "france" and macron["aliases"] == ["Macron", "le président français"]
    questions = json.loads(ok(runner, loaded, "list", "questions", "--json").stdout)
    assert {q["slug"]: q["scale"] for q in questions} == {"ground-troops": "commitment", "long-range": "agreement"}
    positions = json.loads(ok(runner, loaded, "list", "positions", "--json").stdout)
    assert len(positions) == 4
    seed = next(p for p in positions if p["stance"] == "not-excluded")
    assert (seed["date"], seed["date_display"], seed["source"]["url"]) == ("2024-02-26", "26 Feb 2024", "https://example.org/seed")
    assert seed["quote"].endswith("Une ambigüité stratégique.")


def test_list_positions_filters(runner, loaded):
    def slugs_dates(*args):
        return [(p["actor"], p["date"]) for p in json.loads(ok(runner, loaded, "list", "positions", "--json", *args).stdout)]

    assert slugs_dates("--actor", "Mac") == [("macron", "2023-06"), ("macron", "2024-02-26")]
    assert slugs_dates("--as-of", "2024-01") == [("macron", "2023-06")]
    assert sorted(slugs_dates("--as-of", "février 2024", "--question", "ground")) == [
        ("germany", "2024-02-27"), ("macron", "2024-02-26"), ("mark-rutte", "2024-02-27"),
    ]  # fmt: skip
    assert slugs_dates("--question", "long-range") == []


# ---------------------------------------------------------------------- reading


def test_timeline_has_change_markers(runner, loaded):
    out = ok(runner, loaded, "timeline").stdout
    assert "• first" in out
    assert "▲ +1 shift" in out and "8 months" in out
    assert out.index("Jun 2023") < out.index("26 Feb 2024") < out.index("27 Feb 2024")
    out = ok(runner, loaded, "timeline", "--actor", "macron", "--question", "ground-troops").stdout
    assert "Mark Rutte" not in out and "▲ +1 shift" in out


def test_timeline_with_no_positions(runner, db_path):
    Store.open(db_path).close()  # an empty database: reading commands never create one
    result = ok(runner, db_path, "timeline")
    assert result.stdout == "" and "no positions" in result.stderr


def test_diff(runner, loaded):
    with Store.open(loaded) as s:
        ids = {p.date.edtf: p.id for p in s.positions(actor_id=s.resolve_actor("macron").id)}
    out = ok(runner, loaded, "diff", str(ids["2024-02-26"])).stdout
    for fragment in ("Reluctant", "Not excluded", "shift", "8 months", "Emmanuel Macron"):
        assert fragment in out, fragment
    both = ok(runner, loaded, "diff", str(ids["2023-06"]), str(ids["2024-02-26"])).stdout
    assert both == out
    by_uid = ok(runner, loaded, "diff", "00000000-0000-4000-8000-000000000002").stdout
    assert by_uid == out


def test_diff_marks_words_when_output_has_no_colour(runner, loaded):
    """Piped output loses strike-through and underline, so removed and added words get marks."""
    with Store.open(loaded) as s:
        macron, question = s.resolve_actor("macron"), s.resolve_question("ground-troops")
        s.add_position(actor=macron, question=question, stance="open", date="2024-03-01", quote="never tanks, always planes")
        later = s.add_position(actor=macron, question=question, stance="open", date="2024-03-02", quote="never tanks, never planes")
    out = ok(runner, loaded, "diff", str(later.id)).stdout
    assert "never tanks, [-always-]{+never+} planes" in out


def test_search(runner, loaded):
    out = ok(runner, loaded, "search", "ambiguite").stdout
    assert "position" in out and "ambigüité" in out and "26 Feb 2024" in out
    out = ok(runner, loaded, "search", "president", "francais").stdout
    assert "actor" in out and "Emmanuel Macron" in out
    out = ok(runner, loaded, "search", "ground").stdout
    assert "question" in out
    result = ok(runner, loaded, "search", "zzzzqqq")
    assert "no matches" in result.stderr


# ---------------------------------------------------------------------- exchange


def test_import_reports(runner, db_path, sample_jsonl):
    out = ok(runner, db_path, "import", str(sample_jsonl), "--dry-run").stdout
    assert "positions: 4 created" in out and "dry run: nothing was written" in out
    with Store.open(db_path) as s:
        assert s.count_positions() == 0
    out = ok(runner, db_path, "import", str(sample_jsonl)).stdout
    assert "actors: 4 created" in out and "new actor" in out and "were created" in out
    out = ok(runner, db_path, "import", str(sample_jsonl)).stdout
    assert "positions: 4 unchanged" in out


def test_import_from_stdin_and_csv(runner, db_path, sample_jsonl, tmp_path):
    out = ok(runner, db_path, "import", "-", input=sample_jsonl.read_text(encoding="utf-8")).stdout
    assert "positions: 4 created" in out
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(
        "actor,question,stance,date,quote\r\nOlaf Scholz,ground-troops,Ruled out,2024-02-27,\"Nein, nein\"\r\n",
        encoding="utf-8",
    )
    out = ok(runner, db_path, "import", str(csv_path)).stdout
    assert "new actor olaf-scholz was created" in out
    out = ok(runner, db_path, "import", "--format", "csv", "-", input=csv_path.read_text(encoding="utf-8")).stdout
    assert "positions: 1 unchanged" in out


def test_export_to_stdout_and_file(runner, loaded, tmp_path):
    jsonl_out = ok(runner, loaded, "export", "jsonl").stdout
    lines = [json.loads(line) for line in jsonl_out.splitlines()]
    assert sum(r["type"] == "position" for r in lines) == 4
    result = ok(runner, loaded, "export", "jsonl", "-o", str(tmp_path / "out.jsonl"))
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == jsonl_out
    assert f"wrote {len(lines)} lines" in result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial file left

    csv_out = ok(runner, loaded, "export", "csv").stdout
    assert csv_out.splitlines()[0] == "actor,question,stance,date,quote,quote_lang,paraphrase,context,source_url,source_title,outlet,confidence,notes"
    assert len(csv_out.splitlines()) == 5
    result = ok(runner, loaded, "export", "csv", "--actor", "macron", "-o", str(tmp_path / "out.csv"))
    assert "wrote 2 rows" in result.stderr
    assert len((tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()) == 3
    filtered = ok(runner, loaded, "export", "jsonl", "--question", "ground-troops", "--actor", "rutte").stdout
    assert sum('"type": "position"' in line for line in filtered.splitlines()) == 1


def test_backup_and_check(runner, loaded, tmp_path):
    out = ok(runner, loaded, "backup", str(tmp_path / "copy.db")).stdout
    assert "backed up to" in out and "copy.db" in out
    assert table_dump(tmp_path / "copy.db") == table_dump(loaded)
    assert ok(runner, loaded, "check").stdout.strip() == f"{loaded}: ok (4 positions)"
    assert ok(runner, tmp_path / "copy.db", "check").stdout.strip().endswith("ok (4 positions)")


def test_check_reports_problems(runner, loaded):
    import sqlite3

    conn = sqlite3.connect(loaded)
    conn.execute("UPDATE positions SET actor_id = 999 WHERE id = 1")  # foreign keys are off in a plain connection
    conn.commit()
    conn.close()
    result = run(runner, loaded, "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "problem: positions row 1 refers to a missing row in actors" in lines
    assert lines[-1] == f"tracker: 1 problem found in {loaded}"


def test_tracker_db_environment_variable(runner, tmp_path):
    result = runner.invoke(cli, ["add", "actor", "France"], env=WIDE | {"TRACKER_DB": str(tmp_path / "env.db")})
    assert result.exit_code == 0 and (tmp_path / "env.db").exists()


# ---------------------------------------------------------------------- exit codes


USER_ERRORS = {
    "unknown actor": (["add", "position", "--actor", "nobody", "--question", "ground", "--stance", "open", "--date", "2024"], "no actor matches 'nobody'"),
    "ambiguous prefix": (["add", "position", "--actor", "m", "--question", "ground", "--stance", "open", "--date", "2024"], "ambiguous"),
    "bad date": (["add", "position", "--actor", "macron", "--question", "ground", "--stance", "open", "--date", "31 février 2024"], "31 février 2024"),
    "bad stance": (["add", "position", "--actor", "macron", "--question", "ground", "--stance", "eager", "--date", "2024"], "stance 'eager'"),
    "stance of another scale": (["add", "position", "--actor", "macron", "--question", "long-range", "--stance", "open", "--date", "2024"], "agreement"),
    "odd digits": (["add", "position", "--actor", "²", "--question", "ground", "--stance", "open", "--date", "2024"], "no actor matches"),
    "huge id": (["diff", "99999999999999999999999"], "no position"),
    "unknown source": (["add", "position", "--actor", "macron", "--question", "ground", "--stance", "open", "--date", "2024", "--source", "42"], "no source"),
    "bad country": (["add", "actor", "Somewhere", "--country", "France"], "country 'France'"),
    "duplicate slug": (["add", "actor", "France"], "slug 'france' already exists"),
    "bad scale": (["add", "question", "Q", "--scale", "vibes"], "no scale 'vibes'"),
    "bad url": (["add", "source", "--url", "javascript:alert(1)"], "not an http(s) address"),
    "diff of a first position": (["diff", "1"], "nothing earlier to compare with"),
    "unknown position": (["diff", "abc"], "no position"),
    "missing import file": (["import", "nothing-here.jsonl"], "nothing-here.jsonl: no such file"),
    "bad as-of": (["list", "positions", "--as-of", "soon"], "date 'soon'"),
    "unknown level": (["movers", "--question", "ground", "--level", "zzz"], "stance 'zzz'"),
    "nothing to search": (["search", "!!"], "nothing to search for"),
    "export unknown actor": (["export", "jsonl", "--actor", "nobody"], "no actor matches"),
    "export to a missing directory": (["export", "csv", "-o", "/nonexistent-dir/x.csv"], "/nonexistent-dir"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(USER_ERRORS))
def test_user_errors_exit_1_with_one_line(runner, loaded, case):
    args, fragment = USER_ERRORS[case]
    before = table_dump(loaded)
    assert_user_error(run(runner, loaded, *args), fragment)
    assert table_dump(loaded) == before


def test_import_of_a_directory(runner, loaded, tmp_path):
    before = table_dump(loaded)
    assert_user_error(run(runner, loaded, "import", str(tmp_path)), "is a directory")
    assert table_dump(loaded) == before


def test_import_of_a_bad_line(runner, loaded, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"type": "actor", "slug": "poland", "name": "Poland"}\n'
        '{"type": "position", "actor": "poland", "question": "ground-troops", "stance": "open", "date": "2024-13"}\n',
        encoding="utf-8",
    )
    before = table_dump(loaded)
    assert_user_error(run(runner, loaded, "import", str(path)), "line 2: ", "months run from 01 to 12")
    assert table_dump(loaded) == before


def test_missing_import_file_creates_no_database(runner, tmp_path):
    assert_user_error(run(runner, tmp_path / "new.db", "import", str(tmp_path / "missing.jsonl")), "no such file")
    assert not (tmp_path / "new.db").exists()


def test_backup_to_an_existing_file(runner, loaded, tmp_path):
    (tmp_path / "taken.db").write_bytes(b"mine")
    assert_user_error(run(runner, loaded, "backup", str(tmp_path / "taken.db")), "already exists")
    assert (tmp_path / "taken.db").read_bytes() == b"mine"


def test_db_in_a_missing_directory(runner, tmp_path):
    assert_user_error(run(runner, tmp_path / "no" / "t.db", "list", "actors"), str(tmp_path / "no"))
    assert list(tmp_path.iterdir()) == []


def test_db_pointing_at_a_text_file(runner, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n")
    assert_user_error(run(runner, path, "list", "actors"), "not a Position Tracker database", "untouched")
    assert path.read_text() == "my notes\n"


@pytest.mark.parametrize(
    "args",
    [
        ["add", "position", "--actor", "macron"],  # missing required options
        ["frobnicate"],  # unknown command
        ["list"],  # a group without its command
        ["add", "actor", "X", "--kind", "planet"],  # not a choice
        ["search", "x", "--limit", "0"],
    ],
)
def test_usage_errors_exit_2(runner, db_path, args):
    result = run(runner, db_path, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------- the real console script


def script(*args: str | bytes, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(TRACKER), "--db", str(db), *args], capture_output=True, timeout=60, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    )


def test_console_script_exit_codes(tmp_path):
    db = tmp_path / "t.db"
    done = script("add", "actor", "Emmanuel Macron", "--slug", "macron", db=db)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"macron\n", b"")

    for args, fragment in (
        (["add", "actor", "Emmanuel Macron", "--slug", "macron"], b"already exists"),
        (["diff", "\u00b2"], b"no position"),
        ([b"add", b"actor", b"caf\xe9", b"--slug", b"cafe"], b"not valid UTF-8"),
        (["import", str(tmp_path)], b"is a directory"),
    ):
        done = script(*args, db=db)
        assert done.returncode == 1, done
        assert done.stderr.startswith(b"tracker: ") and done.stderr.count(b"\n") == 1, done.stderr
        assert b"Traceback" not in done.stderr and fragment in done.stderr

    done = script("add", "position", db=db)
    assert done.returncode == 2 and b"Missing option" in done.stderr and b"Traceback" not in done.stderr

    text = tmp_path / "text.db"
    text.write_bytes(b"hello\n")
    done = script("list", "actors", db=text)
    assert done.returncode == 1 and done.stderr.count(b"\n") == 1 and text.read_bytes() == b"hello\n"


# ---------------------------------------------------------------------- arbitrary input


TEXT = st.text(max_size=30)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    with Store.open(path) as s:
        import_records(s, jsonl.read_records(io.StringIO(jsonl_text(SAMPLE_RECORDS))))
    return path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actor=st.one_of(TEXT, st.sampled_from(["macron", "Rutte", "m", "1", "²", "germany"])),
    stance=st.one_of(TEXT, st.sampled_from(["open", "Not excluded", "2", "99", "strongly"])),
    when=st.one_of(TEXT, st.sampled_from(["2024", "26 février 2024", "31 février 2024", "2024-13", "yesterday", "~"])),
)
def test_add_position_never_crashes(fuzz_db, actor, stance, when):
    runner = CliRunner()
    before = table_counts(fuzz_db)
    result = runner.invoke(
        cli,
        ["--db", str(fuzz_db), "add", "position", f"--actor={actor}", "--question=ground-troops", f"--stance={stance}", f"--date={when}"],
        env=WIDE,
    )
    assert result.exit_code in (0, 1), (result.output, result.exception)
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    if result.exit_code == 1:
        assert result.stderr.startswith("tracker: ") and result.stderr.count("\n") == 1, result.stderr
        assert table_counts(fuzz_db) == before
    else:
        assert result.stdout.strip().isdigit()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(TEXT, st.sampled_from(['"', "AND", "NEAR(", "a OR", "-x", "*", "ambigu", "^", "col:x"])))
def test_search_never_crashes(fuzz_db, text):
    runner = CliRunner()
    before = table_counts(fuzz_db)
    result = runner.invoke(cli, ["--db", str(fuzz_db), "search", "--", text], env=WIDE)
    assert result.exit_code in (0, 1), (result.output, result.exception)
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    if result.exit_code == 1:
        assert result.stderr.startswith("tracker: ") and result.stderr.count("\n") == 1
    assert table_counts(fuzz_db) == before


# ---------------------------------------------------------------------- hostile text is shown literally

HOSTILE_NAME = "[bold]Boss[/] \x1b[31mred"
HOSTILE_QUOTE = "[/b] closing [link=https://evil.example]x[/link] \x1b[2J cleared \x07 bell"


@pytest.fixture
def hostile(runner, db_path) -> Path:
    ok(runner, db_path, "add", "actor", HOSTILE_NAME, "--slug", "boss", "--alias", "[i]alias[/i]")
    ok(runner, db_path, "add", "question", "\x1b[31mred question [b]", "--slug", "q")
    ok(runner, db_path, "add", "position", "--actor", "boss", "--question", "q", "--stance", "open", "--date", "2024",
       "--quote", HOSTILE_QUOTE)  # fmt: skip
    ok(runner, db_path, "add", "position", "--actor", "boss", "--question", "q", "--stance", "committed",
       "--date", "2025", "--quote", HOSTILE_QUOTE + " again")  # fmt: skip
    return db_path


NAME_SHOWN = "[bold]Boss[/] ␛[31mred"
TITLE_SHOWN = "␛[31mred question [b]"
QUOTE_SHOWN = "[/b] closing [link=https://evil.example]x[/link] ␛[2J cleared ␇ bell"


@pytest.mark.parametrize(
    "args, shown",
    [
        (["timeline"], [NAME_SHOWN, TITLE_SHOWN, QUOTE_SHOWN]),
        (["list", "actors"], [NAME_SHOWN, "[i]alias[/i]"]),
        (["list", "questions"], [TITLE_SHOWN]),
        (["list", "positions"], [NAME_SHOWN, TITLE_SHOWN]),
        (["search", "closing"], [QUOTE_SHOWN]),
        (["search", "boss"], [NAME_SHOWN]),
        (["search", "question"], [TITLE_SHOWN]),
        (["diff", "2"], [NAME_SHOWN, TITLE_SHOWN]),
        (["movers", "--question", "q"], [NAME_SHOWN]),
    ],
)
def test_hostile_text_is_printed_literally(runner, hostile, args, shown):
    out = ok(runner, hostile, *args).stdout
    assert "\x1b" not in out and "\x07" not in out
    for fragment in shown:
        assert fragment in out, (fragment, out)


def test_hostile_text_in_json_and_errors(runner, hostile):
    actors = json.loads(ok(runner, hostile, "list", "actors", "--json").stdout)
    assert actors[0]["name"] == HOSTILE_NAME
    result = run(runner, hostile, "diff", "1")  # the first position: the error names the actor
    err = assert_user_error(result, "nothing earlier")
    assert "\x1b" not in err and "␛[31mred" in err
    err = assert_user_error(run(runner, hostile, "add", "actor", "x", "--country", "\x1b[2J"))
    assert "\x1b" not in err


OTHER_COMMANDS = [
    ["diff", "--", "{}"],
    ["diff", "1", "--", "{}"],
    ["list", "positions", "--json", "--as-of={}"],
    ["list", "positions", "--json", "--actor={}"],
    ["movers", "--question=ground-troops", "--level={}"],
    ["timeline", "--question={}"],
    ["export", "jsonl", "--actor={}"],
    ["add", "actor", "--country={}", "--", "{}"],
    ["add", "source", "--url={}", "--published={}"],
]


@pytest.mark.parametrize("template", OTHER_COMMANDS, ids=lambda t: " ".join(t[:2]))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(TEXT, st.sampled_from(["1", "0", "²", "-1", "99999999999999999999", "2024", "m", "\x1b[2J"])))
def test_other_commands_never_crash(fuzz_db, template, text):
    before = table_counts(fuzz_db)
    result = CliRunner().invoke(cli, ["--db", str(fuzz_db), *(a.replace("{}", text) for a in template)], env=WIDE)
    assert result.exit_code in (0, 1), (result.output, result.exception)
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    if result.exit_code == 1:
        assert result.stderr.startswith("tracker: ") and result.stderr.count("\n") == 1, result.stderr
        assert "\x1b" not in result.stderr
        assert table_counts(fuzz_db) == before


def test_export_to_a_device_writes_to_it_instead_of_replacing_it(runner, loaded):
    import os
    import stat

    result = runner.invoke(cli, ["--db", str(loaded), "export", "jsonl", "-o", os.devnull])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
