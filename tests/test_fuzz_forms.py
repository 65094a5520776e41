"""Fuzzing the entry forms: generated text in every field of the position, actor, question,
source and scale forms.

Two layers:

* the checks alone (no app), with many examples: a field's check runs on every keystroke,
  so it must never raise (an exception in a message handler takes a Textual app down), and
  its message is one line; the fuzzy matching behind the autocomplete, the display helpers
  and the level parser hold up the same way;
* the real app under Pilot, a few examples a form (Pilot is slow: one app a form, the
  examples one after another) plus the nastiest fixed cases: text is typed into every
  field at once (pasted when it holds control characters or is long; a lone surrogate
  and NUL are set directly, as no terminal sends them), then ``ctrl+s``. Either the form
  saves, and every field holds in the store exactly what it was given (one-line fields
  without surrounding spaces), or it stays open, every refused field says why beside it
  (and only those), and nothing is written; the refused fields then get valid text, and
  the form must save the others exactly as typed. The screen never shows a raw control
  character, and the app never crashes.

test_tui_forms.py walks each form through its documented behaviour with hand-picked text;
this file throws arbitrary text at every field.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import Phase, given
from hypothesis import strategies as st
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import TextArea
from tui_helpers import TODAY, async_test, demo_copy, running, screen_text, settle

from tracker.domain.models import ACTOR_KINDS, CONFIDENCES
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.tui.forms import ActorForm, PositionForm, QuestionForm, ScaleForm, SourceForm
from tracker.tui.forms.actor_form import country_check, slug_check
from tracker.tui.forms.checks import Verdict
from tracker.tui.forms.checks import choice_check, date_check, guarded, language_check, list_check, text_check
from tracker.tui.forms.display import one_line, visible
from tracker.tui.forms.field import FormField
from tracker.tui.forms.matching import Candidate, best_matches, exact_match, score
from tracker.tui.forms.scale_form import levels_check, parse_levels

from fuzz_helpers import BIDI, fuzz_settings, terminal_safe

# ---------------------------------------------------------------- text to type

NASTY = [
    "", " ", "  padded  ", "[bold]x[/]", "[/b]", "[/]", "[TODO] fix", "[@click=app.quit]q[/]",
    "[link=https://x.invalid]l[/link]", "$accent", "[$accent]a[/]", "\x1b[2J", "\x1b]0;title\x07", "\x07\x08",
    "a\nb", "a\r\nb", "\t", "\x7f", "\x9b2J", "\u202eevil\u202c", "\u2028", "\ufeff", "\u200b", "مرحبا", "🇫🇷👍🏽",
    "e\u0301", "ﬁ", "ß", "İ", "x" * 300, "%s", "{}", "\\", "'", '"', "0", "99", "-1", "²", "1er mars 2024", "2024-13",
    "31 février 2024", "today", "2022~", "macron", "Macron", "mcrn", "ground", "open", "Not excluded", "fr", "pt-BR",
    "FR", "person", "reported", "https://example.org/x", "javascript:alert(1)", "a, b, a", ",", "no: No\nyes: Yes",
    "Bad Key: x", ":", "x:", ":x",
]  # fmt: skip
ANY_TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=20), st.lists(st.sampled_from(NASTY), max_size=3).map("".join))
SURROGATES = st.one_of(ANY_TEXT, st.text(st.integers(0xD800, 0xDFFF).map(chr), min_size=1, max_size=3))


def assert_one_line_message(result: Verdict) -> None:
    assert isinstance(result, Verdict), result
    for text in (result.error, result.preview):
        shown = one_line(text)  # what the note beside the field shows
        assert "\n" not in shown and terminal_safe(shown.replace("\u2028", "").replace("\u2029", "")), repr(shown)


# ---------------------------------------------------------------- the checks alone (fast, many examples)

CHECKERS = {
    "text": text_check("name", required=True),
    "multiline": text_check("quote", single_line=False),
    "date": date_check("date", lambda: TODAY),
    "optional date": date_check("published", lambda: TODAY, required=False),
    "choice": choice_check("kind", ACTOR_KINDS, "other"),
    "confidence": choice_check("confidence", CONFIDENCES, "confirmed"),
    "language": language_check("quote language"),
    "list": list_check("aliases", "alias"),
    "levels": guarded(levels_check, "levels"),  # as the scale form wraps it
}


class _NameField:
    """Stands in for the name field a slug check reads."""

    value = "Emmanuel Macron"


CHECKERS["slug"] = slug_check("actor", _NameField(), {"macron", "france"}, "name")  # type: ignore[arg-type]
CHECKERS["country"] = guarded(country_check, "country")


@fuzz_settings(150)
@given(st.sampled_from(sorted(CHECKERS)), SURROGATES)
def test_every_check_returns_a_check_and_never_raises(kind, text):
    result = CHECKERS[kind](text)
    assert_one_line_message(result)
    if result.ok and isinstance(result.value, str) and kind in ("text", "multiline"):
        assert result.value == (text.strip() if kind == "text" else text)


@fuzz_settings(150)
@given(SURROGATES)
def test_levels_text_is_parsed_or_refused_with_its_line(text):
    try:
        levels = parse_levels(text)
    except TrackerError as error:
        assert "\n" not in str(error)
        return
    assert [lv.rank for lv in levels] == list(range(len(levels)))
    assert len({lv.key for lv in levels}) == len(levels)


NAMES = ["Emmanuel Macron", "Macron", "le président français", "France", "[bold]Boss[/]", "\x1b[31mred", "ß", "İstanbul",
         "e\u0301", "", " ", "مرحبا", "🇫🇷", "x" * 200]  # fmt: skip


@fuzz_settings(200)
@given(SURROGATES, st.lists(st.lists(st.sampled_from(NAMES) | st.text(max_size=10), min_size=1, max_size=3), max_size=6))
def test_fuzzy_matching_never_raises(typed, names):
    candidates = [Candidate.make(i, n[0], "detail", tuple(n[1:])) for i, n in enumerate(names)]
    found = best_matches(typed, candidates, 6)
    assert len(found) <= 6
    assert all(m.score > 0 for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    hit = exact_match(typed, candidates)
    assert hit is None or hit in candidates
    for cand in candidates:
        for name in cand.folded:
            assert 0 <= score(typed, name) <= 100


@fuzz_settings(200)
@given(SURROGATES)
def test_what_a_field_shows_is_one_visible_character_for_each(text):
    shown = visible(text)
    assert len(shown) == len(text)
    assert not any(unicodedata.category(c) == "Cc" or c in BIDI for c in shown)
    line = one_line(text, 40)
    assert "\n" not in line and "\x1b" not in line and len(line) <= max(40, 0)


# ---------------------------------------------------------------- the forms in the app (Pilot: few examples)

@contextmanager
def demo_db_copy():
    folder = Path(tempfile.mkdtemp(prefix="tracker-fuzz-form-"))
    try:
        yield demo_copy(folder / "demo.db")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Counts:
    """Row counts and ``data_version``, on one connection held open (its data_version changes
    when any other connection commits)."""

    TABLES = ("scales", "levels", "actors", "actor_aliases", "questions", "sources", "positions", "revisions")

    def __init__(self, db: Path):
        self.conn = sqlite3.connect(db)

    def __call__(self) -> tuple[int, ...]:
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return tuple(self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in self.TABLES) + (version,)

    def close(self) -> None:
        self.conn.close()


def _pilot_types(c: str) -> bool:
    """Whether Pilot's key presses deliver ``c`` as typed (it names keys by Unicode names and
    cannot always find the character back: "¤" arrives as a key with no character)."""
    if not c.isprintable() or 0xD800 <= ord(c) <= 0xDFFF:
        return False
    key = c if c.isalnum() else _character_to_key(c)
    try:
        return unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key))) == c
    except KeyError:
        return len(key) == 1 and key == c


def typable(text: str) -> bool:
    """Text typed key by key (the rest arrives pasted, as from a terminal)."""
    return all(_pilot_types(c) for c in text)


def put(field: FormField, text: str) -> None:
    """Set a field's text directly (as the form itself does when it prefills)."""
    if isinstance(field.input, TextArea):
        field.input.text = text
    else:
        field.input.value = text


