-- Lifecycle stages stored instead of computed on every read: the rules the manager tunes, each
-- member's stage (promoted at once, demoted only after a lower stage has held for a while), manual
-- overrides with their reasons, the opinion-leader flag, and the history of stage changes.

-- One row: the tunable rules. Windows are fixed (7, 30, 90 days); counts are active days in them.
CREATE TABLE lifecycle_rules (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    active_week_days   INTEGER NOT NULL DEFAULT 2,
    active_month_days  INTEGER NOT NULL DEFAULT 4,
    loyal_month_days   INTEGER NOT NULL DEFAULT 7,
    core_month_days    INTEGER NOT NULL DEFAULT 7,
    core_quarter_days  INTEGER NOT NULL DEFAULT 20,
    -- A member who joined this many days ago or less, and has not reached "active", is new.
    new_days           INTEGER NOT NULL DEFAULT 30,
    -- Days since the last active day after which a member is dormant, then churned.
    dormant_after_days INTEGER NOT NULL DEFAULT 30,
    churned_after_days INTEGER NOT NULL DEFAULT 90,
    -- A lower computed stage must have lasted this many days before the stored stage drops.
    demotion_hold_days INTEGER NOT NULL DEFAULT 14,
    -- A day is active when the weights of that day's live activities add up to this much.
    day_weight         REAL NOT NULL DEFAULT 1,
    -- Opinion leader: at least `leader_voices` "voice" activities in the last `leader_window_days`.
    leader_voices      INTEGER NOT NULL DEFAULT 8,
    leader_window_days INTEGER NOT NULL DEFAULT 90,
    -- The local day of the last full recompute: every stored row is current as of that day.
    computed_on        TEXT,
    updated_at         TEXT
);
INSERT INTO lifecycle_rules (id) VALUES (1);

-- Kinds where the member speaks for the community (answers, shares, hosts): they make opinion
-- leaders.
ALTER TABLE activity_kinds ADD COLUMN voice INTEGER NOT NULL DEFAULT 0 CHECK (voice IN (0, 1));
UPDATE activity_kinds SET voice = 1 WHERE key IN ('answered', 'shared', 'hosted_event');

-- The full recompute reads (member_id, day, kind) of every live activity in member order: with
-- `kind` in the index that is one pass over the index, never a lookup into the table.
DROP INDEX activities_by_member;
CREATE INDEX activities_by_member ON activities (member_id, day, kind) WHERE voided_at IS NULL;

-- Days are the manager's local `YYYY-MM-DD`.
CREATE TABLE member_lifecycle (
    member_id             INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    -- The stored stage: promoted at once, demoted after `demotion_hold_days`.
    stage                 TEXT NOT NULL
        CHECK (stage IN ('new', 'active', 'loyal', 'core', 'dormant', 'churned')),
    -- Since when the stored stage has been what it is (the day Hearth first assessed it, at most).
    since                 TEXT NOT NULL,
    -- First day of the current run of days whose computed stage is lower than the stored one.
    lower_since           TEXT,
    -- What the rules give for today alone.
    computed_stage        TEXT NOT NULL
        CHECK (computed_stage IN ('new', 'active', 'loyal', 'core', 'dormant', 'churned')),
    -- The manager's word, which wins over the stored stage while set.
    override_stage        TEXT
        CHECK (override_stage IN ('new', 'active', 'loyal', 'core', 'dormant', 'churned')),
    override_reason       TEXT NOT NULL DEFAULT '',
    override_at           TEXT,
    opinion_leader        INTEGER NOT NULL DEFAULT 0 CHECK (opinion_leader IN (0, 1)),
    -- NULL: follow the rule; 0/1: the manager's word.
    opinion_leader_manual INTEGER CHECK (opinion_leader_manual IN (0, 1)),
    opinion_leader_reason TEXT NOT NULL DEFAULT '',
    last_active           TEXT,
    -- The day this row was last written (see also lifecycle_rules.computed_on).
    computed_on           TEXT NOT NULL
);
CREATE INDEX member_lifecycle_by_last_active ON member_lifecycle (last_active)
    WHERE last_active IS NOT NULL;

CREATE TABLE stage_history (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    from_stage TEXT NOT NULL,
    to_stage   TEXT NOT NULL,
    day        TEXT NOT NULL,
    cause      TEXT NOT NULL
        CHECK (cause IN ('promotion', 'demotion', 'override', 'override_cleared')),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX stage_history_by_member ON stage_history (member_id, id);
