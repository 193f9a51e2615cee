-- Stories can be removed (`newsbot stories remove ID`, `/news stories remove ID`). Everything
-- the catalogue derives from an article goes with it: its sentences, summary ranking,
-- attributions, speaker names, entities, aliases and vectors by ON DELETE CASCADE (001, 003,
-- 004), its full-text rows by the articles_after_delete trigger (001). Tables other stores keep
-- in the same file (feed entries, digests sent) are cleared by the catalogue's removal itself:
-- they may not exist when the catalogue is opened alone, so no trigger here can name them.
--
-- What the catalogue remembers about itself, by name. 'seeded': the demo seeds were stored
-- once, so a catalogue whose stories were all removed is not seeded again. A catalogue that
-- already holds stories was seeded (or had no need to be).
CREATE TABLE catalogue_flags (
    name TEXT PRIMARY KEY,
    set_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO catalogue_flags (name, set_at)
    SELECT 'seeded', strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')
    WHERE EXISTS (SELECT 1 FROM articles);
