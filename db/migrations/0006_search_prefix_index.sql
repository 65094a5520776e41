-- Position Tracker schema, version 6: prefixes of one to three letters are indexed.
--
-- The search screen matches the last word typed as the beginning of longer words. Without
-- an index of prefixes, FTS5 merges the lists of every word a prefix begins: 0.35 s for
-- "g" and 0.46 s for "nous p" on a million positions. With prefix='1 2 3' FTS5 keeps one
-- list for each prefix of one, two and three letters, read like a word's (a millisecond);
-- a longer prefix begins few enough words to merge theirs quickly. On a million positions it
-- costs 28% more file and 2.3 times the time to build the index (17 s, then 40 s). The columns, the
-- tokenizer (accents folded), the rowids and the spelling content=[positions] that
-- sqlite-utils and Datasette look for are those of version 4; the triggers that keep the
-- index name it and are not touched. The index is filled again from its table.

DROP TABLE positions_fts;
CREATE VIRTUAL TABLE positions_fts USING fts5(
    quote, paraphrase, context, notes,
    content=[positions], content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO positions_fts(positions_fts) VALUES('rebuild');
