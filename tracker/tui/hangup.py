"""The interface ends when its terminal goes away.

A terminal that closes without a hang-up signal (its window killed by a program that never
made it the controlling terminal: a test harness, a benchmark, some terminal multiplexers)
leaves the app reading end-of-file from it for ever. Textual's input thread takes an empty
read for piped input and selects again at once: one core spinning, with no screen to show.
A thread here waits (without using the processor) for the terminal to report a hang-up and
then ends the app as ``q`` does. A terminal that does send the hang-up signal (its window
closed) would end the process at once, Python's default, with nothing of the app's own
ending run (the forms' drafts kept, tracker.tui.drafts): the signal ends it as ``q`` does too.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import threading
from collections.abc import Callable

# poll() reports these whatever it is asked for; asking for nothing more, a keypress
# never wakes the thread.
_GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def watch_terminal(fd: int, on_hangup: Callable[[], object]) -> threading.Thread | None:
    """Call ``on_hangup`` (once, from a daemon thread) when the terminal on ``fd`` hangs up.
    Nothing is watched when ``fd`` is not a terminal."""
    try:
        if not os.isatty(fd):
            return None
    except OSError:
        return None
    poller = select.poll()
    poller.register(fd, 0)

    def wait() -> None:
        while True:
            try:
                events = poller.poll()
            except InterruptedError:  # pragma: no cover - retried by Python itself since 3.5
                continue
            if any(mask & _GONE for _fd, mask in events):
                on_hangup()
                return

    thread = threading.Thread(target=wait, name="terminal-hangup", daemon=True)
    thread.start()
    return thread


def on_hangup_signal(on_hangup: Callable[[], object]) -> bool:
    """Call ``on_hangup`` in the running event loop (the app's, in the main thread) when the
    process gets SIGHUP; False, nothing set, where that cannot be (no such signal, another
    thread)."""
    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, on_hangup)
    except (AttributeError, NotImplementedError, RuntimeError, ValueError):
        return False
    return True
