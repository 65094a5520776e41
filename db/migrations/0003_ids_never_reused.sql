-- Position Tracker schema, version 3: ids are never reused, and undo knows its own run.
--
-- positions get AUTOINCREMENT, so the id of a deleted position is never given to a new one
-- (an undo brings a deleted position back under its own id). SQLite cannot add it to a
-- table in place: the table is made anew, its rows copied with their ids, the old one
-- dropped; its indexes and triggers go with the old table and are made again here, as
-- version 1 had them. (Revisions are never deleted, so their ids are never given twice.)
-- The search index keeps its rows: they are keyed by the positions' ids, which are kept.
--
-- revisions.session is the run of the program that wrote the row (a random id each time
-- the interface starts), so that undo reverses the changes of its own run only.

CREATE TABLE positions_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uid         TEXT    NOT NULL UNIQUE,
    actor_id    INTEGER NOT NULL REFERENCES actors(id),
    question_id INTEGER NOT NULL REFERENCES questions(id),
    level_id    INTEGER NOT NULL REFERENCES levels(id),
    date        TEXT    NOT NULL,
    date_start  TEXT    NOT NULL,
    date_end    TEXT    NOT NULL,
    precision   TEXT    NOT NULL CHECK (precision IN ('day', 'month', 'year')),
    quote       TEXT    NOT NULL DEFAULT '',
    quote_lang  TEXT    NOT NULL DEFAULT '',
    paraphrase  TEXT    NOT NULL DEFAULT '',
    context     TEXT    NOT NULL DEFAULT '',
    source_id   INTEGER REFERENCES sources(id),
    confidence  TEXT    NOT NULL DEFAULT 'confirmed'
                CHECK (confidence IN ('confirmed', 'reported', 'inferred')),
    notes       TEXT    NOT NULL DEFAULT '',
    tags        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    CHECK (date_start <= date_end)
);
INSERT INTO positions_new(id, uid, actor_id, question_id, level_id, date, date_start, date_end, precision, quote, quote_lang, paraphrase, context, source_id, confidence, notes, tags, created_at, updated_at)
SELECT id, uid, actor_id, question_id, level_id, date, date_start, date_end, precision, quote, quote_lang, paraphrase, context, source_id, confidence, notes, tags, created_at, updated_at FROM positions;
DROP TABLE positions;
ALTER TABLE positions_new RENAME TO positions;
CREATE INDEX positions_question_actor_date ON positions(question_id, actor_id, date_start, date_end, id);
CREATE INDEX positions_date ON positions(date_start, date_end, id);
CREATE INDEX positions_question_date ON positions(question_id, date_start, date_end, id);
CREATE INDEX positions_actor_date ON positions(actor_id, date_start, date_end, id);
CREATE INDEX positions_source ON positions(source_id);
CREATE INDEX positions_level ON positions(level_id);
-- A position deleted before this version may have had the highest id: count the ids the
-- revision log has seen, so that none of them is given again.
INSERT INTO sqlite_sequence(name, seq)
SELECT 'positions', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'positions');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((
    SELECT max(json_extract(coalesce(before, after), '$.id')) FROM revisions WHERE table_name = 'positions'
), 0)) WHERE name = 'positions';

CREATE TRIGGER positions_fts_insert AFTER INSERT ON positions BEGIN
    INSERT INTO positions_fts(rowid, quote, paraphrase, context, notes)
    VALUES (new.id, new.quote, new.paraphrase, new.context, new.notes);
END;
CREATE TRIGGER positions_fts_delete AFTER DELETE ON positions BEGIN
    INSERT INTO positions_fts(positions_fts, rowid, quote, paraphrase, context, notes)
    VALUES ('delete', old.id, old.quote, old.paraphrase, old.context, old.notes);
END;
CREATE TRIGGER positions_fts_update AFTER UPDATE OF quote, paraphrase, context, notes ON positions BEGIN
    INSERT INTO positions_fts(positions_fts, rowid, quote, paraphrase, context, notes)
    VALUES ('delete', old.id, old.quote, old.paraphrase, old.context, old.notes);
    INSERT INTO positions_fts(rowid, quote, paraphrase, context, notes)
    VALUES (new.id, new.quote, new.paraphrase, new.context, new.notes);
END;
CREATE TRIGGER positions_log_update AFTER UPDATE ON positions WHEN old.id IS NOT new.id OR old.uid IS NOT new.uid OR old.actor_id IS NOT new.actor_id OR old.question_id IS NOT new.question_id OR old.level_id IS NOT new.level_id OR old.date IS NOT new.date OR old.date_start IS NOT new.date_start OR old.date_end IS NOT new.date_end OR old.precision IS NOT new.precision OR old.quote IS NOT new.quote OR old.quote_lang IS NOT new.quote_lang OR old.paraphrase IS NOT new.paraphrase OR old.context IS NOT new.context OR old.source_id IS NOT new.source_id OR old.confidence IS NOT new.confidence OR old.notes IS NOT new.notes OR old.tags IS NOT new.tags OR old.created_at IS NOT new.created_at BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'positions', new.uid, 'update',
            json_object('id', old.id, 'uid', old.uid, 'actor_id', old.actor_id, 'question_id', old.question_id, 'level_id', old.level_id, 'date', old.date, 'date_start', old.date_start, 'date_end', old.date_end, 'precision', old.precision, 'quote', old.quote, 'quote_lang', old.quote_lang, 'paraphrase', old.paraphrase, 'context', old.context, 'source_id', old.source_id, 'confidence', old.confidence, 'notes', old.notes, 'tags', old.tags, 'created_at', old.created_at, 'updated_at', old.updated_at),
            json_object('id', new.id, 'uid', new.uid, 'actor_id', new.actor_id, 'question_id', new.question_id, 'level_id', new.level_id, 'date', new.date, 'date_start', new.date_start, 'date_end', new.date_end, 'precision', new.precision, 'quote', new.quote, 'quote_lang', new.quote_lang, 'paraphrase', new.paraphrase, 'context', new.context, 'source_id', new.source_id, 'confidence', new.confidence, 'notes', new.notes, 'tags', new.tags, 'created_at', new.created_at, 'updated_at', new.updated_at));
END;
CREATE TRIGGER positions_log_delete AFTER DELETE ON positions BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'positions', old.uid, 'delete',
            json_object('id', old.id, 'uid', old.uid, 'actor_id', old.actor_id, 'question_id', old.question_id, 'level_id', old.level_id, 'date', old.date, 'date_start', old.date_start, 'date_end', old.date_end, 'precision', old.precision, 'quote', old.quote, 'quote_lang', old.quote_lang, 'paraphrase', old.paraphrase, 'context', old.context, 'source_id', old.source_id, 'confidence', old.confidence, 'notes', old.notes, 'tags', old.tags, 'created_at', old.created_at, 'updated_at', old.updated_at), NULL);
END;

ALTER TABLE revisions ADD COLUMN session TEXT;
CREATE INDEX revisions_session ON revisions(session, id) WHERE session IS NOT NULL;
