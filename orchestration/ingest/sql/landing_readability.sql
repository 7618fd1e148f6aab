-- How much of a batch could be read at all: tells a bad record from a file
-- that is not of its feed's format.
SELECT
    count(*) AS records,
    count(*) FILTER (WHERE original IS NULL) AS undecodable,
    count(*) FILTER (WHERE rec IS NULL) AS unparsed
FROM landing_records;
