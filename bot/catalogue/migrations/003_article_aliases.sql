-- Other names for a stored article. A file whose text is byte-identical to a stored article
-- (BBC tech/373 is tech/079) is stored once; its identity ("file:<path>") and its id point at
-- that article, so a second ingest skips the file and `summary tech/373` still finds the story.
CREATE TABLE article_aliases (
    identity TEXT PRIMARY KEY,
    slug TEXT UNIQUE,                       -- NULL when the article's own slug already fits
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX article_aliases_article ON article_aliases (article_id);
