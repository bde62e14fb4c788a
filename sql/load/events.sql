-- Rebuilds the events whose ids are in the temporary table touched_events from all their mentions, so counts,
-- dates and places stay right when a later run brings more reports of an event already in the warehouse.
-- Where reports differ, the event takes: the most common date (the earliest on a tie), the most specific
-- actor codes ("IDNCOP" over "IDN"), the most common event code, a city over a country, and the lead flag
-- and url of the earliest report.
DELETE FROM events WHERE source = 'geoevents' AND global_event_id IN (SELECT global_event_id FROM touched_events);

INSERT INTO events BY NAME
WITH reports AS (
    SELECT m.*, a.url, a.source AS outlet, a.published_at, a.ingested_at, a.tone AS article_tone
    FROM mentions m
    JOIN articles a ON a.id = m.article_id
    WHERE m.global_event_id IN (SELECT global_event_id FROM touched_events)
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
)
SELECT
    global_event_id,
    strftime(any_value(d.event_date), '%Y%m%d')::INTEGER AS sql_date,
    strftime(any_value(d.event_date), '%Y%m')::INTEGER AS month_year,
    year(any_value(d.event_date)) AS year,
    round(year(any_value(d.event_date)) + (month(any_value(d.event_date)) * 30 + day(any_value(d.event_date))) / 365, 4)
        AS fraction_date,
    any_value(d.event_date) AS event_date,
    arg_max(actor1_code, (length(coalesce(actor1_code, '')), actor1_code)) AS actor1_code,
    arg_max(actor1_name, (length(coalesce(actor1_code, '')), actor1_code)) AS actor1_name,
    arg_max(actor1_country_code, (length(coalesce(actor1_code, '')), actor1_code)) AS actor1_country_code,
    arg_max(actor1_known_group_code, (length(coalesce(actor1_code, '')), actor1_code)) AS actor1_known_group_code,
    arg_max(actor1_type1_code, (length(coalesce(actor1_code, '')), actor1_code)) AS actor1_type1_code,
    arg_max(actor2_code, (length(coalesce(actor2_code, '')), actor2_code)) AS actor2_code,
    arg_max(actor2_name, (length(coalesce(actor2_code, '')), actor2_code)) AS actor2_name,
    arg_max(actor2_country_code, (length(coalesce(actor2_code, '')), actor2_code)) AS actor2_country_code,
    arg_max(actor2_known_group_code, (length(coalesce(actor2_code, '')), actor2_code)) AS actor2_known_group_code,
    arg_max(actor2_type1_code, (length(coalesce(actor2_code, '')), actor2_code)) AS actor2_type1_code,
    arg_min(is_lead::INTEGER, (published_at, ingested_at, article_id, sentence_id)) AS is_root_event,
    any_value(c.event_code) AS event_code,
    left(any_value(c.event_code), 3) AS event_base_code,
    any_value(cb.root) AS event_root_code,
    any_value(cb.quad_class) AS quad_class,
    any_value(cb.goldstein) AS goldstein_scale,
    count(*) AS num_mentions,
    count(DISTINCT coalesce(outlet, 'article:' || article_id)) AS num_sources,
    count(DISTINCT article_id) AS num_articles,
    any_value(t.avg_tone) AS avg_tone,
    arg_max(actor1_geo_type, (actor1_geo_type IN (3, 4), actor1_geo_feature_id IS NOT NULL, actor1_geo_feature_id)) AS actor1_geo_type,
    arg_max(actor1_geo_fullname, (actor1_geo_type IN (3, 4), actor1_geo_feature_id IS NOT NULL, actor1_geo_feature_id)) AS actor1_geo_fullname,
    arg_max(actor1_geo_country_code, (actor1_geo_type IN (3, 4), actor1_geo_feature_id IS NOT NULL, actor1_geo_feature_id)) AS actor1_geo_country_code,
    arg_max(actor1_geo_adm1_code, (actor1_geo_type IN (3, 4), actor1_geo_feature_id IS NOT NULL, actor1_geo_feature_id)) AS actor1_geo_adm1_code,
    arg_max(actor1_geo_adm2_code, (actor1_geo_type IN (3, 4), actor1_geo_feature_id IS NOT NULL, actor1_geo_feature_id)) AS actor1_geo_adm2_code,
    arg_max(actor1_geo_lat, (actor1_geo_type IN (3, 4), actor1_geo_feature_id IS NOT NULL, actor1_geo_feature_id)) AS actor1_geo_lat,
    arg_max(actor1_geo_long, (actor1_geo_type IN (3, 4), actor1_geo_feature_id IS NOT NULL, actor1_geo_feature_id)) AS actor1_geo_long,
    arg_max(actor1_geo_feature_id, (actor1_geo_type IN (3, 4), actor1_geo_feature_id IS NOT NULL, actor1_geo_feature_id)) AS actor1_geo_feature_id,
    arg_max(actor2_geo_type, (actor2_geo_type IN (3, 4), actor2_geo_feature_id IS NOT NULL, actor2_geo_feature_id)) AS actor2_geo_type,
    arg_max(actor2_geo_fullname, (actor2_geo_type IN (3, 4), actor2_geo_feature_id IS NOT NULL, actor2_geo_feature_id)) AS actor2_geo_fullname,
    arg_max(actor2_geo_country_code, (actor2_geo_type IN (3, 4), actor2_geo_feature_id IS NOT NULL, actor2_geo_feature_id)) AS actor2_geo_country_code,
    arg_max(actor2_geo_adm1_code, (actor2_geo_type IN (3, 4), actor2_geo_feature_id IS NOT NULL, actor2_geo_feature_id)) AS actor2_geo_adm1_code,
    arg_max(actor2_geo_adm2_code, (actor2_geo_type IN (3, 4), actor2_geo_feature_id IS NOT NULL, actor2_geo_feature_id)) AS actor2_geo_adm2_code,
    arg_max(actor2_geo_lat, (actor2_geo_type IN (3, 4), actor2_geo_feature_id IS NOT NULL, actor2_geo_feature_id)) AS actor2_geo_lat,
    arg_max(actor2_geo_long, (actor2_geo_type IN (3, 4), actor2_geo_feature_id IS NOT NULL, actor2_geo_feature_id)) AS actor2_geo_long,
    arg_max(actor2_geo_feature_id, (actor2_geo_type IN (3, 4), actor2_geo_feature_id IS NOT NULL, actor2_geo_feature_id)) AS actor2_geo_feature_id,
    arg_max(action_geo_type, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id)) AS action_geo_type,
    arg_max(action_geo_fullname, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id)) AS action_geo_fullname,
    arg_max(action_geo_country_code, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id)) AS action_geo_country_code,
    arg_max(action_geo_adm1_code, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id)) AS action_geo_adm1_code,
    arg_max(action_geo_adm2_code, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id)) AS action_geo_adm2_code,
    arg_max(action_geo_lat, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id)) AS action_geo_lat,
    arg_max(action_geo_long, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id)) AS action_geo_long,
    arg_max(action_geo_feature_id, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id)) AS action_geo_feature_id,
    strftime(min(ingested_at) AT TIME ZONE 'UTC', '%Y%m%d%H%M%S')::BIGINT AS date_added,
    arg_min(url, (published_at, ingested_at, article_id)) AS source_url,
    'geoevents' AS source,
    arg_max(action_geo_country_iso3, (action_geo_type IN (3, 4), action_geo_feature_id IS NOT NULL, action_geo_feature_id))
        AS action_geo_country_iso3,
    max(coder_version) AS coder_version
FROM reports
JOIN dates d USING (global_event_id)
JOIN codes c USING (global_event_id)
JOIN cameo_event_codes cb ON cb.code = c.event_code
JOIN tones t USING (global_event_id)
GROUP BY global_event_id;
