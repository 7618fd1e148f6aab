"""Events -> marts with dbt."""
