-- Which database this is, and how many times it has been written: a
-- write-ahead log found beside the file on opening must carry the same
-- identity and at least the same count, or it belongs to another file
-- (a copy, another patient's database) and is never applied.
CREATE TABLE database_identity (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    -- Random, replaced each time the app opens the file for writing.
    id         TEXT    NOT NULL CHECK (length(id) = 32),
    -- Bumped by every transaction the app commits.
    generation INTEGER NOT NULL CHECK (generation >= 0)
) STRICT;
INSERT INTO database_identity (singleton, id, generation)
VALUES (1, lower(hex(randomblob(16))), 0);
