-- What the last successful push sent to a FHIR server, per resource: its
-- conditional URL (`Observation?identifier=system|value`), a hash of its
-- content and the version the server gave it. The next push sends only what
-- changed, removes what is gone, and asks the server to refuse an update
-- of a resource someone else changed since (If-Match).
CREATE TABLE fhir_sent (
    server     TEXT    NOT NULL CHECK (length(server) BETWEEN 1 AND 2000),
    patient_id INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    resource   TEXT    NOT NULL CHECK (length(resource) BETWEEN 1 AND 500),
    hash       TEXT    NOT NULL CHECK (length(hash) = 64),
    version    TEXT             CHECK (version IS NULL OR length(version) <= 100),
    PRIMARY KEY (server, patient_id, resource)
) STRICT, WITHOUT ROWID;
