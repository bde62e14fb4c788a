-- Question: Who are the most active actors, and who is most often on the receiving end?
SELECT actor, as_source, as_target, round(goldstein_as_source, 1) AS goldstein_as_source,
       round(goldstein_as_target, 1) AS goldstein_as_target, first_event, last_event
FROM actor_activity
ORDER BY total DESC, actor
LIMIT 15;
