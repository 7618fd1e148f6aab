DELETE FROM raw.outcome_catalogue;

INSERT INTO raw.outcome_catalogue
SELECT
    unnest($codes) AS outcome_code,
    unnest($labels) AS label,
    unnest($units) AS unit,
    unnest($proxies) AS proxy_eur,
    unnest($proxy_sources) AS proxy_source,
    unnest($price_years) AS price_year,
    unnest($deadweights) AS deadweight,
    unnest($displacements) AS displacement,
    unnest($attributions) AS attribution,
    unnest($drop_offs) AS drop_off,
    unnest($durations) AS duration_years;

DELETE FROM raw.impact_settings;

INSERT INTO raw.impact_settings VALUES ($discount_rate, $catalogue_digest);
