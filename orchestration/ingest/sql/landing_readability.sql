-- How much of a file's first batch could be read at all: tells a bad
-- record from a file that is not of its feed's format. Read from the
-- resolved batch, so the lines are not decoded and parsed a second time.
SELECT
    count(*) AS records,
    count(*) FILTER (WHERE original IS NULL) AS undecodable,
    count(*) FILTER (WHERE unparsed) AS unparsed
FROM landing_outcome;
