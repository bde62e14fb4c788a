-- dyad_week_cooperation_index: for each undirected pair of actors and week, cooperative events (QuadClass
-- 1-2), conflictual events (3-4) and the net index (cooperation - conflict) / (cooperation + conflict),
-- from -1 (all conflict) to +1 (all cooperation).
-- Answers: "how did cooperation between China and Russia evolve this year?"
-- Example: SELECT week, net_cooperation FROM dyad_week_cooperation_index
--          WHERE actor_a = 'CHN' AND actor_b = 'RUS' ORDER BY week;
CREATE OR REPLACE VIEW dyad_week_cooperation_index AS
WITH pairs AS (
    SELECT
        coalesce(actor1_country_code, left(actor1_code, 6)) AS source,
        coalesce(actor2_country_code, left(actor2_code, 6)) AS target,
        date_trunc('week', event_date)::DATE                AS week,
        quad_class,
        goldstein_scale
    FROM events
    WHERE actor1_code IS NOT NULL AND actor2_code IS NOT NULL
)
SELECT
    least(source, target)                                  AS actor_a,
    greatest(source, target)                               AS actor_b,
    week,
    count(*) FILTER (WHERE quad_class IN (1, 2))           AS cooperation,
    count(*) FILTER (WHERE quad_class IN (3, 4))           AS conflict,
    (count(*) FILTER (WHERE quad_class IN (1, 2)) - count(*) FILTER (WHERE quad_class IN (3, 4)))
        / count(*)                                         AS net_cooperation,
    sum(goldstein_scale)                                   AS goldstein_sum
FROM pairs
WHERE source <> target
GROUP BY ALL;
