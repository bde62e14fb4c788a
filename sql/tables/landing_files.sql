-- landing_files: every landing file the pipeline has read, so a file is read once however often it runs.
-- A file whose content changes, or the same content under another name, is read again (its articles are
-- de-duplicated by id, so nothing is stored twice).
-- Example: SELECT file, articles, quarantined, read_at FROM landing_files ORDER BY read_at DESC;
CREATE TABLE IF NOT EXISTS landing_files (
    file         VARCHAR NOT NULL,     -- path relative to the landing folder
    sha256       VARCHAR NOT NULL,     -- of the file's content; 'not read' for a file too large to read
    size         BIGINT NOT NULL,
    mtime_ns     BIGINT NOT NULL,
    articles     INTEGER NOT NULL,     -- articles read from it (before de-duplication)
    quarantined  INTEGER NOT NULL,     -- lines or items of it quarantined (1 for a whole unreadable file)
    read_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (file, sha256)
);
