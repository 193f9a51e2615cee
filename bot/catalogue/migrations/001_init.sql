-- newsbot catalogue schema, version 1 (SQLite).
-- Datetimes are ISO 8601 UTC text ("2024-06-21T09:30:00.000000+00:00"), so they sort as text.

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,          -- "url:<canonical>", "slug:<slug>" or "hash:<sha256>"
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_norm TEXT NOT NULL,               -- casefolded, whitespace collapsed (teaser shadowing)
    url TEXT,
    canonical_url TEXT UNIQUE,              -- NULLs allowed (files have no URL)
    source TEXT,
    byline TEXT,
    published_at TEXT NOT NULL,
    published_estimated INTEGER NOT NULL DEFAULT 0 CHECK (published_estimated IN (0, 1)),
    ingested_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('full', 'teaser')),
    content_hash TEXT NOT NULL,
    lede TEXT NOT NULL DEFAULT '',          -- first sentence of the first body paragraph
    keywords TEXT NOT NULL DEFAULT '[]',    -- JSON list
    paragraphs TEXT NOT NULL                -- JSON list; last so listings never read it
);
CREATE INDEX articles_published ON articles (published_at DESC, id DESC);
CREATE INDEX articles_content_hash ON articles (content_hash);
CREATE INDEX articles_title_norm ON articles (title_norm, kind);

CREATE TABLE sentences (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

CREATE TABLE summary_ranking (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,                  -- 0 is the most important sentence
    sentence_idx INTEGER NOT NULL,
    PRIMARY KEY (article_id, rank)
) WITHOUT ROWID;

CREATE TABLE attributions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    speaker TEXT,
    speaker_norm TEXT,
    speaker_mention TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    cue TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'partial', 'reported')),
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (article_id, ord)
) WITHOUT ROWID;
CREATE INDEX attributions_speaker ON attributions (speaker_norm, article_id);

-- One row per way of naming a speaker in an article: the canonical name itself, each alias,
-- and the surname of a multi-word name. Lookups go alias_norm -> (article_id, name_norm).
-- origin: 0 the analysis' speaker name, 1 one of its aliases, 2 derived by the catalogue.
CREATE TABLE speaker_names (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    alias TEXT NOT NULL,
    alias_norm TEXT NOT NULL,
    origin INTEGER NOT NULL CHECK (origin IN (0, 1, 2)),
    published_at TEXT NOT NULL,             -- the article's, so lookups stop after the newest
    PRIMARY KEY (article_id, ord)
) WITHOUT ROWID;
CREATE INDEX speaker_names_alias
    ON speaker_names (alias_norm, published_at DESC, article_id DESC, name_norm, name);

CREATE TABLE entities (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (article_id, ord)
) WITHOUT ROWID;

-- Full-text index; rowid = articles.id. Kept in step by the catalogue and the delete trigger.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body, speakers, entities,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Titles only, with prefix indexes, for autocomplete.
CREATE VIRTUAL TABLE titles_fts USING fts5 (
    title,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER articles_after_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
    DELETE FROM titles_fts WHERE rowid = old.id;
END;
