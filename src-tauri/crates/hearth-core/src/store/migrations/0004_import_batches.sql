-- Every applied import is a batch that can be undone exactly: members it created are removed,
-- members it changed get back the JSON snapshot taken just before their first change.

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    -- The format and encoding read, and the duplicate policy used (for the history list).
    format      TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    policy      TEXT NOT NULL,
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    invalid     INTEGER NOT NULL DEFAULT 0,
    -- Tags did not exist above this id before the batch; undo drops the unused ones it added.
    max_tag_id  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    undone_at   TEXT
);

CREATE TABLE import_changes (
    batch_id  INTEGER NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    -- Erasing a member (personal-data removal) takes its snapshots with it.
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    -- 'create' or 'update'; an update keeps the member as it was before the batch touched it.
    action    TEXT NOT NULL CHECK (action IN ('create', 'update')),
    snapshot  TEXT,
    PRIMARY KEY (batch_id, member_id)
) WITHOUT ROWID;
CREATE INDEX import_changes_by_member ON import_changes (member_id);

-- Deleting a member makes SQLite look for rows that point at it. Without these indexes every
-- delete scanned the whole members and merges tables (an undo of a 100k-row import took minutes).
CREATE INDEX members_by_merged_into ON members (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX merges_by_kept ON merges (kept_id);
CREATE INDEX merges_by_merged ON merges (merged_id);
