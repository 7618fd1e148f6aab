-- Values as they may be stored: each holding an e-mail address replaced by
-- its pseudonym (the session's pepper), in order. Parameter: $values.
-- DuckDB's lambda syntax is beyond sqlfluff's parser: the parse error is expected here
SELECT list_transform($values::VARCHAR[], LAMBDA v: pseudonym(v));  -- noqa: PRS
