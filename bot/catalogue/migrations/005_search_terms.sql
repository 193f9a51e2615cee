-- Stemmed full-text index for finding stories (bot/catalogue/terms.py): the title, body,
-- speakers and entities of each article as Snowball stems with numbers in one spelling, so
-- questions and stories meet on the same words. rowid = articles.id; filled by the catalogue
-- (and, for articles stored before this migration, on open: see search_terms_version).
CREATE VIRTUAL TABLE articles_terms USING fts5 (
    title, body, speakers, entities,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- The words of the unstemmed index with how many articles hold each: typo tolerance looks up
-- a question's unknown word's neighbours here, in the catalogue's own vocabulary.
CREATE VIRTUAL TABLE articles_fts_vocab USING fts5vocab (articles_fts, 'row');

-- Which version of the term rules articles_terms was built with; a newer newsbot rebuilds it.
CREATE TABLE search_terms_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

DROP TRIGGER articles_after_delete;
CREATE TRIGGER articles_after_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    DELETE FROM titles_fts WHERE rowid = old.id;
    DELETE FROM articles_terms WHERE rowid = old.id;
END;
