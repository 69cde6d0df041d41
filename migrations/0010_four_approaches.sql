-- Four surgical approaches and "not sure": open and minimally invasive
-- surgery from the back, lateral (from the side: LLIF, XLIF, OLIF) and
-- anterior (from the front: ALIF). SQLite cannot change a CHECK, so the
-- patient table is rebuilt the documented way (lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes"): the app runs migrations
-- with foreign keys off, so dropping the old table deletes no check-in,
-- and checks every reference afterwards.

CREATE TABLE patient_new (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    date_of_birth TEXT             CHECK (date_of_birth IS NULL OR date(date_of_birth) IS date_of_birth),
    surgery_date  TEXT    NOT NULL CHECK (date(surgery_date) IS surgery_date),
    procedure     TEXT    NOT NULL CHECK (procedure IN ('tlif', 'plif', 'alif', 'llif_xlif', 'posterolateral', 'other')),
    approach      TEXT    NOT NULL CHECK (approach IN ('open', 'mis', 'lateral', 'anterior', 'not_sure')),
    levels        TEXT    NOT NULL CHECK (length(levels) <= 100),
    surgeon       TEXT             CHECK (surgeon IS NULL OR length(surgeon) <= 100),
    clinic        TEXT             CHECK (clinic IS NULL OR length(clinic) <= 100),
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    -- UTC, RFC 3339.
    created_at    TEXT    NOT NULL,
    team_phone    TEXT             CHECK (team_phone IS NULL OR length(team_phone) BETWEEN 3 AND 40),
    discharged_on TEXT             CHECK (discharged_on IS NULL OR date(discharged_on) IS discharged_on),
    first_used_on TEXT             CHECK (first_used_on IS NULL OR date(first_used_on) IS first_used_on)
) STRICT;

INSERT INTO patient_new (id, name, date_of_birth, surgery_date, procedure, approach, levels,
                         surgeon, clinic, archived, created_at, team_phone, discharged_on,
                         first_used_on)
SELECT id, name, date_of_birth, surgery_date, procedure, approach, levels,
       surgeon, clinic, archived, created_at, team_phone, discharged_on, first_used_on
FROM patient;

DROP TABLE patient;
ALTER TABLE patient_new RENAME TO patient;

-- An ALIF is always from the front and an LLIF/XLIF always from the side;
-- until now they could only be recorded as open or minimally invasive.
-- The correction is logged like any other, so it can be seen and undone.
INSERT INTO patient_change (patient_id, changed_at, field, before, after)
SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'approach', approach,
       CASE procedure WHEN 'alif' THEN 'anterior' ELSE 'lateral' END
FROM patient
WHERE procedure IN ('alif', 'llif_xlif');

UPDATE patient
SET approach = CASE procedure WHEN 'alif' THEN 'anterior' ELSE 'lateral' END
WHERE procedure IN ('alif', 'llif_xlif');
