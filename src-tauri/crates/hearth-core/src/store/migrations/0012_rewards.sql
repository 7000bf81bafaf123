-- The engagement engine's rewards part: badges (earned automatically by a rule, or awarded by
-- hand), a catalogue of rewards members spend points on, and the redemptions. Points themselves
-- stay in `points_ledger` (0009): a redemption, its undo, an invite claw-back and its return are
-- all new ledger rows, never edits.

CREATE TABLE badges (
    key            TEXT PRIMARY KEY,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    description_zh TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    -- An emoji or short text the UI shows as the badge's picture.
    icon           TEXT NOT NULL DEFAULT '',
    -- 'manual': only awarded by hand. The rest are awarded (and taken back) automatically:
    -- 'kind_count': `n` live activities of `kind`; 'points': `n` points earned (redemptions do
    -- not count); 'active_days': `n` distinct days with any live activity.
    criteria       TEXT NOT NULL CHECK (criteria IN ('manual', 'kind_count', 'points', 'active_days')),
    kind           TEXT REFERENCES activity_kinds (key) ON UPDATE CASCADE,
    n              INTEGER NOT NULL DEFAULT 0,
    position       INTEGER NOT NULL DEFAULT 0,
    -- A badge switched off is neither awarded nor shown; its awards come back when it is on again.
    enabled        INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    CHECK ((criteria = 'kind_count') = (kind IS NOT NULL)),
    CHECK (criteria = 'manual' OR n > 0)
) WITHOUT ROWID;

INSERT INTO badges (key, name_zh, name_en, description_zh, description_en, icon, criteria, kind, n, position) VALUES
    ('first_event',   '首次参会',   'First event',
     '第一次参加活动', 'Came to an event for the first time',
     '🎟️', 'kind_count', 'attended_event', 1, 1),
    ('event_regular', '活动常客',   'Regular at events',
     '参加了 10 场活动', 'Came to 10 events',
     '🏅', 'kind_count', 'attended_event', 10, 2),
    ('answer_expert', '答疑达人',   'Helpful answerer',
     '回答了 20 个问题', 'Answered 20 questions',
     '💡', 'kind_count', 'answered', 20, 3),
    ('invite_star',   '邀请之星',   'Invite star',
     '邀请了 5 位新人', 'Invited 5 people',
     '⭐', 'kind_count', 'invited', 5, 4),
    ('steady',        '持之以恒',   'Steady',
     '累计 30 天有活跃记录', 'Active on 30 different days',
     '📅', 'active_days', NULL, 30, 5),
    ('club_1000',     '千分俱乐部', '1000 club',
     '累计获得 1000 积分', 'Earned 1,000 points',
     '🏆', 'points', NULL, 1000, 6),
    ('volunteer',     '优秀志愿者', 'Outstanding volunteer',
     '由管理员颁发', 'Awarded by the manager',
     '🙌', 'manual', NULL, 0, 7);

-- Awards, kept after they are taken back (revoked_at) so a member's history stays whole. At most
-- one live award per member and badge.
CREATE TABLE member_badges (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    badge_key   TEXT NOT NULL REFERENCES badges (key) ON UPDATE CASCADE ON DELETE CASCADE,
    awarded_at  TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
    -- Why it was awarded by hand (required then).
    note        TEXT NOT NULL DEFAULT '',
    revoked_at  TEXT,
    -- 'auto': its rule stopped holding (an activity was undone); 'manual': the manager took it
    -- away (with `revoke_note`), and the rule does not give it back.
    revoked_by  TEXT CHECK (revoked_by IN ('auto', 'manual')),
    revoke_note TEXT NOT NULL DEFAULT '',
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
    CHECK (source = 'auto' OR note <> '')
);
CREATE UNIQUE INDEX member_badges_live ON member_badges (member_id, badge_key)
    WHERE revoked_at IS NULL;
CREATE INDEX member_badges_by_badge ON member_badges (badge_key, member_id);

-- What points can be spent on. Rewards are switched off (`active`), never deleted, so past
-- redemptions keep their name.
CREATE TABLE rewards (
    id         INTEGER PRIMARY KEY,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    cost       INTEGER NOT NULL CHECK (cost BETWEEN 1 AND 1000000),
    -- How many are left; NULL means unlimited.
    stock      INTEGER CHECK (stock IS NULL OR stock >= 0),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One redemption per spend. The member is the owner of the ledger row (so a merge, which moves
-- ledger rows, carries the redemption along, and erasing the member removes it).
CREATE TABLE redemptions (
    id             INTEGER PRIMARY KEY,
    reward_id      INTEGER NOT NULL REFERENCES rewards (id),
    cost           INTEGER NOT NULL,
    -- The 'redeem' row (negative) in points_ledger.
    ledger_id      INTEGER NOT NULL UNIQUE REFERENCES points_ledger (id) ON DELETE CASCADE,
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    undone_at      TEXT,
    -- The 'redeem_undo' row (positive) that gave the points back.
    undo_ledger_id INTEGER REFERENCES points_ledger (id) ON DELETE SET NULL
);
CREATE INDEX redemptions_by_reward ON redemptions (reward_id);
CREATE INDEX redemptions_by_undo ON redemptions (undo_ledger_id) WHERE undo_ledger_id IS NOT NULL;
