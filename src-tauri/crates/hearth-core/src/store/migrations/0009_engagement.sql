-- The engagement engine's first part: what members did (activities, by kind), the points those
-- earn (an append-only ledger: corrections are new rows), and the levels points lead to.

CREATE TABLE activity_kinds (
    key       TEXT PRIMARY KEY,
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    -- How much one such activity counts towards being active (lifecycle).
    weight    REAL NOT NULL DEFAULT 1 CHECK (weight >= 0),
    -- Points one such activity earns; NULL daily_cap means no cap.
    points    INTEGER NOT NULL DEFAULT 0 CHECK (points BETWEEN -10000 AND 10000),
    daily_cap INTEGER CHECK (daily_cap IS NULL OR daily_cap > 0),
    position  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO activity_kinds (key, name_zh, name_en, weight, points, daily_cap, position) VALUES
    ('checkin',        '签到',       'Daily check-in',     1, 1,  1,    1),
    ('spoke',          '发言',       'Spoke in a group',   1, 1,  5,    2),
    ('answered',       '回答问题',   'Answered a question', 2, 3,  5,    3),
    ('shared',         '分享',       'Shared something',   2, 5,  3,    4),
    ('invited',        '邀请新人',   'Invited someone',    2, 10, NULL, 5),
    ('attended_event', '参加活动',   'Attended an event',  3, 10, NULL, 6),
    ('hosted_event',   '主持/分享活动', 'Hosted or spoke at an event', 5, 30, NULL, 7),
    ('volunteered',    '志愿服务',   'Volunteered',        4, 20, NULL, 8);

CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL REFERENCES activity_kinds (key) ON UPDATE CASCADE,
    occurred_at TEXT NOT NULL,
    -- The manager's local day of `occurred_at` (daily caps, active days).
    day         TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT 'manual',
    -- What it refers to, e.g. 'event:12'.
    ref         TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    -- Set when the activity is taken back (its points are reversed in the ledger).
    voided_at   TEXT
);
CREATE INDEX activities_by_member ON activities (member_id, day) WHERE voided_at IS NULL;
CREATE INDEX activities_by_day ON activities (day, member_id) WHERE voided_at IS NULL;
CREATE INDEX activities_by_ref ON activities (ref, member_id) WHERE ref <> '';

CREATE TABLE points_ledger (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    delta       INTEGER NOT NULL,
    -- 'activity', 'grant', 'deduct', 'redeem', 'reversal'.
    reason      TEXT NOT NULL,
    activity_id INTEGER REFERENCES activities (id) ON DELETE SET NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX points_by_member ON points_ledger (member_id);
CREATE INDEX points_by_time ON points_ledger (created_at, member_id);
CREATE INDEX points_by_activity ON points_ledger (activity_id) WHERE activity_id IS NOT NULL;

CREATE TABLE levels (
    threshold INTEGER PRIMARY KEY CHECK (threshold >= 0),
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO levels (threshold, name_zh, name_en) VALUES
    (0, '新手', 'Newcomer'), (50, '活跃', 'Regular'), (300, '达人', 'Expert'), (1000, '元老', 'Veteran');

-- Activities and ledger rows a merge moved from the merged member to the one kept, so undoing
-- the merge moves exactly those back.
CREATE TABLE merge_engagement (
    merge_id INTEGER NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('activity', 'points')),
    row_id   INTEGER NOT NULL,
    PRIMARY KEY (merge_id, kind, row_id)
) WITHOUT ROWID;
