-- Question: Where did material conflict (QuadClass 4: attacks, fighting, arrests, coercion) happen, with
-- coordinates for a map and the tone of the coverage?
SELECT
    action_geo_fullname AS place,
    action_geo_lat      AS lat,
    action_geo_long     AS lon,
    count(*)            AS events,
    sum(num_articles)   AS articles,
    round(avg(avg_tone), 1) AS mean_tone
FROM events
WHERE quad_class = 4 AND action_geo_lat IS NOT NULL
GROUP BY ALL
ORDER BY events DESC, place;
