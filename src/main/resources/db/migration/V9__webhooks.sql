-- Webhook endpoints registered by administrators (issue 20). Their deliveries are rows of
-- notify_outbox (purpose 'webhook', endpoint_id), which is also their delivery log.
CREATE TABLE webhook_endpoint (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  url             TEXT    NOT NULL,
  description     TEXT    NOT NULL DEFAULT '',
  everything      INTEGER NOT NULL CHECK (everything IN (0, 1)),
  services        TEXT    NOT NULL DEFAULT '',
  groups          TEXT    NOT NULL DEFAULT '',
  kinds           TEXT    NOT NULL DEFAULT '',
  secret          TEXT    NOT NULL,              -- whsec_…: shown once at creation, kept to sign
  created_at      INTEGER NOT NULL,
  disabled_at     INTEGER,
  disabled_reason TEXT
);
CREATE INDEX notify_outbox_endpoint ON notify_outbox(endpoint_id, id);
