-- Question: Which events were reported both in English and in Indonesian, and by how many articles in each?
-- (Coded natively in each language, then de-duplicated into one event.)
SELECT
    e.event_date,
    e.actor1_code,
    e.event_code,
    e.actor2_code,
    count(DISTINCT a.id) FILTER (WHERE a.language = 'en') AS english_articles,
    count(DISTINCT a.id) FILTER (WHERE a.language = 'id') AS indonesian_articles
FROM events e
JOIN mentions m USING (global_event_id)
JOIN articles a ON a.id = m.article_id
GROUP BY e.event_date, e.actor1_code, e.event_code, e.actor2_code, e.global_event_id
HAVING count(DISTINCT a.language) = 2
ORDER BY e.event_date, e.actor1_code;
