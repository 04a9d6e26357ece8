-- Every committed change, as a typed event, in the order it was committed (seq never reused:
-- AUTOINCREMENT). Subscribers (caches, the static copy, mail, webhooks) read it from their own
-- cursor, so a subscriber that was down, or a crash between commit and delivery, loses nothing.
CREATE TABLE event_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,            -- the instant of the change (epoch ms)
  type       TEXT    NOT NULL,            -- the kind of event (its record), e.g. NoticePublished
  public     INTEGER NOT NULL CHECK (public IN (0, 1)),
  notice_id  INTEGER,
  payload    TEXT    NOT NULL             -- the event as JSON
);
CREATE INDEX event_log_public_seq ON event_log(public, seq);
CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
BEGIN
  SELECT RAISE(ABORT, 'event_log is append-only');
END;
CREATE TRIGGER event_log_no_delete BEFORE DELETE ON event_log
BEGIN
  SELECT RAISE(ABORT, 'event_log is append-only');
END;

-- Where each durable subscriber has got to in the log.
CREATE TABLE event_cursor (
  subscriber  TEXT    PRIMARY KEY,
  seq         INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- The instant up to which time has been turned into events (scheduled publications, expiries,
-- maintenance windows, midnights): each falls due once, after a restart too.
CREATE TABLE event_clock (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  last_instant  INTEGER NOT NULL
);
