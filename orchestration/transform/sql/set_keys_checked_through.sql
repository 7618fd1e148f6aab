DELETE FROM quality.key_tests;
INSERT INTO quality.key_tests VALUES ($checked_through);
