"""Document tone: accuracy on the labelled passages and speed on one core.

    .venv/bin/python benchmarks/tone_eval.py [--docs 4000] [--neutral-band 1.5]

Accuracy, per language, on tests/tone/<lang>.jsonl (passages written for this project, labelled
positive / negative / neutral):
  * sign accuracy: on the positive and negative passages, the share whose tone has the right sign;
  * 3-class accuracy and macro-F1: a passage is called neutral when |tone| < --neutral-band, else by sign;
  * mean |tone| of the neutral passages against the polar ones.
Speed: tone_frame over documents of about 400 words, half English and half Indonesian, on
  * the project's synthetic benchmark corpus (benchmarks/corpus.py, few distinct words), and
  * a varied corpus: sentences of the bundled sample articles and of the labelled passages, shuffled, with
    one word in 30 replaced by a word never seen before, so that the cache of resolved word forms keeps
    missing as it does on a real news stream with its long tail of names and rare words.
Wall-clock and CPU time are both shown: on a shared machine the CPU time is the one-core figure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import string
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import documents  # noqa: E402

from etl.settings import SAMPLES_DIR  # noqa: E402
from etl.tone import TONE_LANGUAGES, TONE_VERSION, WORD_RE, document_tone, tone_frame  # noqa: E402

LABELS = ("positive", "negative", "neutral")
LABELLED_DIR = ROOT / "tests" / "tone"


def labelled(lang: str) -> list[dict]:
    with (LABELLED_DIR / f"{lang}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def predict(tone: float, band: float) -> str:
    if abs(tone) < band:
        return "neutral"
    return "positive" if tone > 0 else "negative"


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def evaluate(lang: str, band: float) -> dict:
    rows = labelled(lang)
    tones = [document_tone(row["text"], lang).tone for row in rows]
    gold = [row["label"] for row in rows]
    polar = [(g, t) for g, t in zip(gold, tones) if g != "neutral"]
    sign_correct = sum((t > 0) if g == "positive" else (t < 0) for g, t in polar)
    predicted = [predict(t, band) for t in tones]
    return {
        "lang": lang,
        "passages": len(rows),
        "counts": {label: gold.count(label) for label in LABELS},
        "sign_accuracy": sign_correct / len(polar),
        "accuracy_3class": sum(g == p for g, p in zip(gold, predicted)) / len(rows),
        "macro_f1_3class": macro_f1(gold, predicted),
        "mean_abs_tone_neutral": statistics.mean(abs(t) for g, t in zip(gold, tones) if g == "neutral"),
        "mean_abs_tone_polar": statistics.mean(abs(t) for _, t in polar),
        "mean_tone": {label: statistics.mean(t for g, t in zip(gold, tones) if g == label) for label in LABELS},
    }


def _sample_sentences() -> dict[str, list[str]]:
    """Sentences of the bundled sample articles (JSON Lines, .txt, .md) and of the labelled passages."""
    texts: dict[str, list[str]] = {lang: [] for lang in TONE_LANGUAGES}
    news = SAMPLES_DIR / "news"
    for line in (news / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            article = json.loads(line)
            if article.get("lang") in texts:
                texts[article["lang"]].append(article.get("text") or "")
    for path in sorted(news.glob("*.*.txt")) + sorted(news.glob("*.*.md")):
        lang = path.name.split(".")[-2]
        if lang in texts:
            texts[lang].append(path.read_text(encoding="utf-8"))
    for lang in TONE_LANGUAGES:
        texts[lang].extend(row["text"] for row in labelled(lang))
    splitter = re.compile(r"(?<=[.!?])\s+")
    return {lang: [s for text in items for s in splitter.split(text) if WORD_RE.search(s)]
            for lang, items in texts.items()}


def varied_documents(count: int, *, seed: int = 11, words_per_doc: int = 400, novel_every: int = 30) -> list[dict]:
    rng = random.Random(seed)
    pools = _sample_sentences()
    docs = []
    for number in range(count):
        lang = TONE_LANGUAGES[number % len(TONE_LANGUAGES)]
        words: list[str] = []
        while len(words) < words_per_doc:
            words.extend(rng.choice(pools[lang]).split())
        for index in range(rng.randrange(novel_every), len(words), novel_every):
            words[index] = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 11)))
        docs.append({"lang": lang, "text": " ".join(words)})
    return docs


def measure(name: str, docs: list[dict]) -> None:
    texts = pl.Series("text", [doc["text"] for doc in docs])
    langs = pl.Series("lang", [doc["lang"] for doc in docs])
    started, started_cpu = time.perf_counter(), time.process_time()
    frame = tone_frame(texts, langs)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    words = int(frame["word_count"].sum())
    print(f"  {name:<32} {len(docs):>5} docs {words / len(docs):>4.0f} words/doc | wall {elapsed:5.2f} s "
          f"{len(docs) / elapsed:>5.0f} docs/s | cpu {cpu:5.2f} s {len(docs) / cpu:>5.0f} docs/s "
          f"{words / cpu / 1e6:4.2f} M words/s | mean tone {frame['tone'].mean():+.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=4000, help="documents per speed run")
    parser.add_argument("--neutral-band", type=float, default=1.5,
                        help="|tone| below this is called neutral in the 3-class figures")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    document_tone("warm up", "en")
    document_tone("pemanasan", "id")
    print(f"tone version {TONE_VERSION}; lexicons loaded in {time.perf_counter() - started:.2f} s")
    print(f"accuracy on tests/tone/<lang>.jsonl (neutral band |tone| < {args.neutral_band}):")
    for lang in TONE_LANGUAGES:
        result = evaluate(lang, args.neutral_band)
        counts = ", ".join(f"{count} {label}" for label, count in result["counts"].items())
        means = ", ".join(f"{label} {value:+.1f}" for label, value in result["mean_tone"].items())
        print(f"  {lang}: {result['passages']} passages ({counts})")
        print(f"      sign accuracy (positive+negative) {result['sign_accuracy']:.3f}   "
              f"3-class accuracy {result['accuracy_3class']:.3f}   macro-F1 {result['macro_f1_3class']:.3f}")
        print(f"      mean |tone| neutral {result['mean_abs_tone_neutral']:.2f} vs polar "
              f"{result['mean_abs_tone_polar']:.2f}; mean tone by label: {means}")

    print("speed (tone_frame on one core, lexicons already loaded):")
    measure("varied corpus, cold cache", varied_documents(args.docs))
    measure("varied corpus, new words again", varied_documents(args.docs, seed=12))
    synthetic = [{"lang": doc["lang"], "text": doc["text"]} for doc in documents(args.docs, sentences_per_doc=40)]
    measure("synthetic corpus (corpus.py)", synthetic)


if __name__ == "__main__":
    main()
