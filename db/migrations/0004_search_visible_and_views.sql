-- Position Tracker schema, version 4: the file as other SQLite tools see it.
--
-- The search indexes are declared anew with content=[positions] (and [questions]): that is
-- the spelling sqlite-utils and Datasette look for to find a table's index (they miss
-- content = 'positions'), so Datasette's search box and `sqlite-utils search FILE positions
-- WORD` work with no set-up. The columns, the tokenizer (accents folded) and the rowids
-- are those of version 1; the triggers that keep the indexes are not touched (they name
-- the indexes, which keep their names). The index is filled again from its table.

DROP TABLE positions_fts;
CREATE VIRTUAL TABLE positions_fts USING fts5(
    quote, paraphrase, context, notes,
    content=[positions], content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO positions_fts(positions_fts) VALUES('rebuild');

DROP TABLE questions_fts;
CREATE VIRTUAL TABLE questions_fts USING fts5(
    title, description,
    content=[questions], content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO questions_fts(questions_fts) VALUES('rebuild');

-- One row a position, with its actor, question, stance and source spelled out.
-- stance is the level's key, stance_label its label, stance_rank its rank on the
-- question's scale; a position without a source has NULL source_url, source_title, outlet.
CREATE VIEW statements AS
SELECT p.id, p.uid,
       a.slug AS actor, a.name AS actor_name,
       q.slug AS question, q.title AS question_title,
       l.key AS stance, l.label AS stance_label, l.rank AS stance_rank,
       p.date, p.date_start, p.date_end, p.precision,
       p.quote, p.quote_lang, p.paraphrase, p.context,
       s.url AS source_url, s.title AS source_title, s.outlet,
       p.confidence
FROM positions p
JOIN actors a ON a.id = p.actor_id
JOIN questions q ON q.id = p.question_id
JOIN levels l ON l.id = p.level_id
LEFT JOIN sources s ON s.id = p.source_id;

-- Each actor's latest position on each question, as the program orders them: by
-- date_start, then date_end, then id (of two positions with the same dates, the one
-- entered later). One look-up in the index positions_question_actor_date a row.
CREATE VIEW latest_positions AS
SELECT p.id, p.uid,
       a.slug AS actor, a.name AS actor_name,
       q.slug AS question, q.title AS question_title,
       l.key AS stance, l.label AS stance_label, l.rank AS stance_rank,
       p.date, p.date_start, p.date_end, p.precision,
       p.quote, p.quote_lang, p.paraphrase, p.context,
       s.url AS source_url, s.title AS source_title, s.outlet,
       p.confidence
FROM positions p
JOIN actors a ON a.id = p.actor_id
JOIN questions q ON q.id = p.question_id
JOIN levels l ON l.id = p.level_id
LEFT JOIN sources s ON s.id = p.source_id
WHERE p.id = (
    SELECT later.id FROM positions later
    WHERE later.question_id = p.question_id AND later.actor_id = p.actor_id
    ORDER BY later.date_start DESC, later.date_end DESC, later.id DESC LIMIT 1
);
