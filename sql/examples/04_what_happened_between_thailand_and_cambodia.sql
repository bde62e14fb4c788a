-- Question: What exactly happened between Thailand and Cambodia in July 2025, and who reported it?
SELECT event_date, actor1_code, action, actor2_code, place, num_articles, outlet, sentence
FROM what_happened_between('THA', 'KHM', DATE '2025-07-01', DATE '2025-07-31');
