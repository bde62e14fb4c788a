-- Question: Which countries saw the share of material conflict rise in the latest month, compared with the
-- month before? (The latest month is the latest in the data, so the query works on any warehouse.)
WITH latest AS (SELECT max(month) AS month FROM country_month_quad_shares),
conflict AS (
    SELECT country, month, share
    FROM country_month_quad_shares
    WHERE quad_class = 4
)
SELECT
    c.country,
    round(c.share, 2)                                   AS share_latest_month,
    round(coalesce(p.share, 0), 2)                      AS share_month_before,
    round(c.share - coalesce(p.share, 0), 2)            AS rise
FROM conflict c
JOIN latest l ON c.month = l.month
LEFT JOIN conflict p ON p.country = c.country AND p.month = c.month - INTERVAL 1 MONTH
ORDER BY rise DESC, c.country;
