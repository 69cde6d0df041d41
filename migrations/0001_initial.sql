-- Patients, their pre-operative baseline and their daily check-ins.
-- Every range the app's model checks is checked here again, so that no
-- path (an import, a script, a future bug) can store an impossible value.
-- STRICT tables refuse a value of the wrong type (a 3.5 or a word in a
-- pain column), which CHECK alone would let through.

CREATE TABLE patient (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    date_of_birth TEXT             CHECK (date_of_birth IS NULL OR date(date_of_birth) IS date_of_birth),
    surgery_date  TEXT    NOT NULL CHECK (date(surgery_date) IS surgery_date),
    procedure     TEXT    NOT NULL CHECK (procedure IN ('tlif', 'plif', 'alif', 'llif_xlif', 'posterolateral', 'other')),
    approach      TEXT    NOT NULL CHECK (approach IN ('open', 'mis')),
    levels        TEXT    NOT NULL CHECK (length(levels) <= 100),
    surgeon       TEXT             CHECK (surgeon IS NULL OR length(surgeon) <= 100),
    clinic        TEXT             CHECK (clinic IS NULL OR length(clinic) <= 100),
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    -- UTC, RFC 3339.
    created_at    TEXT    NOT NULL
) STRICT;

-- One row per patient: how they were before surgery, the start of their
-- expected recovery curve.
CREATE TABLE baseline (
    patient_id      INTEGER PRIMARY KEY REFERENCES patient (id) ON DELETE CASCADE,
    back_pain       INTEGER NOT NULL CHECK (back_pain BETWEEN 0 AND 10),
    leg_pain        INTEGER NOT NULL CHECK (leg_pain BETWEEN 0 AND 10),
    walking_minutes INTEGER NOT NULL CHECK (walking_minutes BETWEEN 0 AND 1440),
    sitting_minutes INTEGER NOT NULL CHECK (sitting_minutes BETWEEN 0 AND 1440),
    odi             INTEGER          CHECK (odi IS NULL OR odi BETWEEN 0 AND 100)
) STRICT;

-- One check-in per patient per local calendar day; editing a day updates
-- its row. Warning symptoms are a bit mask of the app's fixed list.
CREATE TABLE check_in (
    patient_id       INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    day              TEXT    NOT NULL CHECK (date(day) IS day),
    back_pain        INTEGER NOT NULL CHECK (back_pain BETWEEN 0 AND 10),
    leg_pain         INTEGER NOT NULL CHECK (leg_pain BETWEEN 0 AND 10),
    walking_minutes  INTEGER NOT NULL CHECK (walking_minutes BETWEEN 0 AND 1440),
    sitting_minutes  INTEGER NOT NULL CHECK (sitting_minutes BETWEEN 0 AND 1440),
    sleep_quality    INTEGER NOT NULL CHECK (sleep_quality BETWEEN 0 AND 10),
    opioid_doses     INTEGER NOT NULL CHECK (opioid_doses BETWEEN 0 AND 50),
    warning_symptoms INTEGER NOT NULL DEFAULT 0 CHECK (warning_symptoms BETWEEN 0 AND 2047),
    note             TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 5000),
    PRIMARY KEY (patient_id, day)
) STRICT, WITHOUT ROWID;
