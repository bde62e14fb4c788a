-- cameo_actor_types: the role and known-group blocks of CAMEO actor codes (GOV, MIL, REB, UNO ...),
-- from etl/codebook/actor_roles.tsv.
-- Example: SELECT t.name, count(*) FROM events e JOIN cameo_actor_types t ON t.code = e.source_type GROUP BY ALL;
CREATE OR REPLACE TABLE cameo_actor_types (
    code  VARCHAR PRIMARY KEY,
    kind  VARCHAR NOT NULL,   -- role or group
    name  VARCHAR NOT NULL
);
