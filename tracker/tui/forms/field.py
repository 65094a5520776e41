"""A field of an entry form: a label, an input, and a note beside it.

The note shows what the text was understood as ("→ 1 Mar 2024, day"), a hint, or why
the text is refused; the field's check (:mod:`tracker.tui.forms.checks`) runs on every
change. A required field left empty says so only after a save attempt, and a rule
across fields broken on save ("needs a URL or a title") is shown beside the field it
names until the text changes.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from tracker.tui.base import ControlMessage
from tracker.tui.forms.checks import Checker, Verdict, text_check
from tracker.tui.forms.display import one_line
from tracker.tui.forms.inputs import FieldArea, FieldInput


class FieldMessage(ControlMessage):
    """A message a field posts about itself (its ``control``, also its ``field``)."""

    @property
    def field(self) -> FormField:
        return self.control  # type: ignore[return-value]


class FormField(Widget):
    """A label, a one-line input, and a note beside it (preview, hint or error)."""

    class Changed(FieldMessage):
        """The field's text changed (typed, pasted or set by the form)."""

    def __init__(
        self,
        label: str,
        *,
        id: str,
        checker: Checker | None = None,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        multiline: bool = False,
    ) -> None:
        super().__init__(id=id, classes="form-field")
        self.label = label
        self.checker = checker or text_check(label.lower(), single_line=not multiline)
        self.hint = hint
        self.initial = value
        self.show_required = False  # set after a save attempt: empty required fields say so
        self.form_error = ""  # a rule across fields broken on save ("needs a URL or a title"), until a change
        self.result = Verdict(empty=True)
        self.input = self.make_input(value, multiline=multiline, placeholder=placeholder, id=f"{id}-input")

    def make_input(self, value: str, **kwargs) -> FieldInput | FieldArea:
        if kwargs.get("multiline"):
            return FieldArea(value, **kwargs)
        return FieldInput(value, **kwargs)

    @property
    def multiline(self) -> bool:
        return isinstance(self.input, TextArea)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Static(Text(self.label), classes="field-label")
            yield self.input
            yield Static("", classes="field-note")

    def on_mount(self) -> None:
        self.recheck()

    @property
    def value(self) -> str:
        return self.input.value

    def set_value(self, text: str, *, clean: bool = False) -> None:
        """Put ``text`` in the field (as if typed); with ``clean``, it counts as not typed."""
        if clean:
            self.initial = text
        if self.input.value == text:
            self.recheck()
        else:
            self.input.value = text

    @property
    def dirty(self) -> bool:
        """Whether the text differs from what the form put there."""
        return self.input.value != self.initial

    def mark_clean(self) -> None:
        self.initial = self.input.value

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.text_changed()
        self.recheck()
        self.post_message(self.Changed(self))

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        area = self.input
        if not isinstance(area, FieldArea):  # another text area (the scale form's levels) has its own
            return
        event.stop()
        if area.needs_stand_ins():  # set by a program: drawn as it is
            area.value = area.value  # changes it again, and that change is checked
            return
        self.text_changed()
        self.recheck()
        self.post_message(self.Changed(self))

    def text_changed(self) -> None:
        """Hook for subclasses: the text changed (before the check runs)."""

    def compute(self) -> Verdict:
        return self.checker(self.input.value)

    def recheck(self) -> Verdict:
        self.result = self.compute()
        self._show_note()
        return self.result

    @property
    def ok(self) -> bool:
        return self.result.ok

    def _show_note(self) -> None:
        if not self.is_attached:  # not yet mounted, removed, or the app is quitting
            return
        note = next(iter(self.query(".field-note").results(Static)), None)
        if note is None:
            return
        result = self.result
        show_error = bool(result.error and (not result.empty or self.show_required))
        if show_error:
            message, kind = "✗ " + one_line(result.error), "-error"
        elif self.form_error:
            show_error = True
            message, kind = "✗ " + one_line(self.form_error), "-error"
        elif result.ok and result.preview:
            message, kind = one_line(result.preview), "-ok"
        elif result.preview:  # nothing typed yet: what may be typed (the levels of a scale)
            message, kind = one_line(result.preview), "-hint"
        else:
            message, kind = one_line(self.hint), "-hint"
        note.update(Text(message))
        for cls in ("-error", "-ok", "-hint"):
            note.set_class(cls == kind, cls)
        self.set_class(bool(show_error), "-invalid")

    def reveal_errors(self) -> None:
        self.show_required = True
        self._show_note()

    def show_form_error(self, message: str) -> None:
        """Say beside this field why the form was not saved (a rule across fields)."""
        self.form_error = message
        self._show_note()

    def clear_form_error(self) -> None:
        if self.form_error:
            self.form_error = ""
            self._show_note()

    def focus_input(self, *, select: bool = False) -> None:
        """Focus the input, the cursor at the end of its text; with ``select``, its text is
        selected (typing replaces it), whether or not it had the focus already."""
        if select:
            self.input.select_on_next_focus()
        self.input.focus()