def type_keys(pilot, text: str) -> None:
    """Press the keys of ``text`` one by one, as Pilot's ``press`` does, but without waiting for
    the app to be idle after each (two waits of 20 ms a key make typing the slow part)."""
    app = pilot.app
    for char in text:
        key = char if char.isalnum() else _character_to_key(char)
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)  # as the terminal driver hands it over


async def enter_text(pilot, field: FormField, text: str, *, raw: bool = False) -> None:
    """Type ``text`` into the field (paste what holds control characters or is long; with ``raw``,
    set it: text no terminal could send). The caller settles the app afterwards."""
    put(field, "")
    if raw:
        put(field, text)
    elif typable(text) and len(text) <= TYPED:
        field.focus_input()
        for _ in range(100):  # the focus moves later, from the app's queue
            await pilot.pause()
            if pilot.app.focused is field.input:
                break
        type_keys(pilot, text)
        for _ in range(100):  # every key handled before the focus moves on (a busy machine is slow)
            await pilot.pause()
            if field.value == text:
                break
    elif text:
        field.input.post_message(events.Paste(text))  # straight to the input: no need to focus it


async def assert_shown_as_typed(pilot, fields: list[FormField]) -> None:
    """Each field's text is drawn as it is (markup not read as markup), from its start."""
    fields = [f for f in fields if not isinstance(f.input, TextArea) and f.value.strip()]
    for field in fields:
        field.input.cursor_position = 0  # the start in view
    await pilot.pause()
    for field in fields:
        start = visible(field.value)[:16]
        drawn = "".join(segment.text for segment in field.input.render_line(0))  # what the terminal gets
        assert start in drawn, (field.id, start, drawn)


