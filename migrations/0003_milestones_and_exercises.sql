-- Mobility milestones and the exercise program.
--
-- A protocol milestone is stored once it is reached (label and window come
-- from the protocol); a custom milestone carries its own label and window.
CREATE TABLE milestone (
    patient_id  INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    key         TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 60),
    label       TEXT             CHECK (label IS NULL OR length(trim(label)) BETWEEN 1 AND 200),
    window_from INTEGER          CHECK (window_from IS NULL OR window_from BETWEEN 0 AND 3650),
    window_to   INTEGER          CHECK (window_to IS NULL OR window_to BETWEEN window_from AND 3650),
    achieved_on TEXT             CHECK (achieved_on IS NULL OR date(achieved_on) IS achieved_on),
    CHECK ((label IS NULL) = (window_from IS NULL) AND (label IS NULL) = (window_to IS NULL)),
    PRIMARY KEY (patient_id, key)
) STRICT, WITHOUT ROWID;

-- What was prescribed when: a dose change ends one row and starts another,
-- so adherence on any past day is judged against that day's plan.
-- end_day is exclusive.
CREATE TABLE plan_item (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    exercise_key  TEXT    NOT NULL CHECK (length(exercise_key) BETWEEN 1 AND 60),
    name          TEXT    NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    instructions  TEXT    NOT NULL DEFAULT '' CHECK (length(instructions) <= 2000),
    sets          INTEGER NOT NULL CHECK (sets BETWEEN 1 AND 20),
    reps          INTEGER          CHECK (reps IS NULL OR reps BETWEEN 1 AND 200),
    hold_seconds  INTEGER          CHECK (hold_seconds IS NULL OR hold_seconds BETWEEN 1 AND 600),
    minutes       INTEGER          CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 240),
    times_per_day INTEGER NOT NULL CHECK (times_per_day BETWEEN 1 AND 10),
    start_day     TEXT    NOT NULL CHECK (date(start_day) IS start_day),
    end_day       TEXT             CHECK (end_day IS NULL OR (date(end_day) IS end_day AND end_day > start_day))
) STRICT;
CREATE INDEX plan_item_by_patient ON plan_item (patient_id, start_day);

CREATE TABLE exercise_log (
    patient_id   INTEGER NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    day          TEXT    NOT NULL CHECK (date(day) IS day),
    exercise_key TEXT    NOT NULL CHECK (length(exercise_key) BETWEEN 1 AND 60),
    sessions     INTEGER NOT NULL CHECK (sessions BETWEEN 1 AND 10),
    pain         INTEGER          CHECK (pain IS NULL OR pain BETWEEN 0 AND 10),
    PRIMARY KEY (patient_id, day, exercise_key)
) STRICT, WITHOUT ROWID;
