"""The interface's side of drafts (tracker.tui.drafts): after the first paint, the drafts
left by ended runs are looked for and their forms opened again; a moment after any change in
a form (a FormField.Changed bubbles up to the app), when a form is closed on purpose, and as
the app exits by any way out (q, ctrl+q, the terminal gone), what the forms hold is written.
An unexpected error ends the app without closing its forms on purpose: their draft, kept a
moment after the last change, stays."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from tracker.domain.text import printable

if TYPE_CHECKING:
    from textual.timer import Timer

    from tracker.tui.drafts import Draft, DraftKeeper, FormDraft
    from tracker.tui.forms.base import FormScreen


class KeepsDrafts:
    """Mixed into the app (tracker.tui.app.TrackerApp), before textual's App."""

    def init_drafts(self, folder: Path | None, keep: bool) -> None:
        """``folder``: where drafts are kept (default: tracker.tui.drafts.drafts_folder);
        ``keep`` False keeps none (the demo, whose copy of the data goes with the session)."""
        self._drafts_folder = folder
        self._keep_drafts = keep
        self.drafts: DraftKeeper | None = None
        self._drafts_lock = threading.Lock()  # one write at a time, the newest last
        self._drafts_asked = 0  # each keep_drafts call's number...
        self._drafts_done = 0  # ...and the last one written
        self._draft_timer: Timer | None = None
        self._exiting = False

    def start_drafts(self) -> None:
        if self._keep_drafts:
            self.call_after_refresh(self._open_drafts)

    def close_drafts(self) -> None:
        with self._drafts_lock:
            if self.drafts is not None:
                self.drafts.close()

    @work(thread=True, exclusive=True, group="drafts-open")
    def _open_drafts(self) -> None:
        """After the first paint: this run's draft file, and the drafts left by ended runs."""
        from tracker.tui.drafts import DraftKeeper

        keeper = DraftKeeper(self.db_path, self._drafts_folder)
        left = keeper.left_behind()
        if not self.call_soon(self._drafts_opened, keeper, left):
            keeper.close()

    def _warn(self, said: str) -> None:
        self.notify(printable(said, one_line=True), severity="warning", markup=False, timeout=15)

    def _drafts_opened(self, keeper: DraftKeeper, left: list[tuple[Path, Draft | str]]) -> None:
        if self._exiting:
            keeper.close()
            return
        self.drafts = keeper
        for path, draft in left:
            if isinstance(draft, str):
                self._warn(f"A draft from an earlier run, {path}, {draft}; left as it is")
        usable = [(path, draft) for path, draft in left if not isinstance(draft, str)]
        if usable:
            self.run_worker(self._reopen_drafts(usable), group="drafts-reopen")

    async def _reopen_drafts(self, left: list[tuple[Path, Draft]]) -> None:
        """Open the forms of drafts left by ended runs; each draft file is removed once this
        run's own file keeps what was reopened."""
        from tracker.tui.forms.reopen import reopen

        taken = []
        for path, draft in left:
            try:
                await reopen(self, draft)
            except ValueError:
                self._warn(f"A draft from an earlier run, {path}, is not one this version of Position Tracker wrote; left as it is")
                continue
            taken.append(path)
        self.call_after_refresh(self.keep_drafts, taken)

    def on_form_field_changed(self) -> None:
        """A field of a form changed (the message bubbles up from the form): the drafts are
        kept a moment after the last change."""
        self.schedule_drafts()

    def schedule_drafts(self) -> None:
        if self._exiting:
            return
        from tracker.tui.drafts import DRAFT_DELAY

        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.keep_drafts)

    def keep_drafts(self, forget: list[Path] | None = None, leaving: FormScreen | None = None) -> None:
        """Write what the forms hold now (in a worker; ``leaving``: a form being closed, left
        out), then remove the files ``forget``."""
        if self.drafts is None or self._exiting:
            return
        from tracker.tui.forms.reopen import form_drafts

        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._drafts_asked += 1
        self._write_drafts(form_drafts(self, leaving), self._drafts_asked, list(forget or ()))

    @work(thread=True, group="drafts-write")
    def _write_drafts(self, forms: list[FormDraft], asked: int, forget: list[Path]) -> None:
        self._write_drafts_now(forms, asked, forget)

    def _write_drafts_now(self, forms: list[FormDraft], asked: int, forget: list[Path]) -> None:
        """Write ``forms`` (what keep_drafts call number ``asked`` saw), unless a later call's
        are written already; then remove the files ``forget``."""
        with self._drafts_lock:
            keeper = self.drafts
            if keeper is None or asked < self._drafts_done:  # a newer state is written already
                return
            try:
                keeper.write(forms)
            except OSError as e:
                self.call_soon(self._warn, f"What you typed could not be kept for the next run: {keeper.path}: {e.strerror or e}")
                return
            self._drafts_done = asked
            for path in forget:
                keeper.forget(path)

    def exit(self, *args, **kwargs) -> None:
        """Every way out (q, ctrl+q, the terminal gone) keeps what the forms hold first."""
        if not self._exiting:
            self._exiting = True
            if self._draft_timer is not None:
                self._draft_timer.stop()
            if self.drafts is not None and "tracker.tui.forms.base" in sys.modules:  # a form may be open
                from tracker.tui.forms.reopen import form_drafts

                self._drafts_asked += 1  # after every keep already asked for: written last
                self._write_drafts_now(form_drafts(self), self._drafts_asked, [])
        super().exit(*args, **kwargs)
