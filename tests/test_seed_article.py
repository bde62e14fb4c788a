"""The user's own sample article (bundled) codes the events a careful human coder records."""

from __future__ import annotations

import polars as pl
import pytest

from etl.codebook import principal
from etl.coder import code_documents
from etl.ingest import list_landing_files, read_landing_files
from etl.settings import SAMPLES_DIR

SEED_FILE = "xi-putin-moscow-2025-05-08.id.txt"
# Every actor the article names: China, Russia, the UN (PBB), the US and its allies, the West, Nazi Germany,
# the Soviet Union (Russia's predecessor).
NAMED = {"CHN", "RUS", "IGOUNO", "USA", "WST", "DEU"}


@pytest.fixture(scope="module")
def seed_events(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    files = [f for f in list_landing_files(SAMPLES_DIR / "news") if f.name == SEED_FILE]
    seed = read_landing_files(files, quarantine_dir=tmp_path_factory.mktemp("quarantine")).articles
    assert seed.height == 1
    assert seed["published_at"][0].isoformat() == "2025-05-08" and seed["date_source"][0] == "text"
    assert seed["language"][0] == "id"
    return code_documents(seed.rename({"language": "lang"}))


def _has(events: pl.DataFrame, source: str, target: str, codes: tuple[str, ...]) -> pl.DataFrame:
    return events.filter(
        (pl.col("source_code").str.slice(0, 3) == source)
        & (pl.col("target_code").str.slice(0, 3) == target)
        & pl.col("event_code").is_in(codes)
    )


def test_visit_and_hosting_or_meeting_in_moscow(seed_events: pl.DataFrame) -> None:
    visits = _has(seed_events, "CHN", "RUS", ("042",))
    assert visits.height >= 1
    hosting = _has(seed_events, "RUS", "CHN", ("043", "040", "041", "044", "045", "046"))
    assert hosting.height >= 1
    for frame in (visits, hosting):
        assert (frame["event_date"] == "2025-05-08").any()
    meeting = pl.concat([visits, hosting]).filter(pl.col("event_date") == "2025-05-08")
    moscow = meeting.filter(pl.col("geo_name") == "Moscow")
    assert moscow.height >= 1
    assert abs(moscow["geo_lat"][0] - 55.75) < 0.05 and abs(moscow["geo_lon"][0] - 37.62) < 0.05


def test_agreements_signed_both_ways(seed_events: pl.DataFrame) -> None:
    assert _has(seed_events, "CHN", "RUS", ("057",)).height >= 1
    assert _has(seed_events, "RUS", "CHN", ("057",)).height >= 1


def test_no_actor_the_article_does_not_name(seed_events: pl.DataFrame) -> None:
    actors = set(seed_events["source_code"].map_elements(principal, return_dtype=pl.String).to_list())
    actors |= set(seed_events["target_code"].drop_nulls().map_elements(principal, return_dtype=pl.String).to_list())
    assert actors <= NAMED, actors - NAMED
