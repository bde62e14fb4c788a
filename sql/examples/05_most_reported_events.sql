-- Question: Which events were reported most widely (by the most articles and outlets)?
SELECT
    e.event_date,
    e.actor1_name,
    c.name AS action,
    e.actor2_name,
    e.action_geo_fullname AS place,
    e.num_articles,
    e.num_sources,
    e.num_mentions,
    e.source_url
FROM events e
JOIN cameo_event_codes c ON c.code = e.event_code
ORDER BY e.num_articles DESC, e.num_mentions DESC, e.event_date
LIMIT 10;
