-- Position Tracker schema, version 5: one mechanism logs the revisions.
--
-- Versions 1 to 4 logged edits and deletions with triggers but creations from the
-- program, so a row added by another tool (sqlite3, Datasette, sqlite-utils) left no
-- trace. From now on triggers log every creation too, whoever writes it; the program
-- writes no revision of its own. An import creates its rows unlogged (their created_at
-- says when): it sets these triggers aside inside its own transaction and puts them
-- back before it commits, so no other connection ever sees them missing.
CREATE TRIGGER actors_log_insert AFTER INSERT ON actors BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'actors', new.uid, 'insert', NULL,
            json_object('id', new.id, 'uid', new.uid, 'slug', new.slug, 'name', new.name, 'kind', new.kind, 'country', new.country, 'parent_id', new.parent_id, 'created_at', new.created_at, 'updated_at', new.updated_at));
END;
CREATE TRIGGER questions_log_insert AFTER INSERT ON questions BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'questions', new.uid, 'insert', NULL,
            json_object('id', new.id, 'uid', new.uid, 'slug', new.slug, 'title', new.title, 'description', new.description, 'scale_id', new.scale_id, 'tags', new.tags, 'created_at', new.created_at, 'updated_at', new.updated_at));
END;
CREATE TRIGGER sources_log_insert AFTER INSERT ON sources BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'sources', new.uid, 'insert', NULL,
            json_object('id', new.id, 'uid', new.uid, 'url', new.url, 'title', new.title, 'outlet', new.outlet, 'published', new.published, 'language', new.language, 'created_at', new.created_at, 'updated_at', new.updated_at));
END;
CREATE TRIGGER positions_log_insert AFTER INSERT ON positions BEGIN
    INSERT INTO revisions(at, table_name, row_uid, action, before, after)
    VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'positions', new.uid, 'insert', NULL,
            json_object('id', new.id, 'uid', new.uid, 'actor_id', new.actor_id, 'question_id', new.question_id, 'level_id', new.level_id, 'date', new.date, 'date_start', new.date_start, 'date_end', new.date_end, 'precision', new.precision, 'quote', new.quote, 'quote_lang', new.quote_lang, 'paraphrase', new.paraphrase, 'context', new.context, 'source_id', new.source_id, 'confidence', new.confidence, 'notes', new.notes, 'tags', new.tags, 'created_at', new.created_at, 'updated_at', new.updated_at));
END;
