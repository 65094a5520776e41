"""What every screen and widget of the interface stands on: the app, typed.

Textual types ``self.app`` as a bare ``App``; the screens and widgets here reach the
Position Tracker's own (its store pool, ``today``, its navigation) through
:class:`TrackerNode`, whose ``app`` is a :class:`~tracker.tui.app.TrackerApp`. The
screens' hooks that the app calls (which actor and question a new position or an export
is about) are declared on :class:`TrackerScreen`, with their defaults. A widget's own
messages are each a :class:`ControlMessage`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.widget import Widget

    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.export import Report
    from tracker.tui.widgets.position_list import PositionList

ResultType = TypeVar("ResultType")

Context = tuple[int | None, int | None]  # (actor id, question id), either unknown


class ControlMessage(Message):
    """A message a widget posts about itself: the widget is its ``control``, so that
    ``@on(Message, "#id")`` picks the widget by its id."""

    def __init__(self, control: Widget) -> None:
        super().__init__()
        self._control = control

    @property
    def control(self) -> Widget:
        return self._control


def tracker_app(node: MessagePump | Provider) -> TrackerApp:
    """The running app of ``node`` (a form, a command palette's provider), typed."""
    return cast("TrackerApp", node.app)


class TrackerNode(MessagePump):
    """Mixed in first (``class X(TrackerNode, Widget)``): ``self.app`` is the TrackerApp.

    Not a DOM node itself, so that Textual's styles still follow the widget's own base."""

    @property
    def app(self) -> TrackerApp:
        return cast("TrackerApp", super().app)


class TrackerScreen(TrackerNode, Screen[ResultType]):
    """A full screen: a view (1-5) or a detail screen pushed on one."""

    def entry_context(self) -> Context:
        """The actor and question a new position (n) starts with."""
        return None, None

    def export_context(self) -> Context:
        """The actor and question an export (E) is about: None, None for everything."""
        return None, None

    def export_report(self) -> Report:
        """What E exports from here (a view with a report of its own overrides it)."""
        from tracker.tui.screens.export import story

        return story(*self.export_context())

    def load(self) -> object:
        """Read again what the screen shows (``tracker.tui.refresh.reload_on_change`` calls it
        after a write, or when the theme changes): the screens that subscribe define it."""
        return None

    # A position list's requests (enter, d, e, x on a position), on whatever screen it is.

    def on_position_list_open_requested(self, message: PositionList.OpenRequested) -> None:
        self.app.show_position(message.position_id)

    def on_position_list_diff_requested(self, message: PositionList.DiffRequested) -> None:
        self.app.show_diff(message.before_id, message.after_id)

    def on_position_list_edit_requested(self, message: PositionList.EditRequested) -> None:
        self.app.edit_position(message.position_id)

    def on_position_list_delete_requested(self, message: PositionList.DeleteRequested) -> None:
        self.app.delete_position(message.position)


class TrackerModalScreen(TrackerNode, ModalScreen[ResultType]):
    """A screen over another one (help, a question asked, an export's file name)."""
