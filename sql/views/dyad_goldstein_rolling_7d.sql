-- dyad_goldstein_rolling_7d: each directed dyad's daily mean Goldstein score and its mean over the 7 days
-- ending that day (days without events do not count as zero; they are simply absent).
-- Answers: "is the trend between Thailand and Cambodia getting worse?"
-- Example: SELECT event_date, goldstein_7d FROM dyad_goldstein_rolling_7d
--          WHERE source = 'THA' AND target = 'KHM' ORDER BY event_date;
CREATE OR REPLACE VIEW dyad_goldstein_rolling_7d AS
WITH daily AS (
    SELECT
        coalesce(actor1_country_code, left(actor1_code, 6)) AS source,
        coalesce(actor2_country_code, left(actor2_code, 6)) AS target,
        event_date,
        count(*)                                            AS events,
        sum(goldstein_scale)                                AS goldstein_total
    FROM events
    WHERE actor1_code IS NOT NULL AND actor2_code IS NOT NULL
    GROUP BY ALL
)
SELECT
    source,
    target,
    event_date,
    events,
    goldstein_total / events AS goldstein_mean,
    sum(goldstein_total) OVER last_week / sum(events) OVER last_week AS goldstein_7d,
    sum(events) OVER last_week AS events_7d
FROM daily
WINDOW last_week AS (PARTITION BY source, target ORDER BY event_date
                     RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW);
