"""The coder's public API: plain functions over polars frames, with no Dagster in sight.

    >>> import polars as pl
    >>> from etl.coder import code_documents
    >>> docs = pl.DataFrame({"id": ["a"], "text": ["Indonesian police arrested two Malaysian nationals."],
    ...                      "published_at": ["2025-01-07"], "lang": ["en"]})
    >>> code_documents(docs).select("source_code", "target_code", "event_code").row(0)
    ('IDNCOP', 'MYSCVL', '173')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

import polars as pl

from etl.coder.core import CODER_VERSION, Coder
from etl.coder.detect import detect_language
from etl.settings import SUPPORTED_LANGUAGES

__all__ = ["CODER_VERSION", "Coder", "EVENT_SCHEMA", "code_documents", "code_records", "detect_language", "parse_date"]

#: The columns of a coded event mention, in output order.
EVENT_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String,
    "sentence_index": pl.Int32,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
    "sentence": pl.String,
    "source_code": pl.String,
    "source_text": pl.String,
    "target_code": pl.String,
    "target_text": pl.String,
    "source_group_code": pl.String,
    "target_group_code": pl.String,
    "event_code": pl.String,
    "event_root_code": pl.String,
    "quad_class": pl.Int8,
    "goldstein": pl.Float64,
    "trigger_text": pl.String,
    "trigger_char_start": pl.Int32,
    "event_date": pl.String,
    "date_text": pl.String,
    "geo_name": pl.String,
    "geo_country": pl.String,
    "geo_lat": pl.Float64,
    "geo_lon": pl.Float64,
    "geo_type": pl.Int8,  # GDELT's resolution: 1 country, 3 US city, 4 world city
    "geo_adm1": pl.String,  # FIPS country + admin1 code
    "geo_feature_id": pl.String,  # GeoNames id of the city, FIPS code of a country
    "language": pl.String,
    "pattern": pl.String,
    "coder_version": pl.String,
}


@lru_cache(maxsize=1)
def _shared_coder() -> Coder:
    return Coder()


def parse_date(value: object) -> dt.date | None:
    """A publication date from a string (YYYY-MM-DD, optionally followed by a time) or a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def resolve_language(text: str, lang: object) -> str:
    """The document's language: the given one when the coder knows it, else detected from the text."""
    if isinstance(lang, str) and lang.strip().lower()[:2] in SUPPORTED_LANGUAGES:
        return lang.strip().lower()[:2]
    return detect_language(text)


def code_records(documents: Iterable[Mapping[str, object]], *, lang: str = "auto") -> Iterator[dict]:
    """Code documents given as mappings with id, text and optional published_at and lang."""
    coder = _shared_coder()
    for document in documents:
        text = str(document.get("text") or "")
        if not text.strip():
            continue
        language = resolve_language(text, document.get("lang") if lang == "auto" else lang)
        yield from coder.code_text(
            text,
            lang=language,
            published=parse_date(document.get("published_at")),
            doc_id=str(document.get("id") or ""),
        )


def code_documents(documents: pl.DataFrame, *, lang: str = "auto") -> pl.DataFrame:
    """Code a frame of documents (columns id, text, optional published_at, lang) into event mentions."""
    rows = list(code_records(documents.iter_rows(named=True), lang=lang))
    return pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row") if rows else pl.DataFrame(schema=EVENT_SCHEMA)
