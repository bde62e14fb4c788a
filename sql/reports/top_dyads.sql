-- top_dyads: the directed actor pairs (source -> target) with the most distinct events, with their mean
-- Goldstein score (-10 most conflictual .. +10 most cooperative).
SELECT
    actor1_code,
    actor2_code,
    count(*)                        AS events,
    sum(num_mentions)::BIGINT       AS mentions,
    round(avg(goldstein_scale), 2)        AS mean_goldstein
FROM events
WHERE actor2_code IS NOT NULL
GROUP BY actor1_code, actor2_code
ORDER BY events DESC, mentions DESC, actor1_code, actor2_code
LIMIT 10;
