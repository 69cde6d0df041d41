-- A resource's conditional URL can be longer than 500 characters: an
-- exercise key of 60 characters outside ASCII is up to 720 once
-- percent-encoded. The server would take such a push and the file could not
-- write it down, so the limit is raised (SQLite cannot change a CHECK: the
-- table is made again).
CREATE TABLE fhir_sent_new (
    server     TEXT    NOT NULL CHECK (length(server) BETWEEN 1 AND 2000),
    patient_id INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    resource   TEXT    NOT NULL CHECK (length(resource) BETWEEN 1 AND 4000),
    hash       TEXT    NOT NULL CHECK (length(hash) = 64),
    version    TEXT             CHECK (version IS NULL OR length(version) <= 100),
    part       TEXT    NOT NULL DEFAULT '' CHECK (length(part) <= 600),
    PRIMARY KEY (server, patient_id, resource)
) STRICT, WITHOUT ROWID;
INSERT INTO fhir_sent_new (server, patient_id, resource, hash, version, part)
    SELECT server, patient_id, resource, hash, version, part FROM fhir_sent;
DROP TABLE fhir_sent;
ALTER TABLE fhir_sent_new RENAME TO fhir_sent;
