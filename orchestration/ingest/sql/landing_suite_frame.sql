-- One resolved batch as the landing suite sees it: every record with its
-- outcome; the envelope only on records to be stored or counted as
-- duplicates (NULL on quarantined ones, which the column rules skip).
SELECT
    line_no AS source_line,
    outcome,
    CASE WHEN outcome <> 'quarantined' THEN org_id END AS org_id,
    CASE WHEN outcome <> 'quarantined' THEN event_type || '/v' || schema_version END AS type_version,
    CASE WHEN outcome <> 'quarantined' THEN event_id END AS event_id,
    CASE WHEN outcome <> 'quarantined' THEN content_hash END AS content_hash,
    CASE WHEN outcome <> 'quarantined' THEN actor_ref END AS actor_ref,
    CASE WHEN outcome <> 'quarantined' THEN payload::VARCHAR END AS payload
FROM landing_outcome
ORDER BY line_no;
