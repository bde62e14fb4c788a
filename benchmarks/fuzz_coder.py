"""Coverage-guided fuzzing of the coder with atheris (libFuzzer for Python). Optional, not part of the test run.

    .venv/bin/pip install atheris==3.0.0
    .venv/bin/python benchmarks/fuzz_coder.py                     # 5,000 inputs of up to 4 KB, ~2 minutes
    .venv/bin/python benchmarks/fuzz_coder.py -runs=200000 -max_len=8192 fuzz-corpus/

Any libFuzzer flag may be passed (-runs, -max_len, -max_total_time, -jobs, a corpus folder to keep and reuse
interesting inputs). Each input chooses, through atheris' FuzzedDataProvider, the language (en, id or detected),
a publication date (any day of the calendar, or none) and the text: raw unicode, or dictionary phrases (actors,
role nouns, verb patterns, function and date words) picked in an order the fuzzer steers, with punctuation.
The coder must not raise, every row must be valid and every input must be coded within the time bound of
tests/test_coder_fuzz.py (check_rows and time_budget are shared with it); a failure stops the run with the input
written to a crash-* file, replayed with `.venv/bin/python benchmarks/fuzz_coder.py crash-...`.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

with atheris.instrument_imports(include=["etl"]):
    from etl.coder import Coder, code_records

from test_coder_fuzz import CONTROLS, PUNCTUATION, SCRIPTS, check_rows, time_budget, vocabulary, warm_up  # noqa: E402

DEFAULT_RUNS = 5_000
CODER = Coder()
LANGS = ("en", "id", "auto")
PIECES = {lang: [piece for kind in ("actor", "agent", "verb", "word", "date") for piece in vocabulary(lang)[kind]]
          + PUNCTUATION + SCRIPTS + CONTROLS for lang in ("en", "id")}


def build_input(data: bytes) -> tuple[str, str, dt.date | None]:
    provider = atheris.FuzzedDataProvider(data)
    lang = LANGS[provider.ConsumeIntInRange(0, len(LANGS) - 1)]
    published = None
    if provider.ConsumeBool():
        published = dt.date.fromordinal(provider.ConsumeIntInRange(1, dt.date.max.toordinal()))
    if provider.ConsumeBool():
        text = provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes())
    else:
        pieces = PIECES["id" if lang == "id" else "en"]
        words = []
        while provider.remaining_bytes() >= 2:
            words.append(pieces[provider.ConsumeIntInRange(0, len(pieces) - 1)])
        text = " ".join(words)
    return text, lang, published


def test_one_input(data: bytes) -> None:
    text, lang, published = build_input(data)
    started = time.perf_counter()
    if lang == "auto":
        rows = list(code_records([{"id": "fuzz", "text": text, "published_at": published}], lang="auto"))
    else:
        rows = CODER.code_text(text, lang=lang, published=published, doc_id="fuzz")
    elapsed = time.perf_counter() - started
    if elapsed > time_budget(len(text)):
        raise AssertionError(f"{elapsed:.2f} s for {len(text):,} characters ({lang}): {text[:80]!r}")
    check_rows(text, rows, "fuzz", lang)


def main() -> None:
    warm_up()
    argv = list(sys.argv)
    if not any(Path(arg).is_file() for arg in argv[1:]):  # not replaying a saved input
        # Long inputs from the start (libFuzzer otherwise grows them a few bytes at a time).
        for flag, value in (("-runs=", DEFAULT_RUNS), ("-max_len=", 4096), ("-len_control=", 0)):
            if not any(arg.startswith(flag) for arg in argv[1:]):
                argv.append(f"{flag}{value}")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
