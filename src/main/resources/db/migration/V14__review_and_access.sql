-- Two pairs of eyes, access review and single sign-on (issue 23). Instants are INTEGER epoch
-- milliseconds, as everywhere.

-- A request that another clerk approve an avviso before it goes out (notice.NoticeDesk),
-- and its outcome. version is the digest of the draft the request was made for: the
-- approver approves that text, and an edit of the draft cancels the request. At most one
-- request per avviso is open (decided_at NULL).
CREATE TABLE notice_approval (
  id              INTEGER PRIMARY KEY,
  notice_id       INTEGER NOT NULL REFERENCES notice(id),
  requested_by    INTEGER REFERENCES app_user(id),
  requested_name  TEXT    NOT NULL,
  requested_at    INTEGER NOT NULL,
  version         TEXT    NOT NULL,
  decided_by      INTEGER REFERENCES app_user(id),
  decided_name    TEXT,
  decided_at      INTEGER,
  outcome         TEXT    CHECK (outcome IN ('approvato', 'rifiutato', 'annullato')),
  reason          TEXT    NOT NULL DEFAULT '',
  CHECK ((decided_at IS NULL) = (outcome IS NULL))
);
CREATE UNIQUE INDEX notice_approval_open_idx ON notice_approval(notice_id) WHERE decided_at IS NULL;
CREATE INDEX notice_approval_decided_idx ON notice_approval(decided_at);

-- Access review ("verifica delle abilitazioni", admin.AccessReview): when each account last
-- signed in and was last active (a page, an API call), and when it was suspended for disuse
-- (NULL: never, or reactivated since).
ALTER TABLE app_user ADD COLUMN last_login_at INTEGER;
ALTER TABLE app_user ADD COLUMN last_activity_at INTEGER;
ALTER TABLE app_user ADD COLUMN suspended_at INTEGER;

-- Each periodic review an administrator confirmed, with how many accounts it covered and a
-- note. Append-only, like the audit log (which records the list reviewed).
CREATE TABLE access_review (
  id           INTEGER PRIMARY KEY,
  confirmed_at INTEGER NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES app_user(id),
  username     TEXT    NOT NULL,
  accounts     INTEGER NOT NULL CHECK (accounts >= 0),
  note         TEXT    NOT NULL DEFAULT ''
);
CREATE TRIGGER access_review_no_update BEFORE UPDATE ON access_review
BEGIN
  SELECT RAISE(ABORT, 'access_review is append-only');
END;
CREATE TRIGGER access_review_no_delete BEFORE DELETE ON access_review
BEGIN
  SELECT RAISE(ABORT, 'access_review is append-only');
END;

-- Single sign-on (admin.SingleSignOn): the identity provider's account (issuer and subject of
-- its ID tokens) bound to a Semaforo account at its first login. via: how the account got its
-- role then: 'invito' (an administrator's invitation: the role stays the account's) or
-- 'attributo' (the configured claim: checked again at every login).
CREATE TABLE oidc_identity (
  issuer     TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  user_id    INTEGER NOT NULL UNIQUE REFERENCES app_user(id),
  email      TEXT    NOT NULL DEFAULT '',
  via        TEXT    NOT NULL CHECK (via IN ('invito', 'attributo')),
  bound_at   INTEGER NOT NULL,
  PRIMARY KEY (issuer, subject)
);

-- An administrator's invitation: the first sign-in through the identity provider with this
-- e-mail address (verified by the provider) makes the account, with this role.
CREATE TABLE oidc_invitation (
  id           INTEGER PRIMARY KEY,
  email        TEXT    NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  display_name TEXT    NOT NULL CHECK (length(display_name) > 0),
  role         TEXT    NOT NULL CHECK (role IN ('redattore', 'amministratore')),
  invited_by   INTEGER REFERENCES app_user(id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER,
  user_id      INTEGER REFERENCES app_user(id)
);
CREATE UNIQUE INDEX oidc_invitation_open_idx ON oidc_invitation(email) WHERE used_at IS NULL;
