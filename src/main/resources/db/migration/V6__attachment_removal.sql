-- A clerk can remove an attachment published by mistake: it leaves the pages, feeds and API,
-- and its address answers 410. The row and the file stay, as every trace does; the audit log
-- says who removed it, when and why.
ALTER TABLE attachment ADD COLUMN removed_at INTEGER;
ALTER TABLE attachment ADD COLUMN removed_by TEXT;
