-- Question: Was the relationship between Thailand and Cambodia getting worse? The daily Goldstein score
-- of what Thailand did to Cambodia and back, with its 7-day rolling mean.
SELECT source, target, event_date, events, round(goldstein_mean, 1) AS goldstein, round(goldstein_7d, 1) AS goldstein_7d
FROM dyad_goldstein_rolling_7d
WHERE (source = 'THA' AND target = 'KHM') OR (source = 'KHM' AND target = 'THA')
ORDER BY event_date, source;
