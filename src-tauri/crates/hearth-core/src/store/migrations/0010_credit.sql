-- The credit score (信用分, deducted like points on a driving licence): the channels a community
-- runs with their group rules (群规), deduction rules with points and an expiry after which the
-- points come back, tiers with consequences, deductions with their evidence, and appeals.
-- No score is stored: a score at an instant is the start score minus the deductions in force at
-- that instant (store::credit), so expiry needs no job and "score a week ago" is a query.

-- Where the community talks (a WeChat group, a QQ group, a forum), each with its own 群规 text.
CREATE TABLE channels (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 60),
    platform   TEXT NOT NULL DEFAULT 'wechat' CHECK (platform IN ('wechat', 'qq', 'forum', 'other')),
    rules      TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row: what every member starts with.
CREATE TABLE credit_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    start_score INTEGER NOT NULL DEFAULT 100 CHECK (start_score BETWEEN 1 AND 10000)
);
INSERT INTO credit_settings (id, start_score) VALUES (1, 100);

-- What a deduction can be for. NULL points: asked for on each deduction; NULL expiry_days: the
-- points never come back. `rule_ref` points into the channel's 群规 ("第3条").
CREATE TABLE credit_rules (
    key         TEXT PRIMARY KEY,
    name_zh     TEXT NOT NULL CHECK (length(trim(name_zh)) > 0),
    name_en     TEXT NOT NULL,
    points      INTEGER CHECK (points IS NULL OR points BETWEEN 1 AND 1000),
    expiry_days INTEGER CHECK (expiry_days IS NULL OR expiry_days BETWEEN 1 AND 3650),
    channel_id  INTEGER REFERENCES channels (id) ON DELETE SET NULL,
    rule_ref    TEXT NOT NULL DEFAULT '',
    -- Built-in rules cannot be removed (the door relies on no_show).
    builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    -- Retired rules keep their history but are not offered for new deductions.
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO credit_rules (key, name_zh, name_en, points, expiry_days, builtin, position) VALUES
    ('spam',       '广告/刷屏',   'Spam or ads',         10,   180, 1, 1),
    ('rule_break', '违反群规',    'Broke a group rule',  5,    90,  1, 2),
    ('no_show',    '报名未到场',  'No-show at an event', 3,    90,  1, 3),
    ('custom',     '其他',        'Other',               NULL, 90,  1, 4);

-- A member whose score is at or below `threshold` is in the tier; the lowest matching threshold
-- wins. Thresholds stay below the start score, so a member with no deductions is in no tier.
CREATE TABLE credit_tiers (
    threshold INTEGER PRIMARY KEY CHECK (threshold >= 0),
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('warning', 'restricted', 'remove'))
) WITHOUT ROWID;
INSERT INTO credit_tiers (threshold, name_zh, name_en, action) VALUES
    (90, '提醒',     'Warning',           'warning'),
    (70, '限制发言', 'Restricted',        'restricted'),
    (50, '移出群',   'Remove from group', 'remove');

-- Deductions. Never updated except `voided_at` (Undo of a mistaken entry: as if it never was);
-- `points` is what was taken (positive), `expires_at` when it comes back (NULL: never).
CREATE TABLE credit_entries (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    rule_key    TEXT NOT NULL REFERENCES credit_rules (key) ON UPDATE CASCADE,
    points      INTEGER NOT NULL CHECK (points > 0),
    evidence    TEXT NOT NULL CHECK (length(trim(evidence)) > 0),
    channel_id  INTEGER REFERENCES channels (id) ON DELETE SET NULL,
    -- The rule's 群规 reference when the deduction was made.
    rule_ref    TEXT NOT NULL DEFAULT '',
    occurred_at TEXT NOT NULL,
    expires_at  TEXT,
    source      TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'event')),
    -- What it refers to, e.g. 'event:12'.
    ref         TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    voided_at   TEXT
);
CREATE INDEX credit_entries_by_member ON credit_entries (member_id, occurred_at);
CREATE INDEX credit_entries_live ON credit_entries (member_id) WHERE voided_at IS NULL;
CREATE INDEX credit_entries_by_ref ON credit_entries (ref, member_id) WHERE ref <> '';

-- Appeals against a deduction: pending, then upheld (points stay) or overturned (points come
-- back from the moment of the decision).
CREATE TABLE credit_appeals (
    id            INTEGER PRIMARY KEY,
    entry_id      INTEGER NOT NULL REFERENCES credit_entries (id) ON DELETE CASCADE,
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'upheld', 'overturned')),
    filed_at      TEXT NOT NULL,
    decided_at    TEXT,
    decision_note TEXT NOT NULL DEFAULT '',
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX credit_appeals_one_pending ON credit_appeals (entry_id) WHERE status = 'pending';
CREATE INDEX credit_appeals_by_entry ON credit_appeals (entry_id, status, decided_at);

-- Deductions a merge moved from the merged member to the one kept, so undoing the merge moves
-- exactly those back.
CREATE TABLE merge_credit (
    merge_id INTEGER NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL REFERENCES credit_entries (id) ON DELETE CASCADE,
    PRIMARY KEY (merge_id, entry_id)
) WITHOUT ROWID;
