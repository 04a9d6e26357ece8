-- Tokens of the write API: each acts as its user. Only the SHA-256 of the token is stored
-- (the token itself is shown once, at creation). Revoked tokens stay, for the audit log.
CREATE TABLE api_token (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES app_user(id),
  name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash   TEXT    NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_token_user_idx ON api_token(user_id);
