-- The Today list's own records: follow-ups the manager promised ("call back Tuesday"), and a way
-- to find the birthdays of the coming days without reading every member.

CREATE TABLE followups (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    -- The manager's local day it is due, YYYY-MM-DD.
    due_on     TEXT NOT NULL CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note       TEXT NOT NULL CHECK (length(trim(note)) > 0),
    created_at TEXT NOT NULL,
    done_at    TEXT
);
CREATE INDEX followups_open ON followups (due_on, member_id) WHERE done_at IS NULL;
CREATE INDEX followups_by_member ON followups (member_id);

-- Follow-ups a merge moved to the member kept, so undoing the merge moves exactly those back.
CREATE TABLE merge_followups (
    merge_id    INTEGER NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
    followup_id INTEGER NOT NULL,
    PRIMARY KEY (merge_id, followup_id)
) WITHOUT ROWID;

-- Birthdays are `YYYY-MM-DD` or `--MM-DD`: the last five characters are the month and day.
CREATE INDEX members_by_birthday ON members (substr(birthday, -5))
    WHERE birthday IS NOT NULL AND deleted_at IS NULL;
