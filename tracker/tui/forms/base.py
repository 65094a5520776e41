"""What every entry form shares: the layout, ctrl+s and escape, and the workers.

A form loads what its checks need (lists of names, the record being edited) once,
in a worker, when it opens; checks then run on the UI thread without touching the
database. ``ctrl+s`` saves only when every field is valid: otherwise a one-line
notice, and the focus goes to the first bad field. The save itself is one store
call in a worker; a TrackerError from the store is shown and nothing is written.
``escape`` closes at once when nothing was typed, and asks first otherwise. What is typed
outlives the interface (tracker.tui.drafts): ``draft`` says what a form holds, and a form
given a draft by ``restore`` before it opens puts that text back, as if typed.

A form may be opened, or its worker may finish, while the app is quitting (``q`` then
``n`` at typing speed): the form is then mounted without its fields, or already gone.
Nothing here may raise then: ``on_mount`` does nothing when the form is not attached,
the status line is looked up with a query that may find nothing, workers cancelled on
unmount post nothing back, and what they post back checks ``is_attached`` first.
"""

from __future__ import annotations

import sqlite3
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import get_current_worker

from tracker.errors import TrackerError
from tracker.store import Store
from tracker.tui.base import tracker_app
from tracker.tui.drafts import FormDraft, kept_at_words
from tracker.tui.forms.display import one_line
from tracker.tui.forms.field import FormField
from tracker.tui.forms.inputs import FieldArea, FieldInput
from tracker.tui.forms.lookup_field import LookupField
from tracker.tui.screens.confirm import ConfirmScreen
from tracker.tui.widgets.footer import Footer

T = TypeVar("T")


