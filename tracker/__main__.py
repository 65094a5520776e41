"""``python -m tracker``: the command line, as the ``tracker`` command runs it."""

from tracker.cli import main

main()
