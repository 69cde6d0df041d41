-- What a physiotherapist writes at a visit, and which flags they have looked at.
CREATE TABLE visit_note (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    day        TEXT    NOT NULL CHECK (date(day) IS day),
    author     TEXT    NOT NULL CHECK (length(trim(author)) BETWEEN 1 AND 100),
    text       TEXT    NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 10000)
) STRICT;
CREATE INDEX visit_note_by_patient ON visit_note (patient_id, day);

-- A flag's key is stable (e.g. "missed:2026-11-10"), so a review stays with it.
CREATE TABLE flag_review (
    patient_id  INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    flag_key    TEXT    NOT NULL CHECK (length(flag_key) BETWEEN 1 AND 100),
    reviewed_by TEXT    NOT NULL CHECK (length(trim(reviewed_by)) BETWEEN 1 AND 100),
    reviewed_at TEXT    NOT NULL,
    PRIMARY KEY (patient_id, flag_key)
) STRICT, WITHOUT ROWID;
