"""The keys line at the foot of a view: Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds itself (a dozen key widgets, each styled) on every refresh of
its screen's bindings: six times while a question opens (the screen resumed, the focus
given, the stack updated...), each time with the same keys, 20 to 50 ms each on the main
thread, ahead of the view's data. Here the refreshes asked for before the next one runs
make one, and it rebuilds nothing when the keys shown are those already shown. A view can
also hold the first build back until what it opens for is on screen (``held``).

The help key sits at the right end, beside the palette's, whatever the width: on a
narrow terminal the keys that do not fit are cut, and the help lists them all.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    def __init__(self, *args, held: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._pending = False  # a rebuild is asked for
        self._held = held  # no rebuild until ``release``
        self._shown: tuple | None = None  # what the last rebuild showed

    def release(self) -> None:
        """Build the keys if they were asked for while held (and from now on as asked)."""
        if self._held:
            self._held = False
            if self._pending:  # asked again as Textual asks: through the screen's signal
                self._pending = False
                self.screen.refresh_bindings()

    def compose(self) -> ComposeResult:
        end: list[FooterKey] = []  # the help key, then the palette's
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (widget.action == "help" or widget.has_class("-command-palette")):
                end.append(widget)
            else:
                yield widget
        if end:
            yield HorizontalGroup(*end, classes="footer-end")  # docked right (app.tcss)

    def _keys(self) -> tuple:
        """What the footer shows, as its ``compose`` reads it."""
        app = self.app
        shown = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, binding.group, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )  # fmt: skip
        return self.compact, self.show_command_palette, shown

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._pending:
            return
        if self.is_attached and screen is self.screen:
            self._pending = True
            if not self._held:
                self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        keys = self._keys()
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
