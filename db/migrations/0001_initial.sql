-- Position Tracker schema, version 1.
-- Plain column names and real foreign keys, so the file reads well in sqlite3 and Datasette.

-- Which migrations this file has had, in order.
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL
);

CREATE TABLE scales (
    id          INTEGER PRIMARY KEY,
    uid         TEXT    NOT NULL UNIQUE,
    key         TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
);

CREATE TABLE levels (
    id          INTEGER PRIMARY KEY,
    scale_id    INTEGER NOT NULL REFERENCES scales(id) ON DELETE CASCADE,
    rank        INTEGER NOT NULL CHECK (rank >= 0),
    key         TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    colour      TEXT    NOT NULL DEFAULT '',
    UNIQUE (scale_id, key),
    UNIQUE (scale_id, rank)
);

CREATE TABLE actors (
    id         INTEGER PRIMARY KEY,
    uid        TEXT    NOT NULL UNIQUE,
    slug       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL CHECK (name <> ''),
    kind       TEXT    NOT NULL DEFAULT 'other'
               CHECK (kind IN ('person', 'government', 'organisation', 'party', 'alliance', 'other')),
    country    TEXT    CHECK (country IS NULL OR (length(country) = 2 AND country = upper(country))),
    parent_id  INTEGER REFERENCES actors(id) ON DELETE SET NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX actors_parent ON actors(parent_id);
CREATE INDEX actors_name ON actors(name COLLATE NOCASE, id);

CREATE TABLE actor_aliases (
    id       INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    alias    TEXT    NOT NULL CHECK (alias <> ''),
    UNIQUE (actor_id, alias)
);

CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    uid         TEXT    NOT NULL UNIQUE,
    slug        TEXT    NOT NULL UNIQUE,
    title       TEXT    NOT NULL CHECK (title <> ''),
    description TEXT    NOT NULL DEFAULT '',
    scale_id    INTEGER NOT NULL REFERENCES scales(id),
    tags        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX questions_title ON questions(title COLLATE NOCASE, id);

CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    uid        TEXT    NOT NULL UNIQUE,
    url        TEXT    UNIQUE,
    title      TEXT    NOT NULL DEFAULT '',
    outlet     TEXT    NOT NULL DEFAULT '',
    published  TEXT,
    language   TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE positions (
    id          INTEGER PRIMARY KEY,
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
CREATE INDEX positions_question_actor_date ON positions(question_id, actor_id, date_start, date_end, id);
-- In date order: all positions, one question's, one actor's (the lists page through these).
CREATE INDEX positions_date ON positions(date_start, date_end, id);
CREATE INDEX positions_question_date ON positions(question_id, date_start, date_end, id);
CREATE INDEX positions_actor_date ON positions(actor_id, date_start, date_end, id);
CREATE INDEX positions_source ON positions(source_id);
CREATE INDEX positions_level ON positions(level_id);

-- Every insert, edit and deletion, append-only. An undo is a later row that
-- reverses an earlier one (reverts = that row's id); nothing is edited in place.
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    table_name TEXT    NOT NULL,
    row_uid    TEXT    NOT NULL,
    action     TEXT    NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    before     TEXT    CHECK (before IS NULL OR json_valid(before)),
    after      TEXT    CHECK (after IS NULL OR json_valid(after)),
    reverts    INTEGER REFERENCES revisions(id)
);
CREATE INDEX revisions_row ON revisions(table_name, row_uid, id);

-- Full-text search. remove_diacritics folds "ambigüité" and "ambiguite" together.
CREATE VIRTUAL TABLE positions_fts USING fts5(
    quote, paraphrase, context, notes,
    content = 'positions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
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

CREATE VIRTUAL TABLE questions_fts USING fts5(
    title, description,
    content = 'questions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER questions_fts_insert AFTER INSERT ON questions BEGIN
    INSERT INTO questions_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER questions_fts_delete AFTER DELETE ON questions BEGIN
    INSERT INTO questions_fts(questions_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
END;
CREATE TRIGGER questions_fts_update AFTER UPDATE OF title, description ON questions BEGIN
    INSERT INTO questions_fts(questions_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO questions_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;

-- Actors are found by name and by any alias: one row per actor, its aliases
-- joined with newlines, rebuilt by the triggers below.
CREATE VIRTUAL TABLE actors_fts USING fts5(
    name, aliases,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER actors_fts_insert AFTER INSERT ON actors BEGIN
    INSERT INTO actors_fts(rowid, name, aliases) VALUES (new.id, new.name, '');
END;
CREATE TRIGGER actors_fts_delete AFTER DELETE ON actors BEGIN
    DELETE FROM actors_fts WHERE rowid = old.id;
END;
CREATE TRIGGER actors_fts_update AFTER UPDATE OF name ON actors BEGIN
    UPDATE actors_fts SET name = new.name WHERE rowid = new.id;
END;
CREATE TRIGGER actor_aliases_fts_insert AFTER INSERT ON actor_aliases BEGIN
    UPDATE actors_fts SET aliases = (
        SELECT coalesce(group_concat(alias, char(10)), '') FROM actor_aliases WHERE actor_id = new.actor_id
    ) WHERE rowid = new.actor_id;
END;
CREATE TRIGGER actor_aliases_fts_delete AFTER DELETE ON actor_aliases BEGIN
    UPDATE actors_fts SET aliases = (
        SELECT coalesce(group_concat(alias, char(10)), '') FROM actor_aliases WHERE actor_id = old.actor_id
    ) WHERE rowid = old.actor_id;
END;

-- Every edit and deletion is logged by these triggers, so no write can skip the log.
-- (Single inserts are logged by the program; bulk imports are not, to stay fast.)
CREATE TRIGGER actors_log_update AFTER UPDATE ON actors WHEN old.id IS NOT new.id OR old.uid IS NOT new.uid OR old.slug IS NOT new.slug OR old.name IS NOT new.name OR old.kind IS NOT new.kind OR old.country IS NOT new.country OR old.parent_id IS NOT new.parent_id OR old.created_at IS NOT new.created_at BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'actors', new.uid, 'update',
            json_object('id', old.id, 'uid', old.uid, 'slug', old.slug, 'name', old.name, 'kind', old.kind, 'country', old.country, 'parent_id', old.parent_id, 'created_at', old.created_at, 'updated_at', old.updated_at),
            json_object('id', new.id, 'uid', new.uid, 'slug', new.slug, 'name', new.name, 'kind', new.kind, 'country', new.country, 'parent_id', new.parent_id, 'created_at', new.created_at, 'updated_at', new.updated_at));
END;
CREATE TRIGGER actors_log_delete AFTER DELETE ON actors BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'actors', old.uid, 'delete',
            json_object('id', old.id, 'uid', old.uid, 'slug', old.slug, 'name', old.name, 'kind', old.kind, 'country', old.country, 'parent_id', old.parent_id, 'created_at', old.created_at, 'updated_at', old.updated_at), NULL);
END;
CREATE TRIGGER questions_log_update AFTER UPDATE ON questions WHEN old.id IS NOT new.id OR old.uid IS NOT new.uid OR old.slug IS NOT new.slug OR old.title IS NOT new.title OR old.description IS NOT new.description OR old.scale_id IS NOT new.scale_id OR old.tags IS NOT new.tags OR old.created_at IS NOT new.created_at BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'questions', new.uid, 'update',
            json_object('id', old.id, 'uid', old.uid, 'slug', old.slug, 'title', old.title, 'description', old.description, 'scale_id', old.scale_id, 'tags', old.tags, 'created_at', old.created_at, 'updated_at', old.updated_at),
            json_object('id', new.id, 'uid', new.uid, 'slug', new.slug, 'title', new.title, 'description', new.description, 'scale_id', new.scale_id, 'tags', new.tags, 'created_at', new.created_at, 'updated_at', new.updated_at));
END;
CREATE TRIGGER questions_log_delete AFTER DELETE ON questions BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'questions', old.uid, 'delete',
            json_object('id', old.id, 'uid', old.uid, 'slug', old.slug, 'title', old.title, 'description', old.description, 'scale_id', old.scale_id, 'tags', old.tags, 'created_at', old.created_at, 'updated_at', old.updated_at), NULL);
END;
CREATE TRIGGER sources_log_update AFTER UPDATE ON sources WHEN old.id IS NOT new.id OR old.uid IS NOT new.uid OR old.url IS NOT new.url OR old.title IS NOT new.title OR old.outlet IS NOT new.outlet OR old.published IS NOT new.published OR old.language IS NOT new.language OR old.created_at IS NOT new.created_at BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'sources', new.uid, 'update',
            json_object('id', old.id, 'uid', old.uid, 'url', old.url, 'title', old.title, 'outlet', old.outlet, 'published', old.published, 'language', old.language, 'created_at', old.created_at, 'updated_at', old.updated_at),
            json_object('id', new.id, 'uid', new.uid, 'url', new.url, 'title', new.title, 'outlet', new.outlet, 'published', new.published, 'language', new.language, 'created_at', new.created_at, 'updated_at', new.updated_at));
END;
CREATE TRIGGER sources_log_delete AFTER DELETE ON sources BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'sources', old.uid, 'delete',
            json_object('id', old.id, 'uid', old.uid, 'url', old.url, 'title', old.title, 'outlet', old.outlet, 'published', old.published, 'language', old.language, 'created_at', old.created_at, 'updated_at', old.updated_at), NULL);
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
