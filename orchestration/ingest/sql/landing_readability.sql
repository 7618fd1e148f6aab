-- How much of each file could be read at all, for the files whose first
-- lines are in the batch ($files_from_start): tells a bad record from a file
-- that is not of its feed's format. Read from the resolved batch, so the
-- lines are not decoded and parsed a second time.
SELECT
    source_file,
    count(*) AS records,
    count(*) FILTER (WHERE undecodable) AS undecodable,
    count(*) FILTER (WHERE unparsed) AS unparsed
FROM landing_outcome
WHERE list_contains($files_from_start, source_file)
GROUP BY source_file;
