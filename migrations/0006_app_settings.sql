-- Settings that belong to the data rather than to one window: who this
-- file is for (one person's own recovery, or a clinic's patients).
CREATE TABLE app_setting (
    key   TEXT NOT NULL PRIMARY KEY CHECK (key IN ('use')),
    value TEXT NOT NULL CHECK (key <> 'use' OR value IN ('own', 'clinic'))
) STRICT;
