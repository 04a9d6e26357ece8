-- The clerks' area: accounts, sessions, login attempts, the audit log and the previous
-- versions of edited avvisi. Instants are INTEGER epoch milliseconds, as in V1.

-- A person who writes avvisi (redattore) or also manages services, providers and users
-- (amministratore). Accounts are deactivated, never deleted: the audit log names them.
CREATE TABLE app_user (
  id                  INTEGER PRIMARY KEY,
  username            TEXT    NOT NULL UNIQUE CHECK (username = lower(username) AND length(username) BETWEEN 3 AND 40),
  display_name        TEXT    NOT NULL CHECK (length(display_name) > 0),
  password_hash       TEXT    NOT NULL,
  role                TEXT    NOT NULL CHECK (role IN ('redattore', 'amministratore')),
  active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  password_changed_at INTEGER NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);

-- A signed-in browser. Only the SHA-256 of the cookie value is stored, so that a copy of
-- the database (a backup) does not hand out live sessions.
CREATE TABLE admin_session (
  id_hash      TEXT    PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES app_user(id),
  csrf_token   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX admin_session_user_idx ON admin_session(user_id);

-- Every login attempt, for throttling per account and per client address.
CREATE TABLE login_attempt (
  id        INTEGER PRIMARY KEY,
  username  TEXT    NOT NULL,
  address   TEXT    NOT NULL,
  succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
  at        INTEGER NOT NULL
);
CREATE INDEX login_attempt_user_idx ON login_attempt(username, at);
CREATE INDEX login_attempt_address_idx ON login_attempt(address, at);

-- Who changed what, when, with the record before and after (JSON). Append-only: the
-- triggers refuse any UPDATE or DELETE, whoever asks.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  user_id     INTEGER REFERENCES app_user(id),
  username    TEXT    NOT NULL,
  address     TEXT    NOT NULL DEFAULT '',
  action      TEXT    NOT NULL,
  entity      TEXT    NOT NULL,
  entity_id   INTEGER,
  summary     TEXT    NOT NULL DEFAULT '',
  before_json TEXT,
  after_json  TEXT
);
CREATE INDEX audit_log_entity_idx ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The text of an avviso as it was before each edit (number 1 is the oldest version), with
-- who replaced it and when. Append-only, like the audit log.
CREATE TABLE notice_revision (
  id          INTEGER PRIMARY KEY,
  notice_id   INTEGER NOT NULL REFERENCES notice(id),
  number      INTEGER NOT NULL CHECK (number >= 1),
  title       TEXT    NOT NULL,
  summary     TEXT    NOT NULL,
  body        TEXT    NOT NULL,
  replaced_by TEXT    NOT NULL,
  replaced_at INTEGER NOT NULL,
  UNIQUE (notice_id, number)
);
CREATE TRIGGER notice_revision_no_update BEFORE UPDATE ON notice_revision
BEGIN
  SELECT RAISE(ABORT, 'notice_revision is append-only');
END;
CREATE TRIGGER notice_revision_no_delete BEFORE DELETE ON notice_revision
BEGIN
  SELECT RAISE(ABORT, 'notice_revision is append-only');
END;
