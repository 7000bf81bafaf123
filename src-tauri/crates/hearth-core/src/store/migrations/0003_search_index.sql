-- Search walks this covering index in name order: one sequential pass yields every match, already
-- sorted, without touching the table (measured 130 ms -> 21 ms for 100k members). The narrower
-- members_by_name stays for plain paging, where skipping OFFSET rows is cheaper on a small index.
CREATE INDEX members_search_by_name ON members (sort_key, id, search_text) WHERE deleted_at IS NULL;
