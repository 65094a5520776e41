"""Errors a user can cause and read: each carries a one-line message."""


class TrackerError(Exception):
    """A user error: bad input, a missing name, a file that cannot be used.

    The command line prints ``str(error)`` on one line and exits with 1; the
    interface shows it beside the field or in a toast. Nothing is written.
    """


class DateError(TrackerError, ValueError):
    """A date that cannot be understood; the message quotes the text that failed."""


class NotFound(TrackerError):
    """A name, id or uid that matches nothing."""


class Ambiguous(TrackerError):
    """A name prefix that matches more than one row; the message lists them."""


class StoreError(TrackerError):
    """A database file that cannot be opened, upgraded or written."""


class OutOfShape(StoreError):
    """A value in the file that the program cannot use, written there by another program
    (plain SQL, a file from someone else): the message names the table, the row and what it
    holds, and says to run ``tracker check``, which lists every such value with advice."""
