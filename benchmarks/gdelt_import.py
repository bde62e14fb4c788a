"""GDELT 2.0 Event import throughput: rows per second into a fresh warehouse.

    .venv/bin/python benchmarks/gdelt_import.py [--rows 1000000] [--repeat 3] [--zip] [--seed N] [--keep DIR]

Writes a deterministic synthetic export file of --rows rows (GDELT's 61 tab-separated columns, values shaped
like GDELT's), imports it into a new warehouse with etl.gdelt.import_gdelt (--repeat times, each into a fresh
warehouse; the best run counts, as other work on the machine only ever slows a run down), then once more into
the last warehouse (every row replaced), and prints rows/s with the CPU seconds the process used (both cores
busy means CPU seconds near twice the wall seconds). --zip also imports the file zipped, as GDELT publishes
it (the time includes inflating it). When the real GDELT samples are at hand
(shared/reference/real_samples beside the repository), imports those too; otherwise says nothing about them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.gdelt import GDELT_EVENT_COLUMNS, ImportReport, import_gdelt  # noqa: E402

REAL_SAMPLE_DIRS = (
    Path(__file__).resolve().parents[2] / "shared" / "reference" / "real_samples",
    Path("/work/shared/reference/real_samples"),
)

# Actor: code, name, country, known group, ethnic, religion1, religion2, type1, type2, type3.
ACTORS = (
    ("", "", "", "", "", "", "", "", "", ""),
    ("USA", "UNITED STATES", "USA", "", "", "", "", "", "", ""),
    ("USAGOV", "WASHINGTON", "USA", "", "", "", "", "GOV", "", ""),
    ("CHN", "CHINA", "CHN", "", "", "", "", "", "", ""),
    ("CHNGOV", "BEIJING", "CHN", "", "", "", "", "GOV", "", ""),
    ("IDNMIL", "INDONESIA", "IDN", "", "", "", "", "MIL", "", ""),
    ("IDNCOP", "POLICE", "IDN", "", "", "", "", "COP", "", ""),
    ("RUS", "RUSSIA", "RUS", "", "", "", "", "", "", ""),
    ("IGOUNO", "UNITED NATIONS", "", "UNO", "", "", "", "IGO", "", ""),
    ("IGOEUREEC", "THE EU", "EUR", "EEC", "", "", "", "IGO", "", ""),
    ("JEWCVL", "JEWISH", "", "", "", "JEW", "", "CVL", "", ""),
    ("GOV", "PRESIDENT", "", "", "", "", "", "GOV", "", ""),
    ("BUS", "COMPANY", "", "", "", "", "", "BUS", "", ""),
    ("REB", "INSURGENT", "", "", "", "", "", "REB", "", ""),
)
# Event code, base code, root code, quad class, Goldstein scale.
EVENTS = (
    ("010", "010", "01", 1, "0.0"), ("020", "020", "02", 1, "3.0"), ("0231", "023", "02", 1, "3.4"),
    ("036", "036", "03", 1, "4.0"), ("040", "040", "04", 1, "1.0"), ("042", "042", "04", 1, "1.9"),
    ("043", "043", "04", 1, "2.8"), ("051", "051", "05", 1, "3.4"), ("057", "057", "05", 1, "8.0"),
    ("060", "060", "06", 2, "6.0"), ("112", "112", "11", 3, "-2.0"), ("130", "130", "13", 3, "-4.4"),
    ("173", "173", "17", 4, "-5.0"), ("181", "181", "18", 4, "-9.0"), ("190", "190", "19", 4, "-10.0"),
)
# Place: type, full name, FIPS country, ADM1, ADM2, latitude, longitude, feature id.
PLACES = (
    ("0", "", "", "", "", "", "", ""),
    ("1", "China", "CH", "CH", "", "35", "105", "CH"),
    ("1", "Indonesia", "ID", "ID", "", "-5", "120", "ID"),
    ("1", "Russia", "RS", "RS", "", "60", "100", "RS"),
    ("2", "Texas, United States", "US", "USTX", "", "31.106", "-97.6475", "TX"),
    ("3", "Washington, District of Columbia, United States", "US", "USDC", "DC001", "38.8951", "-77.0364",
     "531871"),
    ("4", "Jakarta, Jakarta Raya, Indonesia", "ID", "ID04", "", "-6.1744", "106.829", "-2679013"),
    ("4", "Beijing, Beijing, China", "CH", "CH22", "13001", "39.9289", "116.388", "-1898541"),
    ("4", "Moscow, Moskva, Russia", "RS", "RS48", "25781", "55.7522", "37.6156", "-2960561"),
    ("4", "Brussels, Bruxelles-Capitale, Belgium", "BE", "BE11", "2000", "50.8333", "4.33333", "-1955538"),
    ("5", "Aceh, Indonesia", "ID", "ID01", "", "4.36855", "97.0253", "ID01"),
)
FIRST_ID = 410_000_000
EXPORT_DAY = dt.date(2015, 2, 18)


def _tone(rng: random.Random) -> str:
    tone = round(rng.uniform(-12.0, 8.0), 14)
    return "0" if rng.random() < 0.04 else repr(tone).removesuffix(".0")


def synthetic_lines(rows: int, seed: int = 20150218):
    """Deterministic GDELT 2.0 export lines (with their '\\n'), ids counting up from FIRST_ID."""
    rng = random.Random(seed)
    days = []
    for back in range(0, 400):
        day = EXPORT_DAY - dt.timedelta(days=back)
        fraction = f"{day.year + (day.month * 30 + day.day) / 365:.4f}"
        days.append(f"{day:%Y%m%d}\t{day:%Y%m}\t{day.year}\t{fraction}")
    for row in range(rows):
        actor1, actor2 = rng.choice(ACTORS), rng.choice(ACTORS)
        code, base, root, quad, goldstein = rng.choice(EVENTS)
        articles = rng.choice((1, 1, 1, 2, 3, 5, 10))
        geo1 = rng.choice(PLACES) if actor1[0] else PLACES[0]
        geo2 = rng.choice(PLACES) if actor2[0] else PLACES[0]
        action = geo1 if geo1[0] != "0" else rng.choice(PLACES)
        day = days[0] if rng.random() < 0.6 else days[rng.randrange(len(days))]
        minute = rng.randrange(96) * 15
        added = f"{EXPORT_DAY:%Y%m%d}{minute // 60:02d}{minute % 60:02d}00"
        fields = (
            str(FIRST_ID + row), day, *actor1, *actor2, rng.choice(("0", "1")), code, base, root, str(quad),
            goldstein, str(articles * rng.choice((1, 2))), str(rng.choice((1, articles))), str(articles),
            _tone(rng), *geo1, *geo2, *action, added,
            f"https://www.example-news{row % 211}.com/{day[:8]}/world/story-{row:07d}.html",
        )
        yield "\t".join(fields) + "\n"


def write_synthetic(path: Path, rows: int, seed: int = 20150218) -> Path:
    lines = synthetic_lines(rows, seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        while chunk := [line for _, line in zip(range(50_000), lines)]:
            handle.writelines(chunk)
    return path


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_import(files: list[Path], database: Path, quarantine: Path) -> tuple[ImportReport, float]:
    started = cpu_seconds()
    report = import_gdelt(files, database, quarantine)
    return report, cpu_seconds() - started


def show(name: str, report: ImportReport, cpu: float, size: int) -> None:
    rate = report.rows_loaded / report.seconds if report.seconds else float("inf")
    print(f"{name:<30} {report.rows_loaded:>10,} rows {size / 1e6:>7.1f} MB {report.seconds:>6.2f} s "
          f"(cpu {cpu:>5.2f} s) {rate:>10,.0f} rows/s  replaced {report.rows_replaced:,}, "
          f"quarantined {report.rows_quarantined:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic file (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="imports into a new warehouse; the best counts")
    parser.add_argument("--zip", action="store_true", help="also import the file as a .zip archive")
    parser.add_argument("--seed", type=int, default=20150218)
    parser.add_argument("--keep", type=Path, help="write the synthetic file and warehouse here and keep them")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
          f"{len(GDELT_EVENT_COLUMNS)} columns")
    with tempfile.TemporaryDirectory(prefix="gdelt-bench-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        source = write_synthetic(folder / "synthetic.export.CSV", args.rows, args.seed)
        size = source.stat().st_size
        print(f"wrote {args.rows:,} synthetic rows ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        quarantine = folder / "quarantine"
        best: tuple[ImportReport, float] | None = None
        for run in range(max(1, args.repeat)):
            database = folder / f"bench{run}.duckdb"
            database.unlink(missing_ok=True)
            report, cpu = timed_import([source], database, quarantine)
            show(f"synthetic, new warehouse #{run + 1}", report, cpu, size)
            if best is None or report.seconds < best[0].seconds:
                best = (report, cpu)
            if run < args.repeat - 1:
                database.unlink()
        show("synthetic, again (replace)", *timed_import([source], database, quarantine), size)
        assert best is not None
        show("BEST new warehouse", *best, size)
        if args.zip:
            archive = folder / "synthetic.export.CSV.zip"
            with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
                handle.write(source, arcname=source.name)
            zip_db = folder / "zip.duckdb"
            zip_db.unlink(missing_ok=True)
            show("synthetic zipped, new warehouse", *timed_import([archive], zip_db, quarantine), archive.stat().st_size)
        samples_dir = next((d for d in REAL_SAMPLE_DIRS if d.is_dir()), None)
        samples = sorted(samples_dir.glob("gdelt2_export_*.tsv")) if samples_dir else []
        if samples:
            sample_db = folder / "samples.duckdb"
            sample_db.unlink(missing_ok=True)
            report, cpu = timed_import(samples, sample_db, quarantine)
            show(f"real samples ({len(samples)} files)", report, cpu, sum(p.stat().st_size for p in samples))


if __name__ == "__main__":
    main()
