-- source_state: what the fetcher remembers between polls of a source: when it last polled it, the
-- validators for conditional requests (ETag, Last-Modified) and the failed attempts per item.
-- Example: SELECT source, last_polled_at FROM source_state ORDER BY last_polled_at;
CREATE TABLE IF NOT EXISTS source_state (
    source          VARCHAR PRIMARY KEY,
    last_polled_at  TIMESTAMPTZ NOT NULL,
    last_ok         BOOLEAN NOT NULL,     -- a failed source is polled again on the next tick, due or not
    validators      VARCHAR,      -- JSON: etag, last_modified, digest
    attempts        VARCHAR       -- JSON: item key -> failed attempts so far
);
