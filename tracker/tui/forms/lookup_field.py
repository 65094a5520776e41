"""A field whose value is one of a list of records, with a dropdown of fuzzy matches.

Typing in a :class:`LookupField` opens a dropdown of the best matches under its input
(ranked by :mod:`tracker.tui.forms.matching`): ↑ ↓ to choose, enter or tab to accept,
escape to close; the focus stays in the input. With ``create``, the dropdown's last line
is always "create new … “typed text”".
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.domain.text import fold
from tracker.tui.forms.checks import Verdict
from tracker.tui.forms.display import one_line
from tracker.tui.forms.field import FieldMessage, FormField
from tracker.tui.forms.inputs import FieldInput
from tracker.tui.forms.matching import Candidate, best_matches, exact_match, score


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

    class CreateRequested(FieldMessage):
        """"create new …" was accepted: the form opens the record's own form for ``text``."""

        def __init__(self, field: LookupField, text: str) -> None:
            super().__init__(field)
            self.text = text

    class Chosen(FieldMessage):
        """A record was accepted from the dropdown (or created)."""

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

    def compute(self) -> Verdict:
        text = self.input.value
        if self.chosen is not None and text == self.chosen.label:
            return Verdict(self.chosen.record, preview=self._describe(self.chosen))
        if not text.strip():
            if self.required:
                return Verdict(error=f"{self.noun} is required", empty=True)
            return Verdict(None, empty=True)
        if not self.loaded:
            return Verdict(error=f"loading the {self.noun}s…")
        exact = exact_match(text, self.candidates)
        if exact is not None:
            return Verdict(exact.record, preview=self._describe(exact))
        article = "an" if self.noun[:1] in "aeiou" else "a"
        return Verdict(error=f"choose {article} {self.noun} in the list: ↑ ↓, then enter or tab")

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
