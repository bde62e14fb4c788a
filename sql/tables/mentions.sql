-- mentions: every event the coder found in a sentence, with the words it came from.
-- Several mentions (of one or many articles) may report the same event: events.event_id groups them.
-- Example: SELECT m.sentence, m.trigger_text, a.url FROM mentions m JOIN articles a ON a.id = m.article_id
--          WHERE m.source_code LIKE 'CHN%' AND m.target_code LIKE 'RUS%' ORDER BY m.event_date;
CREATE TABLE IF NOT EXISTS mentions (
    mention_id          VARCHAR NOT NULL,   -- article id : sentence index : order within the sentence
    event_id            BIGINT NOT NULL,    -- events.event_id
    article_id          VARCHAR NOT NULL,   -- articles.id
    sentence_index      INTEGER NOT NULL,   -- 0-based position of the sentence in the article
    char_start          INTEGER NOT NULL,   -- the sentence's character offsets in the article text
    char_end            INTEGER NOT NULL,
    sentence            VARCHAR NOT NULL,
    source_code         VARCHAR NOT NULL,   -- CAMEO actor code (CHNGOV, IDNMIL, IGOUNO ...)
    source_name         VARCHAR NOT NULL,   -- readable name of the code
    source_country      VARCHAR,            -- ISO alpha-3 country or CAMEO region; NULL for IGOs and NGOs
    source_type         VARCHAR,            -- role (GOV, MIL, REB ...) or IGO/NGO/MNC
    source_text         VARCHAR,            -- the words the source was found from
    source_group_code   VARCHAR,            -- known group (HMS Hamas, OPM ...) when the actor is one
    target_code         VARCHAR,            -- NULL for events with no target
    target_name         VARCHAR,
    target_country      VARCHAR,
    target_type         VARCHAR,
    target_text         VARCHAR,
    target_group_code   VARCHAR,
    event_code          VARCHAR NOT NULL,   -- CAMEO event code, a string ("057", "0231")
    event_base_code     VARCHAR NOT NULL,
    event_root_code     VARCHAR NOT NULL,
    quad_class          TINYINT NOT NULL,   -- 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein           DOUBLE NOT NULL,    -- -10 .. +10, from the codebook
    trigger_text        VARCHAR,            -- the words of the action
    trigger_char_start  INTEGER,            -- offset of the trigger in the article text
    event_date          DATE NOT NULL,
    date_text           VARCHAR,            -- the words the date came from; NULL when the publication date was used
    geo_name            VARCHAR,
    geo_country         VARCHAR,            -- ISO alpha-3
    geo_lat             DOUBLE,
    geo_lon             DOUBLE,
    language            VARCHAR NOT NULL,
    pattern             VARCHAR,            -- the dictionary pattern that matched
    coder_version       VARCHAR NOT NULL,
    coded_at            TIMESTAMPTZ NOT NULL
);
