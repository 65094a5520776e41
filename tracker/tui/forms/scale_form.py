"""The scale form.

``ScaleForm(None)`` creates a scale: key, name, and its levels one per line as
``key: label``, lowest first (a line without a colon is a label, its key made from
it). ``ScaleForm("commitment")`` lists the levels of an existing scale, adds one
(key, label, and the rank it takes; the levels from there move up one) with
``ctrl+s``, and removes the highlighted one with ``x`` or ``delete`` after a y/n
question. A level in use is refused with the store's message and nothing changes.

Dismissed with the Scale as it is now (created or changed), or None when nothing
was changed.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tracker.domain import validation
from tracker.domain.models import Level, Scale
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.tui.base import tracker_app
from tracker.tui.forms.base import FormScreen
from tracker.tui.forms.checks import Verdict, guarded, text_check
from tracker.tui.forms.display import one_line, visible
from tracker.tui.forms.field import FormField
from tracker.tui.screens.confirm import ConfirmScreen


def parse_levels(text: str) -> list[Level]:
    """``key: label`` lines, lowest level first; raises TrackerError naming the line."""
    levels: list[Level] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, colon, label = line.partition(":")
        if not colon:
            label = line
            key = validation.slugify(line)
        try:
            key = validation.check_slug(key.strip(), "level key")
            label = validation.check_text("level label", label.strip(), required=True, one_line=True)
        except TrackerError as e:
            raise TrackerError(f"line {number}: {e}") from None
        if key in seen:
            raise TrackerError(f"line {number}: the level {key!r} appears twice")
        seen.add(key)
        levels.append(Level(key, label, len(levels)))
    if not levels:
        raise TrackerError("levels are required: one per line, lowest first, as key: label")
    return levels


def without_controls(text: str) -> str:
    """``text`` without control characters (escape sequences, NUL, bidi overrides), newlines kept:
    a text area draws what it holds as it is, so nothing else may get into it."""
    text = text.replace("\r\n", "\n")
    if all(c == "\n" or visible(c) == c for c in text):
        return text
    return "".join(c for c in text if c == "\n" or visible(c) == c)


class LevelsArea(TextArea):
    """Several lines; control characters never get in (a keyboard cannot type them, a paste
    or a program setting the text drops them)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(soft_wrap=False, tab_behavior="focus", show_line_numbers=False, **kwargs)

    def _on_paste(self, event) -> None:  # control characters other than newlines are dropped
        cleaned = without_controls(event.text)
        if cleaned != event.text:
            event.prevent_default()
            event.stop()
            self.replace(cleaned, *self.selection)


class LevelsField(FormField):
    """The levels of a new scale, one per line."""

    def make_input(self, value: str, **kwargs) -> Any:
        kwargs.pop("multiline", None)
        kwargs.pop("placeholder", None)
        return LevelsArea(id=kwargs.get("id"))

    @property
    def value(self) -> str:
        return self.input.text

    @property
    def dirty(self) -> bool:
        return self.input.text != self.initial

    def mark_clean(self) -> None:
        self.initial = self.input.text

    def set_value(self, text: str, *, clean: bool = False) -> None:
        text = without_controls(text)
        if clean:
            self.initial = text
        self.input.text = text
        self.recheck()

    def compute(self) -> Verdict:
        return self.checker(self.input.text)

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        cleaned = without_controls(self.input.text)
        if cleaned != self.input.text:  # set by a program: drawn as it is, so cleaned first
            self.input.text = cleaned  # changes it again, and that change is checked
            return
        self.recheck()
        self.post_message(self.Changed(self))


def levels_check(text: str) -> Verdict:
    if not text.strip():
        return Verdict(error="levels are required: one per line, lowest first, as key: label", empty=True)
    levels = parse_levels(text)
    return Verdict(levels, preview=f"→ {len(levels)} levels: " + " < ".join(f"{lv.rank} {lv.key}" for lv in levels))


