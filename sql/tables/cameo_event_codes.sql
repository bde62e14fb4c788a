-- cameo_event_codes: the CAMEO event codebook (all 311 codes), from etl/codebook/cameo_events.tsv.
-- Example: SELECT e.event_code, c.name, count(*) FROM events e JOIN cameo_event_codes c ON c.code = e.event_code
--          GROUP BY ALL ORDER BY 3 DESC;
CREATE OR REPLACE TABLE cameo_event_codes (
    code        VARCHAR PRIMARY KEY,
    root        VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,   -- root, base or sub
    name        VARCHAR NOT NULL,
    goldstein   DOUBLE NOT NULL,
    quad_class  TINYINT NOT NULL
);
