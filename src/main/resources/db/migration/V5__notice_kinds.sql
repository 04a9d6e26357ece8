-- What each kind of avviso says beyond its Markdown body (the art. 34 GDPR sections of a data
-- breach, the recommendations of a security advisory), as one JSON object, and the revision
-- counter of an avviso: the SEQUENCE of its iCalendar event, raised by every change.
CREATE TABLE notice_detail (
  notice_id INTEGER PRIMARY KEY REFERENCES notice(id),
  fields    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
  sequence  INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0)
);

-- Raised by the database itself, whatever path wrote the change (clerks' desk, API, import).
CREATE TRIGGER notice_sequence_on_change AFTER UPDATE ON notice
BEGIN
  INSERT OR IGNORE INTO notice_detail(notice_id) VALUES (NEW.id);
  UPDATE notice_detail SET sequence = sequence + 1 WHERE notice_id = NEW.id;
END;

CREATE TRIGGER notice_sequence_on_update AFTER INSERT ON notice_update
BEGIN
  INSERT OR IGNORE INTO notice_detail(notice_id) VALUES (NEW.notice_id);
  UPDATE notice_detail SET sequence = sequence + 1 WHERE notice_id = NEW.notice_id;
END;

CREATE TRIGGER notice_sequence_on_fields AFTER UPDATE OF fields ON notice_detail
WHEN OLD.fields IS NOT NEW.fields
BEGIN
  UPDATE notice_detail SET sequence = sequence + 1 WHERE notice_id = NEW.notice_id;
END;