class ScaleForm(FormScreen[Scale]):
    """Create a scale (``scale_key`` None) or add and remove levels of an existing one."""

    BINDINGS = [
        Binding("x,delete", "remove_level", "Remove level"),
    ]

    DRAFT_KIND = "scale"

    def __init__(self, scale_key: str | None = None):
        super().__init__()
        self.scale_key = scale_key
        self.scale: Scale | None = None
        self.taken: set[str] = set()
        self.changed = False

    def form_title(self) -> str:
        return "New scale" if self.scale_key is None else f"Scale {self.scale_key}"

    def draft_args(self) -> dict[str, Any]:
        return {"scale_key": self.scale_key}

    def compose_fields(self) -> ComposeResult:
        if self.scale_key is None:
            yield FormField("Key", id="key", checker=guarded(self.check_key, "scale key"), placeholder="e.g. support")
            yield FormField("Name", id="name", checker=text_check("scale name", required=True))
            yield LevelsField("Levels", id="levels", checker=guarded(levels_check, "levels"),
                              hint="one per line, lowest first: key: label")  # fmt: skip
            yield FormField("Description", id="description", multiline=True, hint="optional")
        else:
            yield Static(Text("Levels, lowest first (x or delete removes the highlighted one)"), classes="field-help")
            yield OptionList(id="levels-list", markup=False)
            yield Static(Text("Add a level (ctrl+s adds it)"), classes="field-help")
            yield FormField("Level key", id="level_key", checker=guarded(self.check_level_key, "level key"),
                            placeholder="e.g. considering")  # fmt: skip
            yield FormField("Label", id="label", checker=text_check("level label", required=True))
            yield FormField("Rank", id="rank", checker=guarded(self.check_rank, "rank"), placeholder="default: on top")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_level":
            return self.scale_key is not None
        return True

    # -- loading

    def load(self, store: Store) -> list[Scale]:
        return store.scales()

    def loaded_data(self, scales: list[Scale]) -> None:
        self.taken.update(s.key for s in scales)
        if self.scale_key is not None:
            found = next((s for s in scales if s.key == self.scale_key), None)
            if found is None:
                self.set_status(f"no scale {self.scale_key!r}", "-error")
                return
            self.show_scale(found)

    def show_scale(self, scale: Scale) -> None:
        self.scale = scale
        listing = self.query_one("#levels-list", OptionList)
        highlighted = listing.highlighted
        options = []
        for lv in scale.levels:
            line = Text(f"{lv.rank:>2}  ", style="dim")
            line.append(one_line(lv.key, 30).ljust(22), style="bold")
            line.append(one_line(lv.label, 40))
            if lv.description:
                line.append(f"  {one_line(lv.description, 40)}", style="dim italic")
            options.append(Option(line, id=f"level-{lv.rank}"))
        listing.set_options(options)
        if options:
            listing.highlighted = min(highlighted or 0, len(options) - 1)
        for field_id in ("level_key", "rank"):
            self.field(field_id).recheck()

    # -- checks

    def check_key(self, text: str) -> Verdict:
        if not text.strip():
            return Verdict(error="scale key is required", empty=True)
        key = validation.check_slug(text.strip(), "scale key")
        if key in self.taken:
            return Verdict(error=f"a scale {key!r} already exists")
        return Verdict(key)

    def check_level_key(self, text: str) -> Verdict:
        if not text.strip():
            return Verdict(error="level key is required", empty=True)
        key = validation.check_slug(text.strip(), "level key")
        if self.scale is not None and any(lv.key == key for lv in self.scale.levels):
            return Verdict(error=f"scale {self.scale.key!r} already has a level {key!r}")
        return Verdict(key)

    def check_rank(self, text: str) -> Verdict:
        size = self.scale.size if self.scale else 0
        typed = text.strip()
        if not typed:
            return Verdict(None, preview=f"→ on top (rank {size})", empty=True)
        if not (typed.isascii() and typed.isdigit()) or int(typed) > size:
            return Verdict(error=f"rank {typed!r}: type a number from 0 to {size}")
        rank = int(typed)
        if self.scale is None or rank == size:
            return Verdict(rank, preview=f"→ on top (rank {rank})")
        below = self.scale.levels[rank]
        return Verdict(rank, preview=f"→ rank {rank}, below {below.key} (which moves up one)")

    # -- saving

    def action_save(self, then: str = "close") -> None:
        if self.scale_key is not None and not self.dirty and not self.busy and self.loaded:
            for field_id in ("level_key", "label"):  # "… is required" beside each
                self.field(field_id).reveal_errors()
            self.set_status("Not saved: type a level key and a label to add a level", "-error")
            self.field("level_key").focus_input()
            return
        super().action_save(then)

    def write(self, store: Store, values: dict[str, Any]) -> Scale:
        if self.scale_key is None:
            return store.add_scale(values["key"], values["name"], values["levels"], values["description"] or "")
        return store.add_level(self.scale_key, values["level_key"], values["label"], rank=values["rank"])

    def saved(self, record: Scale, then: str) -> None:
        if self.scale_key is None:
            self.dismiss(record)
            return
        added = next(lv for lv in record.levels if lv.key == self.field("level_key").result.value)
        self.changed = True
        self.show_scale(record)
        for field_id in ("level_key", "label", "rank"):
            self.field(field_id).show_required = False
            self.field(field_id).set_value("", clean=True)
        self.set_status(f"Added the level {added.key} at rank {added.rank}", "-ok")
        self.field("level_key").focus_input()

    def cancel_result(self) -> Scale | None:
        return self.scale if self.changed else None

    # -- removing a level

    def action_remove_level(self) -> None:
        if self.scale is None or self.busy:
            return
        listing = self.query_one("#levels-list", OptionList)
        if listing.highlighted is None:
            return
        level = self.scale.levels[listing.highlighted]
        question = Text("Remove the level ")
        question.append(one_line(level.key), style="bold")
        question.append(f" ({one_line(level.label)}) from the scale {self.scale.key}?")

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.set_status("removing…")
                self._remove(level.key)

        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="form-save")
    def _remove(self, level_key: str) -> None:
        store = tracker_app(self).pool.get()
        try:
            scale = store.remove_level(self.scale_key, level_key)
        except (TrackerError, sqlite3.Error) as e:
            self.post_back(self._save_failed, str(e))
            return
        self.post_back(self._removed, scale, level_key)

    def _removed(self, scale: Scale, level_key: str) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self.changed = True
        self.show_scale(scale)
        self.set_status(f"Removed the level {level_key}", "-ok")
