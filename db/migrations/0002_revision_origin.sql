-- Position Tracker schema, version 2: what made each revision.
--
-- origin is 'interface', 'command line' or 'import', set by the program on the rows
-- of its own write transaction (a trigger cannot know who is writing). Rows written
-- before this version, or by another program through plain SQL, keep NULL: unknown.
ALTER TABLE revisions ADD COLUMN origin TEXT;
