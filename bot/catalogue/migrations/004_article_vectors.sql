-- Sentence-embedding vectors (bot.semantic): one per article and model, of the article's title
-- and first three body sentences; unit length, little-endian float16 ('f2') or float32 ('f4').
-- The rowid grows with every insert, so a reader loads only the rows newer than its last.
CREATE TABLE article_vectors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    dim INTEGER NOT NULL,
    dtype TEXT NOT NULL CHECK (dtype IN ('f2', 'f4')),
    content_hash TEXT NOT NULL,             -- the article's content when it was embedded
    vector BLOB NOT NULL,
    PRIMARY KEY (model, article_id)
);
CREATE INDEX article_vectors_article ON article_vectors (article_id);

-- A changed article's vector describes its old text: drop it, so it is embedded again.
CREATE TRIGGER articles_vectors_stale AFTER UPDATE OF title, paragraphs ON articles
WHEN old.title IS NOT new.title OR old.paragraphs IS NOT new.paragraphs
BEGIN
    DELETE FROM article_vectors WHERE article_id = new.id;
END;

-- Counts deleted vectors (an article deleted or changed): readers holding vectors in memory
-- reload them when it moves. Inserts need no counter: max(rowid) says that.
CREATE TABLE vector_deletions (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL
);
INSERT INTO vector_deletions (id, count) VALUES (1, 0);
CREATE TRIGGER article_vectors_after_delete AFTER DELETE ON article_vectors BEGIN
    UPDATE vector_deletions SET count = count + 1 WHERE id = 1;
END;
