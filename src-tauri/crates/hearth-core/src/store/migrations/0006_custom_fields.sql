-- Custom fields the manager defines (text, number, date, single or multiple choice) and each
-- member's values. A value is stored as text in a canonical form (numbers as written after
-- checking, dates as YYYY-MM-DD, several choices joined with ", " in the options' order).

CREATE TABLE custom_fields (
    id         INTEGER PRIMARY KEY,
    label      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind       TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'choice', 'multi')),
    -- JSON array of the allowed values for 'choice' and 'multi'.
    options    TEXT NOT NULL DEFAULT '[]',
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE member_custom_values (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    field_id  INTEGER NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    value     TEXT NOT NULL,
    PRIMARY KEY (member_id, field_id)
) WITHOUT ROWID;
CREATE INDEX member_custom_values_by_field ON member_custom_values (field_id, value);

-- Custom fields did not exist above this id before an import; its undo drops the empty ones it
-- added (columns kept as new fields).
ALTER TABLE import_batches ADD COLUMN max_field_id INTEGER NOT NULL DEFAULT 0;
