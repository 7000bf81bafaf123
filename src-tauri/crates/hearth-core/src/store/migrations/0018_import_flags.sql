-- Values an import left out of a member (a bad date, a phone Excel damaged, a possible
-- duplicate by name), kept with the batch so the history shows them after the preview is gone.

CREATE TABLE import_flags (
    batch_id INTEGER NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
    line     INTEGER NOT NULL,
    field    TEXT NOT NULL,
    value    TEXT NOT NULL,
    -- The error code the UI translates (`invalid_phone`, `possible_duplicate`, ...).
    reason   TEXT NOT NULL,
    message  TEXT NOT NULL,
    -- JSON object of the translation's parameters.
    params   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX import_flags_by_batch ON import_flags (batch_id, line);

-- Rows imported with at least one flag.
ALTER TABLE import_batches ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
