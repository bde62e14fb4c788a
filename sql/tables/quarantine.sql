-- quarantine: every file or line that could not be read, with the reason; its bytes are kept under
-- warehouse/quarantine/<kept_as>. Fix the file and drop it into the landing folder again.
-- Example: SELECT file, file_line, reason FROM quarantine ORDER BY quarantined_at DESC;
CREATE TABLE IF NOT EXISTS quarantine (
    file            VARCHAR NOT NULL,   -- path relative to the landing folder
    file_line       INTEGER,            -- line (JSON Lines) or item (JSON list); NULL for the whole file
    reason          VARCHAR NOT NULL,
    kept_as         VARCHAR,            -- copy of the bytes, relative to the quarantine folder; NULL when
                                        -- the file was too large to copy (it stays in the landing folder)
    sha256          VARCHAR,            -- of the kept bytes
    quarantined_at  TIMESTAMPTZ NOT NULL
);
