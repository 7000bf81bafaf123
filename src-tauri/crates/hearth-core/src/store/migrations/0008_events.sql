-- Events, who registered for them (and who came), and what they said afterwards.
-- Times are UTC stamps; `time_zone` is the IANA zone the event is held in, for display and print.

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    mode       TEXT NOT NULL CHECK (mode IN ('offline', 'online')),
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    time_zone  TEXT NOT NULL,
    venue      TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    -- Seats, companions included; NULL is unlimited.
    capacity   INTEGER CHECK (capacity IS NULL OR capacity > 0),
    notes      TEXT NOT NULL DEFAULT '',
    campaign   TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL CHECK (status IN ('draft', 'open', 'full', 'finished', 'cancelled')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX events_by_start ON events (starts_at, id);

CREATE TABLE registrations (
    id            INTEGER PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    status        TEXT NOT NULL
                  CHECK (status IN ('registered', 'waitlist', 'cancelled', 'attended', 'no_show', 'walk_in')),
    companions    INTEGER NOT NULL DEFAULT 0 CHECK (companions BETWEEN 0 AND 20),
    note          TEXT NOT NULL DEFAULT '',
    -- 'manual', 'jielong', 'import:<batch>', 'door'.
    source        TEXT NOT NULL DEFAULT 'manual',
    registered_at TEXT NOT NULL,
    checked_in_at TEXT,
    -- The status a check-in replaced, so the door's Undo puts it back exactly.
    status_before_checkin TEXT,
    updated_at    TEXT NOT NULL,
    UNIQUE (event_id, member_id)
);
CREATE INDEX registrations_by_member ON registrations (member_id);
CREATE INDEX registrations_by_status ON registrations (event_id, status, registered_at, id);

CREATE TABLE event_feedback (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- NULL for an anonymous answer; erasing a member erases their answers.
    member_id  INTEGER REFERENCES members (id) ON DELETE CASCADE,
    -- Satisfaction 1–5 and "how likely to recommend" 0–10; either may be missing.
    score      INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 5),
    nps        INTEGER CHECK (nps IS NULL OR nps BETWEEN 0 AND 10),
    comment    TEXT NOT NULL DEFAULT '',
    -- 'manual' or the file it came from.
    source     TEXT NOT NULL DEFAULT 'manual',
    created_at TEXT NOT NULL
);
CREATE INDEX event_feedback_by_event ON event_feedback (event_id);
CREATE INDEX event_feedback_by_member ON event_feedback (member_id);

-- Registrations a merge moved from the merged member to the one kept, so undoing the merge
-- moves exactly those back.
CREATE TABLE merge_registrations (
    merge_id        INTEGER NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    PRIMARY KEY (merge_id, registration_id)
) WITHOUT ROWID;
