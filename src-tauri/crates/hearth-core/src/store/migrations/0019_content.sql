-- The content calendar: the channels the manager posts to by hand, what goes into them (ideas,
-- drafts, planned slots, what was published and where), recurring slots that plan items ahead,
-- and SOP templates (a checklist of posts around an event).
-- Times are UTC stamps; days and times are planned in the community's zone (ops::content).

CREATE TABLE content_channels (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    kind        TEXT NOT NULL CHECK (kind IN ('wechat_group', 'official_account', 'weibo',
                                               'qq_group', 'forum', 'newsletter', 'xiaohongshu',
                                               'other')),
    -- `#rrggbb`.
    colour      TEXT NOT NULL,
    -- People who read it (members of the group, followers); 0 when unknown.
    audience    INTEGER NOT NULL DEFAULT 0 CHECK (audience >= 0),
    -- The group rules (群规) as the manager keeps them.
    rules       TEXT NOT NULL DEFAULT '',
    -- More posts than this on one day in this channel is overload.
    daily_limit INTEGER NOT NULL DEFAULT 2 CHECK (daily_limit BETWEEN 1 AND 50),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE content_slots (
    id           INTEGER PRIMARY KEY,
    channel_id   INTEGER NOT NULL REFERENCES content_channels (id) ON DELETE CASCADE,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    -- 'weekly' on `weekdays` (bit 0 Monday … bit 6 Sunday); 'monthly_weekday': the `nth`
    -- (1–4, or -1 for the last) `weekday` (0 Monday … 6 Sunday); 'monthly_day': day `day` of the
    -- month, the last day in shorter months.
    rule         TEXT NOT NULL CHECK (rule IN ('weekly', 'monthly_weekday', 'monthly_day')),
    weekdays     INTEGER NOT NULL DEFAULT 0 CHECK (weekdays BETWEEN 0 AND 127),
    nth          INTEGER NOT NULL DEFAULT 0 CHECK (nth BETWEEN -1 AND 4),
    weekday      INTEGER NOT NULL DEFAULT 0 CHECK (weekday BETWEEN 0 AND 6),
    day          INTEGER NOT NULL DEFAULT 0 CHECK (day BETWEEN 0 AND 31),
    -- `HH:MM` in `time_zone`.
    time         TEXT NOT NULL,
    time_zone    TEXT NOT NULL,
    -- Local days, `YYYY-MM-DD`; no end is open.
    starts_on    TEXT NOT NULL,
    ends_on      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE content_items (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL
                    CHECK (status IN ('idea', 'draft', 'planned', 'published', 'skipped')),
    planned_at      TEXT,
    published_at    TEXT,
    link            TEXT NOT NULL DEFAULT '',
    -- A volunteer who writes it (周报); the item stays when they are erased.
    owner_member_id INTEGER REFERENCES members (id) ON DELETE SET NULL,
    event_id        INTEGER REFERENCES events (id) ON DELETE SET NULL,
    -- The campaign it belongs to; its key is added when campaigns exist.
    campaign_id     INTEGER,
    -- The recurring slot that planned it.
    slot_id         INTEGER REFERENCES content_slots (id) ON DELETE SET NULL,
    -- JSON array of strings.
    tags            TEXT NOT NULL DEFAULT '[]',
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- Where the calendar shows it: when it went out, else when it is planned.
    shown_at        TEXT GENERATED ALWAYS AS (COALESCE(published_at, planned_at)) VIRTUAL,
    CHECK (status <> 'planned' OR planned_at IS NOT NULL),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX content_items_shown ON content_items (shown_at, id);
CREATE INDEX content_items_by_owner ON content_items (owner_member_id)
    WHERE owner_member_id IS NOT NULL;
CREATE INDEX content_items_by_campaign ON content_items (campaign_id)
    WHERE campaign_id IS NOT NULL;
CREATE INDEX content_items_by_event ON content_items (event_id) WHERE event_id IS NOT NULL;

CREATE TABLE content_item_channels (
    item_id    INTEGER NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES content_channels (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, channel_id)
) WITHOUT ROWID;
CREATE INDEX content_item_channels_by_channel ON content_item_channels (channel_id, item_id);

-- The local days a slot has already planned an item for: planning ahead again adds nothing, and
-- an item moved or deleted by the manager is not planned a second time.
CREATE TABLE content_slot_runs (
    slot_id INTEGER NOT NULL REFERENCES content_slots (id) ON DELETE CASCADE,
    day     TEXT NOT NULL,
    PRIMARY KEY (slot_id, day)
) WITHOUT ROWID;

-- SOP templates: posts at day offsets around an event's start.
CREATE TABLE content_sops (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    created_at TEXT NOT NULL
);
CREATE TABLE content_sop_steps (
    sop_id      INTEGER NOT NULL REFERENCES content_sops (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    offset_days INTEGER NOT NULL CHECK (offset_days BETWEEN -365 AND 365),
    time        TEXT NOT NULL,
    channel_id  INTEGER REFERENCES content_channels (id) ON DELETE SET NULL,
    PRIMARY KEY (sop_id, position)
) WITHOUT ROWID;

-- Owners a merge moved from the merged member to the one kept, so its undo moves exactly those back.
CREATE TABLE merge_content_owners (
    merge_id INTEGER NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
    item_id  INTEGER NOT NULL REFERENCES content_items (id) ON DELETE CASCADE,
    PRIMARY KEY (merge_id, item_id)
) WITHOUT ROWID;
