-- coded_days: for each publication day, which coder version last coded its articles and a fingerprint of
-- what it produced. Days coded by an older coder are out of date: `geoevents backfill --stale` (or the
-- Dagster partitions of warehouse/coded_days) re-codes them, rewriting only days whose events change.
-- Example: SELECT day, coder_version, articles, mentions FROM coded_days ORDER BY day DESC;
CREATE TABLE IF NOT EXISTS coded_days (
    day            DATE PRIMARY KEY,     -- articles.published_at
    coder_version  VARCHAR NOT NULL,
    articles       INTEGER NOT NULL,
    mentions       INTEGER NOT NULL,
    output_hash    VARCHAR NOT NULL,     -- of the day's coded mentions; equal hashes mean nothing changed
    coded_at       TIMESTAMPTZ NOT NULL
);
