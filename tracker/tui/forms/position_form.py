"""The position form: one statement, from the keyboard, in seconds.

``tab`` order: actor, question, stance, date, quote, quote language, paraphrase,
context, source, confidence, notes. Actor, question and source are typed with
fuzzy autocomplete (with "create new …", which opens that record's form on top);
the stance is a typed prefix of a level of the question's scale, or its rank;
the date is read as typed, with a preview. ``ctrl+s`` saves, ``ctrl+n`` saves
and starts the next statement from the same source (actor, question, date and
source kept: one article, one day), ``escape`` cancels (asking first when
something was typed). An edit opens on the first field, the actor; tabbing into a
filled field puts the cursor at the end of its text (typing adds to it).

With a :class:`CapturePrefill` (a quote found in an article, from the capture screen)
a new position opens filled in: the actor (or the speaker's name with "create new
actor" offered), the question last used in this run of the interface (the app's
``last_question_id``, set on every save), the date, the quote and its language, and
the article as source: an existing source with its URL (or title, without URL), else
one created with the position on its first save, in the same transaction, and reused
by the saves after it.

Callers: ``app.push_screen(PositionForm(...), callback)``; the callback gets the
saved Position, or None when nothing was saved. After ``ctrl+n`` saves, the form
stays open and the callback later gets the last position saved; each save also
posts :class:`PositionForm.Saved` (it bubbles to the app) so lists can refresh.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message

from tracker.domain import validation
from tracker.domain.models import CONFIDENCES, Actor, Level, Position, Question, Scale, Source
from tracker.domain.scales import resolve_level
from tracker.domain.text import fold
from tracker.store import Store
from tracker.tui.base import tracker_app
from tracker.tui.forms.base import FormScreen
from tracker.tui.forms.checks import Verdict, choice_check, date_check, guarded, language_check
from tracker.tui.forms.field import FormField
from tracker.tui.forms.lookup_field import LookupField
from tracker.tui.forms.matching import Candidate, actor_candidate, question_candidate, source_candidate

KEPT = ("actor", "question", "date", "source")  # what "add another from the same source" keeps


@dataclass(frozen=True)
class CapturePrefill:
    """What the capture screen found for one quote, to open a new position with."""

    actor_slug: str | None  # an existing actor, or None
    actor_name: str | None  # a person not yet in the file: offered as "create new" with this name
    date: str | None
    quote: str
    quote_lang: str | None
    source_url: str | None  # the article as source: reused when a source with this url (or, without url,
    source_title: str | None  # this title) exists, else created with the position on its first save, once
    source_outlet: str | None
    source_published: str | None
    source_language: str | None

    @property
    def has_source(self) -> bool:
        return bool((self.source_url or "").strip() or (self.source_title or "").strip())

    def finds(self, source: Source) -> bool:
        """Whether ``source`` is this article: the same URL, or without a URL the same title."""
        url = (self.source_url or "").strip()
        if url:
            try:
                url = validation.check_url(url) or url
            except Exception:  # a URL the store refuses matches nothing; the save says why
                pass
            return source.url == url
        title = (self.source_title or "").strip()
        return bool(title) and not source.url and fold(source.title.strip()) == fold(title)


@dataclass(frozen=True)
class NewSource:
    """The source field's value while the article of a prefill is not yet a source."""

    prefill: CapturePrefill

    def find_or_add(self, store: Store) -> Source:
        """The article's source: found again (a save since may have made it), else created."""
        prefill = self.prefill
        found = next((s for s in store.sources() if prefill.finds(s)), None)
        if found is not None:
            return found
        return store.add_source(
            url=(prefill.source_url or "").strip() or None,
            title=(prefill.source_title or "").strip(),
            outlet=(prefill.source_outlet or "").strip(),
            published=(prefill.source_published or "").strip() or None,
            language=(prefill.source_language or "").strip(),
        )


def new_source_candidate(new: NewSource) -> Candidate:
    prefill = new.prefill
    label = (prefill.source_title or "").strip() or (prefill.source_url or "").strip()
    detail = " · ".join(p for p in ("new: created when saved", prefill.source_outlet, prefill.source_url) if p)
    return Candidate.make(new, label, detail, tuple(p for p in (prefill.source_url, prefill.source_outlet) if p))


