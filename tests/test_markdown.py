"""Markdown export: its structure on the demo data, the command, the committed examples,
and user text that can never break it (parsed back with markdown-it, over hostile and
hypothesis-generated input)."""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tracker.cli import cli
from tracker.domain.dates import FuzzyDate, parse_date
from tracker.domain.text import printable
from tracker.formats import jsonl
from tracker.formats.importer import import_records
from tracker.formats.markdown import (
    blockquote,
    cell,
    default_filename,
    inline,
    link,
    lines,
    mermaid_text,
    render_markdown,
    safe_url,
)
from tracker.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
AS_OF = date(2025, 1, 1)


# ---------------------------------------------------------------------- parsing back


def gfm() -> MarkdownIt:
    """GitHub-like: tables, strikethrough, raw HTML allowed (so injected HTML would show as
    html tokens), and linkify of URLs, www. and e-mail addresses as GitHub does (GitHub does
    not link bare domain names, so fuzzy links are off)."""
    md = MarkdownIt("gfm-like")
    md.linkify.set({"fuzzy_link": False})
    return md


def commonmark() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def rendered_text(tokens) -> str:
    """The visible text, one inline run a line (what a reader sees, markup gone)."""
    return "\n".join(inline_text(t) for t in tokens if t.type == "inline")


def squash(text: str) -> str:
    return " ".join(text.split())


def visible(text: str) -> str:
    """What the reader should see for a user text: control characters as symbols,
    line breaks and runs of spaces as one space."""
    return squash(printable(text.replace("\r\n", "\n").replace("\r", "\n"), one_line=True))


def link_hrefs(md: MarkdownIt, urls) -> set[str]:
    return {md.normalizeLink(safe_url(u)) for u in urls if safe_url(u)}


def table_rows(source: str) -> list[list[str]]:
    """The raw lines of the tables in ``source``, split on unescaped pipes."""
    rows = []
    for line in source.split("\n"):
        if line.startswith("|"):
            # A pipe is a separator unless escaped by an odd number of backslashes.
            cells = re.split(r"(?<!\\)(?:\\\\)*\|", line)
            rows.append(cells)
    return rows


def assert_safe(source: str, *, urls, texts=(), cells=()) -> None:
    """The invariants every export keeps, whatever the data says."""
    for md in (gfm(), commonmark()):
        tokens = md.parse(source)
        every = list(walk(tokens))
        kinds = {t.type for t in every}
        assert not kinds & {"html_inline", "html_block"}, "raw HTML"
        assert not kinds & {"image", "code_inline", "code_block", "s_open", "hr"}, kinds
        assert not kinds & {"bullet_list_open", "ordered_list_open", "lheading_open"}, kinds
        assert all(t.info.strip() == "mermaid" for t in every if t.type == "fence")
        allowed = link_hrefs(md, urls)
        hrefs = [t.attrs["href"] for t in every if t.type == "link_open"]
        assert set(hrefs) <= allowed, (hrefs, allowed)
        # Blockquotes never nest, and every heading is one of ours: "#" from user text is text.
        depth = 0
        for t in tokens:
            depth += t.nesting if t.type.startswith("blockquote") else 0
            assert depth <= 1
        text = squash(rendered_text(tokens))
        for value in texts:
            assert visible(value) in text, (value, visible(value))
        # Tables: the header, the delimiter row and every body row have the same number of cells.
        for t in every:
            if t.type == "table_open":
                start, end = t.map
                rows = table_rows("\n".join(source.split("\n")[start:end]))
                assert len({len(r) for r in rows}) == 1, rows
        for value in cells:
            shown = {squash(inline_text(t)) for t in every if t.type == "inline"}
            assert visible(value) in shown, (value, shown)


# ---------------------------------------------------------------------- the demo data


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("demo") / "demo.db")
    with resources.files("tracker.data").joinpath("demo.jsonl").open(encoding="utf-8") as f:
        import_records(store, jsonl.read_records(f))
    yield store
    store.close()


def export(store: Store, **options) -> str:
    options.setdefault("as_of", AS_OF)
    return render_markdown(store, **options)


def demo_urls(store: Store) -> list[str]:
    return [s.url for s in store.sources() if s.url]


def headings(source: str, level: int) -> list[str]:
    prefix = "#" * level + " "
    return [line[len(prefix) :] for line in source.splitlines() if line.startswith(prefix)]