def assert_screen_literal(app) -> None:
    text = screen_text(app)
    bad = {c for c in text if (unicodedata.category(c) == "Cc" and c != "\n") or c in BIDI}
    assert not bad, bad


EDITED = 1  # the position the edit form opens (every field prefilled, then replaced)

# Each form: how it is opened, the fields fuzzed, and for each a text that is valid in any case
# (``{n}`` makes each example's record a new one). The actor, question and stance of a
# position are typed like the rest.
FORMS = {
    "position": (lambda: PositionForm(), {
        "actor": "Emmanuel Macron", "question": "Western ground troops in Ukraine", "stance": "open",
        "date": "2024-03-01", "quote": "", "quote_lang": "", "paraphrase": "", "context": "", "source": "",
        "confidence": "", "notes": ""}),
    "edit": (lambda: PositionForm(EDITED), {
        "actor": "Emmanuel Macron", "question": "Western ground troops in Ukraine", "stance": "open",
        "date": "2024-03-01", "quote": "", "quote_lang": "", "paraphrase": "", "context": "", "source": "",
        "confidence": "", "notes": ""}),
    "actor": (lambda: ActorForm(), {
        "name": "Fuzz Person {n}", "slug": "fuzz-person-{n}", "kind": "", "country": "", "parent": "", "aliases": ""}),
    "question": (lambda: QuestionForm(), {
        "title": "Fuzz question {n}", "slug": "fuzz-question-{n}", "scale": "", "description": "", "tags": ""}),
    "source": (lambda: SourceForm(), {"url": "", "title": "Fuzz source {n}", "outlet": "", "published": "", "language": ""}),
    "scale": (lambda: ScaleForm(None), {"key": "fuzz-{n}", "name": "Fuzz {n}", "levels": "no: No\nyes: Yes",
                                       "description": ""}),
    "level": (lambda: ScaleForm("commitment"), {"level_key": "fuzz-level-{n}", "label": "Fuzz level", "rank": ""}),
}  # fmt: skip
FREE = {"quote", "paraphrase", "context", "notes", "description", "name", "title", "outlet", "label"}
MULTILINE = {"quote", "paraphrase", "context", "notes", "description"}