class PositionForm(FormScreen[Position]):
    """New position (``position_id`` None, prefilled with ``actor_id`` and ``question_id``)
    or an edit of an existing one (every field prefilled; saving updates it)."""

    BINDINGS = [
        Binding("ctrl+n", "save('another')", "Save + add another"),
    ]
    DROP_QUESTION = "Drop this position?"  # a new one: nothing saved yet
    DRAFT_KIND = "position"
    DISCARD_QUESTION = "Discard your changes?"  # an edit: the position stays as it was

    class Saved(Message):
        """A position was written (added or updated)."""

        def __init__(self, position: Position, new: bool) -> None:
            super().__init__()
            self.position = position
            self.new = new

    def __init__(
        self,
        position_id: int | None = None,
        *,
        actor_id: int | None = None,
        question_id: int | None = None,
        prefill: CapturePrefill | None = None,
    ):
        super().__init__()
        self.position_id = position_id
        self.actor_id = actor_id
        self.question_id = question_id
        self.prefill = prefill if position_id is None else None
        self.position: Position | None = None
        self.scales: dict[str, Scale] = {}
        self.saved_positions: list[Position] = []

    def form_title(self) -> str:
        return "New position" if self.position_id is None else f"Edit position {self.position_id}"

    def draft_args(self) -> dict[str, Any]:
        return {
            "position_id": self.position_id,
            "actor_id": self.actor_id,
            "question_id": self.question_id,
            "prefill": asdict(self.prefill) if self.prefill is not None else None,
        }

    def drop_question(self) -> str:
        return self.DROP_QUESTION if self.position_id is None else self.DISCARD_QUESTION

    def compose_fields(self) -> ComposeResult:
        yield LookupField("Actor", id="actor", noun="actor", placeholder="name, slug or alias", hint="who said it")
        yield LookupField("Question", id="question", noun="question", placeholder="title or slug", hint="on what")
        yield FormField(
            "Stance", id="stance", checker=guarded(self.check_stance, "stance"), placeholder="level key, label or rank"
        )
        yield FormField(
            "Date",
            id="date",
            checker=date_check("date", lambda: tracker_app(self).today),
            placeholder="26 Feb 2024, 2024-02, 1er mars 2024, 2022~",
            hint="when it was said",
        )
        yield FormField("Quote", id="quote", multiline=True, placeholder="verbatim", hint="the exact words")
        yield FormField(
            "Quote language", id="quote_lang", checker=language_check("quote language"), placeholder="fr, en, pt-BR"
        )
        yield FormField("Paraphrase", id="paraphrase", multiline=True, hint="or a translation")
        yield FormField("Context", id="context", multiline=True, hint="where, on what occasion")
        yield LookupField(
            "Source", id="source", noun="source", required=False, placeholder="URL, title or outlet", hint="optional"
        )
        yield FormField(
            "Confidence",
            id="confidence",
            checker=choice_check("confidence", CONFIDENCES, "confirmed"),
            placeholder=" / ".join(CONFIDENCES),
        )
        yield FormField("Notes", id="notes", multiline=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and parameters == ("another",):
            return self.position_id is None  # an edit has no "add another"
        return True

    # -- loading

    def load(self, store: Store) -> dict[str, Any]:
        return {
            "actors": store.actors(),
            "questions": store.questions(),
            "sources": store.sources(),
            "scales": {s.key: s for s in store.scales()},
            "position": store.position(self.position_id) if self.position_id is not None else None,
        }

    def first_field(self) -> FormField | None:
        """The first field the form will not fill in: the stance when actor and question are given."""
        if self.position_id is not None:
            return super().first_field()
        given = {"actor": self.actor_id, "question": self.question_id}
        if self.prefill is not None:
            given = {"actor": self.actor_id or self.prefill.actor_slug, "question": self.wanted_question_id()}
        return next((f for f in self.fields if given.get(f.id) is None), None)

    def wanted_question_id(self) -> int | None:
        """The question given, else with a prefill the one last used in this run of the interface."""
        if self.question_id is not None or self.prefill is None:
            return self.question_id
        return tracker_app(self).last_question_id

    def loaded_data(self, data: dict[str, Any]) -> None:
        """Fill in the lists and the prefilled values, except in a field typed in while the
        form was loading: what was typed stays, and so does the focus."""
        self.scales = data["scales"]
        typed = self.dirty
        actor, question, source = self.lookup("actor"), self.lookup("question"), self.lookup("source")
        actor.set_candidates([actor_candidate(a) for a in data["actors"]])
        question.set_candidates([question_candidate(q) for q in data["questions"]])
        source.set_candidates([source_candidate(s) for s in data["sources"]])
        pos: Position | None = data["position"]
        self.position = pos
        if pos is not None:
            chosen = {"actor": pos.actor_id, "question": pos.question_id, "source": pos.source and pos.source.id}
        else:
            chosen = {"actor": self.actor_id, "question": self.wanted_question_id(), "source": None}
        for field_id, record_id in chosen.items():
            lookup = self.lookup(field_id)
            if record_id is not None and not lookup.dirty:
                lookup.choose_record(lambda r, record_id=record_id: r.id == record_id, clean=True)
        if self.prefill is not None:
            self._fill_from_capture(self.prefill, data["sources"])
        if pos is not None:
            for field_id, text in (
                ("stance", pos.level.key),
                ("date", pos.date.edtf),
                ("quote", pos.quote),
                ("quote_lang", pos.quote_lang),
                ("paraphrase", pos.paraphrase),
                ("context", pos.context),
                ("confidence", pos.confidence),
                ("notes", pos.notes),
            ):
                field = self.field(field_id)
                if not field.dirty:
                    field.set_value(text, clean=True)
        if not typed:
            self._focus_start()

    def _fill_from_capture(self, prefill: CapturePrefill, sources: list[Source]) -> None:
        """The fields a capture fills in, except those typed in while the form loaded."""
        actor = self.lookup("actor")
        if not actor.dirty and actor.chosen is None:
            slug = (prefill.actor_slug or "").strip()
            found = bool(slug) and actor.choose_record(lambda r: getattr(r, "slug", None) == slug, clean=True)
            if not found and (prefill.actor_name or "").strip():
                actor.set_value(prefill.actor_name.strip(), clean=True)  # offered as "create new actor"
        for field_id, text in (("date", prefill.date), ("quote", prefill.quote), ("quote_lang", prefill.quote_lang)):
            field = self.field(field_id)
            if text and not field.dirty:
                field.set_value(text, clean=True)
        source = self.lookup("source")
        if prefill.has_source and not source.dirty:
            existing = next((s for s in sources if prefill.finds(s)), None)
            if existing is not None:
                source.choose_record(lambda r: r == existing, clean=True)
            else:
                candidate = new_source_candidate(NewSource(prefill))
                source.add_candidate(candidate)
                source.choose(candidate, clean=True)

    def _focus_start(self) -> None:
        """Where typing starts. An edit: the first field, the actor, the cursor at the end of
        its text (every field is filled in; tabbing through them replaces nothing). A new
        position: the first empty field (the stance, when actor and question are given)."""
        fields = self.fields
        if self.position_id is not None:
            fields[0].focus_input()
            fields[0].input.cursor_position = len(fields[0].value)  # it may have the focus already
            return
        actor = self.lookup("actor")
        if self.prefill is not None and actor.value and actor.chosen is None:
            # A speaker not yet in the file: enter creates the actor with the name from the text.
            actor.focus_input()
            self.call_after_refresh(self._offer_new_actor)
            return
        first = next((f for f in fields if not f.value), fields[0])
        first.focus_input(select=True)

    def _offer_new_actor(self) -> None:
        """Open the actor dropdown on its "create new actor “name”" line."""
        actor = self.lookup("actor")
        if not actor.is_attached or actor.chosen is not None or not actor.input.has_focus:
            return
        actor._refresh_dropdown()
        if actor.dropdown.display and actor.create:
            actor.dropdown.highlighted = actor.dropdown.option_count - 1

    def focus_after(self, field: FormField) -> None:
        """After a choice in a prefilled form, on to the first field still empty (the stance)."""
        if self.prefill is not None and self.position_id is None:
            empty = next((f for f in self.fields if not f.value.strip() and not f.ok), None)
            if empty is not None:
                empty.focus_input()
                return
        super().focus_after(field)

    # -- the stance depends on the question

    def chosen_question(self) -> Question | None:
        """The question field's record (None before the field is mounted, or after it is gone)."""
        field = next(iter(self.query("#question").results(LookupField)), None) if self.is_attached else None
        record = field.record if field is not None else None
        return record if isinstance(record, Question) else None

    def current_scale(self) -> Scale | None:
        question = self.chosen_question()
        return self.scales.get(question.scale_key) if question is not None else None

    def check_stance(self, text: str) -> Verdict:
        scale = self.current_scale()
        question = self.chosen_question()
        if scale is None and isinstance(question, Question):
            return Verdict(error=f"the scale {question.scale_key!r} of this question is unknown", empty=not text.strip())
        if scale is None:
            if not self.loaded:
                return Verdict(error="loading…", empty=not text.strip())
            return Verdict(error="choose the question first: the stance is a level of its scale", empty=not text.strip())
        if not text.strip():
            levels = " · ".join(f"{lv.rank} {lv.key}" for lv in scale.levels)
            return Verdict(error="stance is required", preview=levels, empty=True)
        level = resolve_level(scale, text)
        return Verdict(level, preview=f"→ {level.label} ({level.rank})")

    def on_form_field_changed(self, event: FormField.Changed) -> None:
        if event.field.id == "question":
            self.field("stance").recheck()

    def on_lookup_field_chosen(self, event: LookupField.Chosen) -> None:
        if event.field.id == "question":
            self.field("stance").recheck()

    # -- saving

    def write(self, store: Store, values: dict[str, Any]) -> Position:
        actor: Actor = values["actor"]
        question: Question = values["question"]
        level: Level = values["stance"]
        source: Source | NewSource | None = values["source"]
        with store.transaction():  # the article's source is created with the position, or not at all
            if isinstance(source, NewSource):
                source = source.find_or_add(store)
            return self._write(store, values, actor, question, level, source)

    def _write(
        self, store: Store, values: dict[str, Any], actor: Actor, question: Question, level: Level, source: Source | None
    ) -> Position:
        fields = {
            "actor": actor,
            "question": question,
            # A key made of digits would be read as a rank: give the rank then.
            "stance": level.rank if level.key.isdigit() else level.key,
            "date": values["date"],
            "quote": values["quote"] or "",
            "quote_lang": values["quote_lang"] or "",
            "paraphrase": values["paraphrase"] or "",
            "context": values["context"] or "",
            "source": source.uid if source is not None else None,
            "confidence": values["confidence"],
            "notes": values["notes"] or "",
        }
        if self.position_id is None:
            return store.add_position(**fields)
        return store.update_position(self.position_id, **fields)

    def saved(self, record: Position, then: str) -> None:
        self.saved_positions.append(record)
        tracker_app(self).last_question_id = record.question_id  # for the next capture
        source = self.lookup("source")
        if isinstance(source.record, NewSource) and record.source is not None:
            candidate = source_candidate(record.source)  # created now: from here on, the source itself
            source.add_candidate(candidate)
            source.choose(candidate, clean=not source.dirty)
        self.post_message(self.Saved(record, self.position_id is None))
        if then == "another" and self.position_id is None:
            self._start_another(record)
            return
        self.dismiss(record)

    def _start_another(self, record: Position) -> None:
        for field in self.fields:
            if field.id in KEPT:
                field.mark_clean()
            else:
                field.show_required = False
                field.set_value("", clean=True)
        self.set_status(
            f"Saved position {record.id} ({record.actor_name}, {record.date.display}). "
            "Next statement from the same source (actor, question, date and source kept):",
            "-ok",
        )
        self.query_one(".form-body").scroll_home(animate=False)
        self.lookup("actor").focus_input(select=True)  # typing replaces the kept actor; tab keeps it

    def cancel_result(self) -> Position | None:
        return self.saved_positions[-1] if self.saved_positions else None

    # -- "create new …" from the actor, question and source fields

    def form_for_new(self, field: LookupField, text: str):
        from tracker.tui.forms.actor_form import ActorForm
        from tracker.tui.forms.question_form import QuestionForm
        from tracker.tui.forms.source_form import SourceForm

        if field.id == "actor":
            return ActorForm(text)
        if field.id == "question":
            return QuestionForm(text)
        if field.id == "source":
            return SourceForm(text)
        return None

    def candidate_for(self, field: LookupField, record: Any):
        if isinstance(record, NewSource):
            return new_source_candidate(record)
        if isinstance(record, Actor):
            return actor_candidate(record)
        if isinstance(record, Question):
            return question_candidate(record)
        return source_candidate(record)

