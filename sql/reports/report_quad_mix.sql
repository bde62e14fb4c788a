-- report_quad_mix: the selected events (temp table report_events) per time bucket and QuadClass
-- (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict).
-- Parameter: $1 bucket ('day', 'week' (starting Monday), 'month', 'quarter' or 'year').
SELECT
    date_trunc($1, event_date)::DATE                          AS bucket,
    quad_class,
    count(*)                                                  AS events,
    sum(num_mentions)::BIGINT                                 AS mentions
FROM report_events
GROUP BY ALL
ORDER BY bucket, quad_class;
