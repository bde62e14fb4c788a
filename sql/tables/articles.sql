-- articles: one row per distinct news article read from the landing folder (the same article arriving
-- twice, from another file or with its url's tracking parameters, is stored once).
-- Example: SELECT language, date_source, count(*) FROM articles GROUP BY ALL ORDER BY ALL;
CREATE TABLE IF NOT EXISTS articles (
    id            VARCHAR PRIMARY KEY,  -- the id given by the source, else derived from the url, else from the text
    url           VARCHAR,
    source        VARCHAR,              -- outlet name
    title         VARCHAR,
    published_at  DATE NOT NULL,
    date_source   VARCHAR NOT NULL,     -- where published_at came from: metadata, text or file_time
    language      VARCHAR NOT NULL,     -- ISO 639-1 code, given or detected; only en and id are coded
    text          VARCHAR NOT NULL,
    tone          DOUBLE,               -- document tone, GDELT's scale: % positive words - % negative words
    tone_positive DOUBLE,               -- % of words with positive tone
    tone_negative DOUBLE,               -- % of words with negative tone
    tone_polarity DOUBLE,               -- positive + negative: how emotionally charged
    word_count    INTEGER,
    ingested_at   TIMESTAMPTZ NOT NULL,
    file          VARCHAR NOT NULL,     -- path of the landing file, relative to the landing folder
    file_line     INTEGER               -- line (JSON Lines) or item (JSON list) in that file; NULL for a whole file
);
