-- actor_top_root_codes: for each acting country or organisation, its five most frequent kinds of action
-- (CAMEO root codes), with the share of its events they make up.
-- Answers: "what does Indonesia mostly do in the news: consult, appeal, protest ...?"
-- Example: SELECT * FROM actor_top_root_codes WHERE actor = 'IDN' ORDER BY rank;
CREATE OR REPLACE VIEW actor_top_root_codes AS
WITH counts AS (
    SELECT
        coalesce(e.actor1_country_code, left(e.actor1_code, 6)) AS actor,
        e.event_root_code                                       AS root_code,
        c.name                                                  AS action,
        count(*)                                                AS events
    FROM events e
    LEFT JOIN cameo_event_codes c ON c.code = e.event_root_code
    WHERE e.actor1_code IS NOT NULL
    GROUP BY coalesce(e.actor1_country_code, left(e.actor1_code, 6)), e.event_root_code, c.name
)
SELECT
    actor,
    root_code,
    action,
    events,
    events / sum(events) OVER (PARTITION BY actor)                          AS share,
    row_number() OVER (PARTITION BY actor ORDER BY events DESC, root_code)  AS rank
FROM counts
QUALIFY rank <= 5;
