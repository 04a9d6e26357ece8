-- Issue 20, the clerks' part of notifications.

-- The clerk's "notify subscribers" choice now travels on update and edit events
-- (notify_subscribers). Events logged before it say what they meant then: updates told
-- subscribers, edits did not (outbox rows still waiting render these events again, and a
-- missing boolean would read as false). The log is append-only; its guard is lifted for this
-- one addition and put back as it was.
DROP TRIGGER event_log_no_update;
UPDATE event_log SET payload = json_set(payload, '$.notify_subscribers', json('true'))
 WHERE type = 'NoticeUpdated' AND json_type(payload, '$.notify_subscribers') IS NULL;
UPDATE event_log SET payload = json_set(payload, '$.notify_subscribers', json('false'))
 WHERE type = 'NoticeEdited' AND json_type(payload, '$.notify_subscribers') IS NULL;
CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
BEGIN
  SELECT RAISE(ABORT, 'event_log is append-only');
END;

