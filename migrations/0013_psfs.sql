-- The Patient-Specific Functional Scale: the activities a patient finds
-- hard, each known by its name within the patient, and their 0-10 ratings
-- by day. A retired activity is no longer asked; its ratings stay.
CREATE TABLE psfs_activity (
    patient_id INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100 AND name = trim(name)),
    added_on   TEXT    NOT NULL CHECK (date(added_on) IS added_on),
    retired_on TEXT             CHECK (retired_on IS NULL OR (date(retired_on) IS retired_on
                                                              AND retired_on >= added_on)),
    PRIMARY KEY (patient_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE psfs_rating (
    patient_id INTEGER NOT NULL,
    day        TEXT    NOT NULL CHECK (date(day) IS day),
    activity   TEXT    NOT NULL,
    score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    PRIMARY KEY (patient_id, day, activity),
    FOREIGN KEY (patient_id, activity) REFERENCES psfs_activity (patient_id, name) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
