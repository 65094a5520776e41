"""Field widgets shared by the entry forms.

A :class:`FormField` is one row: a label, a one-line input and a note beside it
that shows what was understood ("→ 1 Mar 2024, day"), a hint, or why the text
is refused. Each field has a ``check``: a function from the typed text to a
:class:`Check` (the value to save, or the message). Checks never raise and never
touch the database; they run on every keystroke.

A :class:`LookupField` adds a dropdown of fuzzy matches under its input (↑ ↓ to
choose, enter or tab to accept, escape to close) whose last line is always
"create new … “typed text”".

Everything the user typed or the data holds is drawn as plain text: never read
as markup, control characters shown as visible symbols.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.input import Selection
from textual.widgets.option_list import Option

from tracker.domain import validation as check
from tracker.domain.dates import parse_date
from tracker.domain.text import fold, printable
from tracker.errors import TrackerError
from tracker.tui.forms.matching import Candidate, best_matches, exact_match, score

# ---------------------------------------------------------------- safe display

_PICTURES = {i: chr(0x2400 + i) for i in range(0x20)} | {0x0A: "↵", 0x7F: "␡"}
_HIDDEN = frozenset({0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069})


def visible(text: str) -> str:
    """``text`` with one visible character for each character: control characters as
    their symbols (ESC as ␛, a newline as ↵), C1 controls and bidi overrides as �.
    The same length as ``text``, so the cursor of an input stays where it belongs."""
    out = []
    for ch in text:
        code = ord(ch)
        if code in _PICTURES:
            out.append(_PICTURES[code])
        elif 0x80 <= code <= 0x9F or code in _HIDDEN:
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: str, limit: int = 0) -> str:
    """Data text for a single line of the screen, cut to ``limit`` characters when given."""
    shown = printable(text, one_line=True)
    if limit and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown


class FieldInput(Input):
    """A one-line input that shows what it holds literally.

    ``multiline`` fields (a quote, notes) keep the newlines of pasted text (shown as ↵);
    the others turn them into spaces. ``enter`` moves on to the next field.

    Tabbing into a field puts the cursor at the end of its text, nothing selected: a key
    typed then adds to the text instead of replacing it (Textual's Input selects it all,
    and ``tab tab 0`` in an edit replaced a whole paraphrase). A form that means typing to
    replace the text says so with :meth:`select_on_next_focus`."""

    def __init__(self, value: str = "", *, multiline: bool = False, **kwargs) -> None:
        super().__init__(value, compact=True, select_on_focus=False, **kwargs)
        self.multiline = multiline
        self._select_next_focus = False

    def select_on_next_focus(self) -> None:
        """Select the whole text when the input next gets the focus (now, if it has it)."""
        if self.has_focus:
            self.selection = Selection(0, len(self.value))
        else:
            self._select_next_focus = True

    def _on_focus(self, event: events.Focus) -> None:  # Input's own _on_focus runs too, after
        if self._select_next_focus:
            self._select_next_focus = False
            self.selection = Selection(0, len(self.value))
        elif not event.from_app_focus:  # the terminal window regaining the focus moves nothing
            self.cursor_position = len(self.value)

    @property
    def _value(self) -> Text:
        return Text(visible(self.value), no_wrap=True, overflow="ignore", end="")

    def _position_to_cell(self, position: int) -> int:
        return cell_len(visible(self.value[:position]))

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        text = event.text.replace("\r\n", "\n").replace("\r", "\n")
        if not self.multiline:
            text = " ".join(part for part in text.split("\n") if part)
        if not text:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)

    async def action_submit(self) -> None:
        """enter: on to the next field (ctrl+s saves the whole form)."""
        self.screen.focus_next()


# Characters a text area would draw as they are (a control character goes to the terminal
# raw) or read as a line break: each gets a visible stand-in, one character for one, so the
# cursor stays where it belongs. Control characters get their picture (ESC as ␛, a tab as ␉),
# C1 controls, line separators and bidi overrides a letter in a circle.
_STAND_INS = (
    {chr(i): chr(0x2400 + i) for i in range(0x20) if i != 0x0A}
    | {"\x7f": "␡"}
    | {chr(0x80 + i): chr(0x2460 + i) for i in range(0x20)}
    | {ch: chr(0x24B6 + i) for i, ch in enumerate("\u2028\u2029" + "".join(map(chr, sorted(_HIDDEN))))}
)


class FieldArea(TextArea):
    """The input of a multi-line field (a quote, a paraphrase, notes): several lines, soft
    wrapped, growing with its text up to a few lines. ``enter`` starts a new line (a pasted
    quote keeps its line breaks); ``tab`` and ``shift+tab`` move between fields as in every
    other field; ``ctrl+s`` saves the form.

    What it holds is drawn literally (a text area never reads markup). A control character,
    a line separator or a bidi override would reach the terminal as it is, so the document
    holds a visible stand-in for it (ESC as ␛) and :attr:`value` gives the character back:
    a quote imported with an escape sequence is shown safely and saved unchanged. Only the
    stand-ins of characters that were put in (set or pasted) are given back, so a ␛ typed
    as such stays a ␛."""

    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None, **kwargs) -> None:
        kwargs.pop("multiline", None)
        super().__init__(
            "",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            compact=True,
            highlight_cursor_line=False,
            placeholder=placeholder,
            id=id,
        )
        self.hidden: dict[str, str] = {}  # stand-in -> the character it shows
        self._select_next_focus = False
        if value:
            self.load_text(self.shown(value))

    def shown(self, text: str) -> str:
        """``text`` as the document holds it; remembers which stand-ins to give back."""
        if not any(ch in _STAND_INS for ch in text):
            return text
        out = []
        for ch in text:
            stand_in = _STAND_INS.get(ch)
            if stand_in is None:
                out.append(ch)
            else:
                self.hidden[stand_in] = ch
                out.append(stand_in)
        return "".join(out)

    def needs_stand_ins(self) -> bool:
        """Whether the document holds a character that must not be drawn as it is (put there
        by a program setting :attr:`text`)."""
        return any(ch in _STAND_INS for ch in self.text)

    @property
    def value(self) -> str:
        text = self.text
        if not self.hidden:
            return text
        return "".join(self.hidden.get(ch, ch) for ch in text)

    @value.setter
    def value(self, text: str) -> None:
        self.hidden = {}
        self.text = self.shown(text)  # shown from its start; tabbing in puts the cursor at its end

    def select_on_next_focus(self) -> None:
        """Select the whole text when the area next gets the focus (now, if it has it)."""
        if self.has_focus:
            self.select_all()
        else:
            self._select_next_focus = True

    def on_focus(self, event: events.Focus) -> None:
        if self._select_next_focus:
            self._select_next_focus = False
            self.select_all()
        elif not event.from_app_focus:  # tabbing in: the cursor at the end, typing adds to the text
            self.move_cursor(self.document.end)

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        text = event.text.replace("\r\n", "\n").replace("\r", "\n")
        if not text or self.read_only:
            return
        result = self.replace(self.shown(text), *self.selection)
        self.move_cursor(result.end_location)


# ---------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    """What a field's text means: the value to save, a preview of it, or an error."""

    value: object = None
    preview: str = ""  # shown beside the field when the text is valid ("→ 1 Mar 2024, day")
    error: str = ""  # why the text is refused, one line
    empty: bool = False  # nothing typed: a required field's error waits for a save attempt

    @property
    def ok(self) -> bool:
        return not self.error


