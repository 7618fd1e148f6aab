-- One resolved batch as the landing suite sees it (expectations/landing.py):
-- the distinct values of each checked column of the records to be stored or
-- counted as duplicates, the distinct characters and lengths of the
-- identifier-like ones, each with the first line it occurs on (as `file:line`
-- when the batch spans files), and each file's quarantined share. One row a
-- value, the other columns NULL (the suite's column rules skip NULLs).
-- person_ref is read from the payload as it will be stored, after
-- pseudonymisation.
WITH kept AS MATERIALIZED (
    SELECT
        batch_row, org_id, event_type || '/v' || schema_version AS type_version, event_id, content_hash,
        actor_ref, json_extract_string(payload, '$.person_ref') AS person_ref
    FROM landing_outcome
    WHERE outcome <> 'quarantined'
),
profile AS (
    SELECT 'org_id' AS measure, org_id AS value, min(batch_row) AS first_row FROM kept GROUP BY 2
    UNION ALL
    SELECT 'type_version', type_version, min(batch_row) FROM kept GROUP BY 2
    UNION ALL
    SELECT 'event_id_length', CAST(length(event_id) AS VARCHAR), min(batch_row) FROM kept GROUP BY 2
    UNION ALL
    SELECT 'content_hash_length', CAST(coalesce(length(content_hash), 0) AS VARCHAR), min(batch_row)
    FROM kept GROUP BY 2
    UNION ALL
    SELECT 'event_id_character', c, min(batch_row)
    FROM (SELECT batch_row, unnest(string_split(event_id, '')) AS c FROM kept) GROUP BY 2
    UNION ALL
    -- people recur: the characters of each distinct reference, not of every record
    SELECT 'actor_ref_character', c, min(first_row)
    FROM (SELECT unnest(string_split(actor_ref, '')) AS c, first_row
          FROM (SELECT actor_ref, min(batch_row) AS first_row FROM kept WHERE actor_ref IS NOT NULL GROUP BY 1))
    GROUP BY 2
    UNION ALL
    SELECT 'person_ref_character', c, min(first_row)
    FROM (SELECT unnest(string_split(person_ref, '')) AS c, first_row
          FROM (SELECT person_ref, min(batch_row) AS first_row FROM kept WHERE person_ref IS NOT NULL GROUP BY 1))
    GROUP BY 2
    UNION ALL
    -- a file's share, where it says something (from $min_records_for_share records
    -- on: one bad line of three is not corruption); its line: the first quarantined record's
    SELECT 'quarantined_share', CAST(round(avg(CASE WHEN outcome = 'quarantined' THEN 1.0 ELSE 0.0 END), 4) AS VARCHAR),
           coalesce(min(batch_row) FILTER (WHERE outcome = 'quarantined'), min(batch_row))
    FROM landing_outcome
    GROUP BY source_file
    HAVING count(*) >= $min_records_for_share
)
SELECT
    -- the line of the first occurrence, named only for the ~70 profile rows
    CASE WHEN (SELECT count(DISTINCT source_file) FROM landing_outcome) = 1 THEN CAST(o.line_no AS VARCHAR)
         ELSE parse_filename(o.source_file) || ':' || o.line_no END AS source_line,
    CASE measure WHEN 'org_id' THEN value END AS org_id,
    CASE measure WHEN 'type_version' THEN value END AS type_version,
    CASE measure WHEN 'event_id_character' THEN value END AS event_id_character,
    CASE measure WHEN 'event_id_length' THEN CAST(value AS INTEGER) END AS event_id_length,
    CASE measure WHEN 'content_hash_length' THEN CAST(value AS INTEGER) END AS content_hash_length,
    CASE measure WHEN 'actor_ref_character' THEN value END AS actor_ref_character,
    CASE measure WHEN 'person_ref_character' THEN value END AS person_ref_character,
    CASE measure WHEN 'quarantined_share' THEN CAST(value AS DOUBLE) END AS quarantined_share
FROM profile AS p
LEFT JOIN landing_outcome AS o ON o.batch_row = p.first_row
ORDER BY measure, first_row;
