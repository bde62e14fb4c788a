"""News sources: feeds, pages and folders declared in `sources.yaml`, fetched politely into the landing folder.

    >>> from etl.sources import Fetcher, load_sources, poll_feed, write_landing_file
    >>> config = load_sources("sources.yaml")  # doctest: +SKIP
    >>> with Fetcher(config.fetch) as fetcher:  # doctest: +SKIP
    ...     result = poll_feed(config.get("antara-en"), fetcher, seen=set(), validators=None)
    ...     write_landing_file(result.articles, landing_dir, result.source, result.health.checked_at)

- `config`: the sources file (`load_sources`, `SourcesConfig`, `Source`, `FetchSettings`, `SourcesError`).
- `fetch`: `Fetcher`, the only way to the web: http/https only, private addresses refused (after DNS and on
  every redirect), robots.txt, per-host rate limit, timeouts, size limits, retries with backoff.
- `poll`: `poll_feed`, `poll_page`, `poll_folder` (state in, state out: nothing stored here),
  `write_landing_file`, `is_due`, `check_source`.
"""

from etl.sources.config import (
    DEFAULT_USER_AGENT,
    FetchSettings,
    Source,
    SourcesConfig,
    SourcesError,
    format_interval,
    load_sources,
    parse_interval,
    parse_sources,
)
from etl.sources.fetch import Fetcher, FetchError, FetchResult
from etl.sources.poll import (
    DEFAULT_MAX_ATTEMPTS,
    FeedError,
    Health,
    ItemProblem,
    PollResult,
    SeenItem,
    SourceCheck,
    Validators,
    check_source,
    folder_key,
    is_due,
    parse_feed,
    poll_feed,
    poll_folder,
    poll_page,
    poll_source,
    write_landing_file,
)

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_USER_AGENT",
    "FeedError",
    "FetchError",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "Health",
    "ItemProblem",
    "PollResult",
    "SeenItem",
    "Source",
    "SourceCheck",
    "SourcesConfig",
    "SourcesError",
    "Validators",
    "check_source",
    "folder_key",
    "format_interval",
    "is_due",
    "load_sources",
    "parse_feed",
    "parse_interval",
    "parse_sources",
    "poll_feed",
    "poll_folder",
    "poll_page",
    "poll_source",
    "write_landing_file",
]
