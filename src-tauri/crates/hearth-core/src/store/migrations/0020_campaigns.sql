-- The community plan (positioning, target segments, goals measured from the data), campaigns
-- toward it with their tasks, partners, budget lines and funding, and the indexes the metrics
-- read. Days are the manager's local `YYYY-MM-DD`; money is integer fen with its currency.

-- One row: the positioning of the community.
CREATE TABLE plan (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    audience    TEXT NOT NULL DEFAULT '',
    core_value  TEXT NOT NULL DEFAULT '',
    tone        TEXT NOT NULL DEFAULT '',
    rules_link  TEXT NOT NULL DEFAULT '',
    updated_at  TEXT
);
INSERT INTO plan (id) VALUES (1);

-- The plan's target audience: saved segments.
CREATE TABLE plan_segments (
    segment_id INTEGER PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    goal           TEXT NOT NULL DEFAULT '',
    starts_on      TEXT NOT NULL,
    ends_on        TEXT NOT NULL,
    channels       TEXT NOT NULL DEFAULT '',
    owner          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('planned', 'running', 'finished', 'cancelled')),
    what_worked    TEXT NOT NULL DEFAULT '',
    what_to_change TEXT NOT NULL DEFAULT '',
    -- JSON: each KPI's value on the day the campaign finished (kept with the retrospective).
    end_numbers    TEXT,
    finished_on    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX campaigns_by_start ON campaigns (starts_on, id);

-- Goals (KPIs): the plan's (campaign_id NULL) and each campaign's.
CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER REFERENCES campaigns (id) ON DELETE CASCADE,
    metric      TEXT NOT NULL,
    -- The name of a manual metric; a label for computed ones.
    label       TEXT NOT NULL DEFAULT '',
    -- The value on `start_on`, captured when the goal starts (NULL until then).
    baseline    REAL,
    target      REAL NOT NULL,
    start_on    TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    CHECK (due_on >= start_on)
);
CREATE INDEX goals_by_campaign ON goals (campaign_id, position, id);

-- Values of manual metrics, entered by hand with their day.
CREATE TABLE goal_readings (
    id      INTEGER PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    day     TEXT NOT NULL,
    value   REAL NOT NULL,
    note    TEXT NOT NULL DEFAULT '',
    UNIQUE (goal_id, day)
);

CREATE TABLE campaign_events (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, event_id)
) WITHOUT ROWID;

CREATE TABLE campaign_segments (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    segment_id  INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, segment_id)
) WITHOUT ROWID;

CREATE TABLE campaign_members (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (campaign_id, member_id)
) WITHOUT ROWID;
CREATE INDEX campaign_members_by_member ON campaign_members (member_id);

CREATE TABLE partners (
    id           INTEGER PRIMARY KEY,
    organisation TEXT NOT NULL CHECK (length(organisation) BETWEEN 1 AND 200),
    contact      TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    -- Comma-separated: venue, prizes, money, audience.
    contributes  TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('prospect', 'active', 'paused', 'ended')),
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE campaign_partners (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    partner_id  INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    -- What they brought to this campaign.
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, partner_id)
) WITHOUT ROWID;
CREATE INDEX campaign_partners_by_partner ON campaign_partners (partner_id);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    -- 'manager', 'member' (see task_owners) or 'partner' (owner_partner_id).
    owner_kind  TEXT NOT NULL CHECK (owner_kind IN ('manager', 'member', 'partner')),
    owner_partner_id INTEGER REFERENCES partners (id) ON DELETE SET NULL,
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done')),
    done_at     TEXT,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE INDEX tasks_by_campaign ON tasks (campaign_id, due_on, id);
CREATE INDEX tasks_open_by_due ON tasks (due_on, id) WHERE status <> 'done';

-- The member who volunteered to own a task. Erasing the member removes this row: the task
-- stays, with no member owner.
CREATE TABLE task_owners (
    task_id   INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE
);
CREATE INDEX task_owners_by_member ON task_owners (member_id);

CREATE TABLE task_checklist (
    id       INTEGER PRIMARY KEY,
    task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    text     TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200),
    done     INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX task_checklist_by_task ON task_checklist (task_id, position);

CREATE TABLE budget_lines (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    category    TEXT NOT NULL CHECK (category IN ('venue', 'food', 'prizes', 'printing',
                                                  'transport', 'promotion', 'other')),
    label       TEXT NOT NULL DEFAULT '',
    planned_fen INTEGER NOT NULL CHECK (planned_fen >= 0),
    actual_fen  INTEGER NOT NULL DEFAULT 0 CHECK (actual_fen >= 0),
    currency    TEXT NOT NULL DEFAULT 'CNY' CHECK (length(currency) = 3)
);
CREATE INDEX budget_lines_by_campaign ON budget_lines (campaign_id);

CREATE TABLE funding (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    source      TEXT NOT NULL CHECK (source IN ('sponsorship', 'company', 'member_fees', 'other')),
    partner_id  INTEGER REFERENCES partners (id) ON DELETE SET NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    currency    TEXT NOT NULL DEFAULT 'CNY' CHECK (length(currency) = 3),
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX funding_by_campaign ON funding (campaign_id);

-- Campaign memberships and task owners a merge moved to the member kept, so undoing the merge
-- moves exactly those back.
CREATE TABLE merge_campaign_rows (
    merge_id INTEGER NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('campaign', 'task')),
    row_id   INTEGER NOT NULL,
    PRIMARY KEY (merge_id, kind, row_id)
) WITHOUT ROWID;

-- Metrics: who was active on a day (DAU, WAU, MAU, interactions) is read by day, not by member.
CREATE INDEX activities_by_day ON activities (day, member_id) WHERE voided_at IS NULL;
-- Members by the day they joined (joined_at, or created_at when it is not known).
CREATE INDEX members_by_joined_or_created ON members (coalesce(joined_at, created_at))
    WHERE deleted_at IS NULL;
