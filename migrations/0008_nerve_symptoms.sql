-- Nerve symptoms in the legs, asked in the daily check-in: numbness and
-- tingling 0-10 in the worse leg, weakness (none, mild, moderate, severe)
-- and the leg it is in. All four are empty on a day they were not asked.
ALTER TABLE check_in ADD COLUMN numbness INTEGER
    CHECK (numbness IS NULL OR numbness BETWEEN 0 AND 10);
ALTER TABLE check_in ADD COLUMN tingling INTEGER
    CHECK (tingling IS NULL OR tingling BETWEEN 0 AND 10);
ALTER TABLE check_in ADD COLUMN weakness TEXT
    CHECK (weakness IS NULL OR weakness IN ('none', 'mild', 'moderate', 'severe'));
ALTER TABLE check_in ADD COLUMN weakness_side TEXT
    CHECK (weakness_side IS NULL OR weakness_side IN ('left', 'right', 'both'))
    -- Answered together or not at all; a side exactly when there is weakness.
    CHECK ((numbness IS NULL) = (tingling IS NULL)
           AND (numbness IS NULL) = (weakness IS NULL)
           AND (weakness IS NULL OR weakness = 'none') = (weakness_side IS NULL));