def stored(db: Path, form_name: str, record, field_id: str, values: dict):
    """(what the store holds for ``field_id``, what the form's check made of the text)."""
    value = values[field_id]
    with Store.open(db) as store:
        if form_name in ("position", "edit"):
            (last,) = store.conn.execute("SELECT max(id) FROM positions").fetchone()
            p = store.position(last if form_name == "position" else EDITED)
            if field_id in ("actor", "question"):
                return getattr(p, f"{field_id}_id"), value.id
            if field_id == "stance":
                return p.level.key, value.key
            if field_id == "date":
                return p.date.edtf, value.edtf
            if field_id == "source":
                return (p.source.id if p.source else None), (value.id if value else None)
            return getattr(p, field_id), value or ""
        if form_name == "actor":
            a = store.resolve_actor(record.slug)
            if field_id == "parent":
                return a.parent_slug, (value.slug if value else None)
            if field_id == "aliases":
                return tuple(a.aliases), tuple(value or ())
            return getattr(a, field_id), value
        if form_name == "question":
            q = store.resolve_question(record.slug)
            if field_id == "scale":
                return q.scale_key, value
            if field_id == "tags":
                return tuple(q.tags), tuple(value or ())
            return getattr(q, field_id), value or ""
        if form_name == "source":
            src = store.source(record.uid)
            if field_id == "published":
                return (src.published.edtf if src.published else None), (value.edtf if value else None)
            if field_id == "url":
                return src.url, value
            return getattr(src, field_id), value or ""
        if form_name == "scale":
            sc = store.scale(record.key)
            if field_id == "levels":
                return [(lv.key, lv.label) for lv in sc.levels], [(lv.key, lv.label) for lv in value]
            return getattr(sc, field_id), value or ""
        sc = store.scale("commitment")
        (new,) = [lv for lv in sc.levels if lv.key == values["level_key"]]
        if field_id == "rank":
            return new.rank, (sc.size - 1 if value is None else value)
        return (new.key if field_id == "level_key" else new.label), value


def status_of(form) -> str:
    return str(form.query_one(".form-status").render()) if form.is_attached else ""


async def save(pilot, form, form_name: str) -> bool:
    """ctrl+s; whether the form saved (a new level keeps the scale form open)."""
    await pilot.press("ctrl+s")
    await settle(pilot)
    if form_name == "level":
        return status_of(form).startswith("Added the level")
    return pilot.app.screen is not form


def assert_saved_as_typed(db, form_name, record, fields, held, checks, values) -> None:
    for field_id in fields:
        got, want = stored(db, form_name, record, field_id, values)
        assert got == want, (field_id, got, want)
        if field_id in FREE:  # what was typed, exactly (a one-line field without surrounding spaces)
            typed = held[field_id] if field_id in MULTILINE else held[field_id].strip()
            assert checks[field_id].value == typed, (field_id, checks[field_id].value, typed)


