-- countries: first blocks of actor codes: ISO alpha-3 countries, CAMEO regions and the IGO/NGO/MNC sectors,
-- from etl/codebook/countries.tsv.
-- Example: SELECT c.name, count(*) FROM events e JOIN countries c ON c.code = e.source_country GROUP BY ALL;
CREATE OR REPLACE TABLE countries (
    code  VARCHAR PRIMARY KEY,
    iso2  VARCHAR,
    name  VARCHAR NOT NULL,
    kind  VARCHAR NOT NULL   -- country, region or sector
);
