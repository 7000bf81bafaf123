-- Member profiles (gender, city, birthday, role, source), more identity kinds, and merges that
-- can be undone exactly.

ALTER TABLE members ADD COLUMN gender           TEXT NOT NULL DEFAULT ''
    CHECK (gender IN ('', 'female', 'male', 'other'));
ALTER TABLE members ADD COLUMN city             TEXT NOT NULL DEFAULT '';
-- 'YYYY-MM-DD', or '--MM-DD' when the year is not known.
ALTER TABLE members ADD COLUMN birthday         TEXT;
ALTER TABLE members ADD COLUMN role             TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN responsibilities TEXT NOT NULL DEFAULT '';
-- Which group or platform the member came from.
ALTER TABLE members ADD COLUMN source           TEXT NOT NULL DEFAULT '';
-- Set on the member that disappeared into another in a merge (while the merge can be undone).
ALTER TABLE members ADD COLUMN merged_into      INTEGER REFERENCES members (id);

-- Identities gain kinds. Names people go by in a group (WeChat remark, group nickname, QQ group
-- card) are not identifying: two people can both be "小王", so only the other kinds are unique.
CREATE TABLE identities_v2 (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'wechat', 'wechat_remark',
                                             'group_nick', 'qq', 'qq_card', 'forum', 'platform')),
    value      TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    source     TEXT NOT NULL DEFAULT 'manual',
    created_at TEXT NOT NULL
);
INSERT INTO identities_v2 (id, member_id, kind, value, position, source, created_at)
    SELECT id, member_id, kind, value, position, source, created_at FROM identities;
DROP TABLE identities;
ALTER TABLE identities_v2 RENAME TO identities;
CREATE INDEX identities_by_member ON identities (member_id, position);
CREATE UNIQUE INDEX identities_unique ON identities (kind, value)
    WHERE kind NOT IN ('wechat_remark', 'group_nick', 'qq_card');
CREATE INDEX identities_by_value ON identities (kind, value);

-- One row per merge: the JSON snapshot of both members before it, so undo is exact.
CREATE TABLE merges (
    id         INTEGER PRIMARY KEY,
    kept_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    merged_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    snapshot   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    undone_at  TEXT
);
