"""The coder, warmed up in a worker process: imported by the forkserver so every worker starts with the
dictionaries loaded (a fork of a process that already runs polars' thread pool could deadlock)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.coder import code_documents
from etl.coder.dictionary import load_language
from etl.coder.places import gazetteer
from etl.settings import SUPPORTED_LANGUAGES

for _lang in SUPPORTED_LANGUAGES:
    load_language(_lang)
gazetteer()  # built on first use otherwise, once in every worker of every run


def code_articles(job: tuple[object, pl.DataFrame]) -> pl.DataFrame:
    """Code (key, articles (id, text, published_at, lang)); the key only travels with the job."""
    return code_documents(job[1])


def code_chunk(job: tuple[Path, pl.DataFrame]) -> int:
    """Code one chunk of articles (id, text, published_at, lang) into its Parquet part; rows written."""
    target, chunk = job
    coded = code_documents(chunk)
    coded.write_parquet(target)
    return coded.height
