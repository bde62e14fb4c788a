-- events: one row per distinct real-world event, with every GDELT 2.0 Event concept as a column
-- (GDELT's names in snake_case: GLOBALEVENTID -> global_event_id, Actor1Geo_Lat -> actor1_geo_lat ...), so
-- GDELT queries carry over; rows imported from GDELT files have source = 'gdelt'.
-- Our own events are de-duplicated: every report (mention) of one event, across articles, sources and
-- languages, counts towards the same row (the rule: README "De-duplication", etl/transform.py).
-- Example: SELECT sql_date, actor1_name, event_code, actor2_name, num_articles, avg_tone, source_url
--          FROM events WHERE actor1_country_code = 'CHN' AND actor2_country_code = 'RUS' ORDER BY sql_date;
CREATE TABLE IF NOT EXISTS events (
    global_event_id        BIGINT NOT NULL,
    sql_date               INTEGER NOT NULL,  -- YYYYMMDD
    month_year             INTEGER NOT NULL,  -- YYYYMM
    year                   INTEGER NOT NULL,
    fraction_date          DOUBLE NOT NULL,   -- YYYY + (month * 30 + day) / 365, as GDELT
    event_date             DATE NOT NULL,     -- sql_date as a DATE
    actor1_code              VARCHAR,   -- full CAMEO actor code (CHNGOV, IDNMIL, IGOUNO ...)
    actor1_name              VARCHAR,
    actor1_country_code      VARCHAR,   -- 3-letter CAMEO country (or region) code
    actor1_known_group_code  VARCHAR,   -- IGO/NGO/armed group code (UNO, HMS, OPM ...)
    actor1_ethnic_code       VARCHAR,
    actor1_religion1_code    VARCHAR,
    actor1_religion2_code    VARCHAR,
    actor1_type1_code        VARCHAR,   -- role: GOV, MIL, COP, REB ...
    actor1_type2_code        VARCHAR,
    actor1_type3_code        VARCHAR,
    actor2_code              VARCHAR,   -- full CAMEO actor code (CHNGOV, IDNMIL, IGOUNO ...)
    actor2_name              VARCHAR,
    actor2_country_code      VARCHAR,   -- 3-letter CAMEO country (or region) code
    actor2_known_group_code  VARCHAR,   -- IGO/NGO/armed group code (UNO, HMS, OPM ...)
    actor2_ethnic_code       VARCHAR,
    actor2_religion1_code    VARCHAR,
    actor2_religion2_code    VARCHAR,
    actor2_type1_code        VARCHAR,   -- role: GOV, MIL, COP, REB ...
    actor2_type2_code        VARCHAR,
    actor2_type3_code        VARCHAR,
    is_root_event          INTEGER NOT NULL,  -- 1 when the first report has it in its lead
    event_code             VARCHAR NOT NULL,  -- CAMEO event code, a string ("057", "0231")
    event_base_code        VARCHAR NOT NULL,
    event_root_code        VARCHAR NOT NULL,
    quad_class             INTEGER NOT NULL,  -- 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein_scale        DOUBLE NOT NULL,   -- -10 .. +10, from the codebook
    num_mentions           INTEGER NOT NULL,
    num_sources            INTEGER NOT NULL,  -- distinct outlets (an article without an outlet counts as its own)
    num_articles           INTEGER NOT NULL,
    avg_tone               DOUBLE,            -- mean document tone of the reporting articles, -100 .. +100
    actor1_geo_type           INTEGER,   -- 1 country, 3 US city, 4 world city (GDELT Actor1Geo_Type)
    actor1_geo_fullname       VARCHAR,
    actor1_geo_country_code   VARCHAR,   -- FIPS 10-4, as GDELT
    actor1_geo_adm1_code      VARCHAR,   -- FIPS country + GeoNames admin1 code
    actor1_geo_adm2_code      VARCHAR,
    actor1_geo_lat            DOUBLE,
    actor1_geo_long           DOUBLE,
    actor1_geo_feature_id     VARCHAR,   -- GeoNames id of the city; country code for country-level places
    actor2_geo_type           INTEGER,   -- 1 country, 3 US city, 4 world city (GDELT Actor2Geo_Type)
    actor2_geo_fullname       VARCHAR,
    actor2_geo_country_code   VARCHAR,   -- FIPS 10-4, as GDELT
    actor2_geo_adm1_code      VARCHAR,   -- FIPS country + GeoNames admin1 code
    actor2_geo_adm2_code      VARCHAR,
    actor2_geo_lat            DOUBLE,
    actor2_geo_long           DOUBLE,
    actor2_geo_feature_id     VARCHAR,   -- GeoNames id of the city; country code for country-level places
    action_geo_type           INTEGER,   -- 1 country, 3 US city, 4 world city (GDELT ActionGeo_Type)
    action_geo_fullname       VARCHAR,
    action_geo_country_code   VARCHAR,   -- FIPS 10-4, as GDELT
    action_geo_adm1_code      VARCHAR,   -- FIPS country + GeoNames admin1 code
    action_geo_adm2_code      VARCHAR,
    action_geo_lat            DOUBLE,
    action_geo_long           DOUBLE,
    action_geo_feature_id     VARCHAR,   -- GeoNames id of the city; country code for country-level places
    date_added             BIGINT NOT NULL,   -- YYYYMMDDHHMMSS (UTC) when first seen
    source_url             VARCHAR,           -- the first report
    source                 VARCHAR NOT NULL,  -- 'geoevents' (coded here) or 'gdelt' (imported)
    action_geo_country_iso3 VARCHAR,          -- the place's country as ISO alpha-3, to join with countries
    coder_version          VARCHAR            -- NULL for imported rows
);
