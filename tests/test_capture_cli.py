"""`tracker capture FILE|- --json`: the spec's JSON shape, offsets into the article's text, and
bad input refused in one line with nothing written and no database created."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.formats.article import MAX_BYTES, read_article
from tracker.store import Store

ARTICLES = Path(__file__).parent / "articles"
SIDECARS = sorted(ARTICLES.glob("*.json"))
ENV = {"COLUMNS": "250", "TERM": "dumb", "NO_COLOR": "1"}


def run(db: Path, *args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, ["--db", str(db), "capture", *args], env=ENV, input=input)


def user_error(result, *fragments: str) -> str:
    assert result.exit_code == 1, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    err = result.stderr
    assert err.startswith("tracker: ") and err.count("\n") == 1, repr(err)
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def digest(path: Path) -> str:
    with Store.open(path, create=False) as store:
        rows = [list(r) for t in ("actors", "actor_aliases", "sources", "positions")
                for r in store.conn.execute(f"SELECT * FROM {t} ORDER BY 1")]  # fmt: skip
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    """A database holding every actor the corpus' sidecars name, with their aliases."""
    path = tmp_path_factory.mktemp("capture") / "corpus.db"
    actors: dict[str, dict] = {}
    for sidecar in SIDECARS:
        for a in json.loads(sidecar.read_text(encoding="utf-8"))["actors"]:
            known = actors.setdefault(a["slug"], {"name": a["name"], "aliases": []})
            known["aliases"] += [x for x in a["aliases"] if x not in known["aliases"]]
    with Store.open(path) as store:
        for slug, a in actors.items():
            store.add_actor(a["name"], slug=slug, aliases=a["aliases"])
    return path


QUOTE_KEYS = ["text", "start", "end", "speaker", "speaker_name", "date", "lang"]


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.stem)
def test_json_shape_and_every_text_is_the_article_slice(corpus_db, sidecar):
    gold = json.loads(sidecar.read_text(encoding="utf-8"))
    file = ARTICLES / gold["article"]
    before = digest(corpus_db)
    result = run(corpus_db, str(file), "--json")
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(result.stdout)
    assert list(data) == ["source", "quotes"]
    assert list(data["source"]) == ["url", "title", "outlet", "published", "language"]
    # The text the offsets index: the file itself for plain text, trafilatura's text for a page.
    text = read_article(str(file)).text
    if file.suffix == ".txt":
        assert text == file.read_text(encoding="utf-8")
    assert data["quotes"], "every corpus article has quotes"
    for q in data["quotes"]:
        assert list(q) == QUOTE_KEYS
        assert text[q["start"] : q["end"]] == q["text"]
        assert q["lang"] in ("fr", "en", "de")
    found = {" ".join(q["text"].split()): q["speaker"] for q in data["quotes"]}
    right = sum(found.get(" ".join(g["text"].split()), "missing") == g["speaker"] for g in gold["quotes"])
    assert right >= 0.8 * len(gold["quotes"])  # the speakers come from the database's actors
    assert digest(corpus_db) == before  # nothing written


def test_the_seed_as_the_spec_shows_it(corpus_db):
    data = json.loads(run(corpus_db, str(ARTICLES / "seed_fr.txt"), "--json").stdout)
    assert data["source"] == {"url": None, "title": data["source"]["title"], "outlet": None, "published": "2024-02", "language": "fr"}
    assert data["source"]["title"].startswith("L'envoi de troupes occidentales au sol en Ukraine")
    main = next(q for q in data["quotes"] if "rien ne doit être exclu" in q["text"])
    assert (main["speaker"], main["speaker_name"], main["date"], main["lang"]) == ("macron", "Emmanuel Macron", "2024-02-26", "fr")


def test_stdin_and_no_database_file(tmp_path):
    db = tmp_path / "none.db"
    text = "Titre\n\n« Nous ne céderons rien sur ce point », a déclaré Jeanne Martin.\n"
    result = run(db, "-", "--json", input=text.encode())
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(result.stdout)
    assert data["source"]["title"] == "Titre"
    (q,) = data["quotes"]
    assert (q["text"], q["speaker"], q["speaker_name"]) == ("Nous ne céderons rien sur ce point", None, "Jeanne Martin")
    assert not db.exists() and list(tmp_path.iterdir()) == []  # no database created


def test_user_text_cannot_reach_the_terminal_as_codes(tmp_path):
    db = tmp_path / "none.db"
    article = tmp_path / "a.txt"
    article.write_text("Title [bold]x[/]\n\n“We \x1b[31mwill not yield\u2028 now,” said Jane Doe.\n", encoding="utf-8")
    result = run(db, str(article), "--json")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\u2028" not in result.stdout
    data = json.loads(result.stdout)
    assert data["source"]["title"] == "Title [bold]x[/]"
    assert data["quotes"][0]["text"] == "We \x1b[31mwill not yield\u2028 now,"


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n\t \n", "is empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("huge.txt", b"word " * (MAX_BYTES // 5 + 1), "larger than 5 MiB"),
        ("empty.html", b"<!DOCTYPE html><html><head><title>x</title><script>var a=1;</script></head><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        ("latin1.txt", "Le ministre a déclaré « ça ne passera pas » hier.".encode("latin-1"), "not UTF-8"),
        ("latin1.html", "<html><body><p>Le ministre a déclaré « ça ne passera pas » hier.</p></body></html>".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_input_one_line_nothing_written_no_database(tmp_path, name, content, fragment):
    db = tmp_path / "db" / "t.db"
    db.parent.mkdir()
    file = tmp_path / name
    if content is not None:
        file.write_bytes(content)
    for args in ((str(file), "--json"), (str(file),)):
        user_error(run(db, *args), fragment)
        assert list(db.parent.iterdir()) == []


def test_bad_input_on_stdin_and_a_directory(tmp_path):
    db = tmp_path / "t.db"
    user_error(run(db, "-", "--json", input=b""), "standard input is empty")
    user_error(run(db, "-", "--json", input=b"\x00\x01\x02binary"), "binary")
    user_error(run(db, str(tmp_path), "--json"), "directory")
    assert not db.exists()


def test_an_existing_database_is_left_as_it_was(corpus_db, tmp_path):
    before = digest(corpus_db)
    user_error(run(corpus_db, str(tmp_path / "nope.txt"), "--json"), "no such file")
    assert digest(corpus_db) == before


def test_a_page_that_declares_its_encoding_is_read(tmp_path):
    page = tmp_path / "old.html"
    page.write_bytes(
        '<html><head><meta charset="iso-8859-1"><title>Vieux</title></head><body><article>'
        "<p>Le ministre a déclaré « ça ne passera pas cette fois » hier soir devant la presse réunie.</p>"
        "<p>Il a ajouté que le gouvernement tiendrait bon sur ce texte jusqu'au bout de la procédure.</p>"
        "</article></body></html>".encode("latin-1")
    )
    result = run(tmp_path / "t.db", str(page), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["quotes"][0]["text"] == "ça ne passera pas cette fois"


def test_the_interface_needs_a_file_not_stdin(tmp_path):
    db = tmp_path / "t.db"
    user_error(run(db, "-", input=b"Titre\n\n\xc2\xab Nous ne c\xc3\xa9derons rien \xc2\xbb, a-t-il dit.\n"), "--json")
    assert not db.exists()


def test_json_needs_a_file(tmp_path):
    result = run(tmp_path / "t.db", "--json")
    assert result.exit_code == 2 and "--json needs the article" in result.output
    assert not (tmp_path / "t.db").exists()
