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

Callers: ``app.push_screen(PositionForm(...), callback)``; the callback gets the
saved Position, or None when nothing was saved. After ``ctrl+n`` saves, the form
stays open and the callback later gets the last position saved; each save also
posts :class:`PositionForm.Saved` (it bubbles to the app) so lists can refresh.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message

from tracker.domain.models import CONFIDENCES, Actor, Level, Position, Question, Scale, Source
from tracker.domain.scales import resolve_level
from tracker.store import Store
from tracker.tui.forms.base import FormScreen
from tracker.tui.forms.fields import (
    Check,
    FormField,
    LookupField,
    choice_check,
    date_check,
    guarded,
    language_check,
)
from tracker.tui.forms.matching import actor_candidate, question_candidate, source_candidate

KEPT = ("actor", "question", "date", "source")  # what "add another from the same source" keeps


class PositionForm(FormScreen[Position]):
    """New position (``position_id`` None, prefilled with ``actor_id`` and ``question_id``)
    or an edit of an existing one (every field prefilled; saving updates it)."""

    BINDINGS = [
        Binding("ctrl+n", "save('another')", "Save + add another"),
    ]
    DROP_QUESTION = "Drop this position?"  # a new one: nothing saved yet
    DISCARD_QUESTION = "Discard your changes?"  # an edit: the position stays as it was

    class Saved(Message):
        """A position was written (added or updated)."""

        def __init__(self, position: Position, new: bool) -> None:
            super().__init__()
            self.position = position
            self.new = new

    def __init__(self, position_id: int | None = None, *, actor_id: int | None = None, question_id: int | None = None):
        super().__init__()
        self.position_id = position_id
        self.actor_id = actor_id
        self.question_id = question_id
        self.position: Position | None = None
        self.scales: dict[str, Scale] = {}
        self.saved_positions: list[Position] = []

    def form_title(self) -> str:
        return "New position" if self.position_id is None else f"Edit position {self.position_id}"

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
            checker=date_check("date", lambda: self.app.today),  # type: ignore[attr-defined]
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
        return next((f for f in self.fields if given.get(f.id) is None), None)

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
            chosen = {"actor": self.actor_id, "question": self.question_id, "source": None}
        for field_id, record_id in chosen.items():
            lookup = self.lookup(field_id)
            if record_id is not None and not lookup.dirty:
                lookup.choose_record(lambda r, record_id=record_id: r.id == record_id, clean=True)
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

    def _focus_start(self) -> None:
        """Where typing starts. An edit: the first field, the actor, the cursor at the end of
        its text (every field is filled in; tabbing through them replaces nothing). A new
        position: the first empty field (the stance, when actor and question are given)."""
        fields = self.fields
        if self.position_id is not None:
            fields[0].focus_input()
            fields[0].input.cursor_position = len(fields[0].value)  # it may have the focus already
            return
        first = next((f for f in fields if not f.value), fields[0])
        first.focus_input(select=True)

    # -- the stance depends on the question

    def chosen_question(self) -> Question | None:
        """The question field's record (None before the field is mounted, or after it is gone)."""
        field = next(iter(self.query("#question").results(LookupField)), None) if self.is_attached else None
        record = field.record if field is not None else None
        return record if isinstance(record, Question) else None

    def current_scale(self) -> Scale | None:
        question = self.chosen_question()
        return self.scales.get(question.scale_key) if question is not None else None

    def check_stance(self, text: str) -> Check:
        scale = self.current_scale()
        question = self.chosen_question()
        if scale is None and isinstance(question, Question):
            return Check(error=f"the scale {question.scale_key!r} of this question is unknown", empty=not text.strip())
        if scale is None:
            if not self.loaded:
                return Check(error="loading…", empty=not text.strip())
            return Check(error="choose the question first: the stance is a level of its scale", empty=not text.strip())
        if not text.strip():
            levels = " · ".join(f"{lv.rank} {lv.key}" for lv in scale.levels)
            return Check(error="stance is required", preview=levels, empty=True)
        level = resolve_level(scale, text)
        return Check(level, preview=f"→ {level.label} ({level.rank})")

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
        source: Source | None = values["source"]
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
        if isinstance(record, Actor):
            return actor_candidate(record)
        if isinstance(record, Question):
            return question_candidate(record)
        return source_candidate(record)

