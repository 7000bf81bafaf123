-- The dashboards and leaderboards at 500,000 members and millions of activities.
--
-- member_totals: per counted member, the sums of their member_days rows (live activities and the
-- points the ledger holds for them) and their last active day. Kept by the same code as
-- member_days (store/rollups.rs), in the same transaction; rebuilt by `hearth metrics rebuild`.
-- "Active since D" for a range that reaches the last active day of the community is a range of
-- `member_totals_by_last_day`; the all-time leaderboard walks `member_totals_by_points`.
CREATE TABLE member_totals (
    member_id  INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    activities INTEGER NOT NULL CHECK (activities > 0),
    points     INTEGER NOT NULL,
    last_day   TEXT NOT NULL
);
CREATE INDEX member_totals_by_last_day ON member_totals (last_day);
CREATE INDEX member_totals_by_points ON member_totals (points DESC, member_id);

INSERT INTO member_totals (member_id, activities, points, last_day)
SELECT member_id, sum(activities), sum(points), max(day) FROM member_days GROUP BY member_id;

-- Windows (top contributors, leaderboards, WAU/MAU) sum activities and points per member over a
-- range of days: with activities in the index too, they read the index alone.
DROP INDEX member_days_by_day;
CREATE INDEX member_days_by_day ON member_days (day, member_id, points, activities);

-- The lifecycle tile's stage changes in a date range (it read the whole history before).
CREATE INDEX stage_history_by_day ON stage_history (day, member_id);

-- Members per stage everyone sees: counted from this index alone.
CREATE INDEX member_lifecycle_by_stage ON member_lifecycle (coalesce(override_stage, stage));
