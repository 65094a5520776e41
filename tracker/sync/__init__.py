"""Sharing a dataset with a team through git: `tracker sync DIR` (PRODUCT.md, "Sharing a
dataset with a team").

Git is the distributed engine; this package only writes, merges and reads the dataset's
files in a clone. ``layout`` writes the SQLite file's data as sorted JSONL files under
``tracker-data/`` and reads them back, checked; ``merge`` is the three-way merge of one
such file by uid and field (plain Python), which ``driver`` runs as git's merge driver;
``apply`` writes a merged layout into the file in one transaction; ``git`` runs the git
commands; ``run`` is one sync, step by step, and its report. The SQL lives in
tracker/store/dataset.py; the command line's face is tracker/cli/sync.py.
"""
