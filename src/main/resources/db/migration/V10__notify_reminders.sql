-- The planned maintenances whose reminder mails are queued: each one once (issue 20).
CREATE TABLE notify_reminder (
  notice_id  INTEGER PRIMARY KEY,
  queued_at  INTEGER NOT NULL
);
