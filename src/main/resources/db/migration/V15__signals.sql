-- Signals in (issue 22): upstream sources and probes an administrator configures, what each
-- said last, the signals they raised with what a clerk did of them, the probes' measurements
-- (kept 90 days) and what a clerk marked as reported by a provider.

-- A source follows an upstream (a Statuspage v2 page, an Atom or RSS feed, another Semaforo)
-- or probes one of the comune's own online services. It reaches a provider or a service.
-- selector: the Statuspage component or group (id or name), the other Semaforo's service slug,
-- or the text a probe expects in the page; empty: the whole page. The columns after enabled are
-- the poller's: validators for conditional requests, where it has got to, what it says now.
CREATE TABLE signal_source (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  kind                TEXT    NOT NULL CHECK (kind IN ('statuspage', 'feed', 'semaforo', 'probe')),
  name                TEXT    NOT NULL CHECK (length(name) > 0),
  url                 TEXT    NOT NULL,
  provider_id         INTEGER REFERENCES provider(id) ON DELETE CASCADE,
  service_id          INTEGER REFERENCES service(id) ON DELETE CASCADE,
  selector            TEXT    NOT NULL DEFAULT '',
  proposed_state      TEXT    NOT NULL DEFAULT 'degraded',
  interval_seconds    INTEGER NOT NULL DEFAULT 60 CHECK (interval_seconds >= 5),
  timeout_ms          INTEGER NOT NULL DEFAULT 10000,
  expected_status     INTEGER NOT NULL DEFAULT 200,
  threshold           INTEGER NOT NULL DEFAULT 3 CHECK (threshold >= 1),
  auto_publish        INTEGER NOT NULL DEFAULT 0,
  public_measurements INTEGER NOT NULL DEFAULT 0,
  enabled             INTEGER NOT NULL DEFAULT 1,
  created_at          INTEGER NOT NULL,
  etag                TEXT,
  last_modified       TEXT,
  position            TEXT    NOT NULL DEFAULT '',
  memory              TEXT    NOT NULL DEFAULT '{}',
  last_attempt_at     INTEGER,
  last_success_at     INTEGER,
  last_error          TEXT,
  last_error_at       INTEGER,
  failures            INTEGER NOT NULL DEFAULT 0,
  streak              INTEGER NOT NULL DEFAULT 0,
  says_state          TEXT,
  says_title          TEXT,
  says_text           TEXT,
  says_link           TEXT,
  says_at             INTEGER,
  CHECK ((provider_id IS NULL) <> (service_id IS NULL))
);

-- What a source raised: a state it proposes (operational for a recovery), the upstream's words
-- and link. outcome: open (on the clerks' dashboard), published (an avviso or its closing
-- update, notice_id), drafted (a draft, notice_id), dismissed, superseded (a later signal of the
-- same source), automatic (published by the source's automatic publication).
CREATE TABLE signal (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  source_id   INTEGER NOT NULL REFERENCES signal_source(id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,
  state       TEXT    NOT NULL,
  recovery    INTEGER NOT NULL DEFAULT 0,
  title       TEXT    NOT NULL,
  text        TEXT    NOT NULL DEFAULT '',
  link        TEXT    NOT NULL DEFAULT '',
  outcome     TEXT    NOT NULL DEFAULT 'open'
              CHECK (outcome IN ('open', 'published', 'drafted', 'dismissed', 'superseded', 'automatic')),
  notice_id   INTEGER REFERENCES notice(id),
  decided_at  INTEGER,
  decided_by  TEXT
);
CREATE INDEX signal_open_idx ON signal(outcome, at);
CREATE INDEX signal_source_idx ON signal(source_id, at);

-- One measurement of a probe; kept 90 days (housekeeping at each new day).
CREATE TABLE probe_result (
  source_id  INTEGER NOT NULL REFERENCES signal_source(id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  ok         INTEGER NOT NULL,
  status     INTEGER NOT NULL DEFAULT 0,
  latency_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (source_id, at)
) WITHOUT ROWID;
CREATE INDEX probe_result_at_idx ON probe_result(at);

-- "Segnalato dal fornitore": what a clerk marked publicly for a provider, with the link,
-- distinct from the comune's own declared state.
CREATE TABLE provider_report (
  provider_id INTEGER PRIMARY KEY REFERENCES provider(id) ON DELETE CASCADE,
  text        TEXT    NOT NULL,
  link        TEXT    NOT NULL DEFAULT '',
  at          INTEGER NOT NULL
);
