"""From coded event mentions to events: plain functions over polars frames, no Dagster, no DuckDB.

A first de-duplication rule: mentions with the same event date, source actor, target actor, event code and
place (country and name) report one event. The event id is derived from that key, so it is stable across
runs and machines, and a later report of the same event lands on the same id.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl

from etl.codebook import actor_attributes

#: The columns that decide whether two mentions report the same event.
EVENT_KEY = ("event_date", "source_code", "target_code", "event_code", "geo_country", "geo_name")
#: Separates key fields when hashing; cannot occur in codes, dates or place names.
_KEY_SEPARATOR = "\x1f"


def event_ids(keys: pl.Series) -> pl.Series:
    """A 63-bit integer id per key string (SHA-1 based: stable, unlike polars' own hash)."""
    return pl.Series(
        keys.name,
        [int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big") >> 1 for key in keys],
        dtype=pl.Int64,
    )


def _actor_columns(codes: pl.Series, prefix: str) -> pl.DataFrame:
    unique = codes.drop_nulls().unique().to_list()
    attributes = [actor_attributes(code) for code in unique]
    lookup = pl.DataFrame(
        {
            f"{prefix}_code": unique,
            f"{prefix}_name": [a.name for a in attributes],
            f"{prefix}_country": [a.country for a in attributes],
            f"{prefix}_type": [a.type for a in attributes],
        },
        schema={f"{prefix}_{c}": pl.String for c in ("code", "name", "country", "type")},
    )
    return codes.to_frame(f"{prefix}_code").join(lookup, on=f"{prefix}_code", how="left", maintain_order="left")


def assign_events(mentions: pl.DataFrame, *, coded_at: dt.datetime | None = None) -> pl.DataFrame:
    """Coder output (etl.coder.EVENT_SCHEMA) -> warehouse mentions: ids, event ids and readable actors.

    `mention_id` is article id, sentence index and the mention's order within that sentence.
    """
    coded_at = coded_at or dt.datetime.now(dt.UTC)
    frame = mentions.rename({"doc_id": "article_id"}).with_columns(
        pl.col("event_date").str.to_date(),
        pl.lit(coded_at).cast(pl.Datetime("us", "UTC")).alias("coded_at"),
        pl.col("event_code").str.slice(0, 3).alias("event_base_code"),
    )
    order = pl.int_range(pl.len()).over("article_id", "sentence_index")
    key = pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("") for c in EVENT_KEY], separator=_KEY_SEPARATOR
    )
    frame = frame.with_columns(
        pl.concat_str(
            [pl.col("article_id"), pl.col("sentence_index").cast(pl.String), order.cast(pl.String)], separator=":"
        ).alias("mention_id"),
        key.alias("event_key"),
    )
    frame = frame.with_columns(event_ids(frame["event_key"]).alias("event_id")).drop("event_key")
    source = _actor_columns(frame["source_code"], "source").drop("source_code")
    target = _actor_columns(frame["target_code"], "target").drop("target_code")
    return pl.concat([frame, source, target], how="horizontal")


def summarise_events(mentions: pl.DataFrame) -> pl.DataFrame:
    """One row per event id among these mentions, with how often this batch reports it."""
    if mentions.is_empty():
        return pl.DataFrame(
            schema={"event_id": pl.Int64, **{c: mentions.schema[c] for c in EVENT_KEY}, "num_mentions": pl.UInt32,
                    "num_articles": pl.UInt32}
        )
    return (
        mentions.group_by("event_id")
        .agg(*(pl.col(c).first() for c in EVENT_KEY), pl.len().alias("num_mentions"),
             pl.col("article_id").n_unique().alias("num_articles"))
        .sort("event_date", "event_id")
    )
