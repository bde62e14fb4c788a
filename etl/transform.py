"""From coded event mentions to de-duplicated events: plain functions over polars frames (no Dagster, no DuckDB).

`prepare_mentions` turns coder output into mention rows with GDELT's Mentions concepts (offsets, confidence,
document length and tone, source name, identifier) and readable actors and places.

`assign_events` decides which real-world event each mention reports. Mentions report the same event when
  - their actors agree at country-and-role level: same source country (or IGO/NGO), same target country,
    and roles that are equal or unknown on one side ("Indonesia" matches "Indonesian police");
  - their event codes are in the same family (etl/codebook/event_families.tsv, else the same base code);
  - their dates are within `window_days` of the event's date;
  - their places agree: the same city, or one of them has no city (a country-level or missing place).
Events already in the warehouse take part, so a later report of an event joins it and keeps its id; a new
event's id is derived from its first mention, so it is stable across re-runs of the same files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

import polars as pl

from etl.codebook import actor_attributes, country_blocks, event_family, principal
from etl.coder.places import iso3_to_fips

#: Sentences at these positions form an article's lead (headline or dateline sentence, and the next).
LEAD_SENTENCES = 2
#: GDELT's MentionType for web documents.
MENTION_TYPE_WEB = 1


@dataclass(frozen=True)
class DedupRule:
    """How far apart reports of one event may be; documented in the README."""

    window_days: int = int(os.environ.get("GEOEVENTS_DEDUP_WINDOW_DAYS", "1"))
    #: An actor coded without a role ("Indonesia") matches the same country with one ("Indonesian police").
    unknown_role_matches: bool = True


def _stable_id(text: str) -> int:
    """A 63-bit integer from SHA-1 (stable across processes and versions, unlike polars' hash)."""
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big") >> 1


def _actor_columns(codes: pl.Series, prefix: str) -> pl.DataFrame:
    unique = codes.drop_nulls().unique().to_list()
    attributes = [actor_attributes(code) for code in unique]
    country_kinds = country_blocks()
    lookup = pl.DataFrame(
        {
            f"{prefix}_code": unique,
            f"{prefix}_name": [a.name for a in attributes],
            f"{prefix}_country_code": [a.country if a.country and a.type not in ("IGO", "NGO", "MNC") else None
                                       for a in attributes],
            f"{prefix}_type1_code": [a.type for a in attributes],
            f"{prefix}_country_is_real": [country_kinds.get(a.country or "") == "country" for a in attributes],
        },
        schema={f"{prefix}_code": pl.String, f"{prefix}_name": pl.String, f"{prefix}_country_code": pl.String,
                f"{prefix}_type1_code": pl.String, f"{prefix}_country_is_real": pl.Boolean},
    )
    return codes.to_frame(f"{prefix}_code").join(lookup, on=f"{prefix}_code", how="left", maintain_order="left")


def _offset_in_document(sentence: pl.Expr, words: pl.Expr, sentence_start: pl.Expr) -> pl.Expr:
    found = sentence.str.find(words, literal=True)
    return pl.when(found.is_not_null() & words.is_not_null()).then(sentence_start + found).otherwise(-1).cast(pl.Int32)


def _country_names() -> dict[str, str]:
    from etl.codebook import _block_names

    return {code: name for code, name in _block_names().items() if country_blocks().get(code) == "country"}


def article_facts(articles: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame | pl.LazyFrame:
    """What prepare_mentions needs to know of articles (id, url, source, published_at, text, tone): everything
    but their text, of which only the length is kept, so a whole batch's facts fit in memory."""
    return articles.select("id", "url", "source", "published_at",
                           pl.col("text").str.len_chars().alias("text_length"), "tone")


def prepare_mentions(coded: pl.DataFrame, facts: pl.DataFrame, *, coded_at: dt.datetime | None = None) -> pl.DataFrame:
    """Coder output (etl.coder.EVENT_SCHEMA) + its articles' `article_facts` -> mention rows for the warehouse,
    without event ids."""
    coded_at = coded_at or dt.datetime.now(dt.UTC)
    article_info = facts.select(
        pl.col("id").alias("article_id"),
        pl.col("url"),
        pl.col("source").alias("mention_source_name"),
        pl.col("published_at"),
        pl.col("text_length").cast(pl.Int32).alias("mention_doc_len"),
        pl.col("tone").alias("mention_doc_tone"),
    )
    frame = coded.rename({"doc_id": "article_id", "source_code": "actor1_code", "target_code": "actor2_code",
                          "source_text": "actor1_text", "target_text": "actor2_text",
                          "source_group_code": "actor1_known_group_code", "target_group_code": "actor2_known_group_code",
                          "goldstein": "goldstein_scale", "geo_type": "action_geo_type"})
    frame = frame.join(article_info, on="article_id", how="left", maintain_order="left")
    order = pl.int_range(pl.len()).over("article_id", "sentence_index")
    frame = frame.with_columns(
        pl.concat_str([pl.col("article_id"), pl.col("sentence_index").cast(pl.String), order.cast(pl.String)],
                      separator=":").alias("mention_id"),
        pl.col("event_date").str.to_date(),
        pl.col("event_code").str.slice(0, 3).alias("event_base_code"),
        pl.col("quad_class").cast(pl.Int32),
        (pl.col("published_at").dt.strftime("%Y%m%d").cast(pl.Int64) * 1_000_000).alias("mention_time_date"),
        pl.lit(MENTION_TYPE_WEB, dtype=pl.Int32).alias("mention_type"),
        pl.coalesce(pl.col("url"), pl.col("article_id")).alias("mention_identifier"),
        (pl.col("sentence_index") + 1).cast(pl.Int32).alias("sentence_id"),
        _offset_in_document(pl.col("sentence"), pl.col("actor1_text"), pl.col("char_start")).alias("actor1_char_offset"),
        _offset_in_document(pl.col("sentence"), pl.col("actor2_text"), pl.col("char_start")).alias("actor2_char_offset"),
        pl.col("trigger_char_start").alias("action_char_offset"),
        # Native coding, never machine translation: GDELT leaves this blank for untranslated documents.
        pl.lit(None, dtype=pl.String).alias("mention_doc_translation_info"),
        (pl.col("sentence_index") < LEAD_SENTENCES).alias("is_lead"),
        pl.lit(coded_at).cast(pl.Datetime("us", "UTC")).alias("coded_at"),
    )
    actor1_found = pl.col("actor1_char_offset") >= 0
    actor2_found = pl.col("actor2_code").is_null() | (pl.col("actor2_char_offset") >= 0)
    frame = frame.with_columns(
        (actor1_found & actor2_found).cast(pl.Int32).alias("in_raw_text"),
        # Lower when an actor was resolved from context (a pronoun, a default target) or the date from the
        # publication day rather than the text.
        (pl.lit(100) - pl.when(actor1_found).then(0).otherwise(30) - pl.when(actor2_found).then(0).otherwise(30)
         - pl.when(pl.col("date_text").is_null()).then(20).otherwise(0)).clip(10, 100).cast(pl.Int32)
        .alias("confidence"),
    )
    actor1 = _actor_columns(frame["actor1_code"], "actor1").drop("actor1_code")
    actor2 = _actor_columns(frame["actor2_code"], "actor2").drop("actor2_code")
    frame = pl.concat([frame, actor1, actor2], how="horizontal")
    return _with_geography(frame)


def _with_geography(frame: pl.DataFrame) -> pl.DataFrame:
    """GDELT's three geographies: the action's place, and each actor's (the action's place when it is in the
    actor's country, else the actor's country)."""
    fips = iso3_to_fips()
    names = _country_names()
    country_name = pl.col("geo_country").replace_strict(names, default=pl.col("geo_country"), return_dtype=pl.String)
    frame = frame.with_columns(
        pl.when(pl.col("action_geo_type") == 1).then(country_name)
        .otherwise(pl.concat_str([pl.col("geo_name"), country_name], separator=", ")).alias("action_geo_fullname"),
        pl.col("geo_country").replace_strict(fips, default=None, return_dtype=pl.String).alias("action_geo_country_code"),
        pl.col("geo_adm1").alias("action_geo_adm1_code"),
        pl.lit(None, dtype=pl.String).alias("action_geo_adm2_code"),
        pl.col("geo_lat").alias("action_geo_lat"),
        pl.col("geo_lon").alias("action_geo_long"),
        pl.col("geo_feature_id").alias("action_geo_feature_id"),
        pl.col("geo_country").alias("action_geo_country_iso3"),
    )
    for actor in ("actor1", "actor2"):
        country = pl.col(f"{actor}_country_code")
        same_place = pl.col("geo_country").is_not_null() & (pl.col("geo_country") == country)
        country_level = pl.col(f"{actor}_country_is_real") & ~same_place
        fips_code = country.replace_strict(fips, default=None, return_dtype=pl.String)
        columns = {
            "type": (pl.col("action_geo_type"), pl.lit(1, dtype=pl.Int8)),
            "fullname": (pl.col("action_geo_fullname"),
                         country.replace_strict(names, default=None, return_dtype=pl.String)),
            "country_code": (pl.col("action_geo_country_code"), fips_code),
            "adm1_code": (pl.col("action_geo_adm1_code"), fips_code),
            "adm2_code": (pl.lit(None, dtype=pl.String), pl.lit(None, dtype=pl.String)),
            "lat": (pl.col("action_geo_lat"), pl.lit(None, dtype=pl.Float64)),
            "long": (pl.col("action_geo_long"), pl.lit(None, dtype=pl.Float64)),
            "feature_id": (pl.col("action_geo_feature_id"), fips_code),
        }
        frame = frame.with_columns(
            pl.when(same_place).then(here).when(country_level).then(there).otherwise(None).alias(f"{actor}_geo_{name}")
            for name, (here, there) in columns.items()
        )
    return frame.drop("geo_name", "geo_country", "geo_lat", "geo_lon", "geo_adm1", "geo_feature_id", "url",
                      "published_at", "actor1_country_is_real", "actor2_country_is_real")


# ------------------------------------------------------------------------------------------------
# De-duplication

#: Columns (and types) an already stored event must provide to take part in de-duplication.
EXISTING_EVENT_SCHEMA: dict[str, pl.DataType] = {
    "global_event_id": pl.Int64, "event_date": pl.Date, "actor1_code": pl.String, "actor2_code": pl.String,
    "event_code": pl.String, "action_geo_type": pl.Int32, "action_geo_feature_id": pl.String,
    "action_geo_country_iso3": pl.String,
}
EXISTING_EVENT_COLUMNS = tuple(EXISTING_EVENT_SCHEMA)
#: The columns of a mention that de-duplication reads (the rest of a mention row never matters to it).
DEDUP_COLUMNS = ("mention_id", "article_id", "sentence_id", "mention_time_date", "event_date", "actor1_code",
                 "actor2_code", "event_code", "action_geo_type", "action_geo_feature_id", "action_geo_country_iso3")


def _lookup(codes: pl.Expr, values: dict[str, str]) -> pl.Expr:
    return codes.replace_strict(values, default="", return_dtype=pl.String).fill_null("")


def dedup_blocks(frame: pl.DataFrame) -> pl.Series:
    """Each row's block: source and target principal actors and the event code's family. Only mentions in one
    block can report the same event, so blocks can be de-duplicated independently of each other."""
    actors = pl.concat([frame["actor1_code"], frame["actor2_code"]]).drop_nulls().unique().to_list()
    principals = {code: principal(code) for code in actors}
    families = {code: event_family(code) for code in frame["event_code"].drop_nulls().unique().to_list()}
    return frame.select(
        pl.concat_str([_lookup(pl.col("actor1_code"), principals), _lookup(pl.col("actor2_code"), principals),
                       _lookup(pl.col("event_code"), families)], separator="|").alias("dedup_block")
    )["dedup_block"]


def _role(code: str | None) -> str:
    if not code:
        return ""
    return code[len(principal(code)):][:3]


@dataclass(slots=True)
class _Cluster:
    event_id: int
    day: dt.date
    roles: tuple[str, str]
    city: str | None  # feature id of a city-level place
    country: str | None


def _compatible(cluster: _Cluster, day: dt.date, roles: tuple[str, str], city: str | None, country: str | None,
                rule: DedupRule) -> bool:
    if abs((day - cluster.day).days) > rule.window_days:
        return False
    for mine, theirs in zip(roles, cluster.roles):
        if mine != theirs and not (rule.unknown_role_matches and (not mine or not theirs)):
            return False
    if city and cluster.city and city != cluster.city:
        return False
    return not (country and cluster.country and country != cluster.country)


class _Clusters:
    """The events found so far, by block and by the day of their first report, so a mention is compared
    only with events in its block whose day is within the window (not with every event of its block)."""

    def __init__(self, window_days: int) -> None:
        self._by_block: dict[str, dict[dt.date, list[_Cluster]]] = {}
        self._offsets = [dt.timedelta(days=offset) for offset in range(-window_days, window_days + 1)]

    def add(self, block: str, cluster: _Cluster) -> None:
        self._by_block.setdefault(block, {}).setdefault(cluster.day, []).append(cluster)

    def near(self, block: str, day: dt.date) -> list[_Cluster]:
        days = self._by_block.get(block)
        if not days:
            return []
        return [cluster for offset in self._offsets for cluster in days.get(day + offset, ())]


def assign_events(mentions: pl.DataFrame, existing: pl.DataFrame | None = None, rule: DedupRule | None = None
                  ) -> pl.DataFrame:
    """Give every mention the id of the event it reports (see the module docstring for the rule).

    `mentions` needs DEDUP_COLUMNS; `existing` holds events already in the warehouse (EXISTING_EVENT_COLUMNS)
    that new mentions may join. Mentions are taken in date order, those naming a city first, so clusters
    settle on a place early; a mention joins, among the compatible events, one its own article already
    reports, else the nearest.
    """
    rule = rule or DedupRule()
    clusters = _Clusters(rule.window_days)
    codes = pl.concat([mentions["actor1_code"], mentions["actor2_code"]]).drop_nulls().unique().to_list()
    roles_of = {code: _role(code) for code in codes}
    roles_of[None] = ""
    if existing is not None and existing.height:
        existing = existing.select(EXISTING_EVENT_COLUMNS).with_columns(dedup_blocks(existing))
        for row in existing.iter_rows(named=True):
            city = row["action_geo_feature_id"] if row["action_geo_type"] in (3, 4) else None
            clusters.add(row["dedup_block"], _Cluster(
                row["global_event_id"], row["event_date"], (_role(row["actor1_code"]), _role(row["actor2_code"])),
                city, row["action_geo_country_iso3"]))
    has_city = pl.col("action_geo_type").is_in([3, 4]).fill_null(False)
    ordered = mentions.select(DEDUP_COLUMNS).with_row_index("_row").with_columns(dedup_blocks(mentions)).sort(
        ["event_date", has_city, "mention_time_date", "article_id", "sentence_id", "mention_id"],
        descending=[False, True, False, False, False, False],
    )
    ids = [0] * mentions.height
    # The events each article's mentions joined, per block: a later mention in the same article that names
    # no city ("the strikes also hit ...") most likely reports the event its article already told.
    told: dict[tuple[str, str], set[int]] = {}
    for row in ordered.select("_row", "mention_id", "article_id", "event_date", "actor1_code", "actor2_code",
                              "action_geo_type", "action_geo_feature_id", "action_geo_country_iso3",
                              "dedup_block").iter_rows():
        index, mention_id, article, day, actor1, actor2, geo_type, feature_id, country, block = row
        city = feature_id if geo_type in (3, 4) else None
        roles = (roles_of[actor1], roles_of[actor2])
        matches = [c for c in clusters.near(block, day) if _compatible(c, day, roles, city, country, rule)]
        in_article = told.setdefault((article, block), set())
        if matches:
            best = min(matches, key=lambda c: (c.event_id not in in_article, abs((day - c.day).days),
                                               c.city is None, c.event_id))
            best.city = best.city or city
            best.country = best.country or country
            best.roles = tuple(mine or theirs for mine, theirs in zip(best.roles, roles))
            ids[index] = best.event_id
        else:
            cluster = _Cluster(_stable_id(mention_id), day, roles, city, country)
            clusters.add(block, cluster)
            ids[index] = cluster.event_id
        in_article.add(ids[index])
    return mentions.with_columns(pl.Series("global_event_id", ids, dtype=pl.Int64))


def summarise_events(mentions: pl.DataFrame) -> pl.DataFrame:
    """One row per event id among these mentions, with how often they report it."""
    return (
        mentions.group_by("global_event_id")
        .agg(pl.col("event_date").min(), pl.col("actor1_code").first(), pl.col("event_code").first(),
             pl.col("actor2_code").first(), pl.len().alias("num_mentions"),
             pl.col("article_id").n_unique().alias("num_articles"))
        .sort("event_date", "global_event_id")
    )


#: The columns that say what a day's coding produced (not when, by which version, or which ids it got).
FINGERPRINT_COLUMNS = ("article_id", "sentence_id", "actor1_code", "actor2_code", "event_code", "event_date",
                       "action_geo_feature_id", "trigger_text", "pattern", "actor1_text", "actor2_text", "date_text")


def mentions_fingerprint(mentions: pl.DataFrame) -> str:
    """A hash of what these mentions say, independent of their order, ids and coder version."""
    rows = mentions.select(pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in FINGERPRINT_COLUMNS],
                                         separator="\x1f").alias("row"))["row"].sort().to_list()
    return hashlib.sha256("\x1e".join(rows).encode("utf-8")).hexdigest()
