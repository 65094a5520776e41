"""The inputs of the form fields: what they hold is drawn literally.

:class:`FieldInput` is a one-line input, :class:`FieldArea` the input of a multi-line
field (a quote, notes). Both show a control character as a visible symbol, keep the
cursor where it belongs, take pasted text without reading it, and move between fields
with ``tab``; ``enter`` in a one-line input moves on to the next field.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Input, TextArea
from textual.widgets.input import Selection

from tracker.tui.forms.display import STAND_INS, visible


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
        if not any(ch in STAND_INS for ch in text):
            return text
        out = []
        for ch in text:
            stand_in = STAND_INS.get(ch)
            if stand_in is None:
                out.append(ch)
            else:
                self.hidden[stand_in] = ch
                out.append(stand_in)
        return "".join(out)

    def needs_stand_ins(self) -> bool:
        """Whether the document holds a character that must not be drawn as it is (put there
        by a program setting :attr:`text`)."""
        return any(ch in STAND_INS for ch in self.text)

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
