-- dyad_day_goldstein: the Goldstein score (-10 conflict .. +10 cooperation) of each directed dyad per day,
-- as a plain mean over events and weighted by how many mentions each event had.
-- Answers: "was the US-Russia relationship warmer or colder on the days around the summit?"
-- Example: SELECT event_date, goldstein_mean, goldstein_weighted FROM dyad_day_goldstein
--          WHERE source = 'USA' AND target = 'RUS' ORDER BY event_date;
CREATE OR REPLACE VIEW dyad_day_goldstein AS
SELECT
    coalesce(actor1_country_code, left(actor1_code, 6))         AS source,
    coalesce(actor2_country_code, left(actor2_code, 6))         AS target,
    event_date,
    count(*)                                                    AS events,
    avg(goldstein_scale)                                        AS goldstein_mean,
    sum(goldstein_scale * num_mentions) / sum(num_mentions)     AS goldstein_weighted
FROM events
WHERE actor1_code IS NOT NULL AND actor2_code IS NOT NULL AND num_mentions > 0
GROUP BY ALL;
