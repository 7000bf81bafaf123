-- Rollups for the dashboards and the windowed leaderboards: what the activities ledger says per
-- member per local day, and per day for everyone, kept in the same transaction as every write
-- that changes them (store/rollups.rs says who writes them; `hearth metrics rebuild` recomputes
-- them from the ledger).
--
-- Only counted members have rows: not in the trash, not merged into another (a merged member's
-- activities moved to the member kept). Only live (not voided) activities count.

-- One row per member and local day with at least one live activity.
CREATE TABLE member_days (
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    activities INTEGER NOT NULL CHECK (activities > 0),
    -- Net points the ledger holds for that day's live activities (claw-backs included).
    points     INTEGER NOT NULL,
    PRIMARY KEY (member_id, day)
) WITHOUT ROWID;
-- Windows (DAU/WAU/MAU, leaderboards) read days in a range from this index alone.
CREATE INDEX member_days_by_day ON member_days (day, member_id, points);

-- The sums of member_days per day: one row per day with at least one active member.
CREATE TABLE daily_totals (
    day            TEXT PRIMARY KEY,
    activities     INTEGER NOT NULL,
    active_members INTEGER NOT NULL,
    points         INTEGER NOT NULL
) WITHOUT ROWID;

-- A member deleted for good (erase, an import's undo) takes their days out of the totals before
-- the foreign key cascades their rows away.
CREATE TRIGGER member_days_leave_totals BEFORE DELETE ON members
BEGIN
    UPDATE daily_totals
       SET activities = activities - (SELECT activities FROM member_days d
                                       WHERE d.member_id = OLD.id AND d.day = daily_totals.day),
           points = points - (SELECT points FROM member_days d
                               WHERE d.member_id = OLD.id AND d.day = daily_totals.day),
           active_members = active_members - 1
     WHERE day IN (SELECT day FROM member_days WHERE member_id = OLD.id);
    DELETE FROM daily_totals
     WHERE active_members = 0 AND day IN (SELECT day FROM member_days WHERE member_id = OLD.id);
END;

-- Joining day (joined_at, else when the record was created; the UTC date as lifecycle reads it)
-- of counted members: growth and cohorts read ranges of it.
CREATE INDEX members_by_joined_day ON members (substr(coalesce(joined_at, created_at), 1, 10), id)
    WHERE deleted_at IS NULL;

-- What is already in the database.
INSERT INTO member_days (member_id, day, activities, points)
SELECT a.member_id, a.day, count(*),
       coalesce(sum((SELECT sum(p.delta) FROM points_ledger p WHERE p.activity_id = a.id)), 0)
  FROM activities a JOIN members m ON m.id = a.member_id
 WHERE a.voided_at IS NULL AND m.deleted_at IS NULL
 GROUP BY a.member_id, a.day;
INSERT INTO daily_totals (day, activities, active_members, points)
SELECT day, sum(activities), count(*), sum(points) FROM member_days GROUP BY day;

-- Credit deductions in a date range (the dashboards' credit tile).
CREATE INDEX credit_entries_by_time ON credit_entries (occurred_at) WHERE voided_at IS NULL;
