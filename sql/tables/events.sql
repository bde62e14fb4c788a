-- events: one row per distinct event. Mentions with the same date, source, target, event code and place
-- are one event (a first de-duplication rule); the counts say how widely it was reported.
-- Example: SELECT event_date, source_name, event_code, target_name, num_articles, source_url
--          FROM events ORDER BY num_mentions DESC LIMIT 10;
CREATE TABLE IF NOT EXISTS events (
    event_id           BIGINT NOT NULL,     -- stable: derived from the de-duplication key
    event_date         DATE NOT NULL,
    source_code        VARCHAR NOT NULL,
    source_name        VARCHAR NOT NULL,
    source_country     VARCHAR,
    source_type        VARCHAR,
    source_group_code  VARCHAR,
    target_code        VARCHAR,
    target_name        VARCHAR,
    target_country     VARCHAR,
    target_type        VARCHAR,
    target_group_code  VARCHAR,
    event_code         VARCHAR NOT NULL,
    event_base_code    VARCHAR NOT NULL,
    event_root_code    VARCHAR NOT NULL,
    quad_class         TINYINT NOT NULL,
    goldstein          DOUBLE NOT NULL,
    geo_name           VARCHAR,
    geo_country        VARCHAR,
    geo_lat            DOUBLE,
    geo_lon            DOUBLE,
    num_mentions       INTEGER NOT NULL,
    num_articles       INTEGER NOT NULL,
    num_sources        INTEGER NOT NULL,    -- distinct outlets (articles without a source count as one each)
    first_seen         TIMESTAMPTZ NOT NULL, -- when the pipeline first ingested an article reporting it
    source_url         VARCHAR,             -- url of the earliest published article reporting it
    coder_version      VARCHAR NOT NULL
);
