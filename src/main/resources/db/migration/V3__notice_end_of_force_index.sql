-- The avvisi still in force (or to come) are found by the instant their force ends: the
-- earlier of closing and expiry, "never" while open-ended. Same expression as
-- NoticeRepository.END_OF_FORCE (there with the table alias, which SQLite resolves).
CREATE INDEX notice_end_of_force_idx ON notice(coalesce(
    CASE WHEN closed_at IS NULL THEN expires_at WHEN expires_at IS NULL THEN closed_at
         WHEN closed_at < expires_at THEN closed_at ELSE expires_at END,
    9223372036854775807));
