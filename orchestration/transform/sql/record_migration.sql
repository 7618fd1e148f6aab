INSERT INTO builds.migrations VALUES ($version, $name, now()::TIMESTAMP);
