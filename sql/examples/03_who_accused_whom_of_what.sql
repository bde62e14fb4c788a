-- Question: Who accused, criticised or condemned whom, and of what? (CAMEO 111 criticize or denounce,
-- 112 accuse), with the sentence that says so and where it was published.
SELECT
    e.event_date,
    e.actor1_name,
    e.event_code,
    e.actor2_name,
    m.sentence,
    m.mention_identifier AS url
FROM events e
JOIN mentions m USING (global_event_id)
WHERE e.event_base_code IN ('111', '112')
ORDER BY e.event_date DESC, e.global_event_id, m.sentence_id;
