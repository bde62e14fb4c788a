"""The asset graph: landing files -> articles -> event_mentions -> events -> warehouse tables.

`articles`, `event_mentions` and `events` are this run's batch, staged as Parquet; the warehouse tables are
written by one multi-asset in one DuckDB transaction. Checks on the staged batch are blocking, so bad data
stops before the warehouse; checks on the warehouse tables look at the whole tables after each load.
"""

import hashlib

import dagster as dg
import polars as pl

from etl import pipeline, warehouse
from etl.codebook import actor_code_problem, event_codes
from etl.coder import CODER_VERSION, EVENT_SCHEMA
from etl.defs.resources import PipelineStorage
from etl.settings import CODEBOOK_DIR

#: Every asset that writes the warehouse runs in this pool, limited to 1 in dagster.yaml (one DuckDB writer).
WAREHOUSE_POOL = "duckdb_warehouse"


def _codebook_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(CODEBOOK_DIR.glob("*.tsv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dg.asset(group_name="coding", kinds={"python", "parquet"}, deps=[dg.AssetKey(["sources", "fetched"])])
def articles(context: dg.AssetExecutionContext, storage: PipelineStorage) -> dg.MaterializeResult:
    """News articles from the files that arrived in the landing folder since the last run.

    Reads .txt/.md/.json/.jsonl/.html files, gives each article a stable id, a language and a publication
    date (recording where it came from), drops articles the warehouse already holds, and sends every
    unreadable file or line to quarantine with its reason.
    """
    paths = storage.run_paths(context)
    staged = pipeline.stage_articles(paths, storage.progress(context))
    return dg.MaterializeResult(
        metadata={
            "landing_folder": dg.MetadataValue.path(str(paths.landing)),
            "files_in_landing": staged.files_seen,
            "new_files": staged.files_new,
            "articles": staged.articles,
            "already_in_warehouse": staged.already_stored,
            "duplicates_in_batch": staged.duplicates_in_batch,
            "quarantined": staged.quarantined,
        }
    )


@dg.asset_check(
    asset=articles, blocking=True, description="Staged articles have the schema, unique ids, text and a date."
)
def articles_are_complete(context: dg.AssetCheckExecutionContext, storage: PipelineStorage) -> dg.AssetCheckResult:
    frame = pipeline.scan_staged_articles(storage.run_paths(context))
    schema_ok = dict(frame.collect_schema()) == pipeline.STAGED_ARTICLE_SCHEMA
    counts = frame.select(
        (pl.len() - pl.col("id").n_unique()).alias("duplicate_ids"),
        (pl.col("text").str.strip_chars().fill_null("").eq("") | pl.col("published_at").is_null()
         | pl.col("language").is_null()).sum().alias("missing"),
    ).collect()
    duplicate_ids, missing = int(counts["duplicate_ids"][0]), int(counts["missing"][0])
    return dg.AssetCheckResult(
        passed=schema_ok and duplicate_ids == 0 and missing == 0,
        metadata={"schema_matches": schema_ok, "duplicate_ids": duplicate_ids, "articles_missing_fields": missing},
    )


@dg.asset(group_name="coding", kinds={"python", "parquet"}, deps=[articles], code_version=CODER_VERSION)
def event_mentions(context: dg.AssetExecutionContext, storage: PipelineStorage) -> dg.MaterializeResult:
    """CAMEO event mentions coded from the staged articles' sentences (source, action, target, date, place).

    The coder (etl.coder) reads English and Indonesian with the dictionaries in etl/lang; articles in other
    languages are stored but not coded. Its version is this asset's code version.
    """
    staged = pipeline.stage_mentions(storage.run_paths(context), storage.progress(context))
    return dg.MaterializeResult(
        metadata={
            "articles_coded": staged.articles_coded,
            "articles_in_other_languages": staged.articles_not_coded,
            "mentions": staged.mentions,
            "coder_version": CODER_VERSION,
        }
    )


@dg.asset_check(
    asset=event_mentions, blocking=True, description="Mentions have the coder's schema and valid CAMEO codes."
)
def mentions_use_the_codebook(context: dg.AssetCheckExecutionContext, storage: PipelineStorage) -> dg.AssetCheckResult:
    frame = pipeline.scan_coded(storage.run_paths(context))
    schema_ok = dict(frame.collect_schema()) == EVENT_SCHEMA
    codes = frame.select("event_code", "source_code", "target_code").unique().collect()
    unknown_events = sorted(set(codes["event_code"].unique().to_list()) - set(event_codes()))
    actors = set(codes["source_code"].drop_nulls().to_list()) | set(codes["target_code"].drop_nulls().to_list())
    bad_actors = sorted(code for code in actors if actor_code_problem(code))
    return dg.AssetCheckResult(
        passed=schema_ok and not unknown_events and not bad_actors,
        metadata={
            "schema_matches": schema_ok,
            "unknown_event_codes": ", ".join(unknown_events[:20]) or "none",
            "invalid_actor_codes": ", ".join(bad_actors[:20]) or "none",
        },
    )


@dg.asset_check(asset=event_mentions, blocking=True, description="Every mention comes from a staged article.")
def mentions_point_to_articles(context: dg.AssetCheckExecutionContext, storage: PipelineStorage) -> dg.AssetCheckResult:
    paths = storage.run_paths(context)
    article_ids = pipeline.scan_staged_articles(paths).select("id")
    orphans = (pipeline.scan_coded(paths).select("doc_id").join(article_ids, left_on="doc_id", right_on="id", how="anti")
               .select(pl.len()).collect().item())
    return dg.AssetCheckResult(passed=orphans == 0, metadata={"mentions_without_article": orphans})


@dg.asset(group_name="coding", kinds={"python", "parquet"}, deps=[event_mentions])
def events(context: dg.AssetExecutionContext, storage: PipelineStorage) -> dg.MaterializeResult:
    """The distinct real-world events the batch's mentions report, de-duplicated across articles, outlets and
    languages together with the events already in the warehouse (the rule: etl/transform.py and the README).
    A mention of an event already stored takes its id; a new event's id comes from its first mention."""
    staged = pipeline.stage_events(storage.run_paths(context))
    top = staged.most_reported
    columns = ("event_date", "actor1_code", "event_code", "actor2_code", "num_mentions")
    table = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    table += ["| " + " | ".join(str(value) for value in row) + " |" for row in top.select(columns).iter_rows()]
    return dg.MaterializeResult(
        metadata={
            "mentions": staged.mentions,
            "events": staged.events,
            "events_already_in_warehouse": staged.joined_existing,
            "most_reported": dg.MetadataValue.md("\n".join(table)),
        }
    )


@dg.asset_check(asset=events, blocking=True, description="No two staged mentions share an id.")
def mention_ids_are_unique(context: dg.AssetCheckExecutionContext, storage: PipelineStorage) -> dg.AssetCheckResult:
    mentions = pipeline.scan_staged_mentions(storage.run_paths(context))
    duplicates = mentions.select(pl.len() - pl.col("mention_id").n_unique()).collect().item()
    return dg.AssetCheckResult(passed=duplicates == 0, metadata={"duplicate_mention_ids": duplicates})


def _codebook_specs() -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(["warehouse", table], group_name="warehouse", kinds={"duckdb"}, description=description)
        for table, description in (
            ("cameo_event_codes", "The CAMEO event codebook: all 311 codes with Goldstein scores and QuadClass."),
            ("cameo_actor_types", "Role and known-group blocks of CAMEO actor codes."),
            ("countries", "Countries, CAMEO regions and IGO/NGO/MNC sectors: first blocks of actor codes."),
        )
    ]


@dg.multi_asset(specs=_codebook_specs(), pool=WAREHOUSE_POOL, code_version=_codebook_version())
def codebook_tables(context: dg.AssetExecutionContext, storage: PipelineStorage):
    """Replace the codebook tables with the contents of etl/codebook/*.tsv."""
    with warehouse.connect(storage.run_paths(context).database) as con:
        warehouse.create_schema(con)
        counts = warehouse.load_codebook(con)
    for table, rows in counts.items():
        yield dg.MaterializeResult(asset_key=["warehouse", table], metadata={"rows": rows})


def _warehouse_specs() -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(["warehouse", table], group_name="warehouse", kinds={"duckdb"}, description=description, deps=deps)
        for table, description, deps in (
            ("articles", "Every distinct article read, with its text, url, language and publication date.", [articles]),
            ("mentions", "Every coded event mention with its sentence, offsets and coder fields.", [events]),
            ("events", "One row per distinct event, with how many mentions, articles and sources report it.", [events]),
            ("quarantine", "Files and lines that could not be read, with the reason.", [articles]),
            ("landing_files", "Landing files already read, so each is read once.", [articles]),
        )
    ]