def test_question_structure(demo):
    q = demo.resolve_question("ground-troops")
    md = export(demo, question_id=q.id)
    assert md.startswith("# Western ground troops in Ukraine\n\nWhether NATO or EU member states")
    assert headings(md, 2) == ["Where each actor stands as of 1 Jan 2025", "Movers", "Timeline"]
    # The stance table: one row an actor, highest stance first.
    assert "| Actor | Stance | Stated | Change |\n| --- | --- | --- | --- |\n| Emmanuel Macron | Not excluded | 16 Mar 2024 | = unchanged, after 19 days |" in md
    assert "| Olaf Scholz | Ruled out | 27 Feb 2024 | = unchanged, after 1 year 1 month |" in md
    # Movers: Macron was first (alone) to not exclude ground troops; the others have not.
    assert "### Reached “Not excluded” or beyond\n\n| Actor | Reached | By | Lag | Latest stance |" in md
    assert "| Emmanuel Macron | 26 Feb 2024 | entry | **first** | Not excluded |" in md
    assert "| Czechia | 27 Feb 2024 | entry | 1 day later | Reluctant |" in md
    assert "Not yet: Olaf Scholz, Spain, United States." in md
    # Timeline: every position of the question, in date order, with its marker.
    entries = headings(md, 3)
    timeline = [e for e in entries if not e.startswith("Reached")]
    assert len(timeline) == len(demo.positions(question_id=q.id)) == 13
    assert timeline[0] == "25 Jan 2023 · Olaf Scholz · Ruled out"
    assert timeline[1] == "26 Feb 2024 · Emmanuel Macron · Not excluded"
    assert timeline[-1] == "16 Mar 2024 · Emmanuel Macron · Not excluded"
    assert "• first statement · confidence: reported." in md
    assert "= unchanged, after 1 year 1 month · confidence: reported." in md
    # The seed quote, verbatim, as a blockquote with its language.
    assert "> Il n'y a pas de consensus aujourd'hui pour envoyer de manière officielle" in md
    assert "Nous ferons tout ce qu'il faut pour que la Russie ne puisse pas gagner cette guerre\n>\n> — in French\n" in md
    # Sources: a link when the URL is known, the title in quotes when not.
    assert "*Source:* [Olaf Scholz bows to pressure on tanks and shatters another German post-war taboo](https://www.irishtimes.com/world/europe/2023/01/25/olaf-scholz-bows-to-pressure-on-tanks-and-shatters-another-german-post-war-taboo/), The Irish Times, 25 Jan 2023." in md
    # The seed report is franceinfo's.
    assert "](https://www.francetvinfo.fr/monde/europe/manifestations-en-ukraine/" in md and ", franceinfo, 26 Feb 2024." in md
    assert "```mermaid" not in md
    assert_safe(md, urls=demo_urls(demo))


def test_question_parses_as_the_structure_it_claims(demo):
    q = demo.resolve_question("tanks")
    md = export(demo, question_id=q.id)
    tokens = gfm().parse(md)
    h1 = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
    assert h1 == ["Main battle tanks to Ukraine"]
    quotes = sum(1 for t in tokens if t.type == "blockquote_open")
    assert quotes == sum(1 for p in demo.positions(question_id=q.id) if p.quote)
    hrefs = {t.attrs["href"] for t in walk(tokens) if t.type == "link_open"}
    assert hrefs == {p.source.url for p in demo.positions(question_id=q.id) if p.source and p.source.url}
    # "Never tanks": Germany moved from reluctant to open in four months, then committed.
    assert "▲▲ +2 reversal, after 3 months 30 days · confidence: reported." in md
    # Poland's conditional offer (open) came first; the UK was the first to commit, by entry.
    assert "| Poland | 11 Jan 2023 | entry | **first** | Implemented |" in md
    committed = md.split("### Reached “Committed” or beyond")[1].split("###")[0]
    assert "| United Kingdom | 14 Jan 2023 | entry | **first** | Implemented |" in committed
    assert "| Germany | 25 Jan 2023 | move | 11 days later | Implemented |" in committed
    assert "| Poland | 25 Jan 2023 | move | 11 days later | Implemented |" in committed
    # France's "rien n'est exclu" on the Leclerc: not yet open or committed.
    assert committed.rstrip().endswith("Not yet: France.")


