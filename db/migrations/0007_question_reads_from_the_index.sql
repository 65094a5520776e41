-- Position Tracker schema, version 7: a question's positions are read from an index alone.
--
-- Opening a question and the movers of a tag read, for each position of the questions asked
-- for, its id, actor, level, date and confidence: never its texts. Found through an index on
-- question_id, each row was then read from the table, where the positions of one question lie
-- scattered among those of all the others (a file is written in the order things were said):
-- ten thousand pages for a question of the five-million-position file, 1.3 s when they were
-- not cached. The index on (question_id, actor_id, dates, id) now holds those columns too, so
-- these reads find everything in it, on pages of their own: a question's brief read 10 -> 6 ms
-- warm on the million. It costs about 2 s to build on a million positions, here and in a
-- bulk import. Its name, and the queries that used it for its first columns, are unchanged.
-- The index on (question_id, dates, id) is made again after it: of two indexes that serve a
-- query as well, SQLite takes the one made last, and the reads in date order (a question's
-- page of positions, its markdown) are to keep using that one, as they did.

DROP INDEX positions_question_actor_date;
DROP INDEX positions_question_date;
CREATE INDEX positions_question_actor_date
    ON positions(question_id, actor_id, date_start, date_end, id, level_id, date, confidence);
CREATE INDEX positions_question_date ON positions(question_id, date_start, date_end, id);
