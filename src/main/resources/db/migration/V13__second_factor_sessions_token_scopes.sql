-- A clerk's account as the way in (issue 23): second factors, visible sessions, token scopes.

-- The TOTP factor of a user (RFC 6238). The secret is the shared key the authenticator app
-- holds: it cannot be hashed, so the database file and its backups must be guarded as the
-- passwords' hashes are. last_step is the 30-second step of the last code accepted: a code
-- of that step or an earlier one is never accepted again. pending_secret is an enrolment
-- shown as a QR code and not yet confirmed with a code.
CREATE TABLE totp_factor (
  user_id        INTEGER PRIMARY KEY REFERENCES app_user(id),
  secret         TEXT,
  confirmed_at   INTEGER,
  last_step      INTEGER NOT NULL DEFAULT -1,
  pending_secret TEXT,
  pending_at     INTEGER,
  CHECK ((secret IS NULL) = (confirmed_at IS NULL)),
  CHECK ((pending_secret IS NULL) = (pending_at IS NULL))
);

-- Ten single-use codes for a lost phone; only their SHA-256 is kept (80 random bits each).
CREATE TABLE recovery_code (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES app_user(id),
  code_hash  TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX recovery_code_user_idx ON recovery_code(user_id);

-- Whether a role must sign in with a second factor, as administrators chose it; a role with
-- no row follows the configuration (admin.second.factor.roles).
CREATE TABLE second_factor_policy (
  role       TEXT    PRIMARY KEY,
  required   INTEGER NOT NULL CHECK (required IN (0, 1)),
  changed_at INTEGER NOT NULL
);

-- Sessions gain what their owner sees of them (a handle to end one, the browser, the
-- address's network prefix) and a stage: a session that has passed the password only may
-- open the second-factor page ('second-factor') or the enrolment ('enrol'), nothing else.
-- Open sessions are ended once, by this upgrade: they would have no handle.
DELETE FROM admin_session;
ALTER TABLE admin_session ADD COLUMN handle TEXT NOT NULL DEFAULT '';
ALTER TABLE admin_session ADD COLUMN stage TEXT NOT NULL DEFAULT 'signed-in'
  CHECK (stage IN ('signed-in', 'second-factor', 'enrol'));
ALTER TABLE admin_session ADD COLUMN browser TEXT NOT NULL DEFAULT '';
ALTER TABLE admin_session ADD COLUMN address_prefix TEXT NOT NULL DEFAULT '';

-- Write-API tokens get scopes (which kinds of write: comma-separated keys) and an expiry.
-- Tokens made before keep every write they had, and expire one year after this upgrade.
ALTER TABLE api_token ADD COLUMN scopes TEXT NOT NULL DEFAULT 'notices:create,notices:update,notices:close';
ALTER TABLE api_token ADD COLUMN expires_at INTEGER;
UPDATE api_token SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 365 * 86400000
 WHERE revoked_at IS NULL;

-- Passkeys (WebAuthn credentials) used as a second factor: the attested credential data the
-- authenticator gave at registration (its id, AAGUID and public key; no secret) and the
-- signature counter it last reported.
CREATE TABLE passkey (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES app_user(id),
  credential_id TEXT    NOT NULL UNIQUE,
  credential    BLOB    NOT NULL,
  sign_count    INTEGER NOT NULL DEFAULT 0,
  name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
);
CREATE INDEX passkey_user_idx ON passkey(user_id);
