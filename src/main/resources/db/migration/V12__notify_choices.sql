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

-- Clerks told too: each clerk's own choices (their profile in the clerks' area) and the
-- address they are told at. A clerk without a row is told nothing.
CREATE TABLE notify_clerk (
  user_id      INTEGER PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
  email        TEXT    NOT NULL,
  expiring     INTEGER NOT NULL DEFAULT 0 CHECK (expiring IN (0, 1)),     -- a scadenza within 48 h, services still down
  maintenance  INTEGER NOT NULL DEFAULT 0 CHECK (maintenance IN (0, 1)),  -- a maintenance about to start
  failing      INTEGER NOT NULL DEFAULT 0 CHECK (failing IN (0, 1)),      -- a webhook or mail delivery that keeps failing
  requests     INTEGER NOT NULL DEFAULT 0 CHECK (requests IN (0, 1)),     -- a subscriber's data request handled
  updated_at   INTEGER NOT NULL
);

-- Each clerks' alert once: written with its outbox rows in one transaction. ref names what it
-- is about (an avviso and its scadenza, an endpoint and a day, …).
CREATE TABLE notify_clerk_alert (
  kind       TEXT    NOT NULL,
  ref        TEXT    NOT NULL,
  queued_at  INTEGER NOT NULL,
  PRIMARY KEY (kind, ref)
);
