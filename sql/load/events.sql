-- Rebuilds the events whose ids are in the temporary table events_to_rebuild from all their mentions, so counts,
-- dates and places stay right when a later run brings more reports of an event already in the warehouse.
-- Where reports differ, the event takes: the most common date (the earliest on a tie), the most common event
-- code, the most specific actors ("IDNCOP" over "IDN", with a known group over without), a city over a country
-- over no place, and the lead flag and url of the earliest report. Each actor and each place comes whole from
-- one report (picked with one arg_max over a struct, which is also what keeps this fast on large batches).

-- Which report's place wins: a city (GDELT geo types 3 and 4) over a place with an id over any place over none.
CREATE OR REPLACE TEMP MACRO place_preference(geo_type, feature_id) AS
    (coalesce(geo_type IN (3, 4), false), feature_id IS NOT NULL, geo_type IS NOT NULL, coalesce(feature_id, ''));
-- Which report's actor wins: the longest (most specific) code, then one with a known group.
CREATE OR REPLACE TEMP MACRO actor_preference(code, known_group) AS
    (length(coalesce(code, '')), coalesce(code, ''), known_group IS NOT NULL);

DELETE FROM events WHERE source = 'geoevents' AND global_event_id IN (SELECT global_event_id FROM events_to_rebuild);

INSERT INTO events BY NAME
WITH reports AS (
    SELECT m.*, a.url, a.source AS outlet, a.published_at, a.ingested_at, a.tone AS article_tone
    FROM mentions m
    JOIN articles a ON a.id = m.article_id
    WHERE m.global_event_id IN (SELECT global_event_id FROM events_to_rebuild)
),
dates AS (
    SELECT global_event_id, arg_max(event_date, (reports, -epoch(event_date))) AS event_date
    FROM (SELECT global_event_id, event_date, count(*) AS reports FROM reports GROUP BY ALL)
    GROUP BY global_event_id
),
codes AS (
    SELECT global_event_id, arg_max(event_code, (reports, event_code)) AS event_code
    FROM (SELECT global_event_id, event_code, count(*) AS reports FROM reports GROUP BY ALL)
    GROUP BY global_event_id
),
tones AS (
    SELECT global_event_id, avg(article_tone) AS avg_tone
    FROM (SELECT DISTINCT global_event_id, article_id, article_tone FROM reports)
    GROUP BY global_event_id
),
chosen AS (
    SELECT
        global_event_id,
        arg_max(
            struct_pack(actor1_code, actor1_name, actor1_country_code, actor1_known_group_code, actor1_type1_code),
            actor_preference(actor1_code, actor1_known_group_code)
        ) AS actor1,
        arg_max(
            struct_pack(actor2_code, actor2_name, actor2_country_code, actor2_known_group_code, actor2_type1_code),
            actor_preference(actor2_code, actor2_known_group_code)
        ) AS actor2,
        arg_max(
            struct_pack(actor1_geo_type, actor1_geo_fullname, actor1_geo_country_code, actor1_geo_adm1_code,
                        actor1_geo_adm2_code, actor1_geo_lat, actor1_geo_long, actor1_geo_feature_id),
            place_preference(actor1_geo_type, actor1_geo_feature_id)
        ) AS actor1_geo,
        arg_max(
            struct_pack(actor2_geo_type, actor2_geo_fullname, actor2_geo_country_code, actor2_geo_adm1_code,
                        actor2_geo_adm2_code, actor2_geo_lat, actor2_geo_long, actor2_geo_feature_id),
            place_preference(actor2_geo_type, actor2_geo_feature_id)
        ) AS actor2_geo,
        arg_max(
            struct_pack(action_geo_type, action_geo_fullname, action_geo_country_code, action_geo_adm1_code,
                        action_geo_adm2_code, action_geo_lat, action_geo_long, action_geo_feature_id,
                        action_geo_country_iso3),
            place_preference(action_geo_type, action_geo_feature_id)
        ) AS action_geo,
        arg_min(is_lead::INTEGER, (published_at, ingested_at, article_id, sentence_id)) AS is_root_event,
        count(*) AS num_mentions,
        count(DISTINCT coalesce(outlet, 'article:' || article_id)) AS num_sources,
        count(DISTINCT article_id) AS num_articles,
        strftime(min(ingested_at) AT TIME ZONE 'UTC', '%Y%m%d%H%M%S')::BIGINT AS date_added,
        arg_min(url, (published_at, ingested_at, article_id)) AS source_url,
        max(coder_version) AS coder_version
    FROM reports
    GROUP BY global_event_id
)
SELECT
    global_event_id,
    strftime(d.event_date, '%Y%m%d')::INTEGER AS sql_date,
    strftime(d.event_date, '%Y%m')::INTEGER AS month_year,
    year(d.event_date) AS year,
    round(year(d.event_date) + (month(d.event_date) * 30 + day(d.event_date)) / 365, 4) AS fraction_date,
    d.event_date,
    unnest(e.actor1),
    unnest(e.actor2),
    e.is_root_event,
    c.event_code,
    left(c.event_code, 3) AS event_base_code,
    cb.root AS event_root_code,
    cb.quad_class,
    cb.goldstein AS goldstein_scale,
    e.num_mentions,
    e.num_sources,
    e.num_articles,
    t.avg_tone,
    unnest(e.actor1_geo),
    unnest(e.actor2_geo),
    unnest(e.action_geo),
    e.date_added,
    e.source_url,
    'geoevents' AS source,
    e.coder_version
FROM chosen e
JOIN dates d USING (global_event_id)
JOIN codes c USING (global_event_id)
JOIN cameo_event_codes cb ON cb.code = c.event_code
JOIN tones t USING (global_event_id);
