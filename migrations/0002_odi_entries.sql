-- Oswestry Disability Index totals recorded after surgery, charted against
-- the expected disability curve. Only the total is kept: the questionnaire's
-- text is licensed. One total per patient per day.
CREATE TABLE odi_entry (
    patient_id INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    day        TEXT    NOT NULL CHECK (date(day) IS day),
    total      INTEGER NOT NULL CHECK (total BETWEEN 0 AND 100),
    PRIMARY KEY (patient_id, day)
) STRICT, WITHOUT ROWID;