class FormScreen(ModalScreen[T], Generic[T]):
    """A keyboard-only entry form, dismissed with the saved record or None."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    FORM_TITLE = "Form"
    AUTO_FOCUS = ""  # on_mount focuses first_field(); until then keys are kept in early_input
    DROP_QUESTION = "Drop what you typed?"
    DRAFT_KIND: ClassVar[str] = ""  # its name in a draft file (tracker.tui.forms.reopen.make_form)

    def __init__(self) -> None:
        super().__init__()
        self.busy = False  # a save is running
        self.loaded = False
        self.early_input: list[events.Event] | None = []  # keys and pastes before on_mount, then None
        self.opened_for: str | None = None  # the lookup field of the form below this one makes a record for
        self._restoring: tuple[FormDraft, str] | None = None  # a draft to put back, and when it was kept

    # -- layout

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-panel"):
            yield Static(Text(self.form_title()), classes="form-title")
            with VerticalScroll(classes="form-body"):
                yield from self.compose_fields()
            yield Static("", classes="form-status")
        yield Footer(compact=True)

    def form_title(self) -> str:
        return self.FORM_TITLE

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    @property
    def fields(self) -> list[FormField]:
        return list(self.query(FormField))

    def field(self, field_id: str) -> FormField:
        return self.query_one(f"#{field_id}", FormField)

    def lookup(self, field_id: str) -> LookupField:
        return self.query_one(f"#{field_id}", LookupField)

    def focus_after(self, field: FormField) -> None:
        """Focus the field after ``field`` (``field`` itself when it is the last)."""
        fields = self.fields
        index = fields.index(field)
        (fields[index + 1] if index + 1 < len(fields) else field).focus_input()

    def on_mount(self) -> None:
        if not self.is_attached:  # opened as the app quits: its fields were never mounted
            self.early_input = None
            return
        if self._restoring is not None:
            for field in self.fields:
                text = self._restoring[0].fields.get(field.id)
                if text is not None:
                    field.set_value(text)  # as if typed: the form's loading leaves it as it is
        first = self.first_field()
        if first is not None:
            self.set_focus(first.input)  # now, not after a refresh as Widget.focus does: keys are coming
            for event in self.early_input or ():
                first.input.post_message(event)
        self.early_input = None
        self.set_status("loading…")
        self._load()

    def dismiss(self, result: T | None = None):
        """Closed on purpose (saved, or dropped): its draft goes at once, so that a form saved
        just before the interface is killed never comes back to be saved twice. (A form that
        goes because the app ends, a crash included, keeps its draft.)"""
        closing = super().dismiss(result)
        tracker_app(self).keep_drafts(leaving=self)
        return closing

    def on_key(self, event: events.Key) -> None:
        self.take_typeahead(event)

    def on_paste(self, event: events.Paste) -> None:
        self.take_typeahead(event)

    def take_typeahead(self, event: events.Key | events.Paste) -> None:
        """Keys typed right after the one that opened the form (``n``, then the stance, at
        typing speed) are not lost. Those pressed before the form has mounted come to the
        screen, as no field has the focus yet: they are kept for the first field. Those sent
        to the widget that had the focus on the screen below come back up unhandled, and the
        app hands them here: they go to the field that has the focus. A field's input stops
        every printable key and paste itself, so what it is given never comes back."""
        if isinstance(event, events.Key):
            if not event.is_printable:
                return
            copy: events.Event = events.Key(event.key, event.character)
        else:
            copy = events.Paste(event.text)
        if self.early_input is not None:
            event.stop()
            self.early_input.append(copy)
        elif isinstance(self.focused, (FieldInput, FieldArea)):
            event.stop()
            self.focused.post_message(copy)

    def first_field(self) -> FormField | None:
        """Where the focus starts, before ``load`` returns (keys typed meanwhile go there)."""
        fields = self.fields
        return fields[0] if fields else None

    def set_status(self, message: str, kind: str = "") -> None:
        for status in self.query(".form-status").results(Static):  # none while the app quits
            status.update(Text(one_line(message)))
            for cls in ("-error", "-ok"):
                status.set_class(cls == kind, cls)

    def post_back(self, callback, *args: Any) -> None:
        """From a worker: run ``callback(*args)`` on the UI thread, unless the form was closed
        meanwhile (its workers are cancelled on unmount) or the app has stopped."""
        if get_current_worker().is_cancelled:
            return
        tracker_app(self).call_soon(callback, *args)

    # -- loading

    def load(self, store: Store) -> Any:
        """Runs in a worker when the form opens: what the checks need."""
        return None

    def loaded_data(self, data: Any) -> None:
        """Back on the UI thread with what ``load`` returned."""

    @work(thread=True, exclusive=True, group="form-load")
    def _load(self) -> None:
        store = tracker_app(self).pool.get()
        try:
            data = self.load(store)
        except (TrackerError, sqlite3.Error) as e:
            self.post_back(self._load_failed, str(e))
            return
        self.post_back(self._loaded, data)

    def _loaded(self, data: Any) -> None:
        if not self.is_attached:
            return
        self.loaded = True
        self.set_status("")
        self.loaded_data(data)
        if self._restoring is not None:
            self._restored(*self._restoring)
        for field in self.fields:
            field.recheck()

    def _load_failed(self, message: str) -> None:
        if self.is_attached:
            self.set_status(f"cannot load the form: {message}", "-error")

    # -- checking

    def form_errors(self) -> list[tuple[str, str]]:
        """Rules across fields, as (field id, message); checked on save, along with the fields,
        and said beside the field named until the next change."""
        return []

    def invalid_fields(self) -> list[FormField]:
        bad = []
        for field in self.fields:
            if not field.recheck().ok:
                bad.append(field)
        return bad

    @property
    def dirty(self) -> bool:
        return any(field.dirty for field in self.fields)

    @on(FormField.Changed)
    def _clear_form_errors(self, event: FormField.Changed) -> None:
        """A change to any field may mend a rule across fields: its message waits for the next save."""
        for field in self.fields:
            field.clear_form_error()

    # -- saving

    def action_save(self, then: str = "close") -> None:
        if self.busy:
            return
        if not self.loaded:
            self.set_status("still loading; try again in a moment", "-error")
            return
        bad = self.invalid_fields()
        for field in bad:
            field.reveal_errors()
        problems = [(f, f.result.error) for f in bad]
        for field_id, message in self.form_errors():  # all that is wrong at once, each beside its field
            field = self.field(field_id)
            field.show_form_error(message)
            problems.append((field, message))
        if problems:
            names = ", ".join(dict.fromkeys(f.label.lower() for f, _ in problems))
            first, message = problems[0]
            notice = f"Not saved: {names} {'needs' if len(problems) == 1 else 'need'} attention ({message})"
            self.set_status(notice, "-error")
            self.notify(one_line(notice, 200), severity="warning", markup=False)
            first.focus_input()
            return
        self.busy = True
        self.set_status("saving…")
        self._save(self.values(), then)

    def values(self) -> dict[str, Any]:
        """The checked values of every field, by field id."""
        return {field.id: field.result.value for field in self.fields}

    def write(self, store: Store, values: dict[str, Any]) -> Any:
        """Runs in a worker: one store call that saves the form; returns the record."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="form-save")
    def _save(self, values: dict[str, Any], then: str) -> None:
        store = tracker_app(self).pool.get()
        try:
            record = self.write(store, values)
        except (TrackerError, sqlite3.Error) as e:
            self.post_back(self._save_failed, str(e))
            return
        self.post_back(self._save_done, record, then)

    def _save_failed(self, message: str) -> None:
        self.busy = False
        if self.is_attached:
            self.set_status(f"Not saved: {message}", "-error")
            self.notify(one_line(f"Not saved: {message}", 200), severity="error", markup=False)

    def _save_done(self, record: Any, then: str) -> None:
        self.busy = False
        if self.is_attached:
            self.saved(record, then)

    def saved(self, record: Any, then: str) -> None:
        """The record is in the store: by default, close the form with it."""
        self.dismiss(record)

    # -- drafts

    def draft_args(self) -> dict[str, Any]:
        """What the form was opened with, for ``tracker.tui.forms.reopen`` to open it again."""
        return {}

    def draft(self) -> FormDraft | None:
        """What was typed in the form (None when nothing was, or it is closing)."""
        if not self.is_attached or not self.DRAFT_KIND:
            return None
        fields = self.fields
        typed = {field.id: field.value for field in fields if field.dirty and field.id}
        if not typed:
            return None
        chosen = {
            field.id: field.chosen.record.id
            for field in fields
            if field.id in typed and isinstance(field, LookupField) and field.chosen is not None
            and type(getattr(field.chosen.record, "id", None)) is int and field.value == field.chosen.label
        }  # fmt: skip
        return FormDraft(self.DRAFT_KIND, self.draft_args(), typed, chosen, self.opened_for)

    def restore(self, draft: FormDraft, kept_at: str) -> None:
        """Before the form opens: put ``draft``'s text back in its fields (kept at ``kept_at``)."""
        self._restoring = (draft, kept_at)

    def _restored(self, draft: FormDraft, kept_at: str) -> None:
        """Once loaded: the records the draft had chosen, chosen again, and a line that says so."""
        for field_id, record_id in draft.chosen.items():
            field = next((f for f in self.fields if f.id == field_id and isinstance(f, LookupField)), None)
            text = draft.fields.get(field_id)
            if field is None or field.value != text:
                continue
            for candidate in field.candidates:
                if getattr(candidate.record, "id", None) == record_id and candidate.label == text:
                    field.choose(candidate)
                    break
        for field in self.fields:
            if isinstance(field, LookupField):
                field.close_dropdown()  # its text was matched when typed: no list over the form
        self._restoring = None
        self.set_status(f"Reopened as it was when Position Tracker closed, at {kept_at_words(kept_at)}.", "-ok")

    # -- cancelling

    def cancel_result(self) -> T | None:
        return None

    def action_cancel(self) -> None:
        if self.busy:
            return
        if not self.dirty:
            self.dismiss(self.cancel_result())
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(self.cancel_result())

        self.app.push_screen(ConfirmScreen(Text(self.drop_question())), answered)

    def drop_question(self) -> str:
        """What ``escape`` asks before closing a form with typed text."""
        return self.DROP_QUESTION

    # -- creating records from a lookup field ("create new …")

    @on(LookupField.CreateRequested)
    def _create_requested(self, event: LookupField.CreateRequested) -> None:
        event.stop()
        self.open_create(event.field, event.text)

    def open_create(self, field: LookupField, text: str, draft: tuple[FormDraft, str] | None = None) -> FormScreen | None:
        """Open the form that makes a new record for ``field`` (prefilled with ``text``, or
        given a ``draft`` to put back); the record it saves becomes the field's choice."""
        form = self.form_for_new(field, text)
        if form is None:
            return None
        form.opened_for = field.id
        if draft is not None:
            form.restore(*draft)

        def created(record: Any) -> None:
            if record is None:
                field.focus_input()
                return
            candidate = self.candidate_for(field, record)
            field.add_candidate(candidate)
            field.choose(candidate)
            self.focus_after(field)

        self.app.push_screen(form, created)
        return form

    def form_for_new(self, field: LookupField, text: str) -> FormScreen | None:
        """The form that creates a record for ``field``, prefilled with ``text``."""
        return None

    def candidate_for(self, field: LookupField, record: Any):
        raise NotImplementedError


class SlugForm(FormScreen[T]):
    """A form for a new record named by a text (an actor's name, a question's title) and a
    slug made from it unless typed: ``typed`` is the text carried over from "create new …",
    ``taken`` the slugs in use (loaded with the form)."""

    def __init__(self, typed: str = ""):
        super().__init__()
        self.typed = typed
        self.taken: set[str] = set()

    def draft_args(self) -> dict[str, Any]:
        return {"typed": self.typed}
