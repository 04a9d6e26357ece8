-- The mirror (export.Mirror): static copies of the public site kept current after every public
-- change, in a directory and in an S3-compatible bucket. What each copy must still receive is
-- queued here in the same database, so a crash or a copy that is unreachable loses nothing.

-- The addresses each target must render again (or delete, if they no longer exist).
CREATE TABLE mirror_pending (
  target     TEXT    NOT NULL,            -- 'dir' or 's3'
  path       TEXT    NOT NULL,            -- the public address, e.g. /servizi/anagrafe
  priority   INTEGER NOT NULL,            -- 0 what a change altered, 1 the archive's pages, 2 a full pass
  queued_at  INTEGER NOT NULL,            -- epoch ms of the oldest change still waiting: the lag
  version    INTEGER NOT NULL DEFAULT 0,  -- bumped by each new change, so a rendering that raced it is redone
  PRIMARY KEY (target, path)
) WITHOUT ROWID;
CREATE INDEX mirror_pending_order ON mirror_pending(target, priority, queued_at);

-- What each target holds: the source of its manifest, and what decides whether a file is rewritten.
CREATE TABLE mirror_file (
  target        TEXT    NOT NULL,
  path          TEXT    NOT NULL,         -- the public address
  file          TEXT    NOT NULL,         -- the file or object key that serves it, e.g. servizi/anagrafe/index.html
  rendered_sha  TEXT    NOT NULL,         -- SHA-256 of the rendered bytes, before the copy's dated banner
  sha256        TEXT    NOT NULL,         -- SHA-256 of the bytes stored
  size          INTEGER NOT NULL,
  content_type  TEXT    NOT NULL,
  language      TEXT,
  written_at    INTEGER NOT NULL,
  PRIMARY KEY (target, path)
) WITHOUT ROWID;

-- Each target's state, for the admin and /health.
CREATE TABLE mirror_target (
  target         TEXT    PRIMARY KEY,
  manifest_due   INTEGER NOT NULL DEFAULT 0,   -- 1: files changed since the manifest was written
  synced_at      INTEGER,                       -- the last time it held everything (manifest written)
  last_error     TEXT,
  last_error_at  INTEGER
);
