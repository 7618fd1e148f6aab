-- The files of a resolved batch, in batch order, with their records and the lines they span.
SELECT
    source_file,
    count(*),
    min(line_no),
    max(line_no)
FROM landing_outcome
GROUP BY source_file
ORDER BY min(batch_row);
