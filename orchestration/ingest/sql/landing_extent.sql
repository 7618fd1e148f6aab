-- How many records a resolved batch has and the lines it spans.
SELECT count(*), min(line_no), max(line_no) FROM landing_outcome;
