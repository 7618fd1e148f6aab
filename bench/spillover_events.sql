-- Synthetic initiative.launched events: a chain chain-0 -> chain-1 -> ...
-- and a wide tree wide-root -> wide-i -> wide-i-j, one organisation per
-- seven initiatives so edges cross organisations.
INSERT INTO raw.events (org_id, event_id, event_type, schema_version, occurred_at, payload,
                        ingested_at, run_id, source_file, source_line, content_hash)
SELECT
    'org-' || (i % 7), 'chain-ev-' || i, 'initiative.launched', 1,
    TIMESTAMP '2024-01-01' + i * INTERVAL 1 MINUTE,
    json_object('initiative_id', 'chain-' || i, 'title', 'chain', 'sector', 'sector-' || (i % 3),
                'locality', 'place-' || (i % 5),
                'parent', CASE WHEN i > 0 THEN json_object('org_id', 'org-' || ((i - 1) % 7),
                                                           'initiative_id', 'chain-' || (i - 1)) END),
    $ingested_at, 'bench', 'bench', i, 'x'
FROM range($chain) AS t(i);

INSERT INTO raw.events (org_id, event_id, event_type, schema_version, occurred_at, payload,
                        ingested_at, run_id, source_file, source_line, content_hash)
SELECT 'org-0', 'wide-root-ev', 'initiative.launched', 1, TIMESTAMP '2023-01-01',
       json_object('initiative_id', 'wide-root', 'title', 'root', 'sector', 's', 'locality', 'l'),
       $ingested_at, 'bench', 'bench', 0, 'x'
UNION ALL
SELECT 'org-' || (i % 7), 'wide-ev-' || i, 'initiative.launched', 1, TIMESTAMP '2023-02-01',
       json_object('initiative_id', 'wide-' || i, 'title', 'child', 'sector', 's', 'locality', 'l',
                   'parent', json_object('org_id', 'org-0', 'initiative_id', 'wide-root')),
       $ingested_at, 'bench', 'bench', i, 'x'
FROM range($children) AS t(i)
UNION ALL
SELECT 'org-' || ((i + j) % 7), 'wide-ev-' || i || '-' || j, 'initiative.launched', 1, TIMESTAMP '2023-03-01',
       json_object('initiative_id', 'wide-' || i || '-' || j, 'title', 'grandchild', 'sector', 't',
                   'locality', 'm', 'parent', json_object('org_id', 'org-' || (i % 7), 'initiative_id', 'wide-' || i)),
       $ingested_at, 'bench', 'bench', j, 'x'
FROM range($children) AS a(i), range($grandchildren) AS b(j);
