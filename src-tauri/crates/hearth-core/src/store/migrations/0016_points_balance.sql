-- A member's balance (the member panel, the segment filter on points, redemption checks) is the
-- sum of their ledger rows; with `delta` in the index it is read from the index alone instead of
-- one table lookup per row. The new index starts with member_id, so it also serves everything
-- the old one did.
CREATE INDEX points_by_member_delta ON points_ledger (member_id, delta);
DROP INDEX points_by_member;
