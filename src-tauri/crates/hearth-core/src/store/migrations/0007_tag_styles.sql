-- Tags get a colour and a group (活动 / 身份 / 兴趣 …), and an assignment can expire: campaign
-- tags fall off on their day.

ALTER TABLE tags ADD COLUMN color TEXT NOT NULL DEFAULT '';
ALTER TABLE tags ADD COLUMN tag_group TEXT NOT NULL DEFAULT '';
-- 'YYYY-MM-DD': the last day the member carries the tag.
ALTER TABLE member_tags ADD COLUMN expires_on TEXT;
CREATE INDEX member_tags_expiring ON member_tags (expires_on) WHERE expires_on IS NOT NULL;
