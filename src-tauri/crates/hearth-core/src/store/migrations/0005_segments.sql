-- Segments: saved member filters, and one snapshot a day of who was in each, so the manager can
-- see who entered and who left.

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- A JSON MemberFilter.
    filter     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE segment_snapshots (
    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    -- 'YYYY-MM-DD' (UTC) the snapshot was taken.
    day        TEXT NOT NULL,
    -- Member ids in the segment that day, as a JSON array (ids only, no personal data).
    member_ids TEXT NOT NULL,
    PRIMARY KEY (segment_id, day)
) WITHOUT ROWID;
