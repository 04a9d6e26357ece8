-- Residents told, not only shown (issue 20): subscribers, their single-use tokens, and the
-- transactional outbox every mail (and webhook delivery) goes through.

-- A resident's subscription. Stored: the address, the choices, the language, the instants of
-- consent and confirmation; nothing else (no client address). Unconfirmed rows live 48 hours.
CREATE TABLE notify_subscriber (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: the manage link signs it
  email            TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  language         TEXT    NOT NULL,
  everything       INTEGER NOT NULL CHECK (everything IN (0, 1)),
  services         TEXT    NOT NULL DEFAULT '',   -- service ids followed, ",3,5,"
  groups           TEXT    NOT NULL DEFAULT '',   -- group ids followed, ",1,"
  kinds            TEXT    NOT NULL DEFAULT '',   -- kinds of avviso followed whatever the service, ",sicurezza,"
  consent_at       INTEGER NOT NULL,
  confirmed_at     INTEGER,
  confirm_sent_at  INTEGER,                        -- the last confirmation (or reminder) mail: at most one an hour
  last_mail_at     INTEGER,                        -- the last mail of events: the batching window starts there
  bounces          INTEGER NOT NULL DEFAULT 0,
  suspended_at     INTEGER                         -- after 3 permanent failures nothing more is sent
);
CREATE INDEX notify_subscriber_unconfirmed ON notify_subscriber(confirmed_at, consent_at);

-- Confirmation tokens: only their SHA-256 is kept; single use, 48 hours.
CREATE TABLE notify_token (
  hash           TEXT    PRIMARY KEY,
  subscriber_id  INTEGER NOT NULL REFERENCES notify_subscriber(id) ON DELETE CASCADE,
  expires_at     INTEGER NOT NULL
);
CREATE INDEX notify_token_subscriber ON notify_token(subscriber_id);

-- Every message due, recorded before it is sent. state: pending -> sending (claimed by the
-- sender) -> sent | failed; a restart puts rows left in 'sending' back to 'pending' (only the
-- one in flight at a crash can go out twice).
CREATE TABLE notify_outbox (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  purpose        TEXT    NOT NULL,              -- confirm, reminder, events, webhook
  subscriber_id  INTEGER REFERENCES notify_subscriber(id) ON DELETE CASCADE,
  endpoint_id    INTEGER,
  payload        TEXT    NOT NULL,              -- JSON: the event sequence numbers, or a confirmation token until sent
  created_at     INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,
  attempts       INTEGER NOT NULL DEFAULT 0,
  state          TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  claimed_at     INTEGER,
  done_at        INTEGER,
  last_error     TEXT
);
CREATE INDEX notify_outbox_due ON notify_outbox(state, due_at);
CREATE INDEX notify_outbox_subscriber ON notify_outbox(subscriber_id, state);

-- The last event turned into outbox rows, written in the same transaction as the rows: an
-- event batch delivered again after a crash adds nothing twice.
CREATE TABLE notify_progress (
  name  TEXT    PRIMARY KEY,
  seq   INTEGER NOT NULL
);

-- The key that signs manage links and form tokens, made once at first start.
CREATE TABLE notify_secret (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  key  BLOB    NOT NULL
);
