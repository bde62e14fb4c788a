-- Rebuilds the events of the event ids in the temporary table touched_events from all their mentions,
-- so counts stay right when a later run brings more reports of an event already in the warehouse.
DELETE FROM events WHERE event_id IN (SELECT event_id FROM touched_events);

INSERT INTO events BY NAME
WITH reports AS (
    SELECT m.*, a.url, a.source, a.published_at, a.ingested_at
    FROM mentions m
    JOIN articles a ON a.id = m.article_id
    WHERE m.event_id IN (SELECT event_id FROM touched_events)
)
SELECT
    event_id,
    any_value(event_date)         AS event_date,
    any_value(source_code)        AS source_code,
    any_value(source_name)        AS source_name,
    any_value(source_country)     AS source_country,
    any_value(source_type)        AS source_type,
    any_value(source_group_code)  AS source_group_code,
    any_value(target_code)        AS target_code,
    any_value(target_name)        AS target_name,
    any_value(target_country)     AS target_country,
    any_value(target_type)        AS target_type,
    any_value(target_group_code)  AS target_group_code,
    any_value(event_code)         AS event_code,
    any_value(event_base_code)    AS event_base_code,
    any_value(event_root_code)    AS event_root_code,
    any_value(quad_class)         AS quad_class,
    any_value(goldstein)          AS goldstein,
    any_value(geo_name)           AS geo_name,
    any_value(geo_country)        AS geo_country,
    any_value(geo_lat)            AS geo_lat,
    any_value(geo_lon)            AS geo_lon,
    count(*)                      AS num_mentions,
    count(DISTINCT article_id)    AS num_articles,
    count(DISTINCT coalesce(source, 'article:' || article_id)) AS num_sources,
    min(ingested_at)              AS first_seen,
    arg_min(url, (published_at, ingested_at, article_id)) AS source_url,
    max(coder_version)            AS coder_version
FROM reports
GROUP BY event_id;
