-- articles: one row per news article the coder has read.
-- Example: SELECT lang, count(*) FROM articles GROUP BY lang;
CREATE TABLE IF NOT EXISTS articles (
    article_id    VARCHAR PRIMARY KEY,  -- stable id given by the source, or derived from the url or text
    title         VARCHAR,
    url           VARCHAR,
    source        VARCHAR,              -- outlet name
    published_at  DATE,
    lang          VARCHAR,              -- ISO 639-1 code: en, id
    text          VARCHAR,
    coded_at      TIMESTAMP DEFAULT current_timestamp
);
