-- dyad_day_events: how many distinct events each directed dyad (source country -> target country; IGOs
-- and NGOs by their code, e.g. IGOUNO) had each day, with how widely they were reported.
-- Answers: "how often did China act towards Russia, day by day?"
-- Example: SELECT * FROM dyad_day_events WHERE source = 'CHN' AND target = 'RUS'
--          AND event_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' ORDER BY event_date;
CREATE OR REPLACE VIEW dyad_day_events AS
SELECT
    coalesce(actor1_country_code, left(actor1_code, 6)) AS source,
    coalesce(actor2_country_code, left(actor2_code, 6)) AS target,
    event_date,
    count(*)                                            AS events,
    sum(num_mentions)                                   AS mentions,
    sum(num_articles)                                   AS articles
FROM events
WHERE actor1_code IS NOT NULL AND actor2_code IS NOT NULL
GROUP BY ALL;
