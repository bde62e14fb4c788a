-- mentions: every report of an event in a sentence, with GDELT's Mentions concepts (global_event_id,
-- mention_time_date, mention_source_name, mention_identifier, sentence_id, actor and action character
-- offsets, in_raw_text, confidence, document length and tone, translation info) plus the sentence itself,
-- the words each part was found from and every coder field. Many mentions may report one event.
-- Example: SELECT m.sentence, m.trigger_text, m.mention_identifier FROM mentions m
--          JOIN events e USING (global_event_id) WHERE e.num_articles > 1 ORDER BY e.global_event_id;
CREATE TABLE IF NOT EXISTS mentions (
    mention_id                   VARCHAR NOT NULL,  -- article id : sentence index : order within the sentence
    global_event_id              BIGINT NOT NULL,   -- events.global_event_id
    article_id                   VARCHAR NOT NULL,  -- articles.id
    mention_time_date            BIGINT NOT NULL,   -- YYYYMMDDHHMMSS of the article's publication (day precision)
    mention_type                 INTEGER NOT NULL,  -- 1 = web document, as GDELT
    mention_source_name          VARCHAR,           -- the outlet
    mention_identifier           VARCHAR NOT NULL,  -- the article's url, else its id
    sentence_id                  INTEGER NOT NULL,  -- 1-based sentence number in the article
    actor1_char_offset           INTEGER NOT NULL,  -- offsets in the article text; -1 when the actor was
    actor2_char_offset           INTEGER NOT NULL,  -- resolved from context (a pronoun, a default target)
    action_char_offset           INTEGER NOT NULL,
    in_raw_text                  INTEGER NOT NULL,  -- 1 when both actors are named in the sentence itself
    confidence                   INTEGER NOT NULL,  -- 10..100: lower when actors or the date come from context
    mention_doc_len              INTEGER NOT NULL,  -- characters in the article
    mention_doc_tone             DOUBLE,            -- the article's tone, -100 .. +100
    mention_doc_translation_info VARCHAR,           -- always NULL: articles are coded in their own language
    is_lead                      BOOLEAN NOT NULL,  -- in the article's first two sentences
    char_start                   INTEGER NOT NULL,  -- the sentence's character offsets in the article text
    char_end                     INTEGER NOT NULL,
    sentence                     VARCHAR NOT NULL,
    actor1_code              VARCHAR NOT NULL,   -- CAMEO actor code
    actor1_name              VARCHAR,
    actor1_country_code      VARCHAR,
    actor1_known_group_code  VARCHAR,
    actor1_type1_code        VARCHAR,
    actor1_text              VARCHAR,   -- the words the source was found from
    actor2_code              VARCHAR,            -- NULL for events with no target
    actor2_name              VARCHAR,
    actor2_country_code      VARCHAR,
    actor2_known_group_code  VARCHAR,
    actor2_type1_code        VARCHAR,
    actor2_text              VARCHAR,   -- the words the target was found from
    event_code                   VARCHAR NOT NULL,
    event_base_code              VARCHAR NOT NULL,
    event_root_code              VARCHAR NOT NULL,
    quad_class                   INTEGER NOT NULL,
    goldstein_scale              DOUBLE NOT NULL,
    trigger_text                 VARCHAR,           -- the words of the action
    event_date                   DATE NOT NULL,     -- as this mention dates the event
    date_text                    VARCHAR,           -- the words the date came from; NULL = the publication day
    actor1_geo_type          TINYINT,
    actor1_geo_fullname      VARCHAR,
    actor1_geo_country_code  VARCHAR,   -- FIPS 10-4
    actor1_geo_adm1_code     VARCHAR,
    actor1_geo_adm2_code     VARCHAR,
    actor1_geo_lat           DOUBLE,
    actor1_geo_long          DOUBLE,
    actor1_geo_feature_id    VARCHAR,
    actor2_geo_type          TINYINT,
    actor2_geo_fullname      VARCHAR,
    actor2_geo_country_code  VARCHAR,   -- FIPS 10-4
    actor2_geo_adm1_code     VARCHAR,
    actor2_geo_adm2_code     VARCHAR,
    actor2_geo_lat           DOUBLE,
    actor2_geo_long          DOUBLE,
    actor2_geo_feature_id    VARCHAR,
    action_geo_type          TINYINT,
    action_geo_fullname      VARCHAR,
    action_geo_country_code  VARCHAR,   -- FIPS 10-4
    action_geo_adm1_code     VARCHAR,
    action_geo_adm2_code     VARCHAR,
    action_geo_lat           DOUBLE,
    action_geo_long          DOUBLE,
    action_geo_feature_id    VARCHAR,
    action_geo_country_iso3      VARCHAR,
    language                     VARCHAR NOT NULL,
    pattern                      VARCHAR,           -- the dictionary pattern that matched
    coder_version                VARCHAR NOT NULL,
    coded_at                     TIMESTAMPTZ NOT NULL
);