async def one_example(pilot, db: Path, counts: Counts, form_name: str, n: int, texts: dict[str, tuple[str, bool]]):
    """Open the form, put each text in its field, ctrl+s. Refused: every field whose check fails
    says why beside it, the others do not, nothing is written; then the refused fields get
    valid text and the form must save. Saved: each field holds in the store what it was given."""
    app = pilot.app
    make_form, valid = FORMS[form_name]
    results: list = []
    form = make_form()
    app.push_screen(form, results.append)
    await settle(pilot)
    assert app.screen is form and form.loaded, status_of(form)
    for field_id, (text, raw) in texts.items():
        await enter_text(pilot, form.field(field_id), text, raw=raw)
    await settle(pilot)
    held = {f.id: f.value for f in form.fields}
    for field_id, (text, raw) in texts.items():
        if not raw and typable(text) and len(text) <= TYPED:
            assert held[field_id] == text, (field_id, held[field_id], text)  # typed exactly
    assert_screen_literal(app)
    await assert_shown_as_typed(pilot, [f for f in form.fields if "[" in f.value])
    checks = {f.id: f.recheck() for f in form.fields}
    values = form.values()
    whole = form.form_errors()
    before = counts()
    if await save(pilot, form, form_name):
        assert all(c.ok for c in checks.values()) and not whole, (checks, whole)
        assert_saved_as_typed(db, form_name, results[0] if results else None, list(texts), held, checks, values)
    else:
        assert app.screen is form
        assert status_of(form).startswith("Not saved"), status_of(form)
        assert_screen_literal(app)
        for field in form.fields:
            note = str(field.query_one(".field-note").render())
            if not checks[field.id].ok:
                assert field.has_class("-invalid") and note.startswith("✗ "), (field.id, note)
            elif not any(field.id == f for f, _ in whole):
                assert not field.has_class("-invalid") and not note.startswith("✗"), (field.id, note)
        for field_id, message in whole:  # a rule across fields: said beside the first field it names
            assert str(form.field(field_id).query_one(".field-note").render()) == "✗ " + one_line(message)
        assert counts() == before, "refused, yet written"
        # Valid text where it was refused: now it saves, the other fields as they were typed.
        kept = [f for f in texts if checks[f].ok and held[f].strip() and not any(f == w for w, _ in whole)]
        for field_id, good in valid.items():
            if field_id not in kept:
                put(form.field(field_id), good.format(n=n))
        await settle(pilot)
        values = form.values()
        assert await save(pilot, form, form_name), (status_of(form), {f.id: f.result.error for f in form.fields})
        assert_saved_as_typed(db, form_name, results[0] if results else None, kept, held, checks, values)
    if form.is_attached:
        form.dismiss(None)
        await settle(pilot)


async def session(db: Path, form_name: str, examples: list[dict[str, tuple[str, bool]]]) -> None:
    counts = Counts(db)
    try:
        async with running(db) as pilot:
            for n, texts in enumerate(examples):
                try:
                    await one_example(pilot, db, counts, form_name, n, texts)
                except AssertionError as e:
                    raise AssertionError(f"{form_name} form, {texts!r}: {e}") from None
    finally:
        counts.close()


TYPED = 10  # longer text is pasted: typing key by key is what makes Pilot slow
PER_FORM = 1  # generated examples a form (each with text in every field), besides the fixed ones
# Pilot is slow: one app a form, its examples one after another; and no shrinking (far too slow).
PILOT = fuzz_settings(1)
PILOT = PILOT.__class__(PILOT, phases=[Phase.explicit, Phase.reuse, Phase.generate])

# Then the nastiest text in every field at once: markup and a lone closing tag, escapes, bidi,
# line breaks and a long line; and set directly (no terminal sends them) a lone surrogate and NUL.
NASTIEST = "[/b] [TODO] [bold]x[/] [@click=app.quit]q[/] \x1b[2J\x07 \u202eevil\u202c \x9b a\nb\r\nc " + "[b]long[/b] " * 200
RAW = "\ud800 a\x00b [/]"


@pytest.mark.parametrize("form_name", list(FORMS))
@PILOT
@given(data=st.data())
def test_text_in_every_field_is_saved_as_typed_or_refused_beside_it(form_name, data):
    fields = FORMS[form_name][1]
    examples = [{f: (data.draw(ANY_TEXT, label=f"{f} ({i + 1})"), False) for f in fields} for i in range(PER_FORM)]
    examples.append({f: (NASTIEST, False) for f in fields})
    if form_name != "edit":  # the edit form has the position form's fields and checks: only its write differs
        examples.append({f: (RAW, True) for f in fields})
    with demo_db_copy() as db:
        async_test(session)(db, form_name, examples)
