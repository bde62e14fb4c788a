-- report_top_events: the most-mentioned selected events (temp table report_events) with their date,
-- actors, event code and name (from cameo_event_codes), QuadClass, Goldstein score, counts, tone, place
-- and the first report's address (source_url).
-- Parameter: $1 how many events (INTEGER).
SELECT
    r.global_event_id,
    r.event_date,
    r.actor1_code, r.actor1_name, r.actor2_code, r.actor2_name,
    r.event_code,
    c.name                                                    AS event_name,
    r.quad_class,
    r.goldstein_scale,
    r.num_mentions,
    r.num_sources,
    r.num_articles,
    r.avg_tone,
    r.action_geo_fullname                                     AS place,
    r.source_url,
    r.source
FROM report_events r
LEFT JOIN cameo_event_codes c ON c.code = r.event_code
ORDER BY r.num_mentions DESC, r.num_articles DESC, r.event_date DESC, r.global_event_id
LIMIT $1;