@dg.multi_asset(specs=_warehouse_specs(), pool=WAREHOUSE_POOL)
def warehouse_tables(context: dg.AssetExecutionContext, storage: PipelineStorage):
    """Load the run's staged batch into the warehouse in one transaction, then clear the staging folder.

    Integrity rules (unique ids, mentions pointing to articles, codes in the codebook) are checked inside
    the transaction: a load that would break one is rolled back and the run fails.
    """
    paths = storage.run_paths(context)
    report = pipeline.load_warehouse(paths)
    pipeline.clear_staging(paths)
    loaded = {
        "articles": {"new_rows": report.articles, "already_stored": report.duplicate_articles},
        "mentions": {"new_rows": report.mentions},
        "events": {"events_added_or_updated": report.events_touched},
        "quarantine": {"new_rows": report.quarantined},
        "landing_files": {"files_read": report.files},
    }
    for table, metadata in loaded.items():
        yield dg.MaterializeResult(asset_key=["warehouse", table], metadata=metadata)


def _warehouse_check(table: str, name: str, description: str, query: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(["warehouse", table]), name=name, description=description)
    def check(context: dg.AssetCheckExecutionContext, storage: PipelineStorage) -> dg.AssetCheckResult:
        with warehouse.connect(storage.run_paths(context).database, read_only=True) as con:
            violations = int(con.execute(query).fetchone()[0])
        return dg.AssetCheckResult(passed=violations == 0, metadata={"violations": violations})

    return check