def test_as_of_changes_the_table(demo):
    q = demo.resolve_question("tanks")
    later = export(demo, question_id=q.id, as_of=AS_OF)
    earlier = export(demo, question_id=q.id, as_of=date(2023, 1, 12))
    assert "## Where each actor stands as of 12 Jan 2023" in earlier
    assert "| Poland | Open | 11 Jan 2023 | • first statement |" in earlier
    assert "| Germany | Reluctant | 21 Sep 2022 | • first statement |" in earlier
    assert "| United Kingdom | — | no statement by then |  |" in earlier
    assert "| Germany | Implemented | 27 Mar 2023 |" in later
    # A date at its precision: as of Jan 2023 includes the whole month.
    month = export(demo, question_id=q.id, as_of=parse_date("2023-01"))
    assert "as of Jan 2023" in month and "| Germany | Committed | 25 Jan 2023 |" in month
    # Only the table moves: the movers and the timeline cover every statement.
    assert later.split("## Movers")[1] == earlier.split("## Movers")[1]
    assert_safe(earlier, urls=demo_urls(demo))


def test_actor_structure(demo):
    a = demo.resolve_actor("macron")
    md = export(demo, actor_id=a.id)
    assert md.startswith("# Emmanuel Macron\n\n*Person, FR, part of France.*\n\n*4 statements, 26 Feb 2024 to 16 Mar 2024, on 3 questions.*")
    assert "## Where Emmanuel Macron stands as of 1 Jan 2025\n\n| Question | Stance | Stated | Change |" in md
    assert "| Western ground troops in Ukraine | Not excluded | 16 Mar 2024 | = unchanged, after 19 days |" in md
    questions = [h for h in headings(md, 2) if not h.startswith("Where")]
    assert questions == [
        "Coalition for medium- and long-range missiles for Ukraine",
        "Paris 'categories of action' in support of Ukraine",
        "Western ground troops in Ukraine",
    ]
    assert headings(md, 3).count("Timeline") == 3
    # Macron alone has spoken on two of the questions: no movers there, and it says why.
    assert headings(md, 3).count("Movers") == 1
    assert md.count("Only Emmanuel Macron has spoken on this question so far: no movers to compare.") == 2
    assert headings(md, 4) == ["26 Feb 2024 · Committed", "26 Feb 2024 · Open", "26 Feb 2024 · Not excluded", "16 Mar 2024 · Not excluded"]
    # Its movers on ground troops, against the others (levels that share an answer share a
    # row: see test_actor_lagging_behind).
    assert "| Not excluded | 26 Feb 2024 | entry | Emmanuel Macron (26 Feb 2024) | **first** |" in md
    assert "| Reluctant | 26 Feb 2024 | entry | Emmanuel Macron, Mark Rutte (26 Feb 2024) | **first** |" in md
    assert_safe(md, urls=demo_urls(demo))


def test_actor_lagging_behind(demo):
    a = demo.resolve_actor("germany")
    md = export(demo, actor_id=a.id)
    assert "| Not excluded to Open | 20 Jan 2023 | move | Poland (11 Jan 2023) | 9 days later |" in md
    assert "| Implemented | 27 Mar 2023 | move | Poland (24 Feb 2023) | 1 month 3 days later |" in md
    # On jets Germany was only reluctant: not yet at any level the others reached.
    assert "| Committed | not yet |  | Poland (16 Mar 2023) |  |" in md
    assert_safe(md, urls=demo_urls(demo))


def test_actor_and_question(demo):
    a, q = demo.resolve_actor("germany"), demo.resolve_question("tanks")
    md = export(demo, actor_id=a.id, question_id=q.id, mermaid=True)
    assert md.startswith("# Germany on Main battle tanks to Ukraine\n\nSupplying Western-made main battle tanks")
    assert headings(md, 2) == ["Stance as of 1 Jan 2025", "Movers", "Timeline"]
    assert headings(md, 3) == ["21 Sep 2022 · Reluctant", "20 Jan 2023 · Open", "25 Jan 2023 · Committed", "27 Mar 2023 · Implemented"]
    assert "| Germany | Implemented | 27 Mar 2023 | ▲ +1 shift, after 2 months 2 days |" in md
    assert "```mermaid\ntimeline\n    title Germany on Main battle tanks to Ukraine\n    section 2022\n        21 Sep 2022 : Reluctant\n    section 2023\n        20 Jan 2023 : Open\n" in md
    # Nobody else's statements.
    assert "Poland ·" not in md
    assert_safe(md, urls=demo_urls(demo))
    nothing = export(demo, actor_id=demo.resolve_actor("rutte").id, question_id=q.id)
    assert "No statements by Mark Rutte on this question yet." in nothing


