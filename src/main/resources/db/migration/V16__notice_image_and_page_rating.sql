-- An avviso's image is one of its attachments that carries an alternative text (alt_text not
-- null): shown on the page, in the feeds and in the link preview, removed like any attachment.
ALTER TABLE attachment ADD COLUMN alt_text TEXT;

-- The page rating of the Designers Italia comuni model ("Quanto sono chiare le informazioni su
-- questa pagina?"): one row per answer, with the page, the stars, the follow-up reason and the
-- resident's optional words; the day only, and nothing about who answered (rating.PageRatings).
CREATE TABLE page_rating (
    id      INTEGER PRIMARY KEY,
    page    TEXT    NOT NULL,
    stars   INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    reason  TEXT,
    details TEXT    NOT NULL DEFAULT '',
    day     TEXT    NOT NULL
);
CREATE INDEX page_rating_page_idx ON page_rating(page);
