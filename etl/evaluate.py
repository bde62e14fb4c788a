"""Scoring coded events against a gold set: per-passage sets of events, at three levels of detail.

Gold file: JSON Lines, one passage per line: {"id", "lang", "published_at", "text",
"events": [{"source", "target", "code", "date"}]}. Levels:
- L1: (source country, target country, root code)
- L2: (full source code, full target code, root code)
- L3: (source country, target country, full event code)
"Country" is an actor code's first three letters, six for IGO/NGO/MNC codes. Monadic events are ignored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from etl.codebook import principal

LEVELS = ("L1", "L2", "L3")


def event_key(source: str, target: str, code: str, level: str) -> tuple[str, str, str]:
    source, target, code = source.upper(), target.upper(), str(code)
    if level == "L1":
        return principal(source), principal(target), code[:2]
    if level == "L2":
        return source, target, code[:2]
    return principal(source), principal(target), code


@dataclass
class Tally:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    tallies: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    dates: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    empty: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    passages: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def languages(self) -> list[str]:
        return sorted(self.passages, key=lambda lang: (lang == "all", lang))

    def as_dict(self) -> dict:
        out: dict = {}
        for lang in self.languages():
            entry: dict = {"passages": self.passages[lang]}
            for level in LEVELS:
                t = self.tallies[(level, lang)]
                entry[level] = {"precision": round(t.precision, 3), "recall": round(t.recall, 3),
                                "f1": round(t.f1, 3), "matched": t.matched, "predicted": t.predicted, "gold": t.gold}
            correct, compared = self.dates[lang]
            entry["date_accuracy"] = round(correct / compared, 3) if compared else None
            entry["date_compared"] = compared
            with_false, empty = self.empty[lang]
            entry["empty_passages"] = empty
            entry["empty_passages_with_false_events"] = with_false
            out[lang] = entry
        return out

    def table(self) -> str:
        lines = [f"{'lang':<5} {'level':<5} {'P':>6} {'R':>6} {'F1':>6} {'matched':>8} {'pred':>6} {'gold':>6}"]
        for lang in self.languages():
            for level in LEVELS:
                t = self.tallies[(level, lang)]
                lines.append(f"{lang:<5} {level:<5} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} "
                             f"{t.matched:8d} {t.predicted:6d} {t.gold:6d}")
        lines.append("")
        for lang in self.languages():
            correct, compared = self.dates[lang]
            with_false, empty = self.empty[lang]
            accuracy = f"{correct / compared:.3f}" if compared else "n/a"
            lines.append(f"{lang:<5} date accuracy {accuracy} ({correct}/{compared} L1 matches); "
                         f"passages with no gold event that got events: {with_false}/{empty}")
        return "\n".join(lines)


def score(gold: Iterable[Mapping], predicted: Iterable[Mapping]) -> Report:
    """Compare gold passages with predicted event rows (doc_id, source_code, target_code, event_code, event_date)."""
    by_doc: dict[str, list[Mapping]] = defaultdict(list)
    for row in predicted:
        if row.get("source_code") and row.get("target_code"):
            by_doc[str(row["doc_id"])].append(row)
    report = Report()
    for passage in gold:
        lang = passage.get("lang") or "?"
        langs = ("all", lang)
        predictions = by_doc.get(str(passage["id"]), [])
        for name in langs:
            report.passages[name] += 1
        for level in LEVELS:
            gold_keys = {event_key(e["source"], e["target"], e["code"], level) for e in passage["events"]}
            pred_keys = {event_key(p["source_code"], p["target_code"], p["event_code"], level) for p in predictions}
            for name in langs:
                tally = report.tallies[(level, name)]
                tally.matched += len(gold_keys & pred_keys)
                tally.predicted += len(pred_keys)
                tally.gold += len(gold_keys)
        gold_dates = {event_key(e["source"], e["target"], e["code"], "L1"): e.get("date", "") for e in passage["events"]}
        for p in predictions:
            key = event_key(p["source_code"], p["target_code"], p["event_code"], "L1")
            if key in gold_dates:
                for name in langs:
                    report.dates[name][1] += 1
                    report.dates[name][0] += int((p.get("event_date") or "")[:10] == gold_dates[key])
        if not passage["events"]:
            for name in langs:
                report.empty[name][1] += 1
                report.empty[name][0] += int(bool(predictions))
    return report


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
