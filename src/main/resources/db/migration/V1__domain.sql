-- Semaforo domain, see DESIGN.md. Every instant is INTEGER epoch milliseconds (UTC):
-- text timestamps do not sort reliably.

CREATE TABLE service_group (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL UNIQUE,
  position   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE service (
  id          INTEGER PRIMARY KEY,
  slug        TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  description TEXT    NOT NULL DEFAULT '',
  group_id    INTEGER NOT NULL REFERENCES service_group(id),
  position    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX service_group_idx ON service(group_id, position);

-- How a resident reaches a service: the online portal, an office, a phone line, an address.
CREATE TABLE channel (
  id         INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES service(id) ON DELETE CASCADE,
  kind       TEXT    NOT NULL CHECK (kind IN ('online', 'office', 'phone', 'email')),
  label      TEXT    NOT NULL,
  value      TEXT    NOT NULL,
  hours      TEXT    NOT NULL DEFAULT '',
  position   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX channel_service_idx ON channel(service_id, position);

CREATE TABLE provider (
  id          INTEGER PRIMARY KEY,
  slug        TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  description TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- A provider carried by another one (the software vendor hosted by the cloud provider).
CREATE TABLE provider_dependency (
  provider_id   INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
  depends_on_id INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
  PRIMARY KEY (provider_id, depends_on_id),
  CHECK (provider_id <> depends_on_id)
);

CREATE TABLE service_provider (
  service_id  INTEGER NOT NULL REFERENCES service(id) ON DELETE CASCADE,
  provider_id INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
  PRIMARY KEY (service_id, provider_id)
);

-- An avviso. status: draft (never public), published (public from published_at, which may
-- be in the future), withdrawn (hidden, answers 410). Closing and expiry are instants, so
-- that the state of every service at any past instant can be recomputed.
CREATE TABLE notice (
  id           INTEGER PRIMARY KEY,
  slug         TEXT    NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('disservizio', 'manutenzione', 'sicurezza', 'violazione-dati', 'informazione')),
  status       TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
  title        TEXT    NOT NULL CHECK (length(title) > 0),
  summary      TEXT    NOT NULL DEFAULT '',
  body         TEXT    NOT NULL DEFAULT '',
  language     TEXT    NOT NULL DEFAULT 'it',
  published_at INTEGER,
  expires_at   INTEGER,
  closed_at    INTEGER,
  withdrawn_at INTEGER,
  window_start INTEGER,
  window_end   INTEGER,
  image_path   TEXT,
  image_alt    TEXT,
  author       TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  CHECK (status = 'draft' OR published_at IS NOT NULL),
  CHECK (expires_at IS NULL OR published_at IS NULL OR expires_at > published_at),
  CHECK ((window_start IS NULL) = (window_end IS NULL)),
  CHECK (window_end IS NULL OR window_end > window_start)
);
CREATE INDEX notice_public_idx ON notice(status, published_at);
CREATE INDEX notice_kind_idx ON notice(kind, published_at);

-- Numbered updates (the "n-th report"): public, append-only.
CREATE TABLE notice_update (
  id         INTEGER PRIMARY KEY,
  notice_id  INTEGER NOT NULL REFERENCES notice(id),
  number     INTEGER NOT NULL CHECK (number >= 1),
  body       TEXT    NOT NULL,
  closes     INTEGER NOT NULL DEFAULT 0 CHECK (closes IN (0, 1)),
  author     TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (notice_id, number)
);

-- The state an avviso imposes on a service or a provider, from an instant on. An update
-- that changes states appends rows; nothing is overwritten, so this table together with
-- the avvisi's instants is the state history of every service.
CREATE TABLE notice_impact (
  id             INTEGER PRIMARY KEY,
  notice_id      INTEGER NOT NULL REFERENCES notice(id),
  update_id      INTEGER REFERENCES notice_update(id),
  service_id     INTEGER REFERENCES service(id),
  provider_id    INTEGER REFERENCES provider(id),
  state          TEXT    NOT NULL CHECK (state IN ('operational', 'degraded', 'alternative', 'limited', 'suspended', 'maintenance')),
  reason         TEXT    NOT NULL DEFAULT '',
  effective_from INTEGER NOT NULL,
  CHECK ((service_id IS NULL) <> (provider_id IS NULL))
);
CREATE INDEX notice_impact_notice_idx ON notice_impact(notice_id, effective_from);
CREATE INDEX notice_impact_service_idx ON notice_impact(service_id);
CREATE INDEX notice_impact_provider_idx ON notice_impact(provider_id);

-- Attachments: the file lives under the data directory with a random name.
CREATE TABLE attachment (
  id           INTEGER PRIMARY KEY,
  notice_id    INTEGER NOT NULL REFERENCES notice(id),
  update_id    INTEGER REFERENCES notice_update(id),
  title        TEXT    NOT NULL,
  filename     TEXT    NOT NULL,
  stored_name  TEXT    NOT NULL UNIQUE,
  content_type TEXT    NOT NULL,
  size_bytes   INTEGER NOT NULL CHECK (size_bytes >= 0),
  created_at   INTEGER NOT NULL
);
CREATE INDEX attachment_notice_idx ON attachment(notice_id);

-- Full-text search of the archive. The trigram tokenizer matches substrings in any
-- script (Japanese has no spaces between words).
CREATE VIRTUAL TABLE notice_fts USING fts5(
  title, summary, body, content='notice', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER notice_fts_insert AFTER INSERT ON notice BEGIN
  INSERT INTO notice_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
END;
CREATE TRIGGER notice_fts_delete AFTER DELETE ON notice BEGIN
  INSERT INTO notice_fts(notice_fts, rowid, title, summary, body) VALUES ('delete', old.id, old.title, old.summary, old.body);
END;
CREATE TRIGGER notice_fts_update AFTER UPDATE OF title, summary, body ON notice BEGIN
  INSERT INTO notice_fts(notice_fts, rowid, title, summary, body) VALUES ('delete', old.id, old.title, old.summary, old.body);
  INSERT INTO notice_fts(rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body);
END;
