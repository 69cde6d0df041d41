-- Where a day's pain, numbness and tingling are: `side.region.symptom`
-- codes joined by commas (see model::body_map), in the check-in's own row,
-- so a day is saved, replaced and deleted as one. Empty when not marked.
ALTER TABLE check_in ADD COLUMN body_map TEXT
    CHECK (body_map IS NULL OR (length(body_map) BETWEEN 1 AND 4000
                                AND body_map NOT GLOB '*[^a-z_.,]*'));
