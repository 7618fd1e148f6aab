-- The marts readers see: every table and view dbt built in the marts schema.
SELECT table_name
FROM information_schema.tables
WHERE table_schema = 'marts'
ORDER BY table_name;
