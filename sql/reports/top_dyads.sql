-- top_dyads: the directed actor pairs (source -> target) with the most distinct events, with their mean
-- Goldstein score (-10 most conflictual .. +10 most cooperative).
SELECT
    source_code,
    target_code,
    count(*)                        AS events,
    sum(num_mentions)::BIGINT       AS mentions,
    round(avg(goldstein), 2)        AS mean_goldstein
FROM events
WHERE target_code IS NOT NULL
GROUP BY source_code, target_code
ORDER BY events DESC, mentions DESC, source_code, target_code
LIMIT 10;
