-- warehouse_totals: how many rows each warehouse table holds.
-- Example: geoevents sql "$(cat sql/reports/warehouse_totals.sql)"
SELECT
    (SELECT count(*) FROM articles)                      AS articles,
    (SELECT count(*) FROM mentions)                      AS mentions,
    (SELECT count(*) FROM events)                        AS events,
    (SELECT count(*) FROM quarantine)                    AS quarantined,
    (SELECT count(*) FROM landing_files)                 AS landing_files,
    (SELECT min(event_date) FROM events)                 AS first_event_date,
    (SELECT max(event_date) FROM events)                 AS last_event_date;
