-- The plan's metrics read the rollups of migration 0021 (`member_days`, `daily_totals`) like the
-- dashboards: nothing reads activities by day any more, and every logged activity paid for this
-- index (0017 dropped it for that reason; 0020 brought it back for the plan's first reads).
DROP INDEX activities_by_day;

-- The opinion leaders (the manager's word, or else the rule's): a handful of members, found
-- without reading every member's lifecycle row.
CREATE INDEX member_lifecycle_opinion_leaders ON member_lifecycle (member_id)
    WHERE coalesce(opinion_leader_manual, opinion_leader) = 1;
