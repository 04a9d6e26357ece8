-- A feed lists the avvisi with the latest public activity (publication, a numbered update, an
-- expiry or a window reached). NoticeRepository.latestActivity first bounds it by the
-- publication of the N-th newest avviso, then finds each other moment after that bound through
-- these indexes, instead of working out every avviso's activity (20,000 on a large comune).
CREATE INDEX notice_update_created_idx ON notice_update(created_at);
CREATE INDEX notice_expires_idx ON notice(expires_at);
CREATE INDEX notice_window_start_idx ON notice(window_start);
