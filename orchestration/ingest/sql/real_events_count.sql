-- Events stored from organisations the registry does not mark as demo data.
SELECT count(*)
FROM raw.events
WHERE org_id NOT IN (
        SELECT org_id FROM raw.organisations
        WHERE demo
    );