WAREHOUSE_CHECKS = [
    _warehouse_check(table, name, description, query)
    for table, name, description, query in (
        (
            "articles",
            "article_ids_are_unique",
            "No two articles share an id.",
            "SELECT count(*) - count(DISTINCT id) FROM articles",
        ),
        (
            "mentions",
            "mention_ids_are_unique",
            "No two mentions share an id.",
            "SELECT count(*) - count(DISTINCT mention_id) FROM mentions",
        ),
        (
            "mentions",
            "every_mention_points_to_an_article",
            "Every mention's article is in the warehouse.",
            "SELECT count(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = m.article_id)",
        ),
        (
            "events",
            "event_ids_are_unique",
            "No two events share an id.",
            "SELECT count(*) - count(DISTINCT global_event_id) FROM events",
        ),
        (
            "events",
            "event_codes_are_in_the_codebook",
            "Every event code is one of the 311 CAMEO codes.",
            "SELECT count(*) FROM events WHERE event_code NOT IN (SELECT code FROM cameo_event_codes)",
        ),
        (
            "events",
            "every_event_has_mentions",
            "Every event is backed by at least one mention.",
            "SELECT count(*) FROM events e WHERE source = 'geoevents' AND NOT EXISTS "
            "(SELECT 1 FROM mentions m WHERE m.global_event_id = e.global_event_id)",
        ),
    )
]
