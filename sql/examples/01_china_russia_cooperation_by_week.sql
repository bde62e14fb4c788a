-- Question: How did cooperation between China and Russia evolve, week by week?
-- Net cooperation runs from -1 (all conflict) to +1 (all cooperation); see sql/views/dyad_week_cooperation_index.sql.
SELECT week, cooperation, conflict, round(net_cooperation, 2) AS net_cooperation
FROM dyad_week_cooperation_index
WHERE actor_a = 'CHN' AND actor_b = 'RUS'
ORDER BY week;
