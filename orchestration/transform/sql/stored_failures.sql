-- Where dbt stored the failing rows of a data test (store_failures): its
-- audit schema, the table named after the test.
SELECT
    table_schema,
    table_name
FROM information_schema.tables
WHERE table_name = $test
ORDER BY table_schema
LIMIT 1;
