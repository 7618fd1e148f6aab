DELETE FROM raw.organisations;

INSERT INTO raw.organisations
SELECT
    unnest($org_ids) AS org_id,
    unnest($names) AS name,
    unnest($sectors) AS sector,
    unnest($localities) AS locality,
    unnest($formats) AS feed_format,
    unnest($demo) AS demo;
