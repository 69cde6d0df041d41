-- What the app needs to be honest about time and to help in a hurry: the
-- surgical team's phone number, the day the patient went home, the first
-- day the app was used (nothing before the later of the two counts as a
-- missed day), and a log of every correction of a patient's details.
ALTER TABLE patient ADD COLUMN team_phone TEXT
    CHECK (team_phone IS NULL OR length(team_phone) BETWEEN 3 AND 40);
ALTER TABLE patient ADD COLUMN discharged_on TEXT
    CHECK (discharged_on IS NULL OR date(discharged_on) IS discharged_on);
ALTER TABLE patient ADD COLUMN first_used_on TEXT
    CHECK (first_used_on IS NULL OR date(first_used_on) IS first_used_on);

CREATE TABLE patient_change (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    -- UTC, RFC 3339.
    changed_at TEXT    NOT NULL,
    field      TEXT    NOT NULL CHECK (length(field) BETWEEN 1 AND 40),
    before     TEXT             CHECK (before IS NULL OR length(before) <= 400),
    after      TEXT             CHECK (after IS NULL OR length(after) <= 400)
) STRICT;
CREATE INDEX patient_change_by_patient ON patient_change (patient_id, id);