def test_everything(demo):
    md = export(demo, mermaid=True)
    assert md.startswith("# Stated positions\n\n*6 questions, 61 statements; stances as of 1 Jan 2025.*")
    assert len(headings(md, 2)) == 6
    assert md.count("```mermaid\ntimeline\n") == 6
    assert len([h for h in headings(md, 4) if not h.startswith("Reached")]) == 61
    # Levels whose movers would repeat the table above are named, not repeated.
    assert "### Reached “Not excluded” or beyond\n\nThe same actors reached “Open” and “Committed” on the same dates." in md
    assert md.endswith("\n") and not md.endswith("\n\n")
    assert_safe(md, urls=demo_urls(demo))


def test_mermaid_block(demo):
    q = demo.resolve_question("ground-troops")
    md = export(demo, question_id=q.id, mermaid=True)
    block = md.split("```mermaid\n")[1].split("```")[0]
    assert block.startswith("timeline\n    title Western ground troops in Ukraine\n    section 2023\n        25 Jan 2023 : Olaf Scholz — Ruled out\n    section 2024\n")
    assert "        26 Feb 2024 : Emmanuel Macron — Not excluded : Mark Rutte — Reluctant\n" in block
    # The diagram sits at the top of the timeline section.
    assert md.index("## Timeline") < md.index("```mermaid") < md.index("### 25 Jan 2023")


def test_default_filename(demo):
    a, q = demo.resolve_actor("macron"), demo.resolve_question("ground-troops")
    assert default_filename(demo, q.id, None) == "ground-troops.md"
    assert default_filename(demo, None, a.id) == "macron.md"
    assert default_filename(demo, q.id, a.id) == "macron-ground-troops.md"
    assert default_filename(demo) == "positions.md"


def test_a_source_without_a_url_is_named_not_linked(store):
    """The demo data has a URL for every source; a source without one is named in quotes."""
    q = store.add_question("Tanks")
    a = store.add_actor("Poland")
    source = store.add_source(title="Wywiad", outlet="Polskie Radio", published="2023-01-11", language="pl")
    store.add_position(actor=a, question=q, stance="open", date="2023-01-11", paraphrase="p", source=source.uid)
    md = render_markdown(store, question_id=q.id, as_of=AS_OF)
    assert "*Source:* “Wywiad”, Polskie Radio, 11 Jan 2023." in md


def test_empty_store(store):
    assert render_markdown(store, as_of=AS_OF) == "# Stated positions\n\n*0 questions, 0 statements; stances as of 1 Jan 2025.*\n"
    q = store.add_question("Nothing yet")
    md = render_markdown(store, question_id=q.id, as_of=AS_OF)
    assert md == "# Nothing yet\n\nNo statements recorded yet.\n"
    a = store.add_actor("Nobody")
    assert "No statements by Nobody yet." in render_markdown(store, actor_id=a.id, as_of=AS_OF)


# ---------------------------------------------------------------------- the escaping functions

