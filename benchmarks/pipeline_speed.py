"""The pipeline's speed at scale, stage by stage, with peak memory (not part of the tests).

    ./run bench [--articles 100000] [--coder-articles 10000] [--folder DIR] [--profile]

Builds a deterministic synthetic corpus of English and Indonesian news articles (benchmarks/corpus.py, seed 7;
about 20 sentences each) as JSON Lines landing files of 1,000 articles, then measures and prints:
- the coder alone on a sample of the corpus, one process and all cores (sentences/s, articles/s), and on the
  bundled samples;
- the end-to-end pipeline from landing files to a loaded, de-duplicated warehouse and its exports, stage by
  stage: seconds, rows, rows/s and peak memory (this process and its worker processes);
- query times of the marts on the resulting warehouse;
- a backfill: every publication day of the warehouse re-coded with all cores (the output does not change, so
  this is the cost of coding and comparing; days whose output changes are also rewritten).

With --profile, each end-to-end stage also runs under pyinstrument and its
call tree is written to <folder>-profiles/<stage>.txt (this process only: the coding workers are not in it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import documents  # noqa: E402

from etl import pipeline  # noqa: E402
from etl.coder.text import split_sentences  # noqa: E402
from etl.publish import publish  # noqa: E402
from etl.settings import SAMPLES_DIR  # noqa: E402

ARTICLES_PER_FILE = 1000


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


class PeakMemory:
    """Samples the resident memory of this process and its descendants every 100 ms."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, sum(_rss_kib(pid) for pid in _descendants(os.getpid())))
            self._stop.wait(0.1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def measure(name: str, action: Callable[[], object], profiles: Path | None = None) -> tuple[str, float, float, object]:
    profiler = None
    if profiles is not None:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    with PeakMemory() as memory:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        profiles.mkdir(parents=True, exist_ok=True)
        target = profiles / (name.split(" (")[0].replace(" ", "-") + ".txt")
        target.write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
    return name, seconds, memory.peak_kib / 1024 / 1024, result


def write_landing(folder: Path, articles: int) -> int:
    """The corpus as JSON Lines landing files; returns the number of sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = 0
    handle = None
    for index, document in enumerate(documents(articles)):
        if index % ARTICLES_PER_FILE == 0:
            if handle:
                handle.close()
            handle = (folder / f"batch-{index // ARTICLES_PER_FILE:05d}.jsonl").open("w", encoding="utf-8")
        sentences += len(split_sentences(document["text"]))
        handle.write(json.dumps(document) + "\n")
    if handle:
        handle.close()
    return sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--coder-articles", type=int, default=10_000)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "geoevents-pipeline-bench")
    parser.add_argument("--profile", action="store_true", help="write a pyinstrument call tree of each stage")
    args = parser.parse_args()
    shutil.rmtree(args.folder, ignore_errors=True)
    cores = os.cpu_count() or 1
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}; "
          f"corpus: {args.articles:,} articles (seed 7)")

    # The coder alone, on a sample of the corpus and on the bundled samples, with the coder loaded: once a run
    # has started its coding processes (measured first, on the bundled samples) they stay until it ends.
    import etl.coding_worker  # noqa: F401

    bundled = pipeline.RunPaths(landing=SAMPLES_DIR / "news", quarantine=args.folder / "samples" / "q",
                                staging=args.folder / "samples" / "staging", database=args.folder / "samples" / "w.duckdb")
    staged = pipeline.stage_articles(bundled)
    _, startup, _, _ = measure("start", lambda: pipeline.stage_mentions(bundled, workers=cores, chunk_articles=1))
    coder_rows = []
    sample = pipeline.RunPaths(landing=args.folder / "coder" / "landing", quarantine=args.folder / "coder" / "q",
                               staging=args.folder / "coder" / "staging", database=args.folder / "coder" / "w.duckdb")
    sample_sentences = write_landing(sample.landing, args.coder_articles)
    pipeline.stage_articles(sample)
    for workers in (1, cores):
        name, seconds, peak, _ = measure("coder", lambda w=workers: pipeline.stage_mentions(sample, workers=w))
        coder_rows.append((f"synthetic corpus, {workers} process{'es' if workers > 1 else ''}",
                           args.coder_articles, sample_sentences, seconds, peak))
    texts = pipeline.read_staged_articles(bundled)["text"].to_list()
    name, seconds, peak, _ = measure("coder", lambda: pipeline.stage_mentions(bundled, workers=1))
    coder_rows.append(("bundled samples, 1 process", staged.articles, sum(len(split_sentences(t)) for t in texts),
                       seconds, peak))

    # End to end.
    paths = pipeline.RunPaths(landing=args.folder / "landing", quarantine=args.folder / "quarantine",
                              staging=args.folder / "staging" / "run", database=args.folder / "events.duckdb")
    started = time.perf_counter()
    sentences = write_landing(paths.landing, args.articles)
    writing = time.perf_counter() - started
    profiles = args.folder.parent / f"{args.folder.name}-profiles" if args.profile else None
    stages = [
        measure("read landing files", lambda: pipeline.stage_articles(paths), profiles),
        measure(f"code ({cores} processes)", lambda: pipeline.stage_mentions(paths, workers=cores), profiles),
        measure("events (de-duplicate)", lambda: pipeline.stage_events(paths), profiles),
        measure("load warehouse", lambda: pipeline.load_warehouse(paths), profiles),
        measure("publish snapshot + Parquet", lambda: publish(paths.database, args.folder / "exports"), profiles),
    ]
    pipeline.clear_staging(paths)
    total = sum(seconds for _, seconds, _, _ in stages)
    load = next(r for r in stages if r[0] == "load warehouse")
    report = load[3]

    print(f"\n{'coder':<36} {'articles':>9} {'sentences':>10} {'seconds':>8} {'sent/s':>8} {'art/s':>7} {'peak GiB':>8}")
    for label, articles, count, seconds, peak in coder_rows:
        print(f"{label:<36} {articles:>9,} {count:>10,} {seconds:>8.1f} {count / seconds:>8,.0f} "
              f"{articles / seconds:>7,.0f} {peak:>8.2f}")
    print(f"(once per run, not included: starting {cores} coding processes and coding the bundled samples on them, "
          f"{startup:.1f} s)")
    print(f"\nend to end: {args.articles:,} articles, {sentences:,} sentences (landing files written in {writing:.0f} s)")
    print(f"{'stage':<36} {'seconds':>8} {'share':>6} {'peak GiB':>8}")
    for name, seconds, peak, _ in stages:
        print(f"{name:<36} {seconds:>8.1f} {seconds / total:>6.1%} {peak:>8.2f}")
    print(f"{'total':<36} {total:>8.1f}   {args.articles / total:,.0f} articles/s, {sentences / total:,.0f} sentences/s")
    print(f"warehouse load: {report.articles:,} articles, {report.mentions:,} mentions, {report.events_touched:,} "
          f"events in {load[1]:.1f} s ({(report.articles + report.mentions + report.events_touched) / load[1]:,.0f} rows/s)")

    import duckdb

    with duckdb.connect(str(paths.database), read_only=True) as con:
        print(f"\n{'query':<44} {'rows':>9} {'seconds':>8}")
        for view in ("dyad_day_events", "dyad_day_goldstein", "country_month_quad_shares",
                     "dyad_week_cooperation_index", "dyad_goldstein_rolling_7d", "actor_top_root_codes",
                     "actor_activity"):
            started = time.perf_counter()
            rows = len(con.execute(f"SELECT * FROM {view}").fetchall())
            print(f"{view + ', whole view':<44} {rows:>9,} {time.perf_counter() - started:>8.3f}")

    with duckdb.connect(str(paths.database), read_only=True) as con:
        days = [day for (day,) in con.execute("SELECT DISTINCT published_at FROM articles ORDER BY 1").fetchall()]
    _, seconds, peak, recoded = measure("backfill", lambda: pipeline.recode_days(days, paths.database, workers=cores),
                                        profiles)
    print(f"\nbackfill, {cores} processes: {len(days):,} days, {recoded.articles:,} articles re-coded in {seconds:.1f} s "
          f"({recoded.articles / seconds:,.0f} articles/s), {len(recoded.changed_days)} days changed, peak {peak:.2f} GiB")
    if profiles is not None:
        print(f"\nprofiles of each stage: {profiles}")


if __name__ == "__main__":
    main()
