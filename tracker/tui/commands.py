"""Command palette (ctrl+p): jump to any actor or question by fuzzy name, or run any action."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from tracker.domain.text import printable
from tracker.tui.base import tracker_app

ACTIONS = [
    ("Questions view", "switch_mode('questions')", "1"),
    ("Actors view", "switch_mode('actors')", "2"),
    ("Timeline of all positions", "switch_mode('timeline')", "3"),
    ("Matrix as of a date", "switch_mode('matrix')", "4"),
    ("Movers: who moved first, how late the others followed", "switch_mode('movers')", "5"),
    ("Search", "search", "/"),
    ("Help: every key", "help", "?"),
    ("Quit", "quit", "q"),
]

FORMS = [
    ("New actor", "new_actor"),
    ("New question", "new_question"),
    ("New source", "new_source"),
    ("New scale", "edit_scale('')"),
]


def highlight(matcher: Matcher, label: str) -> Content:
    """``label`` as literal text with the matched letters styled. (``Matcher.highlight``
    reads its argument as markup: "[bold]" in a name would vanish and "[@click=…]"
    would become an action.)"""
    content = Content(label)
    score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    if score:
        for offset in offsets:
            if not label[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class TrackerCommands(Provider):
    async def startup(self) -> None:
        worker = self.app.run_worker(self._names, thread=True)
        self.names = await worker.wait()

    def _names(self) -> list[tuple[str, str, int]]:
        store = tracker_app(self).pool.get()
        out = [(a.name, "actor", a.id) for a in store.actors(limit=5000)]
        out += [(q.title, "question", q.id) for q in store.questions(limit=5000)]
        out += [(f"Scale {s.key}: add or remove a level", "scale", s.key) for s in store.scales()]
        return out

    def _commands(self):
        for label, action, key in ACTIONS:
            yield label, partial(self.app.run_action, action), f"key {key}"
        yield from self._screen_commands()
        for label, action in FORMS:
            yield label, partial(self.app.run_action, action), "form"
        for name, kind, ref in self.names:
            if kind == "scale":
                yield printable(name, one_line=True), partial(tracker_app(self).edit_scale, ref), "form"
                continue
            app = tracker_app(self)
            show = app.show_actor if kind == "actor" else app.show_question
            yield f"{printable(name, one_line=True)}", partial(show, ref), f"open {kind}"

    def _screen_commands(self):
        """The keys of the screen the palette was opened on (diff, mark, the matrix's steps…)."""
        seen = {action for _, action, _ in ACTIONS}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            label = binding.description or binding.action
            yield label, partial(active.node.run_action, binding.action), f"key {self.app.get_key_display(binding)}"

    async def discover(self) -> Hits:
        for label, callback, help_text in self._commands():
            if help_text.startswith("key") or help_text == "form":
                yield DiscoveryHit(Content(label), callback, help=escape(help_text))  # help is read as markup

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, highlight(matcher, label), callback, text=label, help=escape(help_text))
