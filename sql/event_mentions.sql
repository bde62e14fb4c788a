-- event_mentions: every CAMEO event the coder found, one row per (sentence, source, target, code),
-- traceable to the sentence and the words it came from.
-- Example: SELECT source_code, target_code, event_code, event_date, sentence FROM event_mentions
--          WHERE source_code LIKE 'CHN%' AND target_code LIKE 'RUS%' ORDER BY event_date;
CREATE TABLE IF NOT EXISTS event_mentions (
    article_id          VARCHAR NOT NULL,   -- articles.article_id
    sentence_index      INTEGER NOT NULL,   -- 0-based position of the sentence in the article
    char_start          INTEGER NOT NULL,   -- the sentence's character offsets in the article text
    char_end            INTEGER NOT NULL,
    sentence            VARCHAR NOT NULL,
    source_code         VARCHAR NOT NULL,   -- CAMEO actor code (CHNGOV, IDNMIL, IGOUNO ...)
    source_text         VARCHAR,            -- the words the source was found from
    target_code         VARCHAR,            -- NULL for events with no target
    target_text         VARCHAR,
    source_group_code   VARCHAR,            -- known group (HMS Hamas, OPM ...) when the actor is one
    target_group_code   VARCHAR,
    event_code          VARCHAR NOT NULL,   -- CAMEO event code, a string ("057", "0231")
    event_root_code     VARCHAR NOT NULL,
    quad_class          TINYINT NOT NULL,   -- 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein           DOUBLE NOT NULL,    -- -10 .. +10, from the codebook
    trigger_text        VARCHAR,            -- the words of the action
    trigger_char_start  INTEGER,
    event_date          DATE NOT NULL,
    date_text           VARCHAR,            -- the words the date came from; NULL when the publication date was used
    geo_name            VARCHAR,
    geo_country         VARCHAR,            -- ISO alpha-3
    geo_lat             DOUBLE,
    geo_lon             DOUBLE,
    language            VARCHAR NOT NULL,
    pattern             VARCHAR,            -- the dictionary pattern that matched
    coder_version       VARCHAR NOT NULL
);
