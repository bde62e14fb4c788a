-- report_top_dyads: the busiest directed dyads (dyad_source -> dyad_target) among the selected events
-- (temp table report_events), with a name for each side (the actor's name when the side is one actor code,
-- else the country or region named by the code, from countries), counts, mean Goldstein score
-- (-10 most conflictual .. +10 most cooperative), mean tone, share of conflict (QuadClass 3-4) and dates.
-- Parameter: $1 how many dyads (INTEGER).
SELECT
    r.dyad_source,
    r.dyad_target,
    CASE WHEN min(r.actor1_code) = max(r.actor1_code) THEN mode(r.actor1_name)
         ELSE any_value(s.name) END                           AS source_name,
    CASE WHEN min(r.actor2_code) = max(r.actor2_code) THEN mode(r.actor2_name)
         ELSE any_value(t.name) END                           AS target_name,
    count(*)                                                  AS events,
    sum(r.num_mentions)::BIGINT                               AS mentions,
    sum(r.num_articles)::BIGINT                               AS articles,
    avg(r.goldstein_scale)                                    AS mean_goldstein,
    avg(r.avg_tone)                                           AS mean_tone,
    avg(CASE WHEN r.quad_class >= 3 THEN 1.0 ELSE 0.0 END)    AS conflict_share,
    min(r.event_date)                                         AS first_day,
    max(r.event_date)                                         AS last_day
FROM report_events r
LEFT JOIN countries s ON s.code = r.dyad_source
LEFT JOIN countries t ON t.code = r.dyad_target
WHERE r.dyad_source IS NOT NULL AND r.dyad_target IS NOT NULL
GROUP BY r.dyad_source, r.dyad_target
ORDER BY events DESC, mentions DESC, r.dyad_source, r.dyad_target
LIMIT $1;
