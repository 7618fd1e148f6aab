INSERT OR REPLACE INTO quality.watermarks VALUES ($check_name, $validated_through, now()::TIMESTAMP);
