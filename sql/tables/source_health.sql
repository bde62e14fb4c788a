-- source_health: every poll of every news source, with whether it worked and why not: the place to look
-- when a feed goes quiet. A failed source is retried on its next tick.
-- Example: SELECT source, checked_at, ok, reason, http_status, articles FROM source_health
--          ORDER BY checked_at DESC LIMIT 20;
CREATE TABLE IF NOT EXISTS source_health (
    source       VARCHAR NOT NULL,      -- the name in sources.yaml
    checked_at   TIMESTAMPTZ NOT NULL,
    ok           BOOLEAN NOT NULL,
    reason       VARCHAR,               -- why it failed ("HTTP 503 (3 attempts)", "timed out after 30 s") or a warning
    http_status  INTEGER,
    items_seen   INTEGER NOT NULL,      -- items the feed listed
    items_new    INTEGER NOT NULL,      -- items not seen before
    articles     INTEGER NOT NULL,      -- articles written to the landing folder
    duration_s   DOUBLE NOT NULL
);
