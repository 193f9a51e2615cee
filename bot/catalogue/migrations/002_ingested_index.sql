-- Digests select stories published or ingested since their previous digest.
CREATE INDEX articles_ingested ON articles (ingested_at DESC);
