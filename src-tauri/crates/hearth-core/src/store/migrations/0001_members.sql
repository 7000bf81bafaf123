-- Members, their identities and tags, and app settings.
-- Timestamps are RFC 3339 UTC text with whole seconds (fixed width, so they sort as text).

CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    pinyin       TEXT NOT NULL DEFAULT '',
    sort_key     TEXT NOT NULL,
    search_text  TEXT NOT NULL DEFAULT '',
    joined_at    TEXT,
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX members_by_name    ON members (sort_key, id)   WHERE deleted_at IS NULL;
CREATE INDEX members_by_joined  ON members (joined_at, id)  WHERE deleted_at IS NULL;
CREATE INDEX members_by_created ON members (created_at, id) WHERE deleted_at IS NULL;

CREATE TABLE identities (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'wechat', 'qq')),
    value      TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    source     TEXT NOT NULL DEFAULT 'manual',
    created_at TEXT NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX identities_by_member ON identities (member_id, position);

CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL
);

CREATE TABLE member_tags (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    tag_id    INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (member_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX member_tags_by_tag ON member_tags (tag_id, member_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