HOSTILE = [
    "a | b || c",
    "line one\nline two\r\nline three\rfour",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![img](http://x.example/p.png)",
    "[ref]: http://evil.example",
    "`code` and ``double`` and ```fence```",
    "**bold** and *em* and __u__ and ~~strike~~",
    "\x1b[31mred\x1b[0m \x07 bell \x00 nul \x7f del \x85 nel \u202e rlo",
    "# heading\n## heading\n- item\n+ item\n* item\n1. one\n2) two\n> quote\n    code\n\tcode\n---\n===\n***",
    "<!-- comment --> &amp; &lt;b&gt; &#60;script&#62; \\ backslash \\",
    "visit https://evil.example/x or www.evil.example or mail me@evil.example or //evil.example",
    "ftp://evil.example mailto:me@evil.example xmpp:me@evil.example",
    "$x^2$ and $$y$$ and :smile: and @someone and #123",
    "[!NOTE]\n> [!WARNING]",
    "| --- | --- |\n|---|---|",
    "<https://autolink.example>",
    "trailing backslash \\",
    "",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_escaping_round_trips(text):
    for md in (gfm(), commonmark()):
        source = f"Before {inline(text)} after."
        tokens = md.parse(source)
        kinds = [t.type for t in walk(tokens)]
        assert kinds == ["paragraph_open", "inline", "text", "paragraph_close"], (text, kinds)
        assert squash(rendered_text(tokens)) == squash(f"Before {visible(text)} after.")


@pytest.mark.parametrize("text", HOSTILE)
def test_multiline_escaping_round_trips(text):
    for md in (gfm(), commonmark()):
        for body in (lines(text), blockquote(text)):
            tokens = md.parse("\n".join(body))
            allowed = {"paragraph_open", "paragraph_close", "inline", "text", "hardbreak", "blockquote_open", "blockquote_close"}
            assert {t.type for t in walk(tokens)} <= allowed, (text, [t.type for t in walk(tokens)])
            assert sum(t.type == "blockquote_open" for t in tokens) <= 1
            assert squash(rendered_text(tokens)) == visible(text)


def test_lines_keep_the_line_structure():
    assert lines("one\ntwo\n\n\nthree") == ["one\\", "two", "", "three"]
    assert blockquote("one\n\ntwo") == ["> one", ">", "> two"]
    tokens = gfm().parse("\n".join(lines("one\n- two")))
    assert [t.type for t in tokens[1].children] == ["text", "hardbreak", "text"]


@pytest.mark.parametrize("text", HOSTILE)
def test_table_cells_keep_the_columns(text):
    source = f"| a | b | c |\n| --- | --- | --- |\n| {cell(text)} | {cell(text)} | x |\n"
    for md in (gfm(), commonmark()):
        tokens = md.parse(source)
        cells = [squash(inline_text(t)) for t in tokens if t.type == "inline"]
        assert cells == ["a", "b", "c", visible(text), visible(text), "x"], (text, cells)
        assert not {t.type for t in walk(tokens)} & {"html_inline", "link_open", "image", "code_inline"}


def test_links_only_for_http_urls():
    assert safe_url("https://example.org/a?b=1&c=2#top") == "https://example.org/a?b=1&c=2#top"
    assert safe_url("HTTP://example.org/") == "HTTP://example.org/"
    assert safe_url("https://en.wikipedia.org/wiki/Leopard_2_(tank)") == "https://en.wikipedia.org/wiki/Leopard%5F2%5F%28tank%29"
    assert safe_url("https://example.org/a&amp;b") == "https://example.org/a\\&amp;b"
    for bad in (
        "javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,<script>", "vbscript:x", "file:///etc/passwd",
        "//example.org", "example.org", "https://", "https:///path", "https://exa mple.org", "https://example.org/\n",
        "https://example.org/\u202e", "https://exa\u200bmple.org", "mailto:me@example.org", "https://user:pw@evil.example",
        "", None,
    ):  # fmt: skip
        assert safe_url(bad) is None, bad
    assert link("Title", "javascript:alert(1)") == "Title"
    assert link("[x](y)", "https://example.org/)") == "[\\[x\\](y)](https://example.org/%29)"
    tokens = list(walk(gfm().parse(link("a] [b", "https://example.org/a b"))))
    assert not any(t.type == "link_open" for t in tokens)


def test_mermaid_text():
    assert mermaid_text("A: b # c ; d %% e\nf `g` <b>h</b> {i} & \"j\"") == "A∶ b ＃ c ； d ％％ e f ˋgˋ ‹b›h‹/b› (i) ＆ ”j”"
    assert mermaid_text("\x1b[31m") == "␛[31m"
    assert mermaid_text(None) == ""


# ---------------------------------------------------------------------- hostile data in a store

GOOD_URL = "https://example.org/report?a=1&b=(2)"
BAD_URL = "javascript:alert(document.cookie)"


@pytest.fixture
def hostile(store: Store) -> Store:
    store.add_question("placeholder", slug="hostile-q", description="x")
    store.add_actor("placeholder one", slug="evil-one")
    store.add_actor("placeholder two", slug="evil-two")
    good = store.add_source(url=GOOD_URL, title="placeholder", outlet="placeholder", published="2024-02-27", language="en")
    bad = store.add_source(url="https://example.org/bad", title="placeholder", outlet="placeholder")
    # Bypass the checks of the data API: text imported by another tool could say anything.
    store.conn.execute("UPDATE sources SET url = ? WHERE id = ?", (BAD_URL, bad.id))
    for actor, stance, when, source in (
        ("evil-one", "ruled-out", "2023-01", good.uid),
        ("evil-one", "open", "2024-02-26", bad.uid),
        ("evil-two", "not-excluded", "2024~", None),
    ):
        store.add_position(actor=actor, question="hostile-q", stance=stance, date=when, quote="placeholder",
                           quote_lang="fr", paraphrase="placeholder", context="placeholder", source=source)  # fmt: skip
    return store


def set_texts(store: Store, *, name: str, other: str, title: str, description: str, quote: str, paraphrase: str,
              context: str, source_title: str, outlet: str, label: str) -> None:  # fmt: skip
    conn = store.conn
    conn.execute("UPDATE actors SET name = ? WHERE slug = 'evil-one'", (name,))
    conn.execute("UPDATE actors SET name = ? WHERE slug = 'evil-two'", (other,))
    conn.execute("UPDATE questions SET title = ?, description = ? WHERE slug = 'hostile-q'", (title, description))
    conn.execute("UPDATE positions SET quote = ?, paraphrase = ?, context = ?", (quote, paraphrase, context))
    conn.execute("UPDATE sources SET title = ?, outlet = ?", (source_title, outlet))
    conn.execute("UPDATE levels SET label = ? WHERE key = 'open'", (label,))
    conn.commit()


EXPORTS = ("question", "actor", "both", "all")


def hostile_exports(store: Store) -> dict[str, str]:
    q = store.resolve_question("hostile-q")
    a = store.resolve_actor("evil-one")
    options = {"question": {"question_id": q.id}, "actor": {"actor_id": a.id},
               "both": {"actor_id": a.id, "question_id": q.id}, "all": {}}  # fmt: skip
    return {name: render_markdown(store, as_of=AS_OF, mermaid=True, **options[name]) for name in EXPORTS}


def structure(source: str) -> list[tuple[str, str]]:
    """The block structure: token types and heading levels, with the text left out."""
    return [(t.type, t.tag) for t in gfm().parse(source) if t.type != "inline"]


def check_hostile_exports(store: Store, texts: dict[str, str], baseline: dict[str, list]) -> None:
    for name, md in hostile_exports(store).items():
        # One link only: the one good source, as often as it is cited.
        assert_safe(md, urls=[GOOD_URL], texts=[v for v in texts.values() if v.strip()],
                    cells=[texts["label"]] if texts["label"].strip() else [])  # fmt: skip
        # The same blocks as with harmless text: no heading, list, table row or quote came from the data
        # (a quote or paraphrase may be empty, which leaves its paragraph out).
        shape = [b for b in structure(md) if b[0] not in ("paragraph_open", "paragraph_close")]
        expected = [b for b in baseline[name] if b[0] not in ("paragraph_open", "paragraph_close")]
        if texts["quote"].strip():
            assert shape == expected, name
        else:
            assert [b for b in shape if "blockquote" not in b[0]] == [b for b in expected if "blockquote" not in b[0]]
        block = md.split("```mermaid\n")[1].split("```")[0]
        for line in block.splitlines()[1:]:
            assert re.fullmatch(r"    title [^#;\n]+|    section \d{4}|        [^:#;%\n]+( : [^:#;%\n]+)+", line), line


@pytest.fixture
def baseline(hostile) -> dict[str, list]:
    return {name: structure(md) for name, md in hostile_exports(hostile).items()}


def test_hostile_text_cannot_break_the_output(hostile, baseline):
    texts = {
        "name": "Evil | Name <script>alert(1)</script> [x](javascript:alert(1)) \x1b[2J",
        "other": "![img](http://x.example/p.png) **bold** `tick` ~~s~~ # not a heading #",
        "title": "Q | <b>bold</b> ```fence``` [link](https://evil.example) www.evil.example",
        "description": "# Heading\n- list\n1. one\n> quote\n    code\n---\n<div>html</div>\n| a | b |\n|---|---|",
        "quote": "Line one | with pipe\n\n> nested\n```\nfenced\n```\n[click](javascript:alert(1)) &lt;escaped&gt; \\ end\\",
        "paraphrase": "visit https://evil.example/x and me@evil.example; $math$ \x07\x08\u202e",
        "context": "<!-- hide -->\n===\n* item\n+ item\n2) two",
        "source_title": "[Official](https://evil.example) | <i>x</i>",
        "outlet": "Outlet](http://evil.example) `x`",
        "label": "Open | <u>ish</u> [*]",
    }
    set_texts(hostile, **texts)
    check_hostile_exports(hostile, texts, baseline)
    md = render_markdown(hostile, question_id=hostile.resolve_question("hostile-q").id, as_of=AS_OF)
    # The bad address is shown, as text, and never linked.
    assert "(address, not a web link: javascript:alert(document.cookie))" in squash(rendered_text(gfm().parse(md)))
    assert "\x1b" not in md and "\x07" not in md and "\u202e" not in md


USER_TEXT = st.lists(
    st.one_of(
        st.sampled_from(list("|\\`*_[]()<>&#!~$@:/=+-.1) \n\r\t\x1b\x07\x7f\x85\u202e\u2028\u00a0")),
        st.sampled_from(["http://", "https://", "www.", "javascript:", "<script>", "&amp;", "&#60;", "```", "---", "1. ", "> ", "    ", "[x](", "![", "]: "]),
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=5),
    ),
    max_size=16,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=USER_TEXT, quote=USER_TEXT, paraphrase=USER_TEXT, source_title=USER_TEXT, title=USER_TEXT, label=USER_TEXT)
def test_generated_text_cannot_break_the_output(hostile, baseline, name, quote, paraphrase, source_title, title, label):
    # Names, titles and labels cannot be empty in the file; the rest may be.
    name, title, label = name or "n", title or "t", label or "l"
    texts = {"name": name, "other": "Other", "title": title, "description": "d", "quote": quote,
             "paraphrase": paraphrase, "context": "c", "source_title": source_title, "outlet": "o", "label": label}  # fmt: skip
    set_texts(hostile, **texts)
    check_hostile_exports(hostile, texts, baseline)


# ---------------------------------------------------------------------- the command


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], env={"COLUMNS": "200", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    with Store.open(path) as store, resources.files("tracker.data").joinpath("demo.jsonl").open(encoding="utf-8") as f:
        import_records(store, jsonl.read_records(f))
    return path


def test_cli_question_actor_and_both(demo_db):
    with Store.open(demo_db) as store:
        q, a = store.resolve_question("ground-troops"), store.resolve_actor("macron")
        expected = {
            ("--question", "ground-troops"): export(store, question_id=q.id),
            ("--actor", "macron"): export(store, actor_id=a.id),
            ("--actor", "Macron", "--question", "ground"): export(store, question_id=q.id, actor_id=a.id),
        }
    for args, text in expected.items():
        result = run(demo_db, "export", "markdown", *args, "--as-of", "2025-01-01")
        assert result.exit_code == 0, result.output
        assert result.stdout == text
        assert result.stderr == ""


def test_cli_as_of_mermaid_and_default_date(demo_db):
    result = run(demo_db, "export", "markdown", "--question", "tanks", "--as-of", "12 janvier 2023", "--mermaid")
    assert result.exit_code == 0, result.output
    assert "## Where each actor stands as of 12 Jan 2023" in result.stdout
    assert "```mermaid\ntimeline\n    title Main battle tanks to Ukraine\n" in result.stdout
    today = run(demo_db, "export", "markdown", "--question", "tanks")
    assert f"as of {FuzzyDate.from_date(date.today()).display}\n" in today.stdout
    assert "```mermaid" not in today.stdout


def test_cli_writes_a_file(demo_db, tmp_path):
    target = tmp_path / "tanks.md"
    result = run(demo_db, "export", "markdown", "--question", "tanks", "--as-of", "2025-01-01", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"wrote 13 statements to {target}\n"
    with Store.open(demo_db) as store:
        assert target.read_text(encoding="utf-8") == export(store, question_id=store.resolve_question("tanks").id)
    assert [p.name for p in tmp_path.iterdir()] == ["tanks.md"]  # no partial file left


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("--question", "no-such-question"), "no question matches 'no-such-question'"),
        (("--actor", "nobody"), "no actor matches 'nobody'"),
        (("--question", "tanks", "--as-of", "26/02/2024"), "cannot understand the date"),
        (("--question", "tanks", "--as-of", "someday"), "cannot understand the date 'someday'"),
        (("--question", "tanks", "-o", "/no/such/folder/x.md"), "does not exist"),
    ],
)
def test_cli_errors(demo_db, args, fragment):
    result = run(demo_db, "export", "markdown", *args)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("tracker: "), result.stderr
    assert fragment in result.stderr
    assert result.stdout == ""


