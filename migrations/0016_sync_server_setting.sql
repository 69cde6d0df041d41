-- The clinic's FHIR server a file sends to and reads from, set in
-- Settings (its token is kept beside the file, never in it). SQLite cannot
-- change a CHECK, so the table is made again with the new key allowed.
CREATE TABLE app_setting_new (
    key   TEXT NOT NULL PRIMARY KEY CHECK (key IN ('use', 'sync_server')),
    value TEXT NOT NULL
        CHECK (key <> 'use' OR value IN ('own', 'clinic'))
        CHECK (key <> 'sync_server' OR (length(value) BETWEEN 8 AND 2000
            AND (value LIKE 'http://%' OR value LIKE 'https://%')))
) STRICT;
INSERT INTO app_setting_new (key, value) SELECT key, value FROM app_setting;
DROP TABLE app_setting;
ALTER TABLE app_setting_new RENAME TO app_setting;
