-- Counting members without walking them. `SELECT count(*)` with no WHERE counts the pages of the
-- smallest full index (about 0.1 ms for 500k members), but every members index so far is partial,
-- so counting the live members walked half a million index entries (15-25 ms). members_count is
-- that small full index: its expression is constant, so no query ever searches by it, and it
-- only serves the count. The trash is counted through its own partial index and subtracted.
CREATE INDEX members_count    ON members ((id IS NULL));
CREATE INDEX members_in_trash ON members (deleted_at) WHERE deleted_at IS NOT NULL;
