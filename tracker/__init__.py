"""Position Tracker: follow how actors change their stated positions over time."""

__version__ = "0.1.0"
