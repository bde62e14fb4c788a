-- report_selection: the events a `geoevents report` covers, kept in the temp table report_events that every
-- other report_*.sql query reads, with each event's dyad (dyad_source -> dyad_target) for the dyad charts.
-- Parameters: $1 first day (DATE or NULL), $2 last day (DATE or NULL), $3 actor codes (VARCHAR[], longest
-- first; empty = no actor filter). An actor code matches an event's side when the side's CAMEO actor code
-- starts with it (CHN matches CHN, CHNGOV, CHNMIL ...) or it is the side's country or known-group code.
--   no actors:  every event; dyad = (actor1_code, actor2_code), NULL without a target
--   one actor:  events with the actor on either side; dyad = the matched code, or the other side's actor code
--   2+ actors:  events between two different chosen actors, in either direction; dyad = the matched codes
CREATE OR REPLACE TEMP TABLE report_events AS
WITH dated AS (
    SELECT
        e.global_event_id, e.event_date, e.actor1_code, e.actor1_name, e.actor2_code, e.actor2_name,
        e.event_code, e.event_root_code, e.quad_class, e.goldstein_scale, e.num_mentions, e.num_sources,
        e.num_articles, e.avg_tone, e.action_geo_fullname, e.action_geo_lat, e.action_geo_long,
        e.source_url, e.source,
        list_filter($3::VARCHAR[], lambda c: starts_with(coalesce(e.actor1_code, ''), c)
            OR c = e.actor1_country_code OR c = e.actor1_known_group_code)[1] AS key1,
        list_filter($3::VARCHAR[], lambda c: starts_with(coalesce(e.actor2_code, ''), c)
            OR c = e.actor2_country_code OR c = e.actor2_known_group_code)[1] AS key2
    FROM events e
    WHERE ($1::DATE IS NULL OR e.event_date >= $1::DATE)
      AND ($2::DATE IS NULL OR e.event_date <= $2::DATE)
)
SELECT
    * EXCLUDE (key1, key2),
    CASE WHEN len($3::VARCHAR[]) = 0 THEN actor1_code ELSE coalesce(key1, actor1_code) END AS dyad_source,
    CASE WHEN len($3::VARCHAR[]) = 0 THEN actor2_code ELSE coalesce(key2, actor2_code) END AS dyad_target
FROM dated
WHERE len($3::VARCHAR[]) = 0
   OR (len($3::VARCHAR[]) = 1 AND (key1 IS NOT NULL OR key2 IS NOT NULL))
   OR (key1 IS NOT NULL AND key2 IS NOT NULL AND key1 <> key2);
