-- The mirror's manifest in parts (export.Mirror): manifest.json becomes a small index naming
-- parts, each a file named by the hash of its content, so that a change rewrites the parts it
-- reaches and the index, not one file of every entry.

-- The part of the manifest that lists each file: pagine, archivio-…, avvisi-N. Rows written
-- before the split all start in pagine; the full pass at start moves each to its part.
ALTER TABLE mirror_file ADD COLUMN part TEXT NOT NULL DEFAULT 'pagine';
CREATE INDEX mirror_file_part ON mirror_file(target, part, file);

-- Each target's parts: due when an entry changed since the part was last written; file, entries,
-- size and sha256 describe the part's file the next index names (null while none is written).
CREATE TABLE mirror_part (
  target   TEXT    NOT NULL,
  part     TEXT    NOT NULL,
  due      INTEGER NOT NULL DEFAULT 0,
  file     TEXT,
  entries  INTEGER,
  size     INTEGER,
  sha256   TEXT,
  PRIMARY KEY (target, part)
) WITHOUT ROWID;
INSERT INTO mirror_part(target, part, due) SELECT target, 'pagine', 1 FROM mirror_target;
UPDATE mirror_target SET manifest_due = 1;

-- The index's number, and the part files it no longer names: each deleted once the index after
-- the one that stopped naming it is written, so a reader of the previous index still finds its parts.
ALTER TABLE mirror_target ADD COLUMN manifest_generation INTEGER NOT NULL DEFAULT 0;
CREATE TABLE mirror_part_retired (
  target      TEXT    NOT NULL,
  file        TEXT    NOT NULL,
  generation  INTEGER NOT NULL,   -- the first index that does not name it
  PRIMARY KEY (target, file)
) WITHOUT ROWID;
