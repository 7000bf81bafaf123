-- Every logged activity is written into each index of `activities` and of `points_ledger`.
-- Two of them answered no query: activities by (day, member) and the ledger by (created_at,
-- member). The windowed leaderboards read activities by day through activities_by_member and
-- the ledger rows not tied to an activity (grants, deductions, redemptions, claw-backs — never
-- written by logging) through the small partial index below.
DROP INDEX activities_by_day;
DROP INDEX points_by_time;
CREATE INDEX points_unlinked_by_time ON points_ledger (created_at) WHERE activity_id IS NULL;

-- Badges the manager took away by hand, per member: the badge check after logging looks them
-- up for every member who newly meets a rule (it scanned the whole table before).
CREATE INDEX member_badges_revoked_by_hand ON member_badges (member_id, badge_key)
    WHERE revoked_by = 'manual';

-- Spending per member. Points earned (badges, the all-time leaderboard) = the balance, read
-- from points_by_member_delta alone, less this; logging never writes a row here.
CREATE INDEX points_spent ON points_ledger (member_id, delta)
    WHERE reason IN ('redeem', 'redeem_undo');

-- Erasing a member now also blanks the invites that named them (an id can be given to someone
-- new, who must not inherit a stranger's invite); do the same for members erased before.
UPDATE activities SET ref = ''
 WHERE kind = 'invited' AND ref LIKE 'member:%'
   AND CAST(substr(ref, 8) AS INTEGER) NOT IN (SELECT id FROM members);
