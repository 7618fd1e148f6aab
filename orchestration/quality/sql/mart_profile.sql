-- The profile of a mart: the rows at the extremes its suite's rules judge
-- (each bounded column's least and greatest value, each ordered pair's
-- least difference and a row with one side of it missing). A rule fails on
-- some row of the mart exactly when it fails on one of these. {{ relation }}
-- is a mart name from expectations/marts.py and {{ extremes }} aggregates
-- of its columns (table_suites.py), both checked as identifiers.
SELECT mart.* FROM marts.{{ relation }} AS mart
WHERE mart.rowid IN (SELECT unnest([{{ extremes }}]) FROM marts.{{ relation }});
