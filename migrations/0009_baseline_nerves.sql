-- Leg numbness and tingling before surgery (0-10), the starting point of
-- their expected course; empty where not recorded.
ALTER TABLE baseline ADD COLUMN numbness INTEGER
    CHECK (numbness IS NULL OR numbness BETWEEN 0 AND 10);
ALTER TABLE baseline ADD COLUMN tingling INTEGER
    CHECK (tingling IS NULL OR tingling BETWEEN 0 AND 10);
