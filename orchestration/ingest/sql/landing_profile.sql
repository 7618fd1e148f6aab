-- One resolved batch as the landing suite sees it (expectations/landing.py):
-- the distinct values of each checked column of the records to be stored or
-- counted as duplicates, the distinct characters and lengths of the
-- identifier-like ones, each with the first line it occurs on, and the
-- batch's quarantined share. One row a value, the other columns NULL (the
-- suite's column rules skip NULLs). person_ref is read from the payload as
-- it will be stored, after pseudonymisation.
WITH kept AS MATERIALIZED (
    SELECT
        line_no, org_id, event_type || '/v' || schema_version AS type_version, event_id, content_hash,
        actor_ref, json_extract_string(payload, '$.person_ref') AS person_ref
    FROM landing_outcome
    WHERE outcome <> 'quarantined'
),
profile AS (
    SELECT 'org_id' AS measure, org_id AS value, min(line_no) AS first_line FROM kept GROUP BY 2
    UNION ALL
    SELECT 'type_version', type_version, min(line_no) FROM kept GROUP BY 2
    UNION ALL
    SELECT 'event_id_length', CAST(length(event_id) AS VARCHAR), min(line_no) FROM kept GROUP BY 2
    UNION ALL
    SELECT 'content_hash_length', CAST(coalesce(length(content_hash), 0) AS VARCHAR), min(line_no) FROM kept GROUP BY 2
    UNION ALL
    SELECT 'event_id_character', c, min(line_no)
    FROM (SELECT line_no, unnest(string_split(event_id, '')) AS c FROM kept) GROUP BY 2
    UNION ALL
    -- people recur: the characters of each distinct reference, not of every record
    SELECT 'actor_ref_character', c, min(first_line)
    FROM (SELECT unnest(string_split(actor_ref, '')) AS c, first_line
          FROM (SELECT actor_ref, min(line_no) AS first_line FROM kept WHERE actor_ref IS NOT NULL GROUP BY 1))
    GROUP BY 2
    UNION ALL
    SELECT 'person_ref_character', c, min(first_line)
    FROM (SELECT unnest(string_split(person_ref, '')) AS c, first_line
          FROM (SELECT person_ref, min(line_no) AS first_line FROM kept WHERE person_ref IS NOT NULL GROUP BY 1))
    GROUP BY 2
    UNION ALL
    -- its line: the first quarantined record's
    SELECT 'quarantined_share', CAST(round(avg(CASE WHEN outcome = 'quarantined' THEN 1.0 ELSE 0.0 END), 4) AS VARCHAR),
           coalesce(min(line_no) FILTER (WHERE outcome = 'quarantined'), min(line_no))
    FROM landing_outcome
)
SELECT
    first_line AS source_line,
    CASE measure WHEN 'org_id' THEN value END AS org_id,
    CASE measure WHEN 'type_version' THEN value END AS type_version,
    CASE measure WHEN 'event_id_character' THEN value END AS event_id_character,
    CASE measure WHEN 'event_id_length' THEN CAST(value AS INTEGER) END AS event_id_length,
    CASE measure WHEN 'content_hash_length' THEN CAST(value AS INTEGER) END AS content_hash_length,
    CASE measure WHEN 'actor_ref_character' THEN value END AS actor_ref_character,
    CASE measure WHEN 'person_ref_character' THEN value END AS person_ref_character,
    CASE measure WHEN 'quarantined_share' THEN CAST(value AS DOUBLE) END AS quarantined_share
FROM profile
ORDER BY measure, source_line;
