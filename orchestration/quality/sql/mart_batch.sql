-- A whole mart (marts are rebuilt by every run). {{ relation }} is a mart
-- name from the fixed list of expectations/marts.py, checked as an identifier.
SELECT * FROM marts.{{ relation }};
