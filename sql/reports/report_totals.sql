-- report_totals: the report header's figures for the selected events (temp table report_events, made by
-- report_selection.sql): distinct events, summed mentions and articles, first and last event day, events
-- per source ('geoevents' coded here, 'gdelt' imported), events with a mappable place, and all the
-- warehouse's events (to tell an empty warehouse from an empty selection).
SELECT
    (SELECT count(*) FROM events)                             AS warehouse_events,
    count(*)                                                  AS events,
    coalesce(sum(num_mentions), 0)::BIGINT                    AS mentions,
    coalesce(sum(num_articles), 0)::BIGINT                    AS articles,
    min(event_date)                                           AS first_day,
    max(event_date)                                           AS last_day,
    count(*) FILTER (WHERE source = 'geoevents')              AS coded_here,
    count(*) FILTER (WHERE source = 'gdelt')                  AS from_gdelt,
    count(*) FILTER (WHERE action_geo_lat BETWEEN -90 AND 90
                       AND action_geo_long BETWEEN -180 AND 180) AS located
FROM report_events;
