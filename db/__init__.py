"""Data shipped with Position Tracker: schema migrations (``migrations/NNNN_name.sql``)
and the demo dataset (``demo.jsonl``). Installed as the package ``tracker.data``."""
