-- source_items: the feed items and pages already fetched (or given up on, with the reason), so an item is
-- fetched once however often its feed is polled.
-- Example: SELECT source, count(*), count(reason) AS given_up FROM source_items GROUP BY source;
CREATE TABLE IF NOT EXISTS source_items (
    source    VARCHAR NOT NULL,
    item_key  VARCHAR NOT NULL,   -- the item's guid, else its normalised link
    url       VARCHAR,
    seen_at   TIMESTAMPTZ NOT NULL,
    reason    VARCHAR,            -- NULL when fetched; why it was given up otherwise
    PRIMARY KEY (source, item_key)
);
