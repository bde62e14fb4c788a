-- events_by_root_code: distinct events and their mentions per CAMEO root code (01 make public statement ...
-- 20 use unconventional mass violence), most frequent first.
SELECT
    e.event_root_code               AS root,
    c.name                          AS action,
    count(*)                        AS events,
    sum(e.num_mentions)::BIGINT     AS mentions
FROM events e
LEFT JOIN cameo_event_codes c ON c.code = e.event_root_code
GROUP BY e.event_root_code, c.name
ORDER BY events DESC, root;
