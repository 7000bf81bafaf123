-- "Add to segment": members put into a segment by hand are in it whatever its filter says
-- (filter OR added). A segment made from a selection is a hand-picked list: while its filter is
-- empty it holds only the members added to it. Any other segment with an empty filter still
-- selects everyone, as before, so removing the last hand-picked member never turns a list into
-- "everyone".

ALTER TABLE segments ADD COLUMN is_list INTEGER NOT NULL DEFAULT 0 CHECK (is_list IN (0, 1));

CREATE TABLE segment_members (
    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (segment_id, member_id)
) WITHOUT ROWID;
-- A member's memberships (merges, and erasing a member cascades through it).
CREATE INDEX segment_members_by_member ON segment_members (member_id);

-- Hand-picked memberships a merge moved from the merged member to the one kept, so undoing the
-- merge moves exactly those back. Where both were in a segment the merged member keeps its own.
CREATE TABLE merge_segment_members (
    merge_id   INTEGER NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    PRIMARY KEY (merge_id, segment_id)
) WITHOUT ROWID;
