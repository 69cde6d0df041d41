-- Why a clinician chose the typed baseline over the average of the
-- patient's check-ins in the two weeks before surgery. Empty (NULL) when
-- nobody chose: then the days before surgery count where there are enough.
ALTER TABLE baseline ADD COLUMN clinician_reason TEXT
    CHECK (clinician_reason IS NULL OR length(trim(clinician_reason)) BETWEEN 1 AND 200);
