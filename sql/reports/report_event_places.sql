-- report_event_places: the places where the selected events (temp table report_events) took place, for
-- the map: each action location with coordinates (action_geo_fullname at action_geo_lat/long), its events
-- per QuadClass (1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict),
-- summed articles and mentions, first and last day, the conflict share, and its five most reported events
-- (date, actors, event code and name from cameo_event_codes, articles) for the map's tooltips.
-- Parameter: $1 how many places at most (INTEGER), the ones with most events first.
WITH located AS (
    SELECT *, action_geo_fullname AS place, round(action_geo_lat, 3) AS lat, round(action_geo_long, 3) AS lon
    FROM report_events
    WHERE action_geo_lat BETWEEN -90 AND 90 AND action_geo_long BETWEEN -180 AND 180
),
places AS (
    SELECT
        place, lat, lon,
        count(*)                                              AS events,
        sum(num_articles)::BIGINT                             AS articles,
        sum(num_mentions)::BIGINT                             AS mentions,
        count(*) FILTER (WHERE quad_class = 1)                AS quad1,
        count(*) FILTER (WHERE quad_class = 2)                AS quad2,
        count(*) FILTER (WHERE quad_class = 3)                AS quad3,
        count(*) FILTER (WHERE quad_class = 4)                AS quad4,
        avg(CASE WHEN quad_class >= 3 THEN 1.0 ELSE 0.0 END)  AS conflict_share,
        min(event_date)                                       AS first_day,
        max(event_date)                                       AS last_day
    FROM located
    GROUP BY place, lat, lon
    ORDER BY events DESC, articles DESC, place, lat, lon
    LIMIT $1
),
ranked AS (
    SELECT l.*, row_number() OVER (
        PARTITION BY l.place, l.lat, l.lon
        ORDER BY l.num_articles DESC, l.num_mentions DESC, l.event_date DESC, l.global_event_id) AS rank
    FROM located l
    SEMI JOIN places p ON p.place IS NOT DISTINCT FROM l.place AND p.lat = l.lat AND p.lon = l.lon
    QUALIFY rank <= 5
),
tops AS (
    SELECT
        r.place, r.lat, r.lon,
        list(struct_pack(
            event_date := r.event_date, actor1_code := r.actor1_code, actor1_name := r.actor1_name,
            actor2_code := r.actor2_code, actor2_name := r.actor2_name, event_code := r.event_code,
            event_name := c.name, quad_class := r.quad_class, num_articles := r.num_articles)
            ORDER BY r.rank)                                  AS top_events
    FROM ranked r
    LEFT JOIN cameo_event_codes c ON c.code = r.event_code
    GROUP BY r.place, r.lat, r.lon
)
SELECT p.*, t.top_events
FROM places p
LEFT JOIN tops t ON t.place IS NOT DISTINCT FROM p.place AND t.lat = p.lat AND t.lon = p.lon
ORDER BY p.events DESC, p.articles DESC, p.place, p.lat, p.lon;
