-- report_dyad_timeline: events and mean Goldstein score per time bucket for the charted dyads, from the
-- selected events (temp table report_events). Buckets without events are absent (the report adds zeros).
-- Parameters: $1 bucket ('day', 'week' (starting Monday), 'month', 'quarter' or 'year'),
-- $2 dyad sources and $3 dyad targets (VARCHAR[] of the same length: dyad i is $2[i] -> $3[i]).
WITH charted AS (
    SELECT unnest($2::VARCHAR[]) AS dyad_source, unnest($3::VARCHAR[]) AS dyad_target
)
SELECT
    r.dyad_source,
    r.dyad_target,
    date_trunc($1, r.event_date)::DATE                        AS bucket,
    count(*)                                                  AS events,
    avg(r.goldstein_scale)                                    AS mean_goldstein,
    sum(r.num_mentions)::BIGINT                               AS mentions
FROM report_events r
JOIN charted c ON c.dyad_source = r.dyad_source AND c.dyad_target = r.dyad_target
GROUP BY ALL
ORDER BY bucket, r.dyad_source, r.dyad_target;