def test_cli_markdown_options_are_for_markdown(demo_db):
    result = run(demo_db, "export", "jsonl", "--mermaid")
    assert result.exit_code == 2
    assert "apply to markdown only" in result.stderr
    assert run(demo_db, "export", "html").exit_code == 2


# ---------------------------------------------------------------------- the committed examples


def load_make():
    spec = importlib.util.spec_from_file_location("examples_make", EXAMPLES / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_examples_are_up_to_date(tmp_path):
    written = load_make().build(tmp_path)
    assert [p.name for p in written] == ["ground-troops.md", "macron.md", "tanks.md", "movers-weapons.md"]
    for path in written:
        committed = EXAMPLES / path.name
        assert committed.exists(), f"{committed} is missing: run .venv/bin/python docs/examples/make.py"
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} is out of date: run .venv/bin/python docs/examples/make.py"
        )


def test_examples_match_the_command(demo_db, tmp_path):
    target = tmp_path / "ground-troops.md"
    result = run(demo_db, "export", "markdown", "--question", "ground-troops", "--mermaid", "--as-of", "2025-01-01", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == (EXAMPLES / "ground-troops.md").read_bytes()
    movers = tmp_path / "movers.md"
    result = run(demo_db, "export", "markdown", "--movers", "--tag", "weapons", "--roll-up", "-o", str(movers))
    assert result.exit_code == 0, result.output
    assert movers.read_bytes() == (EXAMPLES / "movers-weapons.md").read_bytes()


@pytest.mark.parametrize("name", ["ground-troops.md", "macron.md", "tanks.md", "movers-weapons.md"])
def test_examples_render_cleanly(name, demo):
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    assert_safe(source, urls=demo_urls(demo))
    html = gfm().render(source)
    assert "<table>" in html and "<h1>" in html
    assert "<blockquote>" in html or name.startswith("movers")


# ---------------------------------------------------------------------- fast paths = slow paths
#
# The escaping functions skip work when a text has nothing to escape; they must say
# exactly what the first versions (below) said, whatever the text.

from tracker.formats.markdown import escape  # noqa: E402


def autolinks_reference(escaped: str) -> str:
    return escape.AUTOLINK.sub(r"\g<0>\\", escaped)


def inline_reference(text):
    if not text:
        return ""
    return autolinks_reference(text.translate(escape.ONE_LINE).strip())


def line_start_reference(match):
    return "\\" + match.group(1) if match.group(1) else match.group(2) + "\\" + match.group(3)


def lines_reference(text):
    if not text:
        return []
    escaped = autolinks_reference(escape.NEWLINES.sub("\n", text).translate(escape.MULTI_LINE)).strip()
    result = []
    for raw in escaped.split("\n"):
        line = raw.strip(" \t")
        if not line:
            if result and result[-1] != "":
                result.append("")
            continue
        line = escape.LINE_START.sub(line_start_reference, line)
        if result and result[-1] != "":
            result[-1] += "\\"
        result.append(line)
    return result


def safe_url_reference(url):
    if not url or not escape.URL_OK.match(url) or not url.isprintable() or escape.URL_BAD.search(url):
        return None
    return escape.ENTITY_LIKE.sub("\\&", url.translate(escape.URL_ENCODE))


ANY_TEXT = st.one_of(
    USER_TEXT,
    st.text(),
    st.lists(st.sampled_from(list("wW.:/ -+=1٣)\n\r\t\u2028\u2029\u2019«» \x85\x9fabcü“") + ["www.", "WwW.", "://", "//"])).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT)
def test_escaping_fast_paths_equal_the_slow_ones(text):
    for codes in (escape.ONE_LINE, escape.MULTI_LINE, [*escape.ONE_LINE, ord(":"), ord("/")]):
        assert escape.finder(codes)(text) == any(ord(ch) in codes for ch in text)
    assert inline(text) == inline_reference(text)
    assert lines(text) == lines_reference(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_TEXT, ANY_TEXT.map(lambda t: "https://example.org/" + t), ANY_TEXT.map(lambda t: "http://a.example" + t)))
