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
        batch_row,
        org_id,
        event_type || '/v' || schema_version AS type_version,
        event_id,
        content_hash,
        actor_ref,
        json_extract_string(payload, '$.person_ref') AS person_ref
    FROM landing_outcome
    WHERE outcome <> 'quarantined'
),

profile AS (
    SELECT
        'org_id' AS measure,
        org_id AS value,
        min(batch_row) AS first_row
    FROM kept
    GROUP BY ALL
    UNION ALL
    SELECT
        'type_version',
        type_version,
        min(batch_row)
    FROM kept
    GROUP BY ALL
    UNION ALL
    SELECT
        'event_id_length',
        cast(length(event_id) AS VARCHAR),
        min(batch_row)
    FROM kept
    GROUP BY ALL
    UNION ALL
    SELECT
        'content_hash_length',
        cast(coalesce(length(content_hash), 0) AS VARCHAR),
        min(batch_row)
    FROM kept
    GROUP BY ALL
    UNION ALL
    SELECT
        'event_id_character',
        c,
        min(batch_row)
    FROM (
        SELECT
            batch_row,
            unnest(string_split(event_id, '')) AS c
        FROM kept
    ) AS id_characters
    GROUP BY ALL
    UNION ALL
    -- people recur: the characters of each distinct reference, not of every record
    SELECT
        'actor_ref_character',
        c,
        min(first_row)
    FROM (
        SELECT
            unnest(string_split(refs.actor_ref, '')) AS c,
            refs.first_row
        FROM (
            SELECT
                actor_ref,
                min(batch_row) AS first_row
            FROM kept
            WHERE actor_ref IS NOT NULL
            GROUP BY 1
        ) AS refs
    ) AS ref_characters
    GROUP BY ALL
    UNION ALL
    SELECT
        'person_ref_character',
        c,
        min(first_row)
    FROM (
        SELECT
            unnest(string_split(refs.person_ref, '')) AS c,
            refs.first_row
        FROM (
            SELECT
                person_ref,
                min(batch_row) AS first_row
            FROM kept
            WHERE person_ref IS NOT NULL
            GROUP BY 1
        ) AS refs
    ) AS ref_characters
    GROUP BY ALL
    UNION ALL
    -- a file's share, where it says something (from $min_records_for_share records
    -- on: one bad line of three is not corruption); its line: the first quarantined record's
    SELECT
        'quarantined_share',
        cast(round(avg(CASE WHEN outcome = 'quarantined' THEN 1.0 ELSE 0.0 END), 4) AS VARCHAR),
        coalesce(min(batch_row) FILTER (WHERE outcome = 'quarantined'), min(batch_row))
    FROM landing_outcome
    GROUP BY source_file
    HAVING count(*) >= $min_records_for_share
)

SELECT
    -- the line of the first occurrence, named only for the ~70 profile rows
    CASE WHEN (SELECT count(DISTINCT source_file) FROM landing_outcome) = 1 THEN cast(o.line_no AS VARCHAR)
        ELSE parse_filename(o.source_file) || ':' || o.line_no
    END AS source_line,
    CASE p.measure WHEN 'org_id' THEN p.value END AS org_id,
    CASE p.measure WHEN 'type_version' THEN p.value END AS type_version,
    CASE p.measure WHEN 'event_id_character' THEN p.value END AS event_id_character,
    CASE p.measure WHEN 'event_id_length' THEN cast(p.value AS INTEGER) END AS event_id_length,
    CASE p.measure WHEN 'content_hash_length' THEN cast(p.value AS INTEGER) END AS content_hash_length,
    CASE p.measure WHEN 'actor_ref_character' THEN p.value END AS actor_ref_character,
    CASE p.measure WHEN 'person_ref_character' THEN p.value END AS person_ref_character,
    CASE p.measure WHEN 'quarantined_share' THEN cast(p.value AS DOUBLE) END AS quarantined_share
FROM profile AS p
LEFT JOIN landing_outcome AS o ON p.first_row = o.batch_row
ORDER BY p.measure, p.first_row;
