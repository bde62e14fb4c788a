"""Coder throughput: sentences and articles per second on one core, on the synthetic corpus and the samples.

    ./run bench [--docs 2500]    (2,500 documents x 20 sentences = 50,000 sentences)
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import documents  # noqa: E402

from etl.coder import Coder, resolve_language  # noqa: E402
from etl.coder.text import split_sentences  # noqa: E402
from etl.ingest import list_landing_files, read_landing_files  # noqa: E402
from etl.settings import SAMPLES_DIR  # noqa: E402


def bundled_samples() -> list[dict]:
    """The bundled sample articles, read the way the pipeline reads them."""
    with tempfile.TemporaryDirectory() as quarantine:
        articles = read_landing_files(list_landing_files(SAMPLES_DIR / "news"), quarantine_dir=Path(quarantine)).articles
    return articles.rename({"language": "lang"}).to_dicts()


def measure(name: str, docs: list[dict], coder: Coder) -> None:
    sentences = sum(len(split_sentences(doc["text"])) for doc in docs)
    started = time.perf_counter()
    events = 0
    for doc in docs:
        events += len(coder.code_text(doc["text"], lang=resolve_language(doc["text"], doc.get("lang")),
                                      doc_id=doc["id"]))
    elapsed = time.perf_counter() - started
    print(f"{name:<24} {len(docs):>8} {sentences:>10} {events:>8} {elapsed:>8.2f} "
          f"{sentences / elapsed:>10.0f} {len(docs) / elapsed:>8.0f}")


def measure_cli(name: str, docs: list[dict]) -> None:
    """`geoevents code` end to end: process start, dictionaries, JSON in and out, language detection."""
    sentences = sum(len(split_sentences(doc["text"])) for doc in docs)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "docs.jsonl"
        source.write_text("".join(json.dumps({k: v for k, v in doc.items() if k != "lang"}) + "\n" for doc in docs),
                          encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "etl.cli", "code", str(source), "-o", str(Path(folder) / "out.jsonl"),
                        "--quiet"], check=True)
        elapsed = time.perf_counter() - started
        events = sum(1 for _ in (Path(folder) / "out.jsonl").open(encoding="utf-8"))
    print(f"{name:<24} {len(docs):>8} {sentences:>10} {events:>8} {elapsed:>8.2f} "
          f"{sentences / elapsed:>10.0f} {len(docs) / elapsed:>8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=2500, help="synthetic documents (20 sentences each)")
    args = parser.parse_args()
    coder = Coder()
    warm = list(documents(50, seed=1))
    for doc in warm:  # load dictionaries, gazetteer and lemma caches before timing
        coder.code_text(doc["text"], lang=doc["lang"], doc_id=doc["id"])
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, one process")
    print(f"{'corpus':<24} {'docs':>8} {'sentences':>10} {'events':>8} {'seconds':>8} {'sent/s':>10} {'docs/s':>8}")
    synthetic = list(documents(args.docs))
    measure("synthetic (seed 7)", synthetic, coder)
    measure("bundled samples", bundled_samples(), coder)
    measure_cli("geoevents code (CLI)", synthetic)


if __name__ == "__main__":
    main()