def test_safe_url_fast_path_equals_the_slow_one(url):
    assert safe_url(url) == safe_url_reference(url)


@pytest.mark.parametrize("url", [
    "https://example.org/article/12", "http://a.example:8080/x?y=1#z", "https://example.org/a_b", "https://-.example/",
    "https://./x", "HTTPS://Example.org/x", "https://example.org/a&amp;b", "https://example.org/(x)", "https://_x.example/",
    "https://example.org/x y", "https://user@example.org/", "https://example.org/~a/b,c;d=e+f!$'@g%20",
])  # fmt: skip
def test_safe_url_plain_addresses_equal_the_slow_way(url):
    assert safe_url(url) == safe_url_reference(url)


def test_finders_know_every_character():
    # Every character the tables change is below U+3000, whose UTF-8 form starts with a byte
    # below E3: past it, every character starts with a byte the finders drop.
    assert max(max(escape.ONE_LINE), max(escape.MULTI_LINE)) < 0x3000
    beyond = [0x3000, 0xFEFF, 0xFFFD, 0x1F600, 0x10FFFF]
    for table in (escape.ONE_LINE, escape.MULTI_LINE):
        finds = escape.finder(table)
        for code in [*range(0x3000), *beyond]:
            assert finds(chr(code)) == (code in table), hex(code)
            assert finds(f"a{chr(code)}b") == (code in table), hex(code)
        assert not finds("\ud800 lone surrogate")
