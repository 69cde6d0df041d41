-- The part of the record each pushed resource was built from (a day's
-- check-in, an exercise log; '' for the rest, which is built every time),
-- and a hash of each such part as it was when last pushed: a push builds
-- again only the resources of parts that changed since.
ALTER TABLE fhir_sent ADD COLUMN part TEXT NOT NULL DEFAULT ''
    CHECK (length(part) <= 600);

CREATE TABLE fhir_sent_part (
    server     TEXT    NOT NULL CHECK (length(server) BETWEEN 1 AND 2000),
    patient_id INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    part       TEXT    NOT NULL CHECK (length(part) BETWEEN 1 AND 600),
    hash       TEXT    NOT NULL CHECK (length(hash) = 64),
    PRIMARY KEY (server, patient_id, part)
) STRICT, WITHOUT ROWID;
