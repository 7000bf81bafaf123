-- The content calendar, second part: an item's campaign becomes a real key (deleting a campaign
-- leaves its posts without one), and the knowledge library (知识沉淀): evergreen pieces and FAQ
-- answers kept for reuse.

-- SQLite adds a foreign key only by rebuilding the table. Dropping content_items with foreign
-- keys on would cascade to the rows that point at it, so those are kept aside and put back once
-- the new table has the old name. Campaign ids that point nowhere are cleared first.
CREATE TEMP TABLE keep_item_channels AS SELECT item_id, channel_id FROM content_item_channels;
CREATE TEMP TABLE keep_merge_owners AS SELECT merge_id, item_id FROM merge_content_owners;

CREATE TABLE content_items_v2 (
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
    -- The campaign it belongs to; the item stays when the campaign is deleted.
    campaign_id     INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
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
INSERT INTO content_items_v2 (id, title, body, status, planned_at, published_at, link,
                              owner_member_id, event_id, campaign_id, slot_id, tags, notes,
                              created_at, updated_at)
    SELECT id, title, body, status, planned_at, published_at, link, owner_member_id, event_id,
           CASE WHEN campaign_id IN (SELECT id FROM campaigns) THEN campaign_id END,
           slot_id, tags, notes, created_at, updated_at
      FROM content_items;
DROP TABLE content_items;
ALTER TABLE content_items_v2 RENAME TO content_items;
CREATE INDEX content_items_shown ON content_items (shown_at, id);
CREATE INDEX content_items_by_owner ON content_items (owner_member_id)
    WHERE owner_member_id IS NOT NULL;
CREATE INDEX content_items_by_campaign ON content_items (campaign_id)
    WHERE campaign_id IS NOT NULL;
CREATE INDEX content_items_by_event ON content_items (event_id) WHERE event_id IS NOT NULL;
INSERT INTO content_item_channels (item_id, channel_id)
    SELECT item_id, channel_id FROM keep_item_channels;
INSERT INTO merge_content_owners (merge_id, item_id)
    SELECT merge_id, item_id FROM keep_merge_owners;
DROP TABLE keep_item_channels;
DROP TABLE keep_merge_owners;

-- The knowledge library: a piece worth posting again (evergreen) or a question members keep
-- asking with its answer (faq). It may come from a published item and its channel; both stay
-- optional (the entry outlives them). `reuse_count` counts the items planned again from it.
CREATE TABLE content_library (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('evergreen', 'faq')),
    -- The piece's title, or the FAQ's question.
    title          TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    -- The text, or the FAQ's answer.
    body           TEXT NOT NULL DEFAULT '',
    -- JSON array of strings.
    tags           TEXT NOT NULL DEFAULT '[]',
    source_item_id INTEGER REFERENCES content_items (id) ON DELETE SET NULL,
    channel_id     INTEGER REFERENCES content_channels (id) ON DELETE SET NULL,
    reuse_count    INTEGER NOT NULL DEFAULT 0 CHECK (reuse_count >= 0),
    last_reused_at TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- An item is kept once.
CREATE UNIQUE INDEX content_library_by_source ON content_library (source_item_id)
    WHERE source_item_id IS NOT NULL;
CREATE INDEX content_library_by_updated ON content_library (updated_at, id);
