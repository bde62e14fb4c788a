-- what_happened_between(a, b, d1, d2): every event between two actors (either direction) from day d1 to
-- day d2, one row per report, with the sentence it was coded from and the article's url: the query that
-- lets an analyst check what the counts are made of. A table macro: call it like a table.
-- Answers: "what exactly happened between China and Russia in May 2025, and who reported it?"
-- Example: SELECT * FROM what_happened_between('CHN', 'RUS', DATE '2025-05-01', DATE '2025-05-31');
CREATE OR REPLACE MACRO what_happened_between(a, b, d1, d2) AS TABLE
SELECT
    e.event_date,
    e.global_event_id,
    e.actor1_code,
    e.actor1_name,
    e.event_code,
    c.name                AS action,
    e.actor2_code,
    e.actor2_name,
    e.action_geo_fullname AS place,
    e.goldstein_scale,
    e.num_articles,
    m.sentence,
    m.mention_source_name AS outlet,
    m.mention_identifier  AS url
FROM events e
LEFT JOIN cameo_event_codes c ON c.code = e.event_code
LEFT JOIN mentions m ON m.global_event_id = e.global_event_id
WHERE e.event_date BETWEEN d1 AND d2
  AND ((coalesce(e.actor1_country_code, left(e.actor1_code, 6)) = a
        AND coalesce(e.actor2_country_code, left(e.actor2_code, 6)) = b)
    OR (coalesce(e.actor1_country_code, left(e.actor1_code, 6)) = b
        AND coalesce(e.actor2_country_code, left(e.actor2_code, 6)) = a))
ORDER BY e.event_date, e.global_event_id, m.mention_time_date, m.article_id, m.sentence_id;