Checker = Callable[[str], Check]


def guarded(checker: Checker, field: str) -> Checker:
    """``checker`` with any TrackerError turned into a refused Check (a check never raises)."""

    def run(text: str) -> Check:
        try:
            return checker(text)
        except TrackerError as e:
            return Check(error=str(e), empty=not text.strip())
        except Exception as e:  # a bug must not take the app down with a keystroke
            return Check(error=f"{field}: cannot check this ({type(e).__name__})", empty=not text.strip())

    return run


def text_check(field: str, *, required: bool = False, single_line: bool = True) -> Checker:
    def run(text: str) -> Check:
        if required and not text.strip():
            return Check(error=f"{field} is required", empty=True)
        return Check(check.check_text(field, text, required=required, one_line=single_line), empty=not text.strip())

    return guarded(run, field)


def date_check(field: str, today: Callable[[], object], *, required: bool = True) -> Checker:
    def run(text: str) -> Check:
        if not text.strip():
            return Check(error=f"{field} is required", empty=True) if required else Check(None, empty=True)
        when = parse_date(text, today=today())
        return Check(when, preview=f"{text.strip()} → {when.describe()}")

    return guarded(run, field)


def choice_check(
    field: str, choices: Callable[[], Sequence[str]] | Sequence[str], default: str | None = None
) -> Checker:
    """A typed prefix of one of ``choices`` (case and accents aside); empty is ``default``."""

    def run(text: str) -> Check:
        options = list(choices() if callable(choices) else choices)
        typed = text.strip()
        if not typed:
            if default is None:
                return Check(error=f"{field} is required", empty=True)
            return Check(default, preview=f"→ {default} (the default)", empty=True)
        wanted = fold(typed)
        exact = [c for c in options if fold(c) == wanted]
        found = exact or [c for c in options if fold(c).startswith(wanted)]
        if len(found) == 1:
            return Check(found[0], preview=f"→ {found[0]}")
        if found:
            return Check(error=f"{field} {typed!r} is ambiguous: {', '.join(found)}")
        return Check(error=f"{field} {typed!r} is not one of: {', '.join(options)}")

    return guarded(run, field)


