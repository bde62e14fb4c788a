-- actor_activity: how active each country or organisation is as a source (acting) and as a target (acted
-- upon), with its first and last event and the mean Goldstein score of what it does and undergoes.
-- Answers: "who are the most active actors, and who is most often on the receiving end?"
-- Example: SELECT * FROM actor_activity ORDER BY as_source DESC LIMIT 20;
CREATE OR REPLACE VIEW actor_activity AS
WITH roles AS (
    SELECT coalesce(actor1_country_code, left(actor1_code, 6)) AS actor, 'source' AS side, event_date,
           goldstein_scale
    FROM events WHERE actor1_code IS NOT NULL
    UNION ALL
    SELECT coalesce(actor2_country_code, left(actor2_code, 6)), 'target', event_date, goldstein_scale
    FROM events WHERE actor2_code IS NOT NULL
)
SELECT
    actor,
    count(*) FILTER (WHERE side = 'source')                 AS as_source,
    count(*) FILTER (WHERE side = 'target')                 AS as_target,
    count(*)                                                AS total,
    avg(goldstein_scale) FILTER (WHERE side = 'source')     AS goldstein_as_source,
    avg(goldstein_scale) FILTER (WHERE side = 'target')     AS goldstein_as_target,
    min(event_date)                                         AS first_event,
    max(event_date)                                         AS last_event
FROM roles
GROUP BY actor;
