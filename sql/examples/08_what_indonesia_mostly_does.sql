-- Question: What kinds of action does Indonesia take most often in the news?
SELECT rank, root_code, action, events, round(share, 2) AS share
FROM actor_top_root_codes
WHERE actor = 'IDN'
ORDER BY rank;
