-- warehouse_info: which schema this warehouse file was built with, so an older file is recognised.
-- Example: SELECT * FROM warehouse_info;
CREATE TABLE IF NOT EXISTS warehouse_info (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