def language_check(field: str) -> Checker:
    def run(text: str) -> Check:
        code = check.check_language(text.strip(), field)
        return Check(code, preview=f"→ {code}" if code else "", empty=not code)

    return guarded(run, field)


def list_check(field: str, item: str) -> Checker:
    """Comma-separated words (aliases, tags): each on one line, empty ones dropped."""

    def run(text: str) -> Check:
        items = []
        for part in text.split(","):
            part = check.check_text(item, part, one_line=True)
            if part and part not in items:
                items.append(part)
        if not items:
            return Check((), empty=True)
        return Check(tuple(items), preview=f"→ {len(items)} {item}{'s' if len(items) != 1 else ''}")

    return guarded(run, field)


# ---------------------------------------------------------------- a field


class FormField(Widget):
    """A label, a one-line input, and a note beside it (preview, hint or error)."""

    class Changed(Message):
        """The field's text changed (typed, pasted or set by the form)."""

        def __init__(self, field: FormField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> FormField:
            return self.field

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
        self.result = Check(empty=True)
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

    def compute(self) -> Check:
        return self.checker(self.input.value)

    def recheck(self) -> Check:
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


# ---------------------------------------------------------------- autocomplete


class DropdownInput(FieldInput):
    """The input of a LookupField: ↑ ↓ move in the dropdown, tab or enter accept, escape closes it."""

    BINDINGS = [
        Binding("down", "dropdown_move(1)", "Next match", show=False),
        Binding("up", "dropdown_move(-1)", "Previous match", show=False),
        Binding("tab", "dropdown_accept", "Accept", show=False),
    ]

    @property
    def field(self) -> LookupField:
        return self.parent.parent  # type: ignore[return-value]  # Horizontal, then the field

    def action_dropdown_move(self, step: int) -> None:
        if not self.field.move(step):
            raise SkipAction()

    def action_dropdown_accept(self) -> None:
        if not self.field.accept():
            raise SkipAction()  # nothing to accept: tab moves on as usual

    def on_key(self, event: events.Key) -> None:
        # Not a binding, so the footer keeps showing the form's "escape Cancel".
        if event.key == "escape" and self.field.close_dropdown():
            event.stop()
            event.prevent_default()

    async def action_submit(self) -> None:
        if not self.field.accept():
            self.screen.focus_next()

    def on_blur(self, event: events.Blur) -> None:  # Input's own _on_blur runs too
        self.field.close_dropdown()


class Dropdown(OptionList, can_focus=False):
    """The list of matches under a LookupField (the focus stays in the input)."""


class LookupField(FormField):
    """A field whose value is one of a list of records, found by fuzzy typing.

    The list is given with :meth:`set_candidates` (loaded in a worker when the form
    opens). ``noun`` names the records ("actor"). With ``create``, the dropdown's last
    line is "create new <noun> “typed text”": accepting it posts :class:`CreateRequested`,
    and the form answers with :meth:`choose` once the new record is saved."""

    LIMIT = 6

    class CreateRequested(Message):
        def __init__(self, field: LookupField, text: str) -> None:
            super().__init__()
            self.field = field
            self.text = text

        @property
        def control(self) -> LookupField:
            return self.field

    class Chosen(Message):
        """A record was accepted from the dropdown (or created)."""

        def __init__(self, field: LookupField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> LookupField:
            return self.field

    def __init__(
        self,
        label: str,
        *,
        id: str,
        noun: str,
        required: bool = True,
        create: bool = True,
        placeholder: str = "",
        hint: str = "",
    ) -> None:
        super().__init__(label, id=id, placeholder=placeholder, hint=hint)
        self.noun = noun
        self.required = required
        self.create = create
        self.candidates: list[Candidate] = []
        self.loaded = False
        self.chosen: Candidate | None = None
        self.matches: list[Candidate] = []
        self.dropdown = Dropdown(id=f"{id}-dropdown", markup=False)
        self.dropdown.display = False

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield self.dropdown

    # -- the list of records

    def set_candidates(self, candidates: list[Candidate]) -> None:
        self.candidates = list(candidates)
        self.loaded = True
        if self.chosen is not None:
            self.chosen = next((c for c in self.candidates if c.record == self.chosen.record), self.chosen)
        self.recheck()
        if self.input.has_focus and self.dropdown.display:
            self._refresh_dropdown()

    def add_candidate(self, candidate: Candidate) -> None:
        self.candidates.append(candidate)

    def choose(self, candidate: Candidate | None, *, clean: bool = False) -> None:
        """Make ``candidate`` the field's value (None empties the field)."""
        self.chosen = candidate
        self.close_dropdown()
        self.set_value(candidate.label if candidate else "", clean=clean)
        self.post_message(self.Chosen(self))

    def choose_record(self, match: Callable[[object], bool], *, clean: bool = False) -> bool:
        """Choose the first candidate whose record satisfies ``match``."""
        for cand in self.candidates:
            if match(cand.record):
                self.choose(cand, clean=clean)
                return True
        return False

    @property
    def record(self) -> object | None:
        return self.result.value if self.result.ok else None

    # -- checking

    def text_changed(self) -> None:
        if self.chosen is not None and self.input.value != self.chosen.label:
            self.chosen = None
        if self.input.has_focus and self.chosen is None:
            self._refresh_dropdown()

    def compute(self) -> Check:
        text = self.input.value
        if self.chosen is not None and text == self.chosen.label:
            return Check(self.chosen.record, preview=self._describe(self.chosen))
        if not text.strip():
            if self.required:
                return Check(error=f"{self.noun} is required", empty=True)
            return Check(None, empty=True)
        if not self.loaded:
            return Check(error=f"loading the {self.noun}s…")
        exact = exact_match(text, self.candidates)
        if exact is not None:
            return Check(exact.record, preview=self._describe(exact))
        article = "an" if self.noun[:1] in "aeiou" else "a"
        return Check(error=f"choose {article} {self.noun} in the list: ↑ ↓, then enter or tab")

    def make_input(self, value: str, **kwargs) -> FieldInput:
        return DropdownInput(value, **kwargs)

    def _describe(self, cand: Candidate) -> str:
        return f"→ {one_line(cand.label, 80)}" + (f" ({one_line(cand.detail, 80)})" if cand.detail else "")

    # -- the dropdown

    def _refresh_dropdown(self) -> None:
        text = self.input.value
        if not text.strip():
            self.close_dropdown()
            return
        found = best_matches(text, self.candidates, self.LIMIT)
        self.matches = [m.candidate for m in found]
        options: list[Option] = []
        for m in found:
            line = Text(one_line(m.candidate.label, 70), style="bold")
            if not score(fold(text.strip()), m.candidate.folded[0]):
                line.append(f"  “{one_line(m.name, 40)}”", style="italic")  # found by another name: which
            if m.candidate.detail:
                line.append(f"  {one_line(m.candidate.detail, 60)}", style="dim")
            options.append(Option(line))
        if self.create:
            line = Text(f"+ create new {self.noun} ", style="italic")
            line.append(f"“{one_line(text.strip(), 60)}”", style="bold")
            options.append(Option(line, id="create"))
        if not options:
            self.close_dropdown()
            return
        self.dropdown.set_options(options)
        self.dropdown.highlighted = 0
        self.dropdown.display = True

    def move(self, step: int) -> bool:
        if not self.dropdown.display:
            if self.input.value.strip() and self.chosen is None:
                self._refresh_dropdown()
                return self.dropdown.display
            return False
        count = self.dropdown.option_count
        current = self.dropdown.highlighted or 0
        self.dropdown.highlighted = max(0, min(count - 1, current + step))
        return True

    def accept(self) -> bool:
        """Take the highlighted line of the open dropdown; False when it is closed."""
        if not self.dropdown.display or self.dropdown.highlighted is None:
            return False
        index = self.dropdown.highlighted
        text = self.input.value.strip()
        self.close_dropdown()
        if index >= len(self.matches):
            self.post_message(self.CreateRequested(self, text))
            return True
        self.choose(self.matches[index])
        focus_after = getattr(self.screen, "focus_after", None)
        if focus_after is not None:
            focus_after(self)
        else:
            self.screen.focus_next()
        return True

    def close_dropdown(self) -> bool:
        was_open = bool(self.dropdown.display)
        self.dropdown.display = False
        return was_open

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a line of the dropdown."""
        event.stop()
        self.dropdown.highlighted = event.option_index
        self.dropdown.display = True
        self.accept()
