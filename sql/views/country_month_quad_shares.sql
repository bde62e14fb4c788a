-- country_month_quad_shares: for each country and month, the share of its events in each QuadClass
-- (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict). The country is
-- where the event happened when the text says, else the acting country.
-- Answers: "which countries saw material conflict rise this year?"
-- Example: SELECT country, month, share FROM country_month_quad_shares
--          WHERE quad_class = 4 AND month >= DATE '2025-01-01' ORDER BY country, month;
CREATE OR REPLACE VIEW country_month_quad_shares AS
WITH counts AS (
    SELECT
        coalesce(action_geo_country_iso3, actor1_country_code) AS country,
        date_trunc('month', event_date)::DATE                  AS month,
        quad_class,
        count(*)                                               AS events
    FROM events
    WHERE coalesce(action_geo_country_iso3, actor1_country_code) IS NOT NULL
    GROUP BY ALL
)
SELECT
    country,
    month,
    quad_class,
    CASE quad_class WHEN 1 THEN 'verbal cooperation' WHEN 2 THEN 'material cooperation'
                    WHEN 3 THEN 'verbal conflict' ELSE 'material conflict' END AS quad_name,
    events,
    events / sum(events) OVER (PARTITION BY country, month)                   AS share
FROM counts;
